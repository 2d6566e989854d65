//! Arbitrary bytes → `input::read`: detection, PEM / s_client scanning, paste
//! repair, DER splitting and PKCS#7. Must never panic, hang or allocate without
//! bound, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = certaudit::input::read("fuzz", data);
    // Every block is a slice of what was read: it cannot outgrow the input by much
    // (base64 shrinks; UTF-16 text halves).
    let total: usize = decoded.blocks.iter().map(|b| b.der.len()).sum();
    assert!(
        total <= data.len(),
        "blocks hold {total} bytes from a {}-byte input",
        data.len()
    );
    for f in &decoded.findings {
        let _ = f.code.as_str();
    }
});
