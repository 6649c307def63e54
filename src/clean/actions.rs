//! What `clean` does about each rule's findings: one action per rule, chosen
//! in the config (`[clean.actions]`) or with `--action RULE=ACTION`, checked
//! against what makes sense for the rule.

use crate::error::Error;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Report only; the copy keeps the value.
    Keep,
    /// The finding's column is left out of the copy.
    DropColumn,
    /// Every value of the finding's column is masked (`131052-***T`).
    MaskColumn,
    /// The finding's cell is emptied.
    BlankCell,
    /// The identity codes in the finding's cell are cut out of its text.
    Redact,
    /// The finding's record is left out of the copy.
    RemoveRecord,
    /// The finding's consent flag is set to "no" in the column's own words.
    ResetFlag,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Keep,
        Action::DropColumn,
        Action::MaskColumn,
        Action::BlankCell,
        Action::Redact,
        Action::RemoveRecord,
        Action::ResetFlag,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::DropColumn => "drop-column",
            Action::MaskColumn => "mask-column",
            Action::BlankCell => "blank-cell",
            Action::Redact => "redact",
            Action::RemoveRecord => "remove-record",
            Action::ResetFlag => "reset-flag",
        }
    }

    fn parse(raw: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == raw.trim())
    }
}

/// The actions a rule allows, its default first. Rules not listed allow
/// only `keep`: their findings are about accuracy, the notice or the logs,
/// which a copy of the data cannot mend.
fn allowed(rule: &str) -> &'static [Action] {
    use Action::*;
    match rule {
        // A stored identity code's column goes; codes inside other columns'
        // text are cut out of it whatever the choice (see `edits`).
        "ID001" => &[DropColumn, MaskColumn, Redact, Keep],
        "ID003" => &[Redact, BlankCell, Keep],
        "CAT001" => &[DropColumn, Keep],
        "CAT002" => &[BlankCell, DropColumn, Keep],
        "RET001" | "RET002" => &[RemoveRecord, Keep],
        "LB003" => &[ResetFlag, RemoveRecord, Keep],
        "LB004" => &[Keep, ResetFlag, RemoveRecord],
        _ => &[Keep],
    }
}

/// The action for every rule: the defaults, with the user's choices over them.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    chosen: BTreeMap<String, Action>,
}

impl Actions {
    /// `choices` are (rule id, action name) pairs; `origin` names where they
    /// came from in errors (`regaudit.toml [clean.actions]`, `--action`).
    pub fn new<'a>(
        choices: impl IntoIterator<Item = (&'a str, &'a str)>,
        known_rules: &[&str],
        origin: &str,
    ) -> Result<Actions, Error> {
        let mut chosen = BTreeMap::new();
        for (rule, action) in choices {
            if !known_rules.contains(&rule) {
                return Err(Error::Usage(format!("{origin}: unknown rule `{rule}`")));
            }
            let options = allowed(rule);
            let names = || {
                options
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let Some(parsed) = Action::parse(action) else {
                return Err(Error::Usage(format!(
                    "{origin}: `{action}` is not an action; {rule} takes {}",
                    names()
                )));
            };
            if !options.contains(&parsed) {
                return Err(Error::Usage(format!(
                    "{origin}: {rule} cannot `{action}`; it takes {}",
                    names()
                )));
            }
            chosen.insert(rule.to_string(), parsed);
        }
        Ok(Actions { chosen })
    }

    /// Later choices win over earlier ones (the command line over the config).
    pub fn overridden_by(mut self, other: Actions) -> Actions {
        self.chosen.extend(other.chosen);
        self
    }

    pub fn of(&self, rule: &str) -> Action {
        self.chosen
            .get(rule)
            .copied()
            .unwrap_or_else(|| allowed(rule)[0])
    }

    /// `RULE=ACTION` as the command line writes it.
    pub fn parse_flag(raw: &str) -> Result<(String, String), Error> {
        raw.split_once('=')
            .map(|(r, a)| (r.trim().to_string(), a.trim().to_string()))
            .ok_or_else(|| Error::Usage(format!("--action {raw}: expected RULE=ACTION")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: [&str; 4] = ["ID001", "RET001", "ACC001", "LB003"];

    #[test]
    fn defaults_mend_what_a_copy_can_mend_and_keep_the_rest() {
        let a = Actions::default();
        assert_eq!(a.of("ID001"), Action::DropColumn);
        assert_eq!(a.of("RET002"), Action::RemoveRecord);
        assert_eq!(a.of("LB003"), Action::ResetFlag);
        assert_eq!(a.of("ACC001"), Action::Keep);
        assert_eq!(a.of("CUS001"), Action::Keep);
    }

    #[test]
    fn a_choice_must_suit_its_rule() {
        let ok = Actions::new([("ID001", "mask-column")], &KNOWN, "t").unwrap();
        assert_eq!(ok.of("ID001"), Action::MaskColumn);
        let err = Actions::new([("RET001", "drop-column")], &KNOWN, "t").unwrap_err();
        assert!(
            err.to_string().contains("RET001 cannot `drop-column`"),
            "{err}"
        );
        let err = Actions::new([("ACC001", "remove-record")], &KNOWN, "t").unwrap_err();
        assert!(err.to_string().contains("it takes keep"), "{err}");
        let err = Actions::new([("XX001", "keep")], &KNOWN, "t").unwrap_err();
        assert!(err.to_string().contains("unknown rule"), "{err}");
        let err = Actions::new([("ID001", "shred")], &KNOWN, "t").unwrap_err();
        assert!(err.to_string().contains("not an action"), "{err}");
    }

    #[test]
    fn the_command_line_wins() {
        let config = Actions::new([("LB003", "keep")], &KNOWN, "t").unwrap();
        let flags = Actions::new([("LB003", "remove-record")], &KNOWN, "t").unwrap();
        assert_eq!(
            config.overridden_by(flags).of("LB003"),
            Action::RemoveRecord
        );
    }
}
