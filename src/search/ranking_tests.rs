//! Ranking behaviour through `Archive::search` on small archives.

use super::{ProximityPairs, Ranking, SearchRequest};
use crate::{Archive, Article};

fn archive(articles: &[(&str, &str)]) -> Archive {
    let archive = Archive::in_memory().unwrap();
    let mut writer = archive.writer(50_000_000, 1).unwrap();
    for (id, body) in articles {
        writer
            .upsert(&Article {
                id: id.to_string(),
                title: "عنوان".into(),
                body: body.to_string(),
                ..Article::default()
            })
            .unwrap();
    }
    writer.commit().unwrap();
    archive
}

/// (id, score) of every hit.
fn hits(archive: &Archive, query: &str, ranking: Ranking) -> Vec<(String, f32)> {
    let mut request = SearchRequest::new(query);
    request.ranking = ranking;
    let results = archive.search(&request).unwrap();
    results.hits.into_iter().map(|h| (h.id, h.score)).collect()
}

#[test]
fn a_common_word_still_fills_the_page_when_the_rarer_ones_are_too_few() {
    // تونس is in every article, قطار in one: the pool comes from the rarer word, and
    // the common one brings the rest of the page when that is too few.
    let mut articles: Vec<(String, String)> = (0..14)
        .map(|i| (format!("t{i}"), format!("أخبار تونس اليوم رقم {i}")))
        .collect();
    articles.push(("train".into(), "قطار جديد في تونس".into()));
    let refs: Vec<(&str, &str)> = articles
        .iter()
        .map(|(id, body)| (id.as_str(), body.as_str()))
        .collect();
    let archive = archive(&refs);
    let found = hits(&archive, "قطار تونس", Ranking::default());
    assert_eq!(found.len(), 10);
    assert_eq!(found[0].0, "train");
}

#[test]
fn an_imperfect_verb_finds_its_perfect() {
    let archive = archive(&[("a", "كشف الوزير عن خطة"), ("b", "سماء زرقاء")]);
    let ids = |ranking| -> Vec<String> {
        hits(&archive, "يكشف", ranking)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    assert_eq!(ids(Ranking::default()), vec!["a"]);
    let without = Ranking {
        imperfect_prefix: false,
        ..Ranking::default()
    };
    assert!(ids(without).is_empty());
}

#[test]
fn every_pair_of_words_earns_the_proximity_bonus_in_any_order() {
    // Same words, same lengths; only "a" has two query words (مدينة, قطار) side by side,
    // and they are not consecutive in the query.
    let archive = archive(&[
        ("a", "مدينة قطار سماء بحر جبل نهر شجر محطة"),
        ("b", "قطار سماء بحر جبل نهر مدينة شجر محطة"),
    ]);
    let scores = |pairs| {
        // (Their openings differ: the opening bonus is left out.)
        let ranking = Ranking {
            proximity_pairs: pairs,
            opening: 0.0,
            ..Ranking::default()
        };
        let found = hits(&archive, "قطار محطة مدينة", ranking);
        let score = |id: &str| found.iter().find(|(i, _)| i == id).unwrap().1;
        (score("a"), score("b"))
    };
    let (a, b) = scores(ProximityPairs::Consecutive);
    assert!((a - b).abs() < 1e-4, "{a} {b}");
    let (a, b) = scores(ProximityPairs::AllScaled);
    assert!(a > b + 1e-3, "{a} {b}");
}

#[test]
fn a_much_better_partial_match_outranks_a_weak_full_match_unless_tiered() {
    // "full" has every word of the query once in a long text; "partial" lacks the common
    // word تونس but repeats the two rare ones in a short text.
    let filler = "سماء بحر جبل نهر شجر ".repeat(20);
    let full = format!("قطار {filler} محطة {filler} تونس");
    let mut articles: Vec<(String, String)> = vec![
        ("full".into(), full),
        ("partial".into(), "قطار محطة قطار محطة".into()),
    ];
    for i in 0..6 {
        articles.push((format!("common{i}"), format!("تونس {filler}")));
    }
    let refs: Vec<(&str, &str)> = articles
        .iter()
        .map(|(id, body)| (id.as_str(), body.as_str()))
        .collect();
    let archive = archive(&refs);
    let first = |ranking| hits(&archive, "قطار محطة تونس", ranking)[0].0.clone();
    assert_eq!(first(Ranking::default()), "partial");
    let tiered = Ranking {
        soft_coordination: None,
        ..Ranking::default()
    };
    assert_eq!(first(tiered), "full");
}

#[test]
fn a_word_written_another_way_earns_the_proximity_bonus() {
    // هاميلتون / هاملتون: one spelling each in two articles that are otherwise the same,
    // the pair close together in both. With the variants the article writing it the other
    // way scores as the one writing it as typed, less only the variant's discount; with
    // the bonus earned by the spelling typed alone it would fall further behind.
    let filler = "كلام اخر في الخبر عن السباق والفرق والجمهور والطقس";
    let mut articles: Vec<(String, String)> = vec![
        ("typed".into(), format!("فوز هاميلتون في السباق {filler}")),
        ("other".into(), format!("فوز هاملتون في السباق {filler}")),
        ("far".into(), format!("فوز {filler} {filler} هاميلتون")),
    ];
    for i in 0..6 {
        articles.push((format!("h{i}"), format!("هاميلتون بطل رقم {i}")));
    }
    let refs: Vec<(&str, &str)> = articles
        .iter()
        .map(|(id, body)| (id.as_str(), body.as_str()))
        .collect();
    let archive = archive(&refs);
    let found = hits(&archive, "فوز هاميلتون", Ranking::default());
    let score = |id: &str| found.iter().find(|(i, _)| i == id).map(|(_, s)| *s);
    let (typed, other, far) = (
        score("typed").unwrap(),
        score("other").unwrap(),
        score("far").unwrap(),
    );
    assert!(typed > other, "{found:?}");
    assert!(
        other > far,
        "the close pair in the other spelling: {found:?}"
    );
    let without = Ranking {
        proximity_boost: 0.0,
        ..Ranking::default()
    };
    let plain = hits(&archive, "فوز هاميلتون", without);
    let plain_score = |id: &str| plain.iter().find(|(i, _)| i == id).map(|(_, s)| *s);
    // The other spelling's bonus is the typed one's at the variant weight.
    let bonus_typed = typed - plain_score("typed").unwrap();
    let bonus_other = other - plain_score("other").unwrap();
    assert!(
        bonus_other > 0.5 * bonus_typed,
        "{bonus_other} / {bonus_typed}"
    );
}

#[test]
fn a_spelling_commoner_than_the_one_typed_weighs_nearly_as_much_as_the_word() {
    // ترامب is the archive's common spelling, ترمب the rare one. Typed the rare way, the
    // article writing the common one is the rule, not the exception: it scores at the
    // commoner spellings' weight (0.95), the spelling typed still first. Typed the common
    // way, the article writing the rare one scores at the variant weight (0.9).
    let mut articles: Vec<(String, String)> = (0..7)
        .map(|i| (format!("c{i}"), format!("زار الرئيس ترامب مدينة رقم {i}")))
        .collect();
    articles.push(("rare".into(), "قال الرئيس الأمريكي أمس إن ترمب".into()));
    articles.push(("common".into(), "قال الرئيس الأمريكي أمس إن ترامب".into()));
    let refs: Vec<(&str, &str)> = articles
        .iter()
        .map(|(id, body)| (id.as_str(), body.as_str()))
        .collect();
    let archive = archive(&refs);
    let ranking = Ranking::default();
    let score = |query: &str, id: &str| {
        let found = hits(&archive, query, ranking);
        found.iter().find(|(i, _)| i == id).unwrap().1
    };
    let ratio = score("ترمب", "common") / score("ترمب", "rare");
    assert!(
        (ratio - ranking.commoner_variant_weight).abs() < 1e-3,
        "typed rare: {ratio}"
    );
    let ratio = score("ترامب", "rare") / score("ترامب", "common");
    assert!(
        (ratio - ranking.variant_weight).abs() < 1e-3,
        "typed common: {ratio}"
    );
    assert!(ranking.commoner_variant_weight < 1.0);
    assert!(ranking.variant_weight < ranking.commoner_variant_weight);
}

#[test]
fn an_article_writing_a_word_two_ways_scores_it_as_one_term() {
    // Partial matches (no article has both words): "mixed" writes ترامب once and ترمب once,
    // "one" ترامب twice. The two spellings are one term: their frequencies add up and
    // saturate once, so "mixed" has the word no more than "one" (each spelling's BM25 in
    // full would give it nearly twice the word).
    let archive = archive(&[
        ("mixed", "قال ترامب إن ترمب"),
        ("one", "قال ترامب إن ترامب"),
        ("summit", "انعقدت قمة في المدينة"),
    ]);
    let found = hits(&archive, "ترامب قمة", Ranking::default());
    let score = |id: &str| found.iter().find(|(i, _)| i == id).unwrap().1;
    assert!(score("one") > score("mixed"), "{found:?}");
    // A spelling not typed still counts at less than the word: both typed ways, "one" is
    // the word twice, "mixed" half of it in the other spelling.
    let found = hits(&archive, "ترمب قمة", Ranking::default());
    let score = |id: &str| found.iter().find(|(i, _)| i == id).unwrap().1;
    assert!(score("mixed") > 0.9 * score("one"), "{found:?}");
}
