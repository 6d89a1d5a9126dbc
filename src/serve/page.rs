//! The search page: Arabic, right to left, plain HTML forms and links (no script), rendered
//! on the server from the same search the API runs.
//!
//! Every piece of article text (titles, snippets, sources, categories, ids, URLs) is untrusted
//! and goes through [`escape`] on its way into the page; values put into links go through
//! [`encode`] first. Matched words are wrapped in `<mark>`, styled by colour and background
//! only: markup that changes weight or size inside Arabic text breaks the joining of letters
//! in some browsers (w3c/alreq#222).

use std::fmt::Write as _;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use crate::index::ArchiveStats;
use crate::{Article, SearchResults};

use super::api::{article_view, id_from_path, run_search};
use super::error::ApiError;
use super::params::{Params, SearchOptions, MAX_WINDOW};
use super::{timeline, AppState};

/// The page's style sheet, compiled in.
pub const STYLE: &str = include_str!("assets/style.css");

/// Hits per page.
pub const PAGE_SIZE: usize = 10;

/// Escapes text for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a value for a URL's path segment or query (everything but unreserved
/// ASCII), so that no value can end a parameter, start another or leave the attribute.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// Text with the byte ranges `highlights` in `<mark>`, escaped. Ranges that are out of
/// order, overlapping or not on character boundaries are left out rather than trusted.
pub fn highlighted(text: &str, highlights: &[[usize; 2]]) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 13);
    let mut at = 0;
    for &[start, end] in highlights {
        let (Some(before), Some(word)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(&escape(before));
        out.push_str("<mark>");
        out.push_str(&escape(word));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&escape(text.get(at..).unwrap_or("")));
    out
}

/// A page: the head, the search form (holding `query`), and `main`.
fn layout(title: &str, query: &str, main: &str) -> String {
    let title = if title.is_empty() {
        "فهرس".to_string()
    } else {
        format!("{} — فهرس", escape(title))
    };
    format!(
        "<!doctype html>\n<html dir=\"rtl\" lang=\"ar\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n</head>\n<body>\n\
         <header>\n<a class=\"brand\" href=\"/\">فهرس</a>\n\
         <form class=\"search\" method=\"get\" action=\"/\" role=\"search\">\n\
         <input type=\"search\" name=\"q\" value=\"{query}\" placeholder=\"ابحث في الأرشيف\" aria-label=\"البحث\" maxlength=\"1000\">\n\
         <button type=\"submit\">ابحث</button>\n</form>\n</header>\n<main>\n{main}</main>\n</body>\n</html>\n",
        query = escape(query),
    )
}

fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

/// The page for a refused request: the reason, in the page's frame.
fn error_page(query: &str, error: &ApiError) -> Response {
    let main = format!(
        "<section class=\"error\">\n<h1>تعذّر البحث</h1>\n<p dir=\"ltr\" lang=\"en\">{}</p>\n</section>\n",
        escape(&error.message)
    );
    let status = if error.status.is_server_error() {
        error.status
    } else {
        StatusCode::BAD_REQUEST
    };
    html(status, layout("", query, &main))
}

/// The URL of a search page with these parameters.
struct SearchLink<'a> {
    query: &'a str,
    sources: &'a [String],
    categories: &'a [String],
    extra: Vec<(&'a str, String)>,
}

impl<'a> SearchLink<'a> {
    fn new(query: &'a str) -> SearchLink<'a> {
        SearchLink {
            query,
            sources: &[],
            categories: &[],
            extra: Vec::new(),
        }
    }

    /// A link to `query` with the page's filters and the parameters it carries over.
    fn on_page(
        query: &'a str,
        options: &'a SearchOptions,
        extra: &[(&'static str, String)],
    ) -> SearchLink<'a> {
        SearchLink {
            query,
            sources: &options.sources,
            categories: &options.categories,
            extra: extra.to_vec(),
        }
    }

    /// The same link with `values` for the filter `name` (`source` or `category`).
    fn with_filter(mut self, name: &str, values: &'a [String]) -> SearchLink<'a> {
        match name {
            "source" => self.sources = values,
            "category" => self.categories = values,
            other => unreachable!("{other} is no filter"),
        }
        self
    }

    /// The same link with `name=value`, in place of any value `name` had.
    fn with(mut self, name: &'a str, value: String) -> SearchLink<'a> {
        self.extra.retain(|(n, _)| *n != name);
        self.extra.push((name, value));
        self
    }

    fn href(&self) -> String {
        let mut url = format!("/?q={}", encode(self.query));
        for s in self.sources {
            let _ = write!(url, "&source={}", encode(s));
        }
        for c in self.categories {
            let _ = write!(url, "&category={}", encode(c));
        }
        for (name, value) in &self.extra {
            let _ = write!(url, "&{name}={}", encode(value));
        }
        escape(&url)
    }
}

/// The parameters of the page that carry over to its links (besides `q` and the filters).
const CARRIED: &[&str] = &["since", "until", "sort", "exact"];

fn carried(params: &Params) -> Vec<(&'static str, String)> {
    CARRIED
        .iter()
        .filter_map(|&name| Some((name, params.one(name).ok()??.to_string())))
        .collect()
}

/// `GET /`: the search box, and with `?q=` the results.
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(raw.as_deref()) {
        Ok(params) => params,
        Err(e) => return error_page("", &e),
    };
    let query = params.one("q").ok().flatten().unwrap_or("").to_string();
    if query.trim().is_empty() {
        let stats = state.stats().await;
        return match stats {
            Ok(stats) => html(StatusCode::OK, layout("", "", &home(&stats))),
            Err(e) => error_page("", &e),
        };
    }
    let options = match page_options(&params) {
        Ok(options) => options,
        Err(e) => return error_page(&query, &e),
    };
    let offset = options.request.offset;
    let results = {
        let options = options.clone();
        state
            .blocking(move |archive| run_search(&archive, &options))
            .await
    };
    match results {
        Ok(results) => {
            let main = results_html(&results, &options, &params, offset);
            html(StatusCode::OK, layout(&query, &query, &main))
        }
        Err(e) => error_page(&query, &e),
    }
}

/// The page's search options: those of the API, with `page` (1, 2, …) for paging.
fn page_options(params: &Params) -> Result<SearchOptions, ApiError> {
    let mut options = SearchOptions::from_params(params)?;
    // The page always shows the facet lists and the timeline.
    options.request.facets = true;
    let page = params.number("page")?.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(PAGE_SIZE);
    options.count_only = offset >= MAX_WINDOW;
    (options.request.limit, options.request.offset) = if options.count_only {
        (1, 0)
    } else {
        (PAGE_SIZE, offset)
    };
    Ok(options)
}

fn home(stats: &ArchiveStats) -> String {
    let mut main = String::from("<section class=\"home\">\n<h1>ابحث في أرشيف الأخبار</h1>\n");
    let _ = write!(
        main,
        "<p class=\"archive\">{} مقالة من {} مصادر",
        stats.articles,
        stats.sources.len()
    );
    if let (Some(first), Some(last)) = (&stats.first_date, &stats.last_date) {
        let _ = write!(
            main,
            "، من <time>{}</time> إلى <time>{}</time>",
            escape(first),
            escape(last)
        );
    }
    main.push_str(".</p>\n<p class=\"help\">اكتب كلمات البحث بأي تهجئة: الهمزة والتاء المربوطة والتشكيل لا تغيّر النتائج. ضع عبارة بين علامتي تنصيص لتطابق حرفيًا، وكلمة بعد علامة الطرح (-) لاستبعادها.</p>\n</section>\n");
    main
}

fn results_html(
    results: &SearchResults,
    options: &SearchOptions,
    params: &Params,
    offset: usize,
) -> String {
    let query = results.query.as_str();
    let extra = carried(params);
    let mut main = String::new();
    let _ = writeln!(
        main,
        "<p class=\"summary\"><span class=\"count\">{}</span> نتيجة تطابق كل الكلمات · <bdi dir=\"ltr\">{:.1} ms</bdi></p>",
        results.total_hits, results.took_ms
    );
    if !options.sources.is_empty() || !options.categories.is_empty() {
        main.push_str("<p class=\"filters\">");
        for (label, values, name) in [
            ("المصدر", &options.sources, "source"),
            ("القسم", &options.categories, "category"),
        ] {
            for value in values.iter() {
                // The link that removes this filter.
                let rest: Vec<String> = values.iter().filter(|v| *v != value).cloned().collect();
                let link = SearchLink::on_page(query, options, &extra).with_filter(name, &rest);
                let _ = write!(
                    main,
                    "<a class=\"filter\" href=\"{}\" title=\"إزالة الفلتر\">{label}: {} ✕</a> ",
                    link.href(),
                    escape(value)
                );
            }
        }
        main.push_str("</p>\n");
    }
    if let Some(suggestion) = &results.did_you_mean {
        let link = SearchLink::on_page(suggestion, options, &extra);
        let _ = writeln!(
            main,
            "<p class=\"did-you-mean\">هل تقصد: <a href=\"{}\">{}</a>؟</p>",
            link.href(),
            escape(suggestion)
        );
    }
    if !results.expansions.is_empty() {
        main.push_str("<p class=\"expansions\">بحثنا أيضًا عن تهجئات أخرى: ");
        let parts: Vec<String> = results
            .expansions
            .iter()
            .map(|(word, variants)| {
                let variants: Vec<String> = variants.iter().map(|v| escape(v)).collect();
                format!(
                    "<span class=\"word\">{}</span> ({})",
                    escape(word),
                    variants.join("، ")
                )
            })
            .collect();
        main.push_str(&parts.join("؛ "));
        let exact = SearchLink::on_page(query, options, &extra).with("exact", "1".into());
        let _ = writeln!(
            main,
            " · <a href=\"{}\">ابحث بالتهجئة المكتوبة فقط</a></p>",
            exact.href()
        );
    }
    if results.hits.is_empty() {
        main.push_str("<p class=\"none\">لا توجد مقالات تطابق هذا البحث.</p>\n");
        return main;
    }
    let facets = results.facets.as_ref();
    if let Some(facets) = facets {
        main.push_str("<div class=\"layout\">\n");
        main.push_str(&facets_html(facets, options, query, &extra));
        main.push_str("<div class=\"results\">\n");
        main.push_str(&timeline_html(facets, options, query, &extra));
    }
    let _ = writeln!(main, "<ol class=\"hits\" start=\"{}\">", offset + 1);
    for hit in &results.hits {
        let title = if hit.title.is_empty() {
            "(بلا عنوان)".to_string()
        } else {
            escape(&hit.title)
        };
        let _ = write!(
            main,
            "<li class=\"hit\">\n<h2><a href=\"/articles/{}?q={}\">{title}</a></h2>\n<p class=\"meta\">",
            encode(&hit.id),
            encode(query),
        );
        let mut meta = Vec::new();
        if let Some(date) = &hit.date {
            meta.push(format!("<time datetime=\"{0}\">{0}</time>", escape(date)));
        }
        for (value, name, class) in [
            (&hit.source, "source", "source"),
            (&hit.category, "category", "category"),
        ] {
            if let Some(value) = value {
                let link = SearchLink::on_page(query, options, &extra)
                    .with_filter(name, std::slice::from_ref(value));
                meta.push(format!(
                    "<a class=\"{class}\" href=\"{}\">{}</a>",
                    link.href(),
                    escape(value)
                ));
            }
        }
        if hit.partial {
            meta.push("<span class=\"partial\">بعض الكلمات</span>".into());
        }
        main.push_str(&meta.join(" · "));
        let _ = writeln!(
            main,
            "</p>\n<p class=\"snippet\">{}</p>\n</li>",
            highlighted(&hit.snippet, &hit.highlights)
        );
    }
    main.push_str("</ol>\n");
    let page = offset / PAGE_SIZE + 1;
    let has_next = results.hits.len() == PAGE_SIZE && offset + PAGE_SIZE < MAX_WINDOW;
    if page > 1 || has_next {
        main.push_str("<nav class=\"pages\" aria-label=\"الصفحات\">");
        let link_to = |n: usize| {
            SearchLink::on_page(query, options, &extra)
                .with("page", n.to_string())
                .href()
        };
        if page > 1 {
            let _ = write!(
                main,
                "<a rel=\"prev\" href=\"{}\">→ السابقة</a>",
                link_to(page - 1)
            );
        }
        let _ = write!(main, "<span class=\"page\">صفحة {page}</span>");
        if has_next {
            let _ = write!(
                main,
                "<a rel=\"next\" href=\"{}\">التالية ←</a>",
                link_to(page + 1)
            );
        }
        main.push_str("</nav>\n");
    }
    if facets.is_some() {
        main.push_str("</div>\n</div>\n");
    }
    main
}

/// Facet values listed per facet (the most frequent).
pub const FACET_VALUES_SHOWN: usize = 12;

/// The facet lists beside the hits: sources, categories and years with their counts, each a
/// link that adds the value to the filters (or removes it when it is one of them).
fn facets_html(
    facets: &crate::search::facets::Facets,
    options: &SearchOptions,
    query: &str,
    extra: &[(&'static str, String)],
) -> String {
    let mut out = String::from("<aside class=\"facets\" aria-label=\"تصفية النتائج\">\n");
    for (title, values, name) in [
        ("المصادر", &facets.source, "source"),
        ("الأقسام", &facets.category, "category"),
    ] {
        if values.is_empty() {
            continue;
        }
        let chosen = if name == "source" {
            &options.sources
        } else {
            &options.categories
        };
        let _ = writeln!(
            out,
            "<section class=\"facet facet-{name}\">\n<h2>{title}</h2>\n<ul>"
        );
        for (value, count) in values.iter().take(FACET_VALUES_SHOWN) {
            let on = chosen.contains(value);
            let toggled: Vec<String> = if on {
                chosen.iter().filter(|v| *v != value).cloned().collect()
            } else {
                chosen.iter().cloned().chain([value.clone()]).collect()
            };
            let link = SearchLink::on_page(query, options, extra).with_filter(name, &toggled);
            let _ = writeln!(
                out,
                "<li{}><a href=\"{}\"{}><span class=\"value\">{}</span> <span class=\"n\">{count}</span></a></li>",
                if on { " class=\"on\"" } else { "" },
                link.href(),
                if on { " aria-current=\"true\"" } else { "" },
                escape(value),
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    if !facets.year.is_empty() {
        out.push_str("<section class=\"facet facet-year\">\n<h2>السنوات</h2>\n<ul>\n");
        for (year, count) in facets.year.iter().rev() {
            let link = SearchLink::on_page(query, options, extra)
                .with("since", format!("{year}-01-01"))
                .with("until", format!("{year}-12-31"));
            let _ = writeln!(
                out,
                "<li><a href=\"{}\"><span class=\"value\">{}</span> <span class=\"n\">{count}</span></a></li>",
                link.href(),
                escape(year)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</aside>\n");
    out
}

/// The timeline of the matches above the hits; each bar narrows the search to its month or
/// year.
fn timeline_html(
    facets: &crate::search::facets::Facets,
    options: &SearchOptions,
    query: &str,
    extra: &[(&'static str, String)],
) -> String {
    let bars = timeline::bars(&facets.month);
    let (Some(first), Some(last)) = (bars.first(), bars.last()) else {
        return String::new();
    };
    let chart = timeline::svg(&bars, |bar| {
        SearchLink::on_page(query, options, extra)
            .with("since", bar.since.clone())
            .with("until", bar.until.clone())
            .href()
    });
    format!(
        "<figure class=\"timeline\">\n{chart}\n<figcaption><span>{}</span><span>{}</span></figcaption>\n</figure>\n",
        escape(&first.label),
        escape(&last.label)
    )
}

/// Only web addresses become links: `javascript:`, `data:` and the like stay text.
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// `GET /articles/{id}?q=…`: the whole article, its matched words marked.
pub async fn article(State(state): State<AppState>, uri: Uri) -> Response {
    let params = match Params::parse(uri.query()) {
        Ok(params) => params,
        Err(e) => return error_page("", &e),
    };
    let query = params.one("q").ok().flatten().unwrap_or("").to_string();
    let id = match id_from_path(&uri, "/articles/") {
        Ok(id) => id,
        Err(e) => return error_page(&query, &e),
    };
    let found = {
        let id = id.clone();
        state
            .blocking(move |archive| {
                let Some(view) = article_view(&archive, &id, &params)? else {
                    return Ok(None);
                };
                let title = match &view.highlights {
                    Some(_) => {
                        let mut request = crate::SearchRequest::new(params.one("q")?.unwrap_or(""));
                        request.variants = !params.flag("exact")?.unwrap_or(false);
                        archive
                            .highlights(&request, &view.article.title)
                            .map_err(ApiError::from_library)?
                    }
                    None => Vec::new(),
                };
                Ok(Some((view, title)))
            })
            .await
    };
    match found {
        Ok(Some((view, title_highlights))) => {
            let main = article_html(
                &view.article,
                &title_highlights,
                view.highlights.as_deref().unwrap_or(&[]),
                &query,
            );
            html(StatusCode::OK, layout(&view.article.title, &query, &main))
        }
        Ok(None) => {
            let main = format!(
                "<section class=\"error\">\n<h1>لا توجد مقالة بهذا المعرّف</h1>\n<p><code>{}</code></p>\n</section>\n",
                escape(&id)
            );
            html(StatusCode::NOT_FOUND, layout("", &query, &main))
        }
        Err(e) => error_page(&query, &e),
    }
}

fn article_html(
    article: &Article,
    title_highlights: &[[usize; 2]],
    body_highlights: &[[usize; 2]],
    query: &str,
) -> String {
    let mut main = String::from("<article class=\"article\">\n");
    if !query.trim().is_empty() {
        let _ = writeln!(
            main,
            "<p class=\"back\"><a href=\"{}\">→ العودة إلى النتائج</a></p>",
            SearchLink::new(query).href()
        );
    }
    let _ = writeln!(
        main,
        "<h1>{}</h1>",
        highlighted(&article.title, title_highlights)
    );
    let mut meta = Vec::new();
    if let Some(date) = article.date {
        let date = crate::article::format_date(date);
        meta.push(format!("<time datetime=\"{0}\">{0}</time>", escape(&date)));
    }
    for value in [&article.source, &article.category, &article.author]
        .into_iter()
        .flatten()
    {
        meta.push(format!("<span>{}</span>", escape(value)));
    }
    if let Some(url) = article.url.as_deref().and_then(safe_url) {
        meta.push(format!(
            "<a class=\"original\" href=\"{}\" rel=\"noopener noreferrer nofollow\">المصدر الأصلي</a>",
            escape(url)
        ));
    }
    let _ = writeln!(main, "<p class=\"meta\">{}</p>", meta.join(" · "));
    // Paragraphs are the body's lines; a highlight never spans two (it is one word).
    let mut start = 0;
    for line in article.body.split('\n') {
        let end = start + line.len();
        if !line.trim().is_empty() {
            let local: Vec<[usize; 2]> = body_highlights
                .iter()
                .filter(|[s, e]| *s >= start && *e <= end)
                .map(|[s, e]| [s - start, e - start])
                .collect();
            let _ = writeln!(main, "<p>{}</p>", highlighted(line, &local));
        }
        start = end + 1;
    }
    main.push_str("</article>\n");
    main
}

/// `GET /assets/style.css`.
pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<img src=x onerror='a()'>&\""),
            "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;"
        );
    }

    #[test]
    fn encodes_everything_that_could_break_a_link() {
        assert_eq!(encode("a b&c=d\"<"), "a%20b%26c%3Dd%22%3C");
        assert_eq!(encode("سد"), "%D8%B3%D8%AF");
    }

    #[test]
    fn search_links_encode_then_escape_and_replace_a_parameter() {
        let sources = ["a&b\"<'".to_string()];
        let link = SearchLink::new("سد")
            .with_filter("source", &sources)
            .with("since", "2020-01-01".into())
            .with("page", "2".into())
            .with("since", "2024-01-01".into());
        assert_eq!(
            link.href(),
            "/?q=%D8%B3%D8%AF&amp;source=a%26b%22%3C%27&amp;page=2&amp;since=2024-01-01"
        );
    }

    #[test]
    fn marks_ranges_and_skips_bad_ones() {
        let text = "قال <b> المسؤول";
        let start = text.find("المسؤول").unwrap();
        let marked = highlighted(text, &[[start, text.len()], [1, 2]]);
        assert_eq!(marked, "قال &lt;b&gt; <mark>المسؤول</mark>");
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(
            safe_url("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(safe_url(" JavaScript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
    }
}
