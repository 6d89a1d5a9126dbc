//! Compiles the sample corpus into the binary: lists `sample-corpus/` files for `include_str!`.

use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl" || e == "txt") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let corpus = root.join("sample-corpus");
    println!("cargo:rerun-if-changed=sample-corpus");
    let mut files = Vec::new();
    collect(&corpus, &mut files);
    files.sort();
    let out_path = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("sample_corpus.rs");
    let mut out = std::fs::File::create(out_path).unwrap();
    writeln!(out, "/// (path relative to sample-corpus/, contents)").unwrap();
    writeln!(out, "pub static SAMPLE_FILES: &[(&str, &str)] = &[").unwrap();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(&corpus).unwrap();
        let relative = relative.to_string_lossy().replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}
