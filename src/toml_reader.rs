//! Reads TOML keeping positions, so config, notice and rule files can be
//! validated completely: wrong types, unknown keys (with a suggestion) and
//! bad values are collected as diagnostics rather than failing on the first.

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// One TOML source with its diagnostics sink.
pub struct TomlSource<'s> {
    pub path: PathBuf,
    pub text: &'s str,
    index: LineIndex,
    diagnostics: RefCell<Diagnostics>,
}

impl<'s> TomlSource<'s> {
    pub fn new(path: &Path, text: &'s str) -> Self {
        TomlSource {
            path: path.to_path_buf(),
            text,
            index: LineIndex::new(text),
            diagnostics: RefCell::new(Diagnostics::default()),
        }
    }

    /// Parses the document; a syntax error is returned as a diagnostic.
    pub fn parse(&self) -> Result<Spanned<DeTable<'s>>, Diagnostics> {
        DeTable::parse(self.text).map_err(|err| {
            let offset = err.span().map(|s| s.start).unwrap_or(0);
            let mut d = Diagnostics::default();
            d.push(self.diagnostic(offset, format!("invalid TOML: {}", err.message().trim())));
            d
        })
    }

    pub fn diagnostic(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        self.index
            .diagnostic(&self.path, self.text, offset, message)
    }

    pub fn error(&self, span: &Range<usize>, message: impl Into<String>) {
        let d = self.diagnostic(span.start, message);
        self.diagnostics.borrow_mut().push(d);
    }

    pub fn into_diagnostics(self) -> Diagnostics {
        self.diagnostics.into_inner()
    }

    /// A reader over the top-level table.
    pub fn root<'t>(&'t self, table: &'t Spanned<DeTable<'s>>) -> TableReader<'t, 's> {
        TableReader::new(self, table.get_ref(), table.span(), "")
    }
}

/// Reads the keys of one table; `finish` reports the keys nobody asked for.
pub struct TableReader<'t, 's> {
    source: &'t TomlSource<'s>,
    table: &'t DeTable<'s>,
    span: Range<usize>,
    /// Dotted path of this table, for messages (`registers.harmonia`).
    pub path: String,
    used: RefCell<BTreeSet<String>>,
}

/// A value together with where it stands in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<'t, 's> TableReader<'t, 's> {
    fn new(
        source: &'t TomlSource<'s>,
        table: &'t DeTable<'s>,
        span: Range<usize>,
        path: &str,
    ) -> Self {
        TableReader {
            source,
            table,
            span,
            path: path.to_string(),
            used: RefCell::new(BTreeSet::new()),
        }
    }

    pub fn source(&self) -> &'t TomlSource<'s> {
        self.source
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'s>>> {
        self.used.borrow_mut().insert(key.to_string());
        self.table.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// Every key of this table, in file order (for tables keyed by name).
    pub fn keys(&self) -> Vec<Located<String>> {
        self.table
            .keys()
            .map(|k| Located {
                value: k.get_ref().to_string(),
                span: k.span(),
            })
            .collect()
    }

    fn type_error(&self, key: &str, value: &Spanned<DeValue<'s>>, expected: &str) {
        self.source.error(
            &value.span(),
            format!(
                "`{}` must be {expected}, found {}",
                self.key_path(key),
                value.get_ref().type_str()
            ),
        );
    }

    /// Reports a missing required key at the table's position.
    pub fn missing(&self, key: &str) {
        self.source.error(
            &self.span,
            format!("missing required key `{}`", self.key_path(key)),
        );
    }

    pub fn string(&self, key: &str) -> Option<Located<String>> {
        let value = self.get(key)?;
        match value.get_ref().as_str() {
            Some(s) => Some(Located {
                value: s.to_string(),
                span: value.span(),
            }),
            None => {
                self.type_error(key, value, "a string");
                None
            }
        }
    }

    /// A date written as a TOML date (`2026-12-31`) or as a string; the text
    /// is returned for the caller to parse.
    pub fn date_text(&self, key: &str) -> Option<Located<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Datetime(d) => Some(Located {
                value: d.to_string(),
                span: value.span(),
            }),
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.type_error(key, value, "a date (YYYY-MM-DD)");
                None
            }
        }
    }

    pub fn required_string(&self, key: &str) -> Option<Located<String>> {
        if !self.has(key) {
            self.missing(key);
            self.used.borrow_mut().insert(key.to_string());
            return None;
        }
        self.string(key)
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        let value = self.get(key)?;
        match value.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.type_error(key, value, "true or false");
                None
            }
        }
    }

    pub fn integer(&self, key: &str) -> Option<Located<i64>> {
        let value = self.get(key)?;
        match value.get_ref().as_integer() {
            Some(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                Ok(n) => Some(Located {
                    value: n,
                    span: value.span(),
                }),
                Err(_) => {
                    self.type_error(key, value, "an integer that fits 64 bits");
                    None
                }
            },
            None => {
                self.type_error(key, value, "an integer");
                None
            }
        }
    }

    /// A string or an array of strings (a single string is a list of one).
    pub fn string_list(&self, key: &str) -> Option<Vec<Located<String>>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(vec![Located {
                value: s.to_string(),
                span: value.span(),
            }]),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref().as_str() {
                        Some(s) => out.push(Located {
                            value: s.to_string(),
                            span: item.span(),
                        }),
                        None => self.source.error(
                            &item.span(),
                            format!(
                                "`{}` must hold strings, found {}",
                                self.key_path(key),
                                item.get_ref().type_str()
                            ),
                        ),
                    }
                }
                Some(out)
            }
            _ => {
                self.type_error(key, value, "a string or an array of strings");
                None
            }
        }
    }

    pub fn table(&self, key: &str) -> Option<TableReader<'t, 's>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(TableReader::new(
                self.source,
                t,
                value.span(),
                &self.key_path(key),
            )),
            _ => {
                self.type_error(key, value, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[key]]`); a single table is accepted as a list of one.
    pub fn tables(&self, key: &str) -> Vec<TableReader<'t, 's>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let path = self.key_path(key);
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.get_ref() {
                        DeValue::Table(t) => out.push(TableReader::new(
                            self.source,
                            t,
                            item.span(),
                            &format!("{path}[{i}]"),
                        )),
                        other => self.source.error(
                            &item.span(),
                            format!("`{path}` must hold tables, found {}", other.type_str()),
                        ),
                    }
                }
                out
            }
            DeValue::Table(t) => vec![TableReader::new(self.source, t, value.span(), &path)],
            _ => {
                self.type_error(key, value, "an array of tables");
                Vec::new()
            }
        }
    }

    /// A table whose keys are names (e.g. `[columns]` mapping headers to roles):
    /// returns each key with its string value.
    pub fn string_map(&self, key: &str) -> Vec<(Located<String>, Located<String>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(t) = value.get_ref() else {
            self.type_error(key, value, "a table of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in t.iter() {
            match v.get_ref().as_str() {
                Some(s) => out.push((
                    Located {
                        value: k.get_ref().to_string(),
                        span: k.span(),
                    },
                    Located {
                        value: s.to_string(),
                        span: v.span(),
                    },
                )),
                None => self.source.error(
                    &v.span(),
                    format!(
                        "`{}.{}` must be a string, found {}",
                        self.key_path(key),
                        k.get_ref(),
                        v.get_ref().type_str()
                    ),
                ),
            }
        }
        out
    }

    /// A sub-table reader for each key of a table of tables (`[registers.NAME]`).
    pub fn named_tables(&self, key: &str) -> Vec<(Located<String>, TableReader<'t, 's>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Table(t) = value.get_ref() else {
            self.type_error(key, value, "a table of tables");
            return Vec::new();
        };
        let path = self.key_path(key);
        let mut out = Vec::new();
        for (k, v) in t.iter() {
            let name = Located {
                value: k.get_ref().to_string(),
                span: k.span(),
            };
            match v.get_ref() {
                DeValue::Table(inner) => {
                    let sub_path = format!("{path}.{}", k.get_ref());
                    out.push((
                        name,
                        TableReader::new(self.source, inner, v.span(), &sub_path),
                    ))
                }
                other => self.source.error(
                    &v.span(),
                    format!(
                        "`{path}.{}` must be a table, found {}",
                        k.get_ref(),
                        other.type_str()
                    ),
                ),
            }
        }
        out
    }

    /// Reports every key that was never read, with the closest known key as a hint.
    pub fn finish(&self, known: &[&str]) {
        let used = self.used.borrow();
        for key in self.table.keys() {
            let name = key.get_ref().as_ref();
            if used.contains(name) {
                continue;
            }
            let hint = closest(name, known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            self.source.error(
                &key.span(),
                format!("unknown key `{}`{hint}", self.key_path(name)),
            );
        }
    }
}

/// The known word nearest to `word`, when it is near enough to be a typo.
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}
