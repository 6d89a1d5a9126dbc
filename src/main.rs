//! The `fahras` binary: parses arguments, runs a command, maps the outcome to an exit code
//! (0 found/ok, 1 nothing found, 2 error). A closed pipe (`fahras … | head`) is not an error.

mod cli;

use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use serde::Serialize;

use cli::{AnalyzeArgs, Cli, Command};
use fahras::analysis::{analyze, AnalyzedToken};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("fahras: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze_command(args),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The JSON form of `fahras analyze --json`.
#[derive(Serialize)]
struct AnalyzeOutput<'a> {
    tokens: Vec<AnalyzeTokenJson<'a>>,
}

#[derive(Serialize)]
struct AnalyzeTokenJson<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    position: usize,
    term: &'a str,
    stem: &'a str,
}

fn analyze_command(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let text = if args.text.len() == 1 && args.text[0] == "-" {
        let mut input = String::new();
        io::stdin()
            .read_to_string(&mut input)
            .context("reading standard input (it must be UTF-8 text)")?;
        input
    } else {
        args.text.join(" ")
    };
    let tokens = analyze(&text);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        let output = AnalyzeOutput {
            tokens: tokens
                .iter()
                .map(|t: &AnalyzedToken| AnalyzeTokenJson {
                    text: &t.text,
                    start: t.start,
                    end: t.end,
                    position: t.position,
                    term: &t.term,
                    stem: &t.stem,
                })
                .collect(),
        };
        serde_json::to_writer(&mut out, &output)?;
        writeln!(out)?;
    } else {
        writeln!(out, "pos\tbytes\ttext\tterm\tstem")?;
        for t in &tokens {
            let note = if t.stopword { "\t(stopword)" } else { "" };
            writeln!(
                out,
                "{}\t{}..{}\t{}\t{}\t{}{}",
                t.position, t.start, t.end, t.text, t.term, t.stem, note
            )?;
        }
    }
    out.flush()?;
    Ok(if tokens.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
