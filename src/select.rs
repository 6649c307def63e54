//! `--select` / `--ignore`: rule ids and prefixes (`RET`, `MKT001`, `ALL`),
//! resolved by specificity like ruff: the longest matching selector wins, and
//! an ignore beats a select of the same length.

use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSelection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        RuleSelection {
            select: vec!["ALL".into()],
            ignore: Vec::new(),
        }
    }
}

/// How specifically `selector` names `id`: `None` if it does not match.
fn specificity(selector: &str, id: &str) -> Option<usize> {
    if selector == "ALL" {
        Some(0)
    } else if id.starts_with(selector) {
        Some(selector.len())
    } else {
        None
    }
}

impl RuleSelection {
    /// Checks every selector against the known ids; unknown ones are usage errors.
    pub fn new(select: Vec<String>, ignore: Vec<String>, known: &[&str]) -> Result<Self, Error> {
        let normalize = |v: Vec<String>| -> Vec<String> {
            v.iter()
                .flat_map(|s| s.split(','))
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let select = normalize(select);
        let ignore = normalize(ignore);
        let unknown: Vec<&str> = select
            .iter()
            .chain(&ignore)
            .filter(|s| !known.iter().any(|id| specificity(s, id).is_some()))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Usage(format!(
                "unknown rule selector{} `{}`: run `regaudit rules` for the ids",
                if unknown.len() > 1 { "s" } else { "" },
                unknown.join("`, `")
            )));
        }
        Ok(RuleSelection {
            select: if select.is_empty() {
                vec!["ALL".into()]
            } else {
                select
            },
            ignore,
        })
    }

    pub fn enabled(&self, id: &str) -> bool {
        let best = |list: &[String]| list.iter().filter_map(|s| specificity(s, id)).max();
        match (best(&self.select), best(&self.ignore)) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: [&str; 4] = ["ID001", "ID002", "RET001", "RET002"];

    fn sel(select: &[&str], ignore: &[&str]) -> RuleSelection {
        RuleSelection::new(
            select.iter().map(|s| s.to_string()).collect(),
            ignore.iter().map(|s| s.to_string()).collect(),
            &KNOWN,
        )
        .unwrap()
    }

    #[test]
    fn more_specific_selector_wins() {
        let s = sel(&["ALL"], &["RET"]);
        assert!(s.enabled("ID001") && !s.enabled("RET001"));
        let s = sel(&["RET001"], &["RET"]);
        assert!(s.enabled("RET001") && !s.enabled("RET002") && !s.enabled("ID001"));
        let s = sel(&["RET"], &["RET"]);
        assert!(!s.enabled("RET001"));
        let s = sel(&["id001"], &[]);
        assert!(s.enabled("ID001") && !s.enabled("ID002"));
    }

    #[test]
    fn unknown_selectors_are_errors() {
        assert!(RuleSelection::new(vec!["XYZ".into()], vec![], &KNOWN).is_err());
    }
}
