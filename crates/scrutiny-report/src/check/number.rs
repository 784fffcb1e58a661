//! Figures as board papers print them ("2,850", "-6.7%", "£1,591,756",
//! "0.36%", "377 years", "n/a"), held as exact decimals, and the rounding
//! rules used to decide whether a printed figure agrees with a computed one.

/// An exact decimal: `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub units: i128,
    pub scale: u32,
}

fn pow10(scale: u32) -> i128 {
    10i128.pow(scale)
}

impl Decimal {
    pub fn int(value: i128) -> Self {
        Self { units: value, scale: 0 }
    }

    /// The value in units of `10^-scale` (`scale` must not be below `self.scale`).
    pub fn at(self, scale: u32) -> i128 {
        self.units * pow10(scale.saturating_sub(self.scale))
    }

    pub fn is_zero(self) -> bool {
        self.units == 0
    }

    pub fn signum(self) -> i128 {
        self.units.signum()
    }

    pub fn abs(self) -> Self {
        Self { units: self.units.abs(), scale: self.scale }
    }

    pub fn neg(self) -> Self {
        Self { units: -self.units, scale: self.scale }
    }

    pub fn add(self, other: Self) -> Self {
        let scale = self.scale.max(other.scale);
        Self { units: self.at(scale) + other.at(scale), scale }
    }

    pub fn sub(self, other: Self) -> Self {
        self.add(other.neg())
    }

    /// Whether two decimals have the same value ("2" and "2.0" do).
    pub fn same(self, other: Self) -> bool {
        let scale = self.scale.max(other.scale);
        self.at(scale) == other.at(scale)
    }
}

/// `numerator / denominator × 100` rounded half away from zero to `scale`
/// decimal places. `denominator` must not be zero.
pub fn percent(numerator: Decimal, denominator: Decimal, scale: u32) -> Decimal {
    let common = numerator.scale.max(denominator.scale);
    let (n, d) = (numerator.at(common) * 100 * pow10(scale), denominator.at(common));
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let quotient = n / d;
    let remainder = n % d;
    let units = if 2 * remainder.abs() >= d { quotient + n.signum() } else { quotient };
    Decimal { units, scale }
}

/// Whether a printed percentage is `numerator / denominator × 100` to the
/// precision it is printed with: within half a unit of its last decimal place
/// (so both usual roundings of an exact half are accepted).
pub fn percent_agrees(printed: Decimal, numerator: Decimal, denominator: Decimal) -> bool {
    let common = numerator.scale.max(denominator.scale);
    let (n, d) = (numerator.at(common), denominator.at(common));
    let exact_scaled = n * 100 * pow10(printed.scale);
    2 * (exact_scaled - printed.units * d).abs() <= d.abs()
}

/// One cell or figure of a paper.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Figure(Figure),
    /// "n/a": no percentage on a zero baseline.
    NotApplicable,
    Empty,
    Text,
}

impl Cell {
    pub fn figure(&self) -> Option<&Figure> {
        if let Cell::Figure(figure) = self { Some(figure) } else { None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Count,
    Percent,
    /// Percentage points ("+8.2 pp").
    Points,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: Decimal,
    pub kind: Kind,
    /// Printed with thousands separators ("2,850").
    pub grouped: bool,
    /// Printed with an explicit "+".
    pub plus: bool,
    /// A unit word after the number ("years", "sec").
    pub unit: Option<String>,
    /// A currency sign before it.
    pub currency: Option<char>,
}

/// Removes what decorates a cell without changing it: HTML tags, Markdown
/// emphasis, footnote stars, no-break and narrow spaces.
pub fn clean(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for character in text.chars() {
        match character {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '\u{a0}' | '\u{202f}' | '\u{2009}' => out.push(' '),
            '\u{200b}' | '\u{feff}' => {}
            _ => out.push(character),
        }
    }
    let out = out.replace("**", "").replace("&amp;", "&");
    out.trim().trim_matches('*').trim_matches('_').trim().to_string()
}

/// Normalises minus signs and dashes used as minus signs to '-'.
pub fn normalise_minus(text: &str) -> String {
    text.replace(['\u{2212}', '\u{2013}'], "-")
}

/// Parses digits with optional thousands separators and decimals
/// ("2,850", "0.36", "1,234.5"); returns the value and whether it was grouped.
pub fn parse_digits(text: &str) -> Option<(Decimal, bool)> {
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let grouped = whole.contains(',');
    if grouped {
        let mut groups = whole.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        for group in groups {
            if group.len() != 3 || !group.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
        }
    } else if !whole.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    if digits.len() > 30 {
        return None;
    }
    let mut units: i128 = digits.parse().ok()?;
    let mut scale = 0;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || fraction.len() > 6 || !fraction.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        scale = fraction.len() as u32;
        units = units * pow10(scale) + fraction.parse::<i128>().ok()?;
    }
    Some((Decimal { units, scale }, grouped))
}

const UNITS: [&str; 12] =
    ["years", "year", "months", "sec", "secs", "seconds", "minutes", "mins", "hours", "kg", "kgs", "days"];

/// Reads one table cell.
pub fn parse_cell(text: &str) -> Cell {
    let cleaned = normalise_minus(&clean(text));
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        return Cell::Empty;
    }
    if trimmed.eq_ignore_ascii_case("n/a") || trimmed.eq_ignore_ascii_case("na") {
        return Cell::NotApplicable;
    }
    let mut rest = trimmed;
    let mut negative = false;
    let mut plus = false;
    if let Some(after) = rest.strip_prefix('-') {
        negative = true;
        rest = after.trim_start();
    } else if let Some(after) = rest.strip_prefix('+') {
        plus = true;
        rest = after.trim_start();
    }
    let mut currency = None;
    if let Some(first) = rest.chars().next()
        && matches!(first, '£' | '$' | '€')
    {
        currency = Some(first);
        rest = &rest[first.len_utf8()..];
    }
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(rest.len());
    let (number, tail) = rest.split_at(end);
    let Some((mut value, grouped)) = parse_digits(number) else { return Cell::Text };
    if negative {
        value = value.neg();
    }
    let tail = tail.trim();
    let (kind, unit) = match tail {
        "" => (Kind::Count, None),
        "%" => (Kind::Percent, None),
        "pp" | "ppt" | "ppts" | "percentage points" | "percentage point" => (Kind::Points, None),
        unit if UNITS.contains(&unit.to_ascii_lowercase().as_str()) => (Kind::Count, Some(unit.to_ascii_lowercase())),
        _ => return Cell::Text,
    };
    if currency.is_some() && kind != Kind::Count {
        return Cell::Text;
    }
    Cell::Figure(Figure { value, kind, grouped, plus, unit, currency })
}

/// "2850" → "2,850" when `grouped`.
fn group(digits: &str) -> String {
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Writes a decimal: `grouped` adds thousands separators, `plus` a "+" on a
/// positive value.
pub fn format_decimal(value: Decimal, grouped: bool, plus: bool) -> String {
    let sign = if value.units < 0 {
        "-"
    } else if plus && value.units > 0 {
        "+"
    } else {
        ""
    };
    let magnitude = value.units.unsigned_abs();
    let divisor = pow10(value.scale) as u128;
    let whole = (magnitude / divisor).to_string();
    let whole = if grouped { group(&whole) } else { whole };
    if value.scale == 0 {
        format!("{sign}{whole}")
    } else {
        let fraction = magnitude % divisor;
        format!("{sign}{whole}.{fraction:0width$}", width = value.scale as usize)
    }
}

/// Writes a count in the style of a printed figure (separators, sign, unit, currency).
pub fn format_like(value: Decimal, like: Option<&Figure>) -> String {
    let (grouped, plus, unit, currency) = match like {
        Some(figure) => (figure.grouped, figure.plus, figure.unit.clone(), figure.currency),
        None => (false, false, None, None),
    };
    let mut text = format_decimal(value, grouped, plus);
    if let Some(currency) = currency {
        let (sign, rest) =
            if let Some(rest) = text.strip_prefix('-') { ("-", rest.to_string()) } else { ("", text.clone()) };
        text = format!("{sign}{currency}{rest}");
    }
    if let Some(unit) = unit {
        text = format!("{text} {unit}");
    }
    text
}

pub fn format_percent(value: Decimal) -> String {
    format!("{}%", format_decimal(value, false, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(text: &str) -> Figure {
        match parse_cell(text) {
            Cell::Figure(figure) => figure,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn cells() {
        assert_eq!(figure("2,850").value, Decimal::int(2850));
        assert!(figure("2,850").grouped);
        assert_eq!(figure("-6.7%").value, Decimal { units: -67, scale: 1 });
        assert_eq!(figure("-6.7%").kind, Kind::Percent);
        assert_eq!(figure("£1,591,756").value, Decimal::int(1_591_756));
        assert_eq!(figure("£4,109,761*").value, Decimal::int(4_109_761));
        assert_eq!(figure("<b>1513</b>").value, Decimal::int(1513));
        assert_eq!(figure("377 years").unit.as_deref(), Some("years"));
        assert_eq!(figure("+8.2").value, Decimal { units: 82, scale: 1 });
        assert_eq!(figure("\u{2212}20").value, Decimal::int(-20));
        assert_eq!(parse_cell("n/a"), Cell::NotApplicable);
        assert_eq!(parse_cell(""), Cell::Empty);
        for text in ["34th", "Q1 23/24", "4-year difference", "2017 – 2018", "1,50", "Recorded Crime"] {
            assert_eq!(parse_cell(text), Cell::Text, "{text}");
        }
    }

    #[test]
    fn rounding() {
        let d = Decimal::int;
        assert_eq!(percent(d(-76), d(14849), 1), Decimal { units: -5, scale: 1 });
        assert_eq!(percent(d(-2439), d(39023), 1), Decimal { units: -63, scale: 1 });
        assert!(percent_agrees(Decimal { units: 13, scale: 0 }, d(19157), d(147081)));
        assert!(!percent_agrees(Decimal { units: 14, scale: 0 }, d(19157), d(147081)));
        // An exact half may be rounded either way by the paper.
        assert!(percent_agrees(Decimal { units: 1, scale: 0 }, d(1), d(200)));
        assert!(percent_agrees(Decimal { units: 0, scale: 0 }, d(1), d(200)));
        assert_eq!(format_decimal(Decimal::int(-2330), false, false), "-2330");
        assert_eq!(format_decimal(Decimal::int(1305), true, false), "1,305");
        assert_eq!(format_decimal(Decimal { units: 82, scale: 1 }, false, true), "+8.2");
        assert_eq!(format_decimal(Decimal { units: -5, scale: 2 }, false, false), "-0.05");
    }
}
