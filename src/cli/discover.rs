//! `regaudit discover`: argument handling only; the profiling and the drafts
//! live in the library (`regaudit::discover`).

use super::init::{path_in_config, prepare_dir, write_new_files};
use super::output::write_report;
use super::Outcome;
use clap::{Args, ValueEnum};
use regaudit::discover::{draft_config, draft_notice, profile_file, render_json, render_table};
use regaudit::error::Error;
use regaudit::ingest::{Encoding, Format, InputPath, ReadOptions};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProfileFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Export(s) to profile (CSV, JSON, NDJSON); `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProfileFormat::Table)]
    format: ProfileFormat,
    /// Write the profile to FILE (mode 0600, written atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Write a regaudit.toml and notice.toml draft to DIR.
    #[arg(long, value_name = "DIR")]
    write: Option<PathBuf>,
    /// Overwrite the drafts in DIR if they exist.
    #[arg(long, requires = "write")]
    force: bool,
    /// Show examples unmasked.
    #[arg(long)]
    reveal: bool,
    /// Data format; sniffed from the extension and content by default.
    #[arg(long = "input-format", value_enum)]
    input_format: Option<Format>,
    /// CSV delimiter; sniffed (comma, semicolon, tab) by default.
    #[arg(long)]
    delimiter: Option<char>,
    /// CSV encoding.
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    encoding: Encoding,
}

pub fn run(args: DiscoverArgs) -> Result<Outcome, Error> {
    let delimiter = match args.delimiter {
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => return Err(Error::Usage(format!("--delimiter `{c}` is not one byte"))),
        None => None,
    };
    let read = ReadOptions {
        format: args.input_format,
        delimiter,
        encoding: args.encoding,
        batch_rows: 0,
        // A workbook's first sheet.
        sheet: None,
    };
    if args.write.is_some() && args.files.iter().any(|f| f == Path::new("-")) {
        return Err(Error::Usage(
            "--write needs files: a draft config cannot point at standard input".into(),
        ));
    }
    let profiles = args
        .files
        .iter()
        .map(|f| profile_file(&InputPath::parse(f), &read, args.reveal))
        .collect::<Result<Vec<_>, _>>()?;
    let inputs: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    write_report(args.output.as_deref(), &inputs, |out| match args.format {
        ProfileFormat::Table => render_table(&profiles, out),
        ProfileFormat::Json => render_json(&profiles, out),
    })?;
    if let Some(dir) = &args.write {
        prepare_dir(dir)?;
        let mut drafted = Vec::new();
        for (profile, file) in profiles.iter().zip(&args.files) {
            drafted.push((profile, path_in_config(dir, file)?));
        }
        let refs: Vec<_> = profiles.iter().collect();
        let files = [
            ("regaudit.toml", draft_config(&drafted)),
            ("notice.toml", draft_notice(&refs)),
        ];
        write_new_files(dir, &files, args.force)?;
        eprintln!(
            "wrote {0}/regaudit.toml and {0}/notice.toml (drafts: confirm every TODO, then `regaudit scan {0}`)",
            dir.display()
        );
    }
    Ok(Outcome::Clean)
}
