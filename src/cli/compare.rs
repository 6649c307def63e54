//! `regaudit compare OLD.json NEW.json`: trends between two periodic audits.

use super::{Console, Outcome};
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, Table};
use regaudit::compare::{compare, Comparison};
use regaudit::error::Error;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier JSON report (`scan --format json`).
    old: PathBuf,
    /// The later JSON report, made with the same fingerprint key.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    format: CompareFormat,
}

pub fn run(args: CompareArgs, console: &Console) -> Result<Outcome, Error> {
    let comparison = compare(&args.old, &args.new)?;
    let text = match args.format {
        CompareFormat::Json => {
            serde_json::to_string_pretty(&comparison).map_err(|e| Error::Usage(e.to_string()))?
                + "\n"
        }
        CompareFormat::Table => table(&comparison, console.stdout_colored()),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::Output {
                path: "<stdout>".into(),
                message: e.to_string(),
            })
        }
        _ => {}
    }
    Ok(Outcome::Clean)
}

fn table(c: &Comparison, color: bool) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "register",
        "rule",
        "new",
        "fixed",
        "unchanged",
    ]);
    if color {
        table.enforce_styling();
    }
    for row in &c.by_rule {
        let count = |n: u64, hue: Color| {
            let cell = Cell::new(n);
            if n > 0 {
                cell.fg(hue)
            } else {
                cell
            }
        };
        table.add_row(vec![
            Cell::new(&row.register),
            Cell::new(&row.rule),
            count(row.counts.new, Color::Red),
            count(row.counts.fixed, Color::Green),
            Cell::new(row.counts.unchanged),
        ]);
    }
    let dates = match (&c.old_as_of, &c.new_as_of) {
        (Some(a), Some(b)) => format!(" ({a} → {b})"),
        _ => String::new(),
    };
    format!(
        "Compared {} with {}{dates}\n{table}\nTotal: {} new, {} fixed, {} unchanged\n",
        c.old, c.new, c.total.new, c.total.fixed, c.total.unchanged
    )
}
