//! What the command line says besides the report: notes, warnings and
//! errors on stderr, quieter or louder (`--quiet`, `--verbose`), in colour
//! or not (`--color`, `NO_COLOR`). Flags every subcommand takes.

use clap::{Args, ValueEnum};
use std::io::IsTerminal;

/// `auto` colours a terminal unless `NO_COLOR` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Messages (every subcommand)")]
pub struct ConsoleArgs {
    /// Print only the report and errors: no notes, warnings or summary on stderr (beats --verbose).
    #[arg(long, short, global = true, env = "REGAUDIT_QUIET")]
    quiet: bool,
    /// Also print what the scan reads and how long it takes, on stderr.
    #[arg(long, short, global = true, env = "REGAUDIT_VERBOSE")]
    verbose: bool,
    /// Colour the table and messages: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, env = "REGAUDIT_COLOR")]
    color: ColorChoice,
}

impl ConsoleArgs {
    pub fn console(&self) -> Console {
        Console {
            quiet: self.quiet,
            verbose: self.verbose,
            color: self.color,
        }
    }
}

/// Where messages go, and how.
#[derive(Debug, Clone, Copy)]
pub struct Console {
    pub quiet: bool,
    pub verbose: bool,
    pub color: ColorChoice,
}

/// `NO_COLOR` (https://no-color.org): set and not empty turns colour off.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Console {
    /// Whether output to a stream that is (or is not) a terminal is coloured.
    pub fn colored(&self, terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color(),
        }
    }

    pub fn stdout_colored(&self) -> bool {
        self.colored(std::io::stdout().is_terminal())
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.colored(std::io::stderr().is_terminal()) {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A note the user may want (a summary, a file written); not with `--quiet`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Detail for `--verbose`.
    pub fn detail(&self, text: &str) {
        if self.verbose && !self.quiet {
            eprintln!("{} {text}", self.paint("info:", "2"));
        }
    }

    pub fn warn(&self, text: &str) {
        if !self.quiet {
            eprintln!("{} {text}", self.paint("warning:", "1;33"));
        }
    }

    /// Errors are printed even with `--quiet`.
    pub fn error(&self, text: &str) {
        eprintln!("{} {text}", self.paint("error:", "1;31"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color_is_set() {
        let console = |color| Console {
            quiet: false,
            verbose: false,
            color,
        };
        // The only test in this binary that touches NO_COLOR.
        std::env::remove_var("NO_COLOR");
        assert!(console(ColorChoice::Auto).colored(true));
        assert!(!console(ColorChoice::Auto).colored(false));
        std::env::set_var("NO_COLOR", "1");
        assert!(!console(ColorChoice::Auto).colored(true));
        assert!(console(ColorChoice::Always).colored(true));
        std::env::set_var("NO_COLOR", "");
        assert!(
            console(ColorChoice::Auto).colored(true),
            "an empty NO_COLOR is unset"
        );
        std::env::remove_var("NO_COLOR");
        assert!(!console(ColorChoice::Never).colored(true));
    }
}
