//! The metadata of the NTC rules (NTC001–NTC020 on the text, NTC021–NTC023 on
//! `notice.toml`): id, name, severity, legal reference and the
//! doc `regaudit explain NTC001` prints, one file each in `rules/notice/`.

use crate::rules::RuleMeta;

macro_rules! notice_rules {
    ($($id:literal),* $(,)?) => {
        [$(($id, include_str!(concat!("../../rules/notice/", $id, ".toml")))),*]
    };
}

const FILES: [(&str, &str); 23] = notice_rules![
    "NTC001", "NTC002", "NTC003", "NTC004", "NTC005", "NTC006", "NTC007", "NTC008", "NTC009",
    "NTC010", "NTC011", "NTC012", "NTC013", "NTC014", "NTC015", "NTC016", "NTC017", "NTC018",
    "NTC019", "NTC020", "NTC021", "NTC022", "NTC023",
];

/// The NTC rules' metadata, in catalogue order.
pub fn notice_rules() -> Vec<RuleMeta> {
    FILES
        .iter()
        .map(|(id, text)| {
            let path = format!("rules/notice/{id}.toml");
            // Built-in metadata is checked by the tests: a failure is a build defect.
            let meta = RuleMeta::parse(std::path::Path::new(&path), text)
                .unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(&meta.id, id, "{path} declares another id");
            meta
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice_lint::checks::CHECKS;
    use crate::notice_lint::metadata::META_CHECKS;

    #[test]
    fn every_check_has_documented_metadata_and_every_file_a_check() {
        let metas = notice_rules();
        let checks: Vec<&str> = CHECKS
            .iter()
            .map(|(id, _)| *id)
            .chain(META_CHECKS.iter().map(|(id, _)| *id))
            .collect();
        let ids: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, checks);
        for m in &metas {
            assert!(crate::rules::is_valid_id(&m.id));
            for (section, text) in [
                ("summary", &m.summary),
                ("what", &m.doc.what),
                ("why", &m.doc.why),
                ("example", &m.doc.example),
            ] {
                assert!(text.trim().len() > 20, "{} has no {section}", m.id);
            }
            assert!(!m.legal.is_empty(), "{} has no legal reference", m.id);
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/notice");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            if let Some(id) = name
                .strip_suffix(".toml")
                .filter(|id| id.starts_with("NTC"))
            {
                assert!(checks.contains(&id), "rules/notice/{name} has no check");
            }
        }
    }
}
