//! What a register's privacy notice declares, in the form rules check against.

use crate::columns::{covers, Role};
use chrono::{Days, Months, NaiveDate};
use std::fmt;
use std::path::PathBuf;

/// GDPR Art. 6(1) legal bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterests,
    PublicTask,
    LegitimateInterests,
}

impl LegalBasis {
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::Consent,
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::VitalInterests,
        LegalBasis::PublicTask,
        LegalBasis::LegitimateInterests,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LegalBasis::Consent => "consent",
            LegalBasis::Contract => "contract",
            LegalBasis::LegalObligation => "legal_obligation",
            LegalBasis::VitalInterests => "vital_interests",
            LegalBasis::PublicTask => "public_task",
            LegalBasis::LegitimateInterests => "legitimate_interests",
        }
    }

    pub fn article(self) -> &'static str {
        match self {
            LegalBasis::Consent => "6(1)(a)",
            LegalBasis::Contract => "6(1)(b)",
            LegalBasis::LegalObligation => "6(1)(c)",
            LegalBasis::VitalInterests => "6(1)(d)",
            LegalBasis::PublicTask => "6(1)(e)",
            LegalBasis::LegitimateInterests => "6(1)(f)",
        }
    }

    /// The canonical name or the article reference (`6(1)(b)`, `art. 6(1)(b)`).
    pub fn parse(raw: &str) -> Option<LegalBasis> {
        let s = raw.trim().to_ascii_lowercase();
        let s = s
            .trim_start_matches("art.")
            .trim_start_matches("art")
            .trim();
        LegalBasis::ALL
            .into_iter()
            .find(|b| b.name() == s || b.article() == s)
    }
}

impl fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// GDPR Art. 9(2) conditions that lift the ban on special categories.
pub const ART9_CONDITIONS: [(&str, &str); 10] = [
    ("a", "explicit_consent"),
    ("b", "employment_social_security"),
    ("c", "vital_interests"),
    ("d", "non_profit_body"),
    ("e", "made_public"),
    ("f", "legal_claims"),
    ("g", "substantial_public_interest"),
    ("h", "health_care"),
    ("i", "public_health"),
    ("j", "research"),
];

/// Normalises `9(2)(h)`, `h` or `health_care` to the condition's name.
pub fn parse_art9_condition(raw: &str) -> Option<&'static str> {
    let s = raw.trim().to_ascii_lowercase();
    let letter = s
        .trim_start_matches("art.")
        .trim()
        .trim_start_matches("9(2)")
        .trim_matches(|c| c == '(' || c == ')');
    ART9_CONDITIONS
        .iter()
        .find(|(l, name)| *l == letter || *name == s)
        .map(|(_, name)| *name)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purpose {
    pub name: String,
    pub legal_basis: LegalBasis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialCategory {
    pub category: String,
    pub condition: &'static str,
}

/// A length of time as notices state it: days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    pub days: u32,
    pub months: u32,
}

impl Period {
    /// `24 months`, `10 years`, `30 days`, `2 weeks`, also in Finnish
    /// (`24 kuukautta`, `10 vuotta`, `30 päivää`).
    pub fn parse(raw: &str) -> Option<Period> {
        let mut parts = raw.split_whitespace();
        let n: u32 = parts.next()?.parse().ok()?;
        let unit = parts.next()?.to_lowercase();
        if parts.next().is_some() {
            return None;
        }
        let unit = unit.as_str();
        let period = if unit.starts_with("day") || unit.starts_with("päiv") || unit == "pv" {
            Period { days: n, months: 0 }
        } else if unit.starts_with("week") || unit.starts_with("viik") {
            Period {
                days: n * 7,
                months: 0,
            }
        } else if unit.starts_with("month") || unit.starts_with("kuukau") || unit == "kk" {
            Period { days: 0, months: n }
        } else if unit.starts_with("year") || unit.starts_with("vuo") || unit == "v" {
            Period {
                days: 0,
                months: n.checked_mul(12)?,
            }
        } else {
            return None;
        };
        Some(period)
    }

    pub fn after(self, date: NaiveDate) -> Option<NaiveDate> {
        date.checked_add_months(Months::new(self.months))?
            .checked_add_days(Days::new(u64::from(self.days)))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.months, self.days) {
            (0, d) => write!(f, "{d} days"),
            (m, 0) if m % 12 == 0 => write!(f, "{} years", m / 12),
            (m, 0) => write!(f, "{m} months"),
            (m, d) => write!(f, "{m} months {d} days"),
        }
    }
}

/// How long records are kept: `period` (plus `grace`) after the first anchor
/// date the record has, e.g. 24 months from the last service event, or
/// "while a member" = 0 days after the membership ends plus a grace period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    pub anchors: Vec<Role>,
    pub period: Period,
    pub grace: Period,
    /// The notice's own words, for messages (`24 months from last_service`).
    pub description: String,
}

impl Retention {
    pub fn deadline(&self, anchor: NaiveDate) -> Option<NaiveDate> {
        self.grace.after(self.period.after(anchor)?)
    }
}

/// What the notice says about transfers outside the EU/EEA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferPolicy {
    None,
    AdequacyOnly,
    Listed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfers {
    pub policy: TransferPolicy,
    /// With `Listed`: the countries outside the EU/EEA the notice names (ISO alpha-2).
    pub countries: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marketing {
    pub channels: Vec<String>,
    /// Electronic direct marketing to natural persons needs prior opt-in (917/2014 200 §).
    pub electronic_opt_in: bool,
    /// The notice relies on the existing-customer exception (200 § 2 mom.).
    pub existing_customer_exception: bool,
}

/// The whole notice metadata of one register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// False for a register scanned with `--data` alone: rules that compare
    /// the data with what a notice declares are skipped, and the report says so.
    pub given: bool,
    pub path: PathBuf,
    pub controller: String,
    pub business_id: Option<String>,
    pub register: String,
    /// The notice's date as written (`dated`), shown in reports.
    pub dated: Option<String>,
    /// The notice's language (`fi`, `sv`, `en`): the HTML report's default.
    pub language: Option<String>,
    pub purposes: Vec<Purpose>,
    pub declared: Vec<String>,
    pub excluded: Vec<String>,
    pub special: Vec<SpecialCategory>,
    pub retention: Option<Retention>,
    pub transfers: Transfers,
    pub marketing: Marketing,
}

impl Notice {
    /// The stand-in for a register scanned without a notice: it declares,
    /// excludes and allows nothing. Rules that need a notice do not run
    /// against it (`RuleMeta::needs_notice`).
    pub fn absent() -> Notice {
        Notice {
            given: false,
            path: PathBuf::new(),
            controller: String::new(),
            business_id: None,
            register: String::new(),
            dated: None,
            language: None,
            purposes: Vec::new(),
            declared: Vec::new(),
            excluded: Vec::new(),
            special: Vec::new(),
            retention: None,
            transfers: Transfers {
                policy: TransferPolicy::None,
                countries: Vec::new(),
            },
            marketing: Marketing {
                channels: Vec::new(),
                electronic_opt_in: false,
                existing_customer_exception: false,
            },
        }
    }

    /// Declared (by it or an ancestor) and not excluded.
    pub fn declares(&self, category: &str) -> bool {
        !self.excludes(category) && self.declared.iter().any(|d| covers(d, category))
            || self.special.iter().any(|s| covers(&s.category, category))
    }

    /// Excluded explicitly ("henkilötunnuksia ei kerätä"), by it or an ancestor.
    pub fn excludes(&self, category: &str) -> bool {
        self.excluded.iter().any(|e| covers(e, category))
    }

    pub fn declares_basis(&self, basis: LegalBasis) -> bool {
        self.purposes.iter().any(|p| p.legal_basis == basis)
    }

    /// The Art. 9(2) condition the notice gives for a special category, if any.
    pub fn special_condition(&self, category: &str) -> Option<&'static str> {
        self.special
            .iter()
            .find(|s| covers(&s.category, category))
            .map(|s| s.condition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_in_english_and_finnish() {
        assert_eq!(
            Period::parse("24 months"),
            Some(Period {
                days: 0,
                months: 24
            })
        );
        assert_eq!(
            Period::parse("10 vuotta"),
            Some(Period {
                days: 0,
                months: 120
            })
        );
        assert_eq!(
            Period::parse("30 päivää"),
            Some(Period {
                days: 30,
                months: 0
            })
        );
        assert_eq!(
            Period::parse("2 weeks"),
            Some(Period {
                days: 14,
                months: 0
            })
        );
        assert_eq!(Period::parse("forever"), None);
        assert_eq!(Period::parse("24"), None);
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let p = Period::parse("1 month").unwrap();
        let jan31 = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        assert_eq!(p.after(jan31), NaiveDate::from_ymd_opt(2024, 2, 29));
    }

    #[test]
    fn legal_bases_and_art9_conditions_parse() {
        assert_eq!(LegalBasis::parse("6(1)(b)"), Some(LegalBasis::Contract));
        assert_eq!(LegalBasis::parse("consent"), Some(LegalBasis::Consent));
        assert_eq!(LegalBasis::parse("maybe"), None);
        assert_eq!(parse_art9_condition("9(2)(h)"), Some("health_care"));
        assert_eq!(
            parse_art9_condition("explicit_consent"),
            Some("explicit_consent")
        );
        assert_eq!(parse_art9_condition("9(2)(z)"), None);
    }
}
