//! Measures evaluated against counts: a [`Selector`] is a measure's filter
//! compiled against the classification, and a [`CountSource`] (the store)
//! answers "how many records match, month by month".

use std::collections::HashSet;

use crate::definitions::{Classification, CountSpec, Filter, Source};
use crate::flags::Flags;
use crate::{Error, Period, YearMonth};

/// One aggregated cell as the store keeps it: how many records of a source in
/// a month share these attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellKey<'a> {
    /// Offence code (force extracts) or crime type (police.uk); empty for ASB.
    pub code: &'a str,
    pub flags: Flags,
    /// Outcome type, suspect event, or ASB type; 0 where none applies.
    pub detail: u16,
}

/// A filter compiled for fast matching of cells.
#[derive(Debug, Clone)]
pub struct Selector {
    pub source: Source,
    /// For each classification version (oldest first): the month it starts and
    /// the codes that match; `None` when the filter does not restrict codes.
    codes: Option<Vec<(YearMonth, HashSet<String>)>>,
    flags_all: Flags,
    flags_any: Flags,
    details: Option<Vec<u16>>,
}

impl Selector {
    pub fn compile(spec: &CountSpec, classification: &Classification) -> Selector {
        let filter = &spec.filter;
        let codes = if matches!(spec.source, Source::PoliceUk | Source::PoliceUkOutcomes) {
            (!filter.crime_types.is_empty())
                .then(|| vec![(YearMonth::from_index(0), filter.crime_types.iter().cloned().collect())])
        } else if filter.restricts_offences() {
            Some(
                classification
                    .versions
                    .iter()
                    .map(|version| {
                        let codes = version
                            .offences()
                            .filter(|offence| {
                                offence_matches(
                                    filter,
                                    &offence.code,
                                    &offence.subgroup,
                                    &offence.group,
                                    &offence.category,
                                )
                            })
                            .map(|offence| offence.code.clone())
                            .collect();
                        (version.effective_from, codes)
                    })
                    .collect(),
            )
        } else {
            None
        };
        let details = match spec.source {
            Source::Outcomes => Some(filter.outcome_types.iter().map(|code| u16::from(*code)).collect()),
            Source::SuspectEvents if !filter.events.is_empty() => {
                Some(filter.events.iter().map(|event| *event as u16).collect())
            }
            Source::Asb if !filter.asb_types.is_empty() => {
                Some(filter.asb_types.iter().map(|kind| *kind as u16).collect())
            }
            _ => None,
        };
        Selector { source: spec.source, codes, flags_all: filter.flags, flags_any: filter.any_flags, details }
    }

    /// The set of codes that match in `month`, or `None` when every code matches.
    pub fn codes_at(&self, month: YearMonth) -> Option<&HashSet<String>> {
        let versions = self.codes.as_ref()?;
        let index = versions.iter().rposition(|(from, _)| *from <= month).unwrap_or(0);
        Some(&versions[index].1)
    }

    /// Whether a cell of `month` is counted.
    pub fn matches(&self, month: YearMonth, cell: CellKey<'_>) -> bool {
        if !cell.flags.contains(self.flags_all) {
            return false;
        }
        if !self.flags_any.is_empty() && !cell.flags.intersects(self.flags_any) {
            return false;
        }
        if let Some(details) = &self.details
            && !details.contains(&cell.detail)
        {
            return false;
        }
        match self.codes_at(month) {
            Some(codes) => codes.contains(cell.code),
            None => true,
        }
    }
}

fn offence_matches(filter: &Filter, code: &str, subgroup: &str, group: &str, category: &str) -> bool {
    let any = |list: &[String], value: &str| list.is_empty() || list.iter().any(|item| item == value);
    any(&filter.codes, code)
        && any(&filter.subgroups, subgroup)
        && any(&filter.groups, group)
        && any(&filter.categories, category)
}

/// Answers counts. Implemented by the store for one force.
pub trait CountSource {
    /// The count for each month of `period`, in order; `None` for a month the
    /// store holds no data for (not supplied).
    fn monthly_counts(&self, selector: &Selector, period: Period) -> Result<Vec<Option<u64>>, Error>;

    /// The count over the whole period; `None` if any month is not supplied.
    fn count(&self, selector: &Selector, period: Period) -> Result<Option<u64>, Error> {
        let months = self.monthly_counts(selector, period)?;
        Ok(months.into_iter().try_fold(0u64, |total, month| month.map(|count| total + count)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::Definitions;

    #[test]
    fn violent_crime_selects_its_groups_and_nothing_else() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let crate::definitions::MeasureKind::Count(spec) = &plan.measure("violent-crime").unwrap().kind else {
            panic!()
        };
        let selector = Selector::compile(spec, &definitions.classification);
        let may: YearMonth = "2024-05".parse().unwrap();
        let cell = |code| CellKey { code, flags: Flags::default(), detail: 0 };
        assert!(selector.matches(may, cell("8N")));
        assert!(selector.matches(may, cell("19C")));
        assert!(selector.matches(may, cell("34B")));
        assert!(!selector.matches(may, cell("28E")));
        assert!(!selector.matches(may, cell("9A")));
    }

    #[test]
    fn flags_and_outcome_sets_restrict_cells() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        let crate::definitions::MeasureKind::Rate { numerator, .. } =
            &plan.measure("domestic-abuse-solved-rate").unwrap().kind
        else {
            panic!()
        };
        let selector = Selector::compile(numerator, &definitions.classification);
        let month: YearMonth = "2024-05".parse().unwrap();
        let da = Flags::DOMESTIC_ABUSE | Flags::CHILD_PROTECTION;
        assert!(selector.matches(month, CellKey { code: "8N", flags: da, detail: 8 }));
        assert!(!selector.matches(month, CellKey { code: "8N", flags: da, detail: 18 }));
        assert!(!selector.matches(month, CellKey { code: "8N", flags: Flags::CHILD_PROTECTION, detail: 1 }));
    }
}
