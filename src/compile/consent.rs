//! LB003 and LB004 in SQL: consent recorded without evidence, and consent
//! given by a child under 13 without a guardian's. Consent is given when a
//! part of the legal basis is a consent synonym of `rules/legal_bases.toml`
//! or a consent flag says yes in any of the words `values::parse_bool` reads,
//! all compared by value key as locally.

use super::dates::{self, Layers};
use super::exprs::{hetu_status, trim, value_key};
use super::rules::{project, FileSql, RuleRun};
use crate::columns::Role;
use crate::notice::LegalBasis;
use crate::rules::data::legal_basis_keys;
use crate::values::TRUE_WORDS;

/// `parse_bool(value(role)) == Some(true)`.
fn flag(file: &FileSql<'_>, role: Role) -> String {
    let e = file.engine;
    let (value, _) = file.first_value(role);
    if file.columns_of(role).is_empty() {
        return "FALSE".into();
    }
    let words: Vec<String> = TRUE_WORDS.iter().map(|w| e.lit(w)).collect();
    format!(
        "coalesce({} IN ({}), FALSE)",
        value_key(e, &value),
        words.join(", ")
    )
}

/// `consent_given`: a part of the legal basis is consent, or a consent flag is set.
fn consent_given(file: &FileSql<'_>) -> String {
    let e = file.engine;
    let keys: Vec<String> = legal_basis_keys()
        .into_iter()
        .filter(|(_, basis)| *basis == LegalBasis::Consent)
        .map(|(key, _)| e.lit(key))
        .collect();
    let by_basis = if file.columns_of(Role::LegalBasis).is_empty() || keys.is_empty() {
        "FALSE".to_string()
    } else {
        let (basis, _) = file.first_value(Role::LegalBasis);
        let parts = e.split(&basis, "[,;/+]");
        let body = format!("{} IN ({})", value_key(e, &trim(e, "x")), keys.join(", "));
        format!("coalesce({}, FALSE)", e.any(&parts, &body))
    };
    format!(
        "({by_basis} OR {} OR {})",
        flag(file, Role::Consent),
        flag(file, Role::SmsConsent)
    )
}

/// LB003: consent given, but neither a consent date nor a source recorded.
pub fn not_evidenced(rule: &RuleRun<'_>, file: &FileSql<'_>) -> Vec<String> {
    let e = file.engine;
    let column = if file.columns_of(Role::Consent).is_empty() {
        file.column_of(Role::LegalBasis)
    } else {
        file.column_of(Role::Consent)
    };
    let select = project(
        rule,
        file,
        &column,
        &e.lit(rule.severity.as_str()),
        &e.lit("consent recorded without a consent date or source, so it cannot be demonstrated"),
        &format!("CAST(NULL AS {})", e.text_type()),
        "''",
        "",
    );
    let (date, _) = file.first_value(Role::ConsentDate);
    let (source, _) = file.first_value(Role::ConsentSource);
    vec![format!(
        "{select}\nFROM {rows}\nWHERE {given} AND {date} IS NULL AND {source} IS NULL",
        rows = file.rows_view,
        given = consent_given(file),
    )]
}

/// LB004: consent given before the age of 13 (birth from a valid identity
/// code, else from the birth-date column) and no guardian's consent recorded.
pub fn child_consent(rule: &RuleRun<'_>, file: &FileSql<'_>) -> Vec<String> {
    const CONSENT_AGE: u32 = 13;
    let e = file.engine;
    let (code, _) = file.first_value(Role::IdentityCode);
    let (birth, _) = file.first_value(Role::BirthDate);
    let (consented, _) = file.first_value(Role::ConsentDate);
    let mut layers = Layers::new(
        format!(
            "SELECT __row, __key, {code} AS code, {birth} AS birth, {consented} AS consented, \
             {given} AND NOT {guardian} AS counts FROM {rows}",
            given = consent_given(file),
            guardian = flag(file, Role::GuardianConsent),
            rows = file.rows_view,
        ),
        "k",
    );
    let (on, on_ok) = dates::parse(e, &mut layers, "consented");
    let (born, born_ok) = dates::parse(e, &mut layers, "birth");
    // `IdentityCode::parse(..).ok().map(birth_date)`, else the birth-date column.
    let sign = "upper(substr(code, 7, 1))";
    layers.add(&[(
        "code_ok".into(),
        format!(
            "coalesce(code IS NOT NULL AND ({}) IN ('valid', 'valid_temporary'), FALSE)",
            hetu_status(e, "code")
        ),
    )]);
    let int = |from: u32, len: u32| format!("TRY_CAST(substr(code, {from}, {len}) AS BIGINT)");
    layers.add(&[
        (
            "birth_y".into(),
            format!(
                "CASE WHEN code_ok THEN CASE WHEN {sign} = '+' THEN 1800 WHEN {sign} IN ('A', 'B', 'C', 'D', 'E', 'F') THEN 2000 ELSE 1900 END + {} \
                 WHEN {born_ok} THEN {} END",
                int(5, 2),
                born.y
            ),
        ),
        (
            "birth_m".into(),
            format!("CASE WHEN code_ok THEN {} WHEN {born_ok} THEN {} END", int(3, 2), born.m),
        ),
        (
            "birth_d".into(),
            format!("CASE WHEN code_ok THEN {} WHEN {born_ok} THEN {} END", int(1, 2), born.d),
        ),
    ]);
    // `hetu::age_on`: whole years, the birthday counted on the day.
    layers.add(&[(
        "age".into(),
        format!(
            "{y} - birth_y - CASE WHEN {m} < birth_m OR ({m} = birth_m AND {d} < birth_d) THEN 1 ELSE 0 END",
            y = on.y,
            m = on.m,
            d = on.d
        ),
    )]);
    let message = format!(
        "'consent given at age ' || CAST(age AS {}) || {}",
        e.text_type(),
        e.lit(&format!(
            ", under {CONSENT_AGE}, without a guardian's consent"
        ))
    );
    layers.barrier(e);
    let evidence = dates::display(e, &on);
    let select = project(
        rule,
        file,
        &file.column_of(Role::ConsentDate),
        &e.lit(rule.severity.as_str()),
        &message,
        &evidence,
        "''",
        &evidence,
    );
    vec![format!(
        "{select}\nFROM ({}) t\nWHERE {on_ok} AND counts AND birth_y IS NOT NULL AND age >= 0 AND age < {CONSENT_AGE}",
        layers.sql()
    )]
}
