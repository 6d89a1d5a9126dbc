//! Command-line interface: the commands and flags of the `fahras` binary (clap derive).

use clap::{Parser, Subcommand};

/// fahras (فهرس): Arabic full-text search for news archives.
#[derive(Debug, Parser)]
#[command(name = "fahras", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show how a text is analyzed: each token's original slice, byte offsets, position,
    /// normalized term and light stem.
    ///
    /// Example: fahras analyze "وقالَ المسؤولون في المدينة"
    Analyze(AnalyzeArgs),
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Print exactly one JSON object: {"tokens":[{"text","start","end","position","term","stem"}]}
    #[arg(long)]
    pub json: bool,
    /// The text to analyze; `-` reads standard input. Several words are joined with spaces.
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}
