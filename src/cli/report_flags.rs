//! The flags that choose and write the reports of one run, shared by `scan`
//! and `report` (which turns an engine's findings table into the same
//! reports), and the writing itself: each extra `FORMAT:PATH` report, then
//! the `--format` report.

use super::output::{write_report, Outputs};
use super::{Console, Outcome};
use clap::Args;
use regaudit::error::Error;
use regaudit::report::{renderer, Lang, OutputFormat, RenderOptions};
use regaudit::result::Report;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReportFlags {
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, env = "REGAUDIT_FORMAT")]
    pub format: OutputFormat,
    /// Language of the HTML report's text (default: the notice's language, else English).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Write the --format report to PATH instead of stdout, or with FORMAT:PATH
    /// (repeatable) also a report in FORMAT, e.g. `-o sarif:report.sarif -o
    /// junit:junit.xml`. Files are written 0600 and atomically.
    #[arg(long, short, value_name = "[FORMAT:]PATH")]
    pub output: Vec<PathBuf>,
    /// SARIF: findings written one result each; above it, results are grouped
    /// by rule, register and column with counts (GitHub shows 5,000 results).
    #[arg(long = "sarif-max-results", value_name = "N",
          default_value_t = regaudit::report::SARIF_RESULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub sarif_max_results: u64,
    /// Exit 1 when a finding is at or above LEVEL: critical, high, medium, low, info or never.
    #[arg(long = "fail-on", value_name = "LEVEL", env = "REGAUDIT_FAIL_ON")]
    pub fail_on: Option<String>,
    /// Exit 0 even when findings are at or above --fail-on (errors still exit 2).
    #[arg(long = "exit-zero", env = "REGAUDIT_EXIT_ZERO")]
    pub exit_zero: bool,
}

impl ReportFlags {
    /// Writes every report. One run, several reports: each extra report
    /// renders a copy of the report that re-reads the same findings (see
    /// `Report::try_clone`), one after the other; the `--format` report comes
    /// last and consumes it. Copies share the store's sorted spill files
    /// instead of holding the findings in memory, so memory stays at the
    /// `--findings-in-memory` bound with millions of findings, for one
    /// sequential re-read per report (rendering every format in one pass
    /// would instead make each renderer a streaming sink with its own
    /// grouping state).
    pub fn write(
        &self,
        mut report: Report,
        outputs: &Outputs,
        inputs: &[&Path],
        show_mapping: bool,
        console: &Console,
    ) -> Result<(), Error> {
        let options = RenderOptions {
            show_mapping,
            examples: 0,
            sarif_max_results: self.sarif_max_results,
            color: false,
            lang: self.lang,
        };
        // Colour only for the report on a terminal, never in a file.
        let main_options = RenderOptions {
            color: outputs.main.is_none() && console.stdout_colored(),
            ..options.clone()
        };
        for (format, path) in &outputs.extra {
            let copy = report.try_clone().map_err(|e| Error::Output {
                path: path.clone(),
                message: e.to_string(),
            })?;
            write_report(Some(path), inputs, |out| {
                renderer(*format).render(copy, &options, out)
            })?;
        }
        write_report(outputs.main.as_deref(), inputs, |out| {
            renderer(self.format).render(report, &main_options, out)
        })
    }

    /// The exit outcome when findings reached `--fail-on` (or not).
    pub fn outcome(&self, fails: bool) -> Outcome {
        if fails && !self.exit_zero {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}
