//! `--cors ORIGIN`: lets pages of other sites read the JSON API from a browser.
//!
//! Off by default: a browser then keeps a page of another site (any site the user visits)
//! from reading what the local server answers. An operator who builds a newsroom tool or a
//! notebook on another origin names it, and the API's responses (errors included) carry
//! `Access-Control-Allow-Origin` for it; a browser's preflight `OPTIONS` is answered too. The
//! page itself never carries the header. The API is read-only and takes no credentials, so
//! `*` (any site) is allowed, for an archive that is public anyway.

use axum::http::{HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Checks a `--cors` value: `*`, or an origin as browsers send it, `scheme://host[:port]`.
pub fn parse_origin(value: &str) -> Result<String, String> {
    let bad = |why: &str| {
        Err(format!(
            "{value:?} is not an origin ({why}): write scheme://host[:port], e.g. https://newsroom.example or http://127.0.0.1:8888, or * for any site"
        ))
    };
    if value == "*" {
        return Ok(value.to_string());
    }
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return bad("it must start with http:// or https://");
    };
    if rest.is_empty() {
        return bad("no host");
    }
    if rest.contains('/') {
        return bad("an origin has no path, not even a trailing /");
    }
    if !rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    {
        return bad("a host is letters, digits, '-', '.', and ':' before a port (write an Arabic domain in its xn-- form)");
    }
    Ok(value.to_string())
}

/// The layer that answers for `origins` (values [`parse_origin`] accepted; others are left
/// out).
pub fn layer(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked() {
        for good in [
            "*",
            "https://newsroom.example",
            "http://127.0.0.1:8888",
            "http://[::1]:3000",
        ] {
            assert_eq!(parse_origin(good).as_deref(), Ok(good));
        }
        for (bad, why) in [
            ("newsroom.example", "http:// or https://"),
            ("https://newsroom.example/", "no path"),
            ("https://newsroom.example/tool", "no path"),
            ("https://", "no host"),
            ("https://أخبار.example", "xn--"),
            ("https://a b", "letters, digits"),
        ] {
            let error = parse_origin(bad).unwrap_err();
            assert!(error.contains(why), "{bad}: {error}");
        }
    }
}
