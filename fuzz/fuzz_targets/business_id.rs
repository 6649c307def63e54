#![no_main]
//! Business-id, IBAN, e-mail and phone validators never panic.
use libfuzzer_sys::fuzz_target;
use regaudit::detect::{business_id, email, iban, phone};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = business_id::validate(text);
    let _ = business_id::find_in_text(text).count();
    let _ = iban::is_valid(text);
    let _ = email::is_valid(text);
    let _ = email::find_in_text(text).count();
    let _ = phone::normalize(text);
    let _ = regaudit::values::parse_date(text);
    let _ = regaudit::values::parse_bool(text);
    let _ = regaudit::columns::vocabulary().match_header(text);
    let _ = regaudit::text::value_key(text);
});
