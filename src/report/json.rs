//! The JSON report: one object with `findings`, `summary` and `inputs`. Field
//! names are a public interface: extend, never rename. Findings are streamed,
//! one per line, so a report with millions of them is never held in memory.

use super::{Render, RenderOptions, Report};
use crate::finding::Finding;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

pub struct JsonRender;

/// Findings serialised together on the thread pool.
const SERIALISE_BATCH: usize = 8192;

fn pretty<T: Serialize>(value: &T, out: &mut dyn Write, indent: &str) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    let mut lines = text.lines();
    if let Some(first) = lines.next() {
        write!(out, "{first}")?;
    }
    for line in lines {
        write!(out, "\n{indent}{line}")?;
    }
    Ok(())
}

impl Render for JsonRender {
    fn render(
        &self,
        report: Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"tool\": {},", serde_json::to_string(report.tool)?)?;
        writeln!(
            out,
            "  \"version\": {},",
            serde_json::to_string(report.version)?
        )?;
        writeln!(
            out,
            "  \"as_of\": {},",
            serde_json::to_string(&report.as_of)?
        )?;
        write!(out, "  \"findings\": [")?;
        let mut first = true;
        let mut findings = report.findings.into_sorted()?;
        loop {
            // Findings are serialised a batch at a time on every core, and
            // written in order.
            let batch: Vec<Finding> = findings
                .by_ref()
                .take(SERIALISE_BATCH)
                .collect::<std::io::Result<_>>()?;
            if batch.is_empty() {
                break;
            }
            let texts: Vec<Vec<u8>> = batch
                .par_iter()
                .map(serde_json::to_vec)
                .collect::<Result<_, _>>()?;
            for text in texts {
                write!(out, "{}\n    ", if first { "" } else { "," })?;
                out.write_all(&text)?;
                first = false;
            }
        }
        writeln!(out, "{}],", if first { "" } else { "\n  " })?;
        write!(out, "  \"summary\": ")?;
        pretty(&report.summary, out, "  ")?;
        writeln!(out, ",")?;
        let mut inputs = report.inputs;
        if !options.show_mapping {
            for input in &mut inputs {
                input.columns.clear();
            }
        }
        write!(out, "  \"inputs\": ")?;
        pretty(&inputs, out, "  ")?;
        writeln!(out, "\n}}")
    }
}
