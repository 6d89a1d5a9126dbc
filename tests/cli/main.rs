//! Integration tests through the `fahras` binary. One test binary; helpers here, tests by
//! command in the modules.

mod analyze;
mod bad_input;
mod display;
mod eval;
mod facets;
mod generate;
mod index;
mod opensearch_plugin;
mod reliability;
mod search;
mod serve;
mod variants;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary directory that is removed when dropped.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl Default for TestDir {
    fn default() -> Self {
        TestDir::new()
    }
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("create temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Variables fahras reads, removed from every run's environment (tests set what they need).
const FAHRAS_ENV: &[&str] = &[
    "FAHRAS_INDEX",
    "FAHRAS_BIDI",
    "FAHRAS_SHAPE",
    "COLUMNS",
    "VTE_VERSION",
    "KONSOLE_VERSION",
    "MLTERM",
];

/// Writes `(id, title, body)` articles to `news.jsonl` in `dir` and indexes them into `dir/idx`.
pub fn index_articles(dir: &TestDir, articles: &[(&str, &str, &str)]) {
    let articles: Vec<serde_json::Value> = articles
        .iter()
        .map(|(id, title, body)| serde_json::json!({"id": id, "title": title, "body": body}))
        .collect();
    index_json(dir, &articles);
}

/// Indexes these article objects (any fields `fahras index` reads) into `idx` in `dir`.
pub fn index_json(dir: &TestDir, articles: &[serde_json::Value]) {
    let jsonl: String = articles.iter().map(|a| a.to_string() + "\n").collect();
    dir.write("news.jsonl", jsonl);
    let out = fahras_in(dir.path(), &["index", "--index", "idx", "news.jsonl"], None);
    assert_eq!(out.code, 0, "{out:?}");
}

/// Runs `fahras` with these arguments (and optional stdin) in `dir`, with a clean environment
/// for the variables fahras reads.
pub fn fahras_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    fahras_env(dir, args, stdin, &[("NO_COLOR", "1")])
}

/// [`fahras_in`] with these variables set (and NO_COLOR only if given).
pub fn fahras_env(dir: &Path, args: &[&str], stdin: Option<&str>, vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fahras"));
    command.args(args).current_dir(dir).env_remove("NO_COLOR");
    for name in FAHRAS_ENV {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let output = match stdin {
        Some(input) => {
            use std::io::Write;
            use std::process::Stdio;
            let mut child = command
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        }
        None => command.output().unwrap(),
    };
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The repository's sample corpus directory.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus")
}
