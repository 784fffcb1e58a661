//! Counts for one force over a run of months, loaded once from the store and
//! answered in memory: the [`CountSource`] every report is computed from.

use std::collections::{HashMap, HashSet};

use scrutiny_core::definitions::Source;
use scrutiny_core::flags::Flags;
use scrutiny_core::measure::{CellKey, CountSource, Selector};
use scrutiny_core::{Error as CoreError, Period, YearMonth};

/// One aggregated cell (district summed out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub code: String,
    pub flags: Flags,
    pub detail: u16,
    pub n: u64,
}

/// The counts of one force for the months loaded.
#[derive(Debug, Clone, Default)]
pub struct ForceCounts {
    pub force: String,
    pub loaded: Option<Period>,
    pub cells: HashMap<(Source, YearMonth), Vec<Cell>>,
    pub covered: HashSet<(Source, YearMonth)>,
}

impl CountSource for ForceCounts {
    fn monthly_counts(&self, selector: &Selector, period: Period) -> Result<Vec<Option<u64>>, CoreError> {
        if let Some(loaded) = self.loaded
            && !(loaded.contains(period.from) && loaded.contains(period.to))
        {
            return Err(CoreError::new(
                scrutiny_core::ErrorKind::Source,
                format!("counts for {period} were asked for, but only {loaded} were loaded (a bug: please report it)"),
            ));
        }
        Ok(period
            .months()
            .map(|month| {
                self.covered.contains(&(selector.source, month)).then(|| {
                    self.cells
                        .get(&(selector.source, month))
                        .map(|cells| {
                            cells
                                .iter()
                                .filter(|cell| {
                                    selector.matches(
                                        month,
                                        CellKey { code: &cell.code, flags: cell.flags, detail: cell.detail },
                                    )
                                })
                                .map(|cell| cell.n)
                                .sum()
                        })
                        .unwrap_or(0)
                })
            })
            .collect())
    }
}
