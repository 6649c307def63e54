//! Discovery for an export that comes with no notice and no config: what each
//! column holds (`profile`, from the evidence of `evidence`), the
//! `regaudit.toml` and `notice.toml` drafts that follow from it (`draft`), and
//! the commented scaffold of `regaudit init` (`scaffold`).

mod draft;
mod evidence;
mod profile;
mod render;
mod scaffold;

pub use draft::{draft_config, draft_notice};
pub use evidence::{ColumnEvidence, EXAMPLES};
pub use profile::{profile_file, ColumnProfile, FileProfile};
pub use render::{render_json, render_table};
pub use scaffold::{scaffold_config, scaffold_notice};

/// The text of a string as a TOML basic string, quotes and escapes included.
pub(crate) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
