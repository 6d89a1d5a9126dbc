//! Rebuilds, version refusal, crash safety under SIGKILL, and searches during writes.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::search::Results;
use crate::{fahras_in, sample_corpus, TestDir};

fn articles(dir: &TestDir, name: &str, n: usize, prefix: &str) {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "{{\"id\":\"{prefix}{i}\",\"title\":\"خبر {i} عن المدينة\",\"body\":\"{}\"}}\n",
            "أعلنت البلدية عن مشروع جديد لتحسين الطرق في الأحياء الشرقية ".repeat(4)
        ));
    }
    dir.write(name, text);
}

fn count(dir: &TestDir, index: &str) -> u64 {
    let out = fahras_in(dir.path(), &["stats", "--index", index, "--json"], None);
    assert_eq!(out.code, 0, "{out:?}");
    let stats: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    stats["articles"].as_u64().unwrap()
}

#[test]
fn rebuild_replaces_the_index_and_fixes_an_old_analyzer_version() {
    let dir = TestDir::new();
    articles(&dir, "a.jsonl", 50, "a");
    articles(&dir, "b.jsonl", 20, "b");
    assert_eq!(
        fahras_in(dir.path(), &["index", "--index", "idx", "a.jsonl"], None).code,
        0
    );
    assert_eq!(count(&dir, "idx"), 50);
    // A rebuild holds exactly what it was given.
    let out = fahras_in(
        dir.path(),
        &["index", "--index", "idx", "--rebuild", "b.jsonl"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(count(&dir, "idx"), 20);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".rebuild-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An index stamped by another analyzer version is refused, with the way out.
    let stamp = dir.path().join("idx").join("fahras.json");
    let text = std::fs::read_to_string(&stamp).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["analyzer_version"] = serde_json::json!(0);
    std::fs::write(&stamp, value.to_string()).unwrap();
    let out = fahras_in(dir.path(), &["search", "--index", "idx", "المدينة"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--rebuild"), "{}", out.stderr);
    let out = fahras_in(dir.path(), &["index", "--index", "idx", "a.jsonl"], None);
    assert_eq!(out.code, 2, "plain indexing into it is refused too");
    let out = fahras_in(
        dir.path(),
        &["index", "--index", "idx", "--rebuild", "a.jsonl"],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(count(&dir, "idx"), 50);
}

#[test]
fn sigkill_loses_at_most_the_uncommitted_batch() {
    const N: usize = 3000;
    const BATCH: u64 = 250;
    let dir = TestDir::new();
    articles(&dir, "big.jsonl", N, "k");
    let job = |index: &str| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fahras"));
        command
            .args([
                "index",
                "--index",
                index,
                "--commit-every",
                &BATCH.to_string(),
            ])
            .args(["--memory", "64", "big.jsonl"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    // How long a whole job takes here, to spread the kills over it.
    let started = Instant::now();
    assert!(job("timing").status().unwrap().success());
    let full = started.elapsed();
    let mut kills = 0;
    for k in 0..10u32 {
        let index = format!("killed-{k}");
        let mut child = job(&index).spawn().unwrap();
        std::thread::sleep(full.mul_f64((f64::from(k) + 0.5) / 10.0));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        if !dir.path().join(&index).join("meta.json").exists() {
            continue; // killed before the index was created: nothing to check
        }
        let n = count(&dir, &index);
        assert!(
            n.is_multiple_of(BATCH) || n == N as u64,
            "after a kill the index holds {n} articles: not a whole number of batches"
        );
        // Rerunning the job completes it.
        assert!(job(&index).status().unwrap().success());
        assert_eq!(count(&dir, &index), N as u64);
    }
    assert_eq!(kills, 10);
}

#[test]
fn searches_never_fail_during_an_index_job_and_a_rebuild() {
    let dir = TestDir::new();
    let corpus = sample_corpus();
    let corpus = corpus.to_str().unwrap().to_string();
    assert_eq!(
        fahras_in(dir.path(), &["index", "--index", "idx", &corpus], None).code,
        0
    );
    articles(&dir, "more.jsonl", 12_000, "m");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searcher = {
        let stop = stop.clone();
        let path = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let (mut ok, mut failed) = (0, Vec::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let out = Command::new(env!("CARGO_BIN_EXE_fahras"))
                    .args(["search", "--index", "idx", "--json", "العقيق"])
                    .current_dir(&path)
                    .output()
                    .unwrap();
                let parsed: Option<Results> = serde_json::from_slice(&out.stdout).ok();
                match (out.status.code(), parsed) {
                    (Some(0), Some(results)) if !results.hits.is_empty() => ok += 1,
                    other => failed.push(format!(
                        "{:?} {}",
                        other.0,
                        String::from_utf8_lossy(&out.stderr)
                    )),
                }
            }
            (ok, failed)
        })
    };
    let out = fahras_in(
        dir.path(),
        &[
            "index",
            "--index",
            "idx",
            "--commit-every",
            "100",
            "more.jsonl",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    let out = fahras_in(
        dir.path(),
        &["index", "--index", "idx", "--rebuild", &corpus],
        None,
    );
    assert_eq!(out.code, 0, "{out:?}");
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (ok, failed) = searcher.join().unwrap();
    assert!(
        failed.is_empty(),
        "{} failed searches: {:?}",
        failed.len(),
        &failed[..failed.len().min(3)]
    );
    assert!(ok >= 3, "only {ok} searches ran");
}
