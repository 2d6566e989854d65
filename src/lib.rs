//! certaudit: an offline analyser for X.509 certificates and TLS chains.
//!
//! Data flows one way, each stage knowing only the one before it (and
//! `findings`, the shared vocabulary):
//!
//! ```text
//! bytes (source) → blocks (input) → certificates (cert, signature)
//!   → chain analysis (chain, host, thumbprint; validity) → report (text, json) → exit
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod advice;
pub mod aws;
pub mod chain;
pub mod check;
pub mod cli;
pub mod der;
pub mod drive;
pub mod exit;
pub mod findings;
pub mod input;
pub mod oidc;
pub mod provider;
pub mod report;
pub mod source;
pub mod verify;
pub mod x509;
