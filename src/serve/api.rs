//! The JSON API: `/api/search`, `/api/articles/{id}`, `/api/stats`, `/api/analyze`, `/health`.
//!
//! Each handler reads its parameters with [`Params`] (strict decoding, unknown names refused),
//! runs the library call on a search thread ([`super::pool`]: searches are CPU work; the async
//! workers keep accepting and answering meanwhile), and answers with the same serde structs the CLI prints
//! with `--json`, so a script gets the same object from `fahras search --json` and from
//! `GET /api/search`.

use axum::extract::{RawQuery, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::analysis::{analyze, AnalyzeOutput};
use crate::{Archive, Article, SearchRequest, SearchResults};

use super::error::ApiError;
use super::params::{decode_component, Params, SearchOptions, SEARCH_PARAMS};
use super::AppState;

/// The longest text `/api/analyze` takes, in bytes.
pub const MAX_ANALYZE_BYTES: usize = 16 * 1024;

/// Runs a search with the API's limits: the object `fahras search --json` prints.
pub(crate) fn run_search(
    archive: &Archive,
    options: &SearchOptions,
) -> Result<SearchResults, ApiError> {
    let mut results = archive
        .search(&options.request)
        .map_err(ApiError::from_library)?;
    if options.count_only {
        results.hits.clear();
        results.partial_hits = 0;
    }
    Ok(results)
}

/// `GET /api/search?q=…`.
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let result = async {
        let params = Params::parse(raw.as_deref())?;
        params.only(SEARCH_PARAMS)?;
        let options = SearchOptions::from_params(&params)?;
        state
            .blocking(move |archive| run_search(&archive, &options))
            .await
    }
    .await;
    match result {
        Ok(results) => Json(results).into_response(),
        Err(e) => e.into_response(),
    }
}

/// An article as `/api/articles/{id}` returns it: the stored fields, and with `?q=` the
/// byte ranges `[start, end)` of the matched words in its body.
#[derive(Debug, Serialize)]
pub struct ArticleView {
    #[serde(flatten)]
    pub article: Article,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<[usize; 2]>>,
}

/// The id in a path after `prefix`, percent-decoded strictly (ids may hold `/`).
pub(crate) fn id_from_path(uri: &Uri, prefix: &str) -> Result<String, ApiError> {
    let raw = uri.path().strip_prefix(prefix).unwrap_or("");
    // In a path `+` is a plus sign, not a space.
    let id = decode_component(&raw.replace('+', "%2B"), "the article id")?;
    if id.is_empty() {
        return Err(ApiError::not_found(
            "no article id in the path: /api/articles/ID".into(),
        ));
    }
    Ok(id)
}

/// Looks an article up, with the highlights of an optional query (`q`, `exact`).
pub(crate) fn article_view(
    archive: &Archive,
    id: &str,
    params: &Params,
) -> Result<Option<ArticleView>, ApiError> {
    let Some(article) = archive.article_by_id(id).map_err(ApiError::internal)? else {
        return Ok(None);
    };
    let highlights = match params.one("q")?.filter(|q| !q.trim().is_empty()) {
        Some(q) => {
            if q.len() > super::params::MAX_QUERY_BYTES {
                return Err(ApiError::bad_request(format!(
                    "the query is {} bytes long; at most {} are accepted",
                    q.len(),
                    super::params::MAX_QUERY_BYTES
                )));
            }
            let mut request = SearchRequest::new(q);
            request.variants = !params.flag("exact")?.unwrap_or(false);
            Some(
                archive
                    .highlights(&request, &article.body)
                    .map_err(ApiError::from_library)?,
            )
        }
        None => None,
    };
    Ok(Some(ArticleView {
        article,
        highlights,
    }))
}

/// `GET /api/articles/{id}`.
pub async fn article(State(state): State<AppState>, uri: Uri) -> Response {
    let result = async {
        let id = id_from_path(&uri, "/api/articles/")?;
        let params = Params::parse(uri.query())?;
        params.only(&["q", "exact"])?;
        let found = state
            .blocking({
                let id = id.clone();
                move |archive| article_view(&archive, &id, &params)
            })
            .await?;
        found.ok_or_else(|| {
            ApiError::not_found(format!(
                "no article with id {id:?} in this archive; ids are in the \"id\" of /api/search hits"
            ))
        })
    }
    .await;
    match result {
        Ok(view) => Json(view).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/stats`: what `fahras stats --json` prints.
pub async fn stats(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let result = async {
        Params::parse(raw.as_deref())?.only(&[])?;
        state.stats().await
    }
    .await;
    match result {
        Ok(stats) => Json(stats.as_ref()).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/analyze?text=…`: what `fahras analyze --json` prints.
pub async fn analyze_text(RawQuery(raw): RawQuery) -> Response {
    let result = (|| {
        let params = Params::parse(raw.as_deref())?;
        params.only(&["text"])?;
        let text = params.one("text")?.ok_or_else(|| {
            ApiError::bad_request("parameter \"text\" is missing: /api/analyze?text=…".into())
        })?;
        if text.len() > MAX_ANALYZE_BYTES {
            return Err(ApiError::bad_request(format!(
                "the text is {} bytes long; at most {MAX_ANALYZE_BYTES} are accepted",
                text.len()
            )));
        }
        let tokens = analyze(text);
        Ok(Json(AnalyzeOutput::new(&tokens)).into_response())
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    articles: u64,
}

/// `GET /health`: the server is up and has an archive.
pub async fn health(State(state): State<AppState>) -> Response {
    let archive = state.live.current();
    Json(Health {
        status: "ok",
        articles: archive.num_articles(),
    })
    .into_response()
}
