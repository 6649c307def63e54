//! JSON (an array of objects) and NDJSON (one object per line). Nested objects
//! are flattened to dotted column names (`address.city`); arrays are kept as
//! JSON text; every value becomes text. JSON inputs are parsed whole, so their
//! memory grows with the file (CSV streams); the README states this limit.

use super::decode::Sniffed;
use super::parsed::{ParsedChunk, ParsedRow, ParsedRows};
use super::{unique_headers, Encoding, Format, RejectedRow};
use crate::error::InputError;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

pub(crate) struct JsonRows {
    pub headers: Vec<String>,
    pub duplicates: Vec<String>,
    pub format: Format,
    rows: std::vec::IntoIter<Result<ParsedRow, RejectedRow>>,
}

impl JsonRows {
    pub fn open(sniffed: Sniffed, path: &Path, requested: Format) -> Result<Self, InputError> {
        let format = match sniffed.guess_format() {
            Format::Json => Format::Json,
            Format::Ndjson => Format::Ndjson,
            Format::Csv if requested == Format::Ndjson => Format::Ndjson,
            _ => {
                return Err(InputError::at(
                    path,
                    1,
                    1,
                    "not JSON: expected an array of objects (`[{...}]`) or NDJSON (one `{...}` per line)",
                ))
            }
        };
        let mut bytes = Vec::new();
        sniffed
            .into_utf8_reader(Encoding::Utf8)
            .read_to_end(&mut bytes)
            .map_err(|e| InputError::io(path, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let bytes = e.as_bytes();
            let upto = e.utf8_error().valid_up_to();
            let line = bytes[..upto].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let start = bytes[..upto]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&bytes[start..upto]).chars().count() as u64 + 1;
            InputError::at(path, line, column, "JSON input is not valid UTF-8")
        })?;
        if format == Format::Ndjson {
            // A single object spread over several lines is not NDJSON: say so
            // instead of rejecting every line.
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            if serde_json::from_str::<Value>(first).is_err()
                && matches!(serde_json::from_str::<Value>(&text), Ok(Value::Object(_)))
            {
                return Err(InputError::at(
                    path,
                    1,
                    1,
                    "one JSON object spread over several lines: expected an array of objects or NDJSON (one object per line)",
                ));
            }
        }
        let mut columns = ColumnIndex::default();
        let mut rows = Vec::new();
        match format {
            Format::Json => {
                let value: Value = serde_json::from_str(&text).map_err(|e| json_error(path, &e))?;
                let Value::Array(items) = value else {
                    return Err(InputError::at(
                        path,
                        1,
                        1,
                        "expected a JSON array of objects or NDJSON",
                    ));
                };
                let lines = element_lines(&text);
                for (i, item) in items.into_iter().enumerate() {
                    let row = i as u64 + 1;
                    let line = lines.get(i).copied();
                    rows.push(match item {
                        Value::Object(map) => Ok(ParsedRow {
                            cells: columns.flatten(map),
                            line: line.unwrap_or(1),
                        }),
                        other => Err(RejectedRow {
                            row,
                            line,
                            reason: format!("element {row} is {}, not an object", kind(&other)),
                        }),
                    });
                }
            }
            _ => {
                let mut row = 0;
                for (i, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    row += 1;
                    let line_no = i as u64 + 1;
                    rows.push(match serde_json::from_str::<Value>(line) {
                        Ok(Value::Object(map)) => Ok(ParsedRow {
                            cells: columns.flatten(map),
                            line: line_no,
                        }),
                        Ok(other) => Err(RejectedRow {
                            row,
                            line: Some(line_no),
                            reason: format!("line holds {}, not an object", kind(&other)),
                        }),
                        Err(e) => Err(RejectedRow {
                            row,
                            line: Some(line_no),
                            reason: format!("invalid JSON at column {}: {}", e.column(), short(&e)),
                        }),
                    });
                }
            }
        }
        let (headers, duplicates) = unique_headers(columns.names);
        Ok(JsonRows {
            headers,
            duplicates,
            format,
            rows: rows.into_iter(),
        })
    }
}

impl ParsedRows for JsonRows {
    /// The next `rows` parsed rows (or rejections), in input order.
    fn next_chunk(&mut self, rows: usize) -> Result<Option<ParsedChunk>, InputError> {
        let chunk: Vec<_> = self.rows.by_ref().take(rows.max(1)).collect();
        Ok((!chunk.is_empty()).then_some(chunk))
    }
}

/// The 1-based line where each element of a top-level JSON array starts.
/// The text has already parsed as JSON, so a scan that tracks only strings
/// and nesting depth finds every element's first byte.
fn element_lines(text: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // Inside the array, between elements: the next non-blank byte starts one.
    let mut expecting = false;
    for byte in text.bytes() {
        if byte == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expecting && !byte.is_ascii_whitespace() && byte != b']' {
            lines.push(line);
            expecting = false;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                expecting = depth == 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

#[derive(Default)]
struct ColumnIndex {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl ColumnIndex {
    fn flatten(&mut self, map: Map<String, Value>) -> Vec<(usize, String)> {
        let mut cells = Vec::with_capacity(map.len());
        self.flatten_into("", map, &mut cells);
        cells
    }

    fn flatten_into(
        &mut self,
        prefix: &str,
        map: Map<String, Value>,
        out: &mut Vec<(usize, String)>,
    ) {
        for (key, value) in map {
            let name = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            let text = match value {
                Value::Object(inner) => {
                    self.flatten_into(&name, inner, out);
                    continue;
                }
                Value::Null => None,
                Value::String(s) => Some(s),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                array @ Value::Array(_) => Some(array.to_string()),
            };
            let column = self.column(&name);
            if let Some(text) = text {
                out.push((column, text));
            }
        }
    }

    fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its own "at line L column C" suffix.
fn short(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    if text.contains("recursion limit") {
        "nested more than 128 levels deep (regaudit's limit for JSON input)".to_string()
    } else {
        text
    }
}

fn json_error(path: &Path, e: &serde_json::Error) -> InputError {
    InputError::at(
        path,
        e.line() as u64,
        e.column() as u64,
        format!("invalid JSON: {}", short(e)),
    )
}

#[cfg(test)]
mod tests {
    use super::element_lines;

    #[test]
    fn array_elements_start_on_their_own_lines() {
        let text = "[\n  {\"a\": \"x,\\\"}\\n[\"},\n\n  {\"a\": [1,\n 2]},\n  3, \"s\"\n]\n";
        assert_eq!(element_lines(text), vec![2, 4, 6, 6]);
        assert_eq!(element_lines("[{}, {}]"), vec![1, 1]);
        assert!(element_lines("[ ]").is_empty());
    }
}
