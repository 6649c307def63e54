//! Identity-code validation and search in text, against the DVV examples and edge cases.

use super::*;

/// Builds a fictional code with a computed control char.
fn code(ddmmyy: &str, sign: char, individual: u16) -> String {
    let n: u32 = ddmmyy.parse().unwrap();
    let q = control_char(n, individual) as char;
    format!("{ddmmyy}{sign}{individual:03}{q}")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn worked_examples() {
    assert_eq!(validate("131052-308T"), HetuStatus::Valid);
    assert_eq!(validate("131052B308T"), HetuStatus::Valid);
    assert_eq!(validate("131052X308T"), HetuStatus::Valid);
    assert_eq!(validate("010594Y9032"), HetuStatus::ValidTemporary);
    assert_eq!(validate("010190-999K"), HetuStatus::BadChecksum);
    assert_eq!(control_char(10190, 999), b'W');
    assert_eq!(validate("010190-999W"), HetuStatus::ValidTemporary);
}

#[test]
fn sign_is_kept_and_sets_century() {
    let a = IdentityCode::parse("131052-308T").unwrap();
    let b = IdentityCode::parse("131052B308T").unwrap();
    assert_ne!(a, b);
    assert_eq!(a.birth_date, date(1952, 10, 13));
    assert_eq!(b.birth_date, date(2052, 10, 13));
    assert_eq!(b.sign, b'B');
    assert_eq!(a.control, b'T');
    let plus = IdentityCode::parse(&code("131052", '+', 308)).unwrap();
    assert_eq!(plus.birth_date.year(), 1852);
}

#[test]
fn all_century_signs() {
    for (sign, year) in [
        ('+', 1899),
        ('-', 1999),
        ('Y', 1999),
        ('X', 1999),
        ('W', 1999),
        ('V', 1999),
        ('U', 1999),
        ('A', 2099),
        ('B', 2099),
        ('C', 2099),
        ('D', 2099),
        ('E', 2099),
        ('F', 2099),
    ] {
        let c = code("150699", sign, 123);
        let parsed = IdentityCode::parse(&c).unwrap_or_else(|e| panic!("{c}: {e:?}"));
        assert_eq!(parsed.birth_date, date(year, 6, 15), "{c}");
        assert_eq!(validate(&c), HetuStatus::Valid);
    }
    for bad in ['G', 'Z', 'T', '*', ' '] {
        assert_eq!(validate(&code("150699", bad, 123)), HetuStatus::BadFormat);
    }
}

#[test]
fn lower_case_accepted() {
    assert_eq!(validate("131052b308t"), HetuStatus::Valid);
    let lower = code("010203", 'e', 456).to_ascii_lowercase();
    let parsed = IdentityCode::parse(&lower).unwrap();
    assert_eq!(parsed.sign, b'E');
    assert!(parsed.control.is_ascii_digit() || parsed.control.is_ascii_uppercase());
}

#[test]
fn leap_day_depends_on_century() {
    assert_eq!(validate(&code("290200", 'A', 222)), HetuStatus::Valid); // 2000 leap
    assert_eq!(validate(&code("290200", '-', 222)), HetuStatus::BadDate); // 1900 not
    assert_eq!(validate(&code("290200", 'Y', 222)), HetuStatus::BadDate);
    assert_eq!(validate(&code("290200", '+', 222)), HetuStatus::BadDate); // 1800 not
    assert_eq!(validate(&code("290204", '-', 222)), HetuStatus::Valid); // 1904 leap
    assert_eq!(validate(&code("290201", 'A', 222)), HetuStatus::BadDate);
}

#[test]
fn impossible_dates() {
    assert_eq!(validate(&code("310480", '-', 222)), HetuStatus::BadDate);
    assert_eq!(validate(&code("011380", '-', 222)), HetuStatus::BadDate);
    assert_eq!(validate(&code("001080", '-', 222)), HetuStatus::BadDate);
    assert_eq!(validate(&code("010080", '-', 222)), HetuStatus::BadDate);
    assert_eq!(validate(&code("300480", '-', 222)), HetuStatus::Valid);
}

#[test]
fn individual_numbers() {
    assert_eq!(validate(&code("131052", '-', 0)), HetuStatus::BadIndividual);
    assert_eq!(validate(&code("131052", '-', 1)), HetuStatus::BadIndividual);
    assert_eq!(validate(&code("131052", '-', 2)), HetuStatus::Valid);
    assert_eq!(validate(&code("131052", '-', 899)), HetuStatus::Valid);
    for i in [900, 950, 999] {
        let c = code("131052", '-', i);
        assert_eq!(validate(&c), HetuStatus::ValidTemporary);
        assert!(IdentityCode::parse(&c).unwrap().is_temporary());
    }
    assert!(!IdentityCode::parse("131052-308T").unwrap().is_temporary());
}

#[test]
fn wrong_control_char() {
    assert_eq!(validate("131052-308U"), HetuStatus::BadChecksum);
    assert_eq!(validate("131052-308G"), HetuStatus::BadChecksum);
    assert_eq!(validate("131052-3080"), HetuStatus::BadChecksum);
    assert_eq!(
        IdentityCode::parse("131052-308U"),
        Err(HetuStatus::BadChecksum)
    );
}

#[test]
fn bad_format_and_trimming() {
    for s in [
        "",
        "131052-308",
        "131052-308TT",
        "13105-2308T",
        "131052 308T",
        "131052-30BT",
        "131052-308-",
        "1310524308T",
        "131052-308 T",
        "131052–308T", // en dash
    ] {
        assert_eq!(validate(s), HetuStatus::BadFormat, "{s:?}");
    }
    assert_eq!(validate("  131052-308T\t\n"), HetuStatus::Valid);
    assert!(looks_like_hetu(" 131052-308T "));
    assert!(looks_like_hetu("999999-000X")); // shape only
    assert!(!looks_like_hetu("131052-308"));
    assert!(!looks_like_hetu("1310521308T"));
}

#[test]
fn status_names() {
    assert!(HetuStatus::Valid.is_valid());
    assert!(HetuStatus::ValidTemporary.is_valid());
    assert!(!HetuStatus::BadChecksum.is_valid());
    assert_eq!(HetuStatus::ValidTemporary.as_str(), "valid_temporary");
    assert_eq!(HetuStatus::BadIndividual.as_str(), "bad_individual");
}

#[test]
fn sex_and_age() {
    let woman = IdentityCode::parse("131052-308T").unwrap();
    assert_eq!(woman.sex_as_registered(), Sex::Female);
    let man = IdentityCode::parse(&code("131052", '-', 309)).unwrap();
    assert_eq!(man.sex_as_registered(), Sex::Male);
    assert_eq!(woman.age_on(date(2024, 10, 12)), 71);
    assert_eq!(woman.age_on(date(2024, 10, 13)), 72);
    assert_eq!(woman.age_on(date(1952, 10, 13)), 0);
    let leap = IdentityCode::parse(&code("290200", 'A', 222)).unwrap();
    assert_eq!(leap.age_on(date(2018, 2, 28)), 17);
    assert_eq!(leap.age_on(date(2018, 3, 1)), 18);
    assert_eq!(leap.age_on(date(2020, 2, 29)), 20);
}

fn found(text: &str) -> Vec<(&str, HetuStatus)> {
    find_in_text(text)
        .map(|m| (&text[m.start..m.end], m.status))
        .collect()
}

#[test]
fn finds_code_in_finnish_text() {
    let text = "Asiakas antoi hetun 131052-308T puhelimessa";
    let m: Vec<_> = find_in_text(text).collect();
    assert_eq!(
        m,
        vec![TextMatch {
            start: 20,
            end: 31,
            status: HetuStatus::Valid
        }]
    );
    assert_eq!(
        found("Hetu: 131052b308t. Toinen (010594Y9032), kolmas 131052-308T!"),
        vec![
            ("131052b308t", HetuStatus::Valid),
            ("010594Y9032", HetuStatus::ValidTemporary),
            ("131052-308T", HetuStatus::Valid),
        ]
    );
    assert_eq!(
        found("131052-308T"),
        vec![("131052-308T", HetuStatus::Valid)]
    );
}

#[test]
fn respects_word_boundaries() {
    for text in [
        "ABC131052-308TX",
        "x131052-308T",
        "131052-308Tx",
        "ä131052-308T",
        "131052-308Tö",
        "tilinumero 1131052-308T",
        "99131052-308T",
        "131052-3081234",
        "131052-308",
        "13105-308T",
        "puhelin 0401234567 ja 123456",
    ] {
        assert!(found(text).is_empty(), "{text:?}");
    }
    assert_eq!(found("(131052-308T)").len(), 1);
    assert_eq!(found("ä 131052-308T, ö").len(), 1);
}

#[test]
fn reports_near_misses_with_status() {
    assert_eq!(
        found("väärä tunnus 010190-999K ja 290200-2225"),
        vec![
            ("010190-999K", HetuStatus::BadChecksum),
            ("290200-2225", HetuStatus::BadDate),
        ]
    );
    let zero = code("131052", '-', 0);
    assert_eq!(
        found(&zero),
        vec![(zero.as_str(), HetuStatus::BadIndividual)]
    );
}
