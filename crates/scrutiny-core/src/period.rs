//! Periods: a run of whole months, and the named kinds a paper uses
//! (month, quarter, financial year to date, rolling year, calendar year).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::{Error, YearMonth};

/// An inclusive run of whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    pub from: YearMonth,
    pub to: YearMonth,
}

impl Period {
    pub fn new(from: YearMonth, to: YearMonth) -> Result<Self, Error> {
        if from > to {
            return Err(Error::parse(format!("period starts ({from}) after it ends ({to})")));
        }
        Ok(Self { from, to })
    }

    pub fn single(month: YearMonth) -> Self {
        Self { from: month, to: month }
    }

    /// The same months shifted back twelve months.
    pub fn same_period_last_year(self) -> Self {
        Self { from: self.from.minus(12), to: self.to.minus(12) }
    }

    pub fn months(self) -> impl Iterator<Item = YearMonth> {
        (self.from.index()..=self.to.index()).map(YearMonth::from_index)
    }

    pub fn len(self) -> usize {
        (self.to.index() - self.from.index() + 1) as usize
    }

    pub fn is_empty(self) -> bool {
        false
    }

    pub fn contains(self, month: YearMonth) -> bool {
        self.from <= month && month <= self.to
    }

    /// "May – July 2024", "December 2023 – February 2024", "May 2024".
    pub fn describe(self) -> String {
        if self.from == self.to {
            self.from.long_name()
        } else if self.from.year() == self.to.year() {
            format!("{} – {}", self.from.month_name(), self.to.long_name())
        } else {
            format!("{} – {}", self.from.long_name(), self.to.long_name())
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

/// The kinds of period that papers and questions ask about, each ending with a given month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    /// The month itself.
    Month,
    /// The three months ending with the month.
    Quarter,
    /// Financial year to date: from April to the month.
    Fytd,
    /// The twelve months ending with the month.
    RollingYear,
    /// January to December of the month's year; the month must be December
    /// unless a partial year is asked for.
    CalendarYear,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 5] = [Self::Month, Self::Quarter, Self::Fytd, Self::RollingYear, Self::CalendarYear];

    pub fn name(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Fytd => "fytd",
            Self::RollingYear => "rolling-year",
            Self::CalendarYear => "calendar-year",
        }
    }

    /// The period of this kind that ends with `to`.
    pub fn ending(self, to: YearMonth) -> Period {
        let from = match self {
            Self::Month => to,
            Self::Quarter => to.minus(2),
            Self::Fytd => YearMonth::new(to.financial_year_start(), 4).expect("april is a month"),
            Self::RollingYear => to.minus(11),
            Self::CalendarYear => YearMonth::new(to.year(), 1).expect("january is a month"),
        };
        Period { from, to }
    }

    /// How a paper names the period: "financial year to August 2022".
    pub fn describe(self, to: YearMonth) -> String {
        match self {
            Self::Month => to.long_name(),
            Self::Quarter => format!("three months to {}", to.long_name()),
            Self::Fytd => format!("financial year to {}", to.long_name()),
            Self::RollingYear => format!("rolling year to {}", to.long_name()),
            Self::CalendarYear => {
                if to.month() == 12 {
                    format!("calendar year {}", to.year())
                } else {
                    format!("calendar year {} to {}", to.year(), to.long_name())
                }
            }
        }
    }
}

impl FromStr for PeriodKind {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|kind| kind.name() == text).ok_or_else(|| {
            Error::parse(format!(
                "'{text}' is not a period (expected month, quarter, fytd, rolling-year or calendar-year)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> YearMonth {
        text.parse().unwrap()
    }

    #[test]
    fn kinds_end_with_the_month() {
        let august = month("2022-08");
        assert_eq!(PeriodKind::Fytd.ending(august), Period { from: month("2022-04"), to: august });
        assert_eq!(PeriodKind::RollingYear.ending(august).from, month("2021-09"));
        assert_eq!(PeriodKind::Quarter.ending(month("2024-07")).from, month("2024-05"));
        assert_eq!(PeriodKind::Fytd.ending(month("2023-02")).from, month("2022-04"));
        assert_eq!(PeriodKind::CalendarYear.ending(month("2020-12")).from, month("2020-01"));
        assert_eq!(PeriodKind::RollingYear.ending(august).len(), 12);
    }

    #[test]
    fn same_period_last_year_shifts_twelve_months() {
        let quarter = PeriodKind::Quarter.ending(month("2024-07"));
        let last = quarter.same_period_last_year();
        assert_eq!((last.from, last.to), (month("2023-05"), month("2023-07")));
        assert_eq!(quarter.describe(), "May – July 2024");
        assert_eq!(
            Period::new(month("2023-12"), month("2024-02")).unwrap().describe(),
            "December 2023 – February 2024"
        );
    }
}
