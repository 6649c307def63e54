//! The command line: argument definitions and dispatch. Each subcommand is one
//! file; none of them holds audit logic.

mod explain;
mod notice;
mod output;
mod progress;
mod scan;
mod synth;

use clap::{Parser, Subcommand};

/// Audits personal-data register exports against their privacy notice.
#[derive(Debug, Parser)]
#[command(name = "regaudit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit register exports against their notice metadata.
    Scan(Box<scan::ScanArgs>),
    /// List the rule catalogue.
    Rules(explain::RulesArgs),
    /// Print a rule's full documentation.
    Explain(explain::ExplainArgs),
    /// Lint a privacy notice's text, or draft its notice.toml.
    #[command(subcommand)]
    Notice(notice::NoticeCommand),
    /// Write a deterministic synthetic register (for benchmarks and scale tests).
    Synth(synth::SynthArgs),
}

/// What a run ended with; `main` maps it to the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above the failure threshold.
    Clean,
    /// Findings at or above the threshold.
    Findings,
}

pub fn run(cli: Cli) -> Result<Outcome, regaudit::error::Error> {
    match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Rules(args) => explain::rules(args),
        Command::Explain(args) => explain::explain(args),
        Command::Notice(command) => notice::run(command),
        Command::Synth(args) => synth::run(args),
    }
}
