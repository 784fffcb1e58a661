//! The arithmetic of one table: number and % changes against the two
//! periods, totals against their rows, calls not answered against calls
//! received and answered, rates against their counts, percentage-point
//! changes against the two rates, and calendar-year and N-year differences.
//!
//! Each relation is a rule over cells. When the broken rules can all be
//! mended by changing one cell, that cell is reported once (an altered figure
//! gives one finding); otherwise each broken rule is reported at the cell it
//! defines.

use std::collections::{BTreeMap, BTreeSet};

use super::Finding;
use super::number::{
    Cell, Decimal, Figure, Kind, clean, format_like, format_percent, parse_cell, percent, percent_agrees,
};
use super::table::Table;

/// (row, column): a cell after the label column.
pub type Id = (usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Value,
    LastYear,
    LastYearCount,
    PctChange,
    NumberChange,
    Points,
    Rate,
    LastYearRate,
}

pub fn role(header: &str) -> Role {
    let h = header.to_lowercase();
    let h = h.trim();
    if h.contains("percentage point") || h.contains("(pp)") || h == "pp" {
        return Role::Points;
    }
    let percentish = h.contains('%') || h.contains("percent");
    if percentish && (h.contains("change") || h.contains("difference")) {
        return Role::PctChange;
    }
    if h.contains("change") || h.contains("difference") {
        return Role::NumberChange;
    }
    if h.starts_with("last year") || h.starts_with("previous year") || h.contains("same period last year") {
        if h.contains("rate") || percentish {
            return Role::LastYearRate;
        }
        if h.contains(':') {
            return Role::LastYearCount;
        }
        return Role::LastYear;
    }
    if h == "rate" || h.ends_with(" rate") || h.starts_with("rate ") || percentish {
        return Role::Rate;
    }
    Role::Value
}

#[derive(Debug, Clone)]
enum Rule {
    /// target = Σ parts
    Sum { target: Id, parts: Vec<Id> },
    /// target = a − b
    Diff { target: Id, a: Id, b: Id },
    /// target = (current − base) / base, "n/a" on a zero base
    PctChange { target: Id, current: Id, base: Id },
    /// target = change / (current − change): the first row of a calendar table
    PctImplied { target: Id, current: Id, change: Id },
    /// target = numerator / denominator
    Ratio { target: Id, numerator: Id, denominator: Id },
    /// target = a − b, in percentage points between two printed rates
    Points { target: Id, a: Id, b: Id },
}

struct Described {
    rule: Rule,
    /// Why the relation holds, in words.
    why: String,
}

impl Rule {
    /// Whether the rule's target is a percentage.
    fn is_percent(&self) -> bool {
        matches!(self, Rule::PctChange { .. } | Rule::PctImplied { .. } | Rule::Ratio { .. })
    }

    fn target(&self) -> Id {
        match self {
            Rule::Sum { target, .. }
            | Rule::Diff { target, .. }
            | Rule::PctChange { target, .. }
            | Rule::PctImplied { target, .. }
            | Rule::Ratio { target, .. }
            | Rule::Points { target, .. } => *target,
        }
    }

    fn cells(&self) -> Vec<Id> {
        let mut cells = vec![self.target()];
        match self {
            Rule::Sum { parts, .. } => cells.extend(parts),
            Rule::Diff { a, b, .. } | Rule::Points { a, b, .. } => cells.extend([*a, *b]),
            Rule::PctChange { current, base, .. } => cells.extend([*current, *base]),
            Rule::PctImplied { current, change, .. } => cells.extend([*current, *change]),
            Rule::Ratio { numerator, denominator, .. } => cells.extend([*numerator, *denominator]),
        }
        cells
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(Decimal),
    NotApplicable,
}

#[derive(Debug)]
enum Outcome {
    Holds,
    Unknown,
    Fails(Value),
}

/// A parsed table with the roles of its columns.
pub struct Grid<'a> {
    pub table: &'a Table,
    pub cells: Vec<Vec<Cell>>,
    pub roles: Vec<Role>,
    /// Values after mending (a cell found to be the one misprint holds the
    /// value the rest of the table implies).
    values: BTreeMap<Id, Value>,
}

impl<'a> Grid<'a> {
    pub fn new(table: &'a Table) -> Self {
        let cells: Vec<Vec<Cell>> =
            table.rows.iter().map(|row| row.cells.iter().map(|cell| parse_cell(&cell.text)).collect()).collect();
        let roles = table.columns.iter().map(|header| role(header)).collect();
        let mut values = BTreeMap::new();
        for (row, cells) in cells.iter().enumerate() {
            for (column, cell) in cells.iter().enumerate() {
                match cell {
                    Cell::Figure(figure) => {
                        values.insert((row, column), Value::Number(figure.value));
                    }
                    Cell::NotApplicable => {
                        values.insert((row, column), Value::NotApplicable);
                    }
                    _ => {}
                }
            }
        }
        Self { table, cells, roles, values }
    }

    pub fn number(&self, id: Id) -> Option<Decimal> {
        match self.values.get(&id) {
            Some(Value::Number(value)) => Some(*value),
            _ => None,
        }
    }

    fn kind(&self, id: Id) -> Option<Kind> {
        self.cells.get(id.0).and_then(|row| row.get(id.1)).and_then(|cell| cell.figure()).map(|figure| figure.kind)
    }

    fn figure(&self, id: Id) -> Option<&Figure> {
        self.cells.get(id.0).and_then(|row| row.get(id.1)).and_then(|cell| cell.figure())
    }

    fn is_count(&self, id: Id) -> bool {
        self.kind(id) == Some(Kind::Count)
    }

    fn is_percent(&self, id: Id) -> bool {
        self.kind(id) == Some(Kind::Percent)
    }

    fn name(&self, id: Id) -> String {
        let label = &self.table.rows[id.0].label;
        let column = self.table.columns.get(id.1).map(String::as_str).unwrap_or("");
        match (label.is_empty(), column.is_empty()) {
            (false, false) => format!("{label}, {column}"),
            (false, true) => label.clone(),
            (true, false) => column.to_string(),
            (true, true) => "a cell".to_string(),
        }
    }

    fn printed(&self, id: Id) -> String {
        clean(&self.table.rows[id.0].cells[id.1].text)
    }

    fn line(&self, id: Id) -> usize {
        self.table.rows[id.0].cells[id.1].line
    }

    fn show(&self, id: Id) -> String {
        match self.number(id) {
            Some(value) if self.is_percent(id) => format_percent(value),
            Some(value) => format_like(value, self.figure(id)),
            None => self.printed(id),
        }
    }

    fn show_value(&self, id: Id, value: &Value, percentage: bool) -> String {
        match value {
            Value::NotApplicable => "n/a".to_string(),
            Value::Number(number) => match self.kind(id) {
                _ if percentage => format_percent(*number),
                Some(Kind::Percent) => format_percent(*number),
                Some(Kind::Points) => format!("{} pp", format_like(*number, self.figure(id))),
                _ => format_like(*number, self.figure(id)),
            },
        }
    }

    fn percent_scale(&self, id: Id) -> u32 {
        self.number(id).map(|value| value.scale).unwrap_or(1).max(1)
    }

    fn evaluate(&self, rule: &Rule) -> Outcome {
        let get = |id: Id| self.number(id);
        match rule {
            Rule::Sum { target, parts } => {
                let Some(total) = get(*target) else { return Outcome::Unknown };
                let mut sum = Decimal::int(0);
                for part in parts {
                    let Some(value) = get(*part) else { return Outcome::Unknown };
                    sum = sum.add(value);
                }
                if sum.same(total) { Outcome::Holds } else { Outcome::Fails(Value::Number(sum)) }
            }
            Rule::Diff { target, a, b } | Rule::Points { target, a, b } => {
                let (Some(value), Some(a), Some(b)) = (get(*target), get(*a), get(*b)) else { return Outcome::Unknown };
                let difference = a.sub(b);
                if difference.same(value) { Outcome::Holds } else { Outcome::Fails(Value::Number(difference)) }
            }
            Rule::PctChange { target, current, base } => {
                let (Some(current), Some(base)) = (get(*current), get(*base)) else { return Outcome::Unknown };
                self.check_percent(*target, current.sub(base), base)
            }
            Rule::PctImplied { target, current, change } => {
                let (Some(current), Some(change)) = (get(*current), get(*change)) else { return Outcome::Unknown };
                self.check_percent(*target, change, current.sub(change))
            }
            Rule::Ratio { target, numerator, denominator } => {
                let (Some(numerator), Some(denominator)) = (get(*numerator), get(*denominator)) else {
                    return Outcome::Unknown;
                };
                if denominator.is_zero() {
                    return Outcome::Unknown;
                }
                let Some(printed) = get(*target) else { return Outcome::Unknown };
                if percent_agrees(printed, numerator, denominator) {
                    Outcome::Holds
                } else {
                    Outcome::Fails(Value::Number(percent(numerator, denominator, self.percent_scale(*target))))
                }
            }
        }
    }

    fn check_percent(&self, target: Id, change: Decimal, base: Decimal) -> Outcome {
        match self.values.get(&target) {
            None => Outcome::Unknown,
            Some(Value::NotApplicable) if base.is_zero() => Outcome::Holds,
            Some(_) if base.is_zero() => Outcome::Fails(Value::NotApplicable),
            Some(Value::NotApplicable) => Outcome::Fails(Value::Number(percent(change, base, 1))),
            Some(Value::Number(printed)) => {
                if percent_agrees(*printed, change, base) {
                    Outcome::Holds
                } else {
                    Outcome::Fails(Value::Number(percent(change, base, self.percent_scale(target))))
                }
            }
        }
    }

    /// The value `id` would need for `rule` to hold, if the rule says.
    fn solve(&self, rule: &Rule, id: Id) -> Option<Value> {
        let get = |id: Id| self.number(id);
        match rule {
            Rule::Sum { target, parts } => {
                let total = get(*target);
                let mut sum = Decimal::int(0);
                for part in parts.iter().filter(|part| **part != id) {
                    sum = sum.add(get(*part)?);
                }
                if id == *target { Some(Value::Number(sum)) } else { Some(Value::Number(total?.sub(sum))) }
            }
            Rule::Diff { target, a, b } | Rule::Points { target, a, b } => {
                if id == *target {
                    Some(Value::Number(get(*a)?.sub(get(*b)?)))
                } else if id == *a {
                    Some(Value::Number(get(*target)?.add(get(*b)?)))
                } else {
                    Some(Value::Number(get(*a)?.sub(get(*target)?)))
                }
            }
            _ if id == rule.target() => match self.evaluate(rule) {
                Outcome::Fails(value) => Some(value),
                _ => None,
            },
            _ => None,
        }
    }

    fn arithmetic(&self, rule: &Rule) -> String {
        let show = |id: Id| self.show(id);
        match rule {
            Rule::Sum { parts, .. } => parts.iter().map(|part| show(*part)).collect::<Vec<_>>().join(" + "),
            Rule::Diff { a, b, .. } | Rule::Points { a, b, .. } => format!("{} − {}", show(*a), show(*b)),
            Rule::PctChange { current, base, .. } => {
                format!("({} − {}) ÷ {}", show(*current), show(*base), show(*base))
            }
            Rule::PctImplied { current, change, .. } => {
                format!("{} ÷ ({} − {})", show(*change), show(*current), show(*change))
            }
            Rule::Ratio { numerator, denominator, .. } => format!("{} ÷ {}", show(*numerator), show(*denominator)),
        }
    }
}

fn is_total_label(label: &str) -> bool {
    let label = label.to_lowercase();
    let label = label.trim().trim_end_matches(':');
    let words: Vec<&str> = label.split_whitespace().collect();
    match words.as_slice() {
        ["total"] | ["grand", "total"] | ["overall", "total"] => true,
        [number, "month" | "months", "total"] => number.chars().all(|c| c.is_ascii_digit()),
        [_, "total"] => label.ends_with("month total") || label.ends_with("year total"),
        _ => false,
    }
}

fn is_difference_label(label: &str) -> bool {
    label.to_lowercase().contains("difference")
}

/// "2017", "2020* not yet validated" → the year.
pub fn year_label(label: &str) -> Option<i32> {
    let digits: String = label.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &label[digits.len()..];
    if digits.len() != 4 || rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/' || c == '-') {
        return None;
    }
    digits.parse().ok().filter(|year| (1900..2200).contains(year))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "January", "Jan", "Sept" → 1-based month.
pub fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|month| {
            *month == name || (name.len() >= 3 && month.starts_with(&name) && (name.len() == 3 || name == "sept"))
        })
        .map(|index| index as u32 + 1)
}

/// "May 2024", "July 2024*", "May 24", "Jul-23", "2024-05" → (month, year).
pub fn month_label(label: &str) -> Option<(u32, Option<i32>)> {
    let label = label.trim().trim_end_matches('*').trim();
    if let Some((year, month)) = label.split_once('-')
        && year.len() == 4
        && month.len() == 2
        && let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>())
        && (1..=12).contains(&month)
    {
        return Some((month, Some(year)));
    }
    let mut parts = label.split([' ', '-']).filter(|part| !part.is_empty());
    let month = month_number(parts.next()?)?;
    let year = match parts.next() {
        None => None,
        Some(year) if year.len() == 4 => Some(year.parse().ok()?),
        Some(year) if year.len() == 2 => Some(2000 + year.parse::<i32>().ok()?),
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((month, year))
}

/// Two figures compared: this period and the one before.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub current: Decimal,
    pub previous: Decimal,
}

impl Change {
    pub fn difference(&self) -> Decimal {
        self.current.sub(self.previous)
    }
}

#[derive(Debug, Clone)]
pub struct MonthFact {
    pub label: String,
    pub month: u32,
    pub year: Option<i32>,
    pub change: Change,
}

/// A rate row: numerator and denominator now and last year.
#[derive(Debug, Clone, Copy)]
pub struct RateFact {
    pub numerator: Decimal,
    pub denominator: Decimal,
    pub last_numerator: Decimal,
    pub last_denominator: Decimal,
}

/// What the sentences after a table can be checked against: the table's
/// figures after mending.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// A table of this period against last year, with month rows.
    pub months: Vec<MonthFact>,
    pub total: Option<(String, Change)>,
    /// A calendar-year table: each year's figure (with the year before the
    /// first, implied by its number change) and the latest year's change.
    pub years: Vec<(i32, Decimal, bool)>,
    pub latest: Option<(i32, Change)>,
    pub difference: Option<(String, Change)>,
    pub rate: Option<RateFact>,
    pub unit: String,
}

impl Facts {
    pub fn is_counts(&self) -> bool {
        self.total.is_some() || !self.months.is_empty() || self.latest.is_some() || self.difference.is_some()
    }
}

/// Checks a table's arithmetic; returns its findings and its facts.
pub fn check(file: &str, table: &Table) -> (Vec<Finding>, Facts) {
    let mut grid = Grid::new(table);
    let rules = rules(&grid);
    let findings = resolve(file, &mut grid, &rules);
    let facts = facts(&grid);
    (findings, facts)
}

fn rules(grid: &Grid) -> Vec<Described> {
    let table = grid.table;
    let roles = &grid.roles;
    let mut rules = Vec::new();
    let find = |role: Role| roles.iter().position(|r| *r == role);
    let last_year = find(Role::LastYear);
    let current = match last_year {
        Some(last) => (0..last).rev().find(|column| roles[*column] == Role::Value),
        None => find(Role::Value),
    };
    let pct = find(Role::PctChange);
    let change = find(Role::NumberChange);
    let rows = table.rows.len();
    let year_rows: Vec<(usize, i32)> =
        (0..rows).filter_map(|row| year_label(&table.rows[row].label).map(|year| (row, year))).collect();
    let calendar = last_year.is_none() && (pct.is_some() || change.is_some()) && year_rows.len() >= 2;

    // This period against last year.
    if let (Some(current), Some(last)) = (current, last_year) {
        for row in 0..rows {
            if let Some(change) = change {
                rules.push(Described {
                    rule: Rule::Diff { target: (row, change), a: (row, current), b: (row, last) },
                    why: "the number change is this period's figure less last year's".into(),
                });
            }
            if let Some(pct) = pct {
                rules.push(Described {
                    rule: Rule::PctChange { target: (row, pct), current: (row, current), base: (row, last) },
                    why: "the % change is the number change divided by last year's figure".into(),
                });
            }
        }
    }

    // Calendar years: each year against the one before; the N-year difference.
    if calendar && let Some(current) = current {
        let mut previous: Option<(usize, i32)> = None;
        for &(row, year) in &year_rows {
            match previous {
                Some((before, previous_year)) if previous_year + 1 == year => {
                    if let Some(change) = change {
                        rules.push(Described {
                            rule: Rule::Diff { target: (row, change), a: (row, current), b: (before, current) },
                            why: format!("the number change is {year}'s figure less {previous_year}'s"),
                        });
                    }
                    if let Some(pct) = pct {
                        rules.push(Described {
                            rule: Rule::PctChange {
                                target: (row, pct),
                                current: (row, current),
                                base: (before, current),
                            },
                            why: format!("the % change is the number change divided by {previous_year}'s figure"),
                        });
                    }
                }
                Some(_) => {}
                None => {
                    if let (Some(pct), Some(change)) = (pct, change) {
                        rules.push(Described {
                            rule: Rule::PctImplied { target: (row, pct), current: (row, current), change: (row, change) },
                            why: format!("the % change is the number change divided by the year before's figure ({year}'s figure less the number change)"),
                        });
                    }
                }
            }
            previous = Some((row, year));
        }
        let (first, first_year) = year_rows[0];
        let (last, last_year_number) = year_rows[year_rows.len() - 1];
        for row in (0..rows).filter(|row| is_difference_label(&table.rows[*row].label)) {
            if let Some(change) = change {
                rules.push(Described {
                    rule: Rule::Diff { target: (row, change), a: (last, current), b: (first, current) },
                    why: format!("the difference is {last_year_number}'s figure less {first_year}'s"),
                });
            }
            if let Some(pct) = pct {
                rules.push(Described {
                    rule: Rule::PctChange { target: (row, pct), current: (last, current), base: (first, current) },
                    why: format!("the % difference is the difference divided by {first_year}'s figure"),
                });
            }
        }
    }

    // Totals: a total row is the sum of the rows above it.
    let mut start = 0;
    for row in 0..rows {
        let label = &table.rows[row].label;
        if !is_total_label(label) {
            continue;
        }
        let parts: Vec<usize> = (start..row)
            .filter(|part| {
                let label = table.rows[*part].label.to_lowercase();
                !is_difference_label(&label)
                    && !is_total_label(&label)
                    && !["average", "rate", "%", "mean", "median", "per "].iter().any(|word| label.contains(word))
            })
            .collect();
        start = row + 1;
        if parts.len() < 2 {
            continue;
        }
        for (column, role) in roles.iter().enumerate() {
            if !matches!(role, Role::Value | Role::LastYear | Role::LastYearCount) {
                continue;
            }
            let unit = grid.figure((row, column)).map(|figure| figure.unit.clone());
            let additive = grid.is_count((row, column))
                && parts.iter().all(|part| {
                    grid.is_count((*part, column))
                        && grid.figure((*part, column)).map(|figure| figure.unit.clone()) == unit
                });
            if additive {
                rules.push(Described {
                    rule: Rule::Sum {
                        target: (row, column),
                        parts: parts.iter().map(|part| (*part, column)).collect(),
                    },
                    why: "a total is the sum of the rows above it".into(),
                });
            }
        }
    }

    // A total column ("Overall Total") is the sum of the other columns.
    if last_year.is_none() && !calendar && pct.is_none() && change.is_none() {
        let last = roles.len() - 1;
        if roles.len() >= 3 && table.columns[last].to_lowercase().contains("total") && roles[last] == Role::Value {
            let parts: Vec<usize> = (0..last).filter(|column| roles[*column] == Role::Value).collect();
            for row in 0..rows {
                let unit = grid.figure((row, last)).map(|figure| figure.unit.clone());
                let counted: Vec<usize> =
                    parts.iter().copied().filter(|column| grid.is_count((row, *column))).collect();
                if counted.len() >= 2
                    && counted.len() == parts.len()
                    && grid.is_count((row, last))
                    && counted
                        .iter()
                        .all(|column| grid.figure((row, *column)).map(|figure| figure.unit.clone()) == unit)
                {
                    rules.push(Described {
                        rule: Rule::Sum {
                            target: (row, last),
                            parts: counted.iter().map(|column| (row, *column)).collect(),
                        },
                        why: format!("the {} is the sum of the other columns", table.columns[last].to_lowercase()),
                    });
                }
            }
        }
    }

    // Rates against their counts: a rate column after its numerator and
    // denominator; the change in percentage points between the two rates.
    let mut rate_columns = (None, None);
    for column in 0..roles.len() {
        let (counts, is_rate) = match roles[column] {
            Role::Rate => ([Role::Value, Role::Value], true),
            Role::LastYearRate => ([Role::LastYearCount, Role::LastYearCount], false),
            _ => continue,
        };
        if column < 2 || roles[column - 2] != counts[0] || roles[column - 1] != counts[1] {
            continue;
        }
        if is_rate {
            rate_columns.0 = Some(column);
        } else {
            rate_columns.1 = Some(column);
        }
        for row in 0..rows {
            if grid.is_percent((row, column)) && grid.is_count((row, column - 2)) && grid.is_count((row, column - 1)) {
                rules.push(Described {
                    rule: Rule::Ratio {
                        target: (row, column),
                        numerator: (row, column - 2),
                        denominator: (row, column - 1),
                    },
                    why: format!(
                        "the rate is {} divided by {}",
                        table.columns[column - 2].to_lowercase(),
                        table.columns[column - 1].to_lowercase()
                    ),
                });
            }
        }
    }
    if let ((Some(rate), Some(last_rate)), Some(points)) = (rate_columns, find(Role::Points)) {
        for row in 0..rows {
            rules.push(Described {
                rule: Rule::Points { target: (row, points), a: (row, rate), b: (row, last_rate) },
                why: "the change in percentage points is this period's rate less last year's".into(),
            });
        }
    }

    // Calls: received − answered = not answered; % not answered = not answered ÷ received.
    let find_row = |test: &dyn Fn(&str) -> bool| (0..rows).find(|row| test(&table.rows[*row].label.to_lowercase()));
    let not_answered_words =
        |label: &str| label.contains("not answered") || label.contains("unanswered") || label.contains("abandon");
    let received = find_row(&|label| label.contains("received") && !label.contains('%'));
    let answered = find_row(&|label| {
        label.contains("answered")
            && !not_answered_words(label)
            && !["%", "under", "over", "within", "second", "time", "average"].iter().any(|word| label.contains(word))
    });
    let not_answered =
        find_row(&|label| not_answered_words(label) && !label.contains('%') && !label.contains("percent"));
    let pct_not_answered =
        find_row(&|label| not_answered_words(label) && (label.contains('%') || label.contains("percent")));
    for column in 0..roles.len() {
        if let (Some(received), Some(answered), Some(not_answered)) = (received, answered, not_answered)
            && [received, answered, not_answered].iter().all(|row| grid.is_count((*row, column)))
        {
            rules.push(Described {
                rule: Rule::Diff { target: (not_answered, column), a: (received, column), b: (answered, column) },
                why: "calls not answered are calls received less calls answered".into(),
            });
        }
        if let (Some(received), Some(not_answered), Some(pct)) = (received, not_answered, pct_not_answered)
            && grid.is_percent((pct, column))
        {
            rules.push(Described {
                rule: Rule::Ratio {
                    target: (pct, column),
                    numerator: (not_answered, column),
                    denominator: (received, column),
                },
                why: "% not answered is calls not answered divided by calls received".into(),
            });
        }
    }

    // Survey answers: each response's percentage is its count divided by
    // the number who answered.
    let percent_column = table.columns.iter().position(|header| header.to_lowercase().contains("percent"));
    let count_column = table.columns.iter().position(|header| {
        let header = header.to_lowercase();
        header.contains("total") || header.contains("count") || header.contains("number")
    });
    if let (Some(percent_column), Some(count_column)) = (percent_column, count_column) {
        let answered_row = (0..rows).find(|row| {
            table.rows[*row].label.eq_ignore_ascii_case("answered")
                || table.rows[*row].cells.iter().any(|cell| clean(&cell.text).eq_ignore_ascii_case("answered"))
        });
        if let Some(answered_row) = answered_row
            && grid.is_count((answered_row, count_column))
        {
            for row in (0..rows).filter(|row| *row != answered_row) {
                if grid.is_percent((row, percent_column)) && grid.is_count((row, count_column)) {
                    rules.push(Described {
                        rule: Rule::Ratio {
                            target: (row, percent_column),
                            numerator: (row, count_column),
                            denominator: (answered_row, count_column),
                        },
                        why: "each response's percentage is its count divided by the number who answered".into(),
                    });
                }
            }
        }
    }
    rules
}

/// The message for a rule broken at the cell it defines.
fn target_message(grid: &Grid, described: &Described, value: &Value, printed: &str, expected: &str) -> String {
    let target = described.rule.target();
    match value {
        Value::NotApplicable => format!(
            "{}: the figure it is compared with is 0, so there is no percentage change: it should be n/a",
            grid.name(target)
        ),
        Value::Number(_) => {
            format!(
                "{}: {}: {} = {expected}, not {printed}",
                grid.name(target),
                described.why,
                grid.arithmetic(&described.rule)
            )
        }
    }
}

fn resolve(file: &str, grid: &mut Grid, rules: &[Described]) -> Vec<Finding> {
    let failing: Vec<(usize, Value)> = rules
        .iter()
        .enumerate()
        .filter_map(|(index, described)| match grid.evaluate(&described.rule) {
            Outcome::Fails(value) => Some((index, value)),
            _ => None,
        })
        .collect();
    if failing.is_empty() {
        return Vec::new();
    }
    // Cells that every broken rule involves.
    let mut shared: BTreeSet<Id> = rules[failing[0].0].rule.cells().into_iter().collect();
    for (index, _) in &failing[1..] {
        let cells: BTreeSet<Id> = rules[*index].rule.cells().into_iter().collect();
        shared = shared.intersection(&cells).copied().collect();
    }
    let mut culprits = Vec::new();
    for id in shared {
        let Some((rule, value)) =
            failing.iter().find_map(|(index, _)| grid.solve(&rules[*index].rule, id).map(|value| (*index, value)))
        else {
            continue;
        };
        let saved = grid.values.insert(id, value.clone());
        let mended = rules
            .iter()
            .filter(|described| described.rule.cells().contains(&id))
            .all(|described| !matches!(grid.evaluate(&described.rule), Outcome::Fails(_)));
        match saved {
            Some(saved) => grid.values.insert(id, saved),
            None => grid.values.remove(&id),
        };
        if mended {
            culprits.push((id, rule, value));
        }
    }
    if let [(id, rule, value)] = culprits.as_slice() {
        let (id, rule, value) = (*id, *rule, value.clone());
        let described = &rules[rule];
        let printed = grid.printed(id);
        let expected = grid.show_value(id, &value, id == described.rule.target() && described.rule.is_percent());
        let message = if id == described.rule.target() {
            target_message(grid, described, &value, &printed, &expected)
        } else {
            let target = described.rule.target();
            format!(
                "{}: {printed} does not agree with the rest of the table ({}: {} is {}); {expected} would agree with every figure",
                grid.name(id),
                described.why,
                grid.name(target),
                grid.printed(target)
            )
        };
        let finding = Finding { file: file.to_string(), line: grid.line(id), message, printed, expected };
        grid.values.insert(id, value);
        return vec![finding];
    }
    failing
        .into_iter()
        .map(|(index, value)| {
            let described = &rules[index];
            let target = described.rule.target();
            let printed = grid.printed(target);
            let expected = grid.show_value(target, &value, described.rule.is_percent());
            let message = target_message(grid, described, &value, &printed, &expected);
            Finding { file: file.to_string(), line: grid.line(target), message, printed, expected }
        })
        .collect()
}

fn facts(grid: &Grid) -> Facts {
    let table = grid.table;
    let roles = &grid.roles;
    let mut facts = Facts { unit: String::new(), ..Facts::default() };
    let find = |role: Role| roles.iter().position(|r| *r == role);
    let last_year = find(Role::LastYear);
    let current = match last_year {
        Some(last) => (0..last).rev().find(|column| roles[*column] == Role::Value),
        None => find(Role::Value),
    };
    if let Some(current) = current {
        facts.unit = table.columns[current].to_lowercase();
    }
    if let (Some(current), Some(last)) = (current, last_year) {
        for (index, row) in table.rows.iter().enumerate() {
            let (Some(now), Some(then)) = (grid.number((index, current)), grid.number((index, last))) else { continue };
            let change = Change { current: now, previous: then };
            if is_total_label(&row.label) {
                if facts.total.is_none() {
                    facts.total = Some((row.label.clone(), change));
                }
            } else if let Some((month, year)) = month_label(&row.label) {
                facts.months.push(MonthFact {
                    label: row.label.trim_end_matches('*').trim().to_string(),
                    month,
                    year,
                    change,
                });
            }
        }
        if facts.total.is_none() && facts.months.is_empty() && table.rows.len() == 1 {
            let row = &table.rows[0];
            if let (Some(now), Some(then)) = (grid.number((0, current)), grid.number((0, last))) {
                facts.total = Some((row.label.clone(), Change { current: now, previous: then }));
            }
        }
    }
    let pct = find(Role::PctChange);
    let change = find(Role::NumberChange);
    if last_year.is_none()
        && (pct.is_some() || change.is_some())
        && let Some(current) = current
    {
        let years: Vec<(usize, i32, Decimal)> = table
            .rows
            .iter()
            .enumerate()
            .filter_map(|(index, row)| Some((index, year_label(&row.label)?, grid.number((index, current))?)))
            .collect();
        if years.len() >= 2 {
            let (first_row, first_year, first_value) = years[0];
            if let Some(change) = change.and_then(|column| grid.number((first_row, column))) {
                facts.years.push((first_year - 1, first_value.sub(change), true));
            }
            facts.years.extend(years.iter().map(|(_, year, value)| (*year, *value, false)));
            let (_, last_year_number, last_value) = years[years.len() - 1];
            let (_, before_year, before_value) = years[years.len() - 2];
            if before_year + 1 == last_year_number {
                facts.latest = Some((last_year_number, Change { current: last_value, previous: before_value }));
            }
            if let Some(row) = table.rows.iter().find(|row| is_difference_label(&row.label)) {
                facts.difference = Some((row.label.clone(), Change { current: last_value, previous: first_value }));
            }
        }
    }
    let rate = find(Role::Rate);
    let last_rate = find(Role::LastYearRate);
    if let (Some(rate), Some(last_rate)) = (rate, last_rate)
        && rate >= 2
        && last_rate >= 2
    {
        let row = table.rows.iter().position(|row| is_total_label(&row.label)).unwrap_or(table.rows.len() - 1);
        if let (Some(numerator), Some(denominator), Some(last_numerator), Some(last_denominator)) = (
            grid.number((row, rate - 2)),
            grid.number((row, rate - 1)),
            grid.number((row, last_rate - 2)),
            grid.number((row, last_rate - 1)),
        ) {
            facts.rate = Some(RateFact { numerator, denominator, last_numerator, last_denominator });
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(month_label("May 2024"), Some((5, Some(2024))));
        assert_eq!(month_label("July 2024*"), Some((7, Some(2024))));
        assert_eq!(month_label("Jul-23"), Some((7, Some(2023))));
        assert_eq!(month_label("May 24"), Some((5, Some(2024))));
        assert_eq!(month_label("2024-05"), Some((5, Some(2024))));
        assert_eq!(month_label("3 Month total"), None);
        assert_eq!(month_label("Mayor"), None);
        assert_eq!(year_label("2020* not yet validated by DfT"), Some(2020));
        assert_eq!(year_label("2019/20 Year 1"), None);
        assert!(is_total_label("3 Month total") && is_total_label("TOTAL") && is_total_label("Overall Total"));
        assert!(!is_total_label("Response Total") && !is_total_label("Total Charges"));
        assert_eq!(role("% Change"), Role::PctChange);
        assert_eq!(role("Number change"), Role::NumberChange);
        assert_eq!(role("Last Year"), Role::LastYear);
        assert_eq!(role("Last year: rate"), Role::LastYearRate);
        assert_eq!(role("Last year: charges"), Role::LastYearCount);
        assert_eq!(role("Change (percentage points)"), Role::Points);
        assert_eq!(role("Rate"), Role::Rate);
        assert_eq!(role("Recorded Crime"), Role::Value);
    }
}
