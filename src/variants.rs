//! Spelling variants: the other spellings of a word that an archive's articles use.
//!
//! Arabic news spells transliterated names and loanwords in several ways: long vowels written
//! or left out (`الميليشيات` / `المليشيات`, `الأميركي` / `الأمريكي`), a foreign g written with
//! غ, ج, ك or ق (`صكر` / `صقر`), hamza on different carriers by regional norm (`ؤ` / `ئ`). A
//! search for one spelling should find the others.
//!
//! ```text
//! index terms (light stems) ──► skeleton ──► VariantMap: skeleton → the indexed terms sharing it
//! query word ──► stem ──► skeleton ──► the other indexed terms with that skeleton = variants
//! ```
//!
//! The [`skeleton`] of a term erases exactly the differences above: it maps غ ج ك ق to one
//! letter and ؤ ئ ء to one, and drops the long vowels ا و ي inside the word (not its first or
//! last letter). Two indexed terms with the same skeleton are variants of each other. The map
//! holds only terms that the archive contains, so a query is expanded into spellings that
//! exist, never into invented ones; it is built from the term dictionary when an index is
//! committed ([`crate::ArchiveWriter::commit`]) and saved beside the index.
//!
//! Short terms are left alone: with three letters or fewer the rules would merge unrelated
//! words (`قال` "said" and `كل` "all"), so a term needs [`MIN_TERM_CHARS`] letters and a
//! skeleton of [`MIN_SKELETON_CHARS`].

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Terms shorter than this (in letters) have no variants.
pub const MIN_TERM_CHARS: usize = 4;
/// Skeletons shorter than this are too ambiguous to group terms by.
pub const MIN_SKELETON_CHARS: usize = 3;

/// At most this many variants of one word are searched: of its [`VariantMap::expansions`],
/// those the most articles use.
pub const MAX_EXPANSIONS: usize = 4;

/// The file beside an index that holds its variant map.
pub const VARIANTS_FILE: &str = "fahras-variants.tsv";

/// A spelling variant used by fewer than one in this many articles that use the word typed is
/// not searched: it would add few articles, and most such "variants" are other words or slips
/// that share a skeleton with a common word (تويتر "Twitter" for التوتر "the tension", غاريث
/// "Gareth" for الكوارث "the disasters"). A word the archive writes rarely keeps all its
/// variants. On the dev collections: arcd nDCG@10 0.816 → 0.817, news-titles 0.862 → 0.863,
/// the rewritten headlines unchanged (docs/evaluation.md).
pub const VARIANT_RARITY: u64 = 10;

/// Of a stem's variants with their document frequencies, the ones `fahras search` adds for a
/// stem in `used` articles: at most [`MAX_EXPANSIONS`], the most used first, none used by fewer
/// than one in [`VARIANT_RARITY`] as many articles as the stem.
///
/// ```
/// use fahras::variants::most_used;
///
/// let found = most_used(100, [("a", 50), ("b", 9), ("c", 10), ("d", 70)]);
/// assert_eq!(found, vec!["d", "a", "c"]);
/// ```
pub fn most_used<'v>(
    used: u64,
    variants: impl IntoIterator<Item = (&'v str, u64)>,
) -> Vec<&'v str> {
    let mut counted: Vec<(std::cmp::Reverse<u64>, &str)> = variants
        .into_iter()
        .filter(|&(_, df)| df * VARIANT_RARITY >= used)
        .map(|(variant, df)| (std::cmp::Reverse(df), variant))
        .collect();
    counted.sort();
    counted.truncate(MAX_EXPANSIONS);
    counted.into_iter().map(|(_, variant)| variant).collect()
}

/// The letter standing for all the letters a word's spelling may use in its place.
fn letter_class(c: char) -> char {
    match c {
        // A foreign g (and the q/k of dialects) is written with any of these.
        '\u{063A}' // ARABIC LETTER GHAIN
        | '\u{062C}' // ARABIC LETTER JEEM
        | '\u{0643}' // ARABIC LETTER KAF
        | '\u{0642}' // ARABIC LETTER QAF
        => '\u{0643}',
        // Hamza's carrier follows regional norms (مسؤول / مسئول).
        '\u{0624}' // ARABIC LETTER WAW WITH HAMZA ABOVE
        | '\u{0626}' // ARABIC LETTER YEH WITH HAMZA ABOVE
        | '\u{0621}' // ARABIC LETTER HAMZA
        => '\u{0621}',
        c => c,
    }
}

/// The skeleton of a normalized term, or `None` when the term is too short or not all Arabic
/// letters (numbers and Latin words have no spelling variants of these kinds).
///
/// ```
/// use fahras::variants::skeleton;
///
/// assert_eq!(skeleton("مليشيات"), skeleton("ميليشيات"));
/// assert_eq!(skeleton("امريكي"), skeleton("اميركي"));
/// assert_eq!(skeleton("صقور"), skeleton("صكور"));
/// assert_ne!(skeleton("صقور"), skeleton("صدور"));
/// assert_eq!(skeleton("قال"), None);
/// ```
pub fn skeleton(term: &str) -> Option<String> {
    let letters = term.chars().count();
    if letters < MIN_TERM_CHARS {
        return None;
    }
    let mut out = String::with_capacity(term.len());
    let mut kept = 0;
    for (i, c) in term.chars().enumerate() {
        let c = match letter_class(c) {
            // Long vowels inside a transliterated word are written or left out.
            '\u{0627}' // ARABIC LETTER ALEF
            | '\u{0648}' // ARABIC LETTER WAW
            | '\u{064A}' // ARABIC LETTER YEH
                if i > 0 && i + 1 < letters =>
            {
                continue
            }
            c if ('\u{0621}'..='\u{064A}').contains(&c) => c,
            _ => return None,
        };
        out.push(c);
        kept += 1;
    }
    (kept >= MIN_SKELETON_CHARS).then_some(out)
}

/// How many long vowels must be added or dropped to turn one term into the other once the
/// letter classes are merged: 0 for `صقر` / `صكر`, 1 for `مليشي` / `ميليشي`, 2 for `امريك` /
/// `اميرك` (a vowel moved). Meant for terms with the same skeleton.
///
/// ```
/// use fahras::variants::vowel_edits;
///
/// assert_eq!(vowel_edits("صقور", "صكور"), 0);
/// assert_eq!(vowel_edits("مليشي", "ميليشي"), 1);
/// assert_eq!(vowel_edits("امريك", "اميرك"), 2);
/// ```
pub fn vowel_edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(letter_class).collect();
    let b: Vec<char> = b.chars().map(letter_class).collect();
    // Longest common subsequence; the rest of each side are the vowels to drop or add.
    let mut row = vec![0usize; b.len() + 1];
    for &x in &a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    a.len() + b.len() - 2 * row[b.len()]
}

/// The indexed terms grouped by skeleton.
///
/// ```
/// use fahras::variants::VariantMap;
///
/// let map = VariantMap::from_terms(["امريك", "اميرك", "مدرس", "صقور", "صكور"]);
/// assert_eq!(map.variants("امريك"), vec!["اميرك"]);
/// assert_eq!(map.variants("صغور"), vec!["صقور", "صكور"]); // a spelling the index lacks
/// assert!(map.variants("مدرس").is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct VariantMap {
    /// One group a line, sorted by skeleton: `skeleton\tterm\tterm…\n`, UTF-8. Looked up by
    /// binary search, so that loading the map from its file costs one read and no parsing
    /// (a `fahras search` process opens it for a single query); only the lines a lookup
    /// visits are decoded.
    lines: Vec<u8>,
    /// Where each line starts, found at the first lookup (one pass over the bytes): a
    /// search looks up every word of the query, and finding line ends at each step of each
    /// binary search cost a microsecond and a half a word.
    starts: OnceLock<Vec<usize>>,
}

impl PartialEq for VariantMap {
    fn eq(&self, other: &VariantMap) -> bool {
        self.lines == other.lines
    }
}

/// A variant map as a Solr synonyms file ([`VariantMap::solr_synonyms`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolrSynonyms {
    /// The file's text: a comment header, then one rule a line.
    pub text: String,
    /// How many rules (stems with variants) it holds.
    pub rules: usize,
}

/// Builds a [`VariantMap`] one term at a time, as a term dictionary is streamed: a term
/// without a skeleton costs no allocation.
#[derive(Debug, Default)]
pub struct VariantMapBuilder {
    groups: HashMap<String, Vec<String>>,
}

impl VariantMapBuilder {
    /// Adds a term (repeats allowed); terms without a skeleton are left out.
    pub fn add(&mut self, term: &str) {
        if let Some(key) = skeleton(term) {
            self.groups.entry(key).or_default().push(term.to_string());
        }
    }

    /// The map of the terms added.
    pub fn build(self) -> VariantMap {
        let mut keys: Vec<(String, Vec<String>)> = self
            .groups
            .into_iter()
            .map(|(key, mut terms)| {
                terms.sort();
                terms.dedup();
                (key, terms)
            })
            .collect();
        keys.sort();
        let mut lines = String::new();
        for (key, terms) in &keys {
            lines.push_str(key);
            for term in terms {
                lines.push('\t');
                lines.push_str(term);
            }
            lines.push('\n');
        }
        VariantMap {
            lines: lines.into_bytes(),
            starts: OnceLock::new(),
        }
    }
}

impl VariantMap {
    /// Groups terms (in any order, repeats allowed) by skeleton. A group of one is kept: a
    /// query may spell the word in a way the archive does not.
    pub fn from_terms<S: AsRef<str>>(terms: impl IntoIterator<Item = S>) -> VariantMap {
        let mut builder = VariantMapBuilder::default();
        for term in terms {
            builder.add(term.as_ref());
        }
        builder.build()
    }

    /// The line of a skeleton, without the key: the terms separated by tabs.
    fn group(&self, key: &str) -> Option<&str> {
        let bytes = self.lines.as_slice();
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    bytes
                        .iter()
                        .enumerate()
                        .filter(|&(i, &b)| b == b'\n' && i + 1 < bytes.len())
                        .map(|(i, _)| i + 1),
                )
                .filter(|_| !bytes.is_empty())
                .collect()
        });
        let line = |i: usize| -> Option<&str> {
            let start = starts[i];
            let end = starts.get(i + 1).map_or(bytes.len(), |&s| s);
            // A line that is not UTF-8 (a damaged file) ends the search: no variants.
            std::str::from_utf8(&bytes[start..end]).ok()
        };
        let (mut lo, mut hi) = (0, starts.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let text = line(mid)?.trim_end_matches('\n');
            let (line_key, terms) = text.split_once('\t').unwrap_or((text, ""));
            match line_key.cmp(key) {
                std::cmp::Ordering::Equal => return Some(terms),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    /// The indexed terms that spell `term` differently (never `term` itself), sorted.
    pub fn variants(&self, term: &str) -> Vec<&str> {
        let Some(key) = skeleton(term) else {
            return Vec::new();
        };
        match self.group(&key) {
            Some(terms) => terms.split('\t').filter(|t| *t != term).collect(),
            None => Vec::new(),
        }
    }

    /// Whether the archive's stemmed text holds `term`, as far as the map can tell: `None`
    /// for a term without a skeleton (the map leaves it out), else whether its group has it.
    /// An in-memory lookup, for ruling out candidates (compound parts, respelled forms)
    /// before the term dictionary of every segment is asked; the map is of the last commit,
    /// as the variants it gives are.
    ///
    /// ```
    /// use fahras::variants::VariantMap;
    ///
    /// let map = VariantMap::from_terms(["امريك", "مدرس"]);
    /// assert_eq!(map.holds("مدرس"), Some(true));
    /// assert_eq!(map.holds("مدرسه"), Some(false));
    /// assert_eq!(map.holds("قال"), None); // too short to have a skeleton
    /// ```
    pub fn holds(&self, term: &str) -> Option<bool> {
        let key = skeleton(term)?;
        Some(
            self.group(&key)
                .is_some_and(|terms| terms.split('\t').any(|t| t == term)),
        )
    }

    /// The variants of a stem worth searching for it, closest first: those of
    /// [`VariantMap::variants`] that differ from it by letter classes and at most one long
    /// vowel added or dropped ([`vowel_edits`]; two for stems of five letters or more, where
    /// a moved vowel is common: `امريك` / `اميرك`). A skeleton alone
    /// also joins words that differ by several vowels, which are mostly different words
    /// (`ابواب` "doors" and `ابيب`).
    ///
    /// ```
    /// use fahras::variants::VariantMap;
    ///
    /// let map = VariantMap::from_terms(["ابواب", "ابيب", "امريك", "اميرك", "صقور", "صكور"]);
    /// assert_eq!(map.expansions("امريك"), vec!["اميرك"]);
    /// assert_eq!(map.expansions("صقور"), vec!["صكور"]);
    /// assert!(map.expansions("ابواب").is_empty()); // two vowels apart: another word
    /// ```
    pub fn expansions(&self, stem: &str) -> Vec<&str> {
        let allowed = if stem.chars().count() >= 5 { 2 } else { 1 };
        let mut found: Vec<(usize, &str)> = self
            .variants(stem)
            .into_iter()
            .map(|v| (vowel_edits(stem, v), v))
            .filter(|(edits, _)| *edits <= allowed)
            .collect();
        found.sort();
        found.into_iter().map(|(_, v)| v).collect()
    }

    /// Every term of the map, group by group (sorted by skeleton, then term).
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.lines
            .split(|&b| b == b'\n')
            .filter_map(|line| std::str::from_utf8(line).ok())
            .flat_map(|line| line.split('\t').skip(1))
    }

    /// The map as a Solr-format synonyms file for OpenSearch's `synonym_graph` filter: for
    /// each term of the archive that has variants worth searching, one explicit mapping
    /// `stem => stem, variant, …` holding the variants that `fahras search` adds for it (of
    /// [`VariantMap::expansions`], the [`MAX_EXPANSIONS`] the most articles use, none used by
    /// fewer than one in [`VARIANT_RARITY`] as many articles as the stem). `doc_freq` tells in
    /// how many articles a stem occurs; `source` names the archive in the file's header. The
    /// rules are light stems, for a filter placed after `fahras_stem` (docs/opensearch.md).
    ///
    /// ```
    /// use fahras::variants::VariantMap;
    ///
    /// let map = VariantMap::from_terms(["امريك", "اميرك", "مدرس"]);
    /// let synonyms = map.solr_synonyms(|_| Ok(5), "an archive").unwrap();
    /// assert_eq!(synonyms.rules, 2);
    /// assert!(synonyms.text.lines().any(|l| l == "امريك => امريك, اميرك"));
    /// assert!(synonyms.text.lines().any(|l| l == "اميرك => اميرك, امريك"));
    /// ```
    pub fn solr_synonyms(
        &self,
        mut doc_freq: impl FnMut(&str) -> Result<u64>,
        source: &str,
    ) -> Result<SolrSynonyms> {
        use std::fmt::Write as _;
        let mut text = format!(
            "# Spelling variants of {source}, written by `fahras variants --export` \
             (analyzer version {}).\n# Solr format, light stems: for a synonym_graph filter \
             after fahras_stem in a search analyzer (docs/opensearch.md).\n",
            crate::analysis::ANALYZER_VERSION
        );
        let mut rules = 0;
        for stem in self.terms() {
            let expansions = self.expansions(stem);
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
            let chosen = most_used(used, counted);
            if chosen.is_empty() {
                continue;
            }
            let _ = write!(text, "{stem} => {stem}");
            for variant in chosen {
                let _ = write!(text, ", {variant}");
            }
            text.push('\n');
            rules += 1;
        }
        Ok(SolrSynonyms { text, rules })
    }

    /// How many groups (skeletons) there are.
    pub fn len(&self) -> usize {
        self.lines.iter().filter(|&&b| b == b'\n').count()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Writes the map: one group a line, its skeleton then its terms, separated by tabs.
    /// Written to a temporary file and renamed, so a reader sees the old map or the new one,
    /// never half of one.
    pub fn save(&self, path: &Path) -> Result<()> {
        // One temporary file per process: a search process may save a map while an indexing
        // one does (see `Archive::variant_map`).
        let tmp = path.with_extension(format!("tsv.{}.tmp", std::process::id()));
        let mut file = std::fs::File::create(&tmp).map_err(Error::io(&tmp))?;
        file.write_all(&self.lines)
            .and_then(|()| file.sync_all())
            .map_err(Error::io(&tmp))?;
        std::fs::rename(&tmp, path).map_err(Error::io(path))
    }

    /// Reads a map written by [`VariantMap::save`]. The file is not parsed: a damaged one
    /// gives fewer variants, never an error or a wrong term (every term found is checked to be
    /// UTF-8, and `fahras index --rebuild` writes a new one).
    pub fn load(path: &Path) -> Result<VariantMap> {
        let mut lines = std::fs::read(path).map_err(Error::io(path))?;
        if lines.last().is_some_and(|&b| b != b'\n') {
            // A torn last line (cannot happen with `save`'s rename) is dropped.
            let keep = lines.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            lines.truncate(keep);
        }
        Ok(VariantMap {
            lines,
            starts: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_erases_the_variant_classes_and_nothing_else() {
        // Long vowels inside the word.
        assert_eq!(skeleton("ميليشي"), skeleton("مليشي"));
        assert_eq!(skeleton("بريطاني"), skeleton("بريطني"));
        // g / q / k / j.
        assert_eq!(skeleton("غوغل"), skeleton("جوجل"));
        assert_eq!(skeleton("كونغرس"), skeleton("كونجرس"));
        // Hamza carriers.
        assert_eq!(skeleton("مسؤول"), skeleton("مسئول"));
        // First and last letters are kept: a word-initial alef or final yeh is not a
        // transliteration vowel.
        assert_ne!(skeleton("امريك"), skeleton("مريك"));
        assert_ne!(skeleton("عربي"), skeleton("عرب"));
        // Other letters still tell words apart.
        assert_ne!(skeleton("مدرسه"), skeleton("مدرسي"));
        assert_ne!(skeleton("صقور"), skeleton("صخور"));
    }

    #[test]
    fn short_and_non_arabic_terms_have_no_skeleton() {
        assert_eq!(skeleton("قال"), None);
        assert_eq!(skeleton("كل"), None);
        // Four letters, but two are inner vowels: the skeleton would be two letters.
        assert_eq!(skeleton("قيول"), None);
        assert_eq!(skeleton("2024"), None);
        assert_eq!(skeleton("google"), None);
        assert_eq!(skeleton(""), None);
    }

    #[test]
    fn map_groups_only_terms_that_share_a_skeleton() {
        let map = VariantMap::from_terms(["مليشي", "ميليشي", "مسؤول", "مسئول", "مدرس", "كتاب"]);
        assert_eq!(map.len(), 4);
        assert_eq!(map.variants("مليشي"), vec!["ميليشي"]);
        assert_eq!(map.variants("مسئول"), vec!["مسؤول"]);
        assert!(map.variants("مدرس").is_empty());
        assert!(map.variants("قال").is_empty());
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VARIANTS_FILE);
        let map = VariantMap::from_terms(["مليشي", "ميليشي", "مسؤول", "مسئول"]);
        map.save(&path).unwrap();
        assert_eq!(VariantMap::load(&path).unwrap(), map);
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "only the map itself");
    }

    #[test]
    fn a_torn_file_loses_its_last_line_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VARIANTS_FILE);
        let map = VariantMap::from_terms(["مليشي", "ميليشي", "مسؤول", "مسئول"]);
        map.save(&path).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&path, bytes).unwrap();
        let loaded = VariantMap::load(&path).unwrap();
        assert_eq!(loaded.len(), 1);
        // The skeleton of مسؤول sorts first (hamza before the other letters); it survives.
        assert_eq!(loaded.variants("مسئول"), vec!["مسؤول"]);
        assert!(loaded.variants("مليشي").is_empty());
    }
}
