//! Sentences written from the figures: the headline change, the pattern
//! across the months, and rates in percentage points — in the papers'
//! register, but right by construction. Every number in a sentence is taken
//! from the same table row the paper prints beside it. The end-of-term
//! report's sentences (`term_*`) are written from its calendar-year tables
//! the same way: the N-year difference, the pattern across the years and the
//! largest year-on-year change, the current year, rates in percentage points.

use crate::YearMonth;
use crate::change::{PercentChange, Tenths};
use crate::definitions::Measure;
use crate::report::{CountRow, MeasureTable, RateRow, TableRow};
use crate::term::{TermCountRow, TermRateRow, TermTable, YearCoverage};

/// Below this many records in both periods together, a change is not
/// described as a trend.
pub const TINY_COUNT: u64 = 20;

/// "2,850": numbers in sentences carry thousands separators (GOV.UK style).
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// "offences" → "offence" when there is one of them.
fn noun_for(noun: &str, count: u64) -> String {
    if count != 1 {
        return noun.to_string();
    }
    let (first, rest) = noun.split_once(' ').map_or((noun, ""), |(first, rest)| (first, rest));
    let singular = first.strip_suffix('s').unwrap_or(first);
    if rest.is_empty() { singular.to_string() } else { format!("{singular} {rest}") }
}

fn number_word(value: usize) -> String {
    const WORDS: [&str; 13] =
        ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    WORDS.get(value).map_or_else(|| value.to_string(), |word| word.to_string())
}

/// Whether the subject takes "have" ("Rape offences") or "has" ("All crime").
fn is_plural(title: &str) -> bool {
    let bare = title.split(" (").next().unwrap_or(title).trim();
    let last = bare.rsplit([' ', ':']).next().unwrap_or(bare);
    last.ends_with('s') && !last.ends_with("ss")
}

/// "Rape charge rate" → "the rape charge rate"; "ASB rate" keeps its capitals.
fn the(title: &str) -> String {
    let mut characters = title.chars();
    let first = characters.next().unwrap_or(' ');
    let second = characters.next().unwrap_or(' ');
    if second.is_uppercase() {
        format!("the {title}")
    } else {
        format!("the {}{}", first.to_lowercase(), &title[first.len_utf8()..])
    }
}

/// "May and July 2024", "December 2023 and January 2024", "May, June and July 2024".
pub fn month_list(months: &[YearMonth]) -> String {
    let same_year = months.windows(2).all(|pair| pair[0].year() == pair[1].year());
    let names: Vec<String> = months
        .iter()
        .enumerate()
        .map(
            |(index, month)| {
                if same_year && index + 1 < months.len() { month.month_name().to_string() } else { month.long_name() }
            },
        )
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn count_rows(table: &MeasureTable) -> Vec<&CountRow> {
    table.rows.iter().filter_map(|row| if let TableRow::Count(row) = row { Some(row) } else { None }).collect()
}

fn rate_rows(table: &MeasureTable) -> Vec<&RateRow> {
    table.rows.iter().filter_map(|row| if let TableRow::Rate(row) = row { Some(row) } else { None }).collect()
}

/// Whether a change between two counts is within what chance alone would
/// give (|difference| below twice the Poisson standard deviation of the
/// difference, √(a + b)).
pub fn within_normal_variation(current: u64, last_year: u64) -> bool {
    let difference = current.abs_diff(last_year) as f64;
    difference < 2.0 * ((current + last_year) as f64).sqrt()
}

/// The sentences for a count measure's table, given the period the total
/// covers ("May – July 2024") and its months.
pub fn count_sentences(measure: &Measure, table: &MeasureTable) -> Vec<String> {
    let rows = count_rows(table);
    let Some((total, months)) = rows.split_last() else { return Vec::new() };
    let title = &measure.title;
    let verb = if is_plural(title) { "have" } else { "has" };
    let noun = &measure.noun;
    let mut sentences = Vec::new();
    let (Some(current), Some(last_year)) = (total.current, total.last_year) else {
        sentences.push(format!(
            "{title}: the figures for this period or for the same period last year are not supplied, so no comparison is made."
        ));
        return sentences;
    };
    if current + last_year < TINY_COUNT {
        sentences.push(format!(
            "{title}: {} {} this period against {} last year. Numbers this small vary by chance from year to year, so no trend should be read into them.",
            thousands(current),
            noun_for(noun, current),
            thousands(last_year)
        ));
        return sentences;
    }
    match total.pct_change {
        PercentChange::NotApplicable => sentences.push(format!(
            "{title}: {} {} this period, against none in the same period last year, so no percentage change can be given.",
            thousands(current),
            noun_for(noun, current)
        )),
        PercentChange::Value(pct) if current == last_year => {
            let _ = pct;
            sentences.push(format!("{title} {verb} not changed: {} {} in both periods.", thousands(current), noun_for(noun, current)));
        }
        PercentChange::Value(pct) => {
            let difference = current.abs_diff(last_year);
            let (direction, comparative) = if current < last_year { ("decrease", "fewer") } else { ("increase", "more") };
            let shown = pct.abs().to_string();
            let mut sentence = format!(
                "{title} {verb} seen {} {shown}% {direction}, with {} {comparative} {} than the same period last year.",
                article_for(&shown),
                thousands(difference),
                noun_for(noun, difference)
            );
            if within_normal_variation(current, last_year) {
                sentence.push_str(" A change of this size is within normal year-to-year variation.");
            }
            sentences.push(sentence);
        }
        PercentChange::NotSupplied => {}
    }
    if let Some(pattern) = month_pattern(months, noun) {
        sentences.push(pattern);
    }
    sentences
}

/// How the months moved: "Reductions were seen in each of the three months,
/// the largest in July 2024 (22.8%, 66 fewer offences)."
fn month_pattern(months: &[&CountRow], noun: &str) -> Option<String> {
    if months.len() < 2 {
        return None;
    }
    let mut moves = Vec::new();
    for row in months {
        let month: YearMonth = row.label.parse().ok()?;
        let (current, last_year) = (row.current?, row.last_year?);
        let pct = row.pct_change.value();
        if last_year == 0 && current != 0 {
            return Some(format!(
                "{} has no figure to compare with (none in the same month last year), so the months are not compared.",
                month.long_name()
            ));
        }
        moves.push((month, current, last_year, pct));
    }
    let described =
        |(month, current, last_year, pct): &(YearMonth, u64, u64, Option<Tenths>), verb_up: &str, verb_down: &str| {
            let difference = current.abs_diff(*last_year);
            let (verb, comparative) = if current < last_year { (verb_down, "fewer") } else { (verb_up, "more") };
            let pct = pct.map(|pct| format!("{}%", pct.abs())).unwrap_or_else(|| "n/a".to_string());
            (
                format!("{} {verb} by {pct}", month.long_name()),
                format!("{} {comparative} {}", thousands(difference), noun_for(noun, difference)),
            )
        };
    let down: Vec<_> = moves.iter().filter(|(_, current, last_year, _)| current < last_year).collect();
    let up: Vec<_> = moves.iter().filter(|(_, current, last_year, _)| current > last_year).collect();
    let same: Vec<_> = moves.iter().filter(|(_, current, last_year, _)| current == last_year).collect();
    let largest = |list: &[&(YearMonth, u64, u64, Option<Tenths>)]| {
        list.iter()
            .max_by_key(|(month, current, last_year, pct)| {
                (pct.map(|pct| pct.abs()), current.abs_diff(*last_year), std::cmp::Reverse(*month))
            })
            .copied()
            .copied()
    };
    let months_of = |list: &[&(YearMonth, u64, u64, Option<Tenths>)]| {
        month_list(&list.iter().map(|entry| entry.0).collect::<Vec<_>>())
    };
    let count = number_word(moves.len());
    if down.len() == moves.len() {
        let (month, current, last_year, pct) = largest(&down)?;
        let difference = last_year - current;
        return Some(format!(
            "Reductions were seen in each of the {count} months, the largest in {} ({}%, {} fewer {}).",
            month.long_name(),
            pct.map(|pct| pct.abs().to_string()).unwrap_or_default(),
            thousands(difference),
            noun_for(noun, difference)
        ));
    }
    if up.len() == moves.len() {
        let (month, current, last_year, pct) = largest(&up)?;
        let difference = current - last_year;
        return Some(format!(
            "Increases were seen in each of the {count} months, the largest in {} ({}%, {} more {}).",
            month.long_name(),
            pct.map(|pct| pct.abs().to_string()).unwrap_or_default(),
            thousands(difference),
            noun_for(noun, difference)
        ));
    }
    if same.len() == moves.len() {
        return Some(format!("Each of the {count} months was the same as the same month last year."));
    }
    let mut parts = Vec::new();
    for (list, up_word, down_word, plural) in [(&down, "rose", "fell", "Decreases"), (&up, "rose", "fell", "increases")]
    {
        match list.len() {
            0 => {}
            1 => {
                let (what, amount) = described(list[0], up_word, down_word);
                parts.push(format!("{what} ({amount})"));
            }
            _ => parts.push(format!("{} in {}", plural, months_of(list))),
        }
    }
    if !same.is_empty() {
        parts.push(format!("{} {} unchanged", months_of(&same), if same.len() == 1 { "was" } else { "were" }));
    }
    let mut sentence = parts.join("; ");
    if let Some(first) = sentence.get(0..1) {
        sentence = format!("{}{}", first.to_uppercase(), &sentence[1..]);
    }
    Some(format!("{sentence}."))
}

/// The sentences for a rate measure's table: "The rape charge rate rose 8.2
/// percentage points, from 7.6% to 15.8% (73 charges, against 42)."
pub fn rate_sentences(measure: &Measure, table: &MeasureTable) -> Vec<String> {
    let rows = rate_rows(table);
    let Some(total) = rows.last() else { return Vec::new() };
    let subject = the(&measure.title);
    let mut capitalised = subject.clone();
    capitalised.replace_range(0..1, "T");
    let noun = &measure.noun;
    match (total.current_pct, total.last_year_pct, total.numerator, total.last_year_numerator) {
        (Some(current), Some(last_year), Some(numerator), Some(last_numerator)) => {
            let counts = format!(
                "{} {} of {}, against {} of {}",
                thousands(numerator),
                noun_for(noun, numerator),
                thousands(total.denominator.unwrap_or(0)),
                thousands(last_numerator),
                thousands(total.last_year_denominator.unwrap_or(0))
            );
            let change = Tenths(current.0 - last_year.0);
            if change.0 == 0 {
                vec![format!("{capitalised} was unchanged at {current}% ({counts}).")]
            } else {
                let verb = if change.0 > 0 { "rose" } else { "fell" };
                let points = if change.abs() == Tenths(10) { "percentage point" } else { "percentage points" };
                vec![format!(
                    "{capitalised} {verb} {} {points}, from {last_year}% to {current}% ({counts}).",
                    change.abs()
                )]
            }
        }
        (Some(current), _, Some(numerator), _) => vec![format!(
            "{capitalised} was {current}% ({} {} of {}); the same period last year is not supplied or had no {}, so no change is given.",
            thousands(numerator),
            noun_for(noun, numerator),
            thousands(total.denominator.unwrap_or(0)),
            "cases"
        )],
        _ => vec![format!(
            "{capitalised} cannot be given for this period: its figures are not supplied or there were no cases."
        )],
    }
}

/// The sentences for any measure's table.
pub fn sentences(measure: &Measure, table: &MeasureTable) -> Vec<String> {
    if measure.is_rate() { rate_sentences(measure, table) } else { count_sentences(measure, table) }
}

/// "2019", "2019 and 2021", "2019, 2020 and 2022".
pub fn year_list(years: &[i32]) -> String {
    let names: Vec<String> = years.iter().map(i32::to_string).collect();
    match names.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "a" or "an" before a number as it is read aloud: "an 8.2% rise", "an
/// 11.1% fall", "a 14.0% fall".
pub fn article_for(number: &str) -> &'static str {
    let whole: String = number.chars().take_while(|character| character.is_ascii_digit()).collect();
    let leading_group = &whole[..match whole.len() % 3 {
        0 => 3.min(whole.len()),
        remainder => remainder,
    }];
    if whole.starts_with('8') || leading_group == "11" || leading_group == "18" { "an" } else { "a" }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

/// Why a year of a term table has no figure: "2024 is not supplied (January – July only)".
fn not_supplied(year: i32, coverage: &YearCoverage) -> String {
    if coverage.supplied.is_empty() {
        format!("{year} is not supplied")
    } else {
        format!("{year} is not supplied ({})", coverage.describe())
    }
}

/// The notes under a term table: each year that is not whole, what the
/// store holds of it, and that it is not compared.
pub fn term_notes(table: &TermTable) -> Vec<String> {
    table
        .partial_years()
        .into_iter()
        .map(|(year, coverage)| {
            if coverage.supplied.is_empty() {
                format!("{year}: no month of the year is supplied, so the year is shown as not supplied and is not compared.")
            } else {
                format!(
                    "{year}: only {} supplied ({} not supplied), so the year is shown as not supplied: part of a year is never compared with a whole one.",
                    coverage.describe().trim_end_matches(" only"),
                    coverage.describe_missing()
                )
            }
        })
        .collect()
}

/// The sentences for a count measure's calendar-year table: the N-year
/// difference, how each year moved and the largest year-on-year change, and
/// the current year against the one before.
pub fn term_count_sentences(measure: &Measure, table: &TermTable) -> Vec<String> {
    let rows = table.count_rows();
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return Vec::new() };
    let title = &measure.title;
    let noun = &measure.noun;
    let plural = is_plural(title);
    let verb = if plural { "have" } else { "has" };
    let pronoun = if plural { "they" } else { "it" };
    let span = table.difference.years;
    let (from, to) = (table.difference.first_year, table.difference.last_year);
    let mut sentences = Vec::new();
    let (Some(first_value), Some(last_value)) = (first.value, last.value) else {
        let missing: Vec<String> = [first, last]
            .iter()
            .filter(|row| row.value.is_none())
            .map(|row| not_supplied(row.year, &row.coverage))
            .collect();
        sentences
            .push(format!("{title}: the {span}-year difference cannot be given, because {}.", missing.join(" and ")));
        sentences.extend(year_pattern(&rows, noun, pronoun));
        // What can be said: the latest year compared with the year before.
        if let Some(row) = rows.iter().rev().find(|row| row.change.is_some())
            && let (Some(change), PercentChange::Value(pct)) = (row.change, row.pct_change)
            && change != 0
        {
            let (direction, comparative) = if change < 0 { ("decrease", "fewer") } else { ("increase", "more") };
            let difference = change.unsigned_abs();
            sentences.push(format!(
                "The latest year that can be compared, {}, has seen {} {}% {direction} on {}, with {} {comparative} {}.",
                row.year,
                article_for(&pct.abs().to_string()),
                pct.abs(),
                row.year - 1,
                thousands(difference),
                noun_for(noun, difference)
            ));
        }
        return sentences;
    };
    if first_value + last_value < TINY_COUNT {
        sentences.push(format!(
            "{title}: {} {} in {from} and {} in {to}. Numbers this small vary by chance from year to year, so no trend should be read into them.",
            thousands(first_value),
            noun_for(noun, first_value),
            thousands(last_value)
        ));
        return sentences;
    }
    match table.difference.pct_change {
        Some(PercentChange::NotApplicable) => sentences.push(format!(
            "{title}: {} {} in {to}, against none in {from}, so no percentage change can be given over the {span}-year period.",
            thousands(last_value),
            noun_for(noun, last_value)
        )),
        Some(PercentChange::Value(_)) if first_value == last_value => sentences.push(format!(
            "{title} {verb} not changed over the {span}-year period: {} {} in both {from} and {to}.",
            thousands(last_value),
            noun_for(noun, last_value)
        )),
        Some(PercentChange::Value(pct)) => {
            let difference = first_value.abs_diff(last_value);
            let (direction, comparative) =
                if last_value < first_value { ("decrease", "fewer") } else { ("increase", "more") };
            let mut sentence = format!(
                "{title} {verb} seen {} {}% {direction}, with {} {comparative} {} over the {span}-year period from {from} to {to}.",
                article_for(&pct.abs().to_string()),
                pct.abs(),
                thousands(difference),
                noun_for(noun, difference)
            );
            if within_normal_variation(last_value, first_value) {
                sentence.push_str(" A change of this size is within normal year-to-year variation.");
            }
            sentences.push(sentence);
        }
        _ => {}
    }
    sentences.extend(year_pattern(&rows, noun, pronoun));
    // The current year against the one before.
    if let (Some(change), Some(previous)) = (last.change, last.previous) {
        let difference = change.unsigned_abs();
        sentences.push(match last.pct_change {
            PercentChange::Value(_) if change == 0 => {
                format!(
                    "The current year, {to}, was the same as {}: {} {}.",
                    to - 1,
                    thousands(previous),
                    noun_for(noun, previous)
                )
            }
            PercentChange::Value(pct) => {
                let (direction, comparative) = if change < 0 { ("decrease", "fewer") } else { ("increase", "more") };
                format!(
                    "The current year, {to}, has seen {} {}% {direction} on {}, with {} {comparative} {}.",
                    article_for(&pct.abs().to_string()),
                    pct.abs(),
                    to - 1,
                    thousands(difference),
                    noun_for(noun, difference)
                )
            }
            _ => format!(
                "The current year, {to}, had {} {} against none in {}, so no percentage change can be given.",
                thousands(difference),
                noun_for(noun, difference),
                to - 1
            ),
        });
    }
    sentences
}

/// How the years moved: "They fell in each year from 2020 to 2023, the
/// largest fall in 2021 (25.0%, 36 fewer offences)." Years that cannot be
/// compared (not supplied, or against a year not supplied) are left out and
/// named.
fn year_pattern(rows: &[&TermCountRow], noun: &str, pronoun: &str) -> Option<String> {
    let compared: Vec<&&TermCountRow> = rows.iter().filter(|row| row.change.is_some()).collect();
    if compared.len() < 2 {
        return None;
    }
    let subject = capitalised(pronoun);
    let years_of = |list: &[&&&TermCountRow]| year_list(&list.iter().map(|row| row.year).collect::<Vec<_>>());
    let down: Vec<&&&TermCountRow> = compared.iter().filter(|row| row.change < Some(0)).collect();
    let up: Vec<&&&TermCountRow> = compared.iter().filter(|row| row.change > Some(0)).collect();
    let same: Vec<&&&TermCountRow> = compared.iter().filter(|row| row.change == Some(0)).collect();
    let largest = compared
        .iter()
        .filter(|row| row.change != Some(0))
        .max_by_key(|row| {
            (row.pct_change.value().map(Tenths::abs), row.change.map(i64::unsigned_abs), std::cmp::Reverse(row.year))
        })
        .copied();
    let describe_largest = |row: &TermCountRow| {
        let difference = row.change.unwrap_or(0).unsigned_abs();
        let comparative = if row.change < Some(0) { "fewer" } else { "more" };
        let pct = row.pct_change.value().map(|pct| format!("{}%", pct.abs())).unwrap_or_else(|| "n/a".to_string());
        format!(
            "{} ({pct}, {} {comparative} {} than {})",
            row.year,
            thousands(difference),
            noun_for(noun, difference),
            row.year - 1
        )
    };
    let span = format!("from {} to {}", compared[0].year, compared[compared.len() - 1].year);
    let contiguous = compared.windows(2).all(|pair| pair[0].year + 1 == pair[1].year);
    let each = if contiguous {
        format!("in each year {span}")
    } else {
        format!("in each year compared ({})", years_of(&compared.iter().collect::<Vec<_>>()))
    };
    let mut sentence = if down.len() == compared.len() {
        format!("{subject} fell {each}, the largest fall in {}.", describe_largest(largest?))
    } else if up.len() == compared.len() {
        format!("{subject} rose {each}, the largest rise in {}.", describe_largest(largest?))
    } else if same.len() == compared.len() {
        format!("{subject} did not change from year to year {span}.")
    } else {
        let mut parts = Vec::new();
        if !down.is_empty() {
            parts.push(format!("fell in {}", years_of(&down)));
        }
        if !up.is_empty() {
            parts.push(format!("rose in {}", years_of(&up)));
        }
        if !same.is_empty() {
            parts.push(format!("did not change in {}", years_of(&same)));
        }
        let joined = match parts.as_slice() {
            [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
            _ => parts.join(""),
        };
        match largest {
            Some(row) => {
                format!("{subject} {joined}; the largest year-on-year change was in {}.", describe_largest(row))
            }
            None => format!("{subject} {joined}."),
        }
    };
    // A year that is itself not supplied is named where the headline or the
    // notes say so; a whole year whose year before is not is named here.
    for row in rows.iter().filter(|row| row.value.is_some() && row.previous.is_none()) {
        sentence.push_str(&format!(" {} is not compared with {}, which is not supplied.", row.year, row.year - 1));
    }
    Some(sentence)
}

/// The sentences for a rate measure's calendar-year table, in percentage
/// points: "Between 2019 and 2022 the rape charge rate rose 23.3 percentage
/// points, from 10.0% to 33.3% (36 charges of 108 in 2022, against 12 of 120
/// in 2019)."
pub fn term_rate_sentences(measure: &Measure, table: &TermTable) -> Vec<String> {
    let rows = table.rate_rows();
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return Vec::new() };
    let subject = the(&measure.title);
    let noun = &measure.noun;
    let (from, to) = (table.difference.first_year, table.difference.last_year);
    let mut sentences = Vec::new();
    match (first.rate_pct, last.rate_pct, table.difference.change_pp) {
        (Some(first_pct), Some(last_pct), Some(change)) => {
            let counts = format!(
                "{} {} of {} in {to}, against {} of {} in {from}",
                thousands(last.numerator.unwrap_or(0)),
                noun_for(noun, last.numerator.unwrap_or(0)),
                thousands(last.denominator.unwrap_or(0)),
                thousands(first.numerator.unwrap_or(0)),
                thousands(first.denominator.unwrap_or(0))
            );
            sentences.push(if change.0 == 0 {
                format!("Between {from} and {to} {subject} was unchanged at {last_pct}% ({counts}).")
            } else {
                let verb = if change.0 > 0 { "rose" } else { "fell" };
                format!(
                    "Between {from} and {to} {subject} {verb} {} {}, from {first_pct}% to {last_pct}% ({counts}).",
                    change.abs(),
                    points(change)
                )
            });
        }
        _ => {
            let reasons: Vec<String> = [first, last]
                .iter()
                .filter(|row| row.rate_pct.is_none())
                .map(|row| {
                    if row.coverage.is_whole() {
                        format!("{} had no {}", row.year, "cases to divide by")
                    } else {
                        not_supplied(row.year, &row.coverage)
                    }
                })
                .collect();
            sentences.push(format!(
                "{} cannot be compared between {from} and {to}, because {}.",
                capitalised(&subject),
                reasons.join(" and ")
            ));
        }
    }
    let compared: Vec<&&TermRateRow> = rows.iter().filter(|row| row.change_pp.is_some()).collect();
    if compared.len() >= 2 {
        let years_of = |keep: fn(i64) -> bool| {
            year_list(
                &compared
                    .iter()
                    .filter(|row| keep(row.change_pp.map_or(0, |pp| pp.0)))
                    .map(|row| row.year)
                    .collect::<Vec<_>>(),
            )
        };
        let mut parts = Vec::new();
        for (word, keep) in
            [("rose", (|pp| pp > 0) as fn(i64) -> bool), ("fell", |pp| pp < 0), ("did not change", |pp| pp == 0)]
        {
            let years = years_of(keep);
            if !years.is_empty() {
                parts.push(format!("{word} in {years}"));
            }
        }
        let joined = match parts.as_slice() {
            [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
            _ => parts.join(""),
        };
        let mut sentence = format!("Year on year it {joined}");
        if let Some(row) = compared
            .iter()
            .filter(|row| row.change_pp.is_some_and(|pp| pp.0 != 0))
            .max_by_key(|row| (row.change_pp.map(Tenths::abs), std::cmp::Reverse(row.year)))
        {
            let change = row.change_pp.expect("filtered");
            sentence.push_str(&format!(
                "; the largest change was in {} ({} {} {}, from {}% to {}%)",
                row.year,
                if change.0 > 0 { "up" } else { "down" },
                change.abs(),
                points(change),
                row.previous_pct.map(|pct| pct.to_string()).unwrap_or_default(),
                row.rate_pct.map(|pct| pct.to_string()).unwrap_or_default()
            ));
        }
        sentence.push('.');
        sentences.push(sentence);
    }
    sentences
}

fn points(change: Tenths) -> &'static str {
    if change.abs() == Tenths(10) { "percentage point" } else { "percentage points" }
}

/// The sentences for any measure's calendar-year table.
pub fn term_sentences(measure: &Measure, table: &TermTable) -> Vec<String> {
    if measure.is_rate() { term_rate_sentences(measure, table) } else { term_count_sentences(measure, table) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::Definitions;
    use crate::report::{Kind, MeasureTable};

    fn make_table(id: &str, rows: &[(&str, u64, u64)]) -> (Measure, MeasureTable) {
        let definitions = Definitions::builtin();
        let measure = definitions.plan("making-kent-safer").unwrap().measure(id).unwrap().clone();
        let mut table_rows: Vec<TableRow> = rows
            .iter()
            .map(|(label, current, last)| {
                TableRow::Count(CountRow::new(label.to_string(), Some(*current), Some(*last)))
            })
            .collect();
        let current: u64 = rows.iter().map(|row| row.1).sum();
        let last: u64 = rows.iter().map(|row| row.2).sum();
        table_rows.push(TableRow::Count(CountRow::new("total".into(), Some(current), Some(last))));
        let table = MeasureTable {
            id: id.into(),
            title: measure.title.clone(),
            priority: measure.priority.clone(),
            unit: measure.unit.clone(),
            kind: Kind::Count,
            rate_basis: None,
            rows: table_rows,
        };
        (measure, table)
    }

    #[test]
    fn burglary_residential_reads_like_the_paper_but_right() {
        let (measure, table) =
            make_table("burglary-residential", &[("2024-05", 233, 253), ("2024-06", 201, 222), ("2024-07", 224, 290)]);
        assert_eq!(
            count_sentences(&measure, &table),
            [
                "Burglary residential has seen a 14.0% decrease, with 107 fewer offences than the same period last year.",
                "Reductions were seen in each of the three months, the largest in July 2024 (22.8%, 66 fewer offences).",
            ]
        );
    }

    #[test]
    fn mixed_months_and_normal_variation() {
        let (measure, table) = make_table("robbery", &[("2024-05", 87, 99), ("2024-06", 98, 78), ("2024-07", 98, 114)]);
        assert_eq!(
            count_sentences(&measure, &table),
            [
                "Robbery has seen a 2.7% decrease, with 8 fewer offences than the same period last year. A change of this size is within normal year-to-year variation.",
                "Decreases in May and July 2024; June 2024 rose by 25.6% (20 more offences).",
            ]
        );
        let (measure, table) =
            make_table("fraud", &[("2024-05", 119, 102), ("2024-06", 93, 100), ("2024-07", 107, 108)]);
        assert_eq!(
            count_sentences(&measure, &table)[1],
            "Decreases in June and July 2024; May 2024 rose by 16.7% (17 more offences)."
        );
    }

    #[test]
    fn tiny_counts_zero_baselines_and_plurals() {
        let (measure, table) = make_table("rape", &[("2024-05", 3, 2), ("2024-06", 1, 4), ("2024-07", 2, 1)]);
        assert_eq!(
            count_sentences(&measure, &table),
            [
                "Rape offences: 6 offences this period against 7 last year. Numbers this small vary by chance from year to year, so no trend should be read into them."
            ]
        );
        let (measure, table) = make_table("fraud", &[("2024-05", 30, 0), ("2024-06", 1, 0), ("2024-07", 0, 0)]);
        assert_eq!(
            count_sentences(&measure, &table)[0],
            "Fraud: 31 offences this period, against none in the same period last year, so no percentage change can be given."
        );
        let (measure, table) = make_table("rape", &[("2024-05", 40, 41), ("2024-06", 40, 40), ("2024-07", 41, 40)]);
        let sentences = count_sentences(&measure, &table);
        assert!(
            sentences[0].starts_with("Rape offences have not changed: 121 offences in both periods."),
            "{sentences:?}"
        );
        assert_eq!(
            sentences[1],
            "May 2024 fell by 2.4% (1 fewer offence); July 2024 rose by 2.5% (1 more offence); June 2024 was unchanged."
        );
    }

    #[test]
    fn rates_move_in_percentage_points() {
        let definitions = Definitions::builtin();
        let measure = definitions.plan("making-kent-safer").unwrap().measure("rape-charge-rate").unwrap().clone();
        let row = RateRow::new("total".into(), (Some(73), Some(461)), (Some(42), Some(554)));
        let table = MeasureTable {
            id: measure.id.clone(),
            title: measure.title.clone(),
            priority: measure.priority.clone(),
            unit: measure.unit.clone(),
            kind: Kind::Rate,
            rate_basis: None,
            rows: vec![TableRow::Rate(row)],
        };
        assert_eq!(
            rate_sentences(&measure, &table),
            [
                "The rape charge rate rose 8.2 percentage points, from 7.6% to 15.8% (73 charges of 461, against 42 of 554)."
            ]
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(thousands(2850), "2,850");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        for (number, article) in [
            ("8.2", "an"),
            ("11.1", "an"),
            ("18.0", "an"),
            ("80.5", "an"),
            ("1.1", "a"),
            ("14.0", "a"),
            ("110.0", "a"),
            ("0.4", "a"),
        ] {
            assert_eq!(article_for(number), article, "{number}");
        }
        let months: Vec<YearMonth> = ["2023-12", "2024-01"].iter().map(|text| text.parse().unwrap()).collect();
        assert_eq!(month_list(&months), "December 2023 and January 2024");
        assert_eq!(noun_for("suspects interviewed", 1), "suspect interviewed");
        assert!(is_plural("Rape offences") && !is_plural("All crime") && !is_plural("Anti-social behaviour (ASB)"));
    }
}
