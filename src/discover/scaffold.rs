//! `regaudit init`: a commented `regaudit.toml` and `notice.toml` that explain
//! every option and load in `scan` as they are (the placeholders are valid
//! values; the options a new register rarely needs are commented out).

use super::draft::{register_name, toml_key};
use super::toml_string;

const CONFIG_TEMPLATE: &str = include_str!("templates/regaudit.toml");
const NOTICE_TEMPLATE: &str = include_str!("templates/notice.toml");

/// The config for one register named after `data`'s first file (or
/// `register`), reading `data` (paths relative to the config's folder).
pub fn scaffold_config(data: &[String]) -> String {
    let name = data
        .first()
        .map(|d| register_name(d))
        .unwrap_or_else(|| "register".to_string());
    let files: Vec<String> = data.iter().map(|d| toml_string(d)).collect();
    let files = if files.is_empty() {
        toml_string("export.csv")
    } else {
        files.join(", ")
    };
    CONFIG_TEMPLATE
        .replace("REGISTER_NAME", &toml_key(&name))
        .replace("\"DATA_FILE\"", &files)
}

pub fn scaffold_notice() -> String {
    NOTICE_TEMPLATE.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::notice::parse_notice;
    use std::path::Path;

    /// Deletes the `#` of every commented-out option (`#key = …`, `#[table]`).
    fn switch_everything_on(text: &str) -> String {
        text.lines()
            .map(|line| match line.strip_prefix('#') {
                Some(rest)
                    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '[' || c == '"') =>
                {
                    rest
                }
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_notice_loads_as_it_is_and_with_every_option_on() {
        let path = Path::new("notice.toml");
        parse_notice(path, &scaffold_notice()).unwrap();
        let all = parse_notice(path, &switch_everything_on(&scaffold_notice())).unwrap();
        assert_eq!(all.special.len(), 1);
        assert!(all.retention.is_some());
        assert_eq!(all.business_id.as_deref(), Some("2096006-8"));
    }

    #[test]
    fn the_config_loads_as_it_is_and_with_every_option_on() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "notice.toml",
            "asiakkaat.csv",
            "markkinointi.csv",
            "kiellot.csv",
        ] {
            std::fs::write(dir.path().join(file), "a\n1\n").unwrap();
        }
        let path = dir.path().join("regaudit.toml");
        let text = scaffold_config(&["asiakkaat.csv".to_string()]);
        let config = parse_config(&path, &text).unwrap();
        assert_eq!(config.registers[0].name, "asiakkaat");
        let all = parse_config(&path, &switch_everything_on(&text)).unwrap();
        let register = &all.registers[0];
        assert_eq!(register.key.as_deref(), Some("asiakasnumero"));
        assert_eq!(register.columns.len(), 3);
        assert!(register.events.is_some() && register.bans.is_some());
        assert!(all.scan.rules.is_some() && all.scan.fingerprint_key_file.is_some());
    }
}
