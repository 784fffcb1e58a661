//! The records Scrutiny counts, as read from a force extract or open data:
//! crimes, outcomes, suspect activity, ASB incidents and police.uk rows.

use std::fmt;

use compact_str::CompactString;
use serde::Serialize;

use crate::definitions::{AsbType, SuspectEvent};
use crate::flags::Flags;
use crate::{Error, YearMonth};

/// A calendar date, in four bytes (records hold several: millions of them
/// are in memory during an import).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// 1000 to 9999.
    year: i16,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, Error> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(Error::parse(format!("{year:04}-{month:02}-{day:02} is not a date")));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if !(1..=days).contains(&day) {
            return Err(Error::parse(format!(
                "{year:04}-{month:02}-{day:02} is not a date (day {day} of a {days}-day month)"
            )));
        }
        Ok(Date { year: year as i16, month: month as u8, day: day as u8 })
    }

    /// Parses `YYYY-MM-DD`, ignoring a time part after `T` or a space.
    pub fn parse(text: &str) -> Result<Date, Error> {
        let bad = || Error::parse(format!("'{text}' is not a date (expected YYYY-MM-DD)"));
        let bytes = text.as_bytes();
        if bytes.len() < 10 || (bytes.len() > 10 && bytes[10] != b'T' && bytes[10] != b' ') {
            return Err(bad());
        }
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(bad());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, Error> {
            let mut value = 0u32;
            for &byte in &bytes[range] {
                if !byte.is_ascii_digit() {
                    return Err(bad());
                }
                value = value * 10 + u32::from(byte - b'0');
            }
            Ok(value)
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        Date::new(year as i32, month, day).map_err(|error| {
            if (1..=12).contains(&month) {
                error
            } else {
                Error::parse(format!("'{text}' is not a date (there is no month {month})"))
            }
        })
    }

    pub fn year_month(self) -> YearMonth {
        YearMonth::new(i32::from(self.year), u32::from(self.month)).expect("a valid date has a valid month")
    }

    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A crime's status on the extract date. Only recorded crimes are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrimeStatus {
    Recorded = 0,
    Cancelled = 1,
    Transferred = 2,
}

impl CrimeStatus {
    pub const ALL: [CrimeStatus; 3] = [Self::Recorded, Self::Cancelled, Self::Transferred];

    pub fn name(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::Cancelled => "cancelled",
            Self::Transferred => "transferred",
        }
    }

    pub fn parse(text: &str) -> Result<CrimeStatus, Error> {
        Self::ALL.into_iter().find(|status| status.name().eq_ignore_ascii_case(text)).ok_or_else(|| {
            Error::parse(format!("'{text}' is not a status (expected recorded, cancelled or transferred)"))
        })
    }

    pub fn from_code(code: u8) -> Option<CrimeStatus> {
        Self::ALL.into_iter().find(|status| *status as u8 == code)
    }
}

/// One recorded crime.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Crime {
    pub reference: CompactString,
    pub recorded: Date,
    pub offence_code: CompactString,
    pub district: CompactString,
    pub flags: Flags,
    pub status: CrimeStatus,
}

/// One outcome assigned to a crime.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub crime_reference: CompactString,
    pub outcome_type: u8,
    pub date: Date,
}

/// One arrest or interview of a suspect.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SuspectActivity {
    pub crime_reference: CompactString,
    pub event: SuspectEvent,
    pub date: Date,
}

/// One anti-social behaviour incident.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AsbIncident {
    pub reference: CompactString,
    pub date: Date,
    pub asb_type: AsbType,
    pub district: CompactString,
}

/// One row of a data.police.uk street-level file (a crime or an ASB incident).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PoliceUkRow {
    /// Empty for anti-social behaviour.
    pub crime_id: String,
    pub month: YearMonth,
    pub crime_type: String,
    /// District from the LSOA name; "No location" where the row has none.
    pub district: String,
    pub last_outcome: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(Date::parse("2024-05-31T14:02:00").unwrap().year_month().to_string(), "2024-05");
        assert!(Date::parse("2023-02-29").unwrap_err().message().contains("28-day month"));
        assert!(Date::parse("2024-13-01").unwrap_err().message().contains("is not a date"));
        assert!(Date::parse("31/05/2024").is_err());
        assert!(Date::parse("2024-5-1").is_err());
        assert!(Date::parse("2024-05-01x").is_err());
        let latest = Date::parse("9999-12-31").unwrap();
        assert_eq!((latest.year(), latest.month(), latest.day()), (9999, 12, 31));
        assert!(Date::parse("1000-01-01").unwrap() < latest);
        assert!(Date::new(10_000, 1, 1).is_err() && Date::new(999, 1, 1).is_err());
    }

    #[test]
    fn records_are_small() {
        // Millions are held during an import: each byte is megabytes of memory.
        assert_eq!(std::mem::size_of::<Date>(), 4);
        assert!(std::mem::size_of::<Crime>() <= 80, "a crime is {} bytes", std::mem::size_of::<Crime>());
        assert!(std::mem::size_of::<Outcome>() <= 32, "an outcome is {} bytes", std::mem::size_of::<Outcome>());
    }
}
