//! The API's error: a status and a message, sent as `{"error": "<message>"}`.
//!
//! Every refusal of the server goes through here, including those made by the layers around
//! the handlers (an unknown path, another method, a body too large, the time limit), which
//! [`json_errors`] turns into the same shape.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A refused or failed request.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl ApiError {
    /// 400: the request itself is wrong; the message says what to change.
    pub fn bad_request(message: String) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }

    /// 404.
    pub fn not_found(message: String) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message,
        }
    }

    /// A library error: 400 for what the request can fix (a query too long, a bad date),
    /// 500 for faults of the index.
    pub fn from_library(error: crate::Error) -> ApiError {
        match error {
            crate::Error::QueryTooLong { .. } | crate::Error::InvalidDate(_) => {
                ApiError::bad_request(error.to_string())
            }
            other => ApiError::internal(other),
        }
    }

    /// 500: a fault of the server or its index, never of the request.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("the search failed: {error}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&ErrorBody {
            error: &self.message,
        })
        .expect("an error message serializes");
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

/// The message for a refusal made outside the handlers, by status.
fn message_for(status: StatusCode, method: &str, path: &str) -> String {
    match status {
        StatusCode::NOT_FOUND => format!(
            "no such page or endpoint: {path}; the API is GET /api/search?q=…, /api/articles/ID, /api/stats, /api/analyze?text=…, /health"
        ),
        StatusCode::METHOD_NOT_ALLOWED => format!(
            "method {method} is not allowed on {path}: the API is read-only, use GET"
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is too large: the API takes no body, send parameters in the URL".into()
        }
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => {
            "the request took longer than the server's time limit; try a shorter query or a narrower filter".into()
        }
        other => format!(
            "{} {}",
            other.as_u16(),
            other.canonical_reason().unwrap_or("error")
        ),
    }
}

/// Middleware: a refusal without a body of its own (from axum's router or a tower layer)
/// gets the JSON error body; responses the handlers made are left as they are.
pub async fn json_errors(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error())
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_none_or(|t| t.as_bytes().starts_with(b"text/plain"))
    {
        let mut error = ApiError {
            status,
            message: message_for(status, &method, &path),
        }
        .into_response();
        if let Some(allow) = response.headers().get(header::ALLOW) {
            error.headers_mut().insert(header::ALLOW, allow.clone());
        }
        return error;
    }
    response
}
