//! The OpenSearch plugin (opensearch/) is a Java port of the analysis: what it reads from
//! files the Rust side owns must not drift from it. (Its tokens are held to the Rust analyzer by
//! its own conformance test, which scripts/test-all runs.)

use std::path::Path;

use fahras::analysis::{ANALYZER_VERSION, ARABIC_STOPWORDS};

fn plugin_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("opensearch")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn plugin_stopwords_are_the_rust_list() {
    let file = plugin_file("src/main/resources/org/fahras/opensearch/stopwords.txt");
    let words: Vec<&str> = file
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    assert_eq!(
        words, ARABIC_STOPWORDS,
        "opensearch/.../stopwords.txt must list ARABIC_STOPWORDS, in order"
    );
}

#[test]
fn plugin_implements_this_analyzer_version() {
    let pom = plugin_file("pom.xml");
    let wanted = format!("<fahras.analyzer.version>{ANALYZER_VERSION}</fahras.analyzer.version>");
    assert!(
        pom.contains(&wanted),
        "opensearch/pom.xml must declare {wanted}: ANALYZER_VERSION changed, so the Java port \
         must change with it (and clusters reindex)"
    );
}
