//! Files generated from the clap definitions in `cli.rs`, so they never drift from the
//! binary: shell completion scripts (`clap_complete`) and manual pages (`clap_mangen`).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};

pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    // Into memory first: clap_complete panics on a write error such as a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "fahras", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: ManArgs) -> anyhow::Result<ExitCode> {
    let mut fahras = Cli::command();
    fahras.build();
    if let Some(dir) = &args.dir {
        write_page(&fahras, &dir.join("fahras.1"))?;
        for sub in fahras.get_subcommands() {
            let page = sub_page(sub);
            write_page(&page, &dir.join(format!("{}.1", page.get_name())))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let page = match &args.command {
        None => fahras,
        Some(name) => match fahras.find_subcommand(name) {
            Some(sub) => sub_page(sub),
            None => {
                let names: Vec<&str> = fahras
                    .get_subcommands()
                    .map(|c| c.get_name())
                    .filter(|&n| n != "help")
                    .collect();
                bail!("no command {name:?}: one of {}", names.join(", "))
            }
        },
    };
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A command's own page, named as git names its pages (fahras-search).
fn sub_page(sub: &clap::Command) -> clap::Command {
    let name = format!("fahras-{}", sub.get_name());
    sub.clone()
        .name(name.clone())
        .bin_name(name)
        .version(env!("CARGO_PKG_VERSION"))
}

fn write_page(command: &clap::Command, path: &Path) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut bytes)?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}
