//! The drafts `discover --write` leaves for the DPO: a `regaudit.toml` that
//! maps every column the way discover understood it, and a `notice.toml`
//! whose declared categories are what the data hold, each a TODO to confirm
//! against the real notice. Both load in `scan` as written.

use super::profile::{ColumnProfile, FileProfile};
use super::toml_string;
use crate::columns::{vocabulary, MappingSource, Role};
use crate::ingest::Encoding;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// `regaudit.toml` with one register per profiled file; `data` is the path to
/// write for each file, relative to the folder the config goes to.
pub fn draft_config(files: &[(&FileProfile, String)]) -> String {
    let mut out = String::from(
        "# Drafted by `regaudit discover` from the data alone. Check the mapping,\n\
         # then run `regaudit scan` on this folder. Every option is explained by\n\
         # `regaudit init`.\n",
    );
    let mut names = BTreeSet::new();
    for (profile, data) in files {
        let name = unique_name(&mut names, &register_name(data));
        let _ = writeln!(out, "\n[registers.{}]", toml_key(&name));
        out.push_str("notice = \"notice.toml\"\n");
        let _ = writeln!(out, "data = {}", toml_string(data));
        let _ = writeln!(out, "format = {}", toml_string(profile.info.format.name()));
        if let Some(d) = profile.info.delimiter {
            let d = if d == '\t' {
                "tab".to_string()
            } else {
                d.to_string()
            };
            let _ = writeln!(out, "delimiter = {}", toml_string(&d));
        }
        match Encoding::from_name(profile.info.encoding) {
            Some(e) => {
                let _ = writeln!(out, "encoding = {}", toml_string(e.name()));
            }
            None => {
                let _ = writeln!(out, "# encoding sniffed: {}", profile.info.encoding);
            }
        }
        match profile.key() {
            Some(key) => {
                let _ = writeln!(out, "key = {}", toml_string(&key.name));
            }
            None => out.push_str(
                "# key = \"TODO\"  # no record-key column recognised: name the customer or member number\n",
            ),
        }
        let _ = writeln!(out, "\n[registers.{}.columns]", toml_key(&name));
        for column in &profile.columns {
            out.push_str(&mapping_line(column));
        }
    }
    out
}

fn mapping_line(column: &ColumnProfile) -> String {
    let key = toml_string(&column.name);
    let mut line = if column.source == MappingSource::None || column.role == Role::Other {
        format!("# {key} = \"TODO\"  # {}", one_line(&column.reason))
    } else {
        format!(
            "{key} = {}  # {}",
            toml_string(column.role.name()),
            one_line(&column.reason)
        )
    };
    if let Some(note) = &column.note {
        let _ = write!(line, "; TODO check: {}", one_line(note));
    }
    line.push('\n');
    line
}

/// `notice.toml` declaring the categories the profiled files hold.
pub fn draft_notice(files: &[&FileProfile]) -> String {
    let mut held: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut health: Vec<String> = Vec::new();
    let mut identity_in_text: Vec<String> = Vec::new();
    for profile in files {
        for column in &profile.columns {
            if let Some(category) = &column.category {
                if !vocabulary().is_bookkeeping(category) {
                    held.entry(category.clone())
                        .or_default()
                        .push(one_line(&column.name));
                }
            }
            if column.evidence.health_words > 0 && column.role != Role::Health {
                health.push(format!(
                    "{} ({} cells)",
                    one_line(&column.name),
                    column.evidence.health_words
                ));
            }
            if column.evidence.identity_codes_in_text > 0 {
                identity_in_text.push(format!(
                    "{} ({} cells)",
                    one_line(&column.name),
                    column.evidence.identity_codes_in_text
                ));
            }
        }
    }
    let mut out = String::from(
        "# Drafted by `regaudit discover` from the data alone, NOT from the privacy\n\
         # notice: it says what the export holds. Replace every TODO with what the\n\
         # real notice says; a scan against this draft only finds what the data\n\
         # contradict in it. `regaudit init` explains every option.\n\n\
         [notice]\n\
         controller = \"TODO\"  # TODO the controller's name from the notice\n\
         register = \"TODO\"  # TODO the register's name from the notice\n\
         # business_id = \"1234567-8\"  # the controller's Y-tunnus\n\n\
         # [[purposes]]\n\
         # name = \"TODO\"\n\
         # legal_basis = \"contract\"  # consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests\n\n\
         [categories]\n\
         declared = [\n",
    );
    for (category, columns) in &held {
        let special = if vocabulary().is_special(category) {
            " (Art. 9: also needs [[special_categories]] with its condition)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {},  # TODO confirm against the real notice{special}; columns: {}",
            toml_string(category),
            columns.join(", ")
        );
    }
    out.push_str("]\n# excluded = []  # TODO categories the notice says are NOT collected\n");
    if !health.is_empty() {
        let _ = writeln!(
            out,
            "# TODO health words were found in: {}. If the register holds health data,\n\
             # declare it:\n# [[special_categories]]\n# category = \"user.health_and_medical\"\n\
             # condition = \"explicit_consent\"  # TODO the Art. 9(2) condition the notice names",
            health.join(", ")
        );
    }
    if !identity_in_text.is_empty() {
        let _ = writeln!(
            out,
            "# TODO identity codes were found inside free text in: {}",
            identity_in_text.join(", ")
        );
    }
    out.push_str(
        "\n# TODO the retention period from the notice, e.g.\n\
         # [retention]\n# from = \"last_service\"\n# period = \"24 months\"\n",
    );
    out
}

/// `exports/Asiakkaat 2026.csv` → `asiakkaat_2026`.
pub(super) fn register_name(data: &str) -> String {
    let stem = std::path::Path::new(data)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("register");
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "register".into()
    } else {
        name
    }
}

fn unique_name(taken: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// A bare key where TOML allows one, else quoted.
pub(super) fn toml_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// Text for a TOML comment: a header with a line break must not end the comment.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
