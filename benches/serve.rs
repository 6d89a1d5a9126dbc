//! `fahras serve` under load beside the library's own search, in one run: requests per second
//! and p50/p99 latency with 1, 4 and 16 concurrent clients over HTTP (keep-alive connections
//! to a server on 127.0.0.1), and the same queries through `Archive::search` on as many
//! threads. The ratio HTTP / in-process is the HTTP layer's cost.
//!
//! ```text
//! flock /work/.bench.lock cargo bench --bench serve -- CORPUS.jsonl.gz [--seconds S] [--rounds R]
//! ```
//!
//! The corpus is indexed into a temporary directory first. The queries are the first two to
//! four words of every 50th title of the corpus (a headline's words, as people search). Each
//! concurrency runs both sides in turn, `--rounds` times (default 2), for `--seconds` each
//! (default 5): a slow moment of a shared machine falls on both sides alike. The clients run
//! on the same machine as the server, so at 16 clients their own work competes with the
//! server's for the cores; the in-process side has no such cost. Prints one JSON object per
//! concurrency and side, then a summary line per concurrency.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
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
}

fn args() -> Args {
    let mut corpus = None;
    let mut seconds = 5.0;
    let mut rounds = 2;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => seconds = it.next().unwrap().parse().unwrap(),
            "--rounds" => rounds = it.next().unwrap().parse().unwrap(),
            "--bench" => {}
            other if !other.starts_with('-') => corpus = Some(PathBuf::from(other)),
            other => panic!("unknown argument {other}"),
        }
    }
    Args {
        corpus: corpus.expect("usage: cargo bench --bench serve -- CORPUS.jsonl.gz"),
        seconds,
        rounds,
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
}

impl Run {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(at).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// Runs `work(thread, i)` on `threads` threads for `seconds`, timing each call.
fn drive(
    threads: usize,
    seconds: f64,
    work: impl Fn(usize, usize) -> bool + Sync + Send + Clone + 'static,
) -> Run {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let stop = Arc::clone(&stop);
            let work = work.clone();
            std::thread::spawn(move || {
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
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut run = Run {
        latencies: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for handle in handles {
        let (latencies, errors) = handle.join().unwrap();
        run.latencies.extend(latencies);
        run.errors += errors;
    }
    run.elapsed = started.elapsed();
    run
}

/// A keep-alive HTTP/1.1 connection that sends GETs and reads `Content-Length` bodies.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    fn open(addr: SocketAddr) -> Connection {
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_nodelay(true).unwrap();
        Connection {
            stream,
            buffer: Vec::with_capacity(64 * 1024),
        }
    }

    /// The status of the response, its body read and dropped.
    fn get(&mut self, target: &str) -> std::io::Result<u16> {
        write!(self.stream, "GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n")?;
        self.buffer.clear();
        let mut chunk = [0u8; 16 * 1024];
        let head_end = loop {
            if let Some(at) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        };
        let head = std::str::from_utf8(&self.buffer[..head_end]).unwrap_or("");
        let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        while self.buffer.len() < head_end + length {
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
        Ok(status)
    }
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
    let targets: Arc<Vec<String>> = Arc::new(
        queries
            .iter()
            .map(|q| format!("/api/search?q={}", encode(q)))
            .collect(),
    );

    // The server, on its own runtime as `fahras serve` runs it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Arc::clone(&live), &ServeOptions::default());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(serve(listener, app, async {
        let _ = stop_rx.await;
    }));

    // Warm-up: every query once each way (page cache, variant map, connections).
    for q in queries.iter() {
        archive.search(&SearchRequest::new(q.as_str())).unwrap();
    }
    let mut warm = Connection::open(addr);
    for t in targets.iter() {
        assert_eq!(warm.get(t).unwrap(), 200);
    }

    let mut summary = Vec::new();
    for clients in [1usize, 4, 16] {
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

            let connections: Arc<Vec<std::sync::Mutex<Connection>>> = Arc::new(
                (0..clients)
                    .map(|_| std::sync::Mutex::new(Connection::open(addr)))
                    .collect(),
            );
            let targets = Arc::clone(&targets);
            let run = drive(clients, args.seconds, move |t, i| {
                let mut connection = connections[t].lock().unwrap();
                matches!(connection.get(&targets[i % targets.len()]), Ok(200))
            });
            report("http", clients, round, &run);
            http.push(run);
        }
        let rate = |runs: &[Run]| {
            let mut rates: Vec<f64> = runs.iter().map(Run::rate).collect();
            rates.sort_by(f64::total_cmp);
            rates[rates.len() / 2]
        };
        let errors: u64 = http.iter().map(|r| r.errors).sum();
        let line = serde_json::json!({
            "clients": clients,
            "in_process_requests_per_s": (rate(&inproc) * 10.0).round() / 10.0,
            "http_requests_per_s": (rate(&http) * 10.0).round() / 10.0,
            "ratio": (rate(&http) / rate(&inproc) * 1000.0).round() / 1000.0,
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
