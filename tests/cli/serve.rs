//! `fahras serve`: the API over real HTTP against a server each test starts (parity with the
//! CLI's `--json`, every class of bad input, following commits and rebuilds, shutdown), and
//! the page's escaping. The requests are written by hand on a TCP socket so that the tests
//! can send what a well-behaved client library would refuse to (bad escapes, NUL, huge URLs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::search::Indexed;
use crate::{fahras_in, TestDir};

/// A `fahras serve` process on a free port of 127.0.0.1, stopped (SIGTERM) when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `fahras serve --listen 127.0.0.1:0 ARGS…` in `dir` and waits for its address.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fahras"))
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            .env_remove("FAHRAS_INDEX")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start fahras serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut line = String::new();
            while lines.read_line(&mut line).unwrap_or(0) > 0 {
                if let Some(addr) = line.trim().strip_prefix("listening on http://") {
                    let _ = tx.send(addr.parse::<SocketAddr>().unwrap());
                }
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start: {}", stderr.lock().unwrap());
            }
        };
        Server {
            child,
            addr,
            stderr,
        }
    }

    pub fn get(&self, target: &str) -> Response {
        request(self.addr, &format!("GET {target} HTTP/1.1\r\n"))
    }

    pub fn json(&self, target: &str) -> (u16, serde_json::Value) {
        let response = self.get(target);
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/json"),
            "{target}: {response:?}"
        );
        let value = serde_json::from_str(&response.body)
            .unwrap_or_else(|e| panic!("{target}: {e}: {}", response.body));
        (response.status, value)
    }

    /// SIGTERM, and the exit code and time it took to exit.
    pub fn terminate(mut self) -> (Option<i32>, Duration) {
        let started = Instant::now();
        signal(&self.child, libc::SIGTERM);
        let deadline = started + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status.code(), started.elapsed());
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

fn signal(child: &Child, signal: i32) {
    // SAFETY: a plain kill(2) of our own child's pid.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            signal(&self.child, libc::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(10);
            while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

/// Sends a request head (its first line given, `Host` and `Connection: close` added) and
/// reads the response to the end.
pub fn request(addr: SocketAddr, first_line_and_headers: &str) -> Response {
    request_bytes(
        addr,
        format!("{first_line_and_headers}Host: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

pub fn request_bytes(addr: SocketAddr, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // A server that refuses early may close before it has read it all.
    let _ = stream.write_all(raw);
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .expect("the server answers within 30 s");
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> Response {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(bytes)));
    let head = std::str::from_utf8(&bytes[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8(body).expect("the body is UTF-8"),
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The search JSON without the one field that differs between two runs.
fn without_time(mut value: serde_json::Value) -> serde_json::Value {
    value.as_object_mut().unwrap().remove("took_ms");
    value
}

#[test]
fn api_search_is_exactly_the_cli_json() {
    let indexed = Indexed::sample();
    let server = Server::start(indexed.dir.path(), &["--index", "idx"]);
    let cases: &[(&[&str], &str)] = &[
        (&["سد وادي العقيق"], "q=سد وادي العقيق"),
        (
            &["--limit", "3", "--offset", "2", "الحكومة"],
            "q=الحكومة&limit=3&offset=2",
        ),
        (
            &["--sort", "newest", "--since", "2023-01-01", "مياه"],
            "q=مياه&sort=newest&since=2023-01-01",
        ),
        (
            &["--until", "2022-12-31", "--sort", "oldest", "انتخابات"],
            "q=انتخابات&until=2022-12-31&sort=oldest",
        ),
        (&["--exact", "مسئول"], "q=مسئول&exact=true"),
        (
            &["--no-partial", "سد المدينة الجديدة"],
            "q=سد المدينة الجديدة&partial=false",
        ),
        (&["\"وادي العقيق\" -أمطار"], "q=\"وادي العقيق\" -أمطار"),
        (&["مستشفى الملكية"], "q=مستشفى الملكية"),
        (&["zzzqqq"], "q=zzzqqq"),
        (&["--facets", "مياه"], "q=مياه&facets=true"),
        (
            &["--facets", "--limit", "0", "في"],
            "q=في&facets=true&limit=0",
        ),
    ];
    for (args, query) in cases {
        let mut cli_args = vec!["search", "--index", "idx", "--json"];
        cli_args.extend_from_slice(args);
        let out = fahras_in(indexed.dir.path(), &cli_args, None);
        let cli: serde_json::Value = serde_json::from_str(out.stdout.trim())
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {out:?}"));
        let target: String = query
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap();
                format!("{name}={}", enc(value))
            })
            .collect::<Vec<_>>()
            .join("&");
        let (status, api) = server.json(&format!("/api/search?{target}"));
        assert_eq!(status, 200, "{query}: {api}");
        assert_eq!(without_time(api), without_time(cli), "{query}");
    }
    // A source and a category, as the filters of one article found first.
    let (_, all) = server.json(&format!("/api/search?q={}", enc("سد")));
    let hit = &all["hits"][0];
    let (source, category) = (
        hit["source"].as_str().unwrap(),
        hit["category"].as_str().unwrap(),
    );
    let out = fahras_in(
        indexed.dir.path(),
        &[
            "search",
            "--index",
            "idx",
            "--json",
            "--source",
            source,
            "--category",
            category,
            "سد",
        ],
        None,
    );
    let cli: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    let (_, api) = server.json(&format!(
        "/api/search?q={}&source={}&category={}",
        enc("سد"),
        enc(source),
        enc(category)
    ));
    assert!(!api["hits"].as_array().unwrap().is_empty());
    assert_eq!(without_time(api), without_time(cli));
    // Two sources: articles from either, as `--source A --source B`.
    let (_, all) = server.json(&format!("/api/search?q={}&facets=true", enc("في")));
    let sources: Vec<&str> = all["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|pair| pair[0].as_str().unwrap())
        .collect();
    let out = fahras_in(
        indexed.dir.path(),
        &[
            "search", "--index", "idx", "--json", "--facets", "--source", sources[0], "--source",
            sources[1], "في",
        ],
        None,
    );
    let cli: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    let (_, api) = server.json(&format!(
        "/api/search?q={}&facets=1&source={}&source={}",
        enc("في"),
        enc(sources[0]),
        enc(sources[1])
    ));
    let counts = &all["facets"]["source"];
    assert_eq!(
        api["total_hits"].as_u64().unwrap(),
        counts[0][1].as_u64().unwrap() + counts[1][1].as_u64().unwrap()
    );
    assert_eq!(without_time(api), without_time(cli));
}

#[test]
fn api_stats_analyze_articles_and_health() {
    let indexed = Indexed::sample();
    let server = Server::start(indexed.dir.path(), &["--index", "idx"]);
    let cli = fahras_in(
        indexed.dir.path(),
        &["stats", "--index", "idx", "--json"],
        None,
    );
    // Twice: the second answer comes from the server's cache of the figures.
    let cli_stats: serde_json::Value = serde_json::from_str(cli.stdout.trim()).unwrap();
    let mut stats = serde_json::Value::Null;
    for _ in 0..2 {
        let status;
        (status, stats) = server.json("/api/stats");
        assert_eq!(status, 200);
        assert_eq!(stats, cli_stats);
    }

    let text = "وقالَ المسؤولون في المدينة";
    let cli = fahras_in(indexed.dir.path(), &["analyze", "--json", text], None);
    let api = server.get(&format!("/api/analyze?text={}", enc(text)));
    assert_eq!(api.status, 200);
    assert_eq!(api.body.trim(), cli.stdout.trim(), "the same bytes");

    let (status, health) = server.json("/health");
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    assert_eq!(health["articles"], stats["articles"]);

    // An article by id, with the highlights of a query in its body.
    let (_, found) = server.json(&format!("/api/search?q={}", enc("مسؤولين")));
    let id = found["hits"][0]["id"].as_str().unwrap().to_string();
    let (status, article) =
        server.json(&format!("/api/articles/{}?q={}", enc(&id), enc("مسؤولين")));
    assert_eq!(status, 200, "{article}");
    assert_eq!(article["id"], id.as_str());
    let body = article["body"].as_str().unwrap();
    let highlights = article["highlights"].as_array().unwrap();
    assert!(!highlights.is_empty());
    for range in highlights {
        let (s, e) = (
            range[0].as_u64().unwrap() as usize,
            range[1].as_u64().unwrap() as usize,
        );
        let word = &body[s..e];
        assert!(word.contains("مسؤول") || word.contains("مسئول"), "{word}");
    }
    // Without a query: the article, no highlights. Ids with a slash (scraped files) work.
    let (_, scraped) = server.json(&format!("/api/search?q={}&limit=100", enc("في")));
    let scraped_id = scraped["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .find(|id| id.contains('/'))
        .expect("a scraped article")
        .to_string();
    let (status, article) = server.json(&format!("/api/articles/{scraped_id}"));
    assert_eq!(status, 200, "{article}");
    assert_eq!(article["id"], scraped_id.as_str());
    assert!(article.get("highlights").is_none());
}

#[test]
fn bad_input_gets_a_4xx_json_error_never_a_5xx_or_a_hang() {
    let server = Server::start(TestDir::new().path(), &[]);
    let huge = "%D8%B3".repeat(300_000); // 1.8 MB of URL: «سسس…»
    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/search?q=x&limit=ten".into(), 400, "whole number"),
        ("/api/search?q=x&limit=-5".into(), 400, "whole number"),
        ("/api/search?q=x&offset=1.5".into(), 400, "whole number"),
        ("/api/search?q=x&since=2024-13-01".into(), 400, "YYYY-MM-DD"),
        ("/api/search?q=x&until=yesterday".into(), 400, "YYYY-MM-DD"),
        (
            "/api/search?q=x&since=2024-05-01&until=2024-01-01".into(),
            400,
            "after",
        ),
        ("/api/search?q=%zz".into(), 400, "percent-encoding"),
        ("/api/search?q=%D8".into(), 400, "UTF-8"),
        ("/api/search?q=a%00b".into(), 400, "NUL"),
        (
            "/api/search?q=x&sort=best".into(),
            400,
            "relevance, newest or oldest",
        ),
        ("/api/search?q=x&exact=maybe".into(), 400, "true or false"),
        ("/api/search?q=x&limt=3".into(), 400, "unknown parameter"),
        ("/api/search?q=x&q=y".into(), 400, "more than once"),
        ("/api/search".into(), 400, "missing"),
        ("/api/search?q=+++".into(), 400, "missing or empty"),
        (
            format!("/api/search?q={}", "%D8%B3".repeat(5000)),
            400,
            "bytes long",
        ),
        ("/api/analyze".into(), 400, "missing"),
        (
            format!("/api/analyze?text={}", "a".repeat(20_000)),
            400,
            "bytes long",
        ),
        ("/api/articles/no-such-id".into(), 404, "no article"),
        ("/api/articles/%zz".into(), 400, "percent-encoding"),
        ("/api/stats?verbose=1".into(), 400, "unknown parameter"),
        ("/api/nothing".into(), 404, "no such page"),
    ];
    for (target, status, words) in &cases {
        let started = Instant::now();
        let response = server.get(target);
        let shown = &target[..target.len().min(80)];
        assert_eq!(response.status, *status, "{shown}: {}", response.body);
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/json"),
            "{shown}"
        );
        let error: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        let message = error["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{shown}: {error}"));
        assert!(message.contains(words), "{shown}: {message}");
        assert!(started.elapsed() < Duration::from_secs(5), "{shown}");
    }
    // A URL past 64 KB is refused by the HTTP layer: 414, or 431 for a head of megabytes.
    let started = Instant::now();
    let long = "%D8%B3".repeat(12_000);
    assert_eq!(server.get(&format!("/api/search?q={long}")).status, 414);
    assert_eq!(server.get(&format!("/api/search?q={huge}")).status, 431);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Other methods: 405 with the allowed ones.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let response = request(
            server.addr,
            &format!("{method} /api/search?q=x HTTP/1.1\r\nContent-Length: 0\r\n"),
        );
        assert_eq!(response.status, 405, "{method}");
        assert!(response.header("allow").unwrap().contains("GET"));
        let error: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        assert!(error["error"].as_str().unwrap().contains("read-only"));
    }
    // A body, which the API never takes, past its limit.
    let body = "x".repeat(100_000);
    let response = request_bytes(
        server.addr,
        format!("POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).as_bytes(),
    );
    assert!((400..500).contains(&response.status), "{response:?}");
    // Huge limits and offsets are capped, not refused.
    let (status, capped) = server.json(&format!("/api/search?q={}&limit=100000", enc("في")));
    assert_eq!(status, 200);
    assert_eq!(capped["hits"].as_array().unwrap().len(), 100);
    let (status, deep) = server.json(&format!(
        "/api/search?q={}&offset=99999999999999999999999999",
        enc("في")
    ));
    assert_eq!(status, 200);
    assert!(deep["hits"].as_array().unwrap().is_empty());
    assert_eq!(deep["total_hits"], capped["total_hits"]);
    // The server is still well after all that.
    assert_eq!(server.json("/health").0, 200);
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

#[test]
fn the_built_in_sample_archive_is_served_without_an_index_and_sigterm_stops_cleanly() {
    let dir = TestDir::new();
    let server = Server::start(dir.path(), &[]);
    let (status, health) = server.json("/health");
    assert_eq!(status, 200);
    assert!(health["articles"].as_u64().unwrap() >= 120);
    assert!(server.stderr().contains("sample archive"));
    let response = server.get("/");
    assert_eq!(response.status, 200);
    assert!(response.body.contains("<html dir=\"rtl\" lang=\"ar\">"));
    assert!(response
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    let (code, took) = server.terminate();
    assert_eq!(code, Some(0));
    assert!(took < Duration::from_secs(8), "{took:?}");
}

#[test]
fn cors_is_off_by_default_and_answers_only_the_origins_given() {
    let dir = TestDir::new();
    let with_origin = |server: &Server, line: &str, origin: &str| {
        request(
            server.addr,
            &format!("{line} HTTP/1.1\r\nOrigin: {origin}\r\n"),
        )
    };
    const ALLOW: &str = "access-control-allow-origin";
    let site = "https://newsroom.example";
    {
        let server = Server::start(dir.path(), &[]);
        let response = with_origin(&server, "GET /api/search?q=%D8%B3%D8%AF", site);
        assert_eq!(response.status, 200);
        assert_eq!(response.header(ALLOW), None, "CORS is off by default");
    }
    let server = Server::start(dir.path(), &["--cors", site]);
    for line in [
        "GET /api/search?q=%D8%B3%D8%AF",
        "GET /api/stats",
        "GET /health",
    ] {
        let response = with_origin(&server, line, site);
        assert_eq!(response.status, 200, "{line}");
        assert_eq!(response.header(ALLOW).as_deref(), Some(site), "{line}");
    }
    // A refusal is readable by the page too, so that it can show the reason.
    let refused = with_origin(&server, "GET /api/search?q=%zz", site);
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header(ALLOW).as_deref(), Some(site));
    // Another site gets no header (its browser keeps it from reading), nor does the page.
    let other = with_origin(&server, "GET /api/stats", "https://elsewhere.example");
    assert_eq!(other.header(ALLOW), None);
    assert_eq!(with_origin(&server, "GET /", site).header(ALLOW), None);
    // A browser's preflight.
    let preflight = request(
        server.addr,
        &format!("OPTIONS /api/search?q=x HTTP/1.1\r\nOrigin: {site}\r\nAccess-Control-Request-Method: GET\r\n"),
    );
    assert_eq!(preflight.status, 200, "{preflight:?}");
    assert_eq!(preflight.header(ALLOW).as_deref(), Some(site));
    assert!(preflight
        .header("access-control-allow-methods")
        .is_some_and(|m| m.contains("GET")));
    // A value that is not an origin is refused before the server starts, with the reason.
    let bad = fahras_in(
        dir.path(),
        &["serve", "--cors", "https://newsroom.example/"],
        None,
    );
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("is not an origin"), "{}", bad.stderr);
}

const HOSTILE: &str = r#"{"id":"evil\"><script>alert(1)</script>","title":"<script>alert('title')</script> خبر عاجل عن السد","body":"قال المسؤول إن السد <img src=x onerror=alert(2)> سيفتتح قريبا. \" onmouseover=\"alert(3)","source":"<b onclick=alert(4)>وكالة</b>","category":"\"><svg onload=alert(5)>","url":"javascript:alert(6)","date":"2024-03-01"}"#;

#[test]
fn the_page_escapes_article_text_everywhere() {
    let dir = TestDir::new();
    dir.write("evil.jsonl", format!("{HOSTILE}\n"));
    let out = fahras_in(dir.path(), &["index", "--index", "idx", "evil.jsonl"], None);
    assert_eq!(out.code, 0, "{out:?}");
    let server = Server::start(dir.path(), &["--index", "idx"]);
    let page = server.get(&format!("/?q={}", enc("السد")));
    assert_eq!(page.status, 200);
    let id = "evil\"><script>alert(1)</script>";
    let article = server.get(&format!("/articles/{}?q={}", enc(id), enc("السد")));
    assert_eq!(article.status, 200, "{}", article.body);
    for body in [&page.body, &article.body] {
        assert!(
            body.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
            "{body}"
        );
        for raw in [
            "<script",
            "<img",
            "<svg onload",
            "<b ",
            "href=\"javascript:",
        ] {
            let in_tags = body.match_indices(raw).count();
            assert_eq!(in_tags, 0, "{raw} unescaped in {body}");
        }
        assert!(body.contains("<mark>"), "{body}");
    }
    // The facet lists show the hostile source and category as text too.
    assert!(page.body.contains("<aside class=\"facets\""));
    assert!(
        page.body.contains("&quot;&gt;&lt;svg onload=alert(5)&gt;"),
        "{}",
        page.body
    );
    // The API returns the text as data.
    let (status, json) = server.json(&format!("/api/articles/{}", enc(id)));
    assert_eq!(status, 200);
    assert_eq!(json["url"], "javascript:alert(6)");
}

/// A thread that searches the server until told to stop, recording every status and
/// whether each response found `word`.
struct Prober {
    stop: Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Vec<(u16, Instant, u64)>>,
}

impl Prober {
    fn start(addr: SocketAddr, query: &str) -> Prober {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let target = format!("GET /api/search?q={}&limit=1 HTTP/1.1\r\n", enc(query));
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) && seen.len() < 100_000 {
                let response = request(addr, &target);
                let total = serde_json::from_str::<serde_json::Value>(&response.body)
                    .ok()
                    .and_then(|v| v["total_hits"].as_u64())
                    .unwrap_or(u64::MAX);
                seen.push((response.status, Instant::now(), total));
                std::thread::sleep(Duration::from_millis(5));
            }
            seen
        });
        Prober { stop, handle }
    }

    fn finish(self) -> Vec<(u16, Instant, u64)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap()
    }
}

/// Polls until `found` holds for a search of `query`, and returns how long that took.
fn time_until(server: &Server, query: &str, found: impl Fn(u64) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let (status, results) = server.json(&format!("/api/search?q={}", enc(query)));
        assert_eq!(status, 200);
        if found(results["total_hits"].as_u64().unwrap()) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{query} never changed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn commits_and_rebuilds_are_served_without_restart_or_failed_requests() {
    let dir = TestDir::new();
    let article = |id: &str, word: &str| {
        format!(r#"{{"id":"{id}","title":"خبر {word}","body":"نص عن {word} في المدينة"}}"#)
    };
    dir.write(
        "first.jsonl",
        format!("{}\n{}\n", article("a", "قمح"), article("b", "زيتون")),
    );
    assert_eq!(
        fahras_in(
            dir.path(),
            &["index", "--index", "idx", "first.jsonl"],
            None
        )
        .code,
        0
    );
    let server = Server::start(dir.path(), &["--index", "idx"]);
    let prober = Prober::start(server.addr, "المدينة");
    // The figures are read once per state of the index (cached), and again after a change.
    let articles = || server.json("/api/stats").1["articles"].as_u64().unwrap();
    assert_eq!(articles(), 2);
    assert!(server
        .get("/")
        .body
        .contains("<p class=\"archive\">2 مقالة"));
    // Another process commits: the new article is served within a few seconds.
    dir.write("second.jsonl", format!("{}\n", article("c", "برتقال")));
    assert_eq!(
        fahras_in(
            dir.path(),
            &["index", "--index", "idx", "second.jsonl"],
            None
        )
        .code,
        0
    );
    let after_commit = time_until(&server, "برتقال", |n| n == 1);
    assert_eq!(articles(), 3, "the stats after a commit");
    assert!(server
        .get("/")
        .body
        .contains("<p class=\"archive\">3 مقالة"));
    // A rebuild from other files swaps the whole index.
    dir.write(
        "rebuilt.jsonl",
        format!("{}\n{}\n", article("d", "رمان"), article("e", "عنب")),
    );
    let out = fahras_in(
        dir.path(),
        &["index", "--rebuild", "--index", "idx", "rebuilt.jsonl"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let after_rebuild = time_until(&server, "رمان", |n| n == 1);
    assert_eq!(articles(), 2, "the stats after a rebuild");
    assert!(server
        .get("/")
        .body
        .contains("<p class=\"archive\">2 مقالة"));
    // What the rebuild left out is gone with the same swap.
    let (_, gone) = server.json(&format!("/api/search?q={}", enc("برتقال")));
    assert_eq!(gone["total_hits"], 0);
    // A second rebuild while searching, to catch a swap in the middle of requests.
    let out = fahras_in(
        dir.path(),
        &["index", "--rebuild", "--index", "idx", "first.jsonl"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    time_until(&server, "قمح", |n| n == 1);
    let seen = prober.finish();
    assert!(seen.len() > 20, "{} probes", seen.len());
    let failed: Vec<_> = seen.iter().filter(|(s, _, _)| *s != 200).collect();
    assert!(
        failed.is_empty(),
        "failed requests during the swaps: {failed:?}"
    );
    // Every answer counted the articles of one complete index: 2 or 3, never 0 or a mix.
    assert!(
        seen.iter().all(|(_, _, n)| *n == 2 || *n == 3),
        "{:?}",
        seen.iter().map(|s| s.2).collect::<Vec<_>>()
    );
    assert!(after_commit < Duration::from_secs(3), "{after_commit:?}");
    assert!(after_rebuild < Duration::from_secs(3), "{after_rebuild:?}");
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

/// `n` different Arabic words of two letters each.
fn distinct_words(n: usize) -> String {
    let letters: Vec<char> = ('\u{0628}'..='\u{063A}').collect(); // ARABIC LETTER BEH .. GHAIN
    (0..n)
        .map(|i| {
            let (a, b) = (letters[i % letters.len()], letters[i / letters.len()]);
            format!("{a}{b}{a}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_query_is_bounded_repeated_words_once_and_a_cap_on_different_words() {
    let dir = TestDir::new();
    // The CLI: 5,000 copies of one word are one word; 40 different words are refused.
    let repeated = "سد ".repeat(5000);
    let out = fahras_in(dir.path(), &["search", "--json", &repeated], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let results: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    let (_, once) = {
        let out = fahras_in(dir.path(), &["search", "--json", "سد"], None);
        (
            out.code,
            serde_json::from_str::<serde_json::Value>(out.stdout.trim()).unwrap(),
        )
    };
    assert_eq!(results["total_hits"], once["total_hits"]);
    assert_eq!(results["hits"][0]["id"], once["hits"][0]["id"]);
    let out = fahras_in(dir.path(), &["search", &distinct_words(40)], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("40 different words; at most 32"),
        "{}",
        out.stderr
    );
    // The API: the same, within its 4 KB.
    let server = Server::start(dir.path(), &[]);
    let (status, results) = server.json(&format!("/api/search?q={}", enc(&"سد ".repeat(700))));
    assert_eq!(status, 200);
    assert_eq!(results["total_hits"], once["total_hits"]);
    let (status, error) = server.json(&format!("/api/search?q={}", enc(&distinct_words(40))));
    assert_eq!(status, 400);
    assert!(
        error["error"].as_str().unwrap().contains("at most 32"),
        "{error}"
    );
    let (status, _) = server.json(&format!("/api/search?q={}", enc(&distinct_words(32))));
    assert_eq!(status, 200);
}
