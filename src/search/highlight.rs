//! Highlights in a whole text (an article's body as the article view shows it), with the
//! words a search matches: the query's words, their spelling variants and compound splits,
//! exactly as [`Archive::search`] highlights them in snippets.

use super::compile::compile;
use super::query;
use super::stats::CachedStatistics;
use crate::analysis::analyze;
use crate::error::Result;
use crate::index::Archive;
use crate::SearchRequest;

impl Archive {
    /// Byte ranges `[start, end)` of the words of `text` that `request`'s query matches, in
    /// order, as the text wrote them.
    ///
    /// ```
    /// use fahras::{Archive, Article, SearchRequest};
    ///
    /// let archive = Archive::in_memory().unwrap();
    /// let body = "افتُتح اليوم معرضُ الكتاب الدولي.";
    /// let ranges = archive.highlights(&SearchRequest::new("معرض -الدولي"), body).unwrap();
    /// let words: Vec<&str> = ranges.iter().map(|[s, e]| &body[*s..*e]).collect();
    /// assert_eq!(words, ["معرضُ"]);
    /// ```
    pub fn highlights(&self, request: &SearchRequest, text: &str) -> Result<Vec<[usize; 2]>> {
        let searcher = self.searcher();
        let stats = CachedStatistics::new(&searcher);
        let parsed = query::bounded(&request.query)?;
        let compiled = compile(self, &searcher, &stats, &parsed, request)?;
        Ok(analyze(text)
            .into_iter()
            .filter(|token| compiled.terms.matches(&token.term))
            .map(|token| [token.start, token.end])
            .collect())
    }
}
