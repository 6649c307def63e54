//! `regaudit`: parse the arguments, run, map the outcome to an exit status:
//! 0 clean, 1 findings at or above `--fail-on`, 2 usage, config or input
//! errors, and 2 (never Rust's 101) if regaudit itself fails.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::panic::install_hook();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let console = args.console.console();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(args))) {
        Ok(Ok(cli::Outcome::Clean)) => ExitCode::SUCCESS,
        Ok(Ok(cli::Outcome::Findings)) => ExitCode::from(1),
        Ok(Err(err)) => {
            cli::report_error(&err, &console);
            ExitCode::from(2)
        }
        // The hook has told the user; a bug is a failure of the tool: 2.
        Err(_) => ExitCode::from(2),
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
