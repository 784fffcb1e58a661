//! The realism rules every profile shares (`profiles/realism.toml`): how the
//! cells a profile counts split into subgroups and offence codes, which
//! crimes carry which flags, how outcomes and suspect activity are mixed.
//! Loaded once and checked against the offence classification.

use std::collections::BTreeMap;

use serde::Deserialize;

use scrutiny_core::YearMonth;
use scrutiny_core::definitions::Classification;

use crate::Error;
use crate::random::Weighted;

const FILE: &str = "profiles/realism.toml";
const TEXT: &str = include_str!("../profiles/realism.toml");

/// The cells a profile sets monthly counts for; every subgroup belongs to one.
pub(crate) const CELLS: [&str; 9] = [
    "vap",
    "rape",
    "other-sexual",
    "robbery",
    "burglary-residential",
    "burglary-business-community",
    "other-victim-based",
    "other-against-society",
    "fraud",
];
pub(crate) const CELL_VAP: usize = 0;
pub(crate) const CELL_RAPE: usize = 1;
pub(crate) const CELL_OTHER_SEXUAL: usize = 2;
pub(crate) const CELL_ROBBERY: usize = 3;
pub(crate) const CELL_BURGLARY_RESIDENTIAL: usize = 4;
pub(crate) const CELL_BURGLARY_BUSINESS: usize = 5;
pub(crate) const CELL_OTHER_VICTIM_BASED: usize = 6;
pub(crate) const CELL_OTHER_AGAINST_SOCIETY: usize = 7;
pub(crate) const CELL_FRAUD: usize = 8;

/// Flags a profile sets monthly counts for, in this order.
pub(crate) const FLAGS: [&str; 4] = ["domestic-abuse", "hate-crime", "child-protection", "adult-protection"];
pub(crate) const FLAG_DOMESTIC_ABUSE: usize = 0;
pub(crate) const FLAG_HATE_CRIME: usize = 1;
pub(crate) const FLAG_CHILD_PROTECTION: usize = 2;
pub(crate) const FLAG_ADULT_PROTECTION: usize = 3;

/// Outcome mix classes, as realism.toml names them.
pub(crate) const MIXES: [&str; 5] = ["rape", "domestic-abuse", "shoplifting", "victim-based", "against-society"];
pub(crate) const MIX_RAPE: usize = 0;
pub(crate) const MIX_DOMESTIC_ABUSE: usize = 1;
pub(crate) const MIX_SHOPLIFTING: usize = 2;
pub(crate) const MIX_VICTIM_BASED: usize = 3;
pub(crate) const MIX_AGAINST_SOCIETY: usize = 4;

/// The hate crime strands in the order of `scrutiny_core::flags::Flags::HATE_STRANDS`.
const STRANDS: [&str; 5] = ["race", "religion", "sexual-orientation", "disability", "transgender"];

/// Solved outcome types (the "solved" set of definitions/outcomes.toml).
pub(crate) const SOLVED: [u8; 7] = [1, 2, 3, 4, 6, 7, 8];

pub(crate) fn is_solved(outcome: u8) -> bool {
    SOLVED.contains(&outcome)
}

/// One offence code the generator can record.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub(crate) code: String,
    /// Whether the code itself means a knife or sharp instrument.
    pub(crate) knife: bool,
}

/// A list of codes with their weights.
#[derive(Debug, Clone)]
pub(crate) struct CodeChoice {
    pub(crate) codes: Vec<usize>,
    pub(crate) weighted: Weighted,
}

/// One subgroup and how its crimes are recorded.
#[derive(Debug, Clone)]
pub(crate) struct Subgroup {
    pub(crate) id: String,
    pub(crate) victim_based: bool,
    /// Codes neither aggravated nor about a child.
    pub(crate) plain: Option<CodeChoice>,
    /// "Racially or religiously aggravated ..." codes.
    pub(crate) aggravated: Option<CodeChoice>,
    /// Codes whose title names a child.
    pub(crate) child: Option<CodeChoice>,
    pub(crate) knife: f64,
    /// Relative likelihood of each of [`FLAGS`].
    pub(crate) flag_weights: [f64; 4],
}

/// What suspect activity a crime saw, by the outcome it ended with.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SuspectRule {
    pub(crate) arrest: f64,
    pub(crate) interview_after_arrest: f64,
    pub(crate) voluntary_interview: f64,
}

/// realism.toml, checked and ready to sample from.
#[derive(Debug, Clone)]
pub(crate) struct Realism {
    pub(crate) cancelled: f64,
    pub(crate) transferred: f64,
    pub(crate) season: [f64; 12],
    /// For each cell: (subgroup, weight).
    pub(crate) cells: Vec<Vec<(usize, f64)>>,
    pub(crate) subgroups: Vec<Subgroup>,
    pub(crate) codes: Vec<Code>,
    pub(crate) rape: usize,
    pub(crate) shoplifting: usize,
    pub(crate) aggravated_share: f64,
    pub(crate) child_share: f64,
    /// First strand, as an index into [`STRANDS`] order.
    pub(crate) hate_first: Weighted,
    pub(crate) hate_second: f64,
    pub(crate) reopenable: f64,
    pub(crate) reopened: f64,
    pub(crate) lag_rape: Weighted,
    pub(crate) lag: Weighted,
    /// Per mix class: (outcome type, weight).
    pub(crate) solved_mix: Vec<Vec<(u8, f64)>>,
    /// Per mix class: (outcome type, outcomes per crime recorded).
    pub(crate) unsolved: Vec<Vec<(u8, f64)>>,
    /// Indexed by outcome type; 0 is "no outcome yet".
    pub(crate) suspects: [SuspectRule; 23],
    pub(crate) shoplifting_solved_interviewed: f64,
    pub(crate) shoplifting_in_custody: f64,
    /// personal, nuisance, environmental.
    pub(crate) asb_types: Weighted,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRealism {
    cancelled: f64,
    transferred: f64,
    season: Vec<f64>,
    cells: BTreeMap<String, BTreeMap<String, f64>>,
    code_weights: BTreeMap<String, f64>,
    codes: RawCodes,
    flags: BTreeMap<String, BTreeMap<String, f64>>,
    hate_strands: BTreeMap<String, f64>,
    knife: BTreeMap<String, f64>,
    outcomes: RawOutcomes,
    suspects: Vec<RawSuspects>,
    shoplifting_interviews: RawShopliftingInterviews,
    asb_types: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodes {
    aggravated: f64,
    child: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOutcomes {
    reopenable: f64,
    reopened: f64,
    lag_rape: Vec<f64>,
    lag: Vec<f64>,
    solved_mix: BTreeMap<String, BTreeMap<String, f64>>,
    unsolved: BTreeMap<String, BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSuspects {
    outcomes: Vec<u8>,
    arrest: f64,
    interview_after_arrest: f64,
    voluntary_interview: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawShopliftingInterviews {
    solved: f64,
    in_custody: f64,
}

fn bad(message: impl Into<String>) -> Error {
    Error::profile(FILE, message)
}

fn probability(name: &str, value: f64) -> Result<f64, Error> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(bad(format!("{name} = {value} is not a probability between 0 and 1")))
    }
}

fn weight(name: &str, value: f64) -> Result<f64, Error> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(bad(format!("{name} = {value} is not a weight (a number 0 or more)")))
    }
}

/// Which cell a subgroup belongs to, from the classification's structure.
fn cell_of(subgroup: &str, group: &str, category: &str) -> Option<usize> {
    Some(match (subgroup, group, category) {
        ("rape", _, _) => CELL_RAPE,
        ("burglary-residential", _, _) => CELL_BURGLARY_RESIDENTIAL,
        ("burglary-business-and-community", _, _) => CELL_BURGLARY_BUSINESS,
        (_, "violence-against-the-person", _) => CELL_VAP,
        (_, "sexual-offences", _) => CELL_OTHER_SEXUAL,
        (_, "robbery", _) => CELL_ROBBERY,
        (_, _, "victim-based") => CELL_OTHER_VICTIM_BASED,
        (_, _, "other-crimes-against-society") => CELL_OTHER_AGAINST_SOCIETY,
        (_, _, "fraud") => CELL_FRAUD,
        _ => return None,
    })
}

fn outcome_type(mix: &str, key: &str) -> Result<u8, Error> {
    match key.parse::<u8>() {
        Ok(value @ 1..=22) => Ok(value),
        _ => Err(bad(format!("outcomes.{mix}: '{key}' is not an outcome type (1–22)"))),
    }
}

fn mixes(
    section: &str,
    raw: &BTreeMap<String, BTreeMap<String, f64>>,
    solved: bool,
) -> Result<Vec<Vec<(u8, f64)>>, Error> {
    if let Some(unknown) = raw.keys().find(|key| !MIXES.contains(&key.as_str())) {
        return Err(bad(format!("outcomes.{section}: unknown class '{unknown}' (classes: {})", MIXES.join(", "))));
    }
    let mut result = Vec::new();
    for class in MIXES {
        let mut entries = Vec::new();
        if let Some(types) = raw.get(class) {
            for (key, value) in types {
                let outcome = outcome_type(&format!("{section}.{class}"), key)?;
                if is_solved(outcome) != solved {
                    let kind = if solved { "a solved" } else { "an unsolved" };
                    return Err(bad(format!("outcomes.{section}.{class}: outcome {outcome} is not {kind} type")));
                }
                let value = if solved { weight(key, *value)? } else { probability(key, *value)? };
                entries.push((outcome, value));
            }
        }
        entries.sort_by_key(|entry| entry.0);
        result.push(entries);
    }
    // Rape is solved by charge alone in this generator; every other class needs a mix.
    for (index, class) in MIXES.iter().enumerate() {
        if solved && index != MIX_RAPE && result[index].iter().all(|entry| entry.1 == 0.0) {
            return Err(bad(format!("outcomes.solved-mix.{class} is missing")));
        }
    }
    Ok(result)
}

impl Realism {
    /// Loads realism.toml for records dated `from` to `to`, taking offence
    /// codes from the classification in force then.
    pub(crate) fn load(classification: &Classification, from: YearMonth, to: YearMonth) -> Result<Realism, Error> {
        let raw: RawRealism = toml::from_str(TEXT).map_err(|error| bad(error.to_string()))?;
        let season: [f64; 12] =
            raw.season.clone().try_into().map_err(|_| bad("season needs 12 factors, January to December"))?;
        if season.iter().any(|factor| !(0.1..=10.0).contains(factor)) {
            return Err(bad("season factors must be between 0.1 and 10"));
        }

        // Subgroups in the classification's order, each placed in its cell.
        let mut subgroups = Vec::new();
        let mut subgroup_cells = Vec::new();
        for level in &classification.subgroups {
            let group = classification.groups.iter().find(|group| group.id == level.parent);
            let category = group.map(|group| group.parent.as_str()).unwrap_or_default();
            let cell = cell_of(&level.id, &level.parent, category).ok_or_else(|| {
                bad(format!("subgroup '{}' (category '{category}') fits none of the cells", level.id))
            })?;
            subgroup_cells.push(cell);
            subgroups.push(Subgroup {
                id: level.id.clone(),
                victim_based: category == "victim-based",
                plain: None,
                aggravated: None,
                child: None,
                knife: 0.0,
                flag_weights: [0.0; 4],
            });
        }
        let ids: Vec<String> = subgroups.iter().map(|subgroup| subgroup.id.clone()).collect();
        let find = |id: &str, section: &str| -> Result<usize, Error> {
            ids.iter()
                .position(|known| known == id)
                .ok_or_else(|| bad(format!("{section}: '{id}' is not a subgroup of the classification")))
        };

        // Cells: every subgroup of a cell listed, with its share.
        if let Some(unknown) = raw.cells.keys().find(|key| !CELLS.contains(&key.as_str())) {
            return Err(bad(format!("cells: unknown cell '{unknown}' (cells: {})", CELLS.join(", "))));
        }
        let mut cells = Vec::new();
        for (cell_index, cell) in CELLS.iter().enumerate() {
            let listed = raw.cells.get(*cell).ok_or_else(|| bad(format!("cells.{cell} is missing")))?;
            let mut shares = Vec::new();
            for (id, share) in listed {
                let subgroup = find(id, &format!("cells.{cell}"))?;
                if subgroup_cells[subgroup] != cell_index {
                    return Err(bad(format!(
                        "cells.{cell}: subgroup '{id}' belongs to cell '{}'",
                        CELLS[subgroup_cells[subgroup]]
                    )));
                }
                shares.push((subgroup, weight(id, *share)?));
            }
            for (subgroup, _) in subgroup_cells.iter().enumerate().filter(|(_, cell)| **cell == cell_index) {
                if !shares.iter().any(|(listed, _)| *listed == subgroup) {
                    return Err(bad(format!("cells.{cell}: subgroup '{}' is missing", subgroups[subgroup].id)));
                }
            }
            shares.sort_by_key(|share| share.0);
            if shares.iter().all(|share| share.1 == 0.0) {
                return Err(bad(format!("cells.{cell}: every share is zero")));
            }
            cells.push(shares);
        }

        // Offence codes, from the version in force at the end, unchanged since the start.
        let end = classification.version_at(to);
        let start = classification.version_at(from);
        let mut offences: Vec<_> = end.offences().collect();
        offences.sort_by(|a, b| a.code.cmp(&b.code));
        if let Some(unknown) = raw.code_weights.keys().find(|code| end.offence(code).is_none()) {
            return Err(bad(format!("code-weights: '{unknown}' is not an offence code of the classification")));
        }
        let mut codes = Vec::new();
        let mut by_subgroup: Vec<[Vec<(usize, f64)>; 3]> = vec![Default::default(); subgroups.len()];
        for offence in offences {
            if start.offence(&offence.code).map(|earlier| earlier.subgroup.as_str()) != Some(offence.subgroup.as_str())
            {
                return Err(bad(format!(
                    "offence {} is classified differently in {from} and {to}; generate the two spans separately",
                    offence.code
                )));
            }
            let subgroup = find(&offence.subgroup, "classification")?;
            let title = offence.title.to_lowercase();
            let kind = if title.contains("racially or religiously aggravated") {
                1
            } else if title.contains("child") {
                2
            } else {
                0
            };
            let code_weight = weight(&offence.code, raw.code_weights.get(&offence.code).copied().unwrap_or(1.0))?;
            by_subgroup[subgroup][kind].push((codes.len(), code_weight));
            codes.push(Code { code: offence.code.clone(), knife: title.contains("blade") || title.contains("knives") });
        }
        let choice = |entries: &[(usize, f64)]| {
            Weighted::new(entries.iter().map(|entry| entry.1))
                .map(|weighted| CodeChoice { codes: entries.iter().map(|entry| entry.0).collect(), weighted })
        };
        for (subgroup, lists) in subgroups.iter_mut().zip(&by_subgroup) {
            subgroup.plain = choice(&lists[0]);
            subgroup.aggravated = choice(&lists[1]);
            subgroup.child = choice(&lists[2]);
            if subgroup.plain.is_none() && subgroup.aggravated.is_none() && subgroup.child.is_none() {
                return Err(bad(format!("subgroup '{}' has no offence code with a positive weight", subgroup.id)));
            }
        }

        let rape = find("rape", "classification")?;
        let shoplifting = find("shoplifting", "classification")?;

        // Flags.
        if let Some(unknown) = raw.flags.keys().find(|key| !FLAGS.contains(&key.as_str())) {
            return Err(bad(format!("flags: unknown flag '{unknown}' (flags: {})", FLAGS.join(", "))));
        }
        for (flag_index, flag) in FLAGS.iter().enumerate() {
            let weights = raw.flags.get(*flag).ok_or_else(|| bad(format!("flags.{flag} is missing")))?;
            for (id, value) in weights {
                let subgroup = find(id, &format!("flags.{flag}"))?;
                subgroups[subgroup].flag_weights[flag_index] = probability(id, *value)?;
            }
        }
        // Outcome classes assume domestic abuse sits inside victim-based crime and off shoplifting.
        for subgroup in &subgroups {
            if subgroup.flag_weights[FLAG_DOMESTIC_ABUSE] > 0.0
                && (!subgroup.victim_based || subgroup.id == "shoplifting")
            {
                return Err(bad(format!(
                    "flags.domestic-abuse: '{}' cannot carry the flag here (only victim-based crime other than shoplifting)",
                    subgroup.id
                )));
            }
        }

        // Hate strands.
        let mut strands = [0.0; 5];
        let mut hate_second = 0.0;
        for (key, value) in &raw.hate_strands {
            if key == "second" {
                hate_second = probability("hate-strands.second", *value)?;
            } else {
                let index = STRANDS
                    .iter()
                    .position(|strand| strand == key)
                    .ok_or_else(|| bad(format!("hate-strands: unknown strand '{key}'")))?;
                strands[index] = weight(key, *value)?;
            }
        }
        let hate_first = Weighted::new(strands).ok_or_else(|| bad("hate-strands: every weight is zero"))?;

        for (id, value) in &raw.knife {
            let subgroup = find(id, "knife")?;
            subgroups[subgroup].knife = probability(id, *value)?;
        }

        // Outcomes.
        let outcomes = &raw.outcomes;
        let lag = |name: &str, weights: &[f64]| {
            Weighted::new(weights.iter().copied()).ok_or_else(|| bad(format!("outcomes.{name}: every weight is zero")))
        };
        let solved_mix = mixes("solved-mix", &outcomes.solved_mix, true)?;
        let unsolved = mixes("unsolved", &outcomes.unsolved, false)?;

        let mut suspects = [SuspectRule::default(); 23];
        let mut seen = [false; 23];
        for rule in &raw.suspects {
            let parsed = SuspectRule {
                arrest: probability("suspects.arrest", rule.arrest)?,
                interview_after_arrest: probability("suspects.interview-after-arrest", rule.interview_after_arrest)?,
                voluntary_interview: probability("suspects.voluntary-interview", rule.voluntary_interview)?,
            };
            let types: Vec<usize> = if rule.outcomes.is_empty() {
                vec![0]
            } else {
                rule.outcomes.iter().map(|outcome| usize::from(*outcome)).collect()
            };
            for outcome in types {
                if outcome > 22 || seen[outcome] {
                    return Err(bad(format!("suspects: outcome {outcome} is not a type or is listed twice")));
                }
                seen[outcome] = true;
                suspects[outcome] = parsed;
            }
        }

        let mut asb = [0.0; 3];
        for (key, value) in &raw.asb_types {
            let index = ["personal", "nuisance", "environmental"]
                .iter()
                .position(|known| known == key)
                .ok_or_else(|| bad(format!("asb-types: unknown type '{key}'")))?;
            asb[index] = weight(key, *value)?;
        }

        Ok(Realism {
            cancelled: probability("cancelled", raw.cancelled)?,
            transferred: probability("transferred", raw.transferred)?,
            season,
            cells,
            subgroups,
            codes,
            rape,
            shoplifting,
            aggravated_share: probability("codes.aggravated", raw.codes.aggravated)?,
            child_share: probability("codes.child", raw.codes.child)?,
            hate_first,
            hate_second,
            reopenable: probability("outcomes.reopenable", outcomes.reopenable)?,
            reopened: probability("outcomes.reopened", outcomes.reopened)?,
            lag_rape: lag("lag-rape", &outcomes.lag_rape)?,
            lag: lag("lag", &outcomes.lag)?,
            solved_mix,
            unsolved,
            suspects,
            shoplifting_solved_interviewed: probability(
                "shoplifting-interviews.solved",
                raw.shoplifting_interviews.solved,
            )?,
            shoplifting_in_custody: probability(
                "shoplifting-interviews.in-custody",
                raw.shoplifting_interviews.in_custody,
            )?,
            asb_types: Weighted::new(asb).ok_or_else(|| bad("asb-types: every weight is zero"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use scrutiny_core::definitions::Definitions;

    use super::*;

    #[test]
    fn realism_fits_the_builtin_classification() {
        let definitions = Definitions::builtin();
        let realism =
            Realism::load(&definitions.classification, "2021-09".parse().unwrap(), "2024-07".parse().unwrap()).unwrap();
        assert_eq!(realism.cells.len(), CELLS.len());
        assert_eq!(realism.subgroups[realism.rape].id, "rape");
        // Every code of the classification can be recorded.
        assert_eq!(realism.codes.len(), definitions.classification.versions.last().unwrap().offences().count());
        let vap = &realism.subgroups[realism.cells[CELL_VAP][2].0];
        assert_eq!(vap.id, "violence-with-injury");
        let aggravated = vap.aggravated.as_ref().unwrap();
        assert_eq!(realism.codes[aggravated.codes[0]].code, "8P");
        assert!(realism.codes.iter().any(|code| code.code == "10D" && code.knife));
    }
}
