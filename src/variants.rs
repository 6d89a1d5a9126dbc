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

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

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

/// Whether two terms have the same [`skeleton`] (and have one).
fn same_skeleton(a: &str, b: &str) -> bool {
    skeleton(a).is_some_and(|x| skeleton(b).is_some_and(|y| x == y))
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
    /// One group a line, sorted by skeleton: `skeleton\tterm\tterm…\n`, UTF-8, each term
    /// followed by ` ` and its document frequency in a map built from an index
    /// ([`VariantMapBuilder::add_counted`]; see [`VariantMap::doc_freq`]). Looked up by
    /// binary search, so that loading the map from its file costs one read and no parsing
    /// (a `fahras search` process opens it for a single query); only the lines a lookup
    /// visits are decoded.
    lines: Vec<u8>,
    /// Where each line starts, found at the first lookup (one pass over the bytes): a
    /// search looks up every word of the query, and finding line ends at each step of each
    /// binary search cost a microsecond and a half a word.
    index: OnceLock<LineIndex>,
}

/// Where a map's lines start, and the first bytes of every [`LineIndex::BLOCK`]th line's
/// key. A lookup searches those prefixes (a few kilobytes, that stay in cache), then the
/// one block of neighbouring lines they point to: a binary search over all the lines read a
/// new cache line at each of its 16 steps, 2–5 µs a lookup on a busy host, and a search
/// makes dozens.
#[derive(Debug, Clone, Default)]
struct LineIndex {
    starts: Vec<usize>,
    prefixes: Vec<u128>,
    /// Whether the lines hold document frequencies (all of them do, or none).
    counted: bool,
    /// Whether the map relates word forms as written ([`FORM_KEY`] lines).
    forms: bool,
}

impl LineIndex {
    const BLOCK: usize = 32;

    fn new(bytes: &[u8]) -> LineIndex {
        // memchr finds the line ends many bytes at a time: a byte-by-byte pass over a map
        // of 3 MB was half of a one-query `fahras search` process's instructions.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(
                memchr::memchr_iter(b'\n', bytes)
                    .filter(|&i| i + 1 < bytes.len())
                    .map(|i| i + 1),
            )
            .filter(|_| !bytes.is_empty())
            .collect();
        let mut index = LineIndex {
            starts,
            prefixes: Vec::new(),
            counted: false,
            forms: false,
        };
        index.prefixes = (0..index.starts.len())
            .step_by(Self::BLOCK)
            .map(|i| key_prefix(index.line(bytes, i).0))
            .collect();
        // The form lines hold no counts: the first line of another kind tells.
        index.counted = (0..index.starts.len())
            .map(|i| index.line(bytes, i))
            .find(|(key, _)| key.first() != Some(&(FORM_KEY as u8)))
            .and_then(|(_, terms)| terms)
            .is_some_and(|terms| terms.split(|&b| b == b'\t').all(|t| t.contains(&b' ')));
        index.forms = index.find(bytes, FORM_KEY.to_string().as_bytes()).is_some();
        index
    }

    /// Line `i`'s key and its terms (after the tab, when there are any).
    fn line<'b>(&self, bytes: &'b [u8], i: usize) -> (&'b [u8], Option<&'b [u8]>) {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(bytes.len(), |&s| s);
        let line = bytes[start..end]
            .strip_suffix(b"\n")
            .unwrap_or(&bytes[start..end]);
        match line.iter().position(|&b| b == b'\t') {
            Some(tab) => (&line[..tab], Some(&line[tab + 1..])),
            None => (line, None),
        }
    }

    /// The terms of the line whose key is `key`.
    fn find<'b>(&self, bytes: &'b [u8], key: &[u8]) -> Option<&'b [u8]> {
        // Keys are compared as bytes (UTF-8 sorts as its code points do). A prefix sorts as
        // its key does, ties aside: the key is in the blocks from the last one that starts
        // below its prefix up to the first that starts above it.
        let prefix = key_prefix(key);
        let first = self.prefixes.partition_point(|&p| p < prefix);
        let last = self.prefixes.partition_point(|&p| p <= prefix);
        let (mut lo, mut hi) = (
            first.saturating_sub(1) * Self::BLOCK,
            (last * Self::BLOCK).min(self.starts.len()),
        );
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (line_key, terms) = self.line(bytes, mid);
            match line_key.cmp(key) {
                std::cmp::Ordering::Equal => return Some(terms.unwrap_or_default()),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }
}

/// A key's first 16 bytes as a number that sorts as they do (shorter keys padded with zeros).
fn key_prefix(key: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let n = key.len().min(16);
    bytes[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(bytes)
}

impl PartialEq for VariantMap {
    fn eq(&self, other: &VariantMap) -> bool {
        self.lines == other.lines
    }
}

/// Builds a [`VariantMap`] one term at a time, as a term dictionary is streamed: a term
/// without a skeleton costs no allocation.
#[derive(Debug)]
pub struct VariantMapBuilder {
    groups: HashMap<String, Vec<(String, u64)>>,
    /// Whether every term came with its document frequency.
    counted: bool,
}

impl Default for VariantMapBuilder {
    fn default() -> VariantMapBuilder {
        VariantMapBuilder {
            groups: HashMap::new(),
            counted: true,
        }
    }
}

impl VariantMapBuilder {
    /// Room for about `terms` terms (those of the dictionaries to be streamed), so that the
    /// groups' table is not grown and rehashed as they come.
    pub fn with_capacity(terms: usize) -> VariantMapBuilder {
        let mut builder = VariantMapBuilder::default();
        builder.groups.reserve(terms / 2);
        builder
    }

    /// Adds a term (repeats allowed); terms without a skeleton are left out. A map with a
    /// term added this way keeps no document frequencies.
    pub fn add(&mut self, term: &str) {
        self.counted = false;
        if let Some(key) = skeleton(term) {
            self.groups
                .entry(key)
                .or_default()
                .push((term.to_string(), 0));
        }
    }

    /// Adds a term with the number of documents it occurs in, as a segment's term
    /// dictionary tells it: the counts of a term added more than once (once per segment) are
    /// summed, so that the map answers [`VariantMap::doc_freq`] as the index's statistics do.
    /// Terms of Arabic letters too short for a skeleton are kept too, for their counts only
    /// (see [`SHORT_KEY`]).
    pub fn add_counted(&mut self, term: &str, doc_freq: u64) {
        if let Some(key) = skeleton(term).or_else(|| short_key(term)) {
            self.groups
                .entry(key)
                .or_default()
                .push((term.to_string(), doc_freq));
        }
    }

    /// The map of the terms added.
    pub fn build(self) -> VariantMap {
        use std::fmt::Write as _;
        let mut keys: Vec<(String, Vec<(String, u64)>)> = self
            .groups
            .into_iter()
            .map(|(key, mut terms)| {
                terms.sort();
                let mut merged: Vec<(String, u64)> = Vec::with_capacity(terms.len());
                for (term, df) in terms {
                    match merged.last_mut() {
                        Some((last, sum)) if *last == term => *sum += df,
                        _ => merged.push((term, df)),
                    }
                }
                (key, merged)
            })
            .collect();
        keys.sort();
        let mut lines = String::new();
        for (key, terms) in &keys {
            lines.push_str(key);
            for (term, df) in terms {
                lines.push('\t');
                lines.push_str(term);
                if self.counted {
                    let _ = write!(lines, " {df}");
                }
            }
            lines.push('\n');
        }
        VariantMap {
            lines: lines.into_bytes(),
            index: OnceLock::new(),
        }
    }
}

/// The first letter of the keys under which a counted map keeps the terms of three letters
/// or more that have no skeleton (`=كتب\tكتب 120`), alone: the parts of a compound and the
/// perfect of an imperfect verb are often such terms, and a search asks how much each is
/// used. No skeleton has this letter, and the map's variants, terms and groups leave these
/// lines out.
pub const SHORT_KEY: char = '=';

/// The key of a term without a skeleton that a counted map keeps ([`SHORT_KEY`]).
fn short_key(term: &str) -> Option<String> {
    (skeleton(term).is_none()
        && term.chars().count() >= MIN_SKELETON_CHARS
        && term.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)))
    .then(|| format!("{SHORT_KEY}{term}"))
}

/// The first letter of the keys of a map's word-form lines (`~ترليون\tتريليون تريل`): the
/// other forms as written, one long vowel apart, that the archive has for a word form, each
/// with its stem. No skeleton has this letter. A map that has these lines has the line `~`
/// too, even when no form has a partner; a map without it (saved before maps related forms)
/// leaves the forms to [`crate::search`]'s few guesses.
pub const FORM_KEY: char = '~';

/// The long vowels in UTF-8: ARABIC LETTER ALEF, WAW and YEH.
const VOWEL_BYTES: [[u8; 2]; 3] = [[0xD8, 0xA7], [0xD9, 0x88], [0xD9, 0x8A]];

/// Whether `bytes` are letters of U+0621..U+064A only (two bytes each in UTF-8), at least
/// [`MIN_TERM_CHARS`] of them: the words that have skeletons.
fn arabic_letters(bytes: &[u8]) -> bool {
    bytes.len() >= 2 * MIN_TERM_CHARS
        && bytes.len().is_multiple_of(2)
        && bytes
            .chunks_exact(2)
            .all(|c| matches!((c[0], c[1]), (0xD8, 0xA1..=0xBF) | (0xD9, 0x80..=0x8A)))
}

/// The word forms as written of an archive (its exact-form body terms), collected to find the
/// pairs one inner long vowel apart: `ترليون` / `تريليون`, `جرمان` / `جيرمان`, `رايان` /
/// `ريان`. Two spellings of a name whose stems differ are related through their forms: the
/// stemmer cuts `ترليون` to `ترل` (three letters: no skeleton, so the map's groups cannot
/// hold it) and `تريليون` to `تريل`. Built at every commit with the map, so it is cheap: the
/// forms are kept as bytes in one buffer, found by a hash of their bytes, and a pair is found
/// by dropping each inner vowel of the longer form and looking the rest up: no allocation per
/// form, and no pass over pairs that are not there.
///
/// ```
/// use fahras::variants::FormPairs;
///
/// let mut forms = FormPairs::default();
/// for form in ["تريليون", "ترليون", "مدرسه", "قال"] {
///     forms.add(form.as_bytes());
/// }
/// assert_eq!(forms.pairs().collect::<Vec<_>>(), vec![("ترليون", "تريليون")]);
/// ```
#[derive(Debug, Default)]
pub struct FormPairs {
    /// The forms' bytes, one after the other.
    bytes: Vec<u8>,
    /// Where each form is in `bytes`.
    forms: Vec<(u32, u32)>,
    /// Form by the hash of its bytes. Two forms with the same hash (never seen among the
    /// hundreds of thousands of an archive) keep the first: the second finds no pairs.
    by_hash: FxHashMap<u64, u32>,
}

fn hash(bytes: &[u8]) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(bytes)
}

impl FormPairs {
    /// Room for `forms` forms (the terms of the dictionaries to be streamed), so that the
    /// table is not grown and rehashed as they come.
    pub fn with_capacity(forms: usize) -> FormPairs {
        let mut pairs = FormPairs::default();
        pairs.by_hash.reserve(forms);
        pairs.forms.reserve(forms);
        pairs.bytes.reserve(forms * 12);
        pairs
    }

    /// Adds a normalized word form, as a term dictionary streams it (repeats allowed: every
    /// segment has its own dictionary). Forms that are not all Arabic letters, or shorter than
    /// [`MIN_TERM_CHARS`], are left out.
    pub fn add(&mut self, form: &[u8]) {
        if !arabic_letters(form) {
            return;
        }
        let hash = hash(form);
        if let std::collections::hash_map::Entry::Vacant(slot) = self.by_hash.entry(hash) {
            let start = self.bytes.len() as u32;
            self.bytes.extend_from_slice(form);
            slot.insert(self.forms.len() as u32);
            self.forms.push((start, self.bytes.len() as u32));
        }
    }

    fn form(&self, i: u32) -> &[u8] {
        let (start, end) = self.forms[i as usize];
        &self.bytes[start as usize..end as usize]
    }

    /// Every pair of forms added that are one long vowel apart, inside the word (not its first
    /// or last letter), their other letters the same and in the same order: the shorter form
    /// first. Each pair once.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let mut without = Vec::new();
        (0..self.forms.len() as u32).flat_map(move |i| {
            let longer = self.form(i);
            let letters = longer.len() / 2;
            let mut found = Vec::new();
            // The shorter form keeps MIN_TERM_CHARS letters.
            if letters > MIN_TERM_CHARS {
                for at in 1..letters - 1 {
                    let letter = &longer[2 * at..2 * at + 2];
                    // A doubled vowel gives the same shorter form twice: the first only.
                    if !VOWEL_BYTES.iter().any(|v| v == letter)
                        || longer[2 * at - 2..2 * at] == *letter
                    {
                        continue;
                    }
                    without.clear();
                    without.extend_from_slice(&longer[..2 * at]);
                    without.extend_from_slice(&longer[2 * at + 2..]);
                    let Some(&j) = self.by_hash.get(&hash(&without)) else {
                        continue;
                    };
                    let shorter = self.form(j);
                    if shorter == &without[..] {
                        // Both all Arabic letters: UTF-8.
                        if let (Ok(s), Ok(l)) =
                            (std::str::from_utf8(shorter), std::str::from_utf8(longer))
                        {
                            found.push((s, l));
                        }
                    }
                }
            }
            found
        })
    }
}

/// The term of an item of a group line (`term` or `term df`), its count left unparsed.
fn entry_term(item: &str) -> &str {
    item.split_once(' ').map_or(item, |(term, _)| term)
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
        let index = self.index.get_or_init(|| LineIndex::new(bytes));
        // Only the line found is decoded: checking every line visited was 4% of a search's
        // time. A line that is not UTF-8 (a damaged file) gives no variants.
        std::str::from_utf8(index.find(bytes, key.as_bytes())?).ok()
    }

    /// The indexed terms that spell `term` differently (never `term` itself), sorted.
    pub fn variants(&self, term: &str) -> Vec<&str> {
        let Some(key) = skeleton(term) else {
            return Vec::new();
        };
        match self.group(&key) {
            Some(terms) => terms
                .split('\t')
                .map(entry_term)
                .filter(|t| *t != term)
                .collect(),
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
                .is_some_and(|terms| terms.split('\t').any(|t| entry_term(t) == term)),
        )
    }

    /// In how many articles the archive's stemmed body held `term` when the map was built
    /// (the sum of its segments' document frequencies, deleted articles included, as the
    /// index's BM25 statistics count): `Some(0)` for a term the map lacks (as for
    /// [`VariantMap::holds`]), `None` for a term that is not all Arabic letters, one too
    /// short even for [`SHORT_KEY`], or any term of a map that keeps no counts (one saved
    /// before maps did). One in-memory lookup where the term dictionary of every segment would be
    /// asked: a search weighs dozens of candidate spellings and compound parts, most of
    /// which it does not search. Like the variants, the counts are of the last commit.
    ///
    /// ```
    /// use fahras::variants::VariantMapBuilder;
    ///
    /// let mut builder = VariantMapBuilder::default();
    /// builder.add_counted("امريك", 3); // one segment
    /// builder.add_counted("امريك", 2); // another
    /// builder.add_counted("اميرك", 1);
    /// let map = builder.build();
    /// assert_eq!(map.doc_freq("امريك"), Some(5));
    /// assert_eq!(map.doc_freq("امرك"), Some(0));
    /// assert_eq!(map.doc_freq("قال"), Some(0)); // kept apart: no skeleton, but counted
    /// assert_eq!(map.doc_freq("2024"), None); // not Arabic letters: the map cannot tell
    /// ```
    pub fn doc_freq(&self, term: &str) -> Option<u64> {
        let key = match skeleton(term) {
            Some(key) => key,
            None => {
                let key = short_key(term)?;
                let bytes = self.lines.as_slice();
                if !self.index.get_or_init(|| LineIndex::new(bytes)).counted {
                    return None;
                }
                key
            }
        };
        // Bytes, not text: a search asks for dozens of counts, and decoding each line and
        // parsing every count on it cost more than the lookup (a group line can hold dozens
        // of terms). The term is matched as bytes, and only its own count is parsed.
        let bytes = self.lines.as_slice();
        let index = self.index.get_or_init(|| LineIndex::new(bytes));
        let Some(terms) = index.find(bytes, key.as_bytes()) else {
            return Some(0);
        };
        let term = term.as_bytes();
        for item in terms.split(|&b| b == b'\t') {
            if let Some(rest) = item.strip_prefix(term) {
                match rest.split_first() {
                    None => return None, // a map without counts
                    Some((b' ', df)) => {
                        return std::str::from_utf8(df).ok()?.parse().ok();
                    }
                    Some(_) => {}
                }
            }
        }
        Some(0)
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

    /// The map with the word forms related ([`FORM_KEY`]): of the `pairs` of forms one long
    /// vowel apart ([`FormPairs::pairs`]), those whose stems (`stem` tells them) the map's
    /// groups cannot relate: stems that differ and do not share a skeleton (`ترل` has none,
    /// `جاست` and `جاستن` have two). Each form keeps, of its partners, those whose stems at
    /// least one in [`VARIANT_RARITY`] as many articles use as its own (the rule a search
    /// applies to every variant), at most [`MAX_EXPANSIONS`], the most used first: a search
    /// then needs one lookup where it tried a handful of guessed forms against the index.
    /// The pairs the groups relate are left out, and most forms have no partner, so the map
    /// grows little (it is read by every process that searches).
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use fahras::variants::{FormPairs, VariantMapBuilder};
    ///
    /// let mut builder = VariantMapBuilder::default();
    /// builder.add_counted("تريل", 40);
    /// builder.add_counted("ترل", 3); // three letters: no skeleton
    /// let mut forms = FormPairs::default();
    /// forms.add("تريليون".as_bytes());
    /// forms.add("ترليون".as_bytes());
    /// let stem = |form| Some(Cow::Borrowed(str::trim_end_matches(form, "يون")));
    /// let map = builder.build().with_form_partners(forms.pairs(), stem);
    /// assert_eq!(map.form_partners("ترليون"), Some(vec![("تريليون", "تريل")]));
    /// assert_eq!(map.form_partners("تريليون"), Some(vec![])); // a tenth as used: left out
    /// ```
    pub fn with_form_partners<'f>(
        mut self,
        pairs: impl IntoIterator<Item = (&'f str, &'f str)>,
        mut stem: impl FnMut(&'f str) -> Option<Cow<'f, str>>,
    ) -> VariantMap {
        use std::fmt::Write as _;
        // Of each form, its partners with their stems and the stems' counts.
        type Partners<'p> = Vec<(u64, &'p str, String)>;
        let mut partners: FxHashMap<&str, Partners> = FxHashMap::default();
        let mut decided: FxHashMap<(u64, u64), Option<(u64, u64)>> = FxHashMap::default();
        for (shorter, longer) in pairs {
            // The cheap questions first: tens of thousands of pairs, most of them of stems
            // that are the same or that share a skeleton.
            let (Some(s1), Some(s2)) = (stem(shorter), stem(longer)) else {
                continue;
            };
            if s1 == s2 {
                continue;
            }
            // The same two stems come back with every affix (الدخل / الداخل, والدخل /
            // والداخل, …): decided once per pair of stems, by their hashes.
            let key = (hash(s1.as_bytes()), hash(s2.as_bytes()));
            let counts = *decided.entry(key).or_insert_with(|| {
                (!same_skeleton(&s1, &s2)).then(|| {
                    (
                        self.doc_freq(&s1).unwrap_or(0),
                        self.doc_freq(&s2).unwrap_or(0),
                    )
                })
            });
            let Some((df1, df2)) = counts else {
                continue;
            };
            if df2 > 0 && df2 * VARIANT_RARITY >= df1 {
                partners
                    .entry(shorter)
                    .or_default()
                    .push((df2, longer, s2.to_string()));
            }
            if df1 > 0 && df1 * VARIANT_RARITY >= df2 {
                partners
                    .entry(longer)
                    .or_default()
                    .push((df1, shorter, s1.into_owned()));
            }
        }
        let mut keys: Vec<(&str, Partners)> = partners.into_iter().collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut lines = String::from(FORM_KEY);
        lines.push('\n');
        for (form, mut found) in keys {
            found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            lines.push(FORM_KEY);
            lines.push_str(form);
            for (_, partner, stem) in found.iter().take(MAX_EXPANSIONS) {
                let _ = write!(lines, "\t{partner} {stem}");
            }
            lines.push('\n');
        }
        // Keys sort as bytes: the short terms' `=` lines, then these, then the skeletons.
        let at = self
            .lines
            .split_inclusive(|&b| b == b'\n')
            .take_while(|line| line.first() == Some(&(SHORT_KEY as u8)))
            .map(<[u8]>::len)
            .sum::<usize>();
        self.lines.splice(at..at, lines.into_bytes());
        self.index = OnceLock::new();
        self
    }

    /// The other forms as written, one long vowel apart, that the archive has for the
    /// normalized word `form`, each with its stem, the most used first (see
    /// [`VariantMap::with_form_partners`]): empty for a form without any, or that the archive
    /// lacks; `None` when the map does not relate forms (one saved before maps did).
    pub fn form_partners(&self, form: &str) -> Option<Vec<(&str, &str)>> {
        let bytes = self.lines.as_slice();
        if !self.index.get_or_init(|| LineIndex::new(bytes)).forms {
            return None;
        }
        let mut key = String::with_capacity(form.len() + 1);
        key.push(FORM_KEY);
        key.push_str(form);
        Some(match self.group(&key) {
            Some(line) if !line.is_empty() => line
                .split('\t')
                .filter_map(|item| item.split_once(' '))
                .collect(),
            _ => Vec::new(),
        })
    }

    /// Every term of the map, group by group (sorted by skeleton, then term).
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.lines
            .split(|&b| b == b'\n')
            .filter(|line| {
                line.first()
                    .is_none_or(|&b| b != SHORT_KEY as u8 && b != FORM_KEY as u8)
            })
            .filter_map(|line| std::str::from_utf8(line).ok())
            .flat_map(|line| line.split('\t').skip(1).map(entry_term))
    }

    /// Every word form the map relates ([`VariantMap::with_form_partners`]) with its
    /// partners as written and their stems, the most used first; in the order of the forms.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use fahras::variants::{FormPairs, VariantMapBuilder};
    ///
    /// let mut builder = VariantMapBuilder::default();
    /// builder.add_counted("تريل", 40);
    /// builder.add_counted("ترل", 30);
    /// let mut forms = FormPairs::default();
    /// forms.add("تريليون".as_bytes());
    /// forms.add("ترليون".as_bytes());
    /// let stem = |form| Some(Cow::Borrowed(str::trim_end_matches(form, "يون")));
    /// let map = builder.build().with_form_partners(forms.pairs(), stem);
    /// let related: Vec<_> = map.form_relations().collect();
    /// assert_eq!(related, [("ترليون", vec![("تريليون", "تريل")]), ("تريليون", vec![("ترليون", "ترل")])]);
    /// ```
    pub fn form_relations(&self) -> impl Iterator<Item = (&str, Vec<(&str, &str)>)> {
        self.lines
            .split(|&b| b == b'\n')
            .filter_map(|line| line.strip_prefix(&[FORM_KEY as u8]))
            .filter_map(|line| std::str::from_utf8(line).ok())
            .filter_map(|line| {
                let (form, partners) = line.split_once('\t')?;
                Some((
                    form,
                    partners
                        .split('\t')
                        .filter_map(|item| item.split_once(' '))
                        .collect(),
                ))
            })
    }

    /// How many groups (skeletons) there are.
    pub fn len(&self) -> usize {
        self.lines
            .split(|&b| b == b'\n')
            .filter(|line| {
                !line.is_empty() && line[0] != SHORT_KEY as u8 && line[0] != FORM_KEY as u8
            })
            .count()
    }

    /// Whether the map has no groups.
    pub fn is_empty(&self) -> bool {
        self.terms().next().is_none()
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
            index: OnceLock::new(),
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

    #[test]
    fn a_counted_map_tells_document_frequencies_as_the_segments_sum_them() {
        let mut builder = VariantMapBuilder::default();
        for (term, df) in [
            ("مليشي", 4),
            ("ميليشي", 1),
            ("مليشي", 2), // a second segment
            ("كتب", 7),   // no skeleton: kept for its count
            ("2024", 3),  // not Arabic letters: left out
        ] {
            builder.add_counted(term, df);
        }
        let map = builder.build();
        assert_eq!(map.doc_freq("مليشي"), Some(6));
        assert_eq!(map.doc_freq("ميليشي"), Some(1));
        assert_eq!(
            map.doc_freq("ملايشي"),
            Some(0),
            "same skeleton, not in the archive"
        );
        assert_eq!(map.doc_freq("مدرسه"), Some(0), "no such group");
        assert_eq!(map.doc_freq("كتب"), Some(7));
        assert_eq!(map.doc_freq("قال"), Some(0));
        assert_eq!(map.doc_freq("2024"), None);
        // The short terms are no group and no variant of anything.
        assert_eq!(map.len(), 1);
        assert_eq!(map.terms().collect::<Vec<_>>(), vec!["مليشي", "ميليشي"]);
        assert_eq!(map.variants("مليشي"), vec!["ميليشي"]);
        assert_eq!(map.holds("ميليشي"), Some(true));
        // Saved and loaded, it tells the same.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VARIANTS_FILE);
        map.save(&path).unwrap();
        let loaded = VariantMap::load(&path).unwrap();
        assert_eq!(loaded.doc_freq("مليشي"), Some(6));
        assert_eq!(loaded.doc_freq("كتب"), Some(7));
    }

    #[test]
    fn a_map_without_counts_leaves_them_to_the_index() {
        // As a map saved before maps kept counts: the terms, no frequencies.
        let map = VariantMap::from_terms(["مليشي", "ميليشي"]);
        assert_eq!(map.doc_freq("مليشي"), None);
        assert_eq!(map.doc_freq("كتب"), None);
        assert_eq!(
            map.doc_freq("مدرسه"),
            Some(0),
            "the map still knows what it lacks"
        );
        assert_eq!(map.variants("مليشي"), vec!["ميليشي"]);
    }

    #[test]
    fn every_group_of_a_large_map_is_found() {
        // Many lines (dozens of index blocks), keys sharing their first 16 bytes and more
        // (eight Arabic letters), keys that are prefixes of others.
        let letters: Vec<char> = ('\u{0628}'..='\u{063A}').collect();
        let mut terms = Vec::new();
        for (i, a) in letters.iter().enumerate() {
            for b in &letters {
                terms.push(format!("ببببببببب{a}{b}"));
                terms.push(format!("{a}{b}ت{}", letters[i % 5]));
                terms.push(format!("{a}{b}سسس"));
            }
        }
        let mut builder = VariantMapBuilder::default();
        for (i, term) in terms.iter().enumerate() {
            builder.add_counted(term, i as u64 + 1);
        }
        let map = builder.build();
        assert!(map.len() > 20 * LineIndex::BLOCK, "{}", map.len());
        for (i, term) in terms.iter().enumerate() {
            assert_eq!(map.doc_freq(term), Some(i as u64 + 1), "{term}");
            assert_eq!(map.holds(term), Some(true), "{term}");
        }
        assert_eq!(map.holds("ببببببببببثثث"), Some(false));
        assert_eq!(map.holds("فففف"), Some(false), "after the last key");
        assert_eq!(map.holds("ءءءء"), Some(false), "before the first key");
    }

    #[test]
    fn form_pairs_are_one_inner_long_vowel_apart() {
        let mut forms = FormPairs::default();
        for form in [
            "تريليون",
            "ترليون",
            "ترليون", // a second segment
            "جيرمان",
            "جرمان",
            "جورمان",
            "اسلام", // the first letter is no inner vowel: not سلام's
            "سلام",
            "مدرسه",
            "مدرسيه", // ي is not before the last letter here, still inside: a pair
            "كووبر",  // a doubled vowel: one pair, not two
            "كوبر",
            "فوز", // three letters: no skeleton, left out
            "google",
        ] {
            forms.add(form.as_bytes());
        }
        let mut pairs: Vec<(&str, &str)> = forms.pairs().collect();
        pairs.sort();
        assert_eq!(
            pairs,
            vec![
                ("ترليون", "تريليون"),
                ("جرمان", "جورمان"),
                ("جرمان", "جيرمان"),
                ("كوبر", "كووبر"),
                ("مدرسه", "مدرسيه"),
            ]
        );
    }

    #[test]
    fn the_map_relates_only_forms_whose_stems_its_groups_cannot() {
        let mut builder = VariantMapBuilder::default();
        for (stem, df) in [
            ("تريل", 50),
            ("ترل", 20),
            ("مليشي", 30),
            ("ميليشي", 30),
            ("نادر", 30),
            ("ندر", 1),
        ] {
            builder.add_counted(stem, df);
        }
        let mut forms = FormPairs::default();
        for form in [
            "تريليون",
            "ترليون",
            "مليشيات",
            "ميليشيات",
            "نادرون",
            "ندرون",
        ] {
            forms.add(form.as_bytes());
        }
        // A stand-in stemmer: the endings these test forms have.
        let stem = |form| {
            let stem = ["يون", "ون", "ات"]
                .iter()
                .find_map(|end| str::strip_suffix(form, end))
                .unwrap_or(form);
            Some(Cow::Borrowed(stem))
        };
        let map = builder.build().with_form_partners(forms.pairs(), stem);
        // ترل has no skeleton: only the forms relate the two spellings, both ways.
        assert_eq!(map.form_partners("ترليون"), Some(vec![("تريليون", "تريل")]));
        assert_eq!(map.form_partners("تريليون"), Some(vec![("ترليون", "ترل")]));
        // مليشي / ميليشي share a skeleton: the groups relate them, the forms leave them out.
        assert_eq!(map.form_partners("مليشيات"), Some(vec![]));
        // A partner far rarer than the form's own stem is left out; the other way it stays.
        assert_eq!(map.form_partners("ندرون"), Some(vec![("نادرون", "نادر")]));
        assert_eq!(map.form_partners("نادرون"), Some(vec![]));
        // A form the archive lacks has none.
        assert_eq!(map.form_partners("تراليون"), Some(vec![]));
        // Forms are no groups, terms or variants, and the counts are as before.
        assert_eq!(map.len(), 3);
        assert!(!map.terms().any(|t| t.contains("ون")));
        assert_eq!(map.doc_freq("تريل"), Some(50));
        assert_eq!(map.doc_freq("ترل"), Some(20));
        // Saved and loaded, the same; a map without form lines leaves the forms to the caller.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(VARIANTS_FILE);
        map.save(&path).unwrap();
        let loaded = VariantMap::load(&path).unwrap();
        assert_eq!(
            loaded.form_partners("ترليون"),
            Some(vec![("تريليون", "تريل")])
        );
        assert_eq!(
            VariantMap::from_terms(["تريل"]).form_partners("ترليون"),
            None
        );
    }

    #[test]
    fn a_map_with_form_lines_and_no_short_terms_is_still_counted() {
        let mut builder = VariantMapBuilder::default();
        builder.add_counted("مليشي", 4);
        let map = builder
            .build()
            .with_form_partners(std::iter::empty(), |_| None);
        assert_eq!(map.doc_freq("مليشي"), Some(4));
        assert_eq!(map.form_partners("مليشيات"), Some(vec![]));
        assert!(!map.is_empty());
        assert!(VariantMapBuilder::default()
            .build()
            .with_form_partners(std::iter::empty(), |_| None)
            .is_empty());
    }
}
