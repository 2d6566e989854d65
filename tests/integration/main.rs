//! One integration-test binary (as ripgrep does): every module runs the real
//! `certaudit` binary on committed fixtures, pinned to a fixed evaluation time.

mod cli;
mod commands;
mod containers;
mod expected;
mod hostile;
mod inventory;
mod layering;
mod limits;
mod offline;
mod openssl_oracle;
mod oracle;
mod props;
mod real;
mod report;
mod robust;
mod snapshots;
mod stream;
mod trust;
mod util;
mod x509_oracle;
