//! `fahras serve`: a search page for people and a JSON API for programs, over HTTP.
//!
//! ```text
//! TCP ──► hyper (HTTP/1.1: header time limit, URL size limit) ──► tower-http (time limit,
//!         body limit) ──► axum router ──► page::* (HTML) / api::* (JSON)
//!                                              └─► search threads (pool.rs): Archive::search …
//! LiveArchive (live.rs) ◄── watcher thread: reloads after commits, reopens after rebuilds
//! ```
//!
//! Everything the page needs (its style sheet) is compiled into the binary: the server works
//! offline and fetches nothing. Every response carries a Content-Security-Policy that allows
//! no script at all and styles only from the server itself; the page needs neither (it is
//! plain HTML forms and links, so the query lives in the URL and the back button works).
//!
//! The server is built with [`router`] and run with [`serve`]; `fahras serve` does both:
//!
//! ```no_run
//! use fahras::serve::{router, serve, LiveArchive, ServeOptions};
//!
//! let live = LiveArchive::fixed(fahras::sample::sample_archive().unwrap());
//! let runtime = tokio::runtime::Runtime::new().unwrap();
//! runtime.block_on(async {
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//!     let app = router(live, &ServeOptions::default()).unwrap();
//!     serve(listener, app, std::future::pending()).await.unwrap();
//! });
//! ```

pub mod api;
pub mod cors;
pub mod error;
pub mod live;
pub mod page;
pub mod params;
pub mod pool;
pub mod stats_cache;
pub mod timeline;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;

use crate::index::ArchiveStats;
use crate::Archive;
use error::ApiError;
pub use live::LiveArchive;
use pool::SearchPool;
use stats_cache::StatsCache;

/// The address `fahras serve` listens on by default: this machine only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8420";

/// The Content-Security-Policy of every response: no script, no plugin, no frame; styles
/// and images only from this server; forms only to it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Limits of the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The time limit of one request, waiting for a search slot included.
    pub request_timeout: Duration,
    /// Searches running at once: the number of search threads ([`pool`]); more wait in line.
    pub max_concurrent_searches: usize,
    /// How often the index directory is looked at for commits and rebuilds.
    pub watch_period: Duration,
    /// The origins whose pages may read the API from a browser ([`cors`]): none by default.
    pub cors_origins: Vec<String>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeOptions {
            request_timeout: Duration::from_secs(10),
            // One search thread per core: a search keeps its core busy, and two on one core
            // only take turns. The async workers (one per core too) have little to do beside
            // them: reading requests, writing JSON. Measured at 16 clients on 2 cores with
            // `cargo bench --bench serve -- … --max-searches N`: see docs/performance.md.
            max_concurrent_searches: cores,
            watch_period: Duration::from_millis(500),
            cors_origins: Vec::new(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub live: Arc<LiveArchive>,
    searches: Arc<SearchPool>,
    stats: Arc<StatsCache>,
}

impl AppState {
    /// Runs library work on a search thread ([`pool`]), on the archive current when the work
    /// starts.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(Arc<Archive>) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let live = Arc::clone(&self.live);
        self.searches.run(move || work(live.current())).await
    }

    /// The statistics of the archive as searched now, read from the index once per commit
    /// or rebuild (see [`stats_cache`]).
    pub(crate) async fn stats(&self) -> Result<Arc<ArchiveStats>, ApiError> {
        if let Some(stats) = self.stats.fresh(&self.live.current()) {
            return Ok(stats);
        }
        let cache = Arc::clone(&self.stats);
        self.blocking(move |archive| cache.get(&archive)).await
    }
}

/// The routes and layers of the server, with its search threads started.
///
/// # Errors
/// The system refused to start the search threads ([`pool::SearchPool::new`]).
pub fn router(live: Arc<LiveArchive>, options: &ServeOptions) -> std::io::Result<Router> {
    let state = AppState {
        live,
        searches: Arc::new(SearchPool::new(options.max_concurrent_searches)?),
        stats: Arc::default(),
    };
    let security = |name: header::HeaderName, value: &'static str| {
        tower_http::set_header::SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        )
    };
    let mut api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/articles/{*id}", get(api::article))
        .route("/api/stats", get(api::stats))
        .route("/api/analyze", get(api::analyze_text))
        .route("/health", get(api::health));
    if !options.cors_origins.is_empty() {
        api = api.layer(cors::layer(&options.cors_origins));
    }
    let router = Router::new()
        .route("/", get(page::search))
        .route("/articles/{*id}", get(page::article))
        .route("/assets/style.css", get(page::style))
        .merge(api)
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .with_state(state)
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            options.request_timeout,
        ))
        // The API takes no body: a client that sends one gets 413 past 16 KB.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024))
        .layer(security(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(security(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security(header::REFERRER_POLICY, "no-referrer"));
    Ok(router)
}

/// How long a client may take to send a request's head.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request head read, in bytes. A URL ends at 64 KB (hyper refuses a longer one
/// with a bare 414); a query within that but past [`params::MAX_QUERY_BYTES`] gets the JSON
/// error. Past this, hyper closes the connection with a bare 431.
const MAX_HEAD_BYTES: usize = 256 * 1024;
/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests in
/// flight (for at most a few seconds) and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, and accept again.
                        eprintln!("fahras serve: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT)
                    .max_buf_size(MAX_HEAD_BYTES)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    Ok(())
}
