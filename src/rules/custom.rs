//! Custom rules without recompiling: one TOML file per rule in a `--rules DIR`,
//! with the same metadata as built-in rules and a `[check]` of a generic kind:
//! `pattern` (a regex, optionally confirmed by a validator), `forbidden_column`,
//! `required` (a non-empty column) or `date_older_than`.

use super::context::{FileContext, FileStats, Hit, Row};
use super::meta::{incomplete, RuleMeta, META_KEYS};
use super::{CheckKind, Coverage, RowCheck, Rule};
use crate::columns::ColumnInfo;
use crate::columns::{covers, vocabulary, Role};
use crate::detect::{business_id, email, hetu, iban};
use crate::diagnostic::Diagnostics;
use crate::mask::ValueKind;
use crate::notice::Period;
use crate::toml_reader::{Located, TableReader, TomlSource};
use crate::values::parse_date;
use regex::Regex;
use std::path::Path;

/// Which columns a custom check looks at: named headers, roles, categories, or
/// (when all are empty) every column.
#[derive(Debug, Clone, Default)]
struct ColumnFilter {
    headers: Vec<String>,
    roles: Vec<Role>,
    categories: Vec<String>,
}

impl ColumnFilter {
    fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.roles.is_empty() && self.categories.is_empty()
    }

    fn matches(&self, column: &ColumnInfo) -> bool {
        self.is_empty()
            || self.headers.iter().any(|h| h == &column.name)
            || self.roles.contains(&column.role)
            || column
                .category
                .as_deref()
                .is_some_and(|c| self.categories.iter().any(|d| covers(d, c)))
    }
}

#[derive(Debug, Clone, Copy)]
enum Validator {
    IdentityCode,
    BusinessId,
    Iban,
    Email,
}

impl Validator {
    const NAMES: [&'static str; 4] = ["identity_code", "business_id", "iban", "email"];

    fn parse(name: &str) -> Option<Validator> {
        match name {
            "identity_code" => Some(Validator::IdentityCode),
            "business_id" => Some(Validator::BusinessId),
            "iban" => Some(Validator::Iban),
            "email" => Some(Validator::Email),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    fn accepts(self, s: &str) -> bool {
        match self {
            Validator::IdentityCode => hetu::validate(s).is_valid(),
            Validator::BusinessId => {
                business_id::validate(s) == business_id::BusinessIdStatus::Valid
            }
            Validator::Iban => iban::is_valid(s),
            Validator::Email => email::is_valid(s),
        }
    }
}

/// A custom rule's check as data, for compilers (`compile::custom`): its
/// kind and message; the columns it reads are those its coverage names.
pub struct CustomSql<'a> {
    pub form: CustomForm<'a>,
    pub message: &'a str,
}

pub enum CustomForm<'a> {
    /// Every match of `pattern` in a cell (that `validator` accepts, when given).
    Pattern {
        pattern: &'a str,
        validator: Option<&'static str>,
    },
    ForbiddenColumn,
    Required,
    DateOlderThan(Period),
}

enum Kind {
    Pattern {
        regex: Regex,
        validator: Option<Validator>,
    },
    ForbiddenColumn,
    Required,
    DateOlderThan {
        period: Period,
    },
}

struct CustomCheck {
    kind: Kind,
    columns: ColumnFilter,
    message: String,
}

impl RowCheck for CustomCheck {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        let columns: Vec<usize> = (0..file.columns.len())
            .filter(|&i| self.columns.matches(&file.columns[i]))
            .collect();
        if columns.is_empty() {
            Coverage::Skipped("no column matches its roles, columns or categories".into())
        } else {
            Coverage::Evaluated(columns)
        }
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        match &self.kind {
            Kind::Pattern { regex, validator } => {
                for (i, column, value) in row.cells() {
                    if !self.columns.matches(column) {
                        continue;
                    }
                    let found = regex
                        .find_iter(value)
                        .filter(|m| validator.is_none_or(|v| v.accepts(m.as_str())));
                    for (n, m) in found.enumerate() {
                        hits.push(
                            Hit::new(Some(i), self.message.clone())
                                .evidence(ValueKind::Auto, m.as_str())
                                .detail(n.to_string()),
                        );
                    }
                }
            }
            Kind::Required => {
                for (i, column) in row.file.columns.iter().enumerate() {
                    if self.columns.matches(column) && row.cells[i].is_none() {
                        hits.push(Hit::new(Some(i), self.message.clone()));
                    }
                }
            }
            Kind::DateOlderThan { period } => {
                for (i, column, value) in row.cells() {
                    if !self.columns.matches(column) {
                        continue;
                    }
                    let Some(date) = parse_date(value) else {
                        continue;
                    };
                    if period
                        .after(date)
                        .is_some_and(|limit| limit < row.file.as_of)
                    {
                        hits.push(
                            Hit::new(Some(i), self.message.clone())
                                .evidence(ValueKind::Plain, &date.to_string()),
                        );
                    }
                }
            }
            Kind::ForbiddenColumn => {}
        }
    }

    fn custom(&self) -> Option<CustomSql<'_>> {
        let form = match &self.kind {
            Kind::Pattern { regex, validator } => CustomForm::Pattern {
                pattern: regex.as_str(),
                validator: validator.map(|v| v.name()),
            },
            Kind::ForbiddenColumn => CustomForm::ForbiddenColumn,
            Kind::Required => CustomForm::Required,
            Kind::DateOlderThan { period } => CustomForm::DateOlderThan(*period),
        };
        Some(CustomSql {
            form,
            message: &self.message,
        })
    }

    fn check_file(&self, file: &FileContext<'_>, stats: &FileStats, hits: &mut Vec<Hit>) {
        if !matches!(self.kind, Kind::ForbiddenColumn) {
            return;
        }
        for (i, column) in file.columns.iter().enumerate() {
            if self.columns.matches(column) && stats.non_empty[i] > 0 {
                hits.push(Hit::new(Some(i), self.message.clone()).evidence(
                    ValueKind::Plain,
                    &format!("{} non-empty cells", stats.non_empty[i]),
                ));
            }
        }
    }
}

/// Loads every `*.toml` in `dir` as a custom rule; all problems are reported at once.
pub fn load_dir(dir: &Path, builtin_ids: &[&str]) -> Result<Vec<Rule>, crate::error::Error> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| crate::error::InputError::io(dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut rules = Vec::new();
    let mut problems = Diagnostics::default();
    let mut seen: Vec<String> = builtin_ids.iter().map(|s| s.to_string()).collect();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| crate::error::InputError::io(&path, &e))?;
        match parse_rule(&path, &text, &seen) {
            Ok(rule) => {
                seen.push(rule.meta.id.clone());
                rules.push(rule);
            }
            Err(d) => problems.extend(d),
        }
    }
    Ok(problems.into_result(rules)?)
}

fn strings(t: &TableReader, key: &str) -> Vec<Located<String>> {
    t.string_list(key).unwrap_or_default()
}

pub fn parse_rule(path: &Path, text: &str, taken_ids: &[String]) -> Result<Rule, Diagnostics> {
    let source = TomlSource::new(path, text);
    let doc = source.parse()?;
    let root = source.root(&doc);
    let meta = RuleMeta::read(&root, taken_ids);
    let check = root.table("check").and_then(|c| read_check(&c));
    if !root.has("check") {
        root.missing("check");
    }
    root.finish(&[META_KEYS.as_slice(), &["check"]].concat());
    let diagnostics = source.into_diagnostics();
    let (Some(meta), Some((kind, columns, message))) = (meta, check) else {
        return Err(incomplete(path, text, diagnostics));
    };
    diagnostics.into_result(())?;
    let message = message.unwrap_or_else(|| format!("{}: {}", meta.name, meta.summary));
    Ok(Rule {
        meta,
        check: CheckKind::Rows(Box::new(CustomCheck {
            kind,
            columns,
            message,
        })),
    })
}

const KINDS: [&str; 4] = ["pattern", "forbidden_column", "required", "date_older_than"];

fn read_check(t: &TableReader) -> Option<(Kind, ColumnFilter, Option<String>)> {
    let source = t.source();
    let mut columns = ColumnFilter {
        headers: strings(t, "columns").into_iter().map(|c| c.value).collect(),
        ..ColumnFilter::default()
    };
    for r in strings(t, "roles") {
        match Role::from_name(&r.value) {
            Some(role) => columns.roles.push(role),
            None => source.error(&r.span, format!("unknown column role `{}`", r.value)),
        }
    }
    for c in strings(t, "categories") {
        if vocabulary().is_category(&c.value) {
            columns.categories.push(c.value);
        } else {
            source.error(&c.span, format!("unknown data category `{}`", c.value));
        }
    }
    let message = t.string("message").map(|m| m.value);
    let kind_name = t.required_string("kind");
    let pattern = t.string("pattern");
    let validator = t.string("validator");
    let period = t.string("period");
    t.finish(&[
        "kind",
        "columns",
        "roles",
        "categories",
        "message",
        "pattern",
        "validator",
        "period",
    ]);
    let kind_name = kind_name?;
    let kind = match kind_name.value.as_str() {
        "pattern" => {
            let Some(pattern) = pattern else {
                t.missing("pattern");
                return None;
            };
            let regex = Regex::new(&pattern.value)
                .map_err(|e| source.error(&pattern.span, format!("invalid regex: {e}")))
                .ok()?;
            let validator = match validator {
                None => None,
                Some(v) => match Validator::parse(&v.value) {
                    Some(v) => Some(v),
                    None => {
                        source.error(
                            &v.span,
                            format!(
                                "unknown validator `{}`: expected one of {}",
                                v.value,
                                Validator::NAMES.join(", ")
                            ),
                        );
                        return None;
                    }
                },
            };
            Kind::Pattern { regex, validator }
        }
        "forbidden_column" | "required" if columns.is_empty() => {
            source.error(
                &kind_name.span,
                format!(
                    "`{}` needs `columns`, `roles` or `categories`",
                    kind_name.value
                ),
            );
            return None;
        }
        "forbidden_column" => Kind::ForbiddenColumn,
        "required" => Kind::Required,
        "date_older_than" => {
            let Some(raw) = period else {
                t.missing("period");
                return None;
            };
            match Period::parse(&raw.value) {
                Some(period) => Kind::DateOlderThan { period },
                None => {
                    source.error(
                        &raw.span,
                        format!("`{}` is not a period like \"5 years\"", raw.value),
                    );
                    return None;
                }
            }
        }
        other => {
            source.error(
                &kind_name.span,
                format!(
                    "unknown check kind `{other}`: expected one of {}",
                    KINDS.join(", ")
                ),
            );
            return None;
        }
    };
    Some((kind, columns, message))
}
