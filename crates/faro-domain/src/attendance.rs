//! Attendance rules without I/O: Facebook Live figures of a session and
//! the small-count rule of every public aggregate.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// Below this, a public count is shown as "fewer than 5" (never the
/// number: a small count can identify people).
pub const SMALL_COUNT: i64 = 5;

/// A count as the public may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PublicCount {
    FewerThan(i64),
    Exact(i64),
}

impl PublicCount {
    pub fn of(n: i64) -> PublicCount {
        if n < SMALL_COUNT {
            PublicCount::FewerThan(SMALL_COUNT)
        } else {
            PublicCount::Exact(n)
        }
    }
}

/// What a session's Facebook Live insights show (Facebook gives no
/// individuals, only totals), with the day they were read and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facebook {
    pub peak_live: Option<i64>,
    pub total_views: Option<i64>,
    pub unique_viewers: Option<i64>,
    pub minutes_viewed: Option<i64>,
    /// YYYY-MM-DD.
    pub read_on: String,
    /// Where the figures come from (e.g. "Facebook Insights, page X").
    pub source: String,
}

impl Facebook {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        let bad = |field: &'static str, code: &'static str, value: String| FieldError {
            field,
            code,
            value,
        };
        for (f, v) in [
            ("peak_live", self.peak_live),
            ("total_views", self.total_views),
            ("unique_viewers", self.unique_viewers),
            ("minutes_viewed", self.minutes_viewed),
        ] {
            if let Some(n) = v
                && !(0..=1_000_000_000_000).contains(&n)
            {
                e.push(bad(f, "out_of_range", n.to_string()));
            }
        }
        if self.peak_live.is_none()
            && self.total_views.is_none()
            && self.unique_viewers.is_none()
            && self.minutes_viewed.is_none()
        {
            e.push(bad("total_views", "required", String::new()));
        }
        if let (Some(p), Some(u)) = (self.peak_live, self.unique_viewers)
            && p > u
        {
            e.push(bad("peak_live", "above_unique_viewers", p.to_string()));
        }
        if chrono::NaiveDate::parse_from_str(&self.read_on, "%Y-%m-%d").is_err() {
            e.push(bad("read_on", "invalid_date", self.read_on.clone()));
        }
        if self.source.trim().is_empty() {
            e.push(bad("source", "required", String::new()));
        } else if self.source.chars().count() > 500 {
            e.push(bad("source", "too_long", String::new()));
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden() {
        assert_eq!(PublicCount::of(0), PublicCount::FewerThan(5));
        assert_eq!(PublicCount::of(4), PublicCount::FewerThan(5));
        assert_eq!(PublicCount::of(5), PublicCount::Exact(5));
    }

    #[test]
    fn facebook_figures_are_checked() {
        let ok = Facebook {
            peak_live: Some(120),
            unique_viewers: Some(800),
            read_on: "2021-11-20".into(),
            source: "Facebook Insights".into(),
            ..Default::default()
        };
        assert!(ok.validate().is_empty());
        let bad = Facebook {
            peak_live: Some(900),
            unique_viewers: Some(800),
            total_views: Some(-1),
            read_on: "20/11/2021".into(),
            ..Default::default()
        };
        let codes: Vec<_> = bad.validate().iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("total_views", "out_of_range"),
                ("peak_live", "above_unique_viewers"),
                ("read_on", "invalid_date"),
                ("source", "required"),
            ]
        );
    }
}
