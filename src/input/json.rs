//! `json`: a JSON document whose string values hold PEM text, as the AWS CLI
//! (`acm get-certificate`, `iam get-server-certificate`, `secretsmanager
//! get-secret-value`) and `terraform show -json` print it. Every such string
//! anywhere in the document, in document order, its `origin` the JSON Pointer
//! (RFC 6901) to it; a string that itself holds a JSON document (a Secrets Manager
//! `SecretString`) is read as one and the pointer continues inside it
//! (`/SecretString/certificate`).

use super::containers::{add_value, decoded};
use super::tree::{self, Node};
use super::{Decoded, Format};

/// How many JSON documents deep inside strings the reader goes.
const MAX_NESTED: usize = 4;

pub fn read(name: &str, root: &Node) -> Decoded {
    let mut out = decoded(Format::Json);
    let mut pointer = String::new();
    walk(name, root, &mut pointer, 0, &mut out);
    out
}

fn walk(name: &str, node: &Node, pointer: &mut String, nested: usize, out: &mut Decoded) {
    match node {
        Node::Str(s) => string(name, s, pointer, nested, out),
        Node::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(name, item, pointer, nested, out);
                pointer.truncate(len);
            }
        }
        Node::Map(entries) => {
            for (key, value) in entries {
                let len = pointer.len();
                push_token(pointer, key);
                walk(name, value, pointer, nested, out);
                pointer.truncate(len);
            }
        }
        Node::Other => {}
    }
}

fn string(name: &str, s: &str, pointer: &mut String, nested: usize, out: &mut Decoded) {
    let trimmed = s.trim_start();
    if nested < MAX_NESTED
        && (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(inner) = tree::from_json(s)
    {
        walk(name, &inner, pointer, nested + 1, out);
        return;
    }
    if s.contains("-----BEGIN") {
        let origin = if pointer.is_empty() {
            "/"
        } else {
            pointer.as_str()
        };
        add_value(out, name, origin, s.as_bytes());
    }
}

/// Appends `/token` with RFC 6901's escapes (`~` → `~0`, `/` → `~1`).
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{CA_PEM, LEAF_PEM};
    use super::*;
    use crate::findings::Code;

    fn read_text(text: &str) -> Decoded {
        read("t.json", &tree::from_json(text).unwrap())
    }

    #[test]
    fn acm_certificate_and_chain_in_document_order() {
        let doc = serde_json::json!({
            "Certificate": LEAF_PEM,
            "CertificateChain": format!("{CA_PEM}\n{CA_PEM}"),
        });
        let d = read_text(&doc.to_string());
        let origins: Vec<_> = d.blocks.iter().map(|b| b.origin.as_deref()).collect();
        assert_eq!(
            origins,
            [
                Some("/Certificate"),
                Some("/CertificateChain"),
                Some("/CertificateChain")
            ]
        );
        assert!(d.blocks.iter().all(|b| b.line.is_none()));
        assert_eq!(d.format, Format::Json);
    }

    #[test]
    fn nested_json_strings_continue_the_pointer() {
        let secret = format!(
            "{{\"certificate\": {}, \"a/b~\": [{}]}}",
            serde_json::to_string(LEAF_PEM).unwrap(),
            serde_json::to_string(CA_PEM).unwrap()
        );
        let doc = serde_json::json!({ "SecretString": secret });
        let d = read_text(&doc.to_string());
        let origins: Vec<_> = d.blocks.iter().map(|b| b.origin.clone().unwrap()).collect();
        assert_eq!(
            origins,
            ["/SecretString/certificate", "/SecretString/a~1b~0/0"]
        );
    }

    #[test]
    fn keys_and_bad_blocks_are_findings_naming_the_pointer() {
        let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n";
        let doc = serde_json::json!({ "key": key, "bad": "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n" });
        let d = read_text(&doc.to_string());
        assert!(d.blocks.is_empty());
        let f = d
            .findings
            .iter()
            .find(|f| f.code == Code::InputPrivateKey)
            .unwrap();
        assert!(f.message.contains("/key"), "{}", f.message);
        assert!(!f.message.contains("MC4CAQ"));
        let f = d
            .findings
            .iter()
            .find(|f| f.code == Code::InputBadBase64)
            .unwrap();
        assert!(f.message.contains("/bad"), "{}", f.message);
    }
}
