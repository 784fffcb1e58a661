//! Calendar months (`2024-05`), the unit every figure is counted in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar month. Ordered; `index()` counts months since year 0 so that
/// "the same month last year" is `minus(12)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// `month` is 1–12.
    pub fn new(year: i32, month: u32) -> Result<Self, Error> {
        if !(1..=12).contains(&month) {
            return Err(Error::parse(format!("month {month} is not between 1 and 12")));
        }
        if !(1000..=9999).contains(&year) {
            return Err(Error::parse(format!("year {year} is not a four-digit year")));
        }
        Ok(Self { year, month: month as u8 })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1–12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// Months since January of year 0; consecutive months differ by one.
    pub fn index(self) -> i32 {
        self.year * 12 + i32::from(self.month) - 1
    }

    pub fn from_index(index: i32) -> Self {
        Self { year: index.div_euclid(12), month: (index.rem_euclid(12) + 1) as u8 }
    }

    pub fn plus(self, months: i32) -> Self {
        Self::from_index(self.index() + months)
    }

    pub fn minus(self, months: i32) -> Self {
        self.plus(-months)
    }

    /// The same month a year earlier.
    pub fn same_month_last_year(self) -> Self {
        self.minus(12)
    }

    /// The financial year (April–March) this month falls in, named by its starting year.
    pub fn financial_year_start(self) -> i32 {
        if self.month >= 4 { self.year } else { self.year - 1 }
    }

    /// "May 2024".
    pub fn long_name(self) -> String {
        format!("{} {}", MONTH_NAMES[usize::from(self.month - 1)], self.year)
    }

    /// "May".
    pub fn month_name(self) -> &'static str {
        MONTH_NAMES[usize::from(self.month - 1)]
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = || Error::parse(format!("'{text}' is not a month (expected YYYY-MM)"));
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        Self::new(year, month).map_err(|_| bad())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let month: YearMonth = "2024-05".parse().unwrap();
        assert_eq!(month.to_string(), "2024-05");
        assert_eq!(month.long_name(), "May 2024");
        assert!("2024-13".parse::<YearMonth>().is_err());
        assert!("2024-5".parse::<YearMonth>().is_err());
        assert!("May 2024".parse::<YearMonth>().is_err());
    }

    #[test]
    fn arithmetic_crosses_years() {
        let january: YearMonth = "2024-01".parse().unwrap();
        assert_eq!(january.minus(1).to_string(), "2023-12");
        assert_eq!(january.same_month_last_year().to_string(), "2023-01");
        assert_eq!(january.plus(14).to_string(), "2025-03");
        assert_eq!(january.financial_year_start(), 2023);
        assert_eq!("2024-04".parse::<YearMonth>().unwrap().financial_year_start(), 2024);
    }
}
