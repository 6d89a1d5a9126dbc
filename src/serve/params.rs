//! Query-string parameters, decoded strictly, and the search options they give.
//!
//! `form_urlencoded`-style decoders are lenient: a stray `%` passes through and bytes that are
//! not UTF-8 become U+FFFD, so a client's encoding bug silently searches for something else.
//! Here every `%` must start a two-hex-digit escape, the result must be UTF-8 without NUL, and
//! each failure names the parameter and says how to write it. The page and the API read their
//! search options through [`SearchOptions::from_params`], so both accept the same input.

use std::collections::BTreeSet;

use crate::search::parse_cli_date;
use crate::{SearchRequest, Sort};

use super::error::ApiError;

/// The longest query accepted, in bytes (a long question is a few hundred).
pub const MAX_QUERY_BYTES: usize = 4096;
/// The most hits one request returns (`limit` above it is capped).
pub const MAX_LIMIT: usize = 100;
/// How deep paging goes: hits past the first `MAX_WINDOW` are not returned (as Meilisearch's
/// `maxTotalHits`); `total_hits` still counts them all.
pub const MAX_WINDOW: usize = 1000;

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte.
pub fn decode_component(raw: &str, what: &str) -> Result<String, ApiError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                    }
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "{what}: invalid percent-encoding at byte {i}: '%' must be followed by two hex digits (write a literal % as %25)"
                        )))
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).map_err(|e| {
        ApiError::bad_request(format!(
            "{what}: not UTF-8 after percent-decoding (byte {}): encode text as UTF-8 before percent-encoding it",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if text.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "{what}: contains a NUL character (%00), which no text holds"
        )));
    }
    Ok(text)
}

/// The parameters of a query string, in order.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Splits and decodes a raw query string (`None`: no `?`).
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        let mut pairs = Vec::new();
        for piece in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let name = decode_component(name, "a parameter name")?;
            let value = decode_component(value, &format!("parameter {name:?}"))?;
            pairs.push((name, value));
        }
        Ok(Params { pairs })
    }

    /// The value of a parameter given at most once.
    pub fn one<'a>(&'a self, name: &str) -> Result<Option<&'a str>, ApiError> {
        let mut values = self.all(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad_request(format!(
                "parameter {name:?} is given more than once; give it once"
            )));
        }
        Ok(first)
    }

    /// Every value of a repeatable parameter, empty values left out.
    pub fn all<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Refuses parameters outside `known`, so that a misspelt one is not silently ignored.
    pub fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        let unknown: BTreeSet<&str> = self
            .pairs
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !known.contains(n))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let unknown: Vec<String> = unknown.iter().map(|n| format!("{n:?}")).collect();
        Err(ApiError::bad_request(format!(
            "unknown parameter {}; the parameters are {}",
            unknown.join(", "),
            known.join(", ")
        )))
    }

    /// A whole number ≥ 0; one too large for the machine counts as `usize::MAX` (callers cap).
    pub fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        let Some(text) = self.one(name)? else {
            return Ok(None);
        };
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_request(format!(
                "parameter {name:?} must be a whole number ≥ 0, not {text:?}"
            )));
        }
        Ok(Some(text.parse().unwrap_or(usize::MAX)))
    }

    /// A flag: `true`/`1`/`yes`/empty (`?exact`) or `false`/`0`/`no`.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some("" | "1" | "true" | "yes" | "on") => Ok(Some(true)),
            Some("0" | "false" | "no" | "off") => Ok(Some(false)),
            Some(other) => Err(ApiError::bad_request(format!(
                "parameter {name:?} must be true or false, not {other:?}"
            ))),
        }
    }
}

/// The search options common to the page and the API.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The request for the library, limits applied.
    pub request: SearchRequest,
    /// The page of hits asked for is beyond [`MAX_WINDOW`] (or `limit=0`): count only.
    pub count_only: bool,
    /// The filters as given, for the page's links.
    pub sources: Vec<String>,
    pub categories: Vec<String>,
}

/// The parameters [`SearchOptions::from_params`] reads.
pub const SEARCH_PARAMS: &[&str] = &[
    "q", "limit", "offset", "since", "until", "source", "category", "sort", "exact", "partial",
    "facets",
];

impl SearchOptions {
    /// Reads `q` (required), `limit`, `offset`, `since`, `until`, `source`, `category`
    /// (both repeatable: any of the values), `sort`, `exact`, `partial` and `facets`, with the
    /// defaults of `fahras search`.
    pub fn from_params(params: &Params) -> Result<SearchOptions, ApiError> {
        let query = params.one("q")?.unwrap_or("");
        if query.trim().is_empty() {
            return Err(ApiError::bad_request(
                "parameter \"q\" (the query) is missing or empty: /api/search?q=words".into(),
            ));
        }
        if query.len() > MAX_QUERY_BYTES {
            return Err(ApiError::bad_request(format!(
                "the query is {} bytes long; at most {MAX_QUERY_BYTES} are accepted",
                query.len()
            )));
        }
        let mut request = SearchRequest::new(query);
        let limit = params.number("limit")?.unwrap_or(request.limit);
        let offset = params.number("offset")?.unwrap_or(0);
        let limit = limit.min(MAX_LIMIT).min(MAX_WINDOW.saturating_sub(offset));
        let count_only = limit == 0;
        // The library's top-k collectors need room for one hit; a count-only request asks
        // for the first and drops it.
        (request.limit, request.offset) = if count_only { (1, 0) } else { (limit, offset) };
        let date = |name: &str| -> Result<_, ApiError> {
            params
                .one(name)?
                .map(|text| {
                    parse_cli_date(text.trim())
                        .map_err(|e| ApiError::bad_request(format!("parameter {name:?}: {e}")))
                })
                .transpose()
        };
        request.since = date("since")?;
        request.until = date("until")?;
        if let (Some(since), Some(until)) = (request.since, request.until) {
            if since > until {
                return Err(ApiError::bad_request(format!(
                    "since ({since}) is after until ({until}): no article can match"
                )));
            }
        }
        let sources: Vec<String> = params.all("source").map(str::to_string).collect();
        let categories: Vec<String> = params.all("category").map(str::to_string).collect();
        // Several values: any of them, as `fahras search --source A --source B`.
        request.sources = sources.clone();
        request.categories = categories.clone();
        request.sort = match params.one("sort")? {
            None | Some("relevance") => Sort::Relevance,
            Some("newest") => Sort::Newest,
            Some("oldest") => Sort::Oldest,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "parameter \"sort\" must be relevance, newest or oldest, not {other:?}"
                )))
            }
        };
        request.variants = !params.flag("exact")?.unwrap_or(false);
        request.fill_partial = params.flag("partial")?.unwrap_or(true);
        request.facets = params.flag("facets")?.unwrap_or(false);
        Ok(SearchOptions {
            request,
            count_only,
            sources,
            categories,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_escapes_strictly() {
        assert_eq!(decode_component("a+b%20c", "q").unwrap(), "a b c");
        assert_eq!(
            decode_component("%D8%B3%D8%AF", "q").unwrap(),
            "\u{0633}\u{062F}" // ARABIC LETTER SEEN, ARABIC LETTER DAL
        );
        for bad in ["%", "%4", "%zz", "100%"] {
            let e = decode_component(bad, "q").unwrap_err();
            assert!(e.message.contains("percent-encoding"), "{bad}: {e:?}");
        }
        assert!(decode_component("%FF", "q")
            .unwrap_err()
            .message
            .contains("UTF-8"));
        assert!(decode_component("a%00", "q")
            .unwrap_err()
            .message
            .contains("NUL"));
    }

    #[test]
    fn limits_are_capped_and_repeats_refused() {
        let params = Params::parse(Some("q=x&limit=100000&offset=990")).unwrap();
        let options = SearchOptions::from_params(&params).unwrap();
        assert_eq!((options.request.limit, options.request.offset), (10, 990));
        let params = Params::parse(Some("q=x&offset=99999999999999999999999")).unwrap();
        assert!(SearchOptions::from_params(&params).unwrap().count_only);
        let params = Params::parse(Some("q=x&limit=-1")).unwrap();
        assert!(SearchOptions::from_params(&params).is_err());
        let params = Params::parse(Some("q=x&q=y")).unwrap();
        assert!(SearchOptions::from_params(&params)
            .unwrap_err()
            .message
            .contains("more than once"));
        let params = Params::parse(Some("q=x&limt=3")).unwrap();
        assert!(params
            .only(SEARCH_PARAMS)
            .unwrap_err()
            .message
            .contains("limt"));
    }
}
