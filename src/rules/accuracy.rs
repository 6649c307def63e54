//! ACC001: values that fail their format or check (GDPR 5(1)(d) accuracy).

use super::context::{FileContext, Hit, Row};
use super::{Coverage, RowCheck};
use crate::columns::Role;
use crate::detect::{business_id, email, iban, postcode};
use crate::mask::ValueKind;
use crate::values::parse_date;

/// The roles whose values have a format to check, besides dates.
const CHECKED: [Role; 4] = [Role::Email, Role::Postcode, Role::BusinessId, Role::Iban];

pub struct InaccurateValue;

impl RowCheck for InaccurateValue {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        let columns: Vec<usize> = (0..file.columns.len())
            .filter(|&i| {
                let role = file.columns[i].role;
                CHECKED.contains(&role) || role.is_date()
            })
            .collect();
        if columns.is_empty() {
            Coverage::Skipped("no column with a checkable format".into())
        } else {
            Coverage::Evaluated(columns)
        }
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        for (i, column, raw) in row.cells() {
            // Cells arrive trimmed and non-empty (see `ingest`).
            let value = raw;
            let problem = match column.role {
                Role::Email if !email::is_valid(value) => {
                    Some(("e-mail address is malformed", ValueKind::Email))
                }
                Role::Postcode if !postcode::is_valid_fi(value) => Some((
                    "postal code is not five digits (Finnish format)",
                    ValueKind::Auto,
                )),
                Role::BusinessId
                    if business_id::validate(value) != business_id::BusinessIdStatus::Valid =>
                {
                    Some((
                        "business id (Y-tunnus) fails its format or check digit",
                        ValueKind::Auto,
                    ))
                }
                Role::Iban if !iban::is_valid(value) => {
                    Some(("IBAN fails its format or check digits", ValueKind::Other))
                }
                role if role.is_date() && parse_date(value).is_none() => Some((
                    "not a valid date (expected YYYY-MM-DD or d.m.yyyy)",
                    ValueKind::Auto,
                )),
                _ => None,
            };
            if let Some((message, kind)) = problem {
                hits.push(Hit::new(Some(i), message).evidence(kind, value));
            }
        }
    }
}
