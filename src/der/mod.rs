//! A leaf: DER tag/length/value reading, object identifiers and their OpenSSL names,
//! ASN.1 times and hex. Imports nothing of certaudit's but the shared `findings`
//! vocabulary (for the encoding quirks it notes).

pub mod alg;
pub mod hex;
pub mod oid;
pub mod time;
pub mod tlv;
