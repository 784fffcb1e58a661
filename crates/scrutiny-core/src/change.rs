//! How a change is computed and written: number change, percent change to one
//! decimal place (a zero baseline is "n/a"), rates as percentages, and changes
//! in rates in percentage points. Missing data is "not supplied", never 0.
//!
//! All rounding is done in integers (half away from zero, as ONS tables do),
//! so a figure never depends on floating-point accident.

use std::fmt;

use serde::{Serialize, Serializer};

/// `numerator / denominator × scale`, rounded half away from zero.
/// `denominator` must not be zero.
pub fn round_ratio(numerator: i128, denominator: i128, scale: i128) -> i128 {
    assert!(denominator != 0, "round_ratio with a zero denominator");
    let n = numerator * scale;
    let (n, d) = if denominator < 0 { (-n, -denominator) } else { (n, denominator) };
    let quotient = n / d;
    let remainder = n % d;
    if 2 * remainder.abs() >= d { quotient + n.signum() } else { quotient }
}

/// A figure held to one decimal place, as tenths (`-63` is -6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tenths(pub i64);

impl Tenths {
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }

    pub fn abs(self) -> Tenths {
        Tenths(self.0.abs())
    }
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", self.0.abs() / 10, self.0.abs() % 10)
    }
}

impl Serialize for Tenths {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// A percent change: a value, "n/a" (the baseline is zero) or "not supplied"
/// (either figure is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentChange {
    Value(Tenths),
    NotApplicable,
    NotSupplied,
}

impl PercentChange {
    pub fn between(current: Option<u64>, previous: Option<u64>) -> Self {
        match (current, previous) {
            (Some(_), Some(0)) => Self::NotApplicable,
            (Some(current), Some(previous)) => {
                let difference = i128::from(current) - i128::from(previous);
                Self::Value(Tenths(round_ratio(difference, i128::from(previous), 1000) as i64))
            }
            _ => Self::NotSupplied,
        }
    }

    pub fn value(self) -> Option<Tenths> {
        match self {
            Self::Value(tenths) => Some(tenths),
            _ => None,
        }
    }
}

impl fmt::Display for PercentChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(tenths) => write!(f, "{tenths}%"),
            Self::NotApplicable => f.write_str("n/a"),
            Self::NotSupplied => f.write_str("not supplied"),
        }
    }
}

/// JSON: a number, the string "n/a" for a zero baseline, or null when not supplied.
impl Serialize for PercentChange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(tenths) => tenths.serialize(serializer),
            Self::NotApplicable => serializer.serialize_str("n/a"),
            Self::NotSupplied => serializer.serialize_none(),
        }
    }
}

/// A count this period against the same period last year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountComparison {
    pub current: Option<u64>,
    pub last_year: Option<u64>,
}

impl CountComparison {
    pub fn new(current: Option<u64>, last_year: Option<u64>) -> Self {
        Self { current, last_year }
    }

    pub fn number_change(&self) -> Option<i64> {
        Some(self.current? as i64 - self.last_year? as i64)
    }

    pub fn percent_change(&self) -> PercentChange {
        PercentChange::between(self.current, self.last_year)
    }
}

/// A rate: numerator over denominator, shown as a percentage to one decimal place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
}

impl Rate {
    /// The rate in tenths of a percent, or `None` when the denominator is zero ("n/a").
    pub fn percent(&self) -> Option<Tenths> {
        (self.denominator != 0)
            .then(|| Tenths(round_ratio(i128::from(self.numerator), i128::from(self.denominator), 1000) as i64))
    }
}

/// A rate this period against the same period last year. The change is in
/// percentage points, taken between the two published (rounded) rates so that
/// the three figures printed together always agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateComparison {
    pub current: Option<Rate>,
    pub last_year: Option<Rate>,
}

impl RateComparison {
    pub fn change_points(&self) -> Option<Tenths> {
        let current = self.current?.percent()?;
        let last_year = self.last_year?.percent()?;
        Some(Tenths(current.0 - last_year.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_change_matches_the_seed_paper() {
        let cases = [
            (14773, 14849, "-0.5%"),
            (13574, 14642, "-7.3%"),
            (42443, 45293, "-6.3%"),
            (438, 302, "45.0%"),
            (785, 788, "-0.4%"),
            (98, 78, "25.6%"),
            (1100, 1284, "-14.3%"),
        ];
        for (current, previous, printed) in cases {
            assert_eq!(PercentChange::between(Some(current), Some(previous)).to_string(), printed);
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_ratio(1, 8, 100), 13); // 12.5 -> 13
        assert_eq!(round_ratio(-1, 8, 100), -13);
        assert_eq!(round_ratio(1, 3, 1000), 333);
        assert_eq!(round_ratio(2, 3, 1000), 667);
        assert_eq!(round_ratio(5, -8, 100), -63);
    }

    #[test]
    fn zero_baseline_and_missing_data() {
        assert_eq!(PercentChange::between(Some(5), Some(0)), PercentChange::NotApplicable);
        assert_eq!(PercentChange::between(Some(0), Some(0)).to_string(), "n/a");
        assert_eq!(PercentChange::between(None, Some(3)).to_string(), "not supplied");
        assert_eq!(CountComparison::new(Some(3), None).number_change(), None);
        assert_eq!(serde_json::to_string(&PercentChange::NotApplicable).unwrap(), "\"n/a\"");
        assert_eq!(serde_json::to_string(&PercentChange::NotSupplied).unwrap(), "null");
        assert_eq!(serde_json::to_string(&PercentChange::between(Some(1), Some(3))).unwrap(), "-66.7");
    }

    #[test]
    fn rate_change_is_in_points_between_printed_rates() {
        let comparison = RateComparison {
            current: Some(Rate { numerator: 73, denominator: 461 }),
            last_year: Some(Rate { numerator: 42, denominator: 554 }),
        };
        assert_eq!(comparison.current.unwrap().percent().unwrap().to_string(), "15.8");
        assert_eq!(comparison.last_year.unwrap().percent().unwrap().to_string(), "7.6");
        assert_eq!(comparison.change_points().unwrap().to_string(), "8.2");
        assert_eq!(Rate { numerator: 1, denominator: 0 }.percent(), None);
    }
}
