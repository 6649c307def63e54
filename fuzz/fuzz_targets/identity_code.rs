#![no_main]
//! Identity-code validation and free-text scanning never panic, and agree.
use libfuzzer_sys::fuzz_target;
use regaudit::detect::hetu;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let status = hetu::validate(text);
    if status.is_valid() {
        let code = hetu::IdentityCode::parse(text).expect("valid codes parse");
        let _ = code.age_on(code.birth_date);
    }
    for m in hetu::find_in_text(text) {
        // Every match is a real slice of the text with the status of that slice.
        assert_eq!(hetu::validate(&text[m.start..m.end]), m.status);
    }
    let _ = regaudit::mask::mask_embedded(text);
});
