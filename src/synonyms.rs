//! An archive's spelling variants as a Solr-format synonyms file, for a search-time
//! `synonym_graph` filter after `fahras_stem` on an OpenSearch cluster (`fahras variants
//! --export`, docs/opensearch.md).
//!
//! ```text
//! variant map ─► a stem's variants (skeleton groups)      ─┐
//!             ─► word forms one long vowel apart, as stems ─┴─► Rules ─► SolrSynonyms (text)
//! ```
//!
//! Each rule is what `fahras search` adds for a query word ([`crate::search`]'s expansion),
//! written in light stems, as the filter sees the query after `fahras_stem`:
//!
//! - **Variants**: `امريك => امريك, اميرك`, of [`VariantMap::expansions`] those
//!   [`variants::most_used`] keeps.
//! - **Word forms whose stems differ** ([`VariantMap::form_partners`]): `ترليون` and
//!   `تريليون` are one long vowel apart, but their stems `ترل` and `تريل` share no skeleton;
//!   the rule `ترل => ترل, تريل` joins the stems. A search relates the forms, a synonyms
//!   file can only relate the stems, so every word with the stem gets the partner's.
//!
//! Compounds written fused or split (`عبدالله` / `عبد الله`), which a search also adds, are
//! left out: a rule can only add the other way of writing at the weight of the word, as a
//! phrase whose IDF is the sum of its two words', and measured on the large variant dev set
//! that cost the headlines as written as much as it gave the rewritten ones
//! (docs/opensearch.md, "Spelling variants on the cluster").

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use tantivy::Term;

use crate::analysis::LightStemmer;
use crate::error::Result;
use crate::index::Archive;
use crate::variants::{self, VariantMap, MAX_EXPANSIONS};

/// A synonyms file ([`Rules::to_solr`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolrSynonyms {
    /// The file's text: a comment header, then one rule a line.
    pub text: String,
    /// How many rules it holds.
    pub rules: usize,
}

/// Synonym rules: for each input stem, what is searched besides it, in the order added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rules {
    rules: BTreeMap<String, Vec<String>>,
}

impl Rules {
    /// Adds `output` to the rule of `input` (nothing when it is the input or already there).
    pub fn add(&mut self, input: &str, output: &str) {
        if input == output {
            return;
        }
        let outputs = self.rules.entry(input.to_string()).or_default();
        if !outputs.iter().any(|o| o == output) {
            outputs.push(output.to_string());
        }
    }

    /// What the rule of `input` adds.
    pub fn outputs(&self, input: &str) -> &[String] {
        self.rules.get(input).map_or(&[], Vec::as_slice)
    }

    /// The variants of every stem of the map (see the module docs); `doc_freq` tells in how
    /// many articles a stem occurs.
    ///
    /// ```
    /// use fahras::synonyms::Rules;
    /// use fahras::variants::VariantMap;
    ///
    /// let map = VariantMap::from_terms(["امريك", "اميرك", "مدرس"]);
    /// let mut rules = Rules::default();
    /// rules.add_variants(&map, |_| Ok(5)).unwrap();
    /// assert_eq!(rules.outputs("امريك"), ["اميرك"]);
    /// assert_eq!(rules.outputs("اميرك"), ["امريك"]);
    /// assert!(rules.outputs("مدرس").is_empty());
    /// ```
    pub fn add_variants(
        &mut self,
        map: &VariantMap,
        mut doc_freq: impl FnMut(&str) -> Result<u64>,
    ) -> Result<()> {
        for stem in map.terms() {
            let expansions = map.expansions(stem);
            if expansions.is_empty() {
                continue;
            }
            let used = doc_freq(stem)?;
            let mut counted = Vec::with_capacity(expansions.len());
            for variant in expansions {
                let df = doc_freq(variant)?;
                if df > 0 {
                    counted.push((variant, df));
                }
            }
            for variant in variants::most_used(used, counted) {
                self.add(stem, variant);
            }
        }
        Ok(())
    }

    /// The stems of the word forms the map relates ([`VariantMap::form_relations`]): the stem
    /// of a form gets its partners' stems, at most [`MAX_EXPANSIONS`] of them beyond what it
    /// has. `stem` gives a form's stem, as the archive's stemmed fields do.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use fahras::synonyms::Rules;
    /// use fahras::variants::{FormPairs, VariantMapBuilder};
    ///
    /// let mut builder = VariantMapBuilder::default();
    /// builder.add_counted("تريل", 40);
    /// builder.add_counted("ترل", 30);
    /// let mut forms = FormPairs::default();
    /// forms.add("تريليون".as_bytes());
    /// forms.add("ترليون".as_bytes());
    /// let stem = |form: &str| Some(Cow::Owned(form.trim_end_matches("يون").to_string()));
    /// let map = builder.build().with_form_partners(forms.pairs(), |f| stem(f));
    /// let mut rules = Rules::default();
    /// rules.add_forms(&map, stem);
    /// assert_eq!(rules.outputs("ترل"), ["تريل"]);
    /// assert_eq!(rules.outputs("تريل"), ["ترل"]);
    /// ```
    pub fn add_forms<'m>(
        &mut self,
        map: &'m VariantMap,
        mut stem: impl FnMut(&'m str) -> Option<Cow<'m, str>>,
    ) {
        let mut added: FxHashMap<String, usize> = FxHashMap::default();
        for (form, partners) in map.form_relations() {
            let Some(own) = stem(form) else { continue };
            for (_, partner_stem) in partners {
                let count = added.entry(own.to_string()).or_default();
                if *count < MAX_EXPANSIONS
                    && own != partner_stem
                    && !self.outputs(&own).iter().any(|o| o == partner_stem)
                {
                    self.add(&own, partner_stem);
                    *count += 1;
                }
            }
        }
    }

    /// How many rules there are.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules as a Solr synonyms file, one explicit mapping a line (`input => input,
    /// output, …`: the input is searched too); `source` names the archive in the header.
    ///
    /// ```
    /// use fahras::synonyms::Rules;
    ///
    /// let mut rules = Rules::default();
    /// rules.add("ترل", "تريل");
    /// rules.add("ترل", "ترل"); // the input itself: it is searched anyway
    /// let file = rules.to_solr("an archive");
    /// assert_eq!(file.rules, 1);
    /// assert!(file.text.lines().any(|l| l == "ترل => ترل, تريل"));
    /// ```
    pub fn to_solr(&self, source: &str) -> SolrSynonyms {
        self.solr(
            source,
            "light stems: for a synonym_graph filter after fahras_stem",
        )
    }

    fn solr(&self, source: &str, stems: &str) -> SolrSynonyms {
        use std::fmt::Write as _;
        let mut text = format!(
            "# Spelling variants of {source}, written by `fahras variants --export` \
             (analyzer version {}).\n# Solr format, {stems} in a search analyzer \
             (docs/opensearch.md).\n",
            crate::analysis::ANALYZER_VERSION
        );
        for (input, outputs) in &self.rules {
            let _ = write!(text, "{input} => {input}");
            for output in outputs {
                let _ = write!(text, ", {output}");
            }
            text.push('\n');
        }
        SolrSynonyms {
            text,
            rules: self.rules.len(),
        }
    }
}

/// The synonyms of an archive: its stems' variants and its word forms' stems (see the module
/// docs), as `fahras search` would add them for a query word.
pub fn archive_synonyms(archive: &Archive, source: &str) -> Result<SolrSynonyms> {
    let map = archive.variant_map()?;
    let searcher = archive.searcher();
    let body = archive.fields().body;
    let mut rules = Rules::default();
    rules.add_variants(&map, |stem| {
        Ok(searcher.doc_freq(&Term::from_field_text(body, stem))?)
    })?;
    // A form's stem as the stemmed fields give it (an exact-form term is one normalized word).
    let mut analyzer = archive.analyzer(body)?;
    rules.add_forms(&map, |form| {
        let mut stream = analyzer.token_stream(form);
        let stem = stream.next().map(|token| Cow::Owned(token.text.clone()));
        stem.filter(|_| stream.next().is_none())
    });
    Ok(rules.to_solr(source))
}

/// The synonyms of an archive for an analyzer whose stems leave at least `min_stem_chars`
/// letters instead of the archive's three: the OpenSearch plugin's `fahras_lean` (4). The same
/// rules as [`archive_synonyms`], of the variant map the archive would have with those stems
/// ([`Archive::build_variant_map_with`]), so that a search analyzer whose `fahras_stem` has
/// that `min_stem_chars` finds every rule.
pub fn archive_synonyms_with_stems(
    archive: &Archive,
    source: &str,
    min_stem_chars: usize,
) -> Result<SolrSynonyms> {
    let stemmer = LightStemmer::with_min_stem_chars(min_stem_chars);
    let map = archive.build_variant_map_with(stemmer)?;
    let mut rules = Rules::default();
    rules.add_variants(&map, |stem| Ok(map.doc_freq(stem).unwrap_or(0)))?;
    rules.add_forms(&map, |form| Some(Cow::Borrowed(stemmer.stem(form))));
    let stems = format!(
        "light stems of at least {} letters: for a synonym_graph filter after fahras_stem with \
         min_stem_chars {}",
        stemmer.min_stem_chars(),
        stemmer.min_stem_chars()
    );
    Ok(rules.solr(source, &stems))
}
