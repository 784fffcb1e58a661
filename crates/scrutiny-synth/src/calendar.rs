//! The days and months an extract covers, numbered from its first day, with
//! every date's `YYYY-MM-DD` text made once so that writing a row formats
//! nothing.

use scrutiny_core::YearMonth;

/// One covered month.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Month {
    pub(crate) month: YearMonth,
    /// Day number (from the first covered day) of the 1st.
    pub(crate) first_day: u32,
    pub(crate) days: u32,
}

impl Month {
    pub(crate) fn last_day(&self) -> u32 {
        self.first_day + self.days - 1
    }
}

/// The covered months and their days.
#[derive(Debug, Clone)]
pub(crate) struct Calendar {
    months: Vec<Month>,
    /// For each day: its month's position.
    day_months: Vec<u16>,
    /// For each day: `YYYY-MM-DD`.
    texts: Vec<[u8; 10]>,
}

pub(crate) fn days_in_month(month: YearMonth) -> u32 {
    let year = month.year();
    match month.month() {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Calendar {
    /// `from` and `to` inclusive; `from` <= `to`.
    pub(crate) fn new(from: YearMonth, to: YearMonth) -> Self {
        let mut months = Vec::new();
        let mut day_months = Vec::new();
        let mut texts = Vec::new();
        let mut first_day = 0;
        for index in from.index()..=to.index() {
            let month = YearMonth::from_index(index);
            let days = days_in_month(month);
            let position = months.len() as u16;
            months.push(Month { month, first_day, days });
            for day in 1..=days {
                let text = format!("{month}-{day:02}");
                let mut bytes = [0u8; 10];
                bytes.copy_from_slice(text.as_bytes());
                texts.push(bytes);
                day_months.push(position);
            }
            first_day += days;
        }
        Self { months, day_months, texts }
    }

    pub(crate) fn months(&self) -> &[Month] {
        &self.months
    }

    pub(crate) fn month(&self, position: usize) -> &Month {
        &self.months[position]
    }

    /// The position of a month, if covered.
    pub(crate) fn position(&self, month: YearMonth) -> Option<usize> {
        let offset = month.index() - self.months[0].month.index();
        (offset >= 0 && (offset as usize) < self.months.len()).then_some(offset as usize)
    }

    pub(crate) fn month_of_day(&self, day: u32) -> usize {
        usize::from(self.day_months[day as usize])
    }

    pub(crate) fn text(&self, day: u32) -> &[u8; 10] {
        &self.texts[day as usize]
    }

    /// The last two digits of the year of a day, for references.
    pub(crate) fn year_of_day(&self, day: u32) -> i32 {
        self.months[self.month_of_day(day)].month.year()
    }

    pub(crate) fn last_day(&self) -> u32 {
        self.texts.len() as u32 - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_days_across_a_leap_february() {
        let calendar = Calendar::new("2024-01".parse().unwrap(), "2024-03".parse().unwrap());
        assert_eq!(calendar.month(1).days, 29);
        assert_eq!(calendar.text(31), b"2024-02-01");
        assert_eq!(calendar.text(calendar.last_day()), b"2024-03-31");
        assert_eq!(calendar.month_of_day(60), 2);
        assert_eq!(calendar.position("2024-03".parse().unwrap()), Some(2));
        assert_eq!(calendar.position("2023-12".parse().unwrap()), None);
    }
}
