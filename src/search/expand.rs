//! Spelling expansion of a query's words: the other spellings the archive uses for a word
//! ([`most_used`] of the variant map's expansions, as weighted terms by [`variant_terms`]), its
//! imperfect verb searched as the perfect, and compounds written fused or split
//! ([`compound_alternatives`]). Every alternative is a term the archive holds.

use std::collections::BTreeMap;

use tantivy::collector::Count;
use tantivy::query::{Bm25StatisticsProvider, PhraseQuery};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::compile::single_term;
use super::query::{self, Atom, AtomKind, FieldScope};
use super::request::Ranking;
use super::stats::CachedStatistics;
use crate::analysis::is_stopword;
use crate::error::Result;
use crate::index::Fields;
use crate::variants;

/// Fused and split spellings of compounds, per included clause: two consecutive words
/// written as one (`دير الزور` → `ديرالزور`, `عبد الله` → `عبدالله`) when the archive has
/// the fused word, and one word written as two (the reverse) when the archive has both
/// parts. Each is recorded in `expansions`.
pub(super) fn compound_alternatives(
    fields: &Fields,
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    stemmed: &mut TextAnalyzer,
    clauses: &[&query::Clause],
    expansions: &mut BTreeMap<String, Vec<String>>,
) -> Result<Vec<Vec<Atom>>> {
    let f = *fields;
    let has = |stem: &str| -> Result<bool> {
        Ok(stats.doc_freq(&Term::from_field_text(f.body, stem))? > 0)
    };
    let word = |clause: &query::Clause| -> Option<String> {
        match clause.alternatives.as_slice() {
            [Atom {
                scope: FieldScope::All,
                kind: AtomKind::Word(word),
            }] if !is_stopword(&crate::analysis::normalize(word)) => Some(word.clone()),
            _ => None,
        }
    };
    let words: Vec<Option<String>> = clauses.iter().map(|c| word(c)).collect();
    let mut alternatives: Vec<Vec<Atom>> = vec![Vec::new(); clauses.len()];
    let atom = |kind: AtomKind| Atom {
        scope: FieldScope::All,
        kind,
    };
    for i in 1..words.len() {
        let (Some(a), Some(b)) = (&words[i - 1], &words[i]) else {
            continue;
        };
        let fused = format!("{a}{b}");
        // Each side one word, and the fused one a word of the archive other than either
        // (punctuation typed apart, `تونس :`, fuses into nothing new).
        let (Some(sa), Some(sb)) = (single_term(stemmed, a), single_term(stemmed, b)) else {
            continue;
        };
        match single_term(stemmed, &fused) {
            Some(sf) if sf != sa && sf != sb && has(&sf)? => {}
            _ => continue,
        }
        alternatives[i - 1].push(atom(AtomKind::Word(fused.clone())));
        alternatives[i].push(atom(AtomKind::Word(fused.clone())));
        expansions
            .entry(format!("{a} {b}"))
            .or_default()
            .push(fused);
    }
    for (i, w) in words.iter().enumerate() {
        let Some(w) = w else { continue };
        let normalized = crate::analysis::normalize(w);
        for (first, second) in compound_splits(&normalized) {
            let (Some(s1), Some(s2)) = (single_term(stemmed, first), single_term(stemmed, second))
            else {
                continue;
            };
            // Both parts are words of the archive and it writes them together apart.
            let phrase = PhraseQuery::new(vec![
                Term::from_field_text(f.body, &s1),
                Term::from_field_text(f.body, &s2),
            ]);
            if has(&s1)? && has(&s2)? && searcher.search(&phrase, &Count)? > 0 {
                let text = format!("{first} {second}");
                alternatives[i].push(atom(AtomKind::Phrase(text.clone())));
                expansions.entry(w.clone()).or_default().push(text);
            }
        }
    }
    Ok(alternatives)
}

/// The variants of `stem` that search adds ([`variants::most_used`]), by the archive's document
/// frequencies.
pub(super) fn most_used(
    fields: &Fields,
    stats: &CachedStatistics<'_>,
    stem: &str,
    variants: Vec<&str>,
) -> Result<Vec<String>> {
    let body = fields.body;
    let used = stats.doc_freq(&Term::from_field_text(body, stem))?;
    let mut counted = Vec::with_capacity(variants.len());
    for variant in variants {
        counted.push((
            variant,
            stats.doc_freq(&Term::from_field_text(body, variant))?,
        ));
    }
    Ok(variants::most_used(used, counted)
        .into_iter()
        .map(str::to_string)
        .collect())
}

/// A word's spelling variants as weighted terms in the stemmed fields it searches.
pub(super) fn variant_terms(
    fields: &Fields,
    atom: &Atom,
    variants: &[String],
    ranking: &Ranking,
) -> Vec<(Term, f32)> {
    let f = fields;
    let mut weighted = Vec::new();
    for variant in variants {
        for (field, weight) in [
            (f.title, ranking.title_boost),
            (f.body, 1.0),
            (f.lead, ranking.lead_boost),
        ] {
            let searched = match atom.scope {
                FieldScope::All => true,
                FieldScope::Title => field == f.title,
                FieldScope::Body => field != f.title,
            };
            if searched && weight > 0.0 {
                weighted.push((
                    Term::from_field_text(field, variant),
                    weight * ranking.variant_weight,
                ));
            }
        }
    }
    weighted
}

/// The ways a normalized word may be a fused compound: after a name-forming first word
/// (`عبد`, `ابو`, `ابن`: عبدالله, ابوظبي) or before an inner article (`ال`: ديرالزور), each part
/// long enough to be a word of its own (the first three letters or more besides an article of
/// its own, the second an article
/// and three letters or more, so that a feminine ending -اليه is not taken for one). A
/// word-initial article or a short proclitic (بال, وال) never splits.
pub(super) fn compound_splits(word: &str) -> Vec<(&str, &str)> {
    let mut splits: Vec<(&str, &str)> = Vec::new();
    for prefix in ["عبد", "ابو", "ابن"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            if rest.chars().count() >= 3 {
                splits.push((prefix, rest));
            }
        }
    }
    for (at, _) in word.match_indices("ال") {
        let (first, second) = word.split_at(at);
        let first_letters = first.strip_prefix("ال").unwrap_or(first).chars().count();
        if first_letters >= 3 && second.chars().count() >= 5 && !splits.contains(&(first, second)) {
            splits.push((first, second));
        }
    }
    splits
}

/// The stem of an imperfect verb without its prefix ي (third person: `يكشف` → `كشف`,
/// `يتزوج` → `تزوج`), when at least three letters remain: the perfect of the same verb for the
/// simple and derived forms whose imperfect adds only the prefix (I with a short vowel, V, VI),
/// and the stem of the same letters otherwise. Only the prefix ي: nouns beginning with it are
/// few, where ت and ن begin many verbal nouns (تقرير, نشر).
pub(super) fn imperfect_stem(stem: &str) -> Option<&str> {
    let rest = stem.strip_prefix('ي')?;
    (rest.chars().count() >= 3).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::{compound_splits, imperfect_stem};

    #[test]
    fn splits_after_name_words_and_before_an_inner_article() {
        assert_eq!(compound_splits("ديرالزور"), vec![("دير", "الزور")]);
        assert_eq!(compound_splits("عبدالله"), vec![("عبد", "الله")]);
        assert_eq!(compound_splits("ابوظبي"), vec![("ابو", "ظبي")]);
        assert_eq!(
            compound_splits("عبدالرحمن"),
            vec![("عبد", "الرحمن")],
            "one split, not two"
        );
    }

    #[test]
    fn article_and_clitics_and_endings_do_not_split() {
        // A word-initial article, a proclitic before it, a feminine ending -اليه.
        for word in ["المالية", "الحالية", "بالمدينة", "والسلام", "الالوان", "عبد"]
        {
            assert!(
                compound_splits(word).is_empty(),
                "{word}: {:?}",
                compound_splits(word)
            );
        }
    }

    #[test]
    fn imperfect_stems_lose_their_prefix_only_when_three_letters_remain() {
        assert_eq!(imperfect_stem("يكشف"), Some("كشف"));
        assert_eq!(imperfect_stem("يتزوج"), Some("تزوج"));
        assert_eq!(imperfect_stem("يوم"), None);
        assert_eq!(imperfect_stem("كشف"), None);
    }
}
