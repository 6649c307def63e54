//! The clean copy of a JSON array or NDJSON export: the same objects, in the
//! same order and key order, with the edits applied by their flattened column
//! names (`address.city`) the way the reader named them.

use super::cells::{false_word, kind_of, only_consent, redact_codes};
use super::edits::{CellEdit, FileEdits};
use super::CopyTally;
use crate::ingest::{DecodedInput, Format};
use crate::mask::mask;
use crate::values::parse_bool;
use serde_json::{Map, Value};
use std::io::{self, Read, Write};

pub fn write(input: DecodedInput, edits: &FileEdits, out: &mut dyn Write) -> io::Result<CopyTally> {
    let mut text = String::new();
    let mut reader = input.text;
    reader.read_to_string(&mut text)?;
    let dialect = input.dialect;
    let newline = if dialect.line_end == "\r\n" {
        "\r\n"
    } else {
        "\n"
    };
    let mut tally = CopyTally::default();
    if dialect.bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    if dialect.format == Format::Ndjson {
        let mut row = 0;
        for line in text.lines() {
            if line.trim().is_empty() {
                continue;
            }
            row += 1;
            tally.rows_read += 1;
            if !edits.keeps_row(row) {
                continue;
            }
            let mut value: Value = serde_json::from_str(line).map_err(io::Error::other)?;
            tally.cells_changed += apply(&mut value, row, edits);
            serde_json::to_writer(&mut *out, &value)?;
            out.write_all(newline.as_bytes())?;
            tally.rows_written += 1;
        }
        return Ok(tally);
    }
    let value: Value = serde_json::from_str(&text).map_err(io::Error::other)?;
    let Value::Array(items) = value else {
        return Err(io::Error::other("expected a JSON array"));
    };
    let mut kept = Vec::with_capacity(items.len());
    for (i, mut item) in items.into_iter().enumerate() {
        let row = i as u64 + 1;
        tally.rows_read += 1;
        if edits.keeps_row(row) {
            tally.cells_changed += apply(&mut item, row, edits);
            kept.push(item);
            tally.rows_written += 1;
        }
    }
    // One element per line when the input was laid out, else compact.
    if text.trim_end().contains('\n') {
        serde_json::to_writer_pretty(&mut *out, &kept)?;
        out.write_all(newline.as_bytes())?;
    } else {
        serde_json::to_writer(&mut *out, &kept)?;
    }
    Ok(tally)
}

/// Applies a row's edits; returns how many values changed.
fn apply(value: &mut Value, row: u64, edits: &FileEdits) -> u64 {
    let Value::Object(object) = value else {
        return 0;
    };
    let mut changed = 0;
    for &c in &edits.dropped {
        remove_path(object, &edits.columns[c]);
    }
    for (c, name) in edits.columns.iter().enumerate() {
        let cell_edits = edits.cells.get(&(row, c));
        let masked = edits.masked.contains(&c);
        if cell_edits.is_none() && !masked || edits.dropped.contains(&c) {
            continue;
        }
        let Some(cell) = get_path(object, name) else {
            continue;
        };
        let before = cell.clone();
        for edit in cell_edits.into_iter().flatten() {
            *cell = match (edit, &*cell) {
                (CellEdit::Blank, _) => Value::Null,
                (CellEdit::Redact, Value::String(s)) => Value::String(redact_codes(s)),
                (CellEdit::ResetFlag, Value::Bool(_)) => Value::Bool(false),
                (CellEdit::ResetFlag, Value::Number(n)) if n.as_i64() == Some(1) => Value::from(0),
                (CellEdit::ResetFlag, Value::String(s)) if parse_bool(s) == Some(true) => {
                    Value::String(false_word(s).into_owned())
                }
                (CellEdit::WithdrawConsent, Value::String(s)) if only_consent(s) => Value::Null,
                (_, other) => other.clone(),
            };
        }
        if masked {
            let kind = kind_of(edits.roles[c]);
            let text = match &*cell {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            if let Some(text) = text {
                *cell = Value::String(mask(kind, &text, false));
            }
        }
        changed += u64::from(*cell != before);
    }
    changed
}

/// The value a flattened column name points at: a key as it is, or a key
/// followed by the rest of the name inside that key's object.
fn get_path<'a>(object: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    if object.contains_key(name) {
        return object.get_mut(name);
    }
    let (key, rest) = split_path(object, name)?;
    match object.get_mut(&key) {
        Some(Value::Object(inner)) => get_path(inner, &rest),
        _ => None,
    }
}

fn remove_path(object: &mut Map<String, Value>, name: &str) {
    if object.shift_remove(name).is_some() {
        return;
    }
    if let Some((key, rest)) = split_path(object, name) {
        if let Some(Value::Object(inner)) = object.get_mut(&key) {
            remove_path(inner, &rest);
        }
    }
}

/// The longest key of `object` that `name` starts with, followed by a dot.
fn split_path(object: &Map<String, Value>, name: &str) -> Option<(String, String)> {
    name.match_indices('.')
        .rev()
        .map(|(i, _)| (&name[..i], &name[i + 1..]))
        .find(|(key, _)| matches!(object.get(*key), Some(Value::Object(_))))
        .map(|(k, r)| (k.to_string(), r.to_string()))
}
