//! The command line: argument definitions and dispatch. Each subcommand is one
//! file; none of them holds audit logic.

mod clean;
mod compare;
mod console;
mod discover;
mod explain;
mod generate;
mod init;
mod inputs;
mod notice;
mod output;
pub mod panic;
mod plan_sql;
mod progress;
mod report_cmd;
mod report_flags;
mod rule_flags;
mod scan;
mod synth;

use clap::{Parser, Subcommand};
pub use console::Console;

/// Audits personal-data register exports against their privacy notice.
#[derive(Debug, Parser)]
#[command(name = "regaudit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub console: console::ConsoleArgs,
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
    /// Compare two JSON reports: new, fixed and unchanged findings by rule and register.
    Compare(compare::CompareArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(generate::CompletionsArgs),
    /// Print the man page (roff) of regaudit or of one subcommand.
    Man(generate::ManArgs),
    /// Profile exports with no notice: each column's role, category and evidence.
    Discover(Box<discover::DiscoverArgs>),
    /// Write a commented regaudit.toml and notice.toml for a new register.
    Init(init::InitArgs),
    /// Write a migration-ready copy of each export (dry run by default) and a change log.
    Clean(Box<clean::CleanArgs>),
    /// Write a deterministic synthetic register (for benchmarks and scale tests).
    Synth(synth::SynthArgs),
    /// Compile the audit to SQL for DuckDB or Spark: script, manifest and runner.
    Plan(Box<plan_sql::PlanArgs>),
    /// Render the findings table a plan wrote in its engine, as scan would.
    Report(Box<report_cmd::ReportArgs>),
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
    let console = cli.console.console();
    match cli.command {
        Command::Scan(args) => scan::run(*args, &console),
        Command::Rules(args) => explain::rules(args),
        Command::Explain(args) => explain::explain(args),
        Command::Notice(command) => notice::run(command),
        Command::Compare(args) => compare::run(args, &console),
        Command::Completions(args) => generate::completions(args),
        Command::Man(args) => generate::man(args),
        Command::Synth(args) => synth::run(args),
        Command::Discover(args) => discover::run(*args),
        Command::Init(args) => init::run(args),
        Command::Clean(args) => clean::run(*args, &console),
        Command::Plan(args) => plan_sql::run(*args, &console),
        Command::Report(args) => report_cmd::run(*args, &console),
    }
}

/// Prints a run's error the way every error is printed (exit status 2).
pub fn report_error(err: &regaudit::error::Error, console: &Console) {
    console.error(&err.to_string());
}
