//! The hits of a page: each article read from the document store, with a snippet of its body
//! around the matched words and their highlight ranges, as the article wrote them.

use tantivy::{DocAddress, Searcher};

use super::request::{SearchHit, SearchRequest};
use super::snippet::{make_snippet, MatchTerms};
use crate::article::format_date;
use crate::error::Result;
use crate::index::Archive;

/// The hits of `page` from `request.offset` on, ranked from 1 at the top of the whole list.
pub(super) fn read_hits(
    archive: &Archive,
    searcher: &Searcher,
    page: Vec<(f32, DocAddress, bool)>,
    terms: &MatchTerms,
    request: &SearchRequest,
) -> Result<Vec<SearchHit>> {
    let mut hits = Vec::with_capacity(page.len().saturating_sub(request.offset));
    for (i, (score, address, partial)) in page.into_iter().enumerate().skip(request.offset) {
        let article = archive.article(searcher, address)?;
        let snippet = make_snippet(&article.body, terms, request.snippet_chars);
        hits.push(SearchHit {
            rank: i + 1,
            id: article.id,
            score,
            title: article.title,
            date: article.date.map(format_date),
            source: article.source,
            category: article.category,
            author: article.author,
            url: article.url,
            highlights: snippet.highlights.iter().map(|&(a, b)| [a, b]).collect(),
            snippet: snippet.text,
            partial,
        });
    }
    Ok(hits)
}
