//! IP addresses. They count as personal data under GDPR when they can be tied
//! to a user, so logs and exports are scanned for them.

use std::net::IpAddr;

/// IPv4 or IPv6 as std parses it (surrounding whitespace trimmed); no
/// brackets, ports or zone ids.
pub fn is_ip(s: &str) -> bool {
    s.trim().parse::<IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        for s in [
            "192.0.2.1",
            "0.0.0.0",
            "255.255.255.255",
            " 198.51.100.7 ",
            "::1",
            "2001:db8::1",
            "2001:DB8:0:0:0:0:0:1",
            "::ffff:192.0.2.1",
        ] {
            assert!(is_ip(s), "{s:?}");
        }
    }

    #[test]
    fn invalid() {
        for s in [
            "",
            "256.0.0.1",
            "192.0.2",
            "192.0.2.1.5",
            "192.0.2.01",
            "192.0.2.1:80",
            "[2001:db8::1]",
            "2001:db8:::1",
            "fe80::1%eth0",
            "localhost",
            "1.2.2024",
        ] {
            assert!(!is_ip(s), "{s:?}");
        }
    }
}
