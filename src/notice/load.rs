//! Loads `notice.toml` in two steps: parse keeping positions, then validate
//! every key, reporting all problems at once with file:line:column.

use super::model::*;
use crate::columns::{vocabulary, Role};
use crate::diagnostic::Diagnostics;
use crate::toml_reader::{closest, Located, TableReader, TomlSource};
use std::path::Path;

pub fn load_notice(path: &Path) -> Result<Notice, crate::error::Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| crate::error::Error::Input(crate::error::InputError::io(path, &e)))?;
    Ok(parse_notice(path, &text)?)
}

pub fn parse_notice(path: &Path, text: &str) -> Result<Notice, Diagnostics> {
    let source = TomlSource::new(path, text);
    let doc = source.parse()?;
    let root = source.root(&doc);
    let notice = read_notice(&root, path);
    root.finish(&[
        "notice",
        "purposes",
        "categories",
        "special_categories",
        "retention",
        "transfers",
        "marketing",
    ]);
    source.into_diagnostics().into_result(notice)
}

fn read_notice(root: &TableReader, path: &Path) -> Notice {
    let (controller, business_id, register, dated, language) = match root.table("notice") {
        Some(t) => {
            let controller = t.required_string("controller").map(|s| s.value);
            let business_id = t.string("business_id");
            if let Some(id) = &business_id {
                if crate::detect::business_id::validate(&id.value)
                    != crate::detect::business_id::BusinessIdStatus::Valid
                {
                    t.source().error(
                        &id.span,
                        format!(
                            "`notice.business_id` `{}` is not a valid Y-tunnus",
                            id.value
                        ),
                    );
                }
            }
            let register = t.required_string("register").map(|s| s.value);
            t.string("source");
            let dated = t.string("dated").map(|s| s.value);
            let language = t.string("language").map(|s| s.value);
            t.finish(&[
                "controller",
                "business_id",
                "register",
                "source",
                "dated",
                "language",
            ]);
            (
                controller,
                business_id.map(|b| b.value),
                register,
                dated,
                language,
            )
        }
        None => {
            root.missing("notice");
            (None, None, None, None, None)
        }
    };
    Notice {
        given: true,
        path: path.to_path_buf(),
        controller: controller.unwrap_or_default(),
        business_id,
        register: register.unwrap_or_default(),
        dated,
        language,
        purposes: read_purposes(root),
        declared: read_categories(root, "declared"),
        excluded: read_categories(root, "excluded"),
        special: read_special(root),
        retention: read_retention(root),
        transfers: read_transfers(root),
        marketing: read_marketing(root),
    }
}

fn read_purposes(root: &TableReader) -> Vec<Purpose> {
    let mut purposes = Vec::new();
    for t in root.tables("purposes") {
        let name = t.required_string("name");
        let basis = t.required_string("legal_basis").and_then(|b| {
            let parsed = LegalBasis::parse(&b.value);
            if parsed.is_none() {
                let names: Vec<&str> = LegalBasis::ALL.iter().map(|b| b.name()).collect();
                t.source().error(
                    &b.span,
                    format!(
                        "unknown legal basis `{}`: expected one of {} or an article like 6(1)(b)",
                        b.value,
                        names.join(", ")
                    ),
                );
            }
            parsed
        });
        t.string("description");
        t.finish(&["name", "legal_basis", "description"]);
        if let (Some(name), Some(legal_basis)) = (name, basis) {
            purposes.push(Purpose {
                name: name.value,
                legal_basis,
            });
        }
    }
    purposes
}

fn check_category(t: &TableReader, category: &Located<String>) -> bool {
    let vocab = vocabulary();
    if vocab.is_category(&category.value) {
        return true;
    }
    let hint = closest(&category.value, &vocab.category_names())
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_else(|| " (see rules/categories.toml)".to_string());
    t.source().error(
        &category.span,
        format!("unknown data category `{}`{hint}", category.value),
    );
    false
}

fn read_categories(root: &TableReader, key: &str) -> Vec<String> {
    // `[categories]` is read twice (declared, excluded); only report its keys once.
    let Some(t) = root.table("categories") else {
        return Vec::new();
    };
    let list = t.string_list(key).unwrap_or_default();
    if key == "excluded" {
        t.string_list("declared");
        t.finish(&["declared", "excluded"]);
    }
    list.into_iter()
        .filter(|c| check_category(&t, c))
        .map(|c| c.value)
        .collect()
}

fn read_special(root: &TableReader) -> Vec<SpecialCategory> {
    let mut out = Vec::new();
    for t in root.tables("special_categories") {
        let category = t.required_string("category");
        let condition = t.required_string("condition");
        t.string("description");
        t.finish(&["category", "condition", "description"]);
        let (Some(category), Some(condition)) = (category, condition) else {
            continue;
        };
        if !check_category(&t, &category) {
            continue;
        }
        if !vocabulary().is_special(&category.value) {
            t.source().error(
                &category.span,
                format!("`{}` is not a special (Art. 9) category", category.value),
            );
        }
        match parse_art9_condition(&condition.value) {
            Some(name) => out.push(SpecialCategory {
                category: category.value,
                condition: name,
            }),
            None => t.source().error(
                &condition.span,
                format!(
                    "unknown Art. 9(2) condition `{}`: expected 9(2)(a)–(j) or a name like explicit_consent, health_care",
                    condition.value
                ),
            ),
        }
    }
    out
}

fn read_period(t: &TableReader, key: &str) -> Option<Period> {
    let raw = t.string(key)?;
    let period = Period::parse(&raw.value);
    if period.is_none() {
        t.source().error(
            &raw.span,
            format!(
                "`{}.{key}` `{}` is not a period: write e.g. \"24 months\", \"10 years\", \"30 days\"",
                t.path, raw.value
            ),
        );
    }
    period
}

fn read_retention(root: &TableReader) -> Option<Retention> {
    let t = root.table("retention")?;
    let anchors: Vec<Role> = match t.string_list("from") {
        Some(list) => list
            .iter()
            .filter_map(|a| {
                let role = Role::from_name(&a.value).filter(|r| r.is_date());
                if role.is_none() {
                    let dates: Vec<&str> = Role::ALL
                        .iter()
                        .filter(|r| r.is_date())
                        .map(|r| r.name())
                        .collect();
                    t.source().error(
                        &a.span,
                        format!(
                            "`retention.from` `{}` is not a date role: expected one of {}",
                            a.value,
                            dates.join(", ")
                        ),
                    );
                }
                role
            })
            .collect(),
        None => {
            t.missing("from");
            Vec::new()
        }
    };
    let period = read_period(&t, "period").unwrap_or_default();
    let grace = read_period(&t, "grace").unwrap_or_default();
    let text = t.string("description");
    t.finish(&["from", "period", "grace", "description"]);
    if anchors.is_empty() {
        return None;
    }
    let description = text.map(|d| d.value).unwrap_or_else(|| {
        let from: Vec<&str> = anchors.iter().map(|r| r.name()).collect();
        let mut s = format!("{period} from {}", from.join(" or "));
        if grace != Period::default() {
            s.push_str(&format!(" plus {grace} grace"));
        }
        s
    });
    Some(Retention {
        anchors,
        period,
        grace,
        description,
    })
}

fn read_transfers(root: &TableReader) -> Transfers {
    let default = Transfers {
        policy: TransferPolicy::None,
        countries: Vec::new(),
    };
    let Some(t) = root.table("transfers") else {
        return default;
    };
    let policy = match t.string("outside_eea") {
        Some(p) => match p.value.as_str() {
            "none" => TransferPolicy::None,
            "adequacy" => TransferPolicy::AdequacyOnly,
            "listed" => TransferPolicy::Listed,
            other => {
                t.source().error(
                    &p.span,
                    format!("`transfers.outside_eea` `{other}`: expected none, adequacy or listed"),
                );
                TransferPolicy::None
            }
        },
        None => TransferPolicy::None,
    };
    let countries: Vec<String> = t
        .string_list("countries")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            let code = c.value.trim().to_ascii_uppercase();
            if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                Some(code)
            } else {
                t.source().error(
                    &c.span,
                    format!("`{}` is not an ISO 3166 alpha-2 country code", c.value),
                );
                None
            }
        })
        .collect();
    t.string("safeguards");
    t.finish(&["outside_eea", "countries", "safeguards"]);
    Transfers { policy, countries }
}

const CHANNELS: [&str; 5] = ["email", "sms", "post", "phone", "push"];

fn read_marketing(root: &TableReader) -> Marketing {
    let mut marketing = Marketing {
        channels: Vec::new(),
        electronic_opt_in: true,
        existing_customer_exception: false,
    };
    let Some(t) = root.table("marketing") else {
        return marketing;
    };
    for c in t.string_list("channels").unwrap_or_default() {
        if CHANNELS.contains(&c.value.as_str()) {
            marketing.channels.push(c.value);
        } else {
            t.source().error(
                &c.span,
                format!(
                    "unknown marketing channel `{}`: expected one of {}",
                    c.value,
                    CHANNELS.join(", ")
                ),
            );
        }
    }
    if let Some(b) = t.bool("electronic_opt_in") {
        marketing.electronic_opt_in = b;
    }
    if let Some(b) = t.bool("existing_customer_exception") {
        marketing.existing_customer_exception = b;
    }
    t.finish(&[
        "channels",
        "electronic_opt_in",
        "existing_customer_exception",
    ]);
    marketing
}
