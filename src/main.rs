//! The `fahras` binary: parses arguments, runs a command, maps the outcome to an exit code
//! (0 found/ok, 1 nothing found, 2 error, 3 done but some records were skipped). A closed pipe
//! (`fahras … | head`) is not an error.

mod cli;
mod commands;
mod display;
mod generate;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// mimalloc instead of the system allocator. Indexing allocates every article's document on
/// the reading thread and frees it on one of tantivy's indexing threads, thousands of times a
/// second; with mimalloc `fahras index` ran about 5% faster relative to raw tantivy (the
/// `index_vs_tantivy` bench, which uses it for both sides), and raw tantivy faster too. It is
/// built without transparent huge pages (`no_thp`): with them, indexing 100k articles peaked
/// at about 420 MB of heap instead of 340 MB, beyond `--memory` + 150 MB, for no measurable
/// gain in speed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Analyze(args) => commands::analyze(args),
        Command::Index(args) => commands::index(args),
        Command::Search(args) => commands::search(args),
        Command::Stats(args) => commands::stats(args),
        Command::Delete(args) => commands::delete(args),
        Command::Eval(args) => commands::eval(args),
        Command::Serve(args) => commands::serve(args),
        Command::Variants(args) => commands::variants(args),
        Command::Completions(args) => generate::completions(args),
        Command::Man(args) => generate::man(args),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
