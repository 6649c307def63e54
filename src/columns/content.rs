//! Content evidence: what a sample of a column's values looks like. It
//! decides the role of a column whose header says nothing, and backs or
//! contradicts a header's word ("1,962 of 2,000 sampled cells are valid
//! identity codes").

use super::vocabulary::CellKind;
use super::Role;
use crate::detect::{business_id, email, hetu, iban, ip, phone, postcode};
use crate::values::{parse_bool, parse_date};

/// A kind of value a detector recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    IdentityCode,
    Email,
    BusinessId,
    Iban,
    IpAddress,
    Phone,
    Postcode,
    CountryCode,
    Boolean,
    Date,
}

impl ContentKind {
    /// In order of precedence: the first kind most values pass decides.
    pub const ALL: [ContentKind; 10] = [
        ContentKind::IdentityCode,
        ContentKind::Email,
        ContentKind::BusinessId,
        ContentKind::Iban,
        ContentKind::IpAddress,
        ContentKind::Phone,
        ContentKind::Postcode,
        ContentKind::CountryCode,
        ContentKind::Boolean,
        ContentKind::Date,
    ];

    pub fn matches(self, value: &str) -> bool {
        match self {
            ContentKind::IdentityCode => hetu::validate(value).is_valid(),
            ContentKind::Email => email::is_valid(value),
            ContentKind::BusinessId => {
                business_id::looks_like_business_id(value)
                    && business_id::validate(value) == business_id::BusinessIdStatus::Valid
            }
            ContentKind::Iban => iban::is_valid(value),
            ContentKind::IpAddress => ip::is_ip(value),
            ContentKind::Phone => phone::is_phone(value),
            ContentKind::Postcode => postcode::is_valid_fi(value),
            ContentKind::CountryCode => {
                let v = value.trim();
                v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase())
            }
            // An empty cell reads as `false`, but the sample holds non-empty cells only.
            ContentKind::Boolean => parse_bool(value).is_some(),
            ContentKind::Date => parse_date(value).is_some(),
        }
    }

    /// "valid identity codes", for "N of M sampled cells are …".
    pub fn describe(self) -> &'static str {
        match self {
            ContentKind::IdentityCode => "valid identity codes",
            ContentKind::Email => "e-mail addresses",
            ContentKind::BusinessId => "valid business ids",
            ContentKind::Iban => "valid IBANs",
            ContentKind::IpAddress => "IP addresses",
            ContentKind::Phone => "phone numbers",
            ContentKind::Postcode => "Finnish postcodes",
            ContentKind::CountryCode => "two-letter country codes",
            ContentKind::Boolean => "yes/no values",
            ContentKind::Date => "dates",
        }
    }

    /// The role a column of such values has when its header says nothing.
    /// Only kinds specific enough to name a role decide one.
    pub fn role(self) -> Option<Role> {
        match self {
            ContentKind::IdentityCode => Some(Role::IdentityCode),
            ContentKind::Email => Some(Role::Email),
            ContentKind::BusinessId => Some(Role::BusinessId),
            ContentKind::Iban => Some(Role::Iban),
            ContentKind::IpAddress => Some(Role::IpAddress),
            ContentKind::Phone => Some(Role::Phone),
            _ => None,
        }
    }

    /// The kind of value a column in `role` should hold, where one can be checked.
    pub fn expected_for(role: Role, cell: CellKind) -> Option<ContentKind> {
        match role {
            Role::IdentityCode => Some(ContentKind::IdentityCode),
            Role::Email => Some(ContentKind::Email),
            Role::BusinessId => Some(ContentKind::BusinessId),
            Role::IpAddress => Some(ContentKind::IpAddress),
            Role::Phone => Some(ContentKind::Phone),
            Role::Iban => Some(ContentKind::Iban),
            _ => match cell {
                CellKind::Date => Some(ContentKind::Date),
                CellKind::Bool => Some(ContentKind::Boolean),
                CellKind::Text | CellKind::Country => None,
            },
        }
    }
}

/// Share of sampled values a kind must reach to decide a role or back a header.
pub const DECISIVE_SHARE: f64 = 0.8;
/// Below this share the content contradicts the header.
pub const CONTRADICTING_SHARE: f64 = 0.5;
/// Fewer sampled values than this say too little to contradict a header.
pub const MIN_SAMPLE_TO_CONTRADICT: usize = 10;

/// How many of a column's sampled values each kind matched.
#[derive(Debug, Clone, Default)]
pub struct ContentProfile {
    pub sampled: usize,
    counts: [usize; ContentKind::ALL.len()],
}

impl ContentProfile {
    pub fn of(values: &[String]) -> Self {
        let mut counts = [0; ContentKind::ALL.len()];
        for (count, kind) in counts.iter_mut().zip(ContentKind::ALL) {
            *count = values.iter().filter(|v| kind.matches(v)).count();
        }
        ContentProfile {
            sampled: values.len(),
            counts,
        }
    }

    pub fn count(&self, kind: ContentKind) -> usize {
        ContentKind::ALL
            .iter()
            .position(|k| *k == kind)
            .map_or(0, |i| self.counts[i])
    }

    pub fn share(&self, kind: ContentKind) -> f64 {
        if self.sampled == 0 {
            return 0.0;
        }
        self.count(kind) as f64 / self.sampled as f64
    }

    /// The first kind (in precedence order) that most sampled values match.
    pub fn decisive(&self) -> Option<ContentKind> {
        ContentKind::ALL
            .into_iter()
            .find(|k| self.sampled > 0 && self.share(*k) >= DECISIVE_SHARE)
    }

    /// "1,962 of 2,000 sampled cells are valid identity codes".
    pub fn describe(&self, kind: ContentKind) -> String {
        format!(
            "{} of {} sampled cells are {}",
            thousands(self.count(kind)),
            thousands(self.sampled),
            kind.describe()
        )
    }
}

/// `1962` → `1,962`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_column_of_identity_codes_is_decided_by_its_content() {
        let p = ContentProfile::of(&values(&[
            "131052-308T",
            "131052B308T",
            "131052-308A",
            "131052-308T",
            "131052-308T",
        ]));
        assert_eq!(p.count(ContentKind::IdentityCode), 4);
        assert_eq!(p.decisive(), Some(ContentKind::IdentityCode));
        assert_eq!(
            p.describe(ContentKind::IdentityCode),
            "4 of 5 sampled cells are valid identity codes"
        );
    }

    #[test]
    fn dates_and_booleans_are_evidence_but_decide_no_role() {
        let dates = ContentProfile::of(&values(&["1.3.2024", "2024-03-01", "31.12.2020"]));
        assert_eq!(dates.decisive(), Some(ContentKind::Date));
        assert_eq!(ContentKind::Date.role(), None);
        let flags = ContentProfile::of(&values(&["kyllä", "ei", "x", "K"]));
        assert_eq!(flags.decisive(), Some(ContentKind::Boolean));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1962), "1,962");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
