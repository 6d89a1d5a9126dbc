//! `fahras serve` under load beside the library's own search, in one run: requests per second
//! and p50/p99 latency with 1, 4 and 16 concurrent clients over HTTP (keep-alive connections
//! to a server on 127.0.0.1), and the same queries through `Archive::search` on as many
//! threads. The ratio HTTP / in-process is the HTTP layer's cost.
//!
//! ```text
//! flock /work/.bench.lock cargo bench --bench serve -- CORPUS.jsonl.gz [--seconds S]
//!     [--rounds R] [--clients 1,4,16] [--max-searches N]
//! ```
//!
//! The corpus is indexed into a temporary directory first. The queries are the first two to
//! four words of every 50th title of the corpus (a headline's words, as people search). Each
//! concurrency runs both sides in turn, `--rounds` times (default 2), for `--seconds` each
//! (default 5): a slow moment of a shared machine falls on both sides alike. The HTTP clients
//! are keep-alive connections driven by one thread (an event loop, as wrk and oha drive
//! theirs) that sends requests written out beforehand and reads `Content-Length` bodies: on
//! the same two cores as the server, they take as little from it as a client can. Each full
//! `/api/search` response (ten hits with snippets) is read whole. `--max-searches` sets the
//! server's [`ServeOptions::max_concurrent_searches`] (its search threads).
//!
//! Prints one JSON object per concurrency, side and round, then a summary line per
//! concurrency: the median rate of each side and their ratio, each round's ratio (HTTP over
//! the in-process run just before it), latencies of the last round, errors, and the CPU time
//! per request of each side (the whole process: server and clients, or the searching
//! threads). On a shared machine the rates move with what else runs; the CPU ratio says what
//! the rate ratio would be with the two cores left to this benchmark.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fahras::ingest::{ingest, IngestEvent, IngestOptions};
use fahras::serve::page::encode;
use fahras::serve::{router, serve, LiveArchive, ServeOptions};
use fahras::{Archive, SearchRequest};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    corpus: PathBuf,
    seconds: f64,
    rounds: usize,
    clients: Vec<usize>,
    /// The server's `max_concurrent_searches` (its default when not given).
    max_searches: Option<usize>,
}

fn args() -> Args {
    let mut corpus = None;
    let mut seconds = 5.0;
    let mut rounds = 2;
    let mut clients = vec![1, 4, 16];
    let mut max_searches = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => seconds = it.next().unwrap().parse().unwrap(),
            "--rounds" => rounds = it.next().unwrap().parse().unwrap(),
            "--max-searches" => max_searches = Some(it.next().unwrap().parse().unwrap()),
            "--clients" => {
                clients = it
                    .next()
                    .unwrap()
                    .split(',')
                    .map(|n| n.parse().unwrap())
                    .collect()
            }
            "--bench" => {}
            other if !other.starts_with('-') => corpus = Some(PathBuf::from(other)),
            other => panic!("unknown argument {other}"),
        }
    }
    Args {
        corpus: corpus.expect("usage: cargo bench --bench serve -- CORPUS.jsonl.gz"),
        seconds,
        rounds,
        clients,
        max_searches,
    }
}

/// Indexes the corpus; returns the queries drawn from its titles.
fn build(corpus: &PathBuf, dir: &std::path::Path) -> Vec<String> {
    let archive = Archive::open_or_create(dir).unwrap();
    let mut writer = archive.writer(256_000_000, 2).unwrap();
    let mut queries = Vec::new();
    let mut n = 0usize;
    for event in ingest(std::slice::from_ref(corpus), &IngestOptions::default()) {
        if let IngestEvent::Article(ingested) = event {
            if n.is_multiple_of(50) {
                let words: Vec<&str> = ingested.article.title.split_whitespace().collect();
                let take = 2 + n / 50 % 3;
                if words.len() >= take {
                    queries.push(words[..take].join(" "));
                }
            }
            writer.upsert(&ingested.article).unwrap();
            n += 1;
        }
    }
    writer.commit().unwrap();
    writer.finish().unwrap();
    eprintln!("indexed {n} articles; {} queries", queries.len());
    queries
}

/// Latencies of one side at one concurrency.
struct Run {
    latencies: Vec<Duration>,
    errors: u64,
    elapsed: Duration,
    /// CPU time of the whole process (server, clients, searching threads) during the run.
    cpu: Duration,
}

impl Run {
    /// The run of the clients that returned `parts` (each its latencies and errors), timed
    /// from `started` and the process CPU time `cpu_started` to when the last part is in.
    fn finish(
        parts: impl IntoIterator<Item = (Vec<Duration>, u64)>,
        started: Instant,
        cpu_started: Duration,
    ) -> Run {
        let mut run = Run {
            latencies: Vec::new(),
            errors: 0,
            elapsed: Duration::ZERO,
            cpu: Duration::ZERO,
        };
        for (latencies, errors) in parts {
            run.latencies.extend(latencies);
            run.errors += errors;
        }
        run.elapsed = started.elapsed();
        run.cpu = cpu_time() - cpu_started;
        run
    }

    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU milliseconds per request: the cost of a request on a shared machine, where the
    /// rate also depends on what else runs.
    fn cpu_ms_per_request(&self) -> f64 {
        self.cpu.as_secs_f64() * 1000.0 / self.latencies.len().max(1) as f64
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(at).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// The CPU time this process has used (user and system).
fn cpu_time() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Runs `work(thread, i)` on `threads` threads for `seconds`, timing each call.
fn drive(
    threads: usize,
    seconds: f64,
    work: impl Fn(usize, usize) -> bool + Sync + Send + Clone + 'static,
) -> Run {
    let stop = Arc::new(AtomicBool::new(false));
    let (started, cpu_started) = (Instant::now(), cpu_time());
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let stop = Arc::clone(&stop);
            let work = work.clone();
            std::thread::Builder::new()
                .name(format!("inproc-{t}"))
                .spawn(move || {
                    let mut latencies = Vec::new();
                    let mut errors = 0;
                    let mut i = t * 7919;
                    while !stop.load(Ordering::Relaxed) {
                        let at = Instant::now();
                        if work(t, i) {
                            latencies.push(at.elapsed());
                        } else {
                            errors += 1;
                        }
                        i += 1;
                    }
                    (latencies, errors)
                })
                .unwrap()
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    Run::finish(
        handles.into_iter().map(|handle| handle.join().unwrap()),
        started,
        cpu_started,
    )
}

/// A keep-alive HTTP/1.1 connection: sends a request made beforehand, reads the response
/// head and its `Content-Length` body, and keeps the buffer for the next one.
struct Connection {
    stream: tokio::net::TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    async fn open(addr: SocketAddr) -> std::io::Result<Connection> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            buffer: Vec::with_capacity(64 * 1024),
        })
    }

    /// The status of the response to `request`, its body read whole and dropped.
    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<u16> {
        let mut sent = 0;
        while sent < request.len() {
            self.stream.writable().await?;
            match self.stream.try_write(&request[sent..]) {
                Ok(n) => sent += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        self.buffer.clear();
        let mut head_end = None;
        let mut length = 0;
        let mut status = 0;
        loop {
            if let Some(end) = head_end {
                if self.buffer.len() >= end + length {
                    return Ok(status);
                }
            }
            self.read_some().await?;
            if head_end.is_none() {
                if let Some(at) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = std::str::from_utf8(&self.buffer[..at]).unwrap_or("");
                    status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
                    length = head
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    head_end = Some(at + 4);
                }
            }
        }
    }

    /// Appends what the socket has (at least one byte) to the buffer.
    async fn read_some(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            self.stream.readable().await?;
            match self.stream.try_read(&mut chunk) {
                Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// The load generator: `clients` keep-alive connections, each with one request in flight at
/// a time, all driven by one thread (an event loop, as wrk and oha drive theirs), so that on
/// a two-core machine the clients take as little as possible of the server's CPU: no thread
/// per client to wake and switch to at every response, requests written out beforehand.
fn drive_http(addr: SocketAddr, clients: usize, seconds: f64, requests: Arc<Vec<Vec<u8>>>) -> Run {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    std::thread::Builder::new()
        .name("client".into())
        .spawn(move || {
            runtime.block_on(async move {
                let mut connections = Vec::new();
                for _ in 0..clients {
                    connections.push(Connection::open(addr).await.unwrap());
                }
                let stop = Arc::new(AtomicBool::new(false));
                let (started, cpu_started) = (Instant::now(), cpu_time());
                let tasks: Vec<_> = connections
                    .into_iter()
                    .enumerate()
                    .map(|(t, mut connection)| {
                        let (stop, requests) = (Arc::clone(&stop), Arc::clone(&requests));
                        tokio::spawn(async move {
                            let mut latencies = Vec::new();
                            let mut errors = 0u64;
                            let mut i = t * 7919;
                            while !stop.load(Ordering::Relaxed) {
                                let at = Instant::now();
                                let request = &requests[i % requests.len()];
                                match connection.exchange(request).await {
                                    Ok(200) => latencies.push(at.elapsed()),
                                    Ok(_) => errors += 1,
                                    Err(_) => {
                                        errors += 1;
                                        break;
                                    }
                                }
                                i += 1;
                            }
                            (latencies, errors)
                        })
                    })
                    .collect();
                tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
                stop.store(true, Ordering::Relaxed);
                let mut parts = Vec::with_capacity(tasks.len());
                for task in tasks {
                    parts.push(task.await.unwrap());
                }
                Run::finish(parts, started, cpu_started)
            })
        })
        .unwrap()
        .join()
        .unwrap()
}

fn report(side: &str, clients: usize, round: usize, run: &Run) {
    println!(
        "{}",
        serde_json::json!({
            "side": side,
            "clients": clients,
            "round": round,
            "requests": run.latencies.len(),
            "errors": run.errors,
            "requests_per_s": (run.rate() * 10.0).round() / 10.0,
            "p50_ms": (run.percentile(0.50) * 1000.0).round() / 1000.0,
            "p99_ms": (run.percentile(0.99) * 1000.0).round() / 1000.0,
            "cpu_ms_per_request": (run.cpu_ms_per_request() * 1000.0).round() / 1000.0,
        })
    );
}

fn main() {
    let args = args();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let queries = Arc::new(build(&args.corpus, &index));
    let live = LiveArchive::open(&index).unwrap();
    let archive = live.current();
    // Each query's request, written out once: the clients only send bytes.
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(
        queries
            .iter()
            .map(|q| {
                format!(
                    "GET /api/search?q={} HTTP/1.1\r\nHost: bench\r\n\r\n",
                    encode(q)
                )
                .into_bytes()
            })
            .collect(),
    );

    // The server, on its own runtime as `fahras serve` runs it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("server")
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let mut options = ServeOptions::default();
    if let Some(n) = args.max_searches {
        options.max_concurrent_searches = n;
    }
    let app = router(Arc::clone(&live), &options).expect("start the search threads");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(serve(listener, app, async {
        let _ = stop_rx.await;
    }));

    // Warm-up: every query once each way (page cache, variant map, connections).
    for q in queries.iter() {
        archive.search(&SearchRequest::new(q.as_str())).unwrap();
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut warm = Connection::open(addr).await.unwrap();
            for request in requests.iter() {
                assert_eq!(warm.exchange(request).await.unwrap(), 200);
            }
        });

    let mut summary = Vec::new();
    for &clients in &args.clients {
        let (mut inproc, mut http) = (Vec::new(), Vec::new());
        for round in 0..args.rounds {
            let (archive, queries) = (Arc::clone(&archive), Arc::clone(&queries));
            let run = drive(clients, args.seconds, move |_, i| {
                archive
                    .search(&SearchRequest::new(queries[i % queries.len()].as_str()))
                    .is_ok()
            });
            report("in-process", clients, round, &run);
            inproc.push(run);

            let run = drive_http(addr, clients, args.seconds, Arc::clone(&requests));
            report("http", clients, round, &run);
            http.push(run);
        }
        let rate = |runs: &[Run]| {
            let mut rates: Vec<f64> = runs.iter().map(Run::rate).collect();
            rates.sort_by(f64::total_cmp);
            rates[rates.len() / 2]
        };
        let cpu = |runs: &[Run]| {
            let mut costs: Vec<f64> = runs.iter().map(Run::cpu_ms_per_request).collect();
            costs.sort_by(f64::total_cmp);
            costs[costs.len() / 2]
        };
        let errors: u64 = http.iter().map(|r| r.errors).sum();
        // Each round's HTTP rate over the in-process rate measured just before it.
        let round_ratios: Vec<f64> = http
            .iter()
            .zip(&inproc)
            .map(|(h, i)| (h.rate() / i.rate() * 1000.0).round() / 1000.0)
            .collect();
        let line = serde_json::json!({
            "clients": clients,
            "in_process_requests_per_s": (rate(&inproc) * 10.0).round() / 10.0,
            "http_requests_per_s": (rate(&http) * 10.0).round() / 10.0,
            "ratio": (rate(&http) / rate(&inproc) * 1000.0).round() / 1000.0,
            "round_ratios": round_ratios,
            // In-process CPU per request over HTTP's (clients included): what the ratio of
            // rates would be on two cores left to this benchmark alone.
            "cpu_ratio": (cpu(&inproc) / cpu(&http) * 1000.0).round() / 1000.0,
            "in_process_cpu_ms_per_request": (cpu(&inproc) * 1000.0).round() / 1000.0,
            "http_cpu_ms_per_request": (cpu(&http) * 1000.0).round() / 1000.0,
            "http_p50_ms": (http.last().unwrap().percentile(0.5) * 1000.0).round() / 1000.0,
            "http_p99_ms": (http.last().unwrap().percentile(0.99) * 1000.0).round() / 1000.0,
            "in_process_p50_ms": (inproc.last().unwrap().percentile(0.5) * 1000.0).round() / 1000.0,
            "in_process_p99_ms": (inproc.last().unwrap().percentile(0.99) * 1000.0).round() / 1000.0,
            "http_errors": errors,
        });
        summary.push(line);
    }
    for line in &summary {
        println!("summary {line}");
    }
    let _ = stop_tx.send(());
    runtime.block_on(server).unwrap().unwrap();
}
