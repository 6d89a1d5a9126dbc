//! Using fahras as a library: build an archive in memory from articles, search it, print the
//! hits as people and as JSON, and look up spelling variants.
//!
//! Run with: `cargo run --example library -- "سد وادي العقيق"`

use fahras::sample::sample_articles;
use fahras::{Archive, SearchRequest, Sort};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "الانتخابات البلدية".to_string());

    // An archive can live in a directory (Archive::open_or_create) or in memory.
    let archive = Archive::in_memory()?;
    let mut writer = archive.writer(50_000_000, 1)?;
    for article in sample_articles() {
        writer.upsert(&article)?;
    }
    writer.commit()?;

    let mut request = SearchRequest::new(query);
    request.limit = 5;
    request.sort = Sort::Relevance;
    let results = archive.search(&request)?;

    println!(
        "{} articles match all words ({:.1} ms)",
        results.total_hits, results.took_ms
    );
    for hit in &results.hits {
        println!("{:>2}. {} [{}]", hit.rank, hit.title, hit.id);
        // Highlights are byte ranges into the snippet, on the words as the article wrote them.
        let words: Vec<&str> = hit
            .highlights
            .iter()
            .map(|&[start, end]| &hit.snippet[start..end])
            .collect();
        println!("    matched: {}", words.join("، "));
    }
    // The spelling variants searched for each word, and the variant map on its own: the
    // indexed stems that spell a stem differently.
    for (word, variants) in &results.expansions {
        println!("also searched for «{word}»: {}", variants.join("، "));
    }
    let map = archive.variant_map()?;
    for token in fahras::analysis::analyze(&request.query) {
        let variants = map.expansions(&token.stem);
        if !variants.is_empty() {
            println!("{} → {}", token.stem, variants.join("، "));
        }
    }
    println!("{}", serde_json::to_string_pretty(&results)?);
    Ok(())
}
