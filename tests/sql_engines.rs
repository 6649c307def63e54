//! The differential test of `regaudit plan`: the same registers — an edge-case
//! pack, a generated register and a nested JSON export — through the local engine (`scan`), DuckDB
//! and Spark in local mode must give identical canonical findings (rule,
//! severity, register, file, record, column, evidence, message), for several
//! thread/partition counts and shuffled input; DuckDB and Spark must also
//! agree on every fingerprint.
//!
//! The engines are Python packages (`duckdb`, `pyspark`); the interpreter is
//! `$REGAUDIT_SQL_PYTHON` (default `python3`). Without them the test skips
//! with a notice, unless `REGAUDIT_REQUIRE_SQL_ENGINES=1` (CI), where a
//! missing engine fails it.

mod common;

use common::{regaudit, AS_OF, TEST_KEY};
use regaudit::detect::hetu::control_char;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Canonical = Vec<[String; 8]>;

/// The rules that compile to SQL, which the pack runs.
const COMPILED: &str = "ID,CAT,TRF,LB,RET,MKT,ACC,ORG,COV";
/// The same for the generated register, which has no custom rules.
const COMPILED_BUILTIN: &str = "ID,CAT,TRF,LB,RET,MKT,ACC,COV";
/// Each of them, which the edge pack must make findings of.
const COMPILED_RULES: &[&str] = &[
    "ID001", "ID002", "ID003", "CAT001", "CAT002", "TRF001", "LB001", "LB002", "LB003", "LB004",
    "RET001", "RET002", "MKT001", "MKT002", "ORG001", "ORG002", "ORG003", "ORG004", "COV001",
    "ACC001", "ORG005", "ORG006",
];

/// The edge pack's custom rules (the config's rules folder), one of each
/// kind that compiles: an identity-code pattern, a forbidden column, a
/// required one and a date older than a period.
const CUSTOM_RULES: &[(&str, &str)] = &[
    (
        "ORG001",
        "kind = \"pattern\"\npattern = \"[0-9]{6}[-+A-Fa-fU-Yu-y][0-9]{3}[0-9A-Za-z]\"\n\
         validator = \"identity_code\"\nroles = [\"notes\"]\nmessage = \"identity code pattern in notes\"",
    ),
    (
        "ORG002",
        "kind = \"forbidden_column\"\nroles = [\"birth_date\"]",
    ),
    (
        "ORG003",
        "kind = \"required\"\ncolumns = [\"suostumus\"]\nmessage = \"consent flag missing\"",
    ),
    (
        "ORG004",
        "kind = \"date_older_than\"\nroles = [\"created\", \"last_service\"]\nperiod = \"3 years\"",
    ),
    // Pattern rules whose matches are masked by their shape: no validator
    // (not over the notes, whose codes glued to a digit are no codes to the
    // mask either), and a validator in SQL (the e-mail and business-id ones
    // are ACC001's checks; each rule costs Spark and Sail a query per register).
    (
        "ORG005",
        "kind = \"pattern\"\npattern = '[0-9A-Za-z\\.\\+\\-@_]{6,}'\nroles = [\"postcode\"]",
    ),
    (
        "ORG006",
        "kind = \"pattern\"\npattern = \"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11,30}\"\nvalidator = \"iban\"\n\
         roles = [\"notes\", \"iban\"]",
    ),
];

fn write_custom_rules(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (id, check) in CUSTOM_RULES {
        std::fs::write(
            dir.join(format!("{id}.toml")),
            format!(
                "id = \"{id}\"\nname = \"custom-{id}\"\nseverity = \"medium\"\nlegal = [\"Internal policy 1.2\"]\n\
                 summary = \"A custom check.\"\n[doc]\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\n[check]\n{check}\n"
            ),
        )
        .unwrap();
    }
}

fn python() -> String {
    std::env::var("REGAUDIT_SQL_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// The interpreter with Sail (`pysail`) and the Spark Connect client that
/// talks to it (`pyspark-client` 4.0.1: pyspark 4.3's client gets `session
/// … is not running` from Sail 0.7.2), kept apart from pyspark 4.3.
fn sail_python() -> String {
    std::env::var("REGAUDIT_SAIL_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Whether the engine's package imports; a missing one fails under CI's flag.
fn engine_ready(module: &str) -> bool {
    engine_ready_in(&python(), module)
}

fn engine_ready_in(python: &str, module: &str) -> bool {
    let ok = Command::new(python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let message = format!(
            "SQL engine `{module}` is not importable by {python} (pip install {module}; .ci/sql-engines.sh)"
        );
        if std::env::var("REGAUDIT_REQUIRE_SQL_ENGINES").is_ok_and(|v| v == "1") {
            panic!("{message}");
        }
        eprintln!("SKIPPED: {message}");
    }
    ok
}

/// A valid code for `ddmmyy`, sign and individual number.
fn code(ddmmyy: &str, sign: char, individual: u16) -> String {
    let control = control_char(ddmmyy.parse().unwrap(), individual) as char;
    format!("{ddmmyy}{sign}{individual:03}{control}")
}

/// The edge-case pack: every century sign, 29 February in and out of leap
/// years, individual numbers 000/001/002/899/900/999, codes glued to
/// punctuation and to letters such as `ä`, keys that are personal themselves.
fn edge_rows() -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut n = 0;
    let mut key = || {
        n += 1;
        format!("E{n:04}")
    };
    for sign in "+-YXWVUABCDEF".chars() {
        rows.push([key(), code("010190", sign, 123), String::new()]);
        rows.push([
            key(),
            code("311299", sign.to_ascii_lowercase(), 124).to_lowercase(),
            String::new(),
        ]);
    }
    for (date, sign) in [
        ("290200", 'A'),
        ("290100", '-'),
        ("290200", '+'),
        ("290204", 'B'),
        ("290203", 'C'),
        ("290296", 'Y'),
        ("290297", '-'),
        ("310490", '-'),
        ("300490", 'X'),
        ("000190", '-'),
        ("011390", '-'),
        ("290288", '+'),
        ("290200", '-'),
    ] {
        rows.push([key(), code(date, sign, 234), String::new()]);
    }
    for individual in [0, 1, 2, 899, 900, 999] {
        rows.push([key(), code("131052", '-', individual), String::new()]);
    }
    let v = code("131052", '-', 308);
    let w = code("150385", 'A', 402);
    let temp = code("020202", 'B', 950);
    let bad = format!("{}{}", &v[..10], if v.ends_with('A') { 'B' } else { 'A' });
    for hetu in [
        "12345",
        "abc def",
        "131052 308T",
        "131052-308TT",
        &bad,
        "  131052-308T ",
        "ÄÄÄ",
    ] {
        rows.push([key(), hetu.to_string(), String::new()]);
    }
    let notes = [
        format!("({v})"),
        format!("{v}."),
        format!("hetu:{v},"),
        format!("ä{v}"),
        format!("{v}ä"),
        format!("{v} {w}"),
        format!("{v}-{w}"),
        format!("1{v}"),
        format!("{v}1"),
        format!("x {bad} y"),
        format!("\u{a0}{v}\u{a0}"),
        v.to_lowercase(),
        format!("{v}\n{w}"),
        format!("日本{v}"),
        format!("١{v}"),
        format!("{v}\u{301}"),
        format!("{v}_x"),
        format!("väliaikainen {temp}"),
        format!("{v},{v},{v}"),
        format!("Soita 040 123 4567 tai {w}!"),
        v[..10].to_string(),
        "ei tunnuksia 123456-".to_string(),
    ];
    for note in notes {
        rows.push([key(), String::new(), note]);
    }
    for note in HEALTH_NOTES {
        rows.push([key(), String::new(), note.to_string()]);
    }
    // Keys that are personal themselves, and a row without a key.
    rows.push([v.clone(), String::new(), format!("oma {w}")]);
    rows.push(["maija@example.fi".into(), String::new(), w.clone()]);
    rows.push(["040 123 4567".into(), String::new(), w.clone()]);
    rows.push([String::new(), w.clone(), v.clone()]);
    // Records on two rows: the later row's consent, company and ban columns
    // (cycled differently) make the record's marketing profile.
    for key in ["E0001", "E0002", "E0005", "E0007", "E0010", "E0011"] {
        rows.push([key.into(), String::new(), String::new()]);
    }
    // Transfer countries: codes in any case, names, and values that are neither.
    let countries = [
        "US",
        "us",
        "Yhdysvallat",
        "Kanada",
        "CN",
        "Kiina",
        "Suomi",
        "FI",
        "XX",
        "U.S.A.",
        "Intia",
        " in ",
        "Japani",
        "brasilia",
        "Sveitsi",
        "GB",
        "Venäjä",
        "RU",
        "",
    ];
    // Legal bases: synonyms in any case, several in one cell, empty parts, unknown words.
    let bases = [
        "sopimus",
        "Suostumus",
        "sopimus; suostumus",
        "markkinointi",
        "",
        "6(1)(f)",
        "Art. 6(1)(a)",
        " / sopimus",
        "LUPA+avtal",
        "oikeutettu etu",
        "Lakisääteinen velvoite",
        "sopimus,, ",
        "SOPIMUS / ??",
        "elintärkeä etu",
        "x",
    ];
    let mut extra: Vec<&[&str]> = vec![&countries, &bases];
    extra.extend(EXTRA_COLUMNS.iter().map(|(_, _, values)| *values));
    rows.into_iter()
        .enumerate()
        .map(|(n, row)| {
            let mut row = row.to_vec();
            // Lists of different lengths cycle into different combinations.
            row.extend(
                extra
                    .iter()
                    .map(|values| values[n % values.len()].to_string()),
            );
            row
        })
        .collect()
}

/// Free texts for CAT002's lexicon: terms at the start, the end and between
/// punctuation; decoys that hide the rest of their word, chains of decoys
/// where one ends on the edge the next starts on, terms right after a decoy;
/// letters whose case folds unusually (`ſ`, the Kelvin sign), `ä` next to a
/// term, white space that is not ASCII, and texts with no health term at all.
const HEALTH_NOTES: &[&str] = &[
    "Asiakas on diabeetikko.",
    "DIABETES",
    "ALLERGINEN pähkinälle",
    "hiv-positiivinen",
    "Ruoka-aineallergia",
    "Polvileikkaus tulossa",
    "Olkapää kipu vaivaa",
    "Recovering from knee surgery",
    "Colleague on sick leave",
    "ſick leave",
    "Hiusten leikkaus + värjäys",
    "Sairaan hyvä palvelu",
    "Allergiaystävällinen tyyny 2 kpl",
    "Sairaalakatu diabeetikko",
    "Sairaalakatu Kuntoutujantie astma",
    "Sjukhusvägen 12, diabetiker",
    "MS Teams; har MS",
    "MS Teams",
    "Lääkärikeskus Aava Oy: astma",
    "Astmaliitto",
    "koiran allergia",
    "Sick of waiting, sick",
    "is a doctor, doctor",
    "äastma",
    "astmaä",
    "\u{a0}astma\u{a0}",
    "toipuu selkäleikkauksesta",
    "Virus asiakkaan läppärissä",
    "Toivoo iltapäiväaikoja",
];

/// The columns of the pack after the identity-code, notes, country and
/// legal-basis columns: header, role, and the values cycled down the rows.
/// `AS_OF` is 2026-11-22.
const EXTRA_COLUMNS: &[(&str, &str, &[&str])] = &[
    (
        "terveystiedot",
        "health",
        &[
            "",
            "Diabetes, tyyppi 1",
            "",
            "",
            "",
            "astma\u{a0}",
            "",
            "ei",
        ],
    ),
    (
        "viimeisin käynti",
        "last_service",
        &[
            "2024-11-22", // + 24 months = AS_OF: not overdue
            "2024-11-21", // one day overdue
            "2024-02-29", // + 24 months = 2026-02-28 (month end clamped)
            "2024-01-31",
            "2023-12-31",
            "31.1.2025", // + 13 months = 2026-02-28, + 45 days
            "2025-01-31T12:30",
            "1.3.2024 klo 12.30",
            "2024-02-30",
            "",
            "ei tiedossa",
            "2024-13-01",
            "2025-10-22",
            "29.2.2023",
            "2024-11-22 24:00",
            "2000-02-29",
            "0000-02-29",
            "2025-09-08", // + 13 months + 45 days = AS_OF
            "2025-09-07",
        ],
    ),
    (
        "luotu",
        "created",
        &[
            "2020-01-01",
            "",
            "2025-09-08",
            "2025-09-07",
            "huono",
            "31.12.2023",
            "2026-11-22",
        ],
    ),
    (
        "poistopyyntö",
        "erasure_requested",
        &[
            "2026-10-22", // + 1 month = AS_OF
            "2026-10-21",
            "2026-08-22", // + 3 months = AS_OF
            "2026-08-21",
            "2026-08-31",
            "2026-01-31", // + 1 month = 2026-02-28
            "2024-01-31", // + 1 month = 2024-02-29
            "",
            "huomenna",
            "2026-11-25",
            "1.10.2026",
        ],
    ),
    (
        "jatkoaika",
        "erasure_extended",
        &["kyllä", "", "EI", "X", "yes.", "ehkä"],
    ),
    // Consent flags in any case and language, consent dates, evidence, guardians
    // and birth dates (a child's age comes from the identity code first).
    (
        "suostumus",
        "consent",
        &[
            "kyllä", "", "EI", "TRUE", "x", "Yes.", "0", "on", "ehkä", "KYLLÄ", "ja",
        ],
    ),
    (
        "suostumus annettu",
        "consent_date",
        &[
            "2020-05-01",
            "",
            "1.1.2010",
            "2015-03-01",
            "huono",
            "2026-01-01",
            "2012-02-29",
            "2009-02-28",
        ],
    ),
    ("suostumuksen lähde", "consent_source", &["", "", "lomake"]),
    (
        "huoltajan suostumus",
        "guardian_consent",
        &["", "", "", "kyllä", "ei"],
    ),
    (
        "syntymäaika",
        "birth_date",
        &[
            "2005-06-01",
            "",
            "1.3.2010",
            "2012-02-29",
            "huono",
            "2009-03-01",
        ],
    ),
    // The marketing profile: opt-ins, company words, purchases, bans in the record's columns.
    ("tekstiviestilupa", "sms_consent", &["", "kyllä", "ei", "X"]),
    (
        "asiakastyyppi",
        "customer_type",
        &[
            "yksityinen",
            "",
            "Yritysasiakas",
            "B2B-kumppani",
            "company ltd",
        ],
    ),
    ("viimeisin osto", "last_purchase", &["", "2025-01-01", ""]),
    (
        "markkinointikielto",
        "marketing_ban",
        &["", "", "ei", "kyllä", "", "x", ""],
    ),
    (
        "kielto pvm",
        "marketing_ban_date",
        &[
            "",
            "",
            "",
            "2026-01-01 12:00",
            "huono",
            "",
            "",
            "1.6.2026",
            "",
        ],
    ),
    // ACC001: every branch of each check, and values that run every branch
    // of the masks (a code, an e-mail address, a phone number, and text with
    // codes, addresses and long digit runs inside it).
    ("sähköposti", "email", ACC_EMAILS),
    ("postinumero", "postcode", ACC_POSTCODES),
    ("y-tunnus", "business_id", ACC_BUSINESS_IDS),
    ("tilinumero", "iban", ACC_IBANS),
];

/// E-mail addresses, valid and not, of odd shapes (`@` only, two `@`s, an
/// empty local part, `ä`, punycode, a 65-character local part, a label of 64
/// bytes but 32 characters).
const ACC_EMAILS: &[&str] = &[
    "maija@example.fi",
    "plain",
    "testi@pörssi.example",
    "@example.fi",
    "matti@",
    "user@xn--exmple-cua.xn--p1ai",
    "matti@localhost",
    "a@b@example.fi",
    "o'brien@example.org",
    "matti meikäläinen@example.fi",
    "mätti@example.fi",
    ".matti@example.fi",
    "ma..tti@example.fi",
    "matti@-example.fi",
    "matti@example..fi",
    "matti@example.f",
    "matti@example.123",
    "matti(at)example.fi",
    "matti@example.1äää",
    "MAIJA@EXAMPLE",
    "",
    "a@b.xn--",
    "@",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.fi",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.fi",
    "x@ääääääääääääääääääääääääääääääää.fi",
    "x@äääääääääääääääääääääääääääääää.fi",
    "a{b}|c~d@e.fi",
    "matti@example.fi.",
    "Maija Mallikas",
    "m@b.ⅻⅻ",
];

/// Postcodes, and text in a postcode column that each mask branch reads.
const ACC_POSTCODES: &[&str] = &[
    "00100",
    "0010",
    "001000",
    "00 100",
    "FI-00100",
    "٠٠١٠٠",
    "33100",
    "131052-308T",
    "maija@example.fi",
    "040 123 4567",
    "+358 40 123 4567",
    "soita 0401234567 tai maija@example.fi",
    "hetu 131052-308T, puh 040 1234 567",
    "tunnukset 131052-308T 150385A402X",
    "x 131052-308A y",
    "ä250883-123A",
    "1234567 131052-308T",
    "posti päivi@example.fi",
    "posti: a.131052-308T@ex.fi kiitos",
    "131052-308T@ex.fi on",
    "x@bä.fi_c@d.fi ja",
    "x@bä.f_c@d.fi ja",
    "a@b.fi c@d.fi",
    "foo@bar@baz.fi x",
    "tel. 12 345 678 90, 123456",
    "...maija@example.fi.",
    "y-tunnus 1234567-8",
    "<liisa+x@pörssi.fi>,",
    "x@1234567.fi ok",
    "rivi\n0401234567",
    "maija@example.fi@",
    "2096006-8 ja FI20960068",
    "FI2112345600000785 tili",
    "00100 Helsinki",
];

/// Business ids: check digits 0, 1, right and wrong, a body that is never
/// issued, the VAT and old forms, spaces, and malformed ones.
const ACC_BUSINESS_IDS: &[&str] = &[
    "2096006-8",
    "2096006-7",
    "1000002-0",
    "1000002-1",
    "1000007-1",
    "1000007-2",
    "0000006-0",
    "FI20960068",
    "fi 2096 0068",
    "FI2096006-8",
    "123456-2",
    "0123456-2",
    " 209 6006 - 8",
    "1234567",
    "12345678",
    "1234567--8",
    "SE12345678",
    "1234567_8",
    "FI",
    "131052-308T",
    "0401234567",
    "2096006\t-8",
    "Y 2096006-8 ja 040 1234567",
];

/// IBANs of Finland and other countries: right and wrong check digits,
/// lower case and spaces, the wrong length or structure for the country, an
/// unknown country, check digits 00 and 99.
const ACC_IBANS: &[&str] = &[
    "FI2112345600000785",
    "FI21 1234 5600 0007 85",
    "fi2112345600000785",
    "FI2112345600000786",
    "FI1221345600000785",
    "FI211234560000078",
    "FI211234560000078A",
    "FI9479999900012345",
    "DE89 3704 0044 0532 0130 00",
    "DE89370400440532013001",
    "DE5137040044053201300",
    "SE4550000000058398257466",
    "no9386011117947",
    "GB82WEST12345698765432",
    "GB82 west 1234 5698 7654 32",
    "GB531234WEST5698765432",
    "FR7630006000011234567890189",
    "IT60X0542811101000000123456",
    "MT84MALT011000012345MTLCAST001S",
    "BR1800360305000010009795493C1",
    "LC55HEMM000100010012001200023015",
    "SC18SSCB11010000000000001497USD",
    "EE58382200221020145685",
    "XX4212345678901234",
    "FI0012345600000785",
    "FI9912345600000785",
    "FI21-1234-5600-0007-85",
    "DE89370400440532013ß0",
    "tili FI21 1234",
];

/// The event log: channels as synonyms in any case (and `all` and unknown
/// words, which are rejected), times in every form the local parser reads,
/// dates that are none, events of records the register does not have, and
/// events exactly at a ban's start and at its lifting.
fn edge_events(keys: &[String]) -> Vec<Vec<String>> {
    let channels = [
        "email",
        "SMS",
        "Sähköposti",
        "posti",
        "tekstiviesti",
        "puhelin",
        "push",
        "kaikki",
        "faksi",
        "E-mail",
        "",
    ];
    let sent = [
        "2026-01-01",
        "2026-03-01 12:00",
        "1.6.2026 klo 8.00",
        "2026-06-01T00:00:00",
        "huono",
        "",
        "2026-02-30",
        "2025-12-31T23:59:59Z",
        "2026-01-01T12:00",
        "1.3.2026 12.00",
    ];
    let mut rows = Vec::new();
    for (n, key) in keys.iter().enumerate() {
        for k in 0..2 {
            let i = n * 2 + k;
            rows.push(vec![
                key.clone(),
                channels[i % channels.len()].to_string(),
                sent[(i / 3) % sent.len()].to_string(),
            ]);
        }
    }
    for (key, channel, at) in [
        ("E9999", "email", "2026-03-01"),
        ("", "email", "2026-03-01"),
        // E0003 and E0009 have no other ban: at the ban's start (banned), a
        // second before it, at its lifting (free) and a minute before that.
        ("E0003", "email", "2026-03-01 12:00"),
        ("E0003", "email", "1.3.2026 klo 11.59"),
        ("E0009", "email", "2026-06-01 00:00:00"),
        ("E0009", "sms", "2026-05-31T23:59"),
    ] {
        rows.push(vec![key.into(), channel.into(), at.into()]);
    }
    rows
}

/// The ban log: bans on one channel or all, in force from a time, some
/// lifted (at a time or unparseably), several per record so that the first
/// one in force is the one named.
fn edge_bans(keys: &[String]) -> Vec<Vec<String>> {
    let channels = ["all", "email", "sms", "Kaikki kanavat", "posti", "E-MAIL"];
    let since = ["2026-01-01", "2026-03-01 12:00", "2026-06-01", "huono", ""];
    let until = [
        "",
        "2026-06-01",
        "2026-03-01 12:00",
        "",
        "bad",
        "2027-01-01",
    ];
    let mut rows = Vec::new();
    for (n, key) in keys.iter().enumerate().filter(|(n, _)| n % 3 != 2) {
        for k in 0..1 + n % 3 {
            let i = n + k * 7;
            rows.push(vec![
                key.clone(),
                channels[i % channels.len()].to_string(),
                since[i % since.len()].to_string(),
                until[(i / 2) % until.len()].to_string(),
            ]);
        }
    }
    rows.push(vec![
        "E0003".into(),
        "email".into(),
        "2026-03-01 12:00".into(),
        String::new(),
    ]);
    rows.push(vec![
        "E0009".into(),
        "all".into(),
        "2026-01-01".into(),
        "2026-06-01".into(),
    ]);
    rows
}

fn write_log(path: &Path, header: &[&str], rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    let mut header = vec![
        "asiakasnro",
        "henkilötunnus",
        "lisätiedot",
        "käsittelymaa",
        "oikeusperuste",
    ];
    header.extend(EXTRA_COLUMNS.iter().map(|(name, _, _)| *name));
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

/// A deterministic shuffle (no RNG crate needed).
fn shuffled<T: Clone>(rows: &[T]) -> Vec<T> {
    let mut out: Vec<(u64, T)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                (i as u64 + 1)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(17),
                r.clone(),
            )
        })
        .collect();
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Three registers over the same rows: one whose notice excludes identity
/// codes (ID001), one that declares them (ID002, ID003); their notices'
/// transfer policies and retention differ too (TRF001, RET001). The third
/// keeps records 13 months and 45 days from the last service or, without
/// one, from creation.
fn edge_config(dir: &Path, data: &str, logs: &str) -> PathBuf {
    for name in ["harmonia", "heltti"] {
        std::fs::copy(
            common::fixture(name).join("notice.toml"),
            dir.join(format!("{name}.toml")),
        )
        .unwrap();
    }
    let harmonia = std::fs::read_to_string(dir.join("harmonia.toml")).unwrap();
    let retained = harmonia
        .replace(
            "from = \"last_service\"",
            "from = [\"last_service\", \"created\"]",
        )
        .replace(
            "period = \"24 months\"",
            "period = \"13 months\"\ngrace = \"45 days\"",
        )
        .replace(
            "[marketing]\n",
            "[marketing]\nexisting_customer_exception = true\n",
        );
    assert_ne!(
        retained, harmonia,
        "the harmonia notice's retention changed"
    );
    std::fs::write(dir.join("retained.toml"), retained).unwrap();
    let mut columns = String::from(
        r#""henkilötunnus" = "identity_code", "lisätiedot" = "notes", "käsittelymaa" = "processing_country", "oikeusperuste" = "legal_basis""#,
    );
    for (name, role, _) in EXTRA_COLUMNS {
        columns.push_str(&format!(", \"{name}\" = \"{role}\""));
    }
    write_custom_rules(&dir.join("rules"));
    let mut config = String::from("[scan]\nrules = \"rules\"\n\n");
    for (register, notice) in [
        ("excluded", "harmonia"),
        ("declared", "heltti"),
        ("retained", "retained"),
    ] {
        config.push_str(&format!(
            "[registers.{register}]\nnotice = \"{notice}.toml\"\ndata = \"{data}\"\nkey = \"asiakasnro\"\n\
             events = \"events{logs}.csv\"\nbans = \"bans{logs}.csv\"\ncolumns = {{ {columns} }}\n\n"
        ));
    }
    let path = dir.join(format!("{data}.toml"));
    std::fs::write(&path, config).unwrap();
    path
}

fn canonical(report: &Value) -> Canonical {
    let text = |f: &Value, k: &str| f[k].as_str().unwrap_or("").to_string();
    let mut out: Canonical = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            [
                text(f, "rule"),
                text(f, "severity"),
                text(f, "register"),
                text(f, "file"),
                text(f, "record"),
                text(f, "column"),
                text(f, "evidence"),
                text(f, "message"),
            ]
        })
        .collect();
    out.sort();
    out
}

fn json_of(output: std::process::Output, what: &str) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{what}: {e}\n{stdout}"))
}

fn local(dir: &Path, config: &Path, select: &str) -> Value {
    let output = regaudit()
        .current_dir(dir)
        .args(["scan", "--config"])
        .arg(config)
        .args(["--as-of", AS_OF, "--select", select, "--format", "json"])
        .output()
        .unwrap();
    json_of(output, "scan")
}

/// Rows read per input file of a report.
fn rows_read(report: &Value) -> BTreeMap<String, u64> {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().to_string(),
                i["rows_read"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Plans `config` for `engine` into `plan-NAME`; returns the plan's folder.
fn plan(dir: &Path, config: &Path, select: &str, engine: &str, name: &str) -> PathBuf {
    let out = dir.join(format!("plan-{name}"));
    regaudit()
        .current_dir(dir)
        .args(["plan", "--engine", engine, "--out-dir"])
        .arg(&out)
        .arg("--config")
        .arg(config)
        .args(["--as-of", AS_OF, "--select", select])
        .assert()
        .success();
    out
}

/// Reads an engine's findings table back into the JSON report.
fn report(dir: &Path, findings: &Path, plan: &Path) -> Value {
    if findings.extension().is_some_and(|x| x == "csv") {
        // The engine's table holds masked evidence and hashes, never a raw code.
        let table = std::fs::read_to_string(findings).unwrap();
        for raw in [code("131052", '-', 308), code("150385", 'A', 402)] {
            assert!(!table.contains(&raw), "the engine wrote {raw}");
        }
        assert!(table.lines().count() > 10, "the table has findings");
    }
    let output = regaudit()
        .current_dir(dir)
        .args(["report", "--findings"])
        .arg(findings)
        .arg("--manifest")
        .arg(plan.join("manifest.json"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    json_of(output, "report")
}

/// One run of a plan: its folder, where the table goes, and the thread
/// (DuckDB) or partition (Spark) count.
struct Job {
    config: usize,
    label: &'static str,
    plan: PathBuf,
    findings: PathBuf,
    parallelism: u32,
}

fn run_duckdb(dir: &Path, job: &Job) {
    let run = Command::new(python())
        .current_dir(dir)
        .arg(job.plan.join("run_duckdb.py"))
        .arg("--findings")
        .arg(&job.findings)
        .args(["--threads", &job.parallelism.to_string()])
        .env("REGAUDIT_FINGERPRINT_KEY", TEST_KEY)
        // DuckDB's default time zone is the process's: the plan sets UTC.
        .env(
            "TZ",
            if job.label.contains("-tz") {
                FAR_TIME_ZONE
            } else {
                "UTC"
            },
        )
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "duckdb runner failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Every Spark job in one session (one JVM, or one Spark Connect server):
/// a session takes half a minute to start on a small machine.
fn run_spark(dir: &Path, jobs: &[Job], remote: Option<&str>) {
    let spec = serde_json::json!({
        "remote": remote,
        "jobs": jobs.iter().map(|j| serde_json::json!({
            "plan": j.plan,
            "findings": j.findings,
            "format": if j.label.contains("csv") { "csv" } else { "parquet" },
            "partitions": j.parallelism,
            "ansi": !j.label.contains("ansi-off"),
            "time_zone": j.label.contains("-tz").then_some(FAR_TIME_ZONE),
        })).collect::<Vec<_>>(),
    });
    let path = dir.join("spark-jobs.json");
    std::fs::write(&path, spec.to_string()).unwrap();
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql/spark_jobs.py");
    let interpreter = if remote == Some("sail") {
        sail_python()
    } else {
        python()
    };
    let run = Command::new(interpreter)
        .current_dir(dir)
        .arg(driver)
        .arg(&path)
        .env("REGAUDIT_FINGERPRINT_KEY", TEST_KEY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "spark driver failed: {stderr}");
    for line in stderr.lines().filter(|l| l.starts_with("spark_jobs:")) {
        eprintln!("{line}");
    }
}

struct Pack {
    dir: tempfile::TempDir,
    configs: Vec<(PathBuf, &'static str)>,
}

/// The pack's config holding the nested JSON export as an array; the next
/// holds it as NDJSON.
const JSON_ARRAY: usize = 3;

/// The edge pack in file order and shuffled, a generated register and a
/// nested JSON export (as an array and as NDJSON).
fn pack() -> Pack {
    let dir = tempfile::tempdir().unwrap();
    let rows = edge_rows();
    write_csv(&dir.path().join("edge.csv"), &rows);
    write_csv(&dir.path().join("edge_shuffled.csv"), &shuffled(&rows));
    let keys: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    let events = edge_events(&keys);
    let bans = edge_bans(&keys);
    for (suffix, events, bans) in [
        ("", events.clone(), bans.clone()),
        ("_shuffled", shuffled(&events), shuffled(&bans)),
    ] {
        write_log(
            &dir.path().join(format!("events{suffix}.csv")),
            &["asiakasnro", "kanava", "lähetetty"],
            &events,
        );
        write_log(
            &dir.path().join(format!("bans{suffix}.csv")),
            &["asiakasnro", "kanava", "kielto alkoi", "purettu"],
            &bans,
        );
    }
    let mut configs = vec![
        (edge_config(dir.path(), "edge.csv", ""), COMPILED),
        (
            edge_config(dir.path(), "edge_shuffled.csv", "_shuffled"),
            COMPILED,
        ),
    ];
    let synth = dir.path().join("synth");
    regaudit()
        .args(["synth", "--rows", "3000", "--out"])
        .arg(&synth)
        .assert()
        .success();
    configs.push((synth.join("regaudit.toml"), COMPILED_BUILTIN));
    // A JSON export with nested objects (read by dotted names locally, by
    // struct fields in the engines) and booleans for its opt-ins.
    let heltti = dir.path().join("heltti");
    std::fs::create_dir(&heltti).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/heltti");
    for entry in std::fs::read_dir(fixture).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), heltti.join(entry.file_name())).unwrap();
    }
    configs.push((heltti.join("regaudit.toml"), COMPILED_BUILTIN));
    // The same as NDJSON: Sail 0.7.2 reads JSON lines only (an array fails
    // there with "expected { got [").
    let lines = dir.path().join("heltti-ndjson");
    std::fs::create_dir(&lines).unwrap();
    for entry in std::fs::read_dir(&heltti).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), lines.join(entry.file_name())).unwrap();
    }
    let array: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(heltti.join("jasenet.json")).unwrap())
            .unwrap();
    let ndjson: Vec<String> = array.iter().map(Value::to_string).collect();
    std::fs::write(lines.join("jasenet.json"), ndjson.join("\n") + "\n").unwrap();
    configs.push((lines.join("regaudit.toml"), COMPILED_BUILTIN));
    Pack { dir, configs }
}

/// A thread or partition count to run with.
type Variant = (&'static str, u32);

/// Checks `engine` (over Spark Connect at `remote`, `sail` for a Sail server
/// the driver starts) against the local engine; returns the edge pack's fingerprints.
fn check_engine(
    engine: &str,
    variants: &[Variant],
    remote: Option<&str>,
) -> BTreeMap<String, String> {
    let started = std::time::Instant::now();
    let pack = pack();
    let dir = pack.dir.path();
    let mut expected = Vec::new();
    let mut expected_rows = Vec::new();
    let mut jobs = Vec::new();
    for (n, (config, select)) in pack.configs.iter().enumerate() {
        let scanned = local(dir, config, select);
        let found = canonical(&scanned);
        assert!(found.len() > 10, "the pack makes findings: {found:?}");
        expected.push(found);
        expected_rows.push(rows_read(&scanned));
        if engine == "spark" && n == 1 {
            // Shuffled input is DuckDB's to check: a Spark plan of the edge
            // pack costs minutes on two cores, and the 4-partition run
            // already scrambles the rows after the runner has numbered them.
            continue;
        }
        if engine == "spark" && n == JSON_ARRAY + usize::from(remote != Some("sail")) {
            // Spark reads the JSON array, Sail its NDJSON copy; DuckDB both.
            continue;
        }
        let plan = plan(dir, config, select, engine, &n.to_string());
        // Every variant on the edge pack; one each, in turn, on the others.
        let chosen: Vec<&Variant> = if engine == "spark" {
            // A Spark plan of the edge pack costs minutes on two cores: the
            // pack runs at every variant but the last, the others at the last.
            let last = variants.len() - 1;
            if n == 0 {
                variants[..last.max(1)].iter().collect()
            } else {
                vec![&variants[last]]
            }
        } else if n == 0 {
            variants.iter().collect()
        } else {
            vec![&variants[n % variants.len()]]
        };
        for &(label, parallelism) in chosen {
            let extension = if label.contains("csv") {
                "csv"
            } else {
                "parquet"
            };
            jobs.push(Job {
                config: n,
                label,
                plan: plan.clone(),
                findings: dir.join(format!("findings-{n}-{label}.{extension}")),
                parallelism,
            });
        }
    }
    let engine_started = std::time::Instant::now();
    if engine == "spark" {
        run_spark(dir, &jobs, remote);
    } else {
        for job in &jobs {
            run_duckdb(dir, job);
        }
    }
    let engine_time = engine_started.elapsed();
    let mut fingerprint_sets = Vec::new();
    for job in &jobs {
        let report = report(dir, &job.findings, &job.plan);
        let got = canonical(&report);
        let want = &expected[job.config];
        let missing: Vec<_> = want.iter().filter(|f| !got.contains(f)).collect();
        let extra: Vec<_> = got.iter().filter(|f| !want.contains(f)).collect();
        let config = &pack.configs[job.config].0;
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{engine} {} on {}: missing {missing:#?}\nextra {extra:#?}",
            job.label,
            config.display()
        );
        assert_eq!(got.len(), want.len());
        // The engine counts the rows it read from each file, as scan does.
        assert_eq!(
            rows_read(&report),
            expected_rows[job.config],
            "{engine} {}: rows read",
            job.label
        );
        let rules: std::collections::BTreeSet<&str> = got.iter().map(|f| f[0].as_str()).collect();
        eprintln!(
            "{engine} {} {}: {} findings ({rules:?}) as locally",
            job.label,
            config.display(),
            got.len()
        );
        if job.config < 2 {
            // The edge pack exercises every compiled rule.
            for rule in COMPILED_RULES {
                assert!(rules.contains(rule), "no {rule} finding in the edge pack");
            }
        }
        if job.config == 0 {
            // Not the shuffled pack's: which of a record's two rows is last,
            // and so its marketing profile, changes with the shuffle.
            fingerprint_sets.push(common::fingerprint_rules(&report));
        }
    }
    // Fingerprints name findings, not positions: every variant agrees.
    for set in &fingerprint_sets[1..] {
        assert_eq!(set, &fingerprint_sets[0]);
    }
    eprintln!(
        "TIME {engine}{}: {} jobs, engine {:.1} s, whole check {:.1} s",
        remote.map(|r| format!(" over {r}")).unwrap_or_default(),
        jobs.len(),
        engine_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    fingerprint_sets.swap_remove(0)
}

#[test]
fn duckdb_finds_what_the_local_engine_finds() {
    if !engine_ready("duckdb") {
        return;
    }
    check_engine("duckdb", DUCKDB_VARIANTS, None);
}

const DUCKDB_VARIANTS: &[Variant] = &[("threads1", 1), ("threads3-tz", 3), ("csv-threads2", 2)];

/// A time zone far from UTC (UTC+14), for the `-tz` variants: the plans set
/// UTC themselves, so a session's own zone must not change a finding.
const FAR_TIME_ZONE: &str = "Pacific/Kiritimati";

#[test]
fn spark_finds_what_the_local_engine_finds() {
    if !engine_ready("pyspark") {
        return;
    }
    // ANSI mode is Spark 4's default; the plans must not depend on it, nor
    // on the session's time zone (`-tz`: set to UTC+14 before the plan runs).
    let variants = [
        ("partitions1", 1),
        ("partitions2-ansi-off-tz", 2),
        ("partitions4", 4),
    ];
    let spark = check_engine("spark", &variants, None);
    // Both engines write the same hashes, so their fingerprints agree.
    if engine_ready("duckdb") {
        assert_eq!(spark, check_engine("duckdb", &DUCKDB_VARIANTS[..1], None));
    }
}

/// Sail, the Spark Connect server written in Rust: the Spark plans run
/// through `run_spark.py --remote sc://127.0.0.1:PORT` against a server the
/// driver starts, and must find what the local engine finds, with the
/// fingerprints DuckDB gives.
#[test]
fn sail_finds_what_the_local_engine_finds() {
    if !engine_ready_in(&sail_python(), "pysail") {
        return;
    }
    // One partition count: Sail took 135 s per run of the edge pack's plan here.
    let sail = check_engine("spark", &[("partitions3", 3)], Some("sail"));
    if engine_ready("duckdb") {
        assert_eq!(sail, check_engine("duckdb", &DUCKDB_VARIANTS[..1], None));
    }
}
