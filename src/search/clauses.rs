//! From one word or phrase of a query to its tantivy clauses: the fields it searches with
//! their weights ([`targets`]), its matching and scoring clauses ([`AtomParts`]), its words as
//! flat weighted terms for the partial tier, and the proximity bonus between words.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use std::sync::Arc;

use super::bm25::{Bm25Params, Bm25TermQuery};
use super::compile::{AtomTerms, PositionedTerm};
use super::forward::ForwardQuery;
use super::partial::Bonus;
use super::query::{Atom, FieldScope};
use super::request::{ProximityPairs, Ranking};
use super::stats::TermInfos;
use super::union::{ScoringUnionQuery, SpellingsUnionQuery};
use crate::index::Fields;

/// A query word's stem and the stems of its other spellings that the search adds.
pub(super) type SpelledWord = (String, Vec<String>);

/// Proximity bonus clauses: each pair of consecutive content words as a sloppy phrase in
/// the stemmed body. The body field holds the title too, so a pair close together in the
/// title gets the bonus there; a second bonus on the title field measured the same on
/// both dev collections and cost each search a dozen more phrase scorers.
///
/// Each word comes with the stems of its other spellings that the search adds: an article
/// writing a word another way earns the bonus as one writing it as typed does
/// ([`super::proximity`]).
pub(super) fn proximity_clauses(
    fields: &Fields,
    words: &[SpelledWord],
    ranking: &Ranking,
) -> Vec<Bonus> {
    let body = fields.body;
    let mut clauses = Vec::new();
    let mut pairs: Vec<(&SpelledWord, &SpelledWord)> = Vec::new();
    match ranking.proximity_pairs {
        ProximityPairs::Consecutive => {
            pairs.extend(words.windows(2).map(|pair| (&pair[0], &pair[1])));
        }
        ProximityPairs::All | ProximityPairs::AllScaled => {
            for (i, a) in words.iter().enumerate() {
                for b in &words[i + 1..] {
                    if !pairs.contains(&(a, b)) {
                        pairs.push((a, b));
                    }
                }
            }
        }
    }
    let scale = match ranking.proximity_pairs {
        ProximityPairs::AllScaled if words.len() > 2 => 2.0 / words.len() as f32,
        _ => 1.0,
    };
    let spellings = |stems: &[String]| -> Vec<Term> {
        stems
            .iter()
            .map(|stem| Term::from_field_text(body, stem))
            .collect()
    };
    for ((a, a_spellings), (b, b_spellings)) in pairs {
        if a == b {
            continue;
        }
        clauses.push(Bonus {
            first: Term::from_field_text(body, a),
            second: Term::from_field_text(body, b),
            first_spellings: spellings(a_spellings),
            second_spellings: spellings(b_spellings),
            spelling_weight: ranking.variant_weight,
            slop: ranking.proximity_slop,
            weight: ranking.proximity_boost * scale,
        });
    }
    clauses
}

/// (field, its terms, weight) for every field an atom searches.
pub(super) fn targets<'t>(
    fields: &Fields,
    atom: &Atom,
    terms: &'t AtomTerms,
    ranking: &Ranking,
) -> Vec<(Field, &'t [PositionedTerm], f32)> {
    let f = fields;
    let mut targets: Vec<(Field, &[PositionedTerm], f32)> = Vec::with_capacity(5);
    if matches!(atom.scope, FieldScope::All | FieldScope::Title) {
        targets.push((f.title, &terms.stemmed, ranking.title_boost));
        targets.push((
            f.title_exact,
            &terms.exact,
            ranking.title_boost * ranking.exact_boost,
        ));
    }
    if matches!(atom.scope, FieldScope::All | FieldScope::Body) {
        targets.push((f.body, &terms.stemmed, 1.0));
        targets.push((f.body_exact, &terms.exact, ranking.exact_boost));
        targets.push((f.lead, &terms.stemmed, ranking.lead_boost));
    }
    targets
}

/// An atom's words as weighted field terms (its relaxed form, flattened).
pub(super) fn flat_terms(
    fields: &Fields,
    atom: &Atom,
    terms: &AtomTerms,
    ranking: &Ranking,
) -> Vec<(Term, f32)> {
    let mut flat = Vec::new();
    for (field, field_terms, weight) in targets(fields, atom, terms, ranking) {
        if weight > 0.0 {
            for (_, term) in field_terms {
                flat.push((Term::from_field_text(field, term), weight));
            }
        }
    }
    flat
}

/// The query for one word or phrase, or `None` when it has no searchable token.
///
/// A phrase must match as a phrase in the stemmed title or body; its words also score in
/// the exact-form fields and the lead, which keep no positions.
pub(super) fn atom_query(
    fields: &Fields,
    atom: &Atom,
    terms: &AtomTerms,
    ranking: &Ranking,
    infos: Option<&Arc<TermInfos>>,
) -> Option<Box<dyn Query>> {
    atom_parts(fields, atom, terms, ranking, infos)?.query()
}

/// The clauses of [`atom_query`], before they are put together. `infos` are the search's
/// term infos ([`TermInfos`]), when it keeps them.
pub(super) fn atom_parts(
    fields: &Fields,
    atom: &Atom,
    terms: &AtomTerms,
    ranking: &Ranking,
    infos: Option<&Arc<TermInfos>>,
) -> Option<AtomParts> {
    if terms.is_empty() {
        return None;
    }
    let f = fields;
    let targets = targets(fields, atom, terms, ranking);
    let mut parts = AtomParts {
        in_body: None,
        matching: Vec::new(),
        scoring: Vec::new(),
        infos: infos.cloned(),
    };
    for (field, field_terms, weight) in targets {
        if weight <= 0.0 {
            continue;
        }
        let positions = field == f.title || field == f.body;
        let query: Box<dyn Query> = match field_terms {
            [] => continue,
            [(_, term)] => boost(term_query(field, term, ranking, infos), weight),
            _ if positions => {
                let phrase = PhraseQuery::new_with_offset(
                    field_terms
                        .iter()
                        .map(|(position, term)| (*position, Term::from_field_text(field, term)))
                        .collect(),
                );
                boost(Box::new(ForwardQuery::scored(Box::new(phrase))), weight)
            }
            _ => {
                let words = BooleanQuery::new(
                    field_terms
                        .iter()
                        .map(|(_, term)| (Occur::Should, term_query(field, term, ranking, infos)))
                        .collect(),
                );
                parts.scoring.push(boost(Box::new(words), weight));
                continue;
            }
        };
        // Only a single word: a phrase query required straight inside the conjunction of
        // the query's words trips tantivy 0.27's phrase scorer (`seek_danger` called
        // behind its current document, a debug assertion), so a phrase keeps to the union.
        if let ([(_, term)], true) = (field_terms, field == f.body) {
            parts.in_body = Some((Term::from_field_text(field, term), query));
        } else {
            parts.matching.push(query);
        }
    }
    Some(parts)
}

/// The clauses of one word or phrase of a query, by what they do.
pub(super) struct AtomParts {
    /// The word in the stemmed body (its term and query), when searched there (not for a
    /// phrase).
    pub(super) in_body: Option<(Term, Box<dyn Query>)>,
    /// The other fields where the word (phrase) itself is searched.
    matching: Vec<Box<dyn Query>>,
    /// The words of a phrase in fields without positions: they only add to the score.
    scoring: Vec<Box<dyn Query>>,
    /// The search's term infos, for the union of the body clause and its spellings.
    infos: Option<Arc<TermInfos>>,
}

impl AtomParts {
    /// What the query of [`AtomParts::query_with`] matches, without the clauses that only add
    /// to the score: the body clause (or one of `body_variants`), else one of the matching
    /// clauses.
    pub(super) fn matcher(
        &self,
        body_variants: Option<&[(Term, Box<dyn Query>)]>,
    ) -> Option<Box<dyn Query>> {
        if let (Some(body), Some(variants)) = (&self.in_body, body_variants) {
            let spellings = std::iter::once(body)
                .chain(variants)
                .map(|(t, q)| (t.clone(), q.box_clone()))
                .collect();
            return Some(Box::new(SpellingsUnionQuery::new(
                spellings,
                self.infos.clone(),
            )));
        }
        let alternatives: Vec<Box<dyn Query>> = match &self.in_body {
            Some((_, body)) => vec![body.box_clone()],
            None => self.matching.iter().map(|q| q.box_clone()).collect(),
        };
        match alternatives.len() {
            0 => None,
            1 => alternatives.into_iter().next(),
            _ => Some(Box::new(BooleanQuery::union(alternatives))),
        }
    }

    /// The query: an article must match the word in the stemmed body, or without a body
    /// clause in one of the matching fields; the other clauses add to its score.
    ///
    /// The body field indexes the title with the body, with the analyzer of the title field,
    /// and the exact-form fields and the lead hold the same text unstemmed or cut: an article
    /// matching the word in any field matches it in the stemmed body. So the body match alone
    /// decides, a conjunction of plain term queries over a query's words, which tantivy
    /// intersects far faster than unions of five fields; the scores are the same sums.
    pub(super) fn query(self) -> Option<Box<dyn Query>> {
        self.query_with(None, Vec::new())
    }

    /// [`AtomParts::query`] with spelling variants: `body_variants` may match instead of the
    /// body clause, `other_variants` add to the score.
    pub(super) fn query_with(
        self,
        body_variants: Option<Vec<(Term, Box<dyn Query>)>>,
        other_variants: Vec<Box<dyn Query>>,
    ) -> Option<Box<dyn Query>> {
        let should = |list: Vec<Box<dyn Query>>| list.into_iter().map(|q| (Occur::Should, q));
        let required: Box<dyn Query> = match (self.in_body, body_variants) {
            (Some((_, body)), None) => body,
            (Some(body), Some(mut variants)) => {
                // One of the word's spellings: as tantivy's union of them, each list moved
                // only to the document the intersection asks about.
                variants.insert(0, body);
                Box::new(SpellingsUnionQuery::new(variants, self.infos.clone()))
            }
            (None, _) if self.matching.is_empty() => return None,
            (None, _) => {
                let matching: Box<dyn Query> =
                    Box::new(BooleanQuery::new(should(self.matching).collect()));
                let scoring: Vec<Box<dyn Query>> =
                    self.scoring.into_iter().chain(other_variants).collect();
                return Some(with_scoring(matching, scoring));
            }
        };
        let scoring: Vec<Box<dyn Query>> = self
            .matching
            .into_iter()
            .chain(self.scoring)
            .chain(other_variants)
            .collect();
        Some(with_scoring(required, scoring))
    }
}

/// `required`, with `scoring` adding to its score: the clauses that only score as one union
/// asked about the articles `required` matches ([`ScoringUnionQuery`]), which scores as
/// tantivy's union of them would.
fn with_scoring(required: Box<dyn Query>, scoring: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if scoring.is_empty() {
        return required;
    }
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, required),
        (Occur::Should, Box::new(ScoringUnionQuery::new(scoring))),
    ]))
}

pub(super) fn term_query(
    field: Field,
    text: &str,
    ranking: &Ranking,
    infos: Option<&Arc<TermInfos>>,
) -> Box<dyn Query> {
    scored_term(Term::from_field_text(field, text), ranking.bm25, infos)
}

/// A term query scored by tantivy's BM25, or by ours with other parameters. Ours opens its
/// posting lists with the term infos that the search's statistics found (`infos`), without
/// a second term-dictionary lookup in every segment: a search with spelling variants opens
/// dozens of term scorers.
pub(super) fn scored_term(
    term: Term,
    bm25: Option<Bm25Params>,
    infos: Option<&Arc<TermInfos>>,
) -> Box<dyn Query> {
    match (bm25, infos) {
        (None, _) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        (Some(params), None) => Box::new(Bm25TermQuery::new(term, params)),
        (Some(params), Some(infos)) => {
            Box::new(Bm25TermQuery::new(term, params).with_term_infos(Arc::clone(infos)))
        }
    }
}

pub(super) fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}
