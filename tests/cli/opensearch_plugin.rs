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

/// `fahras variants --export`: the archive's spelling variants as Solr synonym rules, in
/// light-stem form, holding only spellings the archive uses: its stems' variants and the
/// stems of its word forms one long vowel apart.
#[test]
fn variants_export_writes_solr_rules_of_the_archive_spellings() {
    let dir = crate::TestDir::new();
    let articles = [
        (
            "a1",
            "اشتباكات",
            "اندلعت اشتباكات بين الميليشيات المسلحة قرب الميناء.",
        ),
        (
            "a2",
            "انسحاب",
            "بدأت المليشيات المسلحة انسحابها من محيط الميناء.",
        ),
        ("a3", "خدمة", "أطلقت شركة غوغل خدمة جديدة للترجمة."),
        ("a4", "تحديث", "أعلنت جوجل تحديثا لمحرك البحث."),
        ("a5", "اجتماع", "عقد المجلس البلدي اجتماعه الدوري أمس."),
        ("a6", "ديون", "بلغت الديون ترليون دولار."),
        ("a7", "أسواق", "خسرت الأسواق تريليون دولار."),
    ];
    crate::index_articles(&dir, &articles);

    let out = crate::fahras_in(
        dir.path(),
        &[
            "variants", "--index", "idx", "--export", "syn.txt", "--json",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["analyzer_version"], ANALYZER_VERSION);
    let text = std::fs::read_to_string(dir.path().join("syn.txt")).unwrap();
    let rules: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(summary["rules"], rules.len());
    // Both spellings of "militias" and of "Google", each way, stems as the index holds them.
    for rule in [
        "مليش => مليش, ميليش",
        "ميليش => ميليش, مليش",
        "غوغل => غوغل, جوجل",
        "جوجل => جوجل, غوغل",
        // Word forms one long vowel apart (ترليون / تريليون) whose stems share no skeleton
        // (ترلي keeps its last letter, تريل loses its inner yeh): the stems joined, as a
        // search relates the forms.
        "ترلي => ترلي, تريل",
        "تريل => تريل, ترلي",
    ] {
        assert!(rules.contains(&rule), "no rule {rule:?} in {rules:?}");
    }
    // Words with no other spelling in the archive get no rule.
    assert!(!rules.iter().any(|r| r.starts_with("اجتماع")), "{rules:?}");
    // Every rule is `stem => stem, variant…` with the stem first on the right.
    for rule in &rules {
        let (left, right) = rule.split_once(" => ").unwrap();
        assert!(right.starts_with(&format!("{left}, ")), "{rule}");
    }

    // Standard output, and an archive that is not there: a clear error, exit 2.
    let out = crate::fahras_in(
        dir.path(),
        &["variants", "--index", "idx", "--export", "-"],
        None,
    );
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, text);
    let out = crate::fahras_in(
        dir.path(),
        &["variants", "--index", "nowhere", "--export", "x.txt"],
        None,
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no fahras index"), "{}", out.stderr);
    assert!(!dir.path().join("x.txt").exists());
}

/// `fahras variants --export --min-stem-chars 4`: the rules in the stems of the plugin's
/// `fahras_lean` (four letters), which a search analyzer stemming with `min_stem_chars` 4 finds.
/// The archive's own rules (three letters) would miss where the two stemmers part.
#[test]
fn variants_export_writes_rules_in_the_stems_asked_for() {
    let dir = crate::TestDir::new();
    let articles = [
        ("a1", "اشتباكات", "اندلعت اشتباكات بين الميليشيات المسلحة."),
        ("a2", "انسحاب", "بدأت المليشيات المسلحة انسحابها."),
        ("a3", "خدمة", "أطلقت شركة غوغل خدمة جديدة."),
        ("a4", "تحديث", "أعلنت جوجل تحديثا لمحرك البحث."),
        ("a5", "ديون", "بلغت الديون ترليون دولار."),
        ("a6", "أسواق", "خسرت الأسواق تريليون دولار."),
    ];
    crate::index_articles(&dir, &articles);
    let rules_of = |args: &[&str]| {
        let mut all = vec!["variants", "--index", "idx", "--export", "-"];
        all.extend_from_slice(args);
        let out = crate::fahras_in(dir.path(), &all, None);
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
    };
    // What fahras_lean's stemmer makes of a word (the Rust stemmer the plugin is held to).
    let lean_stem = |word: &str| {
        let out = crate::fahras_in(
            dir.path(),
            &["analyze", "--json", "--min-stem-chars", "4", word],
            None,
        );
        assert_eq!(out.code, 0, "{out:?}");
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        json["tokens"][0]["stem"].as_str().unwrap().to_string()
    };

    let own = rules_of(&[]);
    let lean = rules_of(&["--min-stem-chars", "4"]);
    assert!(lean.contains("min_stem_chars 4"), "{lean}");
    let lean_rules: Vec<&str> = lean.lines().filter(|l| !l.starts_with('#')).collect();
    let own_rules: Vec<&str> = own.lines().filter(|l| !l.starts_with('#')).collect();
    for (word, other) in [
        ("الميليشيات", "المليشيات"),
        ("ترليون", "تريليون"),
        ("غوغل", "جوجل"),
    ] {
        let (a, b) = (lean_stem(word), lean_stem(other));
        assert_ne!(a, b, "{word} / {other}");
        for (from, to) in [(&a, &b), (&b, &a)] {
            let rule = format!("{from} => {from}, {to}");
            assert!(
                lean_rules.contains(&rule.as_str()),
                "no {rule:?} in {lean_rules:?}"
            );
        }
    }
    // Where the stemmers part (المليشيات: مليشي with four letters, مليش with three), the
    // archive's own file has no rule the lean stem would meet: that is why the option exists.
    for stem in [lean_stem("المليشيات"), lean_stem("تريليون")] {
        let rule = format!("{stem} => ");
        assert!(
            !own_rules.iter().any(|r| r.starts_with(&rule)),
            "{own_rules:?}"
        );
    }
    // The archive's own length is the default export, byte for byte; the summary tells it.
    assert_eq!(rules_of(&["--min-stem-chars", "3"]), own);
    let out = crate::fahras_in(
        dir.path(),
        &[
            "variants",
            "--index",
            "idx",
            "--export",
            "s4.txt",
            "--min-stem-chars",
            "4",
            "--json",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(summary["min_stem_chars"], 4);
    assert_eq!(summary["rules"], lean_rules.len());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("s4.txt")).unwrap(),
        lean
    );
    // No stem of no letters.
    let out = crate::fahras_in(
        dir.path(),
        &[
            "variants",
            "--index",
            "idx",
            "--export",
            "x.txt",
            "--min-stem-chars",
            "0",
        ],
        None,
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(!dir.path().join("x.txt").exists());
}
