//! `regaudit completions SHELL` and `regaudit man [SUBCOMMAND]`: generated
//! from the same clap definition the parser uses, so they never drift.

use super::{Cli, Outcome};
use clap::{Args, CommandFactory};
use regaudit::error::Error;
use std::io::Write;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand (scan, compare, …); regaudit itself when absent.
    subcommand: Option<String>,
}

/// A closed pipe (`regaudit man | head`) is not an error.
fn finish(result: std::io::Result<()>) -> Result<Outcome, Error> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output {
            path: "<stdout>".into(),
            message: e.to_string(),
        }),
        _ => Ok(Outcome::Clean),
    }
}

pub fn completions(args: CompletionsArgs) -> Result<Outcome, Error> {
    let mut command = Cli::command();
    // Generated into memory: the generator cannot report a write error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "regaudit", &mut script);
    let mut out = std::io::stdout().lock();
    finish(out.write_all(&script).and_then(|_| out.flush()))
}

pub fn man(args: ManArgs) -> Result<Outcome, Error> {
    let mut root = Cli::command();
    root.build();
    let page = match &args.subcommand {
        None => root,
        Some(name) => {
            // Built, a subcommand is displayed as `regaudit-NAME`.
            root.get_subcommands()
                .find(|s| s.get_name() == name)
                .cloned()
                .ok_or_else(|| Error::Usage(format!("man: no subcommand `{name}`")))?
        }
    };
    let mut out = std::io::stdout().lock();
    finish(
        clap_mangen::Man::new(page)
            .render(&mut out)
            .and_then(|_| out.flush()),
    )
}
