//! certaudit: an offline analyser for X.509 certificates and TLS chains.
//!
//! Data flows one way, each stage knowing only the one before it (and
//! `findings`, the shared vocabulary):
//!
//! ```text
//! bytes (source) → blocks (input) → certificate facts (x509, der) → signatures (verify)
//!   → chain (links, path, order, thumbprint) → one input (check) → advice (aws)
//!   → report (text, JSON, SARIF) → driver (drive) → exit code (exit), all run by cli
//! ```
//!
//! The README's "Layout" table gives each module's rank; a test checks the imports.
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
pub mod escape;
pub mod exit;
pub mod findings;
pub mod input;
pub mod inventory;
pub mod oidc;
pub mod provider;
pub mod report;
pub mod source;
pub mod trust;
pub mod verify;
pub mod x509;
