//! `fahras eval`.

use crate::{fahras_in, TestDir};

#[test]
fn eval_reports_metrics_and_writes_a_run_file() {
    let dir = TestDir::new();
    dir.write(
        "p.jsonl",
        concat!(
            r#"{"id":"p1","title":"نهر الفرات","text":"ينبع نهر الفرات من جبال تركيا ويعبر سوريا والعراق"}"#,
            "\n",
            r#"{"id":"p2","title":"نهر النيل","text":"يعد نهر النيل أطول أنهار القارة الأفريقية"}"#,
            "\n",
            r#"{"id":"p3","title":"جبال الأطلس","text":"تمتد جبال الأطلس في المغرب والجزائر وتونس"}"#,
            "\n"
        ),
    );
    dir.write(
        "q.jsonl",
        concat!(
            r#"{"qid":"1","query":"من أين ينبع الفرات؟","relevant":["p1"]}"#,
            "\n",
            r#"{"qid":"2","query":"أين تمتد جبال الاطلس","relevant":["p3"]}"#,
            "\n"
        ),
    );
    let out = fahras_in(
        dir.path(),
        &[
            "eval",
            "--json",
            "--passages",
            "p.jsonl",
            "--queries",
            "q.jsonl",
            "--run",
            "run.txt",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    for key in [
        "queries",
        "n",
        "mrr@10",
        "ndcg@10",
        "recall@10",
        "recall@100",
        "index_s",
        "query_ms_mean",
    ] {
        assert!(report.get(key).is_some(), "missing {key}: {report}");
    }
    assert_eq!(report["n"], 2);
    assert_eq!(report["mrr@10"], 1.0);
    let run = std::fs::read_to_string(dir.path().join("run.txt")).unwrap();
    let first = run.lines().next().unwrap();
    let fields: Vec<&str> = first.split(' ').collect();
    assert_eq!(fields.len(), 6, "{first}");
    assert_eq!(
        (fields[0], fields[1], fields[2], fields[3]),
        ("1", "Q0", "p1", "1")
    );
    assert_eq!(fields[5], "fahras");
}

#[test]
fn eval_measures_the_title_coverage_bonus() {
    // The question names the article "خاشقجي"; a headline with its words in a longer body
    // wins by BM25 alone and with query coverage (both hold both words).
    let dir = TestDir::new();
    dir.write(
        "p.jsonl",
        concat!(
            r#"{"id":"named","title":"خاشقجي","text":"صحفي سعودي عمل مستشارا ثم مديرا لقناة اخبارية بعد ان ولد في المدينة المنورة وتعلم فيها"}"#,
            "\n",
            r#"{"id":"headline","title":"حريق في سوق المدينة القديمة","text":"ولد خاشقجي الصغير في حي قديم قرب السوق وسط زحام الناس والباعة"}"#,
            "\n",
            r#"{"id":"o1","title":"الربيع","text":"ولد الطفل في الربيع"}"#,
            "\n",
            r#"{"id":"o2","title":"الصيف","text":"ولد الطفل في الصيف"}"#,
            "\n"
        ),
    );
    dir.write(
        "q.jsonl",
        concat!(
            r#"{"qid":"1","query":"متى ولد خاشقجي؟","relevant":["named"]}"#,
            "\n"
        ),
    );
    let mrr = |weight: &str| {
        let args = [
            "eval",
            "--json",
            "--passages",
            "p.jsonl",
            "--queries",
            "q.jsonl",
            "--title-coverage",
            weight,
        ];
        let out = fahras_in(dir.path(), &args, None);
        assert_eq!(out.code, 0, "{out:?}");
        let report: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
        report["mrr@10"].as_f64().unwrap()
    };
    assert_eq!(mrr("0"), 0.5);
    assert_eq!(mrr("0.3"), 1.0);
}

#[test]
fn eval_measures_the_query_coverage_bonus() {
    // BM25 prefers "repeats" (two of the words, twice each, in a short text); "holds" has
    // all three once.
    let dir = TestDir::new();
    let passages: String = [
        ("repeats", "سد على الوادي الكبير وفي الوادي سد آخر"),
        (
            "holds",
            "بني سد في الوادي قرب العقيق بعد سنوات من العمل الطويل",
        ),
        ("f0", "العقيق حجر كريم"),
        ("f1", "العقيق حجر نادر"),
        ("v", "سد وادي"),
        ("w", "جبل الوادي"),
    ]
    .iter()
    .map(|(id, text)| serde_json::json!({"id": id, "title": "", "text": text}).to_string() + "\n")
    .collect();
    dir.write("p.jsonl", passages);
    dir.write(
        "q.jsonl",
        r#"{"qid":"1","query":"سد الوادي العقيق","relevant":["holds"]}"#.to_string() + "\n",
    );
    let mrr = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "--json",
            "--passages",
            "p.jsonl",
            "--queries",
            "q.jsonl",
        ];
        args.extend_from_slice(extra);
        let out = fahras_in(dir.path(), &args, None);
        assert_eq!(out.code, 0, "{out:?}");
        let report: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
        report["mrr@10"].as_f64().unwrap()
    };
    assert_eq!(mrr(&["--query-coverage", "0"]), 0.5);
    assert_eq!(mrr(&[]), 1.0);
}

#[test]
fn eval_names_the_bad_line() {
    let dir = TestDir::new();
    dir.write(
        "p.jsonl",
        "{\"id\":\"p1\",\"title\":\"x\",\"text\":\"y\"}\nnot json\n",
    );
    dir.write("q.jsonl", "");
    let out = fahras_in(
        dir.path(),
        &["eval", "--passages", "p.jsonl", "--queries", "q.jsonl"],
        None,
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("p.jsonl") && out.stderr.contains("line 2"),
        "{}",
        out.stderr
    );
}
