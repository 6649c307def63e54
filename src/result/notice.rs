//! The notice each register was audited against, as reports name it.

use crate::register::Register;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct NoticeSummary {
    /// The register's name in the config (what findings name).
    pub register: String,
    pub path: String,
    pub controller: String,
    pub business_id: Option<String>,
    /// The register's name as the notice gives it.
    pub name: String,
    pub dated: Option<String>,
    pub language: Option<String>,
}

impl NoticeSummary {
    pub fn of(register: &Register) -> Self {
        let notice = &register.notice;
        NoticeSummary {
            register: register.name.clone(),
            path: notice.path.display().to_string(),
            controller: notice.controller.clone(),
            business_id: notice.business_id.clone(),
            name: notice.register.clone(),
            dated: notice.dated.clone(),
            language: notice.language.clone(),
        }
    }
}
