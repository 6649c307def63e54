//! discover's output: a table for people, JSON for tools. Both show the
//! profile as gathered; examples in it are already masked.

use super::evidence::{Checked, ColumnEvidence};
use super::profile::FileProfile;
use std::io::{self, Write};

/// `{"tool", "version", "files": [...]}`.
pub fn render_json(profiles: &[FileProfile], out: &mut dyn Write) -> io::Result<()> {
    let doc = serde_json::json!({
        "tool": "regaudit",
        "version": env!("CARGO_PKG_VERSION"),
        "files": profiles,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

pub fn render_table(profiles: &[FileProfile], out: &mut dyn Write) -> io::Result<()> {
    for profile in profiles {
        let delimiter = profile
            .info
            .delimiter
            .map(|d| format!(", delimiter {d:?}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {} rows ({} rejected), {}, {}{delimiter}",
            profile.file.display(),
            profile.rows,
            profile.rejected_rows,
            profile.info.format.name(),
            profile.info.encoding,
        )?;
        match profile.key() {
            Some(key) => writeln!(out, "  record key: {}", key.name)?,
            None => writeln!(out, "  record key: none recognised")?,
        }
        for column in &profile.columns {
            writeln!(
                out,
                "\n  {}\n    role      {} ({}, {}, confidence {:.2})",
                column.name,
                column.role.name(),
                column.category.as_deref().unwrap_or("category unknown"),
                serde_json::to_value(column.source)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                column.confidence,
            )?;
            writeln!(out, "    why       {}", column.reason)?;
            if let Some(note) = &column.note {
                writeln!(out, "    note      {note}")?;
            }
            writeln!(
                out,
                "    holds     {}",
                summary(&column.evidence, column.share_empty)
            )?;
            if !column.evidence.examples.is_empty() {
                writeln!(
                    out,
                    "    examples  {}",
                    column.evidence.examples.join(" | ")
                )?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// "120 cells, 2.5% empty; identity codes 118 valid, 2 invalid; …", naming
/// only the kinds found.
fn summary(e: &ColumnEvidence, share_empty: f64) -> String {
    let mut parts = vec![format!(
        "{} cells, {:.1}% empty",
        e.cells,
        share_empty * 100.0
    )];
    let checked = |name: &str, c: &Checked, parts: &mut Vec<String>| {
        if c.any() {
            parts.push(format!("{name} {} valid, {} invalid", c.valid, c.invalid));
        }
    };
    checked("identity codes", &e.identity_codes, &mut parts);
    checked("e-mails", &e.emails, &mut parts);
    checked("phones", &e.phones, &mut parts);
    checked("business ids", &e.business_ids, &mut parts);
    checked("IBANs", &e.ibans, &mut parts);
    for (name, n) in [
        ("identity codes in text", e.identity_codes_in_text),
        ("IP addresses", e.ip_addresses),
        ("dates", e.dates),
        ("health words", e.health_words),
        ("free text", e.free_text),
    ] {
        if n > 0 {
            parts.push(format!("{name} {n}"));
        }
    }
    parts.join("; ")
}
