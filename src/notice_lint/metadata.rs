//! `regaudit notice lint notice.toml`: checks of the notice metadata itself
//! (NTC021–NTC023), registered in one table like the text checks. The file
//! must load first; load errors are reported as for `scan`.

use super::checks::{Hit, Verdict};
use super::CheckOutcome;
use crate::columns::covers;
use crate::diagnostic::Diagnostics;
use crate::notice::{parse_notice, LegalBasis, Notice};
use std::path::Path;

/// What a metadata check sees: the loaded notice and its text (for lines).
pub struct MetaCtx<'a> {
    pub notice: &'a Notice,
    pub raw: &'a toml::Table,
    pub text: &'a str,
}

impl MetaCtx<'_> {
    /// The first line holding `needle`, for the finding's row.
    fn line_of(&self, needle: &str) -> u64 {
        self.text
            .lines()
            .position(|l| l.contains(needle))
            .map_or(0, |i| i as u64 + 1)
    }
}

pub type MetaCheckFn = fn(&MetaCtx<'_>) -> Verdict;

/// Every metadata check, in catalogue order.
pub const META_CHECKS: [(&str, MetaCheckFn); 3] = [
    ("NTC021", consent_without_evidence),
    ("NTC022", retention_without_anchor),
    ("NTC023", exclusion_contradicts_declaration),
];

const CONSENT_RECORDS: &str = "user.privacy_preferences";

/// NTC021: consent is a basis, but the metadata declares no category where
/// consent is recorded, so nothing shows how it is evidenced (Art. 7(1)).
fn consent_without_evidence(ctx: &MetaCtx<'_>) -> Verdict {
    let consent = ctx.notice.declares_basis(LegalBasis::Consent)
        || ctx
            .notice
            .special
            .iter()
            .any(|s| s.condition == "explicit_consent");
    if !consent {
        return Verdict::NotApplicable("consent is not a declared basis".into());
    }
    let recorded = ctx
        .notice
        .declared
        .iter()
        .any(|d| covers(d, CONSENT_RECORDS));
    Verdict::Checked(if recorded {
        Vec::new()
    } else {
        vec![Hit {
            message: format!(
                "consent is a legal basis but no category for consent records ({CONSENT_RECORDS}) is declared: nothing shows how consent is evidenced"
            ),
            line: ctx.line_of("consent"),
            quote: None,
            section: Some("purposes".into()),
            severity: None,
        }]
    })
}

/// NTC022: a `[retention]` table without a date to count from (`from = []`)
/// is dropped by the loader, so RET001 never runs.
fn retention_without_anchor(ctx: &MetaCtx<'_>) -> Verdict {
    if !ctx.raw.contains_key("retention") {
        return Verdict::NotApplicable("no [retention] table".into());
    }
    Verdict::Checked(if ctx.notice.retention.is_some() {
        Vec::new()
    } else {
        vec![Hit {
            message: "the retention rule has no anchor date (`from`), so no deadline can be computed and RET001 does not run".into(),
            line: ctx.line_of("[retention]"),
            quote: None,
            section: Some("retention".into()),
            severity: None,
        }]
    })
}

/// NTC023: an excluded category that is also declared (itself or a
/// sub-category), or declared as a special category.
fn exclusion_contradicts_declaration(ctx: &MetaCtx<'_>) -> Verdict {
    if ctx.notice.excluded.is_empty() {
        return Verdict::NotApplicable("nothing is excluded".into());
    }
    let hits = ctx
        .notice
        .excluded
        .iter()
        .flat_map(|excluded| {
            let declared = ctx
                .notice
                .declared
                .iter()
                .chain(ctx.notice.special.iter().map(|s| &s.category))
                .filter(move |d| covers(excluded, d))
                .map(move |d| (excluded, d));
            declared.map(|(excluded, declared)| Hit {
                message: format!(
                    "`{excluded}` is excluded but `{declared}` is declared: the notice says both that it is and is not collected"
                ),
                line: ctx.line_of("excluded"),
                quote: None,
                section: Some("categories".into()),
                severity: None,
            })
        })
        .collect();
    Verdict::Checked(hits)
}

/// Loads `notice.toml` and runs the metadata checks.
pub fn lint_metadata(path: &Path, text: &str) -> Result<Vec<CheckOutcome>, Diagnostics> {
    let notice = parse_notice(path, text)?;
    // It parsed above, so it is a table.
    let raw: toml::Table = toml::from_str(text).unwrap_or_default();
    let ctx = MetaCtx {
        notice: &notice,
        raw: &raw,
        text,
    };
    Ok(META_CHECKS
        .iter()
        .map(|(rule, check)| CheckOutcome {
            rule,
            verdict: check(&ctx),
        })
        .collect())
}
