//! A certificate's validity window against the evaluation time.
//!
//! The evaluation time is always a parameter: only `config.rs` reads the clock.

use crate::findings::{Code, Finding};
use crate::x509::CertInfo;
use chrono::{DateTime, SecondsFormat, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    NotYetValid,
    Expired,
    ExpiringSoon,
    Valid,
}

impl Status {
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::NotYetValid => "not_yet_valid",
            Status::Expired => "expired",
            Status::ExpiringSoon => "expiring_soon",
            Status::Valid => "valid",
        }
    }
}

/// floor((not_after − at) / 86 400 s); negative once expired.
pub fn days_left(not_after: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    (not_after - at).num_seconds().div_euclid(86_400)
}

/// Status per the contract: `--at` exactly at not_after is not expired, exactly at
/// not_before is valid.
pub fn status(cert: &CertInfo, at: DateTime<Utc>, warn_days: i64) -> Status {
    if at < cert.not_before {
        Status::NotYetValid
    } else if at > cert.not_after {
        Status::Expired
    } else if days_left(cert.not_after, at) < warn_days {
        Status::ExpiringSoon
    } else {
        Status::Valid
    }
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The `validity.*` finding for a certificate, if any.
pub fn finding(cert: &CertInfo, at: DateTime<Utc>, warn_days: i64) -> Option<Finding> {
    let days = days_left(cert.not_after, at);
    let what = if cert.ca {
        "CA certificate"
    } else {
        "certificate"
    };
    let f = match status(cert, at, warn_days) {
        Status::Valid => return None,
        Status::NotYetValid => Finding::new(
            Code::ValidityNotYetValid,
            format!(
                "{what} {} is not valid until {} ({} from the evaluation time)",
                cert.subject.display,
                rfc3339(cert.not_before),
                human_span(cert.not_before - at)
            ),
        ),
        Status::Expired => Finding::new(
            Code::ValidityExpired,
            format!(
                "{what} {} expired on {} ({} before the evaluation time)",
                cert.subject.display,
                rfc3339(cert.not_after),
                human_span(at - cert.not_after)
            ),
        ),
        Status::ExpiringSoon => Finding::new(
            Code::ValidityExpiringSoon,
            format!(
                "{what} {} expires on {}, in {} day{} (under the {warn_days}-day warning threshold)",
                cert.subject.display,
                rfc3339(cert.not_after),
                days,
                if days == 1 { "" } else { "s" }
            ),
        ),
    };
    Some(f.cert(cert.index))
}

fn human_span(d: chrono::TimeDelta) -> String {
    let days = d.num_days();
    if days >= 1 {
        format!("{days} day{}", if days == 1 { "" } else { "s" })
    } else {
        let hours = d.num_hours();
        if hours >= 1 {
            format!("{hours} hour{}", if hours == 1 { "" } else { "s" })
        } else {
            format!("{} seconds", d.num_seconds())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, mi, s).unwrap()
    }

    #[test]
    fn days_left_floors_towards_minus_infinity() {
        let na = t(2026, 1, 10, 0, 0, 0);
        assert_eq!(days_left(na, t(2026, 1, 1, 0, 0, 0)), 9);
        assert_eq!(days_left(na, t(2026, 1, 1, 0, 0, 1)), 8);
        assert_eq!(days_left(na, t(2026, 1, 10, 0, 0, 0)), 0);
        assert_eq!(days_left(na, t(2026, 1, 10, 0, 0, 1)), -1);
        assert_eq!(days_left(na, t(2026, 1, 12, 0, 0, 0)), -2);
    }
}
