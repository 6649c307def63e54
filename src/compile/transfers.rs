//! TRF001 in SQL: country columns against the EU/EEA and adequacy lists of
//! `rules/countries.toml` and the notice's transfer policy. The lists and the
//! name lookup are written into the SQL as literals: the plan is the rule
//! data it was compiled with (its semantics hash changes with them).

use super::dialect::Engine;
use super::exprs::{lookup_table, value_key};
use super::rules::{cells, project, FileSql, RuleRun};
use crate::columns::Role;
use crate::finding::Severity;
use crate::notice::TransferPolicy;
use crate::rules::data::countries;

/// `Countries::code`: two ASCII letters are a code; else the code of the
/// name whose value key is `k`, found by joining the names table `names`.
fn country_code(e: Engine, v: &str) -> String {
    format!(
        "CASE WHEN {} THEN upper({v}) ELSE names.lookup_value END",
        e.matches(v, r"\A[A-Za-z]{2}\z"),
    )
}

fn names_table(e: Engine) -> String {
    let pairs: Vec<(String, String)> = countries()
        .names()
        .into_iter()
        .map(|(name, code)| (name.to_string(), code.as_str().to_string()))
        .collect();
    lookup_table(e, "names", &pairs)
}

fn list(codes: impl IntoIterator<Item = String>) -> String {
    let quoted: Vec<String> = codes.into_iter().map(|c| format!("'{c}'")).collect();
    format!("({})", quoted.join(", "))
}

/// The codes of the two-letter alphabet that satisfy `keep`.
fn codes_where(keep: impl Fn(crate::rules::data::CountryCode) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let text = format!("{}{}", a as char, b as char);
            if let Some(code) = crate::rules::data::CountryCode::parse(&text) {
                if keep(code) {
                    out.push(text);
                }
            }
        }
    }
    out
}

pub fn queries(rule: &RuleRun<'_>, file: &FileSql<'_>, evaluated: &[usize]) -> Vec<String> {
    let e = file.engine;
    let c = countries();
    let eea = list(codes_where(|code| c.in_eea(code)));
    let transfers = &file.notice.transfers;
    let severity = e.lit(rule.severity.as_str());
    evaluated
        .iter()
        .map(|&i| {
            let role: Role = file.columns[i].role;
            let (keep, severity, message) = match transfers.policy {
                TransferPolicy::None => (
                    "TRUE".to_string(),
                    severity.clone(),
                    e.lit(&format!(
                        "{} outside the EU/EEA, but the notice allows no transfers",
                        role.name()
                    )),
                ),
                TransferPolicy::AdequacyOnly => {
                    let partial = list(codes_where(|code| c.is_partial(code)));
                    let adequate = list(codes_where(|code| c.has_adequacy(code)));
                    let partial_severity = if rule.overridden {
                        severity.clone()
                    } else {
                        e.lit(Severity::Medium.as_str())
                    };
                    (
                        format!("(code IN {partial} OR code NOT IN {adequate})"),
                        format!("CASE WHEN code IN {partial} THEN {partial_severity} ELSE {severity} END"),
                        format!(
                            "CASE WHEN code IN {partial} THEN {} ELSE {} END",
                            e.lit("adequacy covers only some recipients in this country (PIPEDA / Data Privacy Framework): verify scope"),
                            e.lit("country outside the EU/EEA without an adequacy decision; the notice allows adequacy only")
                        ),
                    )
                }
                TransferPolicy::Listed => (
                    if transfers.countries.is_empty() {
                        "TRUE".to_string()
                    } else {
                        format!("code NOT IN {}", list(transfers.countries.iter().map(|c| c.replace('\'', ""))))
                    },
                    severity.clone(),
                    e.lit("country outside the EU/EEA that the notice does not list"),
                ),
            };
            let select = project(rule, file, &file.name_of(i), &severity, &message, "code", "''", "code");
            format!(
                "{select}\nFROM (SELECT __row, __key, {code} AS code FROM (\
                 SELECT __row, __key, v, {key} AS k FROM {cells}) t1 \
                 LEFT JOIN {names} ON t1.k = names.lookup_key) t2\n\
                 WHERE code IS NOT NULL AND code NOT IN {eea} AND {keep}",
                code = country_code(e, "v"),
                names = names_table(e),
                key = value_key(e, "v"),
                cells = cells(file, i),
            )
        })
        .collect()
}
