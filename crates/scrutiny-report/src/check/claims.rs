//! What a sentence states, found by pattern: changes given as percentages
//! ("a 14.0% decrease", "rose by 25.6%", "an increase of 8.2%"), in
//! percentage points, or as counts ("2,850 fewer offences", "(-427)",
//! "+12 crimes"); percentages that are levels ("from 7.6% to 15.8%"); months
//! named; and words of direction. Positions are byte offsets in the sentence.

use std::sync::LazyLock;

use regex::Regex;

use super::arithmetic::month_number;
use super::number::{Decimal, parse_digits};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Same,
}

impl Direction {
    pub fn of(value: Decimal) -> Direction {
        match value.signum() {
            1 => Direction::Up,
            -1 => Direction::Down,
            _ => Direction::Same,
        }
    }
}

/// A word of direction as printed, and the word for the other way.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub direction: Direction,
    pub start: usize,
}

const UP_DOWN: [(&str, &str); 23] = [
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("increased", "decreased"),
    ("increasing", "decreasing"),
    ("rise", "fall"),
    ("rises", "falls"),
    ("rose", "fell"),
    ("risen", "fallen"),
    ("rising", "falling"),
    ("more", "fewer"),
    ("higher", "lower"),
    ("up", "down"),
    ("grew", "fell"),
    ("growth", "fall"),
    ("additional", "fewer"),
    ("increase", "reduction"),
    ("increases", "reductions"),
    ("increased", "reduced"),
    ("increasing", "reducing"),
    ("rise", "drop"),
    ("rose", "dropped"),
    ("rise", "decline"),
    ("rose", "declined"),
];

fn direction_of(word: &str) -> Option<Direction> {
    let word = word.to_lowercase();
    if word == "unchanged" {
        return Some(Direction::Same);
    }
    if word == "less" {
        return Some(Direction::Down);
    }
    for (up, down) in UP_DOWN {
        if word == up {
            return Some(Direction::Up);
        }
        if word == down {
            return Some(Direction::Down);
        }
    }
    match word.as_str() {
        "drops" | "declines" | "declining" | "dropping" => Some(Direction::Down),
        _ => None,
    }
}

/// "decrease" → "increase", keeping the printed capital.
pub fn opposite(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut other = None;
    for (up, down) in UP_DOWN {
        if lower == up {
            other = Some(down);
            break;
        }
        if lower == down {
            other = Some(up);
            break;
        }
    }
    let other = other.unwrap_or(match lower.as_str() {
        "less" => "more",
        "drops" => "rises",
        "declines" => "rises",
        "declining" | "dropping" => "rising",
        "unchanged" => "changed",
        _ => "the other way",
    });
    if word.starts_with(|c: char| c.is_uppercase()) {
        let mut characters = other.chars();
        characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
    } else {
        other.to_string()
    }
}

/// A change stated as a percentage or in percentage points.
#[derive(Debug, Clone)]
pub struct PctClaim {
    pub start: usize,
    pub end: usize,
    /// The magnitude.
    pub value: Decimal,
    /// An explicit sign ("-6.7%").
    pub sign: Option<Direction>,
    pub word: Option<Word>,
    pub points: bool,
    /// The figure as printed ("-6.7%", "8.2 percentage points").
    pub text: String,
}

impl PctClaim {
    pub fn direction(&self) -> Option<Direction> {
        self.word.as_ref().map(|word| word.direction).or(self.sign)
    }
}

/// A change stated as a count.
#[derive(Debug, Clone)]
pub struct CountClaim {
    pub start: usize,
    pub value: Decimal,
    pub grouped: bool,
    pub direction: Option<Direction>,
    pub word: Option<Word>,
    pub text: String,
}

/// A percentage that is a level, not a change.
#[derive(Debug, Clone)]
pub struct Level {
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub month: u32,
    pub year: Option<i32>,
    /// Part of a range ("between May and July 2024"): the period, not a month.
    pub range: bool,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Claims {
    pub pcts: Vec<PctClaim>,
    pub counts: Vec<CountClaim>,
    pub levels: Vec<Level>,
    pub months: Vec<Mention>,
    pub words: Vec<Word>,
}

const NUM: &str = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?";
const CHANGE_WORDS: &str = "increases|increased|increasing|increase|rises|rose|risen|rising|rise|decreases|decreased|decreasing|decrease|reductions|reduction|reduced|reducing|falls|fell|fallen|falling|fall|drops|dropped|drop|declines|declined|decline|grew|growth|up|down";

fn figure() -> String {
    format!(r"(?P<sign>[+-]?)\s?(?P<num>{NUM})\s?(?:(?P<pc>%)|(?P<pp>percentage points?\b|pp\b))")
}

static PCT_AFTER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?P<dir>{CHANGE_WORDS})\b[^%.;()]{{0,25}}?\b(?:of|by)\s+{}", figure())).expect("regex")
});
static PCT_AFTER_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?P<dir>rose|fell|increased|decreased|reduced|dropped|declined|grew|risen|fallen|up|down)\s+{}",
        figure()
    ))
    .expect("regex")
});
static PCT_BEFORE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i){}\s+(?P<dir>increases|increase|decreases|decrease|reductions|reduction|rise|fall|drop|decline|higher|lower|more|fewer|less)\b",
        figure()
    ))
    .expect("regex")
});
static ANY_PCT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?P<sign>[+-]?)(?P<num>{NUM})\s?%")).expect("regex"));
static PAREN_FIGURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^\s*\(\s*{}", figure())).expect("regex"));
static COUNT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?P<sign>[+-]?)(?P<num>{NUM})\s+(?P<word>more|fewer|less)\b")).expect("regex")
});
static COUNT_ADDITIONAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?P<word>additional|extra)\s+(?P<num>{NUM})\b")).expect("regex"));
static COUNT_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\(\s*(?P<sign>[+-])\s*(?P<num>{NUM})\s*\)")).expect("regex"));
static COUNT_SIGNED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?P<sign>[+-])(?P<num>{NUM})\s+[A-Za-z]")).expect("regex"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<name>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b(?:(?: (?P<year4>\d{4}))|(?:-(?P<year2>\d{2})))?\b")
        .expect("regex")
});
static DIRECTION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(increases|increased|increasing|increase|rises|rose|risen|rising|rise|decreases|decreased|decreasing|decrease|reductions|reduction|reduced|reducing|falls|fell|fallen|falling|fall|drops|dropped|drop|declines|declined|declining|decline|unchanged|higher|lower)\b")
        .expect("regex")
});

fn decimal(text: &str) -> Option<(Decimal, bool)> {
    parse_digits(text)
}

/// Whether a number starting at `start` stands alone (not the tail of
/// "24/7", "Covid-19" or "3.5").
fn stands_alone(sentence: &str, start: usize) -> bool {
    sentence[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '.' | '/' | ',' | '-' | '+')))
}

fn sign_of(text: &str) -> Option<Direction> {
    match text {
        "+" => Some(Direction::Up),
        "-" => Some(Direction::Down),
        _ => None,
    }
}

impl Claims {
    pub fn read(sentence: &str) -> Claims {
        let mut claims = Claims::default();
        claims.read_months(sentence);
        claims.read_percentages(sentence);
        claims.read_counts(sentence);
        for found in DIRECTION_WORD.find_iter(sentence) {
            if let Some(direction) = direction_of(found.as_str()) {
                claims.words.push(Word { text: found.as_str().to_string(), direction, start: found.start() });
            }
        }
        claims
    }

    fn read_months(&mut self, sentence: &str) {
        for captures in MONTH.captures_iter(sentence) {
            let whole = captures.get(0).expect("match");
            let Some(month) = month_number(&captures["name"]) else { continue };
            let year = captures.name("year4").and_then(|year| year.as_str().parse().ok()).or_else(|| {
                captures.name("year2").and_then(|year| year.as_str().parse::<i32>().ok()).map(|year| 2000 + year)
            });
            self.months.push(Mention {
                start: whole.start(),
                end: whole.end(),
                month,
                year,
                range: false,
                text: whole.as_str().to_string(),
            });
        }
        // "May and July 2024": May takes July's year.
        for index in (0..self.months.len().saturating_sub(1)).rev() {
            let between = sentence[self.months[index].end..self.months[index + 1].start].trim();
            if self.months[index].year.is_none() && matches!(between, "and" | "," | "or") {
                self.months[index].year = self.months[index + 1].year;
            }
        }
        for index in 0..self.months.len().saturating_sub(1) {
            let between = sentence[self.months[index].end..self.months[index + 1].start].trim().to_lowercase();
            let before = sentence[..self.months[index].start].trim_end().to_lowercase();
            if matches!(between.as_str(), "-" | "–" | "—" | "to" | "until")
                || (between == "and" && before.ends_with("between"))
            {
                self.months[index].range = true;
                self.months[index + 1].range = true;
            }
        }
    }

    fn read_percentages(&mut self, sentence: &str) {
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for regex in [&*PCT_AFTER_WORD, &*PCT_AFTER_VERB, &*PCT_BEFORE_WORD] {
            for captures in regex.captures_iter(sentence) {
                let number = captures.name("num").expect("num");
                let start = captures
                    .name("sign")
                    .filter(|sign| !sign.as_str().is_empty())
                    .map_or(number.start(), |sign| sign.start());
                let end = captures.name("pc").or(captures.name("pp")).map_or(number.end(), |unit| unit.end());
                if taken.iter().any(|(s, e)| start < *e && *s < end) || !stands_alone(sentence, start) {
                    continue;
                }
                let Some((value, _)) = decimal(number.as_str()) else { continue };
                let word = captures.name("dir").and_then(|dir| {
                    direction_of(dir.as_str()).map(|direction| Word {
                        text: dir.as_str().to_string(),
                        direction,
                        start: dir.start(),
                    })
                });
                taken.push((start, end));
                self.pcts.push(PctClaim {
                    start,
                    end,
                    value,
                    sign: sign_of(&captures["sign"]),
                    word,
                    points: captures.name("pp").is_some(),
                    text: sentence[start..end].to_string(),
                });
            }
        }
        // "July 2024 (22.8%, 66 fewer offences)": a figure in brackets after a month.
        for mention in &self.months {
            if let Some(captures) = PAREN_FIGURE.captures(&sentence[mention.end..]) {
                let number = captures.name("num").expect("num");
                let offset = mention.end;
                let start = offset
                    + captures
                        .name("sign")
                        .filter(|sign| !sign.as_str().is_empty())
                        .map_or(number.start(), |sign| sign.start());
                let end = offset + captures.name("pc").or(captures.name("pp")).map_or(number.end(), |unit| unit.end());
                if taken.iter().any(|(s, e)| start < *e && *s < end) {
                    continue;
                }
                let Some((value, _)) = decimal(number.as_str()) else { continue };
                taken.push((start, end));
                self.pcts.push(PctClaim {
                    start,
                    end,
                    value,
                    sign: sign_of(&captures["sign"]),
                    word: None,
                    points: captures.name("pp").is_some(),
                    text: sentence[start..end].to_string(),
                });
            }
        }
        for captures in ANY_PCT.captures_iter(sentence) {
            let whole = captures.get(0).expect("match");
            if taken.iter().any(|(s, e)| whole.start() < *e && *s < whole.end())
                || !stands_alone(sentence, whole.start())
            {
                continue;
            }
            let Some((value, _)) = decimal(&captures["num"]) else { continue };
            let value = if &captures["sign"] == "-" { value.neg() } else { value };
            self.levels.push(Level { start: whole.start(), end: whole.end(), value, text: whole.as_str().to_string() });
        }
        self.pcts.sort_by_key(|claim| claim.start);
    }

    fn read_counts(&mut self, sentence: &str) {
        let mut taken: Vec<(usize, usize)> = self.pcts.iter().map(|claim| (claim.start, claim.end)).collect();
        taken.extend(self.levels.iter().map(|level| (level.start, level.end)));
        let mut push = |claims: &mut Claims,
                        start: usize,
                        end: usize,
                        number: &str,
                        direction: Option<Direction>,
                        word: Option<Word>| {
            if taken.iter().any(|(s, e)| start < *e && *s < end) {
                return;
            }
            let Some((value, grouped)) = decimal(number) else { return };
            taken.push((start, end));
            claims.counts.push(CountClaim { start, value, grouped, direction, word, text: number.to_string() });
        };
        for captures in COUNT_WORD.captures_iter(sentence) {
            let number = captures.name("num").expect("num");
            let sign = captures.name("sign").expect("sign");
            let start = if sign.as_str().is_empty() { number.start() } else { sign.start() };
            if !stands_alone(sentence, start) {
                continue;
            }
            let word = captures.name("word").expect("word");
            let direction = direction_of(word.as_str());
            let word =
                direction.map(|direction| Word { text: word.as_str().to_string(), direction, start: word.start() });
            push(self, start, number.end(), number.as_str(), direction, word);
        }
        for captures in COUNT_ADDITIONAL.captures_iter(sentence) {
            let number = captures.name("num").expect("num");
            if sentence[number.end()..].trim_start().starts_with('%') {
                continue;
            }
            let word = captures.name("word").expect("word");
            let text = word.as_str().to_string();
            push(
                self,
                number.start(),
                number.end(),
                number.as_str(),
                Some(Direction::Up),
                Some(Word { text, direction: Direction::Up, start: word.start() }),
            );
        }
        for captures in COUNT_PAREN.captures_iter(sentence) {
            let number = captures.name("num").expect("num");
            let sign = captures.name("sign").expect("sign");
            push(self, sign.start(), number.end(), number.as_str(), sign_of(sign.as_str()), None);
        }
        for captures in COUNT_SIGNED.captures_iter(sentence) {
            let number = captures.name("num").expect("num");
            let sign = captures.name("sign").expect("sign");
            let before = sentence[..sign.start()].chars().next_back();
            if !before.is_none_or(|c| c == ' ' || c == '(') {
                continue;
            }
            push(self, sign.start(), number.end(), number.as_str(), sign_of(sign.as_str()), None);
        }
        self.counts.sort_by_key(|claim| claim.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_papers_phrasings() {
        let claims = Claims::read(
            "All crime has experienced a decrease of 6.3%, with 2,850 less offences between May and July 2024 compared to the same period last year.",
        );
        assert_eq!(claims.pcts.len(), 1);
        assert_eq!(claims.pcts[0].value, Decimal { units: 63, scale: 1 });
        assert_eq!(claims.pcts[0].direction(), Some(Direction::Down));
        assert_eq!(claims.counts[0].value, Decimal::int(2850));
        assert_eq!(claims.counts[0].direction, Some(Direction::Down));
        assert!(claims.months.iter().all(|month| month.range));

        let claims = Claims::read(
            "Increases are seen in May 2024 (+12 crimes) and July 2024 (+51 crimes), however June 2024 saw a 3.3% decrease compared to June 2023 with 19 less crimes.",
        );
        let counts: Vec<_> = claims.counts.iter().map(|claim| (claim.value, claim.direction)).collect();
        assert_eq!(
            counts,
            [
                (Decimal::int(12), Some(Direction::Up)),
                (Decimal::int(51), Some(Direction::Up)),
                (Decimal::int(19), Some(Direction::Down))
            ]
        );
        assert_eq!(claims.months.len(), 4);

        let claims = Claims::read(
            "Reductions were seen in each of the three months, the largest in July 2024 (22.8%, 66 fewer offences).",
        );
        assert_eq!(claims.pcts[0].text, "22.8%");
        assert!(claims.pcts[0].word.is_none());

        let claims = Claims::read(
            "The rape charge rate rose 8.2 percentage points, from 7.6% to 15.8% (73 charges of 461, against 42 of 554).",
        );
        assert!(claims.pcts[0].points);
        assert_eq!(claims.levels.len(), 2);
        assert!(claims.counts.is_empty());

        let claims = Claims::read(
            "All three months have seen reductions with the most notable in May 2024 with a 15.2% decrease (-427), followed by a 14.4% decrease in June 2024.",
        );
        assert_eq!(claims.counts[0].direction, Some(Direction::Down));
        assert_eq!(claims.pcts.len(), 2);

        let claims = Claims::read(
            "Decreases were experienced in June and July, with an increase in May 2024 of 16.7%, (17 more offences).",
        );
        assert_eq!(claims.pcts[0].direction(), Some(Direction::Up));
        assert!(claims.levels.is_empty());
        assert_eq!(claims.months[0].year, None);
        assert_eq!(opposite("Decreases"), "Increases");
        assert_eq!(opposite("reduction"), "increase");
        assert_eq!(opposite("less"), "more");
    }
}
