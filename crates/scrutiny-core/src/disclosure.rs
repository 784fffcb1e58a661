//! Disclosure control of public figures: primary suppression of small counts
//! of sensitive categories and secondary suppression so that no suppressed
//! count can be worked back from the figures that are shown.
//!
//! A table is described as [`Cells`]: counts; figures derived from them
//! ([`Cells::derived_from`]: a change, a percent change, a rate), which are
//! suppressed whenever one of their inputs is (a number change and a percent
//! change of the same two counts would give both back); and the
//! [`Cells::relate`] relations between counts, where knowing all but one
//! gives the last (a total and its months). [`Cells::suppress`] marks every
//! sensitive count from 1 to `threshold - 1`, then, until nothing changes,
//! suppresses the figures derived from a suppressed one and, where a
//! relation has exactly one unknown figure and that figure is suppressed,
//! one more member of the relation: a derived figure if there is one, else
//! the smallest count. A figure not supplied is unknown to the reader too,
//! so it protects a relation without being suppressed.
//!
//! Zero is shown: it identifies nobody, and hiding zeros would make every
//! small table blank. The threshold is data (`definitions/disclosure.toml`)
//! and can be overridden where the portal is served or exported.

use serde::Deserialize;

use crate::Error;

/// The built-in disclosure policy file.
pub const BUILTIN_POLICY: &str = include_str!("../../../definitions/disclosure.toml");

/// How public figures are protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Counts of sensitive measures below this (and above zero) are suppressed.
    pub threshold: u64,
}

impl Policy {
    pub fn parse(text: &str) -> Result<Policy, Error> {
        let policy: Policy =
            toml::from_str(text).map_err(|error| Error::definition(format!("disclosure.toml: {error}")))?;
        if policy.threshold == 0 {
            return Err(Error::definition("disclosure.toml: threshold must be at least 1"));
        }
        Ok(policy)
    }

    /// The policy compiled in from `definitions/disclosure.toml`.
    pub fn builtin() -> Policy {
        Policy::parse(BUILTIN_POLICY).expect("the built-in disclosure policy is valid")
    }

    /// Whether a count of a sensitive measure is suppressed on its own.
    pub fn primary(&self, count: u64) -> bool {
        count > 0 && count < self.threshold
    }
}

/// One figure of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cell {
    key: String,
    /// A count; `None` for a derived figure.
    count: Option<u64>,
    /// Whether the reader would know it if it were shown (a figure not
    /// supplied, or a change that is "n/a", tells nothing).
    known: bool,
    sensitive: bool,
}

/// The figures of one or more tables and the relations between them.
/// Figures are identified by a key, so the same count shown in two places
/// (a month of a count table and the denominator of a rate) is one cell and
/// is suppressed in both or neither.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    cells: Vec<Cell>,
    relations: Vec<Vec<usize>>,
    /// (derived figure, the figures it is computed from).
    dependencies: Vec<(usize, Vec<usize>)>,
}

impl Cells {
    fn index(&mut self, key: &str, cell: impl FnOnce() -> Cell) -> usize {
        match self.cells.iter().position(|existing| existing.key == key) {
            Some(index) => index,
            None => {
                self.cells.push(cell());
                self.cells.len() - 1
            }
        }
    }

    /// A count (`None` when not supplied) under `key`; a key seen before is the same cell.
    pub fn count(&mut self, key: &str, value: Option<u64>, sensitive: bool) -> usize {
        self.index(key, || Cell { key: key.to_string(), count: value, known: value.is_some(), sensitive })
    }

    /// A figure derived from others (a change, a percentage, a rate); `known`
    /// is false when it prints as "n/a" or "not supplied".
    pub fn derived(&mut self, key: &str, known: bool) -> usize {
        self.index(key, || Cell { key: key.to_string(), count: None, known, sensitive: false })
    }

    /// A figure computed from `inputs` (a change from this year and last, a
    /// rate from its numerator and denominator): suppressed whenever any
    /// input is, because two such figures of the same inputs (a number
    /// change and a percent change) would otherwise give both back.
    pub fn derived_from(&mut self, key: &str, inputs: &[usize], known: bool) -> usize {
        let index = self.derived(key, known);
        self.dependencies.push((index, inputs.to_vec()));
        index
    }

    /// Says that any one of `members` can be worked out from the others.
    pub fn relate(&mut self, members: &[usize]) {
        let mut members = members.to_vec();
        members.sort_unstable();
        members.dedup();
        if members.len() > 1 && !self.relations.contains(&members) {
            self.relations.push(members);
        }
    }

    /// The cells to suppress under `policy`, by index.
    pub fn suppress(&self, policy: &Policy) -> Suppressed {
        let mut suppressed: Vec<bool> = self
            .cells
            .iter()
            .map(|cell| cell.sensitive && cell.count.is_some_and(|count| policy.primary(count)))
            .collect();
        let primary = suppressed.iter().filter(|flag| **flag).count();
        loop {
            let mut changed = false;
            for (derived, inputs) in &self.dependencies {
                if !suppressed[*derived] && inputs.iter().any(|&input| suppressed[input]) {
                    suppressed[*derived] = true;
                    changed = true;
                }
            }
            for members in &self.relations {
                let unknown: Vec<usize> =
                    members.iter().copied().filter(|&index| suppressed[index] || !self.cells[index].known).collect();
                if unknown.len() != 1 || !suppressed[unknown[0]] {
                    continue;
                }
                // The complement: a derived figure first, else the smallest count, else the first.
                let candidates = members.iter().copied().filter(|&index| !suppressed[index] && self.cells[index].known);
                let complement = candidates.min_by_key(|&index| match self.cells[index].count {
                    None => (0, 0, index),
                    Some(count) => (1, count, index),
                });
                if let Some(index) = complement {
                    suppressed[index] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let keys =
            self.cells.iter().zip(&suppressed).filter(|(_, flag)| **flag).map(|(cell, _)| cell.key.clone()).collect();
        Suppressed { keys, primary }
    }
}

/// The outcome of [`Cells::suppress`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressed {
    keys: std::collections::BTreeSet<String>,
    /// How many counts were suppressed for being small (the rest are secondary).
    pub primary: usize,
}

impl Suppressed {
    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Policy = Policy { threshold: 10 };

    /// A quarter's count table: three months and the total, this year and
    /// last, with the number change of each row.
    fn quarter(cells: &mut Cells, id: &str, current: [u64; 3], last: [u64; 3], sensitive: bool) {
        let mut rows = Vec::new();
        for (index, (now, then)) in current.iter().zip(&last).enumerate() {
            rows.push((format!("{id}/m{index}"), Some(*now), Some(*then)));
        }
        rows.push((format!("{id}/total"), Some(current.iter().sum()), Some(last.iter().sum())));
        let mut this_year = Vec::new();
        let mut last_year = Vec::new();
        for (label, now, then) in rows {
            let now = cells.count(&format!("{label}/now"), now, sensitive);
            let then = cells.count(&format!("{label}/then"), then, sensitive);
            cells.derived_from(&format!("{label}/change"), &[now, then], true);
            cells.derived_from(&format!("{label}/pct"), &[now, then], true);
            this_year.push(now);
            last_year.push(then);
        }
        cells.relate(&this_year);
        cells.relate(&last_year);
    }

    /// Whether every relation has zero or at least two unknown members, and
    /// no figure derived from a suppressed one is shown.
    fn safe(cells: &Cells, suppressed: &Suppressed) -> bool {
        let hidden = |index: usize| suppressed.contains(&cells.cells[index].key);
        cells
            .dependencies
            .iter()
            .all(|(derived, inputs)| hidden(*derived) || !inputs.iter().any(|&input| hidden(input)))
            && cells.relations.iter().all(|members| {
                let unknown = members
                    .iter()
                    .filter(|&&index| suppressed.contains(&cells.cells[index].key) || !cells.cells[index].known)
                    .count();
                unknown != 1 || members.iter().all(|&index| !suppressed.contains(&cells.cells[index].key))
            })
    }

    #[test]
    fn the_builtin_policy_is_read() {
        assert_eq!(Policy::builtin().threshold, 10);
        assert!(Policy::parse("threshold = 0").is_err());
        assert!(Policy::parse("threshold = 5\nlevel = 'lsoa'").is_err(), "unknown settings are refused");
    }

    #[test]
    fn small_counts_of_sensitive_measures_only_are_suppressed() {
        let mut cells = Cells::default();
        let small = cells.count("rape/m0", Some(3), true);
        let zero = cells.count("rape/m1", Some(0), true);
        let at_threshold = cells.count("rape/m2", Some(10), true);
        let other = cells.count("burglary/m0", Some(3), false);
        let _ = (small, zero, at_threshold, other);
        let suppressed = cells.suppress(&POLICY);
        assert!(suppressed.contains("rape/m0"));
        assert!(!suppressed.contains("rape/m1"), "zero identifies nobody");
        assert!(!suppressed.contains("rape/m2"), "the threshold itself is shown");
        assert!(!suppressed.contains("burglary/m0"), "only sensitive measures are controlled");
        assert_eq!(suppressed.primary, 1);
    }

    #[test]
    fn a_suppressed_month_cannot_be_recovered_from_the_total() {
        // Without the secondary rule, 3 = 38 - 15 - 20 and 3 = 12 + (-9).
        let mut cells = Cells::default();
        quarter(&mut cells, "rape", [3, 15, 20], [12, 14, 11], true);
        let suppressed = cells.suppress(&POLICY);
        assert!(suppressed.contains("rape/m0/now"));
        assert!(suppressed.contains("rape/m0/change"), "the change would give 3 from last year's 12");
        assert!(suppressed.contains("rape/m0/pct"), "and so would the percent change");
        assert!(suppressed.contains("rape/m1/now"), "the next smallest month protects it in the total");
        assert!(suppressed.contains("rape/m1/change"), "and the changes of that month go too");
        assert!(!suppressed.contains("rape/total/now"), "the total stays");
        assert!(!suppressed.contains("rape/m2/now"));
        assert!(!suppressed.contains("rape/m0/then"), "last year's 12 is not small and its total row is whole");
        assert_eq!(suppressed.primary, 1);
        assert!(safe(&cells, &suppressed));
    }

    #[test]
    fn suppression_spreads_across_both_years_until_no_relation_has_one_unknown() {
        let mut cells = Cells::default();
        quarter(&mut cells, "rape", [3, 15, 20], [12, 14, 9], true);
        let suppressed = cells.suppress(&POLICY);
        assert!(suppressed.contains("rape/m2/then"), "9 is small");
        assert!(suppressed.contains("rape/m0/then"), "last year's smallest other month protects it");
        assert!(suppressed.contains("rape/m2/change"));
        assert!(suppressed.contains("rape/m0/pct"), "both years of May are hidden, and so is their percent change");
        assert_eq!(suppressed.primary, 2);
        assert!(safe(&cells, &suppressed));
    }

    #[test]
    fn the_number_and_percent_change_of_two_suppressed_counts_are_suppressed() {
        // Regression: 155 and 195 both suppressed, but -40 and -20.5% together
        // give then = 40 / 0.205 = 195 and now = 155.
        let mut cells = Cells::default();
        let now = cells.count("rape/may/now", Some(155), true);
        let then = cells.count("rape/may/then", Some(195), true);
        cells.derived_from("rape/may/change", &[now, then], true);
        cells.derived_from("rape/may/pct", &[now, then], true);
        let suppressed = cells.suppress(&Policy { threshold: 200 });
        assert!(suppressed.contains("rape/may/change"));
        assert!(suppressed.contains("rape/may/pct"));
        assert!(safe(&cells, &suppressed));
    }

    #[test]
    fn a_month_not_supplied_already_protects_its_total() {
        let mut cells = Cells::default();
        let months =
            [cells.count("a/m0", Some(4), true), cells.count("a/m1", None, true), cells.count("a/m2", Some(30), true)];
        let total = cells.count("a/total", None, true);
        cells.relate(&[months[0], months[1], months[2], total]);
        let suppressed = cells.suppress(&POLICY);
        assert!(suppressed.contains("a/m0"));
        assert!(!suppressed.contains("a/m2"), "the month not supplied is a second unknown already");
        assert_eq!(suppressed.len(), 1);
    }

    #[test]
    fn a_count_shared_by_two_tables_is_suppressed_in_both_with_the_rate() {
        // The rape count is the denominator of the charge rate: one cell.
        let mut cells = Cells::default();
        let count = cells.count("rape/m0/now", Some(6), true);
        let same = cells.count("rape/m0/now", Some(6), true);
        assert_eq!(count, same);
        let charges = cells.count("charges/m0/now", Some(40), true);
        cells.derived_from("rate/m0/now", &[charges, count], true);
        let suppressed = cells.suppress(&POLICY);
        assert!(suppressed.contains("rape/m0/now"));
        assert!(suppressed.contains("rate/m0/now"), "40 charges at a known rate would give the count");
        assert!(!suppressed.contains("charges/m0/now"));
        assert!(safe(&cells, &suppressed));
    }

    #[test]
    fn nothing_is_suppressed_in_a_table_of_large_counts() {
        let mut cells = Cells::default();
        quarter(&mut cells, "da", [2900, 3100, 3050], [2800, 2950, 3000], true);
        assert!(cells.suppress(&POLICY).is_empty());
    }
}
