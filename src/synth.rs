//! A deterministic synthetic register for benchmarks and scale tests: realistic
//! Finnish rows (identity codes with every century sign, business ids, e-mails,
//! phones, notes that sometimes hold an identity code or health words, legal
//! bases, consents, service and relationship dates, erasure requests,
//! processing countries) plus marketing events and bans, with known violation
//! rates. Same seed, same bytes.

use crate::detect::hetu::control_char;
use chrono::{Days, NaiveDate};
use std::io::{BufWriter, Write};
use std::path::Path;

/// splitmix64: tiny, fast and stable across versions, so a seed always gives
/// the same register (a crate's generator may change its stream between releases).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: [&str; 12] = [
    "Maija", "Kalle", "Teemu", "Liisa", "Aino", "Pekka", "Ville", "Sari", "Olli", "Helmi", "Eino",
    "Kerttu",
];
const LAST: [&str; 10] = [
    "Mallikas",
    "Kokeilija",
    "Testaaja",
    "Esimerkki",
    "Ajatus",
    "Puuhamaa",
    "Vallaton",
    "Sijainen",
    "Koekäyttäjä",
    "Malli",
];
const NOTES: [&str; 8] = [
    "Toivoo iltapäiväaikoja",
    "Soitti asiakaspalveluun laskusta",
    "Laskutus yritykselle",
    "Muuttanut joten päivitä osoite",
    "Kiinnostunut uutiskirjeestä",
    "Ei halua puhelinsoittoja",
    "Tilaus toimitettu",
    "",
];
const HEALTH: [&str; 5] = [
    "diabeetikko muistutus insuliinista",
    "allergia pähkinälle",
    "masennus joten varovainen yhteydenpito",
    "raskaana eikä käy kuntosalilla",
    "astma ja välttää tuoksuja",
];

/// Violation rates, per mille of rows, that the generator aims for.
pub const RATES: [(&str, u64); 9] = [
    ("invalid identity code (ID002)", 5),
    ("identity code in notes (ID003)", 10),
    ("health words in notes (CAT002)", 10),
    ("empty legal basis (LB001)", 10),
    ("undeclared legal basis (LB002)", 5),
    ("relationship ended over 5 years ago (RET001)", 30),
    ("erasure request (RET002 when older than a month)", 10),
    ("processing in a country without adequacy (TRF001)", 10),
    ("malformed e-mail (ACC001)", 5),
];

fn identity_code(rng: &mut Rng, out: &mut String) {
    let year = 1920 + rng.below(90) as i32;
    let date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + Days::new(rng.below(365));
    let century_signs: &[u8] = if year >= 2000 { b"AAAAB" } else { b"-----Y" };
    let sign = century_signs[rng.below(century_signs.len() as u64) as usize] as char;
    let individual = 2 + rng.below(898) as u16;
    let ddmmyy = chrono::Datelike::day(&date) * 10_000
        + chrono::Datelike::month(&date) * 100
        + (year % 100) as u32;
    let control = control_char(ddmmyy, individual) as char;
    use std::fmt::Write as _;
    let _ = write!(out, "{ddmmyy:06}{sign}{individual:03}{control}");
}

fn business_id(rng: &mut Rng) -> String {
    loop {
        let digits = format!("{:07}", rng.below(10_000_000));
        if let Some(check) = crate::detect::business_id::check_digit(&digits) {
            return format!("{digits}-{check}");
        }
    }
}

/// Writes `register.csv`, `events.csv`, `bans.csv`, `notice.toml` and
/// `regaudit.toml` for `rows` rows into `dir`.
pub fn write_register(dir: &Path, rows: u64, seed: u64, as_of: NaiveDate) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("notice.toml"), NOTICE)?;
    std::fs::write(dir.join("regaudit.toml"), CONFIG)?;
    let mut rng = Rng(seed);
    let mut data =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("register.csv"))?);
    writeln!(
        data,
        "asiakasnumero,etunimi,sukunimi,henkilötunnus,sähköposti,puhelin,postinumero,y_tunnus,asiakastyyppi,oikeusperuste,markkinointilupa,suostumus_pvm,suostumuksen_lähde,viimeisin_palvelutapahtuma,asiakkuus_päättyi,poistopyyntö_pvm,käsittelymaa,lisätiedot"
    )?;
    let mut code = String::with_capacity(11);
    // Who opted in: marketing events mostly go to them.
    let mut opted_in = Vec::with_capacity(rows as usize);
    for i in 0..rows {
        let first = rng.pick(&FIRST);
        let last = rng.pick(&LAST);
        code.clear();
        identity_code(&mut rng, &mut code);
        if rng.chance(5) {
            // A wrong control character.
            code.pop();
            code.push(if code.ends_with('0') { '1' } else { 'Z' });
        }
        let email = if rng.chance(5) {
            format!("{}.{}@@example.fi", first.to_lowercase(), i)
        } else {
            format!("{}.{}@example.fi", first.to_lowercase(), i)
        };
        let phone = format!("040 {:03} {:04}", rng.below(1000), rng.below(10_000));
        let postcode = format!("{:05}", rng.below(99_999));
        let company = rng.chance(100);
        let business = if company {
            business_id(&mut rng)
        } else {
            String::new()
        };
        let basis = if rng.chance(10) {
            ""
        } else if rng.chance(5) {
            "lakisääteinen velvoite"
        } else {
            rng.pick(&["sopimus", "sopimus", "sopimus", "suostumus", "asiakassuhde"])
        };
        let consent = basis == "suostumus" || rng.chance(200);
        opted_in.push(consent);
        let (consent_date, consent_source) = if consent && !rng.chance(20) {
            (
                (as_of - Days::new(30 + rng.below(3000))).to_string(),
                "verkkolomake".to_string(),
            )
        } else {
            (String::new(), String::new())
        };
        let last_service = as_of - Days::new(rng.below(1500));
        let ended = if rng.chance(30) {
            (as_of - Days::new(5 * 366 + rng.below(2000))).to_string()
        } else if rng.chance(100) {
            (as_of - Days::new(rng.below(1500))).to_string()
        } else {
            String::new()
        };
        let erasure = if rng.chance(10) {
            (as_of - Days::new(rng.below(60))).to_string()
        } else {
            String::new()
        };
        let country = if rng.chance(10) {
            "IN"
        } else {
            rng.pick(&["FI", "FI", "FI", "FI", "FI", "FI", "FI", "FI", "SE", "DE"])
        };
        let mut notes = rng.pick(&NOTES).to_string();
        if rng.chance(10) {
            let mut copied = String::new();
            identity_code(&mut rng, &mut copied);
            notes = format!("{notes} hetu {copied}");
        }
        if rng.chance(10) {
            notes = format!("{notes} {}", rng.pick(&HEALTH));
        }
        writeln!(
            data,
            "C{i:08},{first},{last},{code},{email},{phone},{postcode},{business},{},{basis},{},{consent_date},{consent_source},{},{ended},{erasure},{country},{notes}",
            if company { "yritys" } else { "yksityinen" },
            if consent { "kyllä" } else { "ei" },
            last_service.format("%-d.%-m.%Y"),
        )?;
    }
    data.flush()?;

    let mut events = BufWriter::new(std::fs::File::create(dir.join("events.csv"))?);
    writeln!(events, "asiakasnumero,channel,sent_at,campaign")?;
    for _ in 0..rows / 4 {
        let mut who = rng.below(rows);
        // 95 % of e-mails and SMS go to people who opted in.
        for _ in 0..20 {
            if opted_in[who as usize] || rng.chance(50) {
                break;
            }
            who = rng.below(rows);
        }
        let channel = rng.pick(&["email", "email", "sms", "post"]);
        let sent = as_of - Days::new(rng.below(400));
        writeln!(
            events,
            "C{who:08},{channel},{sent},kampanja-{}",
            rng.below(20)
        )?;
    }
    events.flush()?;
    let mut bans = BufWriter::new(std::fs::File::create(dir.join("bans.csv"))?);
    writeln!(bans, "asiakasnumero,channel,banned_at,lifted_at")?;
    for _ in 0..rows / 50 {
        let who = rng.below(rows);
        let channel = rng.pick(&["all", "email", "sms"]);
        let banned = as_of - Days::new(rng.below(500));
        let lifted = if rng.chance(200) {
            (banned + Days::new(1 + rng.below(100))).to_string()
        } else {
            String::new()
        };
        writeln!(bans, "C{who:08},{channel},{banned},{lifted}")?;
    }
    bans.flush()
}

const NOTICE: &str = r#"# Synthetic register for benchmarks (regaudit synth).
[notice]
controller = "Synteettinen Oy"
register = "Synteettinen asiakasrekisteri"

[[purposes]]
name = "Asiakassuhde"
legal_basis = "contract"

[[purposes]]
name = "Markkinointi"
legal_basis = "consent"

[categories]
declared = ["user.name", "user.contact", "user.government_id", "user.unique_id", "user.content",
            "user.behavior", "user.privacy_preferences", "user.legal_basis", "user.location",
            "system.operations"]

[retention]
from = ["relationship_end"]
period = "5 years"

[transfers]
outside_eea = "adequacy"

[marketing]
channels = ["email", "sms", "post"]
electronic_opt_in = true
"#;

const CONFIG: &str = r#"[registers.synth]
notice = "notice.toml"
data = "register.csv"
key = "asiakasnumero"
events = "events.csv"
bans = "bans.csv"
"#;
