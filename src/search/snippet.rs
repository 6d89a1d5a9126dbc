//! Snippets: the excerpt of an article body shown under a search result, with the words the
//! search matched highlighted as the article wrote them.
//!
//! tantivy has a `SnippetGenerator`, but it measures its budget in bytes: an Arabic letter is two
//! bytes in UTF-8, so Arabic snippets come out half as long as Latin ones. This module measures
//! in characters, and matches words the way our analyzers do (normalized form or light stem),
//! without needing an index. Data flows like this:
//!
//! ```text
//! query words ──► MatchTerms::add_text ──► { normalized terms, light stems }
//!                                                       │ matches(term)?
//! body ──► ArabicTokenizer ──► tokens (normalized term, offsets into the body) ──► marked tokens
//!                                                                                      │
//!      best window of ≤ max_chars characters (most distinct matched words) ◄───────────┘
//!                     │ widened to word / sentence boundaries, left context first
//!                     ▼
//!      whitespace collapsed, "…" where the body was cut ──► Snippet { text, highlights }
//! ```
//!
//! Because the tokenizer's offsets point into the ORIGINAL body, the highlights cover the words
//! exactly as written: `الحُكومَة` with its diacritics is highlighted for the query `الحكومه`.
//! Lengths are measured on the excerpt as it will be shown (runs of whitespace count as one
//! character), so the budget is spent on visible text.
//!
//! ```
//! use fahras::search::snippet::{make_snippet, MatchTerms};
//!
//! let mut terms = MatchTerms::default();
//! terms.add_text("الحكومه");
//! let snippet = make_snippet("أعلنت الحُكومَة\nخطتها الجديدة", &terms, 200);
//! assert_eq!(snippet.text, "أعلنت الحُكومَة خطتها الجديدة");
//! assert_eq!(snippet.highlighted("«", "»"), "أعلنت «الحُكومَة» خطتها الجديدة");
//! ```

use rustc_hash::{FxHashMap, FxHashSet};

use serde::Serialize;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::analysis::{normalize, ArabicTokenizer, LightStemmer};

/// Marks where the excerpt cuts the body. One character, counted outside the budget.
const ELLIPSIS: &str = "…";

/// The light stem of a normalized term.
fn stem(normalized: &str) -> &str {
    LightStemmer::default().stem(normalized)
}

/// The words a search matched, as the analyzers see them.
///
/// A body word matches when its normalized form is one of [`MatchTerms::exact`] or its light
/// stem is one of [`MatchTerms::stems`], so a query word highlights its other spellings
/// (hamza, ة/ه, ى/ي, diacritics) and its other light-stemmed forms (`والمعلمون` → `المعلمين`).
///
/// ```
/// use fahras::search::snippet::MatchTerms;
///
/// let mut terms = MatchTerms::default();
/// terms.add_text("والمعلمون");
/// assert!(terms.matches("المعلمين"));
/// assert!(!terms.matches("المدارس"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct MatchTerms {
    /// Normalized terms.
    pub exact: FxHashSet<String>,
    /// Light stems of normalized terms.
    pub stems: FxHashSet<String>,
}

impl MatchTerms {
    /// Match terms for the words of a query text (see [`MatchTerms::add_text`]).
    pub fn from_text(text: &str) -> Self {
        let mut terms = MatchTerms::default();
        terms.add_text(text);
        terms
    }

    /// Adds every word of a raw text (query words or a phrase): each is analyzed with
    /// [`ArabicTokenizer`], and its normalized term and light stem are added. Stopwords are
    /// added like any other word; leaving them out is the caller's choice.
    pub fn add_text(&mut self, text: &str) {
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        while let Some(token) = stream.next() {
            self.insert_normalized(&token.text);
        }
    }

    /// Adds one normalized term and its light stem. The term is normalized again (a no-op on
    /// normalized input) so that a raw word cannot add a term no body token could ever have.
    pub fn add_term(&mut self, normalized: &str) {
        let term = normalize(normalized);
        self.insert_normalized(&term);
    }

    /// Adds a light stem as it is in the index (a spelling variant of a query word): body
    /// words with this stem match.
    pub fn add_stem(&mut self, stem: &str) {
        if !stem.is_empty() {
            self.stems.insert(stem.to_string());
        }
    }

    fn insert_normalized(&mut self, term: &str) {
        if term.is_empty() {
            return;
        }
        self.stems.insert(stem(term).to_string());
        self.exact.insert(term.to_string());
    }

    /// Whether a normalized body term matches: it is one of the exact terms, or its light stem
    /// is one of the stems.
    pub fn matches(&self, normalized_term: &str) -> bool {
        self.matches_stemmed(normalized_term, stem(normalized_term))
    }

    /// [`MatchTerms::matches`] with the stem already computed.
    fn matches_stemmed(&self, term: &str, stem: &str) -> bool {
        // Every exact term's stem is among the stems, so the stem decides alone; the exact
        // set is kept for callers that ask about spellings. (One hash lookup a body word:
        // snippets analyze every word of every hit.)
        debug_assert!(!self.exact.contains(term) || self.stems.contains(stem));
        self.stems.contains(stem)
    }

    /// Whether there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stems.is_empty()
    }
}

/// An excerpt of a body with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The excerpt, cut from the original text at word boundaries.
    pub text: String,
    /// Byte ranges in `text` of the matched words, as written in the original (diacritics
    /// kept), ordered, non-overlapping.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// Whether the snippet has no text (empty or blank body, or a budget of zero).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text with each highlight wrapped in `before` and `after` (ANSI codes, `«` `»`,
    /// `<mark>` …). Highlights that are out of order or do not fall on character boundaries
    /// (possible only if the fields were edited by hand) are skipped rather than panicking.
    pub fn highlighted(&self, before: &str, after: &str) -> String {
        let extra = self.highlights.len() * (before.len() + after.len());
        let mut out = String::with_capacity(self.text.len() + extra);
        let mut done = 0;
        for &(from, to) in &self.highlights {
            let (Some(gap), Some(word)) = (self.text.get(done..from), self.text.get(from..to))
            else {
                continue;
            };
            out.push_str(gap);
            out.push_str(before);
            out.push_str(word);
            out.push_str(after);
            done = to;
        }
        out.push_str(&self.text[done..]);
        out
    }
}

/// The bytes of a term as a set of 64 bits (each byte's low six bits, which for the last byte
/// of a character are its code point modulo 64). A term's light stem is a part of it, so a
/// term whose set lacks a bit of every stem's set cannot have one of those stems: most body
/// words are ruled out with a few bit operations, without stemming them. (Bytes sharing a bit
/// only let more words through.)
fn letter_set(term: &str) -> u64 {
    term.bytes().fold(0, |set, b| set | 1 << (b & 63))
}

/// One body token, with its position in both bytes and displayed characters.
#[derive(Debug, Clone, Copy)]
struct BodyToken {
    /// Byte offsets in the body.
    from: usize,
    to: usize,
    /// Offsets in displayed characters (see [`CharCounter`]).
    cfrom: usize,
    cto: usize,
    /// Which distinct matched word (by light stem) the token is, if it matched.
    key: Option<usize>,
}

/// The tokens of a body and where its non-blank text lies.
#[derive(Debug)]
struct Body<'a> {
    text: &'a str,
    tokens: Vec<BodyToken>,
    /// Indices into `tokens` of the matched tokens, in order.
    matched: Vec<usize>,
    /// How many distinct matched words there are (keys are `0..keys`).
    keys: usize,
    /// Byte and character offsets of the body with surrounding whitespace trimmed.
    start: usize,
    end: usize,
    cstart: usize,
    cend: usize,
}

/// Counts displayed characters: the number of characters the body up to a byte offset would
/// have once every run of whitespace is collapsed to one space. For an excerpt that starts and
/// ends with non-whitespace, the difference of its ends' counts is exactly its displayed length.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
    in_space: bool,
}

impl CharCounter<'_> {
    /// Advances to byte offset `to` (a char boundary, not before the current one) and returns
    /// the count there.
    fn advance_to(&mut self, to: usize) -> usize {
        if to <= self.byte {
            return self.chars;
        }
        // By bytes: every byte but a continuation byte starts a character. Only the lead bytes
        // of the few non-ASCII whitespace characters (U+0085, U+00A0, U+1680, U+2000–U+200A,
        // U+2028, U+2029, U+202F, U+205F, U+3000) need the character decoded; the Arabic
        // letters (lead bytes D8–DB) never do.
        let bytes = self.text.as_bytes();
        let span = &bytes[self.byte..to];
        // A word (most calls): no byte that could start a whitespace character, so its
        // characters are its bytes less the continuation bytes, counted without branching.
        if span
            .iter()
            .all(|&b| b > b' ' && !matches!(b, 0xC2 | 0xE1..=0xE3))
        {
            self.chars += span.iter().filter(|&&b| !(0x80..0xC0).contains(&b)).count();
            self.in_space = false;
            self.byte = to;
            return self.chars;
        }
        for (at, &b) in span.iter().enumerate() {
            let at = self.byte + at;
            let space = match b {
                0x80..=0xBF => continue,
                b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => true,
                0xC2 | 0xE1 | 0xE2 | 0xE3 => self.text[at..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace),
                _ => false,
            };
            if !(space && self.in_space) {
                self.chars += 1;
            }
            self.in_space = space;
        }
        self.byte = to;
        self.chars
    }
}

impl<'a> Body<'a> {
    /// Tokenizes the body and marks the tokens that match, in one pass.
    fn analyze(text: &'a str, terms: &MatchTerms) -> Body<'a> {
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len().max(start);
        let mut counter = CharCounter {
            text,
            byte: 0,
            chars: 0,
            in_space: false,
        };
        let cstart = counter.advance_to(start);
        // About one token per eight bytes of Arabic text: growing the vector as it fills
        // would copy it several times.
        let mut tokens = Vec::with_capacity(text.len() / 8);
        let mut matched = Vec::new();
        // Keys are per body, so the window search can count distinct words in a plain vector.
        let mut keys: FxHashMap<String, usize> = FxHashMap::default();
        let stem_letters: Vec<u64> = terms.stems.iter().map(|s| letter_set(s)).collect();
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        while let Some(token) = stream.next() {
            let (from, to) = (token.offset_from, token.offset_to);
            // The tokenizer emits tokens in order, inside the trimmed body; anything else would
            // break the counting below, so it is skipped rather than trusted.
            if from < counter.byte || from >= to || to > end {
                continue;
            }
            let term = token.text.as_str();
            let letters = letter_set(term);
            let key = if stem_letters.iter().all(|&stem| stem & !letters != 0) {
                None
            } else {
                let term_stem = stem(term);
                if !terms.matches_stemmed(term, term_stem) {
                    None
                } else if let Some(&key) = keys.get(term_stem) {
                    Some(key)
                } else {
                    // Allocates once per distinct word, not once per match.
                    let key = keys.len();
                    keys.insert(term_stem.to_string(), key);
                    Some(key)
                }
            };
            let cfrom = counter.advance_to(from);
            let cto = counter.advance_to(to);
            if key.is_some() {
                matched.push(tokens.len());
            }
            tokens.push(BodyToken {
                from,
                to,
                cfrom,
                cto,
                key,
            });
        }
        let cend = counter.advance_to(end);
        Body {
            text,
            tokens,
            matched,
            keys: keys.len(),
            start,
            end,
            cstart,
            cend,
        }
    }

    /// The run of matched tokens (first and last index into `tokens`) that fits in `budget`
    /// characters and has the most distinct matched words, then the most matches, then comes
    /// first. `None` when nothing matched or no matched word alone fits.
    ///
    /// Two pointers over the matched tokens: for each last match, the window reaching as far
    /// back as the budget allows contains every shorter window ending there, so it is the best
    /// one ending there. O(matches).
    fn best_window(&self, budget: usize) -> Option<(usize, usize)> {
        let mut counts = vec![0usize; self.keys];
        let (mut distinct, mut total) = (0usize, 0usize);
        let mut left = 0;
        let mut best: Option<((usize, usize), (usize, usize))> = None;
        for right in 0..self.matched.len() {
            let last = self.tokens[self.matched[right]];
            if let Some(key) = last.key {
                if counts[key] == 0 {
                    distinct += 1;
                }
                counts[key] += 1;
                total += 1;
            }
            while left <= right && last.cto - self.tokens[self.matched[left]].cfrom > budget {
                if let Some(key) = self.tokens[self.matched[left]].key {
                    counts[key] -= 1;
                    if counts[key] == 0 {
                        distinct -= 1;
                    }
                    total -= 1;
                }
                left += 1;
            }
            if left > right {
                // This match alone is longer than the budget.
                continue;
            }
            let score = (distinct, total);
            // Strictly better only: on a tie the earlier window stays.
            if best.is_none_or(|(best_score, _)| score > best_score) {
                best = Some((score, (self.matched[left], self.matched[right])));
            }
        }
        best.map(|(_, window)| window)
    }

    /// The start of the excerpt when widening leftwards from token `first` by at most `limit`
    /// characters: the body start if it is in reach, else (with `prefer_sentence`) the earliest
    /// sentence start in reach, else the earliest clean word start in reach, else the earliest
    /// token start in reach. Returns byte and character offsets.
    fn widen_left(&self, first: usize, limit: usize, prefer_sentence: bool) -> (usize, usize) {
        let anchor = self.tokens[first].cfrom;
        if anchor - self.cstart <= limit {
            return (self.start, self.cstart);
        }
        // Token `first` itself is always in reach, so `earliest <= first`.
        let earliest = self.tokens[..=first].partition_point(|t| t.cfrom + limit < anchor);
        let chosen = (earliest..=first)
            .find(|&k| prefer_sentence && self.starts_sentence(k))
            .or_else(|| (earliest..=first).find(|&k| self.clean_start(self.tokens[k].from)))
            .unwrap_or(earliest);
        (self.tokens[chosen].from, self.tokens[chosen].cfrom)
    }

    /// The end of the excerpt when widening rightwards from character offset `anchor` by at
    /// most `limit` characters, ending at a token from `first` on: the body end if it is in
    /// reach, else the latest clean word end in reach, else the latest token end in reach.
    /// `None` if not even token `first` ends in reach.
    fn widen_right(&self, anchor: usize, first: usize, limit: usize) -> Option<(usize, usize)> {
        let reach = anchor.saturating_add(limit);
        if self.cend <= reach {
            return Some((self.end, self.cend));
        }
        let first = first.min(self.tokens.len());
        let after = first + self.tokens[first..].partition_point(|t| t.cto <= reach);
        if after == first {
            return None;
        }
        let chosen = (first..after)
            .rev()
            .find(|&k| self.clean_end(self.tokens[k].to))
            .unwrap_or(after - 1);
        Some((self.tokens[chosen].to, self.tokens[chosen].cto))
    }

    /// Whether token `k` begins a sentence or paragraph: it is the first token, or the text
    /// since the previous token holds a sentence-ending mark or a line break.
    fn starts_sentence(&self, k: usize) -> bool {
        if k == 0 {
            return true;
        }
        self.text[self.tokens[k - 1].to..self.tokens[k].from]
            .chars()
            .any(|c| {
                matches!(
                    c,
                    '.' | '!'
                        | '?'
                        | '\u{061F}' // ARABIC QUESTION MARK
                        | '\u{06D4}' // ARABIC FULL STOP
                        | '\u{2026}' // HORIZONTAL ELLIPSIS
                        | '\n'
                        | '\r'
                        | '\u{2029}' // PARAGRAPH SEPARATOR
                )
            })
    }

    /// Whether the excerpt may start at byte `at` without cutting a written word: the tokenizer
    /// also splits inside what a reader sees as one word (`ديرالزور24`, `#وسم_طويل`), so a token
    /// start alone is not enough.
    fn clean_start(&self, at: usize) -> bool {
        !matches!(self.text[..at].chars().next_back(), Some(c) if is_word_char(c))
    }

    /// Whether the excerpt may end at byte `at` without cutting a written word.
    fn clean_end(&self, at: usize) -> bool {
        !matches!(self.text[at..].chars().next(), Some(c) if is_word_char(c))
    }
}

/// Characters that continue a written word: letters, digits, `_` (hashtags), Arabic marks,
/// tatweel and the joiners. Bidi marks and zero-width spaces are not: they sit between words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '_' | '\u{0610}'..='\u{061A}' // Arabic signs and small marks
                | '\u{064B}'..='\u{065F}' // harakat
                | '\u{0670}' // superscript alef
                | '\u{06D6}'..='\u{06ED}' // Quranic annotation marks
                | '\u{08CA}'..='\u{08FF}' // extended marks
                | '\u{0640}' // tatweel
                | '\u{200C}' // ZWNJ
                | '\u{200D}' // ZWJ
        )
}

/// The part of the body a snippet shows: byte range in the body, and the byte ranges in the
/// body of the matched tokens inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Excerpt {
    start: usize,
    end: usize,
    highlights: Vec<(usize, usize)>,
}

/// Chooses the excerpt. `None` when there is nothing to show: a blank body, a zero budget, or
/// a first word longer than the budget.
fn choose_excerpt(body: &Body<'_>, max_chars: usize) -> Option<Excerpt> {
    if max_chars == 0 || body.start >= body.end {
        return None;
    }
    let (start, end) = if body.cend - body.cstart <= max_chars {
        (body.start, body.end)
    } else if let Some((first, last)) = body.best_window(max_chars) {
        let (match_from, match_to) = (body.tokens[first].cfrom, body.tokens[last].cto);
        let slack = max_chars - (match_to - match_from);
        // Left context first, up to a quarter of the budget, so the first match is not the
        // first word shown; then the rest to the right. If the body ends before that is used
        // up, what remains goes back to the left: then more context beats a sentence start.
        // (A few characters are usually left over where the right side stopped at a word end;
        // that is no reason to give up the sentence start.)
        let (mut start, mut cstart) = body.widen_left(first, slack.min(max_chars / 4), true);
        let left = match_from - cstart;
        let (end, cend) = body
            .widen_right(match_to, last, slack - left)
            .unwrap_or((body.tokens[last].to, match_to));
        let unused = slack - left - (cend - match_to);
        if unused > 0 && start > body.start && end == body.end {
            let (wider, cwider) = body.widen_left(first, left + unused, false);
            // The earliest clean start can lie after a sentence start that is not clean.
            if wider < start {
                (start, cstart) = (wider, cwider);
            }
        }
        debug_assert!(cend - cstart <= max_chars);
        (start, end)
    } else {
        // Nothing matched in the body (the article matched by its title, say): its beginning.
        let (end, _) = body.widen_right(body.cstart, 0, max_chars)?;
        (body.start, end)
    };
    let highlights = body
        .matched
        .iter()
        .map(|&k| body.tokens[k])
        .skip_while(|t| t.from < start)
        .take_while(|t| t.to <= end)
        .map(|t| (t.from, t.to))
        .collect();
    Some(Excerpt {
        start,
        end,
        highlights,
    })
}

/// Writes the excerpt with whitespace collapsed and ellipses where the body was cut, and moves
/// the highlights from body offsets to text offsets.
fn render(body: &Body<'_>, excerpt: &Excerpt) -> Snippet {
    let mut text = String::with_capacity(excerpt.end - excerpt.start + 2 * ELLIPSIS.len());
    if excerpt.start > body.start {
        text.push_str(ELLIPSIS);
    }
    let mut highlights = Vec::with_capacity(excerpt.highlights.len());
    let mut pending = excerpt.highlights.iter().peekable();
    let mut open: Option<usize> = None;
    let mut in_space = false;
    let slice = &body.text[excerpt.start..excerpt.end];
    for (offset, c) in slice.char_indices() {
        let at = excerpt.start + offset;
        if let (Some(from), Some(&&(_, to))) = (open, pending.peek()) {
            if to == at {
                highlights.push((from, text.len()));
                open = None;
                pending.next();
            }
        }
        if open.is_none() && pending.peek().is_some_and(|&&(from, _)| from == at) {
            open = Some(text.len());
        }
        let space = c.is_whitespace();
        if !space {
            text.push(c);
        } else if !in_space {
            text.push(' ');
        }
        in_space = space;
    }
    if let (Some(from), Some(&&(_, to))) = (open, pending.peek()) {
        if to == excerpt.end {
            highlights.push((from, text.len()));
        }
    }
    if excerpt.end < body.end {
        text.push_str(ELLIPSIS);
    }
    Snippet { text, highlights }
}

/// Makes the snippet of `body` for a search that matched `terms`: an excerpt of at most
/// `max_chars` characters (whitespace runs counted as one, plus an ellipsis at each end where
/// the body was cut) around the part of the body that contains the most distinct matched
/// words, with those words highlighted. Callers usually pass 200.
///
/// The excerpt starts and ends at word boundaries, starts at a sentence start when one is near,
/// and shows some words before the first match. A body in which nothing matches gives its
/// beginning, without highlights. Runs in time linear in the body's length.
///
/// ```
/// use fahras::search::snippet::{make_snippet, MatchTerms};
///
/// let terms = MatchTerms::from_text("المستشفي");
/// let body = "وصلت سيارة الإسعاف إلى المستشفى بعد منتصف الليل";
/// let snippet = make_snippet(body, &terms, 30);
/// // A little context before the match (up to a quarter of the budget), the rest after it.
/// assert_eq!(snippet.text, "…إلى المستشفى بعد منتصف الليل");
/// let (from, to) = snippet.highlights[0];
/// assert_eq!(&snippet.text[from..to], "المستشفى");
/// ```
pub fn make_snippet(body: &str, terms: &MatchTerms, max_chars: usize) -> Snippet {
    let analyzed = Body::analyze(body, terms);
    match choose_excerpt(&analyzed, max_chars) {
        Some(excerpt) => render(&analyzed, &excerpt),
        None => Snippet {
            text: String::new(),
            highlights: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> usize {
        s.chars().count()
    }

    /// The highlighted slices of a snippet.
    fn highlighted_words(snippet: &Snippet) -> Vec<&str> {
        snippet
            .highlights
            .iter()
            .map(|&(a, b)| &snippet.text[a..b])
            .collect()
    }

    /// The body with whitespace runs collapsed, as snippets show it.
    fn collapsed(body: &str) -> String {
        body.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Everyday filler sentences with none of the words the tests search for.
    const FILLER: [&str; 8] = [
        "خرج سكان الحي في الصباح الباكر إلى السوق القديم لشراء الخبز والخضار.",
        "تحدث البائعون عن ارتفاع أسعار الطماطم بعد موجة البرد الأخيرة.",
        "وفي المساء اجتمع الأطفال حول النافورة يلعبون بالكرة حتى غروب الشمس.",
        "أما المقهى الصغير عند الزاوية فقد امتلأ بالرواد الذين تابعوا المباراة على الشاشة.",
        "وقالت جارة عجوز إن الشارع لم يشهد مثل هذا الزحام منذ سنوات طويلة.",
        "ثم هطل مطر خفيف فأسرع المارة إلى بيوتهم وأغلقت المحلات أبوابها.",
        "وعلى الرصيف المقابل رسم فنان شاب لوحة كبيرة لطائر أزرق يحلق فوق النخيل.",
        "وتوقف القطار القادم من الجنوب دقائق معدودة قبل أن يواصل رحلته نحو الشمال.",
    ];

    /// At least `min_chars` characters of filler sentences.
    fn filler(min_chars: usize) -> String {
        let mut out = String::new();
        for sentence in FILLER.iter().cycle() {
            if chars(&out) >= min_chars {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(sentence);
        }
        out
    }

    #[test]
    fn filler_matches_no_test_word() {
        let terms = MatchTerms::from_text(
            "الحكومه المستشفي والمعلمون الرياضه الامطار الميناء الصيادون المهرجان السفينه",
        );
        assert!(make_snippet(&filler(3000), &terms, 5000)
            .highlights
            .is_empty());
    }

    #[test]
    fn match_terms_match_spellings_and_stems() {
        // (query, body term as written, matches?)
        let cases = [
            ("الحكومه", "الحُكومَة", true),
            ("الحكومة", "والحكومة", true), // same stem حكوم
            ("المستشفي", "المستشفى", true),
            ("والمعلمون", "المعلمين", true),
            ("الرياضة", "الـــرياضة", true),
            ("الامطار", "الأمطار", true),
            ("٢٠٢٤", "2024", true),
            ("GPS", "gps", true),
            ("المدارس", "مدرسة", false), // light stems differ: مدارس / مدرس
            ("الحكومة", "الحكم", false),
            ("كتاب", "مكتب", false),
        ];
        for (query, written, expected) in cases {
            let terms = MatchTerms::from_text(query);
            assert_eq!(
                terms.matches(&normalize(written)),
                expected,
                "{query} ~ {written}"
            );
        }
    }

    #[test]
    fn match_terms_add_term_and_add_text() {
        let mut terms = MatchTerms::default();
        assert!(terms.is_empty());
        terms.add_term("المدينه");
        assert!(terms.exact.contains("المدينه"));
        assert!(terms.stems.contains("مدين"));
        // A raw spelling is normalized first.
        terms.add_term("إلى");
        assert!(terms.exact.contains("الي"));
        terms.add_term("");
        assert_eq!(terms.exact.len(), 2);
        // A text is split into its words.
        let terms = MatchTerms::from_text("وصلَ الوزيرُ، أمس");
        let mut exact: Vec<&str> = terms.exact.iter().map(String::as_str).collect();
        exact.sort_unstable();
        assert_eq!(exact, ["الوزير", "امس", "وصل"]);
        assert!(terms.matches("بالوزير"));
    }

    #[test]
    fn highlights_slice_the_words_as_written() {
        // (body, query, highlighted slices)
        let cases: [(&str, &str, &[&str]); 8] = [
            ("أعلنت الحُكومَة خطة جديدة للنقل", "الحكومه", &["الحُكومَة"]),
            ("نُقل المصابون إلى المستشفى صباحاً", "المستشفي", &["المستشفى"]),
            (
                "اجتمع المعلمين في القاعة الكبرى",
                "والمعلمون",
                &["المعلمين"],
            ),
            ("فاز فريق الـــرياضة بالكأس", "الرياضة", &["الـــرياضة"]),
            ("قال المسؤول إن الأمطار غزيرة", "الامطار", &["الأمطار"]),
            // Adjacent matches are separate highlights.
            (
                "الحكومة والحكومةُ تجتمعان",
                "حكومة",
                &["الحكومة", "والحكومةُ"],
            ),
            // Punctuation around a word is not highlighted.
            ("زار «المهرجان»، ثم غادر", "المهرجان", &["المهرجان"]),
            // Arabic-Indic digits for an ASCII query.
            (
                "في عام ٢٠٢٤ افتتح الميناء",
                "2024 الميناء",
                &["٢٠٢٤", "الميناء"],
            ),
        ];
        for (body, query, expected) in cases {
            let snippet = make_snippet(body, &MatchTerms::from_text(query), 200);
            assert_eq!(snippet.text, body, "short bodies are shown whole");
            assert_eq!(highlighted_words(&snippet), expected, "query {query}");
        }
    }

    #[test]
    fn window_finds_matches_near_the_end_of_a_long_body() {
        let body = format!(
            "{} وفي ختام اليوم رست السفينة في الميناء الجديد وسط تصفيق الصيادين.",
            filler(2000)
        );
        let terms = MatchTerms::from_text("السفينه الميناء");
        let snippet = make_snippet(&body, &terms, 200);
        assert!(snippet.text.starts_with(ELLIPSIS), "{}", snippet.text);
        assert!(snippet.text.ends_with("الصيادين."), "reaches the body end");
        assert_eq!(highlighted_words(&snippet), ["السفينة", "الميناء"]);
        // The leading ellipsis is accounted for in the offsets.
        assert!(snippet.highlights[0].0 > ELLIPSIS.len());
        // The end of the body left budget unused: it went to the left context.
        assert!(chars(&snippet.text) > 180, "{}", chars(&snippet.text));
        assert!(chars(&snippet.text) <= 202);
    }

    #[test]
    fn window_prefers_distinct_words_over_repeats() {
        let repeats = "الميناء الميناء الميناء الميناء الميناء";
        let both = "عاد الصيادون إلى الميناء مساء";
        let body = format!(
            "{} {repeats} {} {both} {}",
            filler(300),
            filler(500),
            filler(300)
        );
        let terms = MatchTerms::from_text("الميناء الصيادون");
        let snippet = make_snippet(&body, &terms, 120);
        assert_eq!(highlighted_words(&snippet), ["الصيادون", "الميناء"]);
        assert!(snippet.text.contains(both));
    }

    #[test]
    fn window_ties_go_to_the_earlier_place_then_to_more_matches() {
        let first = "أبحرت السفينة الأولى";
        let second = "أبحرت السفينة الثانية";
        let body = format!("{first} {} {second} {}", filler(400), filler(400));
        let terms = MatchTerms::from_text("السفينه");
        let snippet = make_snippet(&body, &terms, 100);
        assert!(snippet.text.contains(first), "{}", snippet.text);
        assert!(!snippet.text.contains(second));

        // With the same distinct words, more matches win over an earlier place.
        let body = format!(
            "{} السفينة {} السفينة ثم السفينة {}",
            filler(300),
            filler(400),
            filler(300)
        );
        let snippet = make_snippet(&body, &terms, 100);
        assert_eq!(highlighted_words(&snippet).len(), 2, "{}", snippet.text);
        assert!(snippet.text.contains("السفينة ثم السفينة"));
    }

    #[test]
    fn budget_is_in_characters_and_cuts_at_word_boundaries() {
        let body = format!(
            "{} وأكدت الحكومة أن المستشفى الجديد سيفتح أبوابه قريباً. {}",
            filler(700),
            filler(700)
        );
        let terms = MatchTerms::from_text("الحكومه المستشفي");
        let shown = collapsed(&body);
        for max_chars in [1, 5, 12, 20, 37, 50, 80, 120, 200, 333] {
            let analyzed = Body::analyze(&body, &terms);
            let Some(excerpt) = choose_excerpt(&analyzed, max_chars) else {
                assert!(max_chars < 10, "nothing fits in {max_chars}");
                continue;
            };
            let snippet = render(&analyzed, &excerpt);
            assert_eq!(snippet, make_snippet(&body, &terms, max_chars));
            assert!(
                chars(&snippet.text) <= max_chars + 2,
                "{max_chars}: {}",
                snippet.text
            );
            // The characters just outside the excerpt are not part of a word.
            let before = body[..excerpt.start].chars().next_back();
            let after = body[excerpt.end..].chars().next();
            for c in [before, after].into_iter().flatten() {
                assert!(c.is_whitespace() || c.is_ascii_punctuation(), "{c:?}");
            }
            // The text is the collapsed excerpt between ellipses.
            let inner = snippet.text.trim_matches('…');
            assert!(!inner.starts_with(' ') && !inner.ends_with(' '));
            assert!(shown.contains(inner), "{max_chars}: {inner}");
            // Arabic letters are two bytes: a byte budget would have given half as much.
            if max_chars >= 80 {
                assert!(
                    chars(&snippet.text) >= max_chars * 3 / 4,
                    "{}",
                    snippet.text
                );
            }
        }
    }

    #[test]
    fn left_context_starts_at_a_sentence_start_when_one_is_near() {
        let body = format!(
            "{} انتهى الاجتماع الطويل بين الوزراء والنواب بعد نقاش حاد. وبعد ساعة أعلنت الحكومة برنامجها. {}",
            filler(600),
            filler(600)
        );
        let terms = MatchTerms::from_text("الحكومه");
        let snippet = make_snippet(&body, &terms, 200);
        assert!(
            snippet.text.starts_with("…وبعد ساعة أعلنت الحكومة"),
            "{}",
            snippet.text
        );
        // Without a sentence start in reach, up to a quarter of the budget before the match.
        let body = format!(
            "{} لكن الطرق بقيت مزدحمة طوال النهار بسبب الأعمال في الجسر الكبير حين أعلنت الحكومة برنامجها {}",
            filler(600),
            filler(600)
        );
        let snippet = make_snippet(&body, &terms, 200);
        let left = chars(&snippet.text[..snippet.highlights[0].0]);
        assert!((40..=51).contains(&left), "{left}: {}", snippet.text);
        assert!(snippet.text.starts_with(ELLIPSIS));
    }

    #[test]
    fn without_matches_the_snippet_is_the_beginning() {
        let body = filler(1000);
        let snippet = make_snippet(&body, &MatchTerms::from_text("الحكومة"), 60);
        assert!(snippet.highlights.is_empty());
        assert!(snippet.text.ends_with(ELLIPSIS));
        assert!(chars(&snippet.text) <= 61);
        let inner = snippet.text.trim_end_matches('…');
        assert!(body.starts_with(inner), "{inner}");
        let next = body[inner.len()..].chars().next().unwrap();
        assert!(next == ' ' || next == '.', "cut at a word end: {next:?}");
        // Empty terms behave the same.
        assert_eq!(make_snippet(&body, &MatchTerms::default(), 60), snippet);
        // A short body is shown whole, without ellipses.
        let snippet = make_snippet("  خبر قصير  ", &MatchTerms::default(), 60);
        assert_eq!(snippet.text, "خبر قصير");
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        let terms = MatchTerms::from_text("الحكومة");
        let empty = Snippet {
            text: String::new(),
            highlights: Vec::new(),
        };
        // (body, max_chars)
        let cases = [
            ("", 200),
            ("   \n\t  ", 200),
            ("أعلنت الحكومة", 0),
            // The first word is longer than the budget.
            ("الاستراتيجيات الحكومية", 5),
        ];
        for (body, max_chars) in cases {
            let snippet = make_snippet(body, &terms, max_chars);
            assert_eq!(snippet, empty, "{body:?} {max_chars}");
            assert!(snippet.is_empty());
        }
        // Punctuation only: shown as it is.
        assert_eq!(make_snippet("،.؟!", &terms, 10).text, "،.؟!");
        // A match longer than the budget falls back to the beginning.
        let snippet = make_snippet("قال إن الحكومة", &terms, 5);
        assert_eq!(snippet.text, "قال…");
        assert!(snippet.highlights.is_empty());
    }

    #[test]
    fn whitespace_is_collapsed_and_offsets_follow() {
        let body = "السطر الأول\n\n  فيه   الحكومةُ\tهنا\r\nوالحكومه  أيضاً";
        let snippet = make_snippet(body, &MatchTerms::from_text("الحكومة"), 200);
        assert_eq!(snippet.text, "السطر الأول فيه الحكومةُ هنا والحكومه أيضاً");
        assert_eq!(highlighted_words(&snippet), ["الحكومةُ", "والحكومه"]);
        // Collapsed whitespace counts once against the budget.
        let spaced = format!("بداية{}نهاية الحكومة", " ".repeat(100));
        let snippet = make_snippet(&spaced, &MatchTerms::from_text("الحكومة"), 20);
        assert_eq!(snippet.text, "بداية نهاية الحكومة");
    }

    #[test]
    fn highlighted_wraps_each_match() {
        // (body, query, markers, expected)
        let cases = [
            (
                "أعلنت الحُكومَة خطة والحكومةُ",
                "الحكومه",
                ("[", "]"),
                "أعلنت [الحُكومَة] خطة [والحكومةُ]",
            ),
            ("لا شيء هنا", "الحكومه", ("[", "]"), "لا شيء هنا"),
            (
                "الميناء",
                "الميناء",
                ("\u{1b}[1m", "\u{1b}[0m"),
                "\u{1b}[1mالميناء\u{1b}[0m",
            ),
        ];
        for (body, query, (before, after), expected) in cases {
            let snippet = make_snippet(body, &MatchTerms::from_text(query), 200);
            assert_eq!(snippet.highlighted(before, after), expected);
        }
        // With an ellipsis in front.
        let body = format!("{} عادت السفينة", filler(500));
        let snippet = make_snippet(&body, &MatchTerms::from_text("السفينة"), 40);
        let marked = snippet.highlighted("[", "]");
        assert!(
            marked.starts_with('…') && marked.ends_with("عادت [السفينة]"),
            "{marked}"
        );
        // Broken highlights are skipped, not a panic.
        let broken = Snippet {
            text: "كتاب".to_string(),
            highlights: vec![(1, 3), (4, 2), (6, 100)],
        };
        assert_eq!(broken.highlighted("[", "]"), "كتاب");
    }

    #[test]
    fn serializes_as_text_and_byte_pairs() {
        let snippet = make_snippet("زار الميناء", &MatchTerms::from_text("الميناء"), 200);
        let json = serde_json::to_string(&snippet).unwrap();
        assert_eq!(json, r#"{"text":"زار الميناء","highlights":[[7,21]]}"#);
    }

    #[test]
    fn huge_tokens_and_long_bodies() {
        let terms = MatchTerms::from_text("الحكومة");
        // A run of letters too long to be a token is never cut.
        let garbage = "ب".repeat(10_000);
        let body = format!("{garbage} أعلنت الحكومة");
        let snippet = make_snippet(&body, &terms, 50);
        assert_eq!(snippet.text, "…أعلنت الحكومة");
        assert_eq!(highlighted_words(&snippet), ["الحكومة"]);
        // A 100 KB body with the match at the very end.
        let body = format!("{} الحكومة", filler(60_000));
        assert!(body.len() > 100_000);
        let snippet = make_snippet(&body, &terms, 200);
        assert_eq!(highlighted_words(&snippet), ["الحكومة"]);
        assert!(snippet.text.ends_with("الحكومة"));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn arabic_heavy() -> impl Strategy<Value = String> {
            let pieces = prop_oneof![
                6 => prop::char::range('\u{0621}', '\u{064A}'),
                2 => Just(' '),
                1 => prop::char::range('\u{064B}', '\u{0652}'),
                1 => prop::sample::select(vec![
                    '\u{0640}', '\u{200C}', '\u{200F}', '\n', '\t', '،', '.', '؟', '«', '»',
                    '_', '#', '٣', '5', 'a', 'É', '😀', '\u{00A0}', '\u{2029}',
                ]),
                1 => any::<char>(),
            ];
            prop::collection::vec(pieces, 0..400).prop_map(|c| c.into_iter().collect())
        }

        fn any_body() -> impl Strategy<Value = String> {
            prop_oneof![3 => arabic_heavy(), 1 => any::<String>()]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn char_counter_counts_collapsed_characters(
                body in prop_oneof![
                    any_body(),
                    // Every kind of whitespace, in runs, between words.
                    prop::collection::vec(prop::sample::select(vec![
                        "ب", "كتب", "é", " ", "\u{00A0}", "\u{0085}", "\u{1680}", "\u{2003}",
                        "\u{202F}", "\u{3000}", "\u{2028}", "\n", "\t", "\u{200F}", "€",
                    ]), 0..40).prop_map(|pieces| pieces.concat()),
                ],
                cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
            ) {
                let mut offsets: Vec<usize> = cuts
                    .iter()
                    .map(|i| i.index(body.len() + 1))
                    .filter(|&at| body.is_char_boundary(at))
                    .collect();
                offsets.push(body.len());
                offsets.sort_unstable();
                let mut counter = CharCounter { text: &body, byte: 0, chars: 0, in_space: false };
                for at in offsets {
                    let mut expected = 0;
                    let mut in_space = false;
                    for c in body[..at].chars() {
                        if !(c.is_whitespace() && in_space) {
                            expected += 1;
                        }
                        in_space = c.is_whitespace();
                    }
                    prop_assert_eq!(counter.advance_to(at), expected);
                }
            }

            #[test]
            fn a_stems_letters_are_among_its_words(body in arabic_heavy()) {
                let mut tokenizer = ArabicTokenizer::default();
                let mut stream = tokenizer.token_stream(&body);
                while let Some(token) = stream.next() {
                    let letters = letter_set(&token.text);
                    prop_assert_eq!(letter_set(stem(&token.text)) & !letters, 0);
                }
            }

            #[test]
            fn snippets_are_well_formed(
                body in any_body(),
                pick in any::<prop::sample::Index>(),
                by_text in any::<bool>(),
                max_chars in 0usize..120,
            ) {
                let tokens = crate::analysis::analyze(&body);
                let mut terms = MatchTerms::default();
                if !tokens.is_empty() {
                    let token = &tokens[pick.index(tokens.len())];
                    if by_text {
                        terms.add_text(&token.text);
                    } else {
                        terms.add_term(&token.term);
                    }
                }
                let snippet = make_snippet(&body, &terms, max_chars);
                let text = &snippet.text;
                prop_assert!(text.chars().count() <= max_chars + 2);
                prop_assert!(!text.contains("  ") && !text.contains('\n'));
                let inner = text.trim_matches('…');
                prop_assert_eq!(inner, inner.trim());
                let mut last_end = 0;
                for &(from, to) in &snippet.highlights {
                    prop_assert!(last_end <= from && from < to && to <= text.len());
                    prop_assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
                    let word = &text[from..to];
                    prop_assert!(terms.matches(&normalize(word)), "{:?}", word);
                    last_end = to;
                }
                // The excerpt lies on token boundaries (or the body's ends).
                let analyzed = Body::analyze(&body, &terms);
                if let Some(excerpt) = choose_excerpt(&analyzed, max_chars) {
                    prop_assert!(
                        excerpt.start == analyzed.start
                            || tokens.iter().any(|t| t.start == excerpt.start)
                    );
                    prop_assert!(
                        excerpt.end == analyzed.end || tokens.iter().any(|t| t.end == excerpt.end)
                    );
                    prop_assert_eq!(snippet.highlights.len(), excerpt.highlights.len());
                } else {
                    prop_assert!(snippet.is_empty());
                }
            }

            #[test]
            fn a_word_of_the_body_is_always_found_when_the_budget_allows(
                body in arabic_heavy(),
                pick in any::<prop::sample::Index>(),
            ) {
                let tokens = crate::analysis::analyze(&body);
                prop_assume!(!tokens.is_empty());
                let token = &tokens[pick.index(tokens.len())];
                let terms = MatchTerms::from_text(&token.text);
                let snippet = make_snippet(&body, &terms, 200);
                prop_assert!(!snippet.highlights.is_empty(), "{:?}", snippet);
            }
        }
    }
}
