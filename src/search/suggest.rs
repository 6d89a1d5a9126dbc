//! "Did you mean": when nothing matched, each query word the archive lacks is replaced by the
//! closest spelling it has — another spelling of the word from the variant map, or the word a
//! typing slip away — shown as an article wrote it.

use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;
use tantivy::{Searcher, Term};

use super::compile::single_term;
use super::query::{AtomKind, ParsedQuery};
use crate::error::Result;
use crate::index::Archive;
use crate::variants::VariantMap;

/// The query with each word whose stem the archive lacks replaced by the closest spelling
/// the archive has: a spelling variant (see [`crate::variants`]), else a typing slip away;
/// among several, the one the most articles use. `None` when no word has one.
pub(super) fn did_you_mean(
    archive: &Archive,
    searcher: &Searcher,
    parsed: &ParsedQuery,
) -> Result<Option<String>> {
    let f = *archive.fields();
    let mut stemmed = archive.analyzer(f.body)?;
    let map = archive.variant_map()?;
    let map = map.as_ref();
    let mut words: Vec<String> = Vec::new();
    let mut changed = false;
    for clause in parsed.included() {
        for atom in &clause.alternatives {
            let AtomKind::Word(word) = &atom.kind else {
                words.push(format!("\"{}\"", atom.text()));
                continue;
            };
            let mut replacement = word.clone();
            if let Some(stem) = single_term(&mut stemmed, word) {
                if searcher.doc_freq(&Term::from_field_text(f.body, &stem))? == 0 {
                    if let Some(better) = closest_spelling(archive, searcher, map, word, &stem)? {
                        replacement = better;
                        changed = true;
                    }
                }
            }
            words.push(replacement);
        }
    }
    Ok(changed.then(|| words.join(" ")))
}

/// The word as the archive writes it, for a word (with its stem) the archive lacks: the
/// word with its stem replaced by a spelling variant (see [`crate::variants`]), or the
/// word a typing slip away; of several, the one in the most articles, variants counting
/// ten times (a name is likelier spelled another way than mistyped). Only words the
/// archive contains as written (normalized) are suggested, never a bare stem.
fn closest_spelling(
    archive: &Archive,
    searcher: &Searcher,
    map: &VariantMap,
    word: &str,
    stem: &str,
) -> Result<Option<String>> {
    let exact = archive.fields().body_exact;
    let normalized = crate::analysis::normalize(word).into_owned();
    let df = |term: &str| searcher.doc_freq(&Term::from_field_text(exact, term));
    let mut best: Option<(u64, String)> = None;
    let mut consider = |candidate: String, weight: u64| -> Result<()> {
        let count = df(&candidate)? * weight;
        if count > 0 && best.as_ref().is_none_or(|(most, _)| count > *most) {
            best = Some((count, candidate));
        }
        Ok(())
    };
    if normalized.contains(stem) {
        for variant in map.expansions(stem) {
            consider(normalized.replacen(stem, variant, 1), 10)?;
        }
    }
    for near in near_spellings(searcher, exact, &normalized)? {
        consider(near, 1)?;
    }
    match best {
        Some((_, spelling)) => Ok(Some(as_written(archive, searcher, &spelling)?)),
        None => Ok(None),
    }
}

/// A normalized term as an article of the archive writes it (`الحكومه` → `الحكومة`): the
/// first word with that normalized form in the first article holding it, or the term
/// itself.
fn as_written(archive: &Archive, searcher: &Searcher, term: &str) -> Result<String> {
    let exact = archive.fields().body_exact;
    let query = TermQuery::new(Term::from_field_text(exact, term), IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    if let Some((_, address)) = top.first() {
        let article = archive.article(searcher, *address)?;
        let mut exact_analyzer = archive.analyzer(exact)?;
        for text in [&article.title, &article.body] {
            let mut stream = exact_analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                if token.text == term {
                    let written = &text[token.offset_from..token.offset_to];
                    // Diacritics and tatweel are how one article wrote it, not the word.
                    return Ok(written
                        .chars()
                        .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0640}'))
                        .collect());
                }
            }
        }
    }
    Ok(term.to_string())
}

/// The terms of `field` one typing slip away from `text` (a letter added, dropped, changed
/// or two swapped; two slips for words of six letters or more). Words under three letters
/// have too many such neighbours to suggest one.
fn near_spellings(searcher: &Searcher, field: Field, text: &str) -> Result<Vec<String>> {
    let letters = text.chars().count();
    if letters < 3 {
        return Ok(Vec::new());
    }
    let body = field;
    let distance = if letters >= 6 { 2 } else { 1 };
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(body, text), distance, true);
    let mut found: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(body)?;
        let mut stream = inverted
            .terms()
            .search(fuzzy.automaton()?)
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                if !found.iter().any(|t| t == term) {
                    found.push(term.to_string());
                }
            }
        }
    }
    Ok(found)
}
