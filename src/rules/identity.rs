//! Identity-code rules: ID001 excluded, ID002 invalid, ID003 copied into free text.

use super::context::{FileContext, Hit, Row};
use super::Coverage;
use super::RowCheck;
use crate::columns::Role;
use crate::detect::hetu;
use crate::mask::ValueKind;

const HETU_CATEGORY: &str = "user.government_id.national_identification_number";

/// One hit per valid identity code inside a text cell; near misses (a wrong
/// control character) are not identity codes and are left alone.
fn codes_in_text(column: usize, text: &str, message: &'static str, hits: &mut Vec<Hit>) {
    let valid = hetu::find_in_text(text).filter(|m| m.status.is_valid());
    for (n, found) in valid.enumerate() {
        hits.push(
            Hit::new(Some(column), message)
                .evidence(ValueKind::IdentityCode, &text[found.start..found.end])
                .detail(n.to_string()),
        );
    }
}

/// ID001: a valid identity code stored where the notice excludes or does not declare them.
pub struct ExcludedIdentityCode;

impl RowCheck for ExcludedIdentityCode {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        if file.notice.declares(HETU_CATEGORY) {
            return Coverage::Skipped(
                "the notice declares identity codes (ID003 checks free text)".into(),
            );
        }
        Coverage::Evaluated((0..file.columns.len()).collect())
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        // Fixed messages: a findings-heavy register makes one per cell.
        let (stored, in_text) = if row.file.notice.excludes(HETU_CATEGORY) {
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
        for (i, column, value) in row.cells() {
            if column.role == Role::IdentityCode {
                if hetu::validate(value).is_valid() {
                    hits.push(
                        Hit::new(Some(i), stored).evidence(ValueKind::IdentityCode, value.trim()),
                    );
                }
                continue;
            }
            codes_in_text(i, value, in_text, hits);
        }
    }
}

/// ID002: a value in an identity-code column fails validation; temporary codes are info.
pub struct InvalidIdentityCode;

impl RowCheck for InvalidIdentityCode {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        Coverage::of_roles(file, &[Role::IdentityCode], "no identity-code column")
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        for (i, _, value) in row.cells_of(Role::IdentityCode) {
            match hetu::validate(value) {
                hetu::HetuStatus::Valid => {}
                hetu::HetuStatus::ValidTemporary => hits.push(
                    Hit::new(Some(i),
                        "temporary identity code (individual number 900–999), not in the population register",
                    )
                    .evidence(ValueKind::IdentityCode, value.trim())
                    .severity(crate::finding::Severity::Info),
                ),
                status => hits.push(
                    Hit::new(Some(i),
                        format!("invalid identity code: {}", describe(status)),
                    )
                    .evidence(ValueKind::IdentityCode, value.trim()),
                ),
            }
        }
    }
}

fn describe(status: hetu::HetuStatus) -> &'static str {
    match status {
        hetu::HetuStatus::BadChecksum => "wrong control character",
        hetu::HetuStatus::BadDate => "no such date in the century its sign gives",
        hetu::HetuStatus::BadFormat => "not in the form DDMMYYCZZZQ",
        hetu::HetuStatus::BadIndividual => "individual number 000 or 001 is never issued",
        hetu::HetuStatus::Valid | hetu::HetuStatus::ValidTemporary => "valid",
    }
}

/// ID003: the notice declares identity codes, but one is copied into free text.
pub struct IdentityCodeInFreeText;

impl RowCheck for IdentityCodeInFreeText {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        // Without a notice every code in free text is reported: no notice
        // says identity codes are collected at all.
        if file.notice.given && !file.notice.declares(HETU_CATEGORY) {
            return Coverage::Skipped(
                "the notice does not declare identity codes (ID001 applies)".into(),
            );
        }
        Coverage::of_roles(file, &Role::FREE_TEXT, "no free-text column")
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        for (i, _, value) in Role::FREE_TEXT.iter().flat_map(|r| row.cells_of(*r)) {
            let message = "identity code copied into free text; keep it only in its own column";
            codes_in_text(i, value, message, hits);
        }
    }
}
