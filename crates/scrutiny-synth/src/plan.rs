//! Monthly counts of a force before any record exists: how many crimes in
//! each cell, how many carry each flag, how many ASB incidents, and how the
//! exact figures of a profile (a month's count, a total over several months)
//! turn into those counts.

use crate::Error;
use crate::calendar::Calendar;
use crate::profile::{BASELINE_ASB, BASELINE_KEYS, Figure, ForceSpec};
use crate::random::{Random, allocate};
use crate::realism::{self, CELLS, Realism};

/// Counts for each covered month.
#[derive(Debug, Clone)]
pub(crate) struct CrimePlan {
    /// Per month: recorded crimes in each cell.
    pub(crate) cells: Vec<[u64; CELLS.len()]>,
    /// Per month: crimes carrying each flag.
    pub(crate) flags: Vec<[u64; realism::FLAGS.len()]>,
    pub(crate) asb: Vec<u64>,
}

/// The value of a baseline series in one month: level, size, trend, season, noise.
fn baseline_value(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    key: usize,
    position: usize,
    random: &mut Random,
) -> f64 {
    let month = calendar.month(position).month;
    let level = spec.baseline[key].at(month) * spec.baseline_factor[key];
    let years_back = f64::from(spec.to.index() - month.index()) / 12.0;
    let trend = (1.0 - spec.trend_per_year * years_back).max(0.2);
    let season = realism.season[(month.month() - 1) as usize];
    let value = level * trend * season;
    // Small counts wiggle more, as counts of rare events do.
    let spread = if value > 0.0 { (1.0 / value.sqrt()).max(0.03) } else { 0.0 };
    (value * (1.0 + spread * random.symmetric())).max(0.0)
}

/// Resolves the monthly counts of one force.
pub(crate) fn crime_plan(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    seed: u64,
) -> Result<CrimePlan, Error> {
    let mut random = Random::new(seed, 1);
    let months = calendar.months().len();
    let mut values = vec![[0u64; BASELINE_KEYS]; months];
    for (position, row) in values.iter_mut().enumerate() {
        for (key, value) in row.iter_mut().enumerate() {
            let expected = baseline_value(spec, realism, calendar, key, position, &mut random);
            *value = random.round(expected);
        }
    }

    let explicit = |position: usize| spec.months.get(&calendar.month(position).month);
    let place = |position: usize| format!("month {}", calendar.month(position).month);
    let fail = |message: String| spec.error(message);

    // Figures that set one series directly.
    let mut fixed = vec![[false; BASELINE_KEYS]; months];
    for position in 0..months {
        if let Some(figures) = explicit(position) {
            for (figure, value) in figures {
                if let Some(key) = figure.baseline_key() {
                    values[position][key] = *value;
                    fixed[position][key] = true;
                }
            }
        }
    }

    // Totals over several months, spread over the months not fixed one by one.
    for period in &spec.periods {
        let (Some(first), Some(last)) = (calendar.position(period.from), calendar.position(period.to)) else {
            return Err(fail(format!("period {}..{} is outside the months covered", period.from, period.to)));
        };
        for (figure, total) in &period.figures {
            let Some(key) = figure.baseline_key() else {
                continue;
            };
            let free: Vec<usize> = (first..=last).filter(|position| !fixed[*position][key]).collect();
            let given: u64 =
                (first..=last).filter(|position| fixed[*position][key]).map(|position| values[position][key]).sum();
            let left = total.checked_sub(given).ok_or_else(|| {
                fail(format!(
                    "period {}..{}: {} = {total} is less than its months give",
                    period.from,
                    period.to,
                    figure.name()
                ))
            })?;
            let weights: Vec<f64> = free.iter().map(|position| values[*position][key] as f64 + 1.0).collect();
            let parts = allocate(left, &weights).ok_or_else(|| {
                fail(format!("period {}..{}: no month is free to take {}", period.from, period.to, figure.name()))
            })?;
            for (position, part) in free.iter().zip(parts) {
                values[*position][key] = part;
                fixed[*position][key] = true;
            }
        }
    }

    // Figures made of several cells: the cell they leave over takes the difference.
    for (position, row) in values.iter_mut().enumerate() {
        let Some(figures) = explicit(position) else {
            continue;
        };
        let difference = |total: u64, parts: u64, figure: Figure| {
            total.checked_sub(parts).ok_or_else(|| {
                fail(format!(
                    "{}: {} = {total} is less than the counts it is made of ({parts})",
                    place(position),
                    figure.name()
                ))
            })
        };
        if let Some(sexual) = figures.get(&Figure::SexualOffences) {
            row[realism::CELL_OTHER_SEXUAL] = difference(*sexual, row[realism::CELL_RAPE], Figure::SexualOffences)?;
        }
        if let Some(victim_based) = figures.get(&Figure::VictimBasedCrime) {
            let parts = row[realism::CELL_VAP]
                + row[realism::CELL_RAPE]
                + row[realism::CELL_OTHER_SEXUAL]
                + row[realism::CELL_ROBBERY]
                + row[realism::CELL_BURGLARY_RESIDENTIAL]
                + row[realism::CELL_BURGLARY_BUSINESS];
            row[realism::CELL_OTHER_VICTIM_BASED] = difference(*victim_based, parts, Figure::VictimBasedCrime)?;
        }
        if let Some(all) = figures.get(&Figure::AllCrime) {
            let parts: u64 = (0..CELLS.len())
                .filter(|cell| *cell != realism::CELL_OTHER_AGAINST_SOCIETY)
                .map(|cell| row[cell])
                .sum();
            row[realism::CELL_OTHER_AGAINST_SOCIETY] = difference(*all, parts, Figure::AllCrime)?;
        }
        if let Some(violent) = figures.get(&Figure::ViolentCrime) {
            let sum = row[realism::CELL_VAP]
                + row[realism::CELL_RAPE]
                + row[realism::CELL_OTHER_SEXUAL]
                + row[realism::CELL_ROBBERY];
            if sum != *violent {
                return Err(fail(format!(
                    "{}: violent-crime = {violent} but vap + sexual offences + robbery = {sum}",
                    place(position)
                )));
            }
        }
    }

    let mut cells = Vec::with_capacity(months);
    let mut flags = Vec::with_capacity(months);
    let mut asb = Vec::with_capacity(months);
    for row in &values {
        let mut cell_row = [0u64; CELLS.len()];
        cell_row.copy_from_slice(&row[..CELLS.len()]);
        let mut flag_row = [0u64; realism::FLAGS.len()];
        flag_row.copy_from_slice(&row[CELLS.len()..BASELINE_ASB]);
        cells.push(cell_row);
        flags.push(flag_row);
        asb.push(row[BASELINE_ASB]);
    }
    Ok(CrimePlan { cells, flags, asb })
}

/// Exact monthly values of an outcome or suspect-activity figure: a month's
/// own figure, or its share of a total over several months (spread in
/// proportion to `weights`, what the month would have had anyway). `None`
/// where no figure applies.
pub(crate) fn activity_targets(
    spec: &ForceSpec,
    calendar: &Calendar,
    figure: Figure,
    weights: &[f64],
) -> Result<Vec<Option<u64>>, Error> {
    let fail = |message: String| spec.error(message);
    let months = calendar.months().len();
    let mut targets: Vec<Option<u64>> = (0..months)
        .map(|position| {
            spec.months.get(&calendar.month(position).month).and_then(|figures| figures.get(&figure).copied())
        })
        .collect();
    for period in &spec.periods {
        let Some(total) = period.figures.get(&figure) else {
            continue;
        };
        let (Some(first), Some(last)) = (calendar.position(period.from), calendar.position(period.to)) else {
            return Err(fail(format!("period {}..{} is outside the months covered", period.from, period.to)));
        };
        let given: u64 = (first..=last).filter_map(|position| targets[position]).sum();
        let free: Vec<usize> = (first..=last).filter(|position| targets[*position].is_none()).collect();
        let left = total.checked_sub(given).ok_or_else(|| {
            fail(format!(
                "period {}..{}: {} = {total} is less than its months give",
                period.from,
                period.to,
                figure.name()
            ))
        })?;
        let free_weights: Vec<f64> = free.iter().map(|position| weights[*position].max(1e-9)).collect();
        let parts = allocate(left, &free_weights).ok_or_else(|| {
            fail(format!("period {}..{}: no month is free to take {}", period.from, period.to, figure.name()))
        })?;
        for (position, part) in free.into_iter().zip(parts) {
            targets[position] = Some(part);
        }
    }
    Ok(targets)
}
