//! The search page in a real headless Chromium, driven over WebDriver (chromedriver): type a
//! query, see hits with `<mark>`, filter by a source, go back, page, open an article, a hostile
//! article that runs nothing, a phone's width, Arabic glyphs rather than boxes.
//!
//! Not part of plain `cargo test`: run with `cargo test --features browser-tests --test
//! browser` (scripts/test-all does, after installing chromium, chromium-driver and
//! fonts-noto-core). Without a browser these tests fail; they never skip.
//!
//! `FAHRAS_SCREENSHOT_DIR=docs` saves the screenshots the README shows.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find_program(names: &[&str]) -> PathBuf {
    for name in names {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let path = Path::new(dir).join(name);
            if path.is_file() {
                return path;
            }
        }
    }
    panic!(
        "none of {names:?} is installed: the browser tests need Debian's chromium and chromium-driver \
         (apt-get install chromium chromium-driver fonts-noto-core; scripts/test-all installs them)"
    );
}

/// chromedriver on a free port of 127.0.0.1.
fn start_driver() -> (Process, String) {
    let driver = find_program(&["chromedriver"]);
    find_program(&["chromium", "chromium-browser"]);
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let process = Process(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (process, format!("http://127.0.0.1:{port}"))
}

/// `fahras serve` on an index of the sample corpus plus a hostile article.
fn start_server(dir: &Path) -> (Process, SocketAddr) {
    let fahras = env!("CARGO_BIN_EXE_fahras");
    std::fs::write(dir.join("hostile.jsonl"), format!("{HOSTILE}\n")).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    let status = Command::new(fahras)
        .args(["index", "--index", "idx"])
        .arg(&corpus)
        .arg("hostile.jsonl")
        .current_dir(dir)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = Command::new(fahras)
        .args(["serve", "--index", "idx", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let addr = loop {
        line.clear();
        assert!(
            lines.read_line(&mut line).unwrap() > 0,
            "the server did not start"
        );
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse().unwrap();
        }
    };
    std::thread::spawn(move || {
        let mut sink = String::new();
        while lines.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    (Process(child), addr)
}

/// An article whose text tries every way into the page; each would set `document.title`.
const HOSTILE: &str = r#"{"id":"hostile-1","title":"<script>document.title='pwned'</script> فيضان الزعفرانة","body":"غمر فيضان الزعفرانة الحقول <img src=x onerror=\"document.title='pwned'\"> وقال المزارعون إن <svg onload=\"document.title='pwned'\"></svg> الخسائر كبيرة.","source":"<b onmouseover=\"document.title='pwned'\">وكالة</b>","category":"\"><script>document.title='pwned'</script>","url":"javascript:document.title='pwned'","date":"2024-02-02"}"#;

async fn browser(driver: &str) -> Client {
    let capabilities = json!({
        "goog:chromeOptions": {
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1000", "--lang=ar", "--hide-scrollbars",
            ]
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(driver)
        .await
        .expect("a Chromium session through chromedriver")
}

/// The browser as the steps use it: one call a step, and a step that fails says which step it
/// was, what it looked for and what the page showed instead.
struct Page<'a> {
    client: &'a Client,
}

impl Page<'_> {
    /// Where the browser is and the start of what it shows, for a failure's message.
    async fn seen(&self) -> String {
        let url = match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(e) => format!("(no URL: {e})"),
        };
        let text = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no body: {e})"),
        };
        let text: String = text.chars().take(300).collect();
        format!("at {url}, showing {text:?}")
    }

    /// Waits until something matches `css`.
    async fn wait(&self, step: &str, css: &str) {
        if let Err(e) = self.client.wait().for_element(Locator::Css(css)).await {
            panic!("{step}: no `{css}` came ({e}) {}", self.seen().await);
        }
    }

    /// Clicks the first `css`, then waits for `then`.
    async fn click(&self, step: &str, css: &str, then: &str) {
        let element = match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!(
                "{step}: nothing to click at `{css}` ({e}) {}",
                self.seen().await
            ),
        };
        if let Err(e) = element.click().await {
            panic!(
                "{step}: clicking `{css}` failed ({e}) {}",
                self.seen().await
            );
        }
        self.wait(step, then).await;
    }

    /// Opens `url`, then waits for `then`.
    async fn goto(&self, step: &str, url: &str, then: &str) {
        self.client.goto(url).await.unwrap();
        self.wait(step, then).await;
    }

    /// Goes back a page, then waits for `then`.
    async fn back(&self, step: &str, then: &str) {
        self.client.back().await.unwrap();
        self.wait(step, then).await;
    }

    /// The text of everything that matches `css`.
    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(element.text().await.unwrap());
        }
        out
    }

    /// The text of the first match of `css`.
    async fn text(&self, step: &str, css: &str) -> String {
        match self.texts(css).await.into_iter().next() {
            Some(text) => text,
            None => panic!("{step}: no `{css}` {}", self.seen().await),
        }
    }

    /// How many elements match `css`.
    async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// The address shown now.
    async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    /// The value of the parameter `name` in the address shown now.
    async fn param(&self, name: &str) -> Option<String> {
        let url = self.client.current_url().await.unwrap();
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }
}

fn screenshot(name: &str, png: &[u8]) {
    let dir = std::env::var_os("FAHRAS_SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_page_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, addr) = start_server(dir.path());
    let (_driver, driver_url) = start_driver();
    let client = browser(&driver_url).await;
    let base = format!("http://{addr}");
    // The steps run as a task so that a failed assertion still closes the session (which ends
    // the browser) before the test fails with it.
    let steps = tokio::spawn({
        let client = client.clone();
        async move { run_steps(&client, &base).await }
    });
    let outcome = steps.await;
    let _ = client.close().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn run_steps(client: &Client, base: &str) {
    let page = Page { client };

    // The home page: right to left, Arabic, a search box.
    page.goto("the home page", &format!("{base}/"), "input[name=q]")
        .await;
    let root = page
        .js("return [document.documentElement.dir, document.documentElement.lang]")
        .await;
    assert_eq!(root, json!(["rtl", "ar"]));
    let direction = page
        .js("return getComputedStyle(document.body).direction")
        .await;
    assert_eq!(direction, "rtl");

    // Type a query and press Enter.
    let input = client.find(Locator::Css("input[name=q]")).await.unwrap();
    input.send_keys("سد وادي العقيق\u{E007}").await.unwrap();
    page.wait("a typed search", "li.hit").await;
    let url = page.url().await;
    assert!(url.starts_with(&format!("{base}/?q=")), "{url}");
    let titles = page.texts("li.hit h2").await;
    assert!(titles.len() >= 3, "{titles:?}");
    // Matched words in <mark>, as the article wrote them, styled by colour only.
    let marks = page.texts(".snippet mark").await;
    assert!(!marks.is_empty());
    assert!(
        marks
            .iter()
            .any(|m| m.contains("العقيق") || m.contains("سد")),
        "{marks:?}"
    );
    let style = page
        .js(
            "const m = document.querySelector('.snippet mark'); const p = m.parentElement; \
             const a = getComputedStyle(m), b = getComputedStyle(p); \
             return [a.fontWeight === b.fontWeight, a.fontSize === b.fontSize, \
                     a.fontFamily === b.fontFamily, a.backgroundColor, a.paddingLeft, a.paddingRight];",
        )
        .await;
    assert_eq!(
        &style.as_array().unwrap()[..3],
        &[json!(true), json!(true), json!(true)]
    );
    assert_ne!(style[3], "rgba(0, 0, 0, 0)", "a mark has a background");
    assert_eq!(
        (style[4].as_str(), style[5].as_str()),
        (Some("0px"), Some("0px"))
    );
    screenshot("serve-search.png", &client.screenshot().await.unwrap());

    // The facet lists count every match: click a category, and every hit is in it.
    let step = "a category's facet";
    let facet = "aside.facets .facet-category li a";
    let category = page.text(step, &format!("{facet} .value")).await;
    let count: usize = page
        .text(step, &format!("{facet} .n"))
        .await
        .parse()
        .unwrap();
    page.click(step, facet, ".facet-category li.on").await;
    let categories = page.texts("li.hit .meta a.category").await;
    assert!(
        !categories.is_empty() && categories.iter().all(|c| *c == category),
        "{category}: {categories:?}"
    );
    let shown: usize = page.text(step, ".summary .count").await.parse().unwrap();
    assert_eq!(shown, count, "the facet's count is the filtered search's");
    page.back("back from the category", "li.hit").await;

    // The timeline: a bar per month with matches; a bar narrows the search to its dates.
    let bars = client
        .find_all(Locator::Css("svg.timeline a.bar"))
        .await
        .unwrap();
    assert!(!bars.is_empty());
    let heights = page
        .js(
            "return [...document.querySelectorAll('svg.timeline a.bar rect:not(.hit-area)')] \
             .map(r => r.getBoundingClientRect().height)",
        )
        .await;
    let tallest = heights
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_f64().unwrap())
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    assert!(tallest.1 > 10.0, "{heights}");
    bars[tallest.0].click().await.unwrap();
    page.wait("the timeline's tallest bar", ".facet-year").await;
    let url = page.url().await;
    let since = page
        .param("since")
        .await
        .unwrap_or_else(|| panic!("no since in {url}"));
    let until = page
        .param("until")
        .await
        .unwrap_or_else(|| panic!("no until in {url}"));
    let dates = page.texts("li.hit .meta time").await;
    assert!(!dates.is_empty());
    assert!(
        dates.iter().all(|d| *d >= since && *d <= until),
        "{since}..{until}: {dates:?}"
    );
    page.back("back from the timeline", "li.hit").await;

    // Filter by the source of the first hit; every hit is then from it.
    let step = "the first hit's source";
    let source = page.text(step, "li.hit .meta a.source").await;
    page.click(step, "li.hit .meta a.source", ".filters .filter")
        .await;
    let sources = page.texts("li.hit .meta a.source").await;
    assert!(
        !sources.is_empty() && sources.iter().all(|s| *s == source),
        "{source}: {sources:?}"
    );
    let url = page.url().await;
    assert!(url.contains("source="), "{url}");
    // The back button returns to the unfiltered search.
    page.back("back from the source", "li.hit").await;
    let url = page.url().await;
    assert!(!url.contains("source="), "{url}");
    assert_eq!(page.texts("li.hit h2").await, titles);

    // Open the first article: the whole text, its matched words marked.
    let step = "the first article";
    page.click(step, "li.hit h2 a", "article h1").await;
    assert_eq!(page.text(step, "article h1").await, titles[0]);
    let marks = page.texts("article mark").await;
    assert!(marks.len() >= 2, "{marks:?}");
    let url = page.url().await;
    assert!(url.starts_with(&format!("{base}/articles/")), "{url}");

    // Paging: a common word has a second page, which starts at rank 11.
    let step = "the second page";
    page.goto(step, &format!("{base}/?q=%D9%81%D9%8A"), "a[rel=next]")
        .await;
    page.click(step, "a[rel=next]", "ol.hits[start='11']").await;
    let url = page.url().await;
    assert!(url.contains("page=2"), "{url}");

    // The hostile article: its markup shows as text and nothing in it runs.
    let step = "the hostile article";
    let hostile = format!("{base}/?q=%D8%A7%D9%84%D8%B2%D8%B9%D9%81%D8%B1%D8%A7%D9%86%D8%A9");
    page.goto(step, &hostile, "li.hit").await;
    let title = page.text(step, "li.hit h2").await;
    assert!(
        title.contains("<script>document.title='pwned'</script>"),
        "{title}"
    );
    let snippet = page.text(step, "li.hit .snippet").await;
    assert!(snippet.contains("<img src=x onerror="), "{snippet}");
    for css in ["li.hit img", "li.hit svg", "li.hit script", "li.hit b"] {
        assert_eq!(page.count(css).await, 0, "{css}");
    }
    // Hovering the source would run an onmouseover if it were markup.
    page.click(step, "li.hit .meta a.source", "li.hit").await;
    page.click(step, "li.hit h2 a", "article h1").await;
    assert_eq!(
        page.count("a.original").await,
        0,
        "a javascript: URL is no link"
    );
    let title = page.js("return document.title").await;
    assert_ne!(title, "pwned");
    assert!(title.as_str().unwrap().contains("فهرس"), "{title}");

    // A phone's width: nothing wider than the screen.
    client.set_window_size(390, 844).await.unwrap();
    page.goto(
        "a phone's width",
        &format!("{base}/?q=%D8%B3%D8%AF"),
        "li.hit",
    )
    .await;
    let widths = page
        .js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        .await;
    let wide = page
        .js(
            "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')] \
             .filter(e => { const r = e.getBoundingClientRect(); return r.left < -1 || r.right > w + 1; }) \
             .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().width);",
        )
        .await;
    assert!(
        widths[0].as_f64() <= widths[1].as_f64(),
        "{widths}: wider than the screen: {wide}"
    );
    screenshot("serve-phone.png", &client.screenshot().await.unwrap());

    // Arabic glyphs, not boxes: with a missing glyph every letter would be the same box,
    // so ten of one letter and ten of another would be equally wide.
    let widths = page
        .js(
            "const w = t => { const s = document.createElement('span'); s.textContent = t; s.style.position = 'absolute'; s.style.whiteSpace = 'nowrap'; \
             document.querySelector('main').append(s); const r = s.getBoundingClientRect().width; \
             s.remove(); return r; }; \
             return [w('ا'.repeat(10)), w('ش'.repeat(10)), w('ـ'.repeat(10))];",
        )
        .await;
    let w: Vec<f64> = widths
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        w[1] > w[0] * 1.5,
        "alef and sheen as wide as each other: boxes? {w:?}"
    );
}
