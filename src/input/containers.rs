//! The containers: inputs whose certificates sit inside a structure (`json`,
//! `kubernetes`, `pkcs12`, `jks`). Recognised from content ([`sniff`]), each read by
//! its own module; the values they hold are read as a file would be
//! ([`read_plain`](super::read_plain)), each block marked with its `origin`.

use super::{Decoded, Format, detect, jks, json, kubernetes, pkcs12, tree};
use std::fmt;

/// What reading may use beyond the bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The password for `pkcs12` and `jks` inputs (`--password-file` or
    /// `CERTAUDIT_PASSWORD`); `None`: PKCS#12 is tried with the empty password and a
    /// keystore's integrity is not checked.
    pub password: Option<String>,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The container kind an input that begins with `head` is, if any. `Json` may still
/// turn out to be `kubernetes` (decided once parsed) or no container at all (text
/// that is not valid JSON). Cheap: `check --bundle` asks it of a streamed input's
/// first bytes, to read containers whole.
pub fn sniff(head: &[u8]) -> Option<Format> {
    if jks::is_keystore(head) {
        return Some(Format::Jks);
    }
    if pkcs12::is_pfx(head) {
        return Some(Format::Pkcs12);
    }
    if detect::binary_format(head).is_some() {
        return None;
    }
    let (text, _) = detect::decode_text(head);
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{' | '[') => Some(Format::Json),
        _ if kubernetes::looks_like_yaml(&text) => Some(Format::Kubernetes),
        _ => None,
    }
}

/// An input read as a container, or `None` when it is none (then it is read as PEM,
/// DER, PKCS#7 or `s_client` text).
pub fn read(name: &str, bytes: &[u8], options: &Options) -> Option<Decoded> {
    match sniff(bytes)? {
        Format::Jks => Some(jks::read(name, bytes, options.password.as_deref())),
        Format::Pkcs12 => Some(pkcs12::read(name, bytes, options.password.as_deref())),
        Format::Json => {
            let (text, _) = detect::decode_text(bytes);
            let node = tree::from_json(text.trim_start_matches('\u{feff}')).ok()?;
            Some(if kubernetes::is_manifest(&node) {
                kubernetes::read(name, std::slice::from_ref(&node))
            } else {
                json::read(name, &node)
            })
        }
        Format::Kubernetes => {
            let (text, _) = detect::decode_text(bytes);
            let docs = tree::from_yaml(&text).ok()?;
            docs.iter()
                .any(kubernetes::is_manifest)
                .then(|| kubernetes::read(name, &docs))
        }
        _ => None,
    }
}

/// An empty result of `format`, for a container reader to fill.
pub(crate) fn decoded(format: Format) -> Decoded {
    Decoded {
        format,
        blocks: Vec::new(),
        findings: Vec::new(),
        capture: None,
    }
}

/// Reads one value of a container (PEM text, DER or PKCS#7 bytes) into `out`: its
/// blocks get `origin` and no line (a line inside a value is no line of the input),
/// its findings name the input and the origin.
pub(crate) fn add_value(out: &mut Decoded, name: &str, origin: &str, bytes: &[u8]) {
    let inner = super::read_plain(&format!("{name} {origin}"), bytes);
    for mut block in inner.blocks {
        block.line = None;
        block.header = None;
        block.origin = Some(origin.to_string());
        out.blocks.push(block);
    }
    for mut f in inner.findings {
        f.line = None;
        out.findings.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_in_debug_output() {
        let o = Options {
            password: Some("hunter2".into()),
        };
        assert!(!format!("{o:?}").contains("hunter2"));
    }

    #[test]
    fn sniffs_containers_and_leaves_the_rest() {
        assert_eq!(sniff(b"  {\"a\": 1}"), Some(Format::Json));
        assert_eq!(sniff(b"\xef\xbb\xbf[1]"), Some(Format::Json));
        assert_eq!(
            sniff(b"apiVersion: v1\nkind: Secret\n"),
            Some(Format::Kubernetes)
        );
        assert_eq!(sniff(b"-----BEGIN CERTIFICATE-----\n"), None);
        assert_eq!(
            sniff(b"\xfe\xed\xfe\xed\0\0\0\x02\0\0\0\0"),
            Some(Format::Jks)
        );
        assert_eq!(sniff(b"\x30\x82\x01\x00\x30\x82"), None);
    }

    #[test]
    fn invalid_json_is_no_container() {
        assert!(read("x", b"{\"a\": ", &Options::default()).is_none());
    }
}
