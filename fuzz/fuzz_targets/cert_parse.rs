//! Arbitrary DER → `x509::parse`, then `verify::verify` of the certificate with
//! its own key (the self-signed check) and the facts every report reads.
#![no_main]

use certaudit::{verify, x509, x509::validity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(info) = x509::parse(data, 0, Some(1)) else {
        return;
    };
    assert!(info.der.len() <= data.len());
    let _ = verify::verify(&info, &info);
    let at = info.not_before;
    let _ = validity::status(&info, at, 30);
    let _ = validity::days_left(info.not_after, at);
    let _ = validity::finding(&info, at, 30);
    let _ = certaudit::der::hex::hex_upper(&info.sha1);
});
