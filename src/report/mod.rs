//! Output formats: one file each behind the `Render` trait, all fed the same
//! audit result (`crate::result::Report`).

mod json;
pub mod schema;
pub mod summary;
mod table;

use crate::result::Report;
use std::io::Write;

/// Output formats. Extend here (SARIF, JUnit, CSV, Markdown, HTML) with one
/// file each: the leak, spill and determinism tests iterate `ALL`, so a new
/// format cannot skip them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, strum::VariantArray)]
pub enum OutputFormat {
    Table,
    Json,
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
}

/// Options that change how a report is shown but not what it says.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub show_mapping: bool,
    /// Examples shown per group in the table.
    pub examples: usize,
    /// Colour (ANSI) in formats for terminals; the others ignore it.
    pub color: bool,
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
    }
}
