//! Spelling expansion of a query's words: the other spellings the archive uses for a word
//! ([`most_used`] of the variant map's expansions, as weighted terms by [`variant_terms`]), its
//! imperfect verb searched as the perfect, and compounds written fused or split
//! ([`compound_alternatives`]). Every alternative is a term the archive holds.

use std::collections::BTreeMap;

use tantivy::query::{Bm25StatisticsProvider, EnableScoring, PhraseQuery, Query};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use super::compile::single_term;
use super::query::{self, Atom, AtomKind, FieldScope};
use super::request::Ranking;
use super::stats::CachedStatistics;
use crate::analysis::is_stopword;
use crate::error::Result;
use crate::index::Fields;
use crate::variants::{self, VariantMap, VARIANT_RARITY};

/// Fused and split spellings of compounds, per included clause: two consecutive words
/// written as one (`دير الزور` → `ديرالزور`, `عبد الله` → `عبدالله`) when the archive has
/// the fused word, and one word written as two (the reverse) when the archive has both
/// parts. Each is recorded in `expansions`.
pub(super) fn compound_alternatives(
    fields: &Fields,
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    map: &VariantMap,
    stemmed: &mut TextAnalyzer,
    clauses: &[&query::Clause],
    expansions: &mut BTreeMap<String, Vec<String>>,
) -> Result<Vec<Vec<Atom>>> {
    let f = *fields;
    // Most candidate parts and fused words are no words of the archive, and none of them
    // is searched unless chosen: the variant map tells how much each is used, for those long
    // enough to have a skeleton, without a term-dictionary lookup in every segment.
    let used = |stem: &str| -> Result<u64> { body_doc_freq(&f, stats, map, stem) };
    // How many articles write two stems together, one after the other, counted up to
    // `enough`: only whether there are that many matters, and a common pair has thousands.
    let together = |first: &str, second: &str, enough: u64| -> Result<u64> {
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(f.body, first),
            Term::from_field_text(f.body, second),
        ]);
        count_up_to(searcher, &phrase, enough)
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
        // The fused word must be a spelling the archive uses, not a slip: at least one in
        // VARIANT_RARITY as many articles as write the two words apart (as for variants).
        match single_term(stemmed, &fused) {
            Some(sf) if sf != sa && sf != sb => {
                let fused_used = used(&sf)?;
                // The two words are together in no more articles than the rarer has: the
                // phrase search (the costly part) only when that bound does not decide.
                let bound = used(&sa)?.min(used(&sb)?);
                let most = fused_used * VARIANT_RARITY;
                if fused_used == 0 || (most < bound && most < together(&sa, &sb, most + 1)?) {
                    continue;
                }
            }
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
        // The word's letters without the punctuation typed around it: a headline's
        // `بيونغيانغ:` is split as بيونغيانغ is.
        let normalized = crate::analysis::normalize(w);
        let normalized = normalized.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(whole) = single_term(stemmed, normalized) else {
            continue;
        };
        let whole_used = used(&whole)?;
        // Of the cuts into two words of the archive, the one whose rarer part is the most
        // used (the most it can be written apart), and one phrase search for it: one per
        // word at most, a phrase search being the costly part.
        let mut best: Option<(u64, &str, &str, String, String)> = None;
        for (first, second) in compound_splits(normalized) {
            let (Some(s1), Some(s2)) = (single_term(stemmed, first), single_term(stemmed, second))
            else {
                continue;
            };
            // Both parts words of the archive, able to be written apart at least one in
            // VARIANT_RARITY times as often as the word is (دول ار is no way of writing
            // دولار), and more than the best cut so far: the second part is looked up only
            // when the first leaves that possible.
            let enough = |df: u64| {
                df > 0
                    && df * VARIANT_RARITY >= whole_used
                    && best.as_ref().is_none_or(|(most, ..)| df > *most)
            };
            let used1 = used(&s1)?;
            if !enough(used1) {
                continue;
            }
            let bound = used1.min(used(&s2)?);
            if enough(bound) {
                best = Some((bound, first, second, s1, s2));
            }
        }
        let best = match best {
            Some((_, first, second, s1, s2)) => {
                let apart = together(&s1, &s2, whole_used.div_ceil(VARIANT_RARITY).max(1))?;
                (apart > 0 && apart * VARIANT_RARITY >= whole_used)
                    .then(|| (apart, format!("{first} {second}")))
            }
            None => None,
        };
        if let Some((_, text)) = best {
            alternatives[i].push(atom(AtomKind::Phrase(text.clone())));
            expansions.entry(w.clone()).or_default().push(text);
        }
    }
    Ok(alternatives)
}

/// How many live articles `query` matches, counting no further than `enough`.
fn count_up_to(searcher: &Searcher, query: &dyn Query, enough: u64) -> Result<u64> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut found = 0;
    for reader in searcher.segment_readers() {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                found += 1;
                if found >= enough {
                    return Ok(found);
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(found)
}

/// In how many articles the stemmed body has `stem`: counted by the variant map
/// ([`VariantMap::doc_freq`]) when it can tell, else by the term dictionary. For deciding
/// which spellings to search; the weights of those searched come from the index's statistics.
fn body_doc_freq(
    fields: &Fields,
    stats: &CachedStatistics<'_>,
    map: &VariantMap,
    stem: &str,
) -> Result<u64> {
    match map.doc_freq(stem) {
        Some(df) => Ok(df),
        None => Ok(stats.doc_freq(&Term::from_field_text(fields.body, stem))?),
    }
}

/// The variants of `stem` that search adds ([`variants::most_used`]), by the archive's document
/// frequencies.
pub(super) fn most_used(
    fields: &Fields,
    stats: &CachedStatistics<'_>,
    map: &VariantMap,
    stem: &str,
    variants: Vec<&str>,
) -> Result<Vec<String>> {
    let used = body_doc_freq(fields, stats, map, stem)?;
    let mut counted = Vec::with_capacity(variants.len());
    for variant in variants {
        counted.push((variant, body_doc_freq(fields, stats, map, variant)?));
    }
    Ok(variants::most_used(used, counted)
        .into_iter()
        .map(str::to_string)
        .collect())
}

/// The other spellings of one query word that a search adds: stems for the stemmed fields,
/// surface forms for the exact-form fields.
#[derive(Debug, Default)]
pub(super) struct Spellings {
    /// Stems of the other spellings, the most used first.
    pub stems: Vec<String>,
    /// Of `stems`, those fewer articles use than the stem typed.
    pub rarer: Vec<String>,
    /// Of `forms`, those of the `rarer` stems.
    pub rarer_forms: Vec<String>,
    /// What to tell the user was added: the stems, except that a spelling found as written
    /// (its stem another) is shown as written (جاستين, not its stem جاست).
    pub shown: Vec<String>,
    /// The normalized word as typed with its stem respelled, when the archive has it: the
    /// other spellings in the exact-form fields, so that they weigh there as the word does.
    pub forms: Vec<String>,
}

impl Spellings {
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }
}

/// The spellings of a word (its light `stem`, its normalized form `exact`) that a search adds,
/// and, once they are found, the word and its spellings pooled into one term in every field
/// ([`CachedStatistics::pool`]): whichever spelling is typed, the word has the same IDF.
pub(super) fn word_spellings(
    fields: &Fields,
    stats: &CachedStatistics<'_>,
    map: &VariantMap,
    stemmed: &mut TextAnalyzer,
    stem: &str,
    exact: Option<&str>,
    ranking: &Ranking,
) -> Result<Spellings> {
    let f = fields;
    let used = body_doc_freq(f, stats, map, stem)?;
    let mut stems = most_used(f, stats, map, stem, map.expansions(stem))?;
    let from_map = stems.len();
    // Spellings whose stems differ: the word as written, with a long vowel more or less, is
    // a word of the archive whose stem is another (جاستين, stem جاست, beside جاستن; ترليون,
    // stem ترل, beside تريليون). The map has the forms of the archive related, with their
    // stems (one lookup); for a form the archive lacks, or a map that does not relate
    // forms, a few guesses are tried against the index.
    let mut surface: Vec<String> = Vec::new();
    if let Some(exact) = exact {
        let related = map.form_partners(exact);
        let candidates: Vec<(String, Option<String>)> = match related {
            Some(partners)
                if !partners.is_empty()
                    || stats.doc_freq(&Term::from_field_text(f.body_exact, exact))? > 0 =>
            {
                partners
                    .into_iter()
                    .map(|(form, stem)| (form.to_string(), Some(stem.to_string())))
                    .collect()
            }
            _ => surface_spellings(exact)
                .into_iter()
                .map(|form| (form, None))
                .collect(),
        };
        for (form, known) in candidates {
            // Analysis first, lookups last: most guessed forms are not words of the archive,
            // and an analysis costs a tenth of a term-dictionary lookup.
            let known_form = known.is_some();
            let Some(other) = known.or_else(|| single_term(stemmed, &form)) else {
                continue;
            };
            // A form that is its own stem, of a word that is too, is a variant of the stem
            // the map holds (same skeleton, one vowel apart): `most_used` has decided on it.
            if other == stem
                || stems.contains(&other)
                || (other == form && stem == exact)
                || map.holds(&other) == Some(false)
            {
                continue;
            }
            // Used often enough (the map tells), then written so (the map's forms are, else
            // the exact-form field's dictionary tells): the cheaper question first.
            if body_doc_freq(f, stats, map, &other)? * VARIANT_RARITY < used
                || (!known_form
                    && stats.doc_freq(&Term::from_field_text(f.body_exact, &form))? == 0)
            {
                continue;
            }
            stems.push(other);
            surface.push(form);
        }
    }
    if ranking.imperfect_prefix {
        if let Some(perfect) = imperfect_stem(stem) {
            if !stems.iter().any(|v| v == perfect) && body_doc_freq(f, stats, map, perfect)? > 0 {
                stems.push(perfect.to_string());
            }
        }
    }
    let shown: Vec<String> = stems[..from_map]
        .iter()
        .chain(&surface)
        .chain(&stems[from_map + surface.len()..])
        .cloned()
        .collect();
    let mut spellings = Spellings::default();
    if stems.is_empty() {
        return Ok(spellings);
    }
    for variant in &stems {
        if body_doc_freq(f, stats, map, variant)? < used {
            spellings.rarer.push(variant.clone());
        }
    }
    if let Some(exact) = exact.filter(|e| e.contains(stem)) {
        for variant in &stems {
            let form = exact.replacen(stem, variant, 1);
            if !surface.contains(&form)
                && stats.doc_freq(&Term::from_field_text(f.body_exact, &form))? > 0
            {
                if spellings.rarer.contains(variant) {
                    spellings.rarer_forms.push(form.clone());
                }
                spellings.forms.push(form);
            }
        }
    }
    for (form, stem) in surface.iter().zip(&stems[from_map..]) {
        if spellings.rarer.contains(stem) {
            spellings.rarer_forms.push(form.clone());
        }
    }
    spellings.forms.extend(surface);
    for field in [f.title, f.body, f.lead] {
        let pooled: Vec<Term> = std::iter::once(stem)
            .chain(stems.iter().map(String::as_str))
            .map(|t| Term::from_field_text(field, t))
            .collect();
        stats.pool(&pooled)?;
    }
    if let Some(exact) = exact {
        for field in [f.title_exact, f.body_exact] {
            let pooled: Vec<Term> = std::iter::once(exact)
                .chain(spellings.forms.iter().map(String::as_str))
                .map(|t| Term::from_field_text(field, t))
                .collect();
            stats.pool(&pooled)?;
        }
    }
    spellings.stems = stems;
    spellings.shown = shown;
    Ok(spellings)
}

/// A word's spellings as weighted terms in the fields it searches: the stems in the stemmed
/// title, body and lead, the surface forms in the exact-form title and body, each at the
/// variant weight of the word's own weight there.
pub(super) fn variant_terms(
    fields: &Fields,
    atom: &Atom,
    spellings: &Spellings,
    ranking: &Ranking,
) -> Vec<(Term, f32)> {
    let f = fields;
    let stemmed = [
        (f.title, ranking.title_boost),
        (f.body, 1.0),
        (f.lead, ranking.lead_boost),
    ];
    let exact = [
        (f.title_exact, ranking.title_boost * ranking.exact_boost),
        (f.body_exact, ranking.exact_boost),
    ];
    let all = spellings
        .stems
        .iter()
        .flat_map(|v| stemmed.iter().map(move |&(field, w)| (v, field, w)))
        .chain(
            spellings
                .forms
                .iter()
                .flat_map(|v| exact.iter().map(move |&(field, w)| (v, field, w))),
        );
    let mut weighted = Vec::new();
    for (variant, field, weight) in all {
        // A spelling rarer than the word typed weighs the variant weight; a commoner one
        // about the word's own, since the spelling typed is then the exception.
        let rarer = if field == f.title_exact || field == f.body_exact {
            spellings.rarer_forms.contains(variant)
        } else {
            spellings.rarer.contains(variant)
        };
        let spelling_weight = if rarer {
            ranking.variant_weight
        } else {
            ranking.commoner_variant_weight
        };
        let in_title = field == f.title || field == f.title_exact;
        let searched = match atom.scope {
            FieldScope::All => true,
            FieldScope::Title => in_title,
            FieldScope::Body => !in_title,
        };
        if searched && weight > 0.0 {
            weighted.push((
                Term::from_field_text(field, variant),
                weight * spelling_weight,
            ));
        }
    }
    weighted
}

/// Other spellings of a normalized word that its stem cannot reach, when the stemmer takes
/// an ending for a suffix in one spelling only (جاستين / جاستن, هيومان / هيومن): the word
/// without one of its inner long vowels, and with a long vowel before its last letter. Both
/// the word and the spelling have four letters or more and the same skeleton, as the variant
/// map's terms do ([`crate::variants::skeleton`]); which of them the archive uses is for the
/// caller to look up. A handful of lookups per word: inserting a vowel anywhere would be
/// dozens.
pub(super) fn surface_spellings(word: &str) -> Vec<String> {
    const VOWELS: [char; 3] = [
        '\u{0627}', // ARABIC LETTER ALEF
        '\u{0648}', // ARABIC LETTER WAW
        '\u{064A}', // ARABIC LETTER YEH
    ];
    let letters: Vec<char> = word.chars().collect();
    let n = letters.len();
    if n < 4
        || !letters
            .iter()
            .all(|c| ('\u{0621}'..='\u{064A}').contains(c))
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    if n >= 5 {
        for i in 1..n - 1 {
            if VOWELS.contains(&letters[i]) {
                let mut other = letters.clone();
                other.remove(i);
                found.push(other.into_iter().collect::<String>());
            }
        }
    }
    if !VOWELS.contains(&letters[n - 2]) {
        for v in VOWELS {
            let mut other = letters.clone();
            other.insert(n - 1, v);
            found.push(other.into_iter().collect());
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The ways a normalized word of Arabic letters may be two words written together: every cut
/// into two parts of three letters or more (two-letter parts are mostly endings: قو ات, دول
/// ار), neither of them a stopword (ماذا حدث is a question, not a compound).
/// [`compound_alternatives`] keeps the cut the archive writes apart most often, and only
/// when it writes it so often enough: no list of first words, as Meilisearch splits a word
/// into any two frequent words.
pub(super) fn compound_splits(word: &str) -> Vec<(&str, &str)> {
    let letters = word.chars().count();
    if !word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return Vec::new();
    }
    word.char_indices()
        .enumerate()
        .filter(|&(i, _)| i >= 3 && letters - i >= 3)
        .map(|(_, (at, _))| word.split_at(at))
        .filter(|(first, second)| !is_stopword(first) && !is_stopword(second))
        .collect()
}

/// The stem of an imperfect verb without its prefix ي (third person: `يكشف` → `كشف`,
/// `يتزوج` → `تزوج`), when at least three letters remain: the perfect of the same verb for the
/// simple and derived forms whose imperfect adds only the prefix (I with a short vowel, V, VI),
/// and the stem of the same letters otherwise. Only the prefix ي: nouns beginning with it are
/// few, where ت and ن begin many verbal nouns (تقرير, نشر).
fn imperfect_stem(stem: &str) -> Option<&str> {
    let rest = stem.strip_prefix('ي')?;
    (rest.chars().count() >= 3).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::{compound_splits, imperfect_stem, surface_spellings};

    #[test]
    fn a_word_splits_at_every_cut_into_two_words() {
        assert_eq!(
            compound_splits("فيسبوك"),
            vec![("فيس", "بوك")],
            "parts of three letters or more"
        );
        assert!(compound_splits("عبدالله").contains(&("عبد", "الله")));
        assert!(compound_splits("ديرالزور").contains(&("دير", "الزور")));
        assert_eq!(compound_splits("ابوظبي"), vec![("ابو", "ظبي")]);
    }

    #[test]
    fn surface_spellings_drop_an_inner_vowel_or_add_one_before_the_last_letter() {
        let jastin = surface_spellings("جاستين");
        assert!(jastin.contains(&"جاستن".to_string()), "{jastin:?}");
        assert!(jastin.contains(&"جستين".to_string()), "{jastin:?}");
        let jastn = surface_spellings("جاستن");
        assert!(jastn.contains(&"جاستين".to_string()), "{jastn:?}");
        assert!(jastn.contains(&"جاستان".to_string()), "{jastn:?}");
        // Every spelling keeps the word's skeleton.
        for word in ["جاستين", "جاستن", "هيومان", "ويليام"] {
            for other in surface_spellings(word) {
                assert_eq!(
                    crate::variants::skeleton(&other),
                    crate::variants::skeleton(word),
                    "{word} / {other}"
                );
            }
        }
        // Short words and numbers have none.
        assert!(surface_spellings("كتب").is_empty());
        assert!(surface_spellings("2024").is_empty());
    }

    #[test]
    fn short_words_and_stopword_parts_do_not_split() {
        assert!(compound_splits("عبد").is_empty());
        assert!(compound_splits("مكتب").is_empty());
        assert!(compound_splits("2024").is_empty());
        assert!(compound_splits("1.25").is_empty());
        // A stopword is no part of a compound.
        assert!(!compound_splits("ماذاحدث").iter().any(|(a, _)| *a == "ماذا"));
        assert!(!compound_splits("الذيقال").iter().any(|(a, _)| *a == "الذي"));
    }

    #[test]
    fn imperfect_stems_lose_their_prefix_only_when_three_letters_remain() {
        assert_eq!(imperfect_stem("يكشف"), Some("كشف"));
        assert_eq!(imperfect_stem("يتزوج"), Some("تزوج"));
        assert_eq!(imperfect_stem("يوم"), None);
        assert_eq!(imperfect_stem("كشف"), None);
    }
}
