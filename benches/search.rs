//! The search path on a small index: the built-in sample archive (144 articles) in memory,
//! queries of different shapes through `Archive::search` with its defaults (snippets
//! included). Run with `cargo bench --bench search`.

use criterion::{criterion_group, criterion_main, Criterion};
use fahras::sample::sample_archive;
use fahras::SearchRequest;

fn bench_search(c: &mut Criterion) {
    let archive = sample_archive().expect("sample archive");
    let mut group = c.benchmark_group("search");
    for (name, query) in [
        ("one_word", "العقيق"),
        ("three_words", "سد وادي العقيق"),
        ("phrase", "\"ساعة الرمل العملاقة\""),
        (
            "question_partial_fill",
            "ما هي أسباب انخفاض منسوب المياه في السدود هذا العام",
        ),
        ("noisy_spelling", "الحُكومه اعلنت"),
    ] {
        let request = SearchRequest::new(query);
        group.bench_function(name, |b| {
            b.iter(|| archive.search(&request).expect("search"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
