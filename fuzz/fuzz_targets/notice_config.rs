#![no_main]
//! Notice, config and custom-rule parsers answer any text with a value or
//! diagnostics, never a panic.
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = regaudit::notice::parse_notice(Path::new("notice.toml"), text);
    let _ = regaudit::config::parse_config(Path::new("/nonexistent/regaudit.toml"), text);
    let _ = regaudit::rules::custom::parse_rule(Path::new("rule.toml"), text, &[]);
});
