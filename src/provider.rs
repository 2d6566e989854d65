//! `--provider FILE`: the output of `aws iam get-open-id-connect-provider`
//! (`{"Url": …, "ClientIDList": […], "ThumbprintList": […], …}`). Its
//! `ThumbprintList` is compared as `--expect-thumbprint` values are (after them, in
//! its order), its `Url` is named in the advice, and the provider's ARN comes from
//! the file's name when the name is the ARN with `/` written as `_` or `%2F`
//! (`arn:aws:iam::123456789012:oidc-provider_oidc.example.com.json`), unless
//! `--provider-arn` gives it.

use crate::chain::thumbprint::Thumbprint;
use std::path::Path;

/// What `--provider` gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// `Url` as IAM stores it (a host and path, without `https://`).
    pub url: String,
    pub thumbprints: Vec<Thumbprint>,
    /// The provider's ARN, from the file name.
    pub arn: Option<String>,
}

impl Provider {
    /// The host of `Url` (IAM stores it with or without `https://`).
    pub fn host(&self) -> Option<String> {
        let rest = self
            .url
            .strip_prefix("https://")
            .or_else(|| self.url.strip_prefix("http://"))
            .unwrap_or(&self.url);
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        (!host.is_empty()).then(|| host.to_string())
    }
}

/// Reads `--provider`; a file that cannot be read, is not that JSON, or holds a
/// value that is not a thumbprint is a usage error (the message says which).
pub fn load(path: &Path) -> Result<Provider, String> {
    let name = path.display();
    let bytes = crate::source::read_path(path)
        .map_err(|e| format!("--provider {name}: cannot be read: {e}"))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    parse(&bytes, file_name.as_deref()).map_err(|e| format!("--provider {name}: {e}"))
}

/// [`load`] of bytes, `file_name` giving the ARN when it is one.
pub fn parse(bytes: &[u8], file_name: Option<&str>) -> Result<Provider, String> {
    let doc: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("not the JSON of `aws iam get-open-id-connect-provider` ({e})"))?;
    let url = doc
        .get("Url")
        .and_then(|u| u.as_str())
        .ok_or("has no \"Url\": expected the output of `aws iam get-open-id-connect-provider`")?
        .to_string();
    let list = doc
        .get("ThumbprintList")
        .and_then(|l| l.as_array())
        .ok_or("has no \"ThumbprintList\" array")?;
    let mut thumbprints = Vec::with_capacity(list.len());
    for v in list {
        let s = v.as_str().unwrap_or_default();
        thumbprints.push(
            s.parse()
                .map_err(|_| format!("ThumbprintList value {v} is not a SHA-1 thumbprint"))?,
        );
    }
    Ok(Provider {
        url,
        thumbprints,
        arn: file_name.and_then(arn_from_file_name),
    })
}

/// `arn:aws:iam::ACCOUNT:oidc-provider_HOST[_PATH].json` → the ARN (`_` and `%2F`
/// standing for `/`, which no file name can hold; host names and EKS ids hold no `_`).
pub fn arn_from_file_name(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let arn = stem
        .replace("%2F", "/")
        .replace("%2f", "/")
        .replace('_', "/");
    let (head, rest) = arn.split_once(":oidc-provider/")?;
    let parts: Vec<&str> = head.split(':').collect();
    let ok = matches!(parts.as_slice(), ["arn", partition, "iam", "", account]
        if partition.starts_with("aws") && account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        && !rest.is_empty();
    ok.then_some(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_aws_cli_output() {
        let p = parse(
            br#"{"Url": "oidc.eks.us-west-2.amazonaws.com/id/ABC", "ClientIDList": ["sts.amazonaws.com"],
                 "ThumbprintList": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]}"#,
            Some("arn:aws:iam::111122223333:oidc-provider_oidc.eks.us-west-2.amazonaws.com_id_ABC.json"),
        )
        .unwrap();
        assert_eq!(p.thumbprints.len(), 1);
        assert_eq!(
            p.host().as_deref(),
            Some("oidc.eks.us-west-2.amazonaws.com")
        );
        assert_eq!(
            p.arn.as_deref(),
            Some("arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC")
        );
    }

    #[test]
    fn other_names_give_no_arn_and_bad_documents_are_errors() {
        assert_eq!(arn_from_file_name("provider.json"), None);
        assert_eq!(
            arn_from_file_name("arn:aws:iam::12:oidc-provider_x.json"),
            None
        );
        assert!(parse(b"{}", None).is_err());
        assert!(parse(br#"{"Url": "x", "ThumbprintList": ["zz"]}"#, None).is_err());
        assert!(parse(b"not json", None).is_err());
    }
}
