//! Property tests of the validators through the library API: every generated
//! valid identity code validates, every other control character fails, and
//! dates that do not exist in the sign's century fail.

use chrono::{Datelike, NaiveDate};
// Also includes the 29-31 edge days: with day and month drawn from 0-99 most draws
// are impossible dates (month 13+, day 32+), and leap days appear among them.
use proptest::prelude::*;
use regaudit::detect::{business_id, hetu};

const CONTROL: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

fn sign_for(year: i32, pick: usize) -> u8 {
    let signs: &[u8] = match year {
        1800..=1899 => b"+",
        1900..=1999 => b"-YXWVU",
        _ => b"ABCDEF",
    };
    signs[pick % signs.len()]
}

fn code(date: NaiveDate, sign: u8, individual: u16) -> String {
    let ddmmyy = format!(
        "{:02}{:02}{:02}",
        date.day(),
        date.month(),
        date.year() % 100
    );
    let control = hetu::control_char(ddmmyy.parse().unwrap(), individual) as char;
    format!("{ddmmyy}{}{individual:03}{control}", sign as char)
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(300 * 366))
        .prop_map(|d| NaiveDate::from_ymd_opt(1800, 1, 1).unwrap() + chrono::Duration::days(d))
        .prop_filter("within 1800–2099", |d| d.year() <= 2099)
}

proptest! {
    #[test]
    fn generated_codes_validate(date in any_date(), pick in 0usize..6, individual in 2u16..1000) {
        let c = code(date, sign_for(date.year(), pick), individual);
        let status = hetu::validate(&c);
        prop_assert!(status.is_valid(), "{c}: {status:?}");
        prop_assert_eq!(status == hetu::HetuStatus::ValidTemporary, individual >= 900);
        let parsed = hetu::IdentityCode::parse(&c).unwrap();
        prop_assert_eq!(parsed.birth_date, date);
        // Lower case is accepted too.
        prop_assert!(hetu::validate(&c.to_lowercase()).is_valid());
    }

    #[test]
    fn every_other_control_character_fails(date in any_date(), pick in 0usize..6, individual in 2u16..1000, other in 0usize..31) {
        let c = code(date, sign_for(date.year(), pick), individual);
        let wrong = CONTROL[other];
        prop_assume!(wrong != *c.as_bytes().last().unwrap());
        let bad = format!("{}{}", &c[..10], wrong as char);
        prop_assert_eq!(hetu::validate(&bad), hetu::HetuStatus::BadChecksum, "{}", bad);
    }

    #[test]
    fn dates_missing_from_the_signs_century_fail(day in 0u32..100, month in 0u32..100, yy in 0u32..100, sign_pick in 0usize..13, individual in 2u16..900) {
        let signs = b"+-YXWVUABCDEF";
        let sign = signs[sign_pick];
        let century = match sign { b'+' => 1800, b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900, _ => 2000 };
        let year = century + yy as i32;
        prop_assume!(NaiveDate::from_ymd_opt(year, month, day).is_none());
        let ddmmyy = day * 10_000 + month * 100 + yy;
        let control = hetu::control_char(ddmmyy, individual) as char;
        let c = format!("{ddmmyy:06}{}{individual:03}{control}", sign as char);
        prop_assert_eq!(hetu::validate(&c), hetu::HetuStatus::BadDate, "{}", c);
    }

    #[test]
    fn business_ids_with_their_check_digit_validate(digits in 0u32..10_000_000) {
        let seven = format!("{digits:07}");
        match business_id::check_digit(&seven) {
            Some(check) => {
                let id = format!("{seven}-{check}");
                prop_assert_eq!(business_id::validate(&id), business_id::BusinessIdStatus::Valid);
                let wrong = format!("{seven}-{}", (check + 1) % 10);
                prop_assert_ne!(business_id::validate(&wrong), business_id::BusinessIdStatus::Valid);
            }
            None => {
                // Remainder 1: never issued, whatever the check digit.
                for check in 0..10 {
                    let id = format!("{seven}-{check}");
                    prop_assert_ne!(business_id::validate(&id), business_id::BusinessIdStatus::Valid);
                }
            }
        }
    }

    #[test]
    fn validators_and_scanners_never_panic(s in "\\PC{0,40}") {
        let _ = hetu::validate(&s);
        let _ = hetu::find_in_text(&s).count();
        let _ = business_id::validate(&s);
        let _ = regaudit::detect::email::is_valid(&s);
        let _ = regaudit::detect::phone::normalize(&s);
        let _ = regaudit::detect::iban::is_valid(&s);
        let _ = regaudit::values::parse_date(&s);
        let _ = regaudit::mask::mask_embedded(&s);
    }
}

proptest! {
    /// Header understanding answers any header (any script, any decoration)
    /// without a panic.
    #[test]
    fn any_header_is_understood_or_left_alone(header in "\\PC{0,40}", suffix in prop::sample::select(vec!["", "__c", "__C", " 2", "__x__c"])) {
        let header = format!("{header}{suffix}");
        let _ = regaudit::columns::vocabulary().match_header(&header);
        let _ = regaudit::text::value_key(&header);
    }
}
