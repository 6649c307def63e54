//! Values as people write them: legal bases with underscores, Finnish words
//! for a phone call, a Finnish "ban lifted" column in the ban log, booleans
//! in any case and punctuation. Each through the CLI.

mod common;

use common::*;

const NOTICE: &str = r#"
[notice]
controller = "Testi Oy"
register = "Testirekisteri"

[[purposes]]
name = "Asiakassuhde"
legal_basis = "contract"

[[purposes]]
name = "Markkinointi"
legal_basis = "legitimate_interests"

[categories]
declared = ["user.name", "user.contact", "user.unique_id", "user.legal_basis", "user.privacy_preferences"]

[marketing]
channels = ["email", "phone", "post"]
electronic_opt_in = true
"#;

#[test]
fn legal_bases_with_underscores_and_odd_case_are_recognised() {
    let csv = "asiakasnumero,nimi,oikeusperuste\nA1,Maija,legitimate_interests\nA2,Kalle,SOPIMUS.\nA3,Teemu,Oikeutettu_etu\nA4,Anna,koska haluan\n";
    let (_, report) = scan_csv(NOTICE, "data.csv", csv, &[]);
    // Only the value that names no basis is reported.
    assert_eq!(rows_of(&report, "LB002"), vec![4]);
}

#[test]
fn a_call_in_finnish_meets_a_phone_ban_and_a_lifted_ban_no_longer_counts() {
    let dir = tempfile::tempdir().unwrap();
    let notice = write(dir.path(), "notice.toml", NOTICE);
    let data = write(
        dir.path(),
        "asiakkaat.csv",
        "asiakasnumero,nimi,markkinointilupa\nA1,Maija,Kyllä\nA2,Kalle,KYLLÄ\n",
    );
    let events = write(
        dir.path(),
        "tapahtumat.csv",
        "asiakasnumero,kanava,lähetetty\nA1,puhelinsoitto,2026-05-01\nA2,Soitto,2026-05-01\n",
    );
    // A1's phone ban is in force; A2's was lifted before the call.
    let bans = write(
        dir.path(),
        "kiellot.csv",
        "asiakasnumero,kanava,kielto alkoi,kielto purettu\nA1,puhelin,2026-01-01,\nA2,puhelin,2026-01-01,2026-03-01\n",
    );
    let (_, report) = scan_json(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
        "--bans",
        bans.to_str().unwrap(),
    ]);
    let mkt001 = findings_of(&report, "MKT001");
    assert_eq!(mkt001.len(), 1, "{mkt001:?}");
    assert_eq!(mkt001[0]["record"], "A1");
    assert!(mkt001[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("phone marketing"));
    // No key flag: the log joined on `asiakasnumero` by the mapping.
    assert_eq!(report["inputs"][1]["rows_rejected"], 0);
}
