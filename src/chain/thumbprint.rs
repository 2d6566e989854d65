//! The IAM thumbprint: a SHA-1 fingerprint as 40 upper-case hex digits.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Thumbprint(pub [u8; 20]);

impl fmt::Display for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::der::hex::hex_upper(&self.0))
    }
}

/// Why a `--expect-thumbprint` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadThumbprint(pub String);

impl fmt::Display for BadThumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadThumbprint {}

impl FromStr for Thumbprint {
    type Err = BadThumbprint;

    /// Accepts any case, colons or spaces between digit pairs, and an
    /// `SHA1 Fingerprint=` (or `sha1 Fingerprint=`) prefix as openssl prints it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut rest = s.trim();
        if let Some((prefix, value)) = rest.split_once('=')
            && prefix.trim().to_ascii_lowercase().replace(['-', ' '], "") == "sha1fingerprint"
        {
            rest = value.trim();
        }
        let digits: Vec<u8> = rest
            .bytes()
            .filter(|b| !matches!(b, b':' | b' ' | b'-'))
            .collect();
        if let Some(bad) = digits.iter().find(|b| !b.is_ascii_hexdigit()) {
            return Err(BadThumbprint(format!(
                "{s:?} is not a SHA-1 thumbprint: {:?} is not a hex digit",
                char::from(*bad)
            )));
        }
        if digits.len() != 40 {
            return Err(BadThumbprint(format!(
                "{s:?} is not a SHA-1 thumbprint: expected 40 hex digits, found {}",
                digits.len()
            )));
        }
        let mut out = [0u8; 20];
        for (slot, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let text = std::str::from_utf8(pair)
                .map_err(|_| BadThumbprint(format!("{s:?} is not hex")))?;
            *slot = u8::from_str_radix(text, 16).map_err(|_| {
                BadThumbprint(format!(
                    "{s:?} is not a SHA-1 thumbprint: {text:?} is not hex"
                ))
            })?;
        }
        Ok(Thumbprint(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_forms_users_paste() {
        let want = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280";
        for s in [
            want,
            "9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
            "9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80",
            "SHA1 Fingerprint=9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80",
            "sha1 Fingerprint=9E:99:A4:8A:99:60:B1:49:26:BB:7F:3B:02:E2:2D:A2:B0:AB:72:80",
        ] {
            let t: Thumbprint = s.parse().unwrap();
            assert_eq!(t.to_string(), want, "{s}");
        }
    }

    #[test]
    fn refuses_wrong_length_and_non_hex() {
        assert!("ABC".parse::<Thumbprint>().is_err());
        assert!(
            "ZZ99A48A9960B14926BB7F3B02E22DA2B0AB7280"
                .parse::<Thumbprint>()
                .is_err()
        );
        assert!(
            "+E99A48A9960B14926BB7F3B02E22DA2B0AB7280"
                .parse::<Thumbprint>()
                .is_err()
        );
    }
}
