//! How the binary shows human output: color (`--color`, `NO_COLOR`), who orders right-to-left
//! text (`--bidi`, `FAHRAS_BIDI`), shaping (`--shape`, `FAHRAS_SHAPE`), the width lines are
//! wrapped to, and the switch of terminals that implement the terminal working group's bidi
//! draft (VTE) to explicit mode while fahras prints visual order.

use std::io::{self, IsTerminal, Write};

use anyhow::bail;

use crate::cli::{BidiArg, ColorArg, DisplayArgs, ShapeArg};
use fahras::render::{Layout, Style};

/// BDSM (ECMA-48 mode 8) reset: explicit mode, the terminal does not reorder what we print.
const EXPLICIT_BIDI: &str = "\x1b[8l";
/// BDSM set: back to implicit mode, the terminal's default.
const IMPLICIT_BIDI: &str = "\x1b[8h";

/// The display settings of one command's human output.
#[derive(Debug, Clone, Copy)]
pub struct Display {
    pub style: Style,
    /// Columns of the terminal (or `$COLUMNS`, or 80).
    pub width: usize,
    /// Visual order printed to a terminal: wrap the output in explicit bidi mode.
    explicit_mode: bool,
}

impl Display {
    /// Resolves the flags against the environment and whether stdout is a terminal.
    pub fn from_args(args: &DisplayArgs) -> anyhow::Result<Display> {
        let tty = io::stdout().is_terminal();
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let color = match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            // https://no-color.org: set and not empty.
            ColorArg::Auto => tty && env("NO_COLOR").is_none(),
        };
        let bidi = match args.bidi {
            Some(bidi) => bidi,
            None => match env("FAHRAS_BIDI").as_deref() {
                None | Some("auto") => BidiArg::Auto,
                Some("visual") => BidiArg::Visual,
                Some("terminal") => BidiArg::Terminal,
                Some(other) => bail!(
                    "FAHRAS_BIDI={other:?} is not one of visual, terminal, auto (see fahras search --help)"
                ),
            },
        };
        let shape = match args.shape {
            Some(shape) => shape,
            None => match env("FAHRAS_SHAPE").as_deref() {
                None | Some("auto") => ShapeArg::Auto,
                Some("always") => ShapeArg::Always,
                Some("never") => ShapeArg::Never,
                Some(other) => bail!(
                    "FAHRAS_SHAPE={other:?} is not one of always, never, auto (see fahras search --help)"
                ),
            },
        };
        let visual = match bidi {
            BidiArg::Visual => true,
            BidiArg::Terminal => false,
            BidiArg::Auto => tty && !terminal_reorders(&env),
        };
        let width = width(tty, &env);
        let layout = if visual {
            Layout::Visual {
                width,
                shape: shape != ShapeArg::Never,
            }
        } else {
            Layout::Logical
        };
        Ok(Display {
            style: Style::new(color).with_layout(layout),
            width,
            explicit_mode: visual && tty,
        })
    }

    /// Writes `body`'s output between the switch to explicit bidi mode and back, when needed.
    pub fn write(
        &self,
        out: &mut dyn Write,
        body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.explicit_mode {
            out.write_all(EXPLICIT_BIDI.as_bytes())?;
        }
        let result = body(out);
        if self.explicit_mode {
            out.write_all(IMPLICIT_BIDI.as_bytes())?;
        }
        result
    }
}

/// Terminals known to reorder right-to-left text themselves, by the variables they set:
/// VTE (GNOME Terminal, Tilix, Terminator …) since 0.58, Konsole, mlterm.
fn terminal_reorders(env: &dyn Fn(&str) -> Option<String>) -> bool {
    ["VTE_VERSION", "KONSOLE_VERSION", "MLTERM"]
        .iter()
        .any(|name| env(name).is_some())
}

/// Columns to wrap to: the terminal's, else `$COLUMNS`, else 80.
fn width(tty: bool, env: &dyn Fn(&str) -> Option<String>) -> usize {
    if tty {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            return usize::from(w).max(20);
        }
    }
    env("COLUMNS")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .map_or(80, |c| c.max(20))
}
