//! Column roles: what a column means to the rules. The names are the public
//! vocabulary of `regaudit.toml` mappings and `--column`; strum derives them.
//! What a role holds and how it is read is data (`vocabulary.rs`).

use strum::{EnumCount, EnumString, IntoStaticStr, VariantArray};

/// What a column means to the rules.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
    EnumCount,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Key,
    IdentityCode,
    BirthDate,
    Name,
    Email,
    Phone,
    Address,
    Postcode,
    City,
    ResidenceCountry,
    BusinessId,
    Organisation,
    Iban,
    IpAddress,
    Url,
    Gender,
    Language,
    CustomerType,
    LegalBasis,
    Consent,
    SmsConsent,
    ConsentDate,
    ConsentSource,
    GuardianConsent,
    MarketingBan,
    MarketingBanDate,
    ProtectedAddress,
    Created,
    LastService,
    LastPurchase,
    RelationshipEnd,
    ErasureRequested,
    ErasureExtended,
    ProcessingCountry,
    StorageCountry,
    RecipientCountry,
    Notes,
    Health,
    Other,
}

impl Role {
    /// Every role, in declaration order (`role as usize` indexes it).
    pub const ALL: &'static [Role] = Role::VARIANTS;

    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<Role> {
        name.parse().ok()
    }

    /// Roles of cells that hold a person's own words, where identity codes and
    /// health data end up by accident.
    pub const FREE_TEXT: [Role; 3] = [Role::Notes, Role::Health, Role::Other];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_snake_case() {
        assert_eq!(Role::COUNT, Role::ALL.len());
        assert_eq!(Role::IpAddress.name(), "ip_address");
        assert_eq!(
            Role::from_name("marketing_ban_date"),
            Some(Role::MarketingBanDate)
        );
        assert_eq!(Role::from_name("Key"), None);
        for (i, role) in Role::ALL.iter().enumerate() {
            assert_eq!(*role as usize, i);
            assert_eq!(Role::from_name(role.name()), Some(*role));
        }
    }
}
