//! NTC006 recipients, NTC007 transfers outside the EU/EEA without a
//! safeguard, NTC008 invalidated transfer mechanisms (GDPR Art. 13(1)(e)–(f)).

use super::{short, Ctx, Hit, Verdict};
use crate::notice_lint::document::Sentence;
use crate::notice_lint::vocabulary::Concept;
use std::collections::BTreeSet;

/// NTC006: recipients or categories of recipients, or a statement that data
/// is not disclosed.
pub fn recipients(ctx: &Ctx<'_>) -> Verdict {
    Verdict::Checked(if ctx.first_saying(Concept::Recipient).is_some() {
        Vec::new()
    } else {
        vec![Hit::missing(
            "no recipients or categories of recipients are named, and the notice does not say that data is not disclosed (luovutukset / mottagare / recipients)",
            "recipients",
        )]
    })
}

/// The sentences that leave a transfer outside the EU/EEA possible: they
/// name one, or deny one only "as a rule" or "unless necessary". Sections
/// that defer transfers to a separate notice are left out.
pub fn possible_transfers<'a>(ctx: &Ctx<'a>) -> Vec<&'a Sentence> {
    let deferred: BTreeSet<usize> = ctx
        .saying(Concept::TransferDeferred)
        .map(|s| s.section)
        .collect();
    ctx.saying(Concept::Transfer)
        .filter(|s| !deferred.contains(&s.section))
        .filter(|s| !ctx.says(Concept::TransferDenied, s) || ctx.says(Concept::TransferReserved, s))
        .collect()
}

/// NTC007: a possible transfer needs its safeguard named: adequacy, SCCs,
/// BCRs, the Data Privacy Framework or an Art. 49 derogation.
pub fn transfer_safeguards(ctx: &Ctx<'_>) -> Verdict {
    let transfers = possible_transfers(ctx);
    let Some(first) = transfers.first() else {
        return Verdict::NotApplicable(
            "the notice states no transfer outside the EU/EEA (or says there is none)".into(),
        );
    };
    let safeguard = ctx
        .saying(Concept::TransferSafeguard)
        .any(|s| ctx.positive(s) || ctx.says(Concept::Transfer, s));
    if safeguard {
        return Verdict::Checked(Vec::new());
    }
    let invalid_only = ctx
        .first_saying(Concept::InvalidTransferMechanism)
        .is_some();
    let message = if invalid_only {
        format!(
            "a transfer outside the EU/EEA is possible (\"{}\") and the only mechanism named is invalidated (Privacy Shield / Safe Harbour): no valid safeguard",
            short(&first.text)
        )
    } else {
        format!(
            "a transfer outside the EU/EEA is possible (\"{}\") but no safeguard is named (adequacy decision, standard contractual clauses, binding corporate rules, Data Privacy Framework, Art. 49 derogation)",
            short(&first.text)
        )
    };
    Verdict::Checked(vec![Hit::quoting(ctx, message, first)])
}

/// NTC008: Privacy Shield (invalid since 16.7.2020) or Safe Harbour (since
/// 6.10.2015) named as a transfer mechanism.
pub fn invalidated_mechanism(ctx: &Ctx<'_>) -> Verdict {
    let hits = ctx
        .saying(Concept::InvalidTransferMechanism)
        .filter(|s| !ctx.says(Concept::Invalidated, s))
        .map(|s| {
            let name = ctx
                .vocab
                .find(Concept::InvalidTransferMechanism, &s.text)
                .unwrap_or("Privacy Shield");
            Hit::quoting(
                ctx,
                format!(
                    "relies on {name}, a transfer mechanism the CJEU invalidated (Privacy Shield: Schrems II, 16.7.2020; Safe Harbour: Schrems I, 6.10.2015)"
                ),
                s,
            )
        })
        .collect();
    Verdict::Checked(hits)
}
