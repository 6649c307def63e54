//! The rules that compile to SQL, one query per rule and column, each
//! selecting rows of the findings table. A rule not listed here is refused
//! (`refusal`), never silently dropped.

use super::dialect::Engine;
use super::exprs::{keyed_hash, mask_identity_code, mask_key, valid_codes_in_text};
use crate::columns::{ColumnInfo, Role};
use crate::finding::Severity;
use crate::notice::Notice;
use crate::rules::Rule;

const HETU_CATEGORY: &str = "user.government_id.national_identification_number";

/// One data file as the SQL sees it: the rows view holds `__row`, `__key` and
/// the trimmed cells `c0`, `c1`, … in file order.
pub struct FileSql<'a> {
    pub engine: Engine,
    pub register: &'a str,
    pub file: &'a str,
    pub rows_view: &'a str,
    pub columns: &'a [ColumnInfo],
    pub notice: &'a Notice,
    /// The audit date, a literal of the plan.
    pub as_of: chrono::NaiveDate,
}

impl FileSql<'_> {
    /// Column `i`'s name as a SQL literal.
    pub fn name_of(&self, i: usize) -> String {
        self.engine.lit(&self.columns[i].name)
    }

    /// The columns in `role`, in file order (`FileContext::columns_of`).
    pub fn columns_of(&self, role: Role) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| self.columns[i].role == role)
            .collect()
    }

    /// `Row::value(role)`: the first non-empty cell of a column in `role`,
    /// and that column's name; both NULL when there is none.
    pub fn first_value(&self, role: Role) -> (String, String) {
        let null = format!("CAST(NULL AS {})", self.engine.text_type());
        let cols = self.columns_of(role);
        if cols.is_empty() {
            return (null.clone(), null);
        }
        let cells: Vec<String> = cols.iter().map(|i| format!("c{i}")).collect();
        let names: Vec<String> = cols
            .iter()
            .map(|&i| format!("WHEN c{i} IS NOT NULL THEN {}", self.name_of(i)))
            .collect();
        (
            format!("coalesce({}, {null})", cells.join(", ")),
            format!("CASE {} END", names.join(" ")),
        )
    }

    /// `FileContext::column_of(role)`: the first column in `role`, by name, or NULL.
    pub fn column_of(&self, role: Role) -> String {
        match self.columns_of(role).first() {
            Some(&i) => self.name_of(i),
            None => format!("CAST(NULL AS {})", self.engine.text_type()),
        }
    }
}

/// Columns a rule reads besides those its coverage names (LB004 asks
/// whether consent was given at all, which its coverage does not list).
pub fn also_reads(id: &str) -> &'static [Role] {
    match id {
        "LB004" => &[
            Role::LegalBasis,
            Role::Consent,
            Role::SmsConsent,
            Role::GuardianConsent,
        ],
        _ => &[],
    }
}

/// A rule as it runs: its id, its severity after overrides, and whether an
/// override replaces the severity a hit sets itself.
pub struct RuleRun<'a> {
    pub id: &'a str,
    pub severity: Severity,
    pub overridden: bool,
}

/// Why a rule does not compile, or `None` when it does.
pub fn refusal(rule: &Rule) -> Option<String> {
    if let Some(custom) = rule.rows().and_then(|check| check.custom()) {
        return super::custom::refusal(&rule.meta.id, &custom);
    }
    match rule.meta.id.as_str() {
        "ID001" | "ID002" | "ID003" | "CAT001" | "TRF001" | "LB001" | "LB002" | "LB003"
        | "LB004" | "RET001" | "RET002" | "COV001" | "MKT001" | "MKT002" | "ACC001" => None,
        "CAT002" => super::health::refusal(),
        _ => Some("this rule is not compiled to SQL yet; run `regaudit scan` for it".into()),
    }
}

/// The queries of rule `rule` over one file (none when it does not run there).
pub fn queries(rule: &RuleRun<'_>, file: &FileSql<'_>, evaluated: &[usize]) -> Vec<String> {
    match rule.id {
        "ID001" => excluded_identity_code(rule, file, evaluated),
        "ID002" => evaluated
            .iter()
            .map(|&i| invalid_identity_code(rule, file, i))
            .collect(),
        "ID003" => {
            let message = "identity code copied into free text; keep it only in its own column";
            evaluated
                .iter()
                .map(|&i| codes_in_text(rule, file, i, message))
                .collect()
        }
        "CAT001" => super::categories::undeclared(rule, file, evaluated),
        "CAT002" => super::health::queries(rule, file, evaluated),
        "TRF001" => super::transfers::queries(rule, file, evaluated),
        "LB001" => vec![super::legal_basis::missing(rule, file, evaluated)],
        "LB002" => vec![super::legal_basis::undeclared(rule, file, evaluated)],
        "LB003" => super::consent::not_evidenced(rule, file),
        "LB004" => super::consent::child_consent(rule, file),
        "RET001" => super::retention::retention_overdue(rule, file),
        "RET002" => super::retention::erasure_overdue(rule, file),
        "ACC001" => super::accuracy::queries(rule, file, evaluated),
        _ => Vec::new(),
    }
}

fn excluded_identity_code(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    evaluated: &[usize],
) -> Vec<String> {
    let (stored, in_text) = if file.notice.excludes(HETU_CATEGORY) {
        (
            "identity code stored, but the notice says identity codes are not collected",
            "identity code inside column text, but the notice says identity codes are not collected",
        )
    } else {
        (
            "identity code stored, but the notice does not declare identity codes",
            "identity code inside column text, but the notice does not declare identity codes",
        )
    };
    let e = file.engine;
    evaluated
        .iter()
        .map(|&i| {
            if file.columns[i].role == Role::IdentityCode {
                let valid = format!(
                    "({}) IN ('valid', 'valid_temporary')",
                    super::exprs::hetu_status(e, "v")
                );
                cell_findings(
                    rule,
                    file,
                    i,
                    stored,
                    &mask_identity_code(e, "v"),
                    Some(&valid),
                )
            } else {
                codes_in_text(rule, file, i, in_text)
            }
        })
        .collect()
}

fn invalid_identity_code(rule: &RuleRun<'_>, file: &FileSql<'_>, i: usize) -> String {
    let e = file.engine;
    let severity = if rule.overridden {
        e.lit(rule.severity.as_str())
    } else {
        format!(
            "CASE WHEN st = 'valid_temporary' THEN 'info' ELSE {} END",
            e.lit(rule.severity.as_str())
        )
    };
    let message = format!(
        "CASE st WHEN 'valid_temporary' THEN {temporary} \
         WHEN 'bad_checksum' THEN {checksum} WHEN 'bad_date' THEN {date} \
         WHEN 'bad_individual' THEN {individual} ELSE {format} END",
        temporary = e.lit(
            "temporary identity code (individual number 900–999), not in the population register"
        ),
        checksum = e.lit("invalid identity code: wrong control character"),
        date = e.lit("invalid identity code: no such date in the century its sign gives"),
        individual = e.lit("invalid identity code: individual number 000 or 001 is never issued"),
        format = e.lit("invalid identity code: not in the form DDMMYYCZZZQ"),
    );
    let select = project(
        rule,
        file,
        &file.name_of(i),
        &severity,
        &message,
        &mask_identity_code(e, "v"),
        "''",
        "v",
    );
    format!(
        "{select}\nFROM (SELECT __row, __key, v, {status} AS st FROM {cells}) t2\nWHERE st <> 'valid'",
        cells = cells(file, i),
        status = super::exprs::hetu_status(e, "v"),
    )
}

/// One finding per valid identity code inside the text of column `i`; the
/// detail is the code's place among the cell's valid codes, as locally.
fn codes_in_text(rule: &RuleRun<'_>, file: &FileSql<'_>, i: usize, message: &str) -> String {
    let e = file.engine;
    let select = project_column(
        rule,
        file,
        i,
        message,
        &mask_identity_code(e, "item"),
        &format!("CAST(pos AS {})", e.text_type()),
        "item",
    );
    format!(
        "{select}\nFROM (SELECT __row, __key, {explode} FROM (\
         SELECT __row, __key, {codes} AS codes FROM {cells} WHERE {digits}) t2) t3",
        explode = e.explode("codes"),
        codes = valid_codes_in_text(e, "v"),
        digits = e.matches("v", "[0-9]{6}"),
        cells = cells(file, i),
    )
}

/// Column `i`'s non-empty cells as `v`, beside `__row` and `__key`: the
/// source of every query over one column's values.
pub(super) fn cells(file: &FileSql<'_>, i: usize) -> String {
    format!(
        "(SELECT __row, __key, c{i} AS v FROM {rows} WHERE c{i} IS NOT NULL) t",
        rows = file.rows_view
    )
}

/// One finding per non-empty cell of column `i` (where `condition`, SQL
/// over `v`, holds): the cell is the violating value, `evidence` shows it.
pub(super) fn cell_findings(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    i: usize,
    message: &str,
    evidence: &str,
    condition: Option<&str>,
) -> String {
    let select = project_column(rule, file, i, message, evidence, "''", "v");
    let cells = cells(file, i);
    match condition {
        Some(condition) => format!("{select}\nFROM {cells}\nWHERE {condition}"),
        None => format!("{select}\nFROM {cells}"),
    }
}

/// `project` for a finding on column `i` with the rule's severity and a
/// fixed message.
pub(super) fn project_column(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    i: usize,
    message: &str,
    evidence: &str,
    detail: &str,
    value: &str,
) -> String {
    let e = file.engine;
    project(
        rule,
        file,
        &file.name_of(i),
        &e.lit(rule.severity.as_str()),
        &e.lit(message),
        evidence,
        detail,
        value,
    )
}

/// The findings-table columns of one query, in the schema's order.
#[allow(clippy::too_many_arguments)]
pub(super) fn project(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    column_name: &str,
    severity: &str,
    message: &str,
    evidence: &str,
    detail: &str,
    value: &str,
) -> String {
    let found = Projection {
        column_name,
        severity,
        message,
        evidence,
        detail,
        value,
        identity: "'key:' || __key",
    };
    project_with(rule, file, &found)
}

/// What one query's findings hold, as SQL over its columns (`__row` and
/// `__key` among them).
pub(super) struct Projection<'a> {
    pub column_name: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    pub evidence: &'a str,
    pub detail: &'a str,
    /// The violating value, hashed into the fingerprint ("" for none).
    pub value: &'a str,
    /// What identifies the record (`Place::identity`), hashed when `__key` is not NULL.
    pub identity: &'a str,
}

/// The findings-table columns of one query, in the schema's order.
pub(super) fn project_with(rule: &RuleRun<'_>, file: &FileSql<'_>, p: &Projection<'_>) -> String {
    let Projection {
        column_name,
        severity,
        message,
        evidence,
        detail,
        value,
        identity,
    } = *p;
    let e = file.engine;
    format!(
        "SELECT {rule} AS rule, {severity} AS severity, {register} AS register, {file_name} AS file, \
         __row AS {row}, {record} AS record, {column_name} AS {column}, {message} AS message, \
         {evidence} AS evidence, {detail} AS detail, \
         CASE WHEN __key IS NULL THEN NULL ELSE {identity} END AS identity_hash, {value_hash} AS value_hash",
        rule = e.lit(rule.id),
        register = e.lit(file.register),
        file_name = e.lit(file.file),
        row = e.ident("row"),
        record = mask_key(e, "__key"),
        column = e.ident("column"),
        identity = keyed_hash(e, identity),
        // No violating value (a missing cell): the fingerprint hashes none, as locally.
        value_hash = if value.is_empty() {
            "''".to_string()
        } else {
            keyed_hash(e, value)
        },
    )
}
