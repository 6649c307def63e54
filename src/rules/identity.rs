//! Identity-code rules (ID001; ID002 and ID003 follow in the catalogue issue).

use super::context::{Hit, Row};
use super::Check;
use crate::detect::hetu;
use crate::mask::ValueKind;
use crate::vocab::Role;

const HETU_CATEGORY: &str = "user.government_id.national_identification_number";

/// ID001: a valid identity code stored where the notice excludes or does not declare them.
pub struct ExcludedIdentityCode;

impl Check for ExcludedIdentityCode {
    fn applies(&self, file: &super::context::FileContext<'_>) -> bool {
        !file.notice.declares(HETU_CATEGORY)
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let excluded = row.file.notice.excludes(HETU_CATEGORY);
        let why = if excluded {
            "the notice says identity codes are not collected"
        } else {
            "the notice does not declare identity codes"
        };
        for (i, column, value) in row.cells() {
            if column.role == Role::IdentityCode {
                if hetu::validate(value).is_valid() {
                    hits.push(
                        Hit::new("ID001", Some(i), format!("identity code stored, but {why}"))
                            .evidence(ValueKind::IdentityCode, value.trim()),
                    );
                }
                continue;
            }
            for (n, found) in hetu::find_in_text(value)
                .filter(|m| m.status.is_valid())
                .enumerate()
            {
                hits.push(
                    Hit::new(
                        "ID001",
                        Some(i),
                        format!("identity code inside column text, but {why}"),
                    )
                    .evidence(ValueKind::IdentityCode, &value[found.start..found.end])
                    .detail(n.to_string()),
                );
            }
        }
    }
}
