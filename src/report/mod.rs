//! Output formats: one file each behind the `Render` trait, all fed the same
//! audit result (`crate::result::Report`).

mod csv;
mod github;
mod html;
mod json;
mod json_text;
mod junit;
mod markdown;
mod sarif;
pub mod schema;
pub mod summary;
mod table;

pub use html::{Lang, ROWS_PER_RULE};

use crate::result::Report;
use std::io::Write;

pub use sarif::SARIF_RESULT_LIMIT;

/// Output formats. Extend here with one file each: the leak, spill and
/// determinism tests iterate `ALL`, so a new format cannot skip them. (Plain
/// comments on the variants: doc comments would turn `--help` into its long
/// form.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, strum::VariantArray)]
pub enum OutputFormat {
    // Findings grouped for people (the default).
    Table,
    // The JSON report, a stable interface.
    Json,
    // SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    // JUnit XML: one testsuite per register, one testcase per rule.
    Junit,
    // One row per finding with the JSON report's finding fields.
    Csv,
    // A short summary for a merge-request comment.
    Markdown,
    // GitHub Actions workflow-command annotations.
    Github,
    // One self-contained page for people: charts, rule docs, filterable findings.
    Html,
}

impl OutputFormat {
    pub const ALL: &'static [OutputFormat] = <OutputFormat as strum::VariantArray>::VARIANTS;

    /// The name `--format` takes.
    pub fn name(self) -> String {
        use clap::ValueEnum;
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    /// The format `--format` calls `name`, if any.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        OutputFormat::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// Options that change how a report is shown but not what it says.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub show_mapping: bool,
    /// Examples shown per group in the table.
    pub examples: usize,
    /// Colour (ANSI) in formats for terminals; the others ignore it.
    pub color: bool,
    /// SARIF results written one per finding before they are grouped; 0
    /// means [`SARIF_RESULT_LIMIT`].
    pub sarif_max_results: u64,
    /// The HTML report's language; by default the first notice's.
    pub lang: Option<Lang>,
}

pub trait Render {
    /// Writes the report; consumes it because findings are read back once.
    fn render(
        &self,
        report: Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()>;
}

pub fn renderer(format: OutputFormat) -> Box<dyn Render> {
    match format {
        OutputFormat::Table => Box::new(table::TableRender),
        OutputFormat::Json => Box::new(json::JsonRender),
        OutputFormat::Sarif => Box::new(sarif::SarifRender),
        OutputFormat::Junit => Box::new(junit::JunitRender),
        OutputFormat::Csv => Box::new(csv::CsvRender),
        OutputFormat::Markdown => Box::new(markdown::MarkdownRender),
        OutputFormat::Github => Box::new(github::GithubRender),
        OutputFormat::Html => Box::new(html::HtmlRender),
    }
}
