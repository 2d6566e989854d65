//! `kubernetes`: manifests and lists as `kubectl get -o yaml|json` prints them
//! (YAML with several `---` documents, or JSON), and kubeconfigs.
//!
//! Read: a Secret's `data` (base64) and `stringData` (text) under `tls.crt`,
//! `ca.crt` or any key ending in `.crt`, `.pem` or `.cer` (and any `stringData`
//! value holding a PEM certificate); a ConfigMap's `data` values holding PEM and its
//! `binaryData` under those keys; a kubeconfig's `certificate-authority-data` and
//! `client-certificate-data`. Never read: `tls.key`, `client-key-data` or any other
//! key: a private key is not even decoded. Origins: `Secret/NAMESPACE/NAME:KEY`,
//! `ConfigMap/NAMESPACE/NAME:KEY`, `clusters/NAME:certificate-authority-data`,
//! `users/NAME:client-certificate-data`.

use super::containers::{add_value, decoded};
use super::tree::Node;
use super::{Decoded, Format};
use crate::findings::{Code, Finding};
use base64::Engine;

/// How deep `List` items may nest in each other.
const MAX_LIST_DEPTH: usize = 8;

/// A YAML text that a Kubernetes manifest or kubeconfig would be: a top-level
/// `apiVersion:`, `kind:` or `clusters:` line.
pub fn looks_like_yaml(text: &str) -> bool {
    text.lines().take(4096).any(|line| {
        let line = line.strip_prefix("- ").unwrap_or(line);
        ["apiVersion:", "kind:", "clusters:"]
            .iter()
            .any(|p| line.starts_with(p))
    })
}

/// A document certaudit reads as `kubernetes`: one with `apiVersion` and `kind`, or
/// a kubeconfig (`clusters` or `users` lists).
pub fn is_manifest(node: &Node) -> bool {
    (node.get("apiVersion").is_some() && node.get("kind").is_some()) || is_kubeconfig(node)
}

fn is_kubeconfig(node: &Node) -> bool {
    node.str_at("kind") == Some("Config")
        || matches!(node.get("clusters"), Some(Node::Seq(_)))
        || matches!(node.get("users"), Some(Node::Seq(_)))
}

pub fn read(name: &str, docs: &[Node]) -> Decoded {
    let mut out = decoded(Format::Kubernetes);
    for doc in docs {
        object(name, doc, 0, &mut out);
    }
    out
}

fn object(name: &str, node: &Node, depth: usize, out: &mut Decoded) {
    if let Some(Node::Seq(items)) = node.get("items") {
        if depth < MAX_LIST_DEPTH {
            for item in items {
                object(name, item, depth + 1, out);
            }
        }
        return;
    }
    if is_kubeconfig(node) {
        return kubeconfig(name, node, out);
    }
    let kind = node.str_at("kind").unwrap_or_default();
    let meta = node.get("metadata");
    let ns = meta.and_then(|m| m.str_at("namespace")).unwrap_or_default();
    let obj = meta.and_then(|m| m.str_at("name")).unwrap_or_default();
    let origin = |key: &str| format!("{kind}/{ns}/{obj}:{key}");
    match kind {
        "Secret" => {
            for (key, value) in entries(node.get("data")) {
                if certificate_key(key) {
                    base64_value(name, &origin(key), value, out);
                }
            }
            for (key, value) in entries(node.get("stringData")) {
                if let Some(text) = value.as_str()
                    && (certificate_key(key) || text.contains("-----BEGIN CERTIFICATE"))
                {
                    add_value(out, name, &origin(key), text.as_bytes());
                }
            }
        }
        "ConfigMap" => {
            for (key, value) in entries(node.get("data")) {
                if let Some(text) = value.as_str()
                    && text.contains("-----BEGIN")
                    && !text.contains("PRIVATE KEY")
                {
                    add_value(out, name, &origin(key), text.as_bytes());
                }
            }
            for (key, value) in entries(node.get("binaryData")) {
                if certificate_key(key) {
                    base64_value(name, &origin(key), value, out);
                }
            }
        }
        _ => {}
    }
}

fn kubeconfig(name: &str, node: &Node, out: &mut Decoded) {
    for (list, inner, key) in [
        ("clusters", "cluster", "certificate-authority-data"),
        ("users", "user", "client-certificate-data"),
    ] {
        let Some(Node::Seq(items)) = node.get(list) else {
            continue;
        };
        for item in items {
            let entry = item.str_at("name").unwrap_or_default();
            if let Some(value) = item.get(inner).and_then(|c| c.get(key)) {
                base64_value(name, &format!("{list}/{entry}:{key}"), value, out);
            }
        }
    }
}

/// `tls.crt`, `ca.crt` or a key ending in `.crt`, `.pem` or `.cer`.
fn certificate_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [".crt", ".pem", ".cer"].iter().any(|s| key.ends_with(s))
}

fn entries(node: Option<&Node>) -> &[(String, Node)] {
    match node {
        Some(Node::Map(entries)) => entries,
        _ => &[],
    }
}

fn base64_value(name: &str, origin: &str, value: &Node, out: &mut Decoded) {
    let Some(text) = value.as_str() else { return };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return;
    }
    match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(bytes) => add_value(out, name, origin, &bytes),
        Err(e) => out.findings.push(Finding::new(
            Code::InputBadBase64,
            format!("{name} {origin}: the value is not base64 ({e})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{CA_PEM, KEY_PEM, LEAF_PEM};
    use super::super::tree;
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    fn origins(d: &Decoded) -> Vec<String> {
        d.blocks.iter().map(|b| b.origin.clone().unwrap()).collect()
    }

    #[test]
    fn secret_yaml_reads_certificate_keys_only() {
        let yaml = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\n  namespace: default\ntype: kubernetes.io/tls\ndata:\n  ca.crt: {}\n  tls.crt: {}\n  tls.key: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bundle\ndata:\n  roots.pem: |\n{}\n",
            STANDARD.encode(CA_PEM),
            STANDARD.encode(LEAF_PEM),
            STANDARD.encode(KEY_PEM),
            CA_PEM
                .lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let docs = tree::from_yaml(&yaml).unwrap();
        assert!(docs.iter().all(is_manifest));
        let d = read("s.yaml", &docs);
        assert_eq!(
            origins(&d),
            [
                "Secret/default/web-tls:ca.crt",
                "Secret/default/web-tls:tls.crt",
                "ConfigMap//bundle:roots.pem"
            ]
        );
        assert!(d.findings.is_empty(), "{:?}", d.findings);
    }

    #[test]
    fn kubeconfig_and_list_json() {
        let kc = serde_json::json!({
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": "prod", "cluster": {"certificate-authority-data": STANDARD.encode(CA_PEM)}}],
            "users": [{"name": "admin", "user": {"client-certificate-data": STANDARD.encode(LEAF_PEM), "client-key-data": STANDARD.encode(KEY_PEM)}}],
        });
        let d = read("kc", &[tree::from_json(&kc.to_string()).unwrap()]);
        assert_eq!(
            origins(&d),
            [
                "clusters/prod:certificate-authority-data",
                "users/admin:client-certificate-data"
            ]
        );
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a", "namespace": "n"}, "data": {"tls.crt": "!!"}},
        ]});
        let d = read("l", &[tree::from_json(&list.to_string()).unwrap()]);
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings[0].code, Code::InputBadBase64);
        assert!(d.findings[0].message.contains("Secret/n/a:tls.crt"));
    }

    #[test]
    fn yaml_detection() {
        assert!(looks_like_yaml("# c\napiVersion: v1\n"));
        assert!(!looks_like_yaml("-----BEGIN CERTIFICATE-----\n  kind: x\n"));
    }
}
