//! A document tree shared by the `json` and `kubernetes` readers: strings, lists and
//! maps in document order (serde_json's own `Value` sorts object keys unless a
//! crate-wide feature is switched on), built from JSON by serde_json and from YAML by
//! yaml-rust2's event parser.
//!
//! YAML aliases are not expanded (an alias is [`Node::Other`]): a "billion laughs"
//! document costs what its text costs. Nesting is limited ([`MAX_DEPTH`], and
//! serde_json's own recursion limit of 128 for JSON).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use yaml_rust2::parser::{Event, Parser};

/// How deep a YAML document may nest (serde_json stops JSON at 128).
pub const MAX_DEPTH: usize = 128;

/// One value of a JSON or YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order; a non-string YAML key is kept as its text or `""`.
    Map(Vec<(String, Node)>),
    /// Numbers, booleans, null, YAML aliases.
    Other,
}

impl Node {
    /// The value under `key` of a map (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `get(key)` as a string.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }
}

/// A JSON document (one value; trailing whitespace only).
pub fn from_json(text: &str) -> Result<Node, serde_json::Error> {
    serde_json::from_str(text)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            entries.push((k, v));
        }
        Ok(Node::Map(entries))
    }
}

/// Why a YAML text is not a document tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError(pub String);

enum Frame {
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>, Option<String>),
}

/// Every document of a YAML stream (`---` separated), in order.
pub fn from_yaml(text: &str) -> Result<Vec<Node>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError(e.to_string()))?;
        let done = match event {
            Event::StreamEnd => break,
            Event::Scalar(s, ..) => Some(Node::Str(s)),
            Event::Alias(_) => Some(Node::Other),
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                None
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Vec::new(), None));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(items)) => Some(Node::Seq(items)),
                Some(Frame::Map(entries, _)) => Some(Node::Map(entries)),
                None => None,
            },
            _ => None,
        };
        if stack.len() > MAX_DEPTH {
            return Err(YamlError(format!(
                "nested deeper than {MAX_DEPTH} levels at line {}",
                mark.line()
            )));
        }
        let Some(node) = done else { continue };
        match stack.last_mut() {
            None => docs.push(node),
            Some(Frame::Seq(items)) => items.push(node),
            Some(Frame::Map(entries, key)) => match key.take() {
                None => {
                    *key = Some(match node {
                        Node::Str(s) => s,
                        _ => String::new(),
                    })
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_document_order() {
        let n = from_json(r#"{"b": "1", "a": ["x", {"c": null}]}"#).unwrap();
        let Node::Map(entries) = &n else { panic!() };
        assert_eq!(entries[0].0, "b");
        assert_eq!(entries[1].0, "a");
        assert_eq!(n.str_at("b"), Some("1"));
    }

    #[test]
    fn yaml_documents_in_order_aliases_not_expanded() {
        let docs =
            from_yaml("a: &x [1, 2]\nb: *x\n---\nkind: Secret\ndata:\n  tls.crt: QUJD\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].get("b"), Some(&Node::Other));
        assert_eq!(docs[1].str_at("kind"), Some("Secret"));
        assert_eq!(
            docs[1].get("data").and_then(|d| d.str_at("tls.crt")),
            Some("QUJD")
        );
    }

    #[test]
    fn yaml_errors_and_depth_are_errors_not_panics() {
        assert!(from_yaml("a: [\n").is_err());
        let deep = "[".repeat(1000);
        assert!(from_yaml(&deep).is_err());
        assert!(from_json(&"[".repeat(1000)).is_err());
    }
}
