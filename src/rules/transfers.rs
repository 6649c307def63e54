//! TRF001: processing, storage or recipient countries outside the EU/EEA that
//! the notice does not allow. Residence is not a transfer and is not checked.

use super::context::{FileContext, Hit, Row};
use super::data::countries;
use super::{Coverage, RowCheck};
use crate::columns::Role;
use crate::finding::Severity;
use crate::mask::ValueKind;
use crate::notice::TransferPolicy;

const TRANSFER_ROLES: [Role; 3] = [
    Role::ProcessingCountry,
    Role::StorageCountry,
    Role::RecipientCountry,
];

pub struct TransferOutsideEea;

impl RowCheck for TransferOutsideEea {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        Coverage::of_roles(
            file,
            &TRANSFER_ROLES,
            "no processing, storage or recipient country column",
        )
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let countries = countries();
        let transfers = &row.file.notice.transfers;
        for (i, column, value) in TRANSFER_ROLES.iter().flat_map(|r| row.cells_of(*r)) {
            let Some(code) = countries.code(value) else {
                continue;
            };
            if countries.in_eea(code) {
                continue;
            }
            let hit = match transfers.policy {
                TransferPolicy::None => Hit::new(Some(i),
                    format!("{} outside the EU/EEA, but the notice allows no transfers", column.role.name()),
                ),
                TransferPolicy::AdequacyOnly if countries.is_partial(code) => Hit::new(Some(i),
                    "adequacy covers only some recipients in this country (PIPEDA / Data Privacy Framework): verify scope",
                )
                .severity(Severity::Medium),
                TransferPolicy::AdequacyOnly if countries.has_adequacy(code) => continue,
                TransferPolicy::AdequacyOnly => Hit::new(Some(i),
                    "country outside the EU/EEA without an adequacy decision; the notice allows adequacy only",
                ),
                TransferPolicy::Listed
                    if transfers.countries.iter().any(|c| c == code.as_str()) =>
                {
                    continue
                }
                TransferPolicy::Listed => Hit::new(Some(i),
                    "country outside the EU/EEA that the notice does not list",
                ),
            };
            hits.push(hit.evidence(ValueKind::Plain, code.as_str()));
        }
    }
}
