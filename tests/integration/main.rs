//! One integration-test binary (as ripgrep does): every module runs the real
//! `certaudit` binary on committed fixtures, pinned to a fixed evaluation time.

mod cli;
mod commands;
mod expected;
mod offline;
mod oracle;
mod props;
mod real;
mod report;
mod robust;
mod snapshots;
mod stream;
mod util;
mod x509_oracle;
