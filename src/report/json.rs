//! The JSON report: one object with `findings`, `summary`, `inputs`,
//! `coverage` and `notices`. Field
//! names are a public interface: extend, never rename. Findings are streamed,
//! one per line, so a report with millions of them is never held in memory.

use super::{Render, RenderOptions};
use crate::finding::Finding;
use crate::result::marks::Marker;
use crate::result::Report;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

pub struct JsonRender;

/// Findings taken from the store at a time, and serialised together by one task.
const SERIALISE_BATCH: usize = 16_384;
const SERIALISE_PIECE: usize = 1024;

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

/// The baseline and allowlist marks, written inside the finding's object:
/// `Finding`'s derive skips them, so the store's spill encoding stays the
/// finding alone.
fn write_marks(text: &mut Vec<u8>, f: &Finding) -> serde_json::Result<()> {
    if f.baseline_state.is_none() && f.suppressed.is_none() {
        return Ok(());
    }
    // Reopen the object the finding was just written as.
    if text.last() == Some(&b'}') {
        text.pop();
    }
    if let Some(state) = f.baseline_state {
        text.extend_from_slice(b",\"baseline_state\":");
        serde_json::to_writer(&mut *text, &state)?;
    }
    if let Some(suppressed) = &f.suppressed {
        text.extend_from_slice(b",\"suppressed\":");
        serde_json::to_writer(&mut *text, suppressed)?;
    }
    text.push(b'}');
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
            "  \"schema_version\": {},",
            serde_json::to_string(super::schema::SCHEMA_VERSION)?
        )?;
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
        writeln!(
            out,
            "  \"fingerprint_key\": {},",
            serde_json::to_string(&report.fingerprint_key)?
        )?;
        write!(out, "  \"findings\": [")?;
        let mut first = true;
        // Findings are merged ahead on a thread of their own, and each batch
        // serialised (and freed) on every core, each piece as `,\n    {...}`
        // lines, and written in order.
        // Baseline and allowlist marks go on in report order, before the
        // batch is split across cores (see `result::marks`).
        let mut marks = report.marks.as_ref().map(Marker::pass);
        for batch in report.findings.into_sorted()?.prefetched(SERIALISE_BATCH) {
            let mut batch = batch?;
            if let Some(marks) = marks.as_mut() {
                for finding in &mut batch {
                    marks.mark(finding.to_mut());
                }
            }
            let pieces: Vec<Vec<u8>> = batch
                .into_par_iter()
                .chunks(SERIALISE_PIECE)
                .map(|chunk| {
                    let mut text = Vec::with_capacity(chunk.len() * 400);
                    for finding in &chunk {
                        text.extend_from_slice(b",\n    ");
                        super::json_text::write_finding(&mut text, finding);
                        write_marks(&mut text, finding)?;
                    }
                    Ok(text)
                })
                .collect::<serde_json::Result<_>>()?;
            for piece in pieces {
                // The first finding of the report has no comma before it.
                let skip = usize::from(first);
                out.write_all(&piece[skip..])?;
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
        write!(out, ",\n  \"coverage\": ")?;
        pretty(&report.coverage, out, "  ")?;
        write!(out, ",\n  \"notices\": ")?;
        pretty(&report.notices, out, "  ")?;
        if let Some(baseline) = &report.baseline {
            write!(out, ",\n  \"baseline\": ")?;
            pretty(baseline, out, "  ")?;
        }
        if let Some(allowlist) = &report.allowlist {
            write!(out, ",\n  \"allowlist\": ")?;
            pretty(allowlist, out, "  ")?;
        }
        writeln!(out, "\n}}")
    }
}
