//! Sentences against figures. The paragraphs after a table (until the next
//! heading or table) are tied to it: a clause naming a month is checked
//! against that month's row; a sentence about "the same period last year" or
//! "the three-month period" against the total row; in calendar-year tables,
//! "the current year" against the latest year and "over the 4-year period"
//! against the N-year difference. Every sentence is also checked on its own:
//! a change between two percentages it gives must be in percentage points
//! and go the right way, and "87.7% (186 out of 212)" must divide out.

use std::sync::LazyLock;

use regex::Regex;

use super::Finding;
use super::arithmetic::{Change, Facts, MonthFact, RateFact};
use super::claims::{Claims, CountClaim, Direction, Level, Mention, PctClaim, Word, opposite};
use super::number::{Decimal, clean, format_decimal, format_percent, parse_digits, percent, percent_agrees};

/// Consecutive lines of prose, joined with spaces, remembering where each
/// line starts.
#[derive(Debug)]
pub struct Paragraph {
    pub text: String,
    starts: Vec<(usize, usize)>,
    pub heading: bool,
}

impl Paragraph {
    pub fn first_line(&self) -> usize {
        self.starts[0].1
    }

    pub fn line_at(&self, offset: usize) -> usize {
        self.starts.iter().take_while(|(start, _)| *start <= offset).last().map_or(self.first_line(), |(_, line)| *line)
    }
}

static NUMBERED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\[bookmark:[^\]]*\])?\s*\d+(?:\.\d+)*\.?\s+\S").expect("regex"));

fn is_heading(raw: &str, cleaned: &str) -> bool {
    let trimmed = raw.trim();
    if trimmed.starts_with('#') {
        return true;
    }
    if trimmed.starts_with("**") && trimmed.ends_with("**") && !trimmed[2..trimmed.len() - 2].contains("**") {
        return true;
    }
    let words = cleaned.split_whitespace().count();
    if words == 0 {
        return false;
    }
    if NUMBERED_HEADING.is_match(cleaned) && words <= 12 && cleaned.chars().count() <= 90 {
        return true;
    }
    let last = cleaned.chars().last().unwrap_or('.');
    words <= 8 && !matches!(last, '.' | ',' | ';' | ')' | '%') && cleaned.starts_with(|c: char| c.is_uppercase())
}

/// Cleans a line of prose for reading: HTML tags, Markdown emphasis and
/// bullets, bookmarks; unusual minus signs and spaces.
fn prose(line: &str) -> String {
    let mut text = clean(line);
    if let Some(rest) = text.strip_prefix("[bookmark:")
        && let Some((_, after)) = rest.split_once(']')
    {
        text = after.to_string();
    }
    let text = text.replace('\u{2212}', "-").replace('*', "").replace('\t', " ");
    let text = text.trim_start_matches(['-', '•', '·', '○', 'o']).trim_start();
    if text.len() < line.trim().len() && line.trim_start().starts_with(['-', '•', '·', '○']) {
        text.to_string()
    } else {
        clean(line).replace('\u{2212}', "-").replace('*', "").replace('\t', " ")
    }
}

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-*•·○▪]|o\s|\d{1,2}[.)]\s|[a-z][.)]\s|\(?[ivx]+\)\s)").expect("regex"));

/// Whether a line starts a list item (each item is a paragraph of its own).
fn starts_item(line: &str) -> bool {
    LIST_ITEM.is_match(&line.replace('\u{a0}', " "))
}

/// The paper's prose, in paragraphs; table lines are left out.
pub fn paragraphs(lines: &[String], in_table: &[bool]) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut current: Option<Paragraph> = None;
    for (index, line) in lines.iter().enumerate() {
        let cleaned = prose(line);
        // A Markdown image is a figure; its alt text describes a chart, it
        // does not state the paper's figures.
        let image = line.trim_start().starts_with("![");
        if in_table[index] || image || cleaned.trim().is_empty() {
            paragraphs.extend(current.take());
            continue;
        }
        if is_heading(line, cleaned.trim()) {
            paragraphs.extend(current.take());
            paragraphs.push(Paragraph {
                text: cleaned.trim().to_string(),
                starts: vec![(0, index + 1)],
                heading: true,
            });
            continue;
        }
        if starts_item(line) {
            paragraphs.extend(current.take());
        }
        let paragraph =
            current.get_or_insert_with(|| Paragraph { text: String::new(), starts: Vec::new(), heading: false });
        if !paragraph.text.is_empty() {
            paragraph.text.push(' ');
        }
        paragraph.starts.push((paragraph.text.len(), index + 1));
        paragraph.text.push_str(cleaned.trim());
    }
    paragraphs.extend(current);
    paragraphs
}

const ABBREVIATIONS: [&str; 16] =
    ["e.g", "i.e", "etc", "no", "nos", "approx", "st", "mr", "mrs", "ms", "dr", "vs", "ch", "insp", "insps", "inc"];

/// Sentence boundaries in a paragraph: (start, end) byte offsets.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    for (position, (offset, character)) in characters.iter().enumerate() {
        if !matches!(character, '.' | '!' | '?') {
            continue;
        }
        let Some((_, next)) = characters.get(position + 1) else { continue };
        if !next.is_whitespace() {
            continue;
        }
        let Some((_, after)) = characters[position + 1..].iter().find(|(_, c)| !c.is_whitespace()) else { continue };
        if !(after.is_uppercase() || after.is_ascii_digit() || matches!(after, '"' | '\'' | '(' | '“' | '‘')) {
            continue;
        }
        let word: String =
            text[start..*offset].rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("").to_lowercase();
        if ABBREVIATIONS.contains(&word.as_str()) {
            continue;
        }
        out.push((start, offset + 1));
        start = offset + 1 + next.len_utf8();
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out.into_iter()
        .map(|(start, end)| {
            let skip = text[start..end].len() - text[start..end].trim_start().len();
            (start + skip, end)
        })
        .filter(|(start, end)| start < end)
        .collect()
}

static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i);|\bhowever\b|\bwhilst\b|\bwhile\b|\bbut\b|\bfollowed by\b|\balthough\b|\bthough\b")
        .expect("regex")
});
static RATE_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\brates?\b").expect("regex"));
static PERIOD_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)same period|three[- ]month|3[- ]month|this period|this quarter|\bthe quarter\b|quarterly period")
        .expect("regex")
});
static CURRENT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:the )?current year\b|\bthis year\b").expect("regex"));
static YEARS_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten)[- ]year (?:period|difference)\b|\bover (?:the )?(?:last |past )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten) years\b")
        .expect("regex")
});
static SUPERLATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:largest|biggest|greatest|most notable|most significant|sharpest|steepest)\b").expect("regex")
});
static ALL_MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\beach of the (?:\w+ )?months\b|\ball (?:the )?(?:\w+ )?months\b|\bevery month\b|\beach month\b")
        .expect("regex")
});
static LOWEST_IN_YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<which>lowest|highest)\b[^.;]{0,40}?\bin (?:the (?:last|past) )?(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten) years\b")
        .expect("regex")
});
static THIS_PERIOD_AGAINST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<now>\d{1,3}(?:,\d{3})+|\d+) [a-z]+(?: [a-z]+)? this period,? against (?P<then>\d{1,3}(?:,\d{3})+|\d+|none)\b")
        .expect("regex")
});
static FROM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bfrom\b").expect("regex"));
static TO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bto\b").expect("regex"));
static BASELINE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)last year|previous|same period|year before|the year earlier").expect("regex"));
static FRACTION_OUT_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<pct>\d+(?:\.\d+)?)%[^()%]{0,40}\(\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?:out of|of)\s*(?:a total(?: of)?\s*)?(?P<d>\d{1,3}(?:,\d{3})+|\d+)\s*\)")
        .expect("regex")
});
static FRACTION_SLASH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)/(?P<d>\d{1,3}(?:,\d{3})+|\d+)\s*\(\s*(?P<pct>\d+(?:\.\d+)?)%\s*\)")
        .expect("regex")
});
static FRACTION_PCT_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pct>\d+(?:\.\d+)?)%\s*\(\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*/\s*(?P<d>\d{1,3}(?:,\d{3})+|\d+)\s*\)")
        .expect("regex")
});
static YES_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<pct>\d+(?:\.\d+)?)%\s*\(\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+yes\s*;\s*(?P<no>\d{1,3}(?:,\d{3})+|\d+)\s+no\s*\)").expect("regex")
});
static RATE_COUNTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)from (?P<a>\d+(?:\.\d+)?)% to (?P<b>\d+(?:\.\d+)?)% \((?P<n1>\d{1,3}(?:,\d{3})+|\d+) [a-z ]*?of (?P<d1>\d{1,3}(?:,\d{3})+|\d+), against (?P<n0>\d{1,3}(?:,\d{3})+|\d+) of (?P<d0>\d{1,3}(?:,\d{3})+|\d+)\)")
        .expect("regex")
});
static COUNT_FROM_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<dir>increased|increasing|increase|rose|rising|risen|decreased|decreasing|decrease|reduced|reducing|reduction|fell|falling|fallen|dropped|declined)\s+from\s+(?P<a>\d{1,3}(?:,\d{3})+|\d+)\b(?P<gap>[^%;.]{0,30}?)\bto\s+(?P<b>\d{1,3}(?:,\d{3})+|\d+)\b")
        .expect("regex")
});
static ADDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:an? )?(?:additional|extra)\s+(?P<n>\d{1,3}(?:,\d{3})+|\d+)\b").expect("regex")
});

fn number(text: &str) -> Option<Decimal> {
    parse_digits(text).map(|(value, _)| value)
}

fn words_number(text: &str) -> Option<i32> {
    let lower = text.to_lowercase();
    const WORDS: [&str; 11] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    WORDS.iter().position(|word| *word == lower).map(|index| index as i32).or_else(|| lower.parse().ok())
}

/// A sentence being checked: its text and where it sits in the paper.
struct Sentence<'a> {
    file: &'a str,
    paragraph: &'a Paragraph,
    start: usize,
    text: &'a str,
    claims: Claims,
}

impl Sentence<'_> {
    fn line(&self, offset: usize) -> usize {
        self.paragraph.line_at(self.start + offset)
    }

    fn finding(&self, offset: usize, message: String, printed: String, expected: String) -> Finding {
        Finding { file: self.file.to_string(), line: self.line(offset), message, printed, expected }
    }
}

fn each_sentence<'a>(file: &'a str, paragraph: &'a Paragraph) -> impl Iterator<Item = Sentence<'a>> {
    sentences(&paragraph.text).into_iter().map(move |(start, end)| {
        let text = &paragraph.text[start..end];
        Sentence { file, paragraph, start, text, claims: Claims::read(text) }
    })
}

fn thousands_like(value: Decimal, grouped: bool) -> String {
    format_decimal(value, grouped, false)
}

/// "14,773 against 14,849".
fn against(change: &Change) -> String {
    format!("{} against {}", format_decimal(change.current, true, false), format_decimal(change.previous, true, false))
}

fn went(change: &Change) -> &'static str {
    match Direction::of(change.difference()) {
        Direction::Up => "rose",
        Direction::Down => "fell",
        Direction::Same => "did not change",
    }
}

fn verb(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "a rise",
        Direction::Down => "a fall",
        Direction::Same => "no change",
    }
}

/// A stated percentage change against the table's.
fn check_pct(
    sentence: &Sentence,
    claim: &PctClaim,
    direction: Option<Direction>,
    change: &Change,
    what: &str,
) -> Option<Finding> {
    if claim.points {
        return None;
    }
    let difference = change.difference();
    if change.previous.is_zero() {
        return Some(sentence.finding(
            claim.start,
            format!(
                "{what}: the figure it is compared with is 0, so there is no percentage change to give ({})",
                against(change)
            ),
            claim.text.clone(),
            "n/a".into(),
        ));
    }
    let actual = Direction::of(difference);
    if let (Some(word), Some(sign)) = (&claim.word, claim.sign)
        && word.direction != sign
        && word.direction == actual
    {
        return Some(sentence.finding(
            claim.start,
            format!(
                "{what}: the text calls it {} {} but gives the figure a sign saying the opposite",
                indefinite(&word.text),
                word.text
            ),
            claim.text.clone(),
            claim.text.trim_start_matches(['+', '-']).to_string(),
        ));
    }
    let direction_wrong = direction.is_some_and(|direction| direction != actual && actual != Direction::Same);
    let size_wrong = !percent_agrees(claim.value, difference.abs(), change.previous);
    if !direction_wrong && !size_wrong {
        return None;
    }
    let expected_size = format_percent(percent(difference.abs(), change.previous, claim.value.scale.max(1)));
    if direction_wrong {
        let (printed, expected) = match &claim.word {
            Some(word) => {
                let (from, to) = (word.start.min(claim.start), (word.start + word.text.len()).max(claim.end));
                let span = &sentence.text[from..to];
                let corrected = span.replacen(&word.text, &opposite(&word.text), 1);
                let corrected = corrected.replacen(&claim.text, claim.text.trim_start_matches(['+', '-']), 1);
                let corrected = if size_wrong { corrected.replacen(&claim.text, &expected_size, 1) } else { corrected };
                (span.to_string(), corrected)
            }
            None => {
                (claim.text.clone(), format_percent(percent(difference, change.previous, claim.value.scale.max(1))))
            }
        };
        return Some(sentence.finding(
            claim.start,
            format!(
                "{what}: the text gives {}, but the figure {} ({}, {})",
                verb(direction.unwrap_or(actual)),
                went(change),
                against(change),
                signed_percent(change, claim.value.scale)
            ),
            printed,
            expected,
        ));
    }
    Some(sentence.finding(
        claim.start,
        format!(
            "{what}: the text gives {}, but the table's figures give {expected_size} ({})",
            claim.text.trim_start_matches(['+', '-']),
            against(change)
        ),
        claim.text.trim_start_matches(['+', '-']).to_string(),
        expected_size,
    ))
}

fn signed_percent(change: &Change, scale: u32) -> String {
    if change.previous.is_zero() {
        return "n/a".into();
    }
    let value = percent(change.difference(), change.previous, scale.max(1));
    let sign = if value.units > 0 { "+" } else { "" };
    format!("{sign}{}", format_percent(value))
}

fn indefinite(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" }
}

/// A stated number change against the table's.
fn check_count(sentence: &Sentence, claim: &CountClaim, change: &Change, what: &str) -> Option<Finding> {
    let difference = change.difference();
    let actual = Direction::of(difference);
    let direction_wrong = claim.direction.is_some_and(|direction| direction != actual && actual != Direction::Same);
    let size_wrong = !claim.value.same(difference.abs());
    if direction_wrong {
        let (printed, expected) = match &claim.word {
            Some(word) => (
                format!("{} {}", claim.text, word.text),
                format!("{} {}", thousands_like(difference.abs(), claim.grouped), opposite(&word.text)),
            ),
            None => (
                format!("{}{}", if claim.direction == Some(Direction::Up) { "+" } else { "-" }, claim.text),
                format_decimal(difference, claim.grouped, true),
            ),
        };
        return Some(sentence.finding(
            claim.start,
            format!(
                "{what}: the text gives {}, but the figure {} ({})",
                verb(claim.direction.unwrap_or(actual)),
                went(change),
                against(change)
            ),
            printed,
            expected,
        ));
    }
    if size_wrong {
        let expected = thousands_like(difference.abs(), claim.grouped);
        return Some(sentence.finding(
            claim.start,
            format!(
                "{what}: the text gives a change of {}, but the table's number change is {} ({})",
                claim.text,
                format_decimal(difference, claim.grouped, true),
                against(change)
            ),
            claim.text.clone(),
            expected,
        ));
    }
    None
}

fn check_direction(sentence: &Sentence, word: &Word, change: &Change, what: &str) -> Option<Finding> {
    let actual = Direction::of(change.difference());
    if word.direction == actual || (actual == Direction::Same && word.direction != Direction::Same) {
        return None;
    }
    let expected = if actual == Direction::Same { "unchanged".to_string() } else { opposite(&word.text) };
    Some(sentence.finding(
        word.start,
        format!(
            "{what}: the text gives {}, but the figure {} ({})",
            verb(word.direction),
            went(change),
            against(change)
        ),
        word.text.clone(),
        expected,
    ))
}

/// The clauses of a sentence: (start, end).
fn clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for found in CLAUSE_BREAK.find_iter(text) {
        if found.start() > start {
            out.push((start, found.start()));
        }
        start = found.end();
    }
    out.push((start, text.len()));
    out
}

/// Which month row a mention names.
fn resolve(mention: &Mention, months: &[MonthFact]) -> Option<usize> {
    let matching: Vec<usize> = months
        .iter()
        .enumerate()
        .filter(|(_, fact)| {
            fact.month == mention.month && (mention.year.is_none() || fact.year.is_none() || fact.year == mention.year)
        })
        .map(|(index, _)| index)
        .collect();
    match matching.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Checks the paragraphs after a table against it.
pub fn check_against_table(file: &str, facts: &Facts, scope: &[&Paragraph]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !facts.is_counts() && facts.rate.is_none() {
        return findings;
    }
    for paragraph in scope {
        for sentence in each_sentence(file, paragraph) {
            if let Some(rate) = &facts.rate {
                findings.extend(check_rate_sentence(&sentence, rate));
            }
            if !facts.is_counts() || RATE_WORD.is_match(sentence.text) || !sentence.claims.levels.is_empty() {
                continue;
            }
            findings.extend(check_counts_sentence(&sentence, facts));
        }
    }
    findings
}

fn check_counts_sentence(sentence: &Sentence, facts: &Facts) -> Vec<Finding> {
    let mut findings = Vec::new();
    let claims = &sentence.claims;
    let period = PERIOD_CUE.is_match(sentence.text) || claims.months.iter().any(|month| month.range);
    for (start, end) in clauses(sentence.text) {
        let inside = |position: usize| position >= start && position < end;
        let mentions: Vec<&Mention> =
            claims.months.iter().filter(|month| inside(month.start) && !month.range).collect();
        let resolved: Vec<(&Mention, usize)> = mentions
            .iter()
            .filter_map(|mention| resolve(mention, &facts.months).map(|index| (*mention, index)))
            .collect();
        let pcts: Vec<&PctClaim> = claims.pcts.iter().filter(|claim| inside(claim.start) && !claim.points).collect();
        let counts: Vec<&CountClaim> = claims.counts.iter().filter(|claim| inside(claim.start)).collect();
        let words: Vec<&Word> = claims.words.iter().filter(|word| inside(word.start)).collect();
        let clause = &sentence.text[start..end];
        if !resolved.is_empty() {
            findings.extend(check_month_clause(sentence, facts, &resolved, &pcts, &counts, &words, start, end));
            continue;
        }
        if !mentions.is_empty() {
            continue;
        }
        // "Reductions were seen in each of the three months."
        if let Some(found) = ALL_MONTHS.find(clause)
            && !facts.months.is_empty()
            && let Some(word) = words.first()
        {
            findings.extend(check_all_months(sentence, facts, word, start + found.start(), found.as_str()));
        }
        // The total, the latest year or the N-year difference.
        let target: Option<(String, Change)> = if !facts.months.is_empty() || facts.total.is_some() {
            if period { facts.total.as_ref().map(|(label, change)| (format!("the {label}"), *change)) } else { None }
        } else {
            let current =
                CURRENT_YEAR.is_match(clause) || (!YEARS_SPAN.is_match(clause) && CURRENT_YEAR.is_match(sentence.text));
            let span =
                YEARS_SPAN.is_match(clause) || (!CURRENT_YEAR.is_match(clause) && YEARS_SPAN.is_match(sentence.text));
            if current && !span {
                facts.latest.map(|(year, change)| (format!("{year}"), change))
            } else if span && !current {
                facts.difference.as_ref().map(|(label, change)| (format!("the {label}"), *change))
            } else {
                None
            }
        };
        let Some((what, change)) = target else { continue };
        for claim in &pcts {
            findings.extend(check_pct(sentence, claim, claim.direction(), &change, &what));
        }
        for claim in &counts {
            findings.extend(check_count(sentence, claim, &change, &what));
        }
        if let Some((year, _)) = facts.latest
            && what == year.to_string()
        {
            findings.extend(check_lowest(sentence, facts, clause, start));
        }
    }
    if let Some(captures) = THIS_PERIOD_AGAINST.captures(sentence.text)
        && let Some((label, change)) = &facts.total
    {
        let now = number(&captures["now"]);
        let then = if captures["then"].eq_ignore_ascii_case("none") {
            Some(Decimal::int(0))
        } else {
            number(&captures["then"])
        };
        for (name, stated, actual) in [("now", now, change.current), ("then", then, change.previous)] {
            if let Some(stated) = stated
                && !stated.same(actual)
            {
                let position = captures.name(name).expect("group").start();
                findings.push(sentence.finding(
                    position,
                    format!(
                        "the {label}: the text gives {} {}, but the table has {}",
                        format_decimal(stated, true, false),
                        if name == "now" { "this period" } else { "last year" },
                        format_decimal(actual, true, false)
                    ),
                    captures[name].to_string(),
                    format_decimal(actual, captures[name].contains(','), false),
                ));
            }
        }
    }
    findings
}

#[allow(clippy::too_many_arguments)]
fn check_month_clause(
    sentence: &Sentence,
    facts: &Facts,
    resolved: &[(&Mention, usize)],
    pcts: &[&PctClaim],
    counts: &[&CountClaim],
    words: &[&Word],
    start: usize,
    end: usize,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Each figure belongs to the nearest month named before it, or else the first after it.
    let owner = |position: usize| -> usize {
        resolved
            .iter()
            .rfind(|(mention, _)| mention.start < position)
            .or_else(|| resolved.iter().find(|(mention, _)| mention.start > position))
            .map(|(_, index)| *index)
            .unwrap_or(resolved[0].1)
    };
    // The direction the clause gives each month: the last word of direction
    // before it, or else the first after it.
    let direction_for = |mention: &Mention| -> Option<&Word> {
        words
            .iter()
            .rfind(|word| word.start < mention.start)
            .or_else(|| words.iter().find(|word| word.start > mention.end))
            .copied()
    };
    let mut with_figures = std::collections::BTreeSet::new();
    let pct_direction = |claim: &PctClaim, index: usize| {
        claim.direction().or_else(|| {
            let mention = resolved.iter().find(|(_, i)| *i == index).map(|(mention, _)| *mention)?;
            direction_for(mention).map(|word| word.direction)
        })
    };
    // The figures of one month given under another's name: one finding.
    let mut wrong_month = std::collections::BTreeSet::new();
    for (mention, index) in resolved {
        let own_pcts: Vec<&&PctClaim> = pcts.iter().filter(|claim| owner(claim.start) == *index).collect();
        let own_counts: Vec<&&CountClaim> = counts.iter().filter(|claim| owner(claim.start) == *index).collect();
        if own_pcts.is_empty() && own_counts.is_empty() {
            continue;
        }
        let agrees = |fact: &MonthFact| {
            own_pcts
                .iter()
                .all(|claim| check_pct(sentence, claim, pct_direction(claim, *index), &fact.change, "").is_none())
                && own_counts.iter().all(|claim| check_count(sentence, claim, &fact.change, "").is_none())
        };
        let fails_all = own_pcts.iter().all(|claim| {
            check_pct(sentence, claim, pct_direction(claim, *index), &facts.months[*index].change, "").is_some()
        }) && own_counts
            .iter()
            .all(|claim| check_count(sentence, claim, &facts.months[*index].change, "").is_some());
        if !fails_all {
            continue;
        }
        let others: Vec<&MonthFact> = facts
            .months
            .iter()
            .enumerate()
            .filter(|(other, fact)| other != index && agrees(fact))
            .map(|(_, fact)| fact)
            .collect();
        if let [other] = others.as_slice() {
            wrong_month.insert(*index);
            let figures: Vec<String> = own_pcts
                .iter()
                .map(|claim| claim.text.clone())
                .chain(own_counts.iter().map(|claim| claim.text.clone()))
                .collect();
            findings.push(sentence.finding(
                mention.start,
                format!(
                    "the figures given for {} ({}) are {}'s; {} {} ({})",
                    facts.months[*index].label,
                    figures.join(", "),
                    other.label,
                    facts.months[*index].label,
                    went(&facts.months[*index].change),
                    against(&facts.months[*index].change)
                ),
                mention.text.clone(),
                other.label.clone(),
            ));
        }
    }
    for claim in pcts {
        let index = owner(claim.start);
        with_figures.insert(index);
        if wrong_month.contains(&index) {
            continue;
        }
        let fact = &facts.months[index];
        findings.extend(check_pct(sentence, claim, pct_direction(claim, index), &fact.change, &fact.label));
    }
    for claim in counts {
        let index = owner(claim.start);
        with_figures.insert(index);
        if wrong_month.contains(&index) {
            continue;
        }
        let fact = &facts.months[index];
        findings.extend(check_count(sentence, claim, &fact.change, &fact.label));
    }
    for (mention, index) in resolved {
        if with_figures.contains(index) {
            continue;
        }
        if let Some(word) = direction_for(mention) {
            let fact = &facts.months[*index];
            findings.extend(check_direction(sentence, word, &fact.change, &fact.label));
        }
    }
    let clause = &sentence.text[start..end];
    if let Some(found) = ALL_MONTHS.find(clause)
        && let Some(word) = words.iter().find(|word| word.start < start + found.end() + 40)
    {
        findings.extend(check_all_months(sentence, facts, word, start + found.start(), found.as_str()));
    }
    // "the largest in July 2024": the month with the largest change that way.
    if let Some(found) = SUPERLATIVE.find(clause) {
        let position = start + found.start();
        let named = resolved
            .iter()
            .find(|(mention, _)| mention.start > position)
            .or_else(|| resolved.iter().rev().find(|(mention, _)| mention.start < position));
        if let Some((mention, index)) = named.filter(|(_, index)| !wrong_month.contains(index)) {
            let fact = &facts.months[*index];
            let direction = Direction::of(fact.change.difference());
            let candidates: Vec<&MonthFact> =
                facts.months.iter().filter(|other| Direction::of(other.change.difference()) == direction).collect();
            let size = |fact: &MonthFact| fact.change.difference().abs();
            let pct_key = |fact: &MonthFact| {
                if fact.change.previous.is_zero() { None } else { Some(percent(size(fact), fact.change.previous, 3)) }
            };
            let largest_by_count =
                candidates.iter().max_by(|a, b| size(a).at(6).cmp(&size(b).at(6))).map(|fact| fact.label.clone());
            let largest_by_pct = candidates
                .iter()
                .filter_map(|fact| pct_key(fact).map(|pct| (pct.units, fact.label.clone())))
                .max_by_key(|(units, _)| *units)
                .map(|(_, label)| label);
            let by_count = candidates.iter().all(|other| size(other).at(6) <= size(fact).at(6));
            let by_pct = match pct_key(fact) {
                Some(pct) => candidates.iter().all(|other| pct_key(other).is_none_or(|other| other.units <= pct.units)),
                None => false,
            };
            if direction != Direction::Same && !by_count && !by_pct {
                let expected = largest_by_pct.or(largest_by_count).unwrap_or_default();
                findings.push(sentence.finding(
                    mention.start,
                    format!(
                        "{} is named as the month with the {} {}, but {} had a larger one by both number and percentage",
                        fact.label,
                        found.as_str(),
                        if direction == Direction::Up { "increase" } else { "decrease" },
                        expected
                    ),
                    mention.text.clone(),
                    expected,
                ));
            }
        }
    }
    findings
}

fn check_all_months(sentence: &Sentence, facts: &Facts, word: &Word, position: usize, phrase: &str) -> Vec<Finding> {
    if word.direction == Direction::Same {
        return Vec::new();
    }
    let against_it: Vec<&MonthFact> =
        facts.months.iter().filter(|fact| Direction::of(fact.change.difference()) != word.direction).collect();
    if against_it.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = against_it
        .iter()
        .map(|fact| format!("{} {} ({})", fact.label, went(&fact.change), against(&fact.change)))
        .collect();
    let matching: Vec<&str> = facts
        .months
        .iter()
        .filter(|fact| Direction::of(fact.change.difference()) == word.direction)
        .map(|fact| fact.label.as_str())
        .collect();
    let message = format!(
        "the text gives {} ({}) in {phrase}, but {}",
        word.text.to_lowercase(),
        verb(word.direction),
        names.join("; ")
    );
    let all_other_way = facts.months.iter().all(|fact| {
        let actual = Direction::of(fact.change.difference());
        actual != Direction::Same && actual != word.direction
    });
    if matching.is_empty() && all_other_way {
        return vec![sentence.finding(word.start, message, word.text.clone(), opposite(&word.text))];
    }
    vec![sentence.finding(
        position,
        message,
        phrase.to_string(),
        if matching.is_empty() {
            "in none of the months".to_string()
        } else {
            format!("only in {}", matching.join(", "))
        },
    )]
}

/// "the lowest recorded volume in 5 years", against the years the table
/// gives (with the year before its first, implied by the first number change).
fn check_lowest(sentence: &Sentence, facts: &Facts, clause: &str, start: usize) -> Vec<Finding> {
    let Some(captures) = LOWEST_IN_YEARS.captures(clause) else { return Vec::new() };
    let Some(span) = words_number(&captures["n"]) else { return Vec::new() };
    let Some((latest, change)) = facts.latest else { return Vec::new() };
    let lowest = captures["which"].eq_ignore_ascii_case("lowest");
    let value_of =
        |year: i32| facts.years.iter().find(|(y, _, _)| *y == year).map(|(_, value, implied)| (*value, *implied));
    let beats =
        |other: Decimal| if lowest { other.at(6) < change.current.at(6) } else { other.at(6) > change.current.at(6) };
    for back in 1..span {
        let year = latest - back;
        let Some((value, implied)) = value_of(year) else { return Vec::new() };
        if beats(value) {
            let how = if implied { " (implied by the first year's number change)" } else { "" };
            return vec![sentence.finding(
                start + captures.get(0).expect("match").start(),
                format!(
                    "{latest}'s {} is called the {} in {span} years, but {year} had {}{how}",
                    format_decimal(change.current, true, false),
                    &captures["which"],
                    format_decimal(value, true, false)
                ),
                format!("{} years", &captures["n"]),
                format!("{} years", back),
            )];
        }
    }
    Vec::new()
}

/// A rate sentence after a rate table: "rose 8.2 percentage points, from 7.6% to 15.8%".
fn check_rate_sentence(sentence: &Sentence, rate: &RateFact) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some((from, to, _)) = ordered_levels(sentence) else { return findings };
    if rate.denominator.is_zero() || rate.last_denominator.is_zero() {
        return findings;
    }
    for (level, numerator, denominator, when) in [
        (from, rate.last_numerator, rate.last_denominator, "last year's rate"),
        (to, rate.numerator, rate.denominator, "this period's rate"),
    ] {
        if !percent_agrees(level.value, numerator, denominator) {
            let expected = format_percent(percent(numerator, denominator, level.value.scale.max(1)));
            findings.push(sentence.finding(
                level.start,
                format!(
                    "the text gives {when} as {}, but the table's counts give {} ÷ {} = {expected}",
                    level.text,
                    format_decimal(numerator, true, false),
                    format_decimal(denominator, true, false)
                ),
                level.text.clone(),
                expected,
            ));
        }
    }
    findings
}

/// The two levels a sentence compares, in order: "from A% to B%", "from
/// A%" with one other level, or a level marked as last year's.
fn ordered_levels<'a>(sentence: &'a Sentence) -> Option<(&'a Level, &'a Level, bool)> {
    let text = sentence.text;
    // "the 95% confidence level", "a 95% interval", "a share near 50%": the
    // terms of a statistical statement, not levels of a measure.
    let statistical = |level: &Level| {
        let after = text.get(level.end..).unwrap_or("").trim_start().to_lowercase();
        let before = text.get(..level.start).unwrap_or("").trim_end().to_lowercase();
        after.starts_with("confidence") || after.starts_with("interval") || before.ends_with("near")
    };
    // A sentence that states one is about the statistics, not a change between
    // two levels: it is left alone rather than misread.
    let levels = &sentence.claims.levels;
    if levels.iter().any(statistical) {
        return None;
    }
    let after = |position: usize, limit: usize| {
        levels.iter().find(|level| level.start >= position && level.start <= position + limit)
    };
    for from in FROM.find_iter(text) {
        let Some(first) = after(from.end(), 50) else { continue };
        if let Some(to) = TO.find_iter(&text[first.end..]).next() {
            let position = first.end + to.end();
            if let Some(second) = after(position, 50)
                && text[first.end..position].len() < 60
            {
                return Some((first, second, true));
            }
        }
        if levels.len() == 2 {
            let other = levels.iter().find(|level| level.start != first.start)?;
            return Some((first, other, true));
        }
    }
    if levels.len() != 2 {
        return None;
    }
    let marked = |level: &Level| {
        let before = &text[level.start.saturating_sub(45)..level.start];
        let before = before.char_indices().map(|(i, _)| i).next().map_or(before, |_| before);
        let after_text = text.get(level.end..(level.end + 15).min(text.len())).unwrap_or("");
        BASELINE_BEFORE.is_match(before) || after_text.trim_start().to_lowercase().starts_with("last year")
    };
    let (a, b) = (&levels[0], &levels[1]);
    match (marked(a), marked(b)) {
        (true, false) => Some((a, b, true)),
        (false, true) => Some((b, a, true)),
        _ => Some((a, b, false)),
    }
}

/// Checks that need nothing but the sentence itself.
pub fn check_on_their_own(file: &str, paragraph: &Paragraph) -> Vec<Finding> {
    let mut findings = Vec::new();
    for sentence in each_sentence(file, paragraph) {
        findings.extend(check_between_percentages(&sentence));
        findings.extend(check_fractions(&sentence));
        findings.extend(check_count_from_to(&sentence));
    }
    findings
}

/// A change between two percentages: in percentage points, the right size,
/// the right way.
fn check_between_percentages(sentence: &Sentence) -> Vec<Finding> {
    let claims = &sentence.claims;
    let Some((from, to, ordered)) = ordered_levels(sentence) else { return Vec::new() };
    let scale = from.value.scale.max(to.value.scale);
    let points = to.value.sub(from.value);
    let points_text = |value: Decimal| format_decimal(Decimal { units: value.at(scale), scale }, false, false);
    let actual = Direction::of(points);
    let pair = if ordered {
        format!("from {} to {}", from.text, to.text)
    } else {
        format!("between {} and {}", from.text, to.text)
    };
    let changes: Vec<&PctClaim> = claims.pcts.iter().collect();
    match changes.as_slice() {
        [] => {
            // No figure for the change: only its direction can be wrong.
            if !ordered || actual == Direction::Same {
                return Vec::new();
            }
            let words: Vec<&Word> = claims.words.iter().filter(|word| word.direction != Direction::Same).collect();
            let Some(word) = words.first() else { return Vec::new() };
            if words.iter().any(|other| other.direction != word.direction) || word.direction == actual {
                return Vec::new();
            }
            vec![sentence.finding(
                word.start,
                format!(
                    "the text gives {} {}, but {pair} is {} of {} percentage points",
                    indefinite(&word.text),
                    word.text,
                    verb(actual),
                    points_text(points.abs())
                ),
                word.text.clone(),
                opposite(&word.text),
            )]
        }
        [claim] => {
            let stated_direction = claim.direction();
            let direction_wrong =
                ordered && stated_direction.is_some_and(|direction| direction != actual) && actual != Direction::Same;
            let is_points_size = claim.value.same(points.abs());
            let relative = |base: &Level, other: &Level| {
                !base.value.is_zero() && percent_agrees(claim.value, other.value.sub(base.value).abs(), base.value)
            };
            let is_relative = relative(from, to) || (!ordered && relative(to, from));
            // What is printed, from the word of direction to the figure, and
            // the same words put right.
            let (span_start, span_end) = match &claim.word {
                Some(word) => (word.start.min(claim.start), (word.start + word.text.len()).max(claim.end)),
                None => (claim.start, claim.end),
            };
            let printed = sentence.text[span_start..span_end].to_string();
            let figure = claim.text.trim_start_matches(['+', '-']);
            let corrected = |size: String| {
                let mut text = printed.replacen(figure, &size, 1);
                if direction_wrong && let Some(word) = &claim.word {
                    text = text.replacen(&word.text, &opposite(&word.text), 1);
                }
                text
            };
            let points_expected = corrected(format!("{} percentage points", points_text(points.abs())));
            let points_expected = points_expected.replace("percentage points percentage points", "percentage points");
            if claim.points {
                if is_points_size && !direction_wrong {
                    return Vec::new();
                }
                let unit_free = claim.text.trim_start_matches(['+', '-']);
                let number_only = unit_free.split_whitespace().next().unwrap_or(unit_free).to_string();
                let expected = {
                    let mut text = printed.replacen(&number_only, &points_text(points.abs()), 1);
                    if direction_wrong && let Some(word) = &claim.word {
                        text = text.replacen(&word.text, &opposite(&word.text), 1);
                    }
                    text
                };
                return vec![sentence.finding(
                    claim.start,
                    format!("{pair} is {} of {} percentage points", verb(actual), points_text(points.abs())),
                    printed,
                    expected,
                )];
            }
            if is_relative && !is_points_size {
                if !direction_wrong {
                    return Vec::new();
                }
                return vec![sentence.finding(
                    claim.start,
                    format!("{pair} is {}, not {}", verb(actual), verb(stated_direction.unwrap_or(actual))),
                    printed.clone(),
                    corrected(figure.to_string()),
                )];
            }
            if is_points_size {
                let mut message = format!(
                    "a change between two percentages is in percentage points: {pair} is {} percentage points, not {}%",
                    points_text(points.abs()),
                    format_decimal(claim.value, false, false)
                );
                if !from.value.is_zero() && ordered {
                    message.push_str(&format!(
                        " (as a relative change it would be {})",
                        signed_change(percent(points, from.value, 1))
                    ));
                }
                if direction_wrong {
                    message.push_str(&format!(
                        "; and it is {}, not {}",
                        verb(actual),
                        verb(stated_direction.unwrap_or(actual))
                    ));
                }
                return vec![sentence.finding(claim.start, message, printed, points_expected)];
            }
            if ordered && !from.value.is_zero() {
                return vec![sentence.finding(
                    claim.start,
                    format!(
                        "{pair} is {} of {} percentage points ({} as a relative change), not {}",
                        verb(actual),
                        points_text(points.abs()),
                        signed_change(percent(points, from.value, 1)),
                        claim.text
                    ),
                    printed,
                    points_expected,
                )];
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn signed_change(value: Decimal) -> String {
    let sign = if value.units > 0 { "+" } else { "" };
    format!("{sign}{}", format_percent(value))
}

/// "87.7% (186 out of 212)", "5/136 (3.7%)", "15.8% (73/461)", "73.6% (475 yes; 170 no)".
fn check_fractions(sentence: &Sentence) -> Vec<Finding> {
    let mut findings = Vec::new();
    let text = sentence.text;
    let mut seen = Vec::new();
    let mut check = |pct_match: regex::Match, numerator: Decimal, denominator: Decimal, shown: String| {
        if seen.contains(&pct_match.start()) || denominator.is_zero() {
            return;
        }
        seen.push(pct_match.start());
        let Some(printed) = number(pct_match.as_str()) else { return };
        if !percent_agrees(printed, numerator, denominator) {
            let expected = format_percent(percent(numerator, denominator, printed.scale.max(1)));
            findings.push(sentence.finding(
                pct_match.start(),
                format!("{}% is given for {shown}, which is {expected}", pct_match.as_str()),
                format!("{}%", pct_match.as_str()),
                expected,
            ));
        }
    };
    for regex in [&*FRACTION_OUT_OF, &*FRACTION_SLASH_FIRST, &*FRACTION_PCT_FIRST] {
        for captures in regex.captures_iter(text) {
            let (Some(numerator), Some(denominator)) = (number(&captures["n"]), number(&captures["d"])) else {
                continue;
            };
            let shown = format!("{} out of {}", &captures["n"], &captures["d"]);
            check(captures.name("pct").expect("pct"), numerator, denominator, shown);
        }
    }
    for captures in YES_NO.captures_iter(text) {
        let (Some(yes), Some(no)) = (number(&captures["n"]), number(&captures["no"])) else { continue };
        let shown = format!("{} yes of {} answers", &captures["n"], format_decimal(yes.add(no), false, false));
        check(captures.name("pct").expect("pct"), yes, yes.add(no), shown);
    }
    for captures in RATE_COUNTS.captures_iter(text) {
        for (pct, n, d) in [("a", "n0", "d0"), ("b", "n1", "d1")] {
            let (Some(numerator), Some(denominator)) = (number(&captures[n]), number(&captures[d])) else { continue };
            let shown = format!("{} of {}", &captures[n], &captures[d]);
            check(captures.name(pct).expect("pct"), numerator, denominator, shown);
        }
    }
    findings
}

fn looks_like_year(value: Decimal) -> bool {
    value.scale == 0 && (1900..=2100).contains(&value.units)
}

/// "increasing from 42 to 73" must go that way; "an additional 31 …
/// increasing from 42 to 73" must add up.
fn check_count_from_to(sentence: &Sentence) -> Vec<Finding> {
    let mut findings = Vec::new();
    for captures in COUNT_FROM_TO.captures_iter(sentence.text) {
        let b_match = captures.name("b").expect("b");
        if sentence.text[b_match.end()..].trim_start().starts_with(['%', '.'])
            && sentence.text[b_match.end()..].trim_start().starts_with('%')
        {
            continue;
        }
        let (Some(a), Some(b)) = (number(&captures["a"]), number(&captures["b"])) else { continue };
        if looks_like_year(a) && looks_like_year(b) {
            continue;
        }
        let dir = captures.name("dir").expect("dir");
        let Some(word) = sentence.claims.words.iter().find(|word| word.start == dir.start()).cloned().or_else(|| {
            let direction =
                if ["increas", "ris", "rose"].iter().any(|prefix| dir.as_str().to_lowercase().starts_with(prefix)) {
                    Direction::Up
                } else {
                    Direction::Down
                };
            Some(Word { text: dir.as_str().to_string(), direction, start: dir.start() })
        }) else {
            continue;
        };
        let change = Change { current: b, previous: a };
        findings.extend(check_direction(
            sentence,
            &word,
            &change,
            &format!("from {} to {}", &captures["a"], &captures["b"]),
        ));
        if let Some(additional) = ADDITIONAL.captures(sentence.text)
            && let Some(stated) = number(&additional["n"])
            && Direction::of(b.sub(a)) == Direction::Up
            && !stated.same(b.sub(a))
        {
            let position = additional.name("n").expect("n").start();
            findings.push(sentence.finding(
                position,
                format!(
                    "the text gives {} additional, but from {} to {} is {}",
                    &additional["n"],
                    &captures["a"],
                    &captures["b"],
                    format_decimal(b.sub(a), true, false)
                ),
                additional["n"].to_string(),
                format_decimal(b.sub(a), additional["n"].contains(','), false),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_but_not_decimals() {
        let text =
            "All crime fell 6.3%, with 2,850 fewer offences. Reductions were seen in May (e.g. 1.5%). Then more.";
        let parts: Vec<&str> = sentences(text).into_iter().map(|(start, end)| &text[start..end]).collect();
        assert_eq!(
            parts,
            [
                "All crime fell 6.3%, with 2,850 fewer offences.",
                "Reductions were seen in May (e.g. 1.5%).",
                "Then more."
            ]
        );
    }

    #[test]
    fn headings() {
        assert!(is_heading("3.2 Victim Based Crime", "3.2 Victim Based Crime"));
        assert!(is_heading("6.2 County Lines.", "6.2 County Lines."));
        assert!(is_heading("Nuisance Bikes", "Nuisance Bikes"));
        assert!(is_heading("### 3.6 Burglary residential", "3.6 Burglary residential"));
        assert!(!is_heading(
            "11. All recorded crime shows a 23% increase on the previous year, driven primarily by a surge in recorded violence.",
            "11. All recorded crime shows a 23% increase on the previous year, driven primarily by a surge in recorded violence."
        ));
        assert!(!is_heading(
            "Burglary residential has seen a 14.0% decrease.",
            "Burglary residential has seen a 14.0% decrease."
        ));
    }
}
