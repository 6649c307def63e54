//! The notice each register was audited against, as reports name it.

use crate::register::Register;
use crate::rules::RuleMeta;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NoticeSummary {
    /// The register's name in the config (what findings name).
    pub register: String,
    /// False when the register was scanned with `--data` alone.
    pub given: bool,
    /// The notice file; empty when none was given.
    pub path: String,
    pub controller: String,
    pub business_id: Option<String>,
    /// The register's name as the notice gives it.
    pub name: String,
    pub dated: Option<String>,
    pub language: Option<String>,
    /// Enabled rules that did not run because they need a notice and none was given.
    pub rules_skipped: Vec<String>,
}

impl NoticeSummary {
    /// The register's notice; `rules` are the enabled rules.
    pub fn of(register: &Register, rules: &[RuleMeta]) -> Self {
        let notice = &register.notice;
        let rules_skipped = if notice.given {
            Vec::new()
        } else {
            rules
                .iter()
                .filter(|r| r.needs_notice)
                .map(|r| r.id.clone())
                .collect()
        };
        NoticeSummary {
            register: register.name.clone(),
            given: notice.given,
            path: notice.path.display().to_string(),
            controller: notice.controller.clone(),
            business_id: notice.business_id.clone(),
            name: notice.register.clone(),
            dated: notice.dated.clone(),
            language: notice.language.clone(),
            rules_skipped,
        }
    }
}
