//! `regaudit synth`: writes a deterministic synthetic register for benchmarks.

use super::Outcome;
use clap::Args;
use regaudit::error::Error;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Folder to write into (created; use /tmp for large registers, never the repository).
    #[arg(long)]
    out: PathBuf,
    /// Register rows; events are a quarter of that, bans a fiftieth.
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// Seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The date the data is generated relative to (scan with the same --as-of).
    #[arg(long = "as-of", default_value = "2026-11-22")]
    as_of: String,
}

pub fn run(args: SynthArgs) -> Result<Outcome, Error> {
    let as_of = chrono::NaiveDate::parse_from_str(&args.as_of, "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("--as-of `{}` is not YYYY-MM-DD", args.as_of)))?;
    regaudit::synth::write_register(&args.out, args.rows, args.seed, as_of).map_err(|e| {
        Error::Output {
            path: args.out.clone(),
            message: e.to_string(),
        }
    })?;
    Ok(Outcome::Clean)
}
