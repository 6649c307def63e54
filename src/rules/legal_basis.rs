//! Legal-basis rules: LB001 missing, LB002 undeclared, LB003 consent without
//! evidence, LB004 consent given by a child under 13.

use super::context::{DateCell, FileContext, Hit, Row};
use super::data::legal_bases;
use super::{Coverage, Gap, RowCheck};
use crate::columns::Role;
use crate::detect::hetu::{self, IdentityCode};
use crate::mask::ValueKind;
use crate::notice::LegalBasis;
use crate::values::{parse_bool, parse_date};

/// Tietosuojalaki 5 §: the age from which a child's own consent counts.
const CONSENT_AGE: i32 = 13;

fn flag(row: &Row<'_>, role: Role) -> bool {
    row.value(role)
        .and_then(|(_, v)| parse_bool(v))
        .unwrap_or(false)
}

/// Consent is the record's basis, or one of its consent flags is set.
fn consent_given(row: &Row<'_>) -> bool {
    row.value(Role::LegalBasis)
        .is_some_and(|(_, v)| legal_bases(v).any(|b| b == Ok(LegalBasis::Consent)))
        || flag(row, Role::Consent)
        || flag(row, Role::SmsConsent)
}

/// LB001: the record's legal basis is empty.
pub struct MissingLegalBasis;

impl RowCheck for MissingLegalBasis {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        Coverage::of_roles(file, &[Role::LegalBasis], "no legal-basis column")
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        if row.value(Role::LegalBasis).is_none() {
            hits.push(Hit::new(
                row.file.column_of(Role::LegalBasis),
                "no legal basis recorded for this record",
            ));
        }
    }
}

/// LB002: the record's legal basis is not one the notice declares.
pub struct UndeclaredLegalBasis;

impl RowCheck for UndeclaredLegalBasis {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        Coverage::of_roles(file, &[Role::LegalBasis], "no legal-basis column")
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let Some((column, raw)) = row.value(Role::LegalBasis) else {
            return;
        };
        for (n, basis) in legal_bases(raw).enumerate() {
            let hit = match basis {
                Ok(b) if row.file.notice.declares_basis(b) => continue,
                Ok(b) => Hit::new(
                    Some(column),
                    format!(
                        "legal basis {b} (Art. {}) is not one the notice declares",
                        b.article()
                    ),
                ),
                Err(_) => Hit::new(
                    Some(column),
                    "legal basis not recognised as any GDPR Art. 6(1) basis",
                ),
            };
            hits.push(hit.evidence(ValueKind::Plain, raw).detail(n.to_string()));
        }
    }
}

/// LB003: consent is the basis (or a consent flag is set) but nothing shows when or how.
pub struct ConsentNotEvidenced;

impl RowCheck for ConsentNotEvidenced {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        const RECORDS_CONSENT: [Role; 3] = [Role::LegalBasis, Role::Consent, Role::SmsConsent];
        if file.has_any(&RECORDS_CONSENT) {
            return Coverage::of_roles(
                file,
                &[
                    Role::LegalBasis,
                    Role::Consent,
                    Role::SmsConsent,
                    Role::ConsentDate,
                    Role::ConsentSource,
                ],
                "",
            );
        }
        if file.has_any(&[Role::ConsentDate, Role::ConsentSource]) {
            return Coverage::Skipped(
                "consent is evidenced by dates or sources, but no column says whether each person consented".into(),
            );
        }
        if file.notice.declares_basis(LegalBasis::Consent) {
            return Coverage::Blocked(Gap {
                reason: "the notice relies on consent, but no column records consent or a legal basis per record".into(),
                needs: vec![Role::Consent, Role::LegalBasis],
            });
        }
        Coverage::Skipped("no legal-basis or consent column".into())
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        if !consent_given(row) {
            return;
        }
        if row.value(Role::ConsentDate).is_some() || row.value(Role::ConsentSource).is_some() {
            return;
        }
        let column = row
            .file
            .column_of(Role::Consent)
            .or_else(|| row.file.column_of(Role::LegalBasis));
        hits.push(Hit::new(
            column,
            "consent recorded without a consent date or source, so it cannot be demonstrated",
        ));
    }
}

/// LB004: consent given before the person turned 13, with no guardian consent recorded.
pub struct ChildConsent;

impl RowCheck for ChildConsent {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        if !file.has_any(&[Role::IdentityCode, Role::BirthDate]) {
            return Coverage::Skipped("no identity-code or birth-date column to tell age".into());
        }
        Coverage::of_roles(
            file,
            &[Role::ConsentDate, Role::IdentityCode, Role::BirthDate],
            "",
        )
        .require(file.has_role(Role::ConsentDate), "no consent-date column")
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let DateCell::Date(consent_date) = row.date(Role::ConsentDate) else {
            return;
        };
        if !consent_given(row) || flag(row, Role::GuardianConsent) {
            return;
        }
        let birth = row
            .value(Role::IdentityCode)
            .and_then(|(_, v)| IdentityCode::parse(v).ok())
            .map(|c| c.birth_date)
            .or_else(|| row.value(Role::BirthDate).and_then(|(_, v)| parse_date(v)));
        let Some(birth) = birth else {
            return;
        };
        let age = hetu::age_on(birth, consent_date);
        if (0..CONSENT_AGE).contains(&age) {
            hits.push(
                Hit::new(row.file.column_of(Role::ConsentDate),
                    format!(
                        "consent given at age {age}, under {CONSENT_AGE}, without a guardian's consent"
                    ),
                )
                .evidence(ValueKind::Plain, &consent_date.to_string()),
            );
        }
    }
}
