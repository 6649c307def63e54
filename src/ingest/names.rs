//! The one name table for input formats and encodings, shared by the flags
//! (`--input-format`, `--encoding`), the config (`format`, `encoding`) and the
//! reader's own hints, so every spelling one accepts the others accept too.

use super::{Encoding, Format};
use clap::builder::PossibleValue;

/// Every accepted spelling; the first one of a value is its name.
const FORMAT_NAMES: &[(&str, Format)] = &[
    ("csv", Format::Csv),
    ("json", Format::Json),
    ("ndjson", Format::Ndjson),
    ("jsonl", Format::Ndjson),
    ("xlsx", Format::Xlsx),
    ("ods", Format::Ods),
    ("parquet", Format::Parquet),
];

const ENCODING_NAMES: &[(&str, Encoding)] = &[
    ("auto", Encoding::Auto),
    ("utf-8", Encoding::Utf8),
    ("utf8", Encoding::Utf8),
    ("windows-1252", Encoding::Windows1252),
    ("windows1252", Encoding::Windows1252),
    ("cp1252", Encoding::Windows1252),
    ("latin1", Encoding::Windows1252),
    ("iso-8859-1", Encoding::Windows1252),
    ("utf-16", Encoding::Utf16),
    ("utf16", Encoding::Utf16),
];

fn from_name<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    let name = name.trim();
    table
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

fn name_of<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(n, _)| n)
}

/// The value's name and every other spelling as aliases.
fn possible_value<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> PossibleValue {
    let mut spellings = table.iter().filter(|(_, v)| *v == value).map(|(n, _)| *n);
    let name = spellings.next().unwrap_or("");
    PossibleValue::new(name).aliases(spellings)
}

/// The names of a table's values, for "expected …" messages.
fn names<T: Copy + PartialEq>(table: &[(&'static str, T)], values: &[T]) -> String {
    let names: Vec<&str> = values.iter().map(|v| name_of(table, *v)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

impl Format {
    /// The formats a file can be read as (databases are named by URL).
    pub const ALL: [Format; 6] = [
        Format::Csv,
        Format::Json,
        Format::Ndjson,
        Format::Xlsx,
        Format::Ods,
        Format::Parquet,
    ];

    pub fn from_name(name: &str) -> Option<Format> {
        from_name(FORMAT_NAMES, name)
    }

    pub fn name(self) -> &'static str {
        name_of(FORMAT_NAMES, self)
    }

    /// "csv, json, ndjson, xlsx, ods or parquet".
    pub fn expected() -> String {
        names(FORMAT_NAMES, &Format::ALL)
    }
}

impl Encoding {
    pub const ALL: [Encoding; 4] = [
        Encoding::Auto,
        Encoding::Utf8,
        Encoding::Windows1252,
        Encoding::Utf16,
    ];

    pub fn from_name(name: &str) -> Option<Encoding> {
        from_name(ENCODING_NAMES, name)
    }

    pub fn name(self) -> &'static str {
        name_of(ENCODING_NAMES, self)
    }

    /// "auto, utf-8, windows-1252 or utf-16".
    pub fn expected() -> String {
        names(ENCODING_NAMES, &Encoding::ALL)
    }
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(possible_value(FORMAT_NAMES, *self))
    }
}

impl clap::ValueEnum for Encoding {
    fn value_variants<'a>() -> &'a [Self] {
        &Encoding::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(possible_value(ENCODING_NAMES, *self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn flags_and_config_accept_the_same_spellings() {
        for (name, encoding) in ENCODING_NAMES {
            assert_eq!(Encoding::from_name(name), Some(*encoding));
            assert_eq!(Encoding::from_str(name, true), Ok(*encoding), "{name}");
        }
        for (name, format) in FORMAT_NAMES {
            assert_eq!(Format::from_name(name), Some(*format));
            assert_eq!(Format::from_str(name, true), Ok(*format), "{name}");
        }
        assert_eq!(
            Encoding::from_name("Windows-1252"),
            Some(Encoding::Windows1252)
        );
        assert_eq!(Encoding::from_name("ebcdic"), None);
    }

    #[test]
    fn names_and_expectations() {
        assert_eq!(Encoding::Windows1252.name(), "windows-1252");
        assert_eq!(Encoding::expected(), "auto, utf-8, windows-1252 or utf-16");
        assert_eq!(
            Format::expected(),
            "csv, json, ndjson, xlsx, ods or parquet"
        );
    }
}
