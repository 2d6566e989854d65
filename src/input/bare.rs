//! Bare base64 DER: a certificate pasted as its base64 alone, without BEGIN/END
//! lines, as web consoles show it. A paragraph (lines between blank lines) that is
//! all base64 and starts with `MII` (a SEQUENCE with a two-byte length: every
//! certificate from 256 bytes to 64 KiB) is read as one; the input is `pem` with
//! `input.reflowed`. Only tried when an input holds nothing else that reads.

use super::{Block, Decoded, Format, detect};
use crate::findings::{Code, Finding};
use base64::Engine;

pub fn read(name: &str, bytes: &[u8]) -> Option<Decoded> {
    let (text, _) = detect::decode_text(bytes);
    if text.contains("-----BEGIN") {
        return None;
    }
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    let mut first_line = 0;
    let lines = text
        .split('\n')
        .map(|l| l.trim())
        .chain(std::iter::once(""));
    for (n, line) in lines.enumerate() {
        if line.is_empty() {
            if let Some(der) = decode(&paragraph) {
                blocks.push(Block {
                    der,
                    line: Some(first_line),
                    header: None,
                    origin: None,
                });
            }
            paragraph.clear();
            continue;
        }
        if paragraph.is_empty() {
            first_line = n + 1;
        }
        paragraph.push_str(line);
    }
    if blocks.is_empty() {
        return None;
    }
    let lines: Vec<String> = blocks
        .iter()
        .filter_map(|b| b.line.map(|l| l.to_string()))
        .collect();
    let findings = vec![Finding::new(
        Code::InputReflowed,
        format!(
            "{name}: base64 without BEGIN/END lines (line {}) was read as a certificate",
            lines.join(", ")
        ),
    )];
    Some(Decoded {
        format: Format::Pem,
        blocks,
        findings,
        capture: None,
    })
}

fn decode(paragraph: &str) -> Option<Vec<u8>> {
    if !paragraph.starts_with("MII")
        || !paragraph
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return None;
    }
    base64::engine::general_purpose::STANDARD
        .decode(paragraph)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::super::tests::T_PEM;
    use super::*;

    #[test]
    fn a_console_paste_reads_as_pem_with_reflowed() {
        let body: String = T_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("\n");
        let d = read("paste", format!("\n{body}\n").as_bytes()).unwrap();
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].line, Some(2));
        assert_eq!(d.findings[0].code, Code::InputReflowed);
        assert!(super::super::read("paste", body.as_bytes()).blocks.len() == 1);
    }

    #[test]
    fn prose_is_not_base64() {
        assert!(read("p", b"MII is how it starts, they say.\n").is_none());
        assert!(read("p", b"hello\n").is_none());
    }
}
