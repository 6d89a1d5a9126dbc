//! Query compilation: a parsed query and a request become a [`Compiled`] query for one
//! archive. Each word or phrase is analyzed by the index's own analyzers, expanded into the
//! spellings the archive uses ([`super::expand`]), and turned into clauses ([`super::clauses`]);
//! clauses of stopwords only are demoted when the query has other words; exclusions and the
//! date, source and category filters are added.
//!
//! ```text
//! ParsedQuery ──► per clause: analyze ──► expand (variants, imperfect, compounds) ──► clauses
//!             ──► required / optional / excluded / bonus / filters ──► Compiled
//! ```

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DateTime, Searcher, Term};
use time::Date;
use unicode_segmentation::UnicodeSegmentation;

use super::clauses::{
    atom_parts, atom_query, boost, flat_terms, proximity_clauses, scored_term, SpelledWord,
};
use super::compiled::Compiled;
use super::expand::{compound_alternatives, variant_terms, word_spellings, Spellings};
use super::forward::ForwardQuery;
use super::query::{self, AtomKind, ParsedQuery};
use super::request::{QueryStopwords, SearchRequest};
use super::snippet::MatchTerms;
use super::stats::CachedStatistics;
use crate::analysis::is_stopword;
use crate::error::Result;
use crate::index::Archive;

/// A clause's query, and its words for partial matching.
struct ClauseQueries {
    strict: Box<dyn Query>,
    /// What `strict` matches, without its scoring-only clauses.
    matcher: Box<dyn Query>,
    /// The clause's words as weighted field terms, for partial matches.
    flat: Vec<(Term, f32)>,
    /// For each of `flat`: whether it is a spelling of the clause's one word (the word, its
    /// variants, a compound's single-word form), which the partial tier scores as one term
    /// per field, rather than a phrase's word.
    spelled: Vec<bool>,
    /// The stems of the other spellings searched for the clause's one word, if it is one.
    spellings: Vec<String>,
}

/// A term at a position.
pub(super) type PositionedTerm = (usize, String);

/// One word or phrase of the query as the index's analyzers see it: (position, term) pairs
/// for the stemmed fields and for the exact fields.
pub(super) struct AtomTerms {
    pub(super) stemmed: Vec<(usize, String)>,
    pub(super) exact: Vec<(usize, String)>,
}

impl AtomTerms {
    pub(super) fn is_empty(&self) -> bool {
        self.stemmed.is_empty() && self.exact.is_empty()
    }

    fn all_stopwords(&self) -> bool {
        self.exact.iter().all(|(_, t)| is_stopword(t))
    }
}

/// The most a compound alternative's weight is raised to match the IDF of the word typed.
const MAX_COMPOUND_RATIO: f32 = 2.0;

/// The summed BM25 IDF of some stemmed terms in `field` (what a phrase of them or the word
/// weighs, before term frequencies).
fn idf_of(
    stats: &CachedStatistics<'_>,
    field: tantivy::schema::Field,
    terms: &[(usize, String)],
) -> Result<f32> {
    let docs = stats.total_num_docs()?.max(1) as f32;
    let mut idf = 0.0;
    for (_, term) in terms {
        let df = stats.doc_freq(&Term::from_field_text(field, term))? as f32;
        idf += super::bm25::idf(docs, df);
    }
    Ok(idf)
}

/// The term of a text that analyzes to exactly one term.
pub(super) fn single_term(analyzer: &mut TextAnalyzer, text: &str) -> Option<String> {
    let mut terms = terms_of(analyzer, text);
    match (terms.pop(), terms.is_empty()) {
        (Some((_, term)), true) => Some(term),
        _ => None,
    }
}

fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push((token.position, token.text.clone()));
    }
    terms
}

/// The analyzers of the query, taken from the index so that the query is analyzed exactly as
/// the fields were.
struct QueryAnalyzers {
    stemmed: TextAnalyzer,
    exact: TextAnalyzer,
}

impl QueryAnalyzers {
    fn analyze(&mut self, text: &str) -> AtomTerms {
        AtomTerms {
            stemmed: terms_of(&mut self.stemmed, text),
            exact: terms_of(&mut self.exact, text),
        }
    }
}

/// The query for this archive. `searcher` and `stats` are the search's own, so that the
/// lookups made here (variants' and compounds' document frequencies) are the ones the
/// query's weights reuse.
pub(super) fn compile(
    archive: &Archive,
    searcher: &Searcher,
    stats: &CachedStatistics<'_>,
    parsed: &ParsedQuery,
    request: &SearchRequest,
) -> Result<Compiled> {
    let f = *archive.fields();
    let mut analyzers = QueryAnalyzers {
        stemmed: archive.analyzer(f.body)?,
        exact: archive.analyzer(f.body_exact)?,
    };
    let ranking = &request.ranking;
    let mut compiled = Compiled {
        required: Vec::new(),
        matchers: Vec::new(),
        flat_terms: Vec::new(),
        flat_clauses: Vec::new(),
        flat_spelled: Vec::new(),
        soft_coordination: ranking.soft_coordination.unwrap_or(0.0),
        flat_optional_terms: Vec::new(),
        bm25: ranking.bm25,
        optional: Vec::new(),
        excluded: Vec::new(),
        bonus: Vec::new(),
        filters: Vec::new(),
        terms: MatchTerms::default(),
        expansions: BTreeMap::new(),
        unpooled: Vec::new(),
        term_infos: stats.term_infos(),
    };
    let infos = stats.term_infos();
    let variant_map = if request.variants {
        Some(archive.variant_map()?)
    } else {
        None
    };
    // A clause made only of stopwords is optional (or dropped) when the query has other
    // words: "ما هي عاصمة" must not require ما and هي.
    let mut included: Vec<(bool, ClauseQueries, Vec<AtomTerms>)> = Vec::new();
    let clauses: Vec<&query::Clause> = parsed.included().collect();
    let compounds = if let Some(map) = &variant_map {
        compound_alternatives(
            &f,
            searcher,
            stats,
            map,
            &mut analyzers.stemmed,
            &clauses,
            &mut compiled.expansions,
        )?
    } else {
        vec![Vec::new(); clauses.len()]
    };
    for (clause, compounds) in clauses.into_iter().zip(compounds) {
        let mut strict = Vec::new();
        let mut matchers = Vec::new();
        let mut all_stopwords = true;
        let mut clause_terms = Vec::new();
        let mut variant_flat: Vec<(Term, f32)> = Vec::new();
        let mut variant_spelled: Vec<bool> = Vec::new();
        let one_word = clause.alternatives.len() == 1;
        let mut spellings: Vec<String> = Vec::new();
        // The stems of the word's fused or split forms, which are its spellings for the
        // proximity bonus too.
        let mut compound_stems: Vec<String> = Vec::new();
        // A fused or split spelling of the word (with its neighbour) is one alternative for
        // both query positions: a fused word counts for each of the two words it joins, a
        // split one (a phrase) for the word, and each weighs there what the word typed weighs
        // (its IDF), at a variant's weight: the way a compound is written does not change
        // how much it counts. Otherwise a fused word would count twice its own IDF, and a
        // common fused name (عبدالله) outweigh the two words typed.
        let typed_idf = match clause.alternatives.as_slice() {
            [atom] => idf_of(stats, f.body, &analyzers.analyze(atom.text()).stemmed)?,
            _ => 0.0,
        };
        for atom in &compounds {
            let terms = analyzers.analyze(atom.text());
            let Some(parts) = atom_parts(&f, atom, &terms, ranking, Some(&infos)) else {
                continue;
            };
            let own_idf = idf_of(stats, f.body, &terms.stemmed)?;
            let compound_weight = if typed_idf > 0.0 && own_idf > 0.0 {
                ranking.variant_weight * (typed_idf / own_idf).min(MAX_COMPOUND_RATIO)
            } else {
                ranking.variant_weight
            };
            matchers.extend(parts.matcher(None));
            if let Some(q) = parts.query() {
                compound_stems.extend(terms.stemmed.iter().map(|(_, stem)| stem.clone()));
                strict.push(boost(q, compound_weight));
                variant_flat.extend(
                    flat_terms(&f, atom, &terms, ranking)
                        .into_iter()
                        .map(|(t, w)| (t, w * compound_weight)),
                );
                let single = one_word && terms.stemmed.len() == 1;
                variant_spelled.resize(variant_flat.len(), single);
                compiled.terms.add_text(atom.text());
            }
        }
        for atom in &clause.alternatives {
            let terms = analyzers.analyze(atom.text());
            all_stopwords &= terms.all_stopwords();
            let mut variants = Spellings::default();
            if let (Some(map), AtomKind::Word(word), [(_, stem)], false) = (
                &variant_map,
                &atom.kind,
                terms.stemmed.as_slice(),
                terms.all_stopwords(),
            ) {
                let exact = match terms.exact.as_slice() {
                    [(_, exact)] => Some(exact.as_str()),
                    _ => None,
                };
                variants =
                    word_spellings(&f, stats, map, &mut analyzers.stemmed, stem, exact, ranking)?;
                if clause.alternatives.len() == 1 {
                    spellings.clone_from(&variants.stems);
                }
                for variant in &variants.stems {
                    compiled.terms.add_stem(variant);
                }
                for variant in &variants.rarer {
                    compiled
                        .unpooled
                        .push(Term::from_field_text(f.body, variant));
                }
                if !variants.is_empty() {
                    compiled
                        .expansions
                        .entry(word.clone())
                        .or_default()
                        .extend(variants.shown.iter().cloned());
                }
            }
            let Some(parts) = atom_parts(&f, atom, &terms, ranking, Some(&infos)) else {
                clause_terms.push(terms);
                continue;
            };
            if variants.is_empty() {
                matchers.extend(parts.matcher(None));
                strict.extend(parts.query());
            } else {
                // A variant matches like the word itself: in the body, or alone in the
                // title or the lead (which the body holds too), and scores in all three.
                let weighted = variant_terms(&f, atom, &variants, ranking);
                let body = f.body;
                let scored = |(t, w): &(Term, f32)| {
                    boost(scored_term(t.clone(), ranking.bm25, Some(&infos)), *w)
                };
                let (in_body, others): (Vec<_>, Vec<_>) =
                    weighted.iter().partition(|(t, _)| t.field() == body);
                let body_variants = (!in_body.is_empty() && parts.in_body.is_some()).then(|| {
                    in_body
                        .iter()
                        .map(|t| (t.0.clone(), scored(t)))
                        .collect::<Vec<_>>()
                });
                if body_variants.is_some() {
                    matchers.extend(parts.matcher(body_variants.as_deref()));
                    // Spellings the archive lacks in a field (most exact forms in the title,
                    // many stems in the lead) would only be term queries without a scorer.
                    let mut scoring = Vec::with_capacity(others.len());
                    for t in &others {
                        if stats.holds(&t.0)? {
                            scoring.push(scored(t));
                        }
                    }
                    strict.extend(parts.query_with(body_variants, scoring));
                } else {
                    matchers.extend(parts.matcher(None));
                    matchers.extend(weighted.iter().map(&scored));
                    strict.extend(parts.query());
                    strict.push(Box::new(BooleanQuery::new(
                        weighted
                            .iter()
                            .map(|t| (Occur::Should, scored(t)))
                            .collect(),
                    )));
                }
                variant_flat.extend(weighted);
                variant_spelled.resize(variant_flat.len(), one_word);
            }
            clause_terms.push(terms);
        }
        if strict.is_empty() {
            continue;
        }
        // A fused form stands for both words it joins, so in a pair of them it is as close
        // as can be (its two sides at one position); a split form's words stand for the
        // word typed. Either way the article writing the compound the other way earns the
        // pairs of the words typed, at the spellings' weight.
        if clause.alternatives.len() == 1 {
            for stem in compound_stems {
                if !spellings.contains(&stem) {
                    spellings.push(stem);
                }
            }
        }
        let union = |mut queries: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            if queries.len() == 1 {
                queries.pop().expect("one alternative")
            } else {
                Box::new(BooleanQuery::union(queries))
            }
        };
        let mut flat: Vec<(Term, f32)> = Vec::new();
        let mut spelled: Vec<bool> = Vec::new();
        for (atom, terms) in clause.alternatives.iter().zip(&clause_terms) {
            flat.extend(flat_terms(&f, atom, terms, ranking));
            spelled.resize(flat.len(), one_word && terms.stemmed.len() == 1);
        }
        flat.extend(variant_flat);
        spelled.extend(variant_spelled);
        let queries = ClauseQueries {
            strict: union(strict),
            matcher: union(matchers),
            flat,
            spelled,
            spellings,
        };
        included.push((all_stopwords, queries, clause_terms));
    }
    let any_content = included.iter().any(|(stop, _, _)| !stop);
    // The stemmed terms of single-word content clauses, in query order, for the
    // proximity bonus.
    let mut content_words: Vec<SpelledWord> = Vec::new();
    for (stop, queries, clause_terms) in &included {
        if let [terms] = clause_terms.as_slice() {
            if let ([(_, stem)], false) = (terms.stemmed.as_slice(), *stop) {
                let spellings = queries.spellings.iter().filter(|s| *s != stem).cloned();
                content_words.push((stem.clone(), spellings.collect()));
            }
        }
    }
    for (stop, queries, clause_terms) in included {
        let demoted = stop && any_content;
        match (demoted, ranking.stopwords) {
            (true, QueryStopwords::Drop) => continue,
            (true, QueryStopwords::Optional) => {
                compiled.optional.push(queries.strict);
                compiled.flat_optional_terms.extend(queries.flat);
            }
            _ => {
                let clause = compiled.required.len();
                compiled.required.push(queries.strict);
                compiled.matchers.push(queries.matcher);
                compiled
                    .flat_clauses
                    .extend(std::iter::repeat_n(clause, queries.flat.len()));
                compiled.flat_terms.extend(queries.flat);
                compiled.flat_spelled.extend(queries.spelled);
            }
        }
        // Highlight every included word; stopwords only when they are all there is.
        for terms in clause_terms {
            for (_, term) in terms.exact {
                if !any_content || !is_stopword(&term) {
                    compiled.terms.add_term(&term);
                }
            }
        }
    }
    if ranking.proximity_boost > 0.0 {
        compiled.bonus = proximity_clauses(&f, &content_words, ranking);
    }
    for clause in parsed.excluded() {
        for atom in &clause.alternatives {
            let terms = analyzers.analyze(atom.text());
            if let Some(q) = atom_query(&f, atom, &terms, ranking, Some(&infos)) {
                compiled.excluded.push(Box::new(ForwardQuery::excluded(q)));
            }
        }
    }
    if request.since.is_some() || request.until.is_some() {
        let bound = |date: Option<Date>| match date {
            Some(d) => Bound::Included(Term::from_field_date(
                f.date,
                DateTime::from_utc(d.midnight().assume_utc()),
            )),
            None => Bound::Unbounded,
        };
        compiled.filters.push(Box::new(RangeQuery::new(
            bound(request.since),
            bound(request.until),
        )));
    }
    // Several values of a field: any of them.
    for (field, values) in [
        (f.source, &request.sources),
        (f.category, &request.categories),
    ] {
        let mut any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|value| {
                let term = Term::from_field_text(field, value);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, query)
            })
            .collect();
        match any.len() {
            0 => {}
            1 => compiled.filters.push(any.pop().expect("one value").1),
            _ => compiled.filters.push(Box::new(BooleanQuery::new(any))),
        }
    }
    compiled.expansions = shown_as_typed(std::mem::take(&mut compiled.expansions));
    Ok(compiled)
}

/// The expansions keyed by the words as typed without the punctuation typed around them: a
/// question's `المعرض؟` is reported as `المعرض → معارض`, as the word the archive was searched
/// for. (Keys that trim to the same words are merged.)
fn shown_as_typed(expansions: BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let mut shown: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (typed, mut spellings) in expansions {
        let entry = shown
            .entry(without_outer_punctuation(&typed).to_string())
            .or_default();
        entry.append(&mut spellings);
    }
    shown
}

/// `text` from its first word to the end of its last (Unicode word boundaries, which keep a
/// word's diacritics with it), or all of it when it has no word.
fn without_outer_punctuation(text: &str) -> &str {
    let mut words = text.unicode_word_indices();
    let Some((start, first)) = words.next() else {
        return text;
    };
    let end = words
        .next_back()
        .map_or(start + first.len(), |(at, last)| at + last.len());
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::rerank::tests::archive;

    /// The proximity pairs of `query` (each word's stem and its spellings' stems, both
    /// sides), as compiled for `archive`.
    fn pairs(archive: &Archive, query: &str) -> Vec<(String, Vec<String>, String, Vec<String>)> {
        let searcher = archive.searcher();
        let stats = CachedStatistics::new(&searcher);
        let request = SearchRequest::new(query);
        let parsed = crate::search::query::bounded(query).unwrap();
        let compiled = compile(archive, &searcher, &stats, &parsed, &request).unwrap();
        let text = |t: &Term| t.value().as_str().unwrap().to_string();
        let texts = |ts: &[Term]| ts.iter().map(text).collect::<Vec<_>>();
        compiled
            .bonus
            .iter()
            .map(|b| {
                (
                    text(&b.first),
                    texts(&b.first_spellings),
                    text(&b.second),
                    texts(&b.second_spellings),
                )
            })
            .collect()
    }

    #[test]
    fn a_compounds_other_form_is_a_spelling_of_its_words_in_the_proximity_pairs() {
        let archive = archive(&[
            ("fused", "خبر", "نشر الوزير صورة على فيسبوك مساء أمس."),
            ("split", "خبر", "نشرت الوزارة صورة على فيس بوك صباح اليوم."),
        ]);
        // Split as typed: the fused word is a spelling of each of the two words, so it
        // earns their pair (both sides at one position) and each word's pair with صورة.
        let split = pairs(&archive, "صورة فيس بوك");
        let fused = "فيسبوك".to_string();
        assert_eq!(split.len(), 3, "{split:?}");
        for (first, first_spellings, second, second_spellings) in &split {
            assert_eq!(
                first_spellings.contains(&fused),
                first != "صور",
                "{split:?}"
            );
            assert!(second_spellings.contains(&fused), "{second}: {split:?}");
        }
        // Fused as typed: the split form's words are the word's spellings.
        let joined = pairs(&archive, "صورة فيسبوك");
        assert_eq!(joined.len(), 1, "{joined:?}");
        let (_, _, second, second_spellings) = &joined[0];
        assert_eq!(second, "فيسبوك");
        assert_eq!(second_spellings, &["فيس", "بوك"], "{joined:?}");
    }

    #[test]
    fn expansion_keys_leave_out_the_punctuation_typed_around_words() {
        assert_eq!(without_outer_punctuation("المعرض؟"), "المعرض");
        assert_eq!(without_outer_punctuation("«الحكومة»،"), "الحكومة");
        // A word's diacritics and a tatweel inside it stay; so does what is between words.
        assert_eq!(without_outer_punctuation("(مُحمَّدٌ)"), "مُحمَّدٌ");
        assert_eq!(without_outer_punctuation("فيس بوك؟"), "فيس بوك");
        assert_eq!(without_outer_punctuation("؟"), "؟");
        let mut typed = BTreeMap::new();
        typed.insert("معرض".to_string(), vec!["معارض".to_string()]);
        typed.insert("معرض؟".to_string(), vec!["معروض".to_string()]);
        let shown = shown_as_typed(typed);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown["معرض"], ["معارض", "معروض"]);
    }
}
