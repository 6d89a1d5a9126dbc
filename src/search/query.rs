//! The query language people type, parsed leniently into a small syntax tree.
//!
//! ```text
//! query   := clause*                    all clauses must match
//! clause  := ["-"|"+"] atom ("OR" atom)*
//! atom    := [field ":"] (word | phrase)
//! phrase  := '"' … '"'  |  '«' … '»'  |  '“' … '”'
//! ```
//!
//! * Plain words must all match (after normalization and stemming, done later by the
//!   analyzers: this module never changes the words).
//! * `"quoted phrases"` match as phrases. Arabic guillemets «…» and curly quotes work too.
//! * `-word` or `-"phrase"` excludes; `OR` (upper case, as in Lucene and Google) between atoms
//!   makes them alternatives.
//! * `title:word` and `body:word` restrict to a field. An unknown prefix (`foo:bar`, a URL)
//!   is not an error: the whole thing is searched as text.
//!
//! Nothing here fails: an unbalanced quote runs to the end of the query, a lone `-`, `+` or
//! `OR` is ignored, and an empty query parses to no clauses.
//!
//! A clause given twice is kept once (and an alternative given twice within a clause): every
//! clause becomes several tantivy queries and the proximity bonus pairs each word with every
//! other, so 5,000 copies of one word cost seconds for the result of one. What is left is
//! bounded by [`MAX_QUERY_WORDS`], which [`crate::Archive::search`] enforces.

/// The most words a query may hold once repeated clauses are dropped, counting each word of a
/// phrase and each token a word analyzes into (`a,b,c` is three), as Elasticsearch bounds the
/// clauses of a query (`indices.query.bool.max_clause_count`). The longest query of the dev
/// collections has 17 words.
pub const MAX_QUERY_WORDS: usize = 32;

/// A field a query atom can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldScope {
    /// Title and body (the default).
    All,
    /// The title only (`title:`).
    Title,
    /// The body only (`body:`).
    Body,
}

/// What an atom searches for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AtomKind {
    /// A word, as typed.
    Word(String),
    /// A phrase, as typed (without its quotes).
    Phrase(String),
}

/// One searchable unit: a word or phrase, in a field scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Atom {
    pub scope: FieldScope,
    pub kind: AtomKind,
}

impl Atom {
    /// The text of the word or phrase.
    pub fn text(&self) -> &str {
        match &self.kind {
            AtomKind::Word(text) | AtomKind::Phrase(text) => text,
        }
    }
}

/// Whether a clause must match or must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Polarity {
    Include,
    Exclude,
}

/// A clause: one or more alternative atoms (joined by `OR`), included or excluded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clause {
    pub polarity: Polarity,
    pub alternatives: Vec<Atom>,
}

/// A parsed query: every included clause must match and no excluded clause may.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// The included clauses.
    pub fn included(&self) -> impl Iterator<Item = &Clause> {
        self.clauses
            .iter()
            .filter(|c| c.polarity == Polarity::Include)
    }

    /// The number of words of the query as [`MAX_QUERY_WORDS`] counts them.
    ///
    /// ```
    /// use fahras::search::query::parse;
    ///
    /// assert_eq!(parse("سد سد سد").word_count(), 1);
    /// assert_eq!(parse(r#"سد "وادي العقيق" -أمطار،رياح"#).word_count(), 5);
    /// ```
    pub fn word_count(&self) -> usize {
        self.clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .map(|a| crate::analysis::analyze(a.text()).len().max(1))
            .sum()
    }

    /// The excluded clauses.
    pub fn excluded(&self) -> impl Iterator<Item = &Clause> {
        self.clauses
            .iter()
            .filter(|c| c.polarity == Polarity::Exclude)
    }
}

/// A lexical piece of the query string.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Or,
    Atom(Polarity, Atom),
}

/// Parses a query string. Never fails.
///
/// ```
/// use fahras::search::query::{parse, AtomKind, Polarity};
///
/// let q = parse(r#"دير الزور "قصف مدفعي" -غارة title:التحالف"#);
/// assert_eq!(q.clauses.len(), 5);
/// assert_eq!(q.clauses[2].alternatives[0].kind, AtomKind::Phrase("قصف مدفعي".into()));
/// assert_eq!(q.clauses[3].polarity, Polarity::Exclude);
/// ```
pub fn parse(input: &str) -> ParsedQuery {
    let pieces = lex(input);
    let mut clauses: Vec<Clause> = Vec::new();
    let mut join_next = false;
    for piece in pieces {
        match piece {
            Piece::Or => {
                // `OR` only joins when there is a clause before it; a trailing one is dropped
                // below by never being followed.
                join_next = !clauses.is_empty();
            }
            Piece::Atom(polarity, atom) => {
                match clauses.last_mut() {
                    Some(last) if join_next && last.polarity == polarity => {
                        last.alternatives.push(atom)
                    }
                    _ => clauses.push(Clause {
                        polarity,
                        alternatives: vec![atom],
                    }),
                }
                join_next = false;
            }
        }
    }
    // Repeats kept once, in the order first given.
    for clause in &mut clauses {
        let mut seen = std::collections::HashSet::new();
        clause.alternatives.retain(|atom| seen.insert(atom.clone()));
    }
    let mut seen = std::collections::HashSet::new();
    clauses.retain(|clause| seen.insert(clause.clone()));
    ParsedQuery { clauses }
}

/// Parses a query for searching: [`parse`], refused with [`Error::QueryTooLong`] past
/// [`MAX_QUERY_WORDS`].
///
/// [`Error::QueryTooLong`]: crate::Error::QueryTooLong
pub fn bounded(input: &str) -> crate::Result<ParsedQuery> {
    let parsed = parse(input);
    let words = parsed.word_count();
    if words > MAX_QUERY_WORDS {
        return Err(crate::Error::QueryTooLong {
            words,
            max: MAX_QUERY_WORDS,
        });
    }
    Ok(parsed)
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '\u{00AB}' => Some('\u{00BB}'), // LEFT/RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK « »
        '\u{201C}' => Some('\u{201D}'), // LEFT/RIGHT DOUBLE QUOTATION MARK “ ”
        '\u{201D}' => Some('\u{201D}'), // RIGHT DOUBLE QUOTATION MARK used on both sides
        _ => None,
    }
}

fn lex(input: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        // Prefix operators.
        let mut polarity = Polarity::Include;
        let mut at = start;
        let mut rest = &input[at..];
        if let Some(stripped) = rest.strip_prefix(['-', '+']) {
            if rest.starts_with('-') {
                polarity = Polarity::Exclude;
            }
            rest = stripped;
            at += 1;
        }
        // Field prefix.
        let mut scope = FieldScope::All;
        for (prefix, s) in [("title:", FieldScope::Title), ("body:", FieldScope::Body)] {
            let head = rest.get(..prefix.len());
            if rest.len() > prefix.len() && head.is_some_and(|h| h.eq_ignore_ascii_case(prefix)) {
                scope = s;
                rest = &rest[prefix.len()..];
                at += prefix.len();
                break;
            }
        }
        let first = rest.chars().next();
        let (kind, consumed_to) = match first.and_then(closing_quote) {
            Some(close) => {
                let open_len = first.map_or(0, char::len_utf8);
                let inner = &rest[open_len..];
                match inner.find(close) {
                    Some(end) => (
                        AtomKind::Phrase(inner[..end].to_string()),
                        at + open_len + end + close.len_utf8(),
                    ),
                    // An unbalanced quote: the phrase runs to the end.
                    None => (AtomKind::Phrase(inner.to_string()), input.len()),
                }
            }
            None => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (AtomKind::Word(rest[..end].to_string()), at + end)
            }
        };
        // Skip what was consumed.
        while chars.peek().is_some_and(|&(i, _)| i < consumed_to) {
            chars.next();
        }
        let is_or = matches!(&kind, AtomKind::Word(w) if w == "OR")
            && polarity == Polarity::Include
            && scope == FieldScope::All
            && at == start;
        if is_or {
            pieces.push(Piece::Or);
            continue;
        }
        // One word in quotes is that word: a phrase needs two. Headlines quote names and
        // titles ("أفنجرز" يحطم الأرقام), and a quoted word searched as a phrase of one went
        // without what a word gets (its other spellings, its fused or split forms), so the
        // quote marks decided whether `"أفينجرز"` found the article writing أفنجرز. Only
        // after the OR test: a quoted "OR" stays a word to search.
        // (An empty phrase becomes an empty word, which the test below drops as it did.)
        let kind = match kind {
            AtomKind::Phrase(text) if !text.trim().contains(char::is_whitespace) => {
                AtomKind::Word(text.trim().to_string())
            }
            kind => kind,
        };
        let empty = match &kind {
            AtomKind::Word(w) | AtomKind::Phrase(w) => w.trim().is_empty(),
        };
        if !empty {
            pieces.push(Piece::Atom(polarity, Atom { scope, kind }));
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> Atom {
        Atom {
            scope: FieldScope::All,
            kind: AtomKind::Word(s.into()),
        }
    }

    fn phrase(s: &str) -> Atom {
        Atom {
            scope: FieldScope::All,
            kind: AtomKind::Phrase(s.into()),
        }
    }

    fn include(atoms: Vec<Atom>) -> Clause {
        Clause {
            polarity: Polarity::Include,
            alternatives: atoms,
        }
    }

    fn exclude(atoms: Vec<Atom>) -> Clause {
        Clause {
            polarity: Polarity::Exclude,
            alternatives: atoms,
        }
    }

    #[test]
    fn plain_words() {
        assert_eq!(
            parse("  قصف   التحالف ").clauses,
            [include(vec![word("قصف")]), include(vec![word("التحالف")])]
        );
    }

    #[test]
    fn phrases_in_all_quote_styles() {
        for q in ["\"دير الزور\"", "«دير الزور»", "“دير الزور”"] {
            assert_eq!(
                parse(q).clauses,
                [include(vec![phrase("دير الزور")])],
                "{q}"
            );
        }
        assert_eq!(
            parse("قصف \"دير الزور\" اليوم").clauses,
            [
                include(vec![word("قصف")]),
                include(vec![phrase("دير الزور")]),
                include(vec![word("اليوم")])
            ]
        );
    }

    #[test]
    fn one_quoted_word_is_the_word() {
        for q in [
            "\"أفنجرز\"",
            "«أفنجرز»",
            "“أفنجرز”",
            "\" أفنجرز \"",
            "\"أفنجرز",
        ] {
            assert_eq!(parse(q).clauses, [include(vec![word("أفنجرز")])], "{q}");
        }
        assert_eq!(
            parse("-\"أفنجرز\" title:«كفرناحوم»").clauses,
            [
                exclude(vec![word("أفنجرز")]),
                include(vec![Atom {
                    scope: FieldScope::Title,
                    kind: AtomKind::Word("كفرناحوم".into()),
                }])
            ]
        );
        // Two words stay a phrase.
        assert_eq!(
            parse("\"كفر ناحوم\"").clauses,
            [include(vec![phrase("كفر ناحوم")])]
        );
    }

    #[test]
    fn exclusion_and_plus() {
        assert_eq!(
            parse("قصف -غارة +مدفعية -\"حقل النفط\"").clauses,
            [
                include(vec![word("قصف")]),
                exclude(vec![word("غارة")]),
                include(vec![word("مدفعية")]),
                exclude(vec![phrase("حقل النفط")])
            ]
        );
    }

    #[test]
    fn or_joins_alternatives() {
        assert_eq!(
            parse("قصف OR غارة مدفعية").clauses,
            [
                include(vec![word("قصف"), word("غارة")]),
                include(vec![word("مدفعية")])
            ]
        );
        assert_eq!(
            parse("a OR b OR \"c d\"").clauses,
            [include(vec![word("a"), word("b"), phrase("c d")])]
        );
        // Lower-case `or` is a word.
        assert_eq!(parse("a or b").clauses.len(), 3);
    }

    #[test]
    fn field_prefixes() {
        let q = parse("title:التحالف body:\"قاعدة كونيكو\" TITLE:x");
        assert_eq!(q.clauses[0].alternatives[0].scope, FieldScope::Title);
        assert_eq!(q.clauses[1].alternatives[0].scope, FieldScope::Body);
        assert_eq!(
            q.clauses[1].alternatives[0].kind,
            AtomKind::Phrase("قاعدة كونيكو".into())
        );
        assert_eq!(q.clauses[2].alternatives[0].scope, FieldScope::Title);
        // Unknown fields are text.
        assert_eq!(parse("foo:bar").clauses, [include(vec![word("foo:bar")])]);
        assert_eq!(
            parse("https://example.org").clauses,
            [include(vec![word("https://example.org")])]
        );
    }

    #[test]
    fn malformed_queries_are_lenient() {
        assert_eq!(parse("").clauses, []);
        assert_eq!(parse("   ").clauses, []);
        assert_eq!(parse("-").clauses, []);
        assert_eq!(parse("+ -").clauses, []);
        assert_eq!(parse("OR").clauses, []);
        assert_eq!(parse("OR قصف OR").clauses, [include(vec![word("قصف")])]);
        assert_eq!(parse("\"\"").clauses, []);
        assert_eq!(parse("title:").clauses, [include(vec![word("title:")])]);
        // Unbalanced quote: a phrase to the end.
        assert_eq!(
            parse("قصف \"دير الزور").clauses,
            [
                include(vec![word("قصف")]),
                include(vec![phrase("دير الزور")])
            ]
        );
        // A quoted "OR" is the word, not the operator.
        assert_eq!(
            parse("a \"OR\" b").clauses,
            [
                include(vec![word("a")]),
                include(vec![word("OR")]),
                include(vec![word("b")])
            ]
        );
        // Excluded then OR: OR only joins clauses of the same polarity.
        assert_eq!(parse("-a OR b").clauses.len(), 2);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics_and_keeps_nonempty_atoms(input in "\\PC{0,60}") {
            let parsed = parse(&input);
            for clause in &parsed.clauses {
                proptest::prop_assert!(!clause.alternatives.is_empty());
                for atom in &clause.alternatives {
                    proptest::prop_assert!(!atom.text().trim().is_empty());
                }
            }
        }
    }

    #[test]
    fn arabic_words_near_field_prefix_length() {
        assert_eq!(parse("الحكومه").clauses, [include(vec![word("الحكومه")])]);
        assert_eq!(parse("سد وادي").clauses.len(), 2);
    }

    #[test]
    fn repeated_clauses_and_alternatives_are_kept_once() {
        let q = parse(&"سد ".repeat(5000));
        assert_eq!(q.clauses.len(), 1);
        let q = parse("سد وادي سد -مطر -مطر وادي OR وادي title:سد");
        let texts: Vec<(Polarity, Vec<&str>)> = q
            .clauses
            .iter()
            .map(|c| (c.polarity, c.alternatives.iter().map(Atom::text).collect()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (Polarity::Include, vec!["سد"]),
                (Polarity::Include, vec!["وادي"]),
                (Polarity::Exclude, vec!["مطر"]),
                (Polarity::Include, vec!["سد"]),
            ],
            "an OR of one word with itself is the word; title:سد is another clause"
        );
    }

    #[test]
    fn included_and_excluded_iterators() {
        let q = parse("a -b c");
        assert_eq!(q.included().count(), 2);
        assert_eq!(q.excluded().count(), 1);
    }
}
