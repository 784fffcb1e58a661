//! Outcomes of one force, month by month: first how many solved outcomes of
//! each type fall to each class of crime (so that every exact figure holds),
//! then the other outcomes in proportion to the month's crimes; each attached
//! to an open crime of its class recorded that month or earlier.

use super::{
    CLASS_AGAINST_SOCIETY, CLASS_DOMESTIC, CLASS_MIX, CLASS_RAPE, CLASS_RAPE_DOMESTIC, CLASS_SHOPLIFTING,
    CLASS_VICTIM_BASED, CLASSES, Crime, MonthRates, Outcome, RECORDED, class_counts, month_rates,
};
use crate::Error;
use crate::calendar::{Calendar, Month};
use crate::plan::activity_targets;
use crate::profile::{Figure, ForceSpec};
use crate::random::{Random, Weighted, allocate};
use crate::realism::{self, Realism};

/// Exact-figure targets of one month (None: use the rates).
#[derive(Debug, Clone, Copy, Default)]
struct MonthTargets {
    rape_charges: Option<u64>,
    domestic_abuse_charges: Option<u64>,
    domestic_abuse_solved: Option<u64>,
    shoplifting_charges: Option<u64>,
    victim_based_solved: Option<u64>,
    all_solved: Option<u64>,
    charges: Option<u64>,
    adult_cautions: Option<u64>,
    community_resolutions: Option<u64>,
}

impl MonthTargets {
    fn any(&self) -> bool {
        [
            self.rape_charges,
            self.domestic_abuse_charges,
            self.domestic_abuse_solved,
            self.shoplifting_charges,
            self.victim_based_solved,
            self.all_solved,
            self.charges,
            self.adult_cautions,
            self.community_resolutions,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// Solved outcome counts of one month: [class][outcome type].
type Composition = [[u64; 23]; CLASSES];

fn round_share(total: u64, part: u64, whole: u64) -> u64 {
    if whole == 0 { 0 } else { (total as f64 * part as f64 / whole as f64).round() as u64 }
}

/// Splits `total` over a mix (outcome type, weight) into `row`, leaving out `skip` types.
fn spread_mix(total: u64, mix: &[(u8, f64)], skip: &[u8], row: &mut [u64; 23]) -> Result<(), String> {
    let weights: Vec<f64> =
        mix.iter().map(|(outcome, weight)| if skip.contains(outcome) { 0.0 } else { *weight }).collect();
    let parts =
        allocate(total, &weights).ok_or_else(|| format!("no outcome type is left to take {total} solved outcomes"))?;
    for ((outcome, _), part) in mix.iter().zip(parts) {
        row[usize::from(*outcome)] += part;
    }
    Ok(())
}

/// Decides the solved outcomes of one month, per class and type, so that every target holds.
fn compose(
    counts: &[u64; CLASSES],
    targets: &MonthTargets,
    rates: &MonthRates,
    realism: &Realism,
    random: &mut Random,
) -> Result<Composition, String> {
    let mut cells: Composition = [[0; 23]; CLASSES];
    let too_small = |what: &str, value: u64, least: u64| {
        format!("{what} = {value} is less than the {least} the other figures already need")
    };

    let rape_crimes = counts[CLASS_RAPE_DOMESTIC] + counts[CLASS_RAPE];
    let rape_charges = targets.rape_charges.unwrap_or_else(|| random.round(rates.rape_charge * rape_crimes as f64));
    let rape_domestic_charges = round_share(rape_charges, counts[CLASS_RAPE_DOMESTIC], rape_crimes);
    cells[CLASS_RAPE_DOMESTIC][1] = rape_domestic_charges;
    cells[CLASS_RAPE][1] = rape_charges - rape_domestic_charges;

    let domestic_crimes = (counts[CLASS_RAPE_DOMESTIC] + counts[CLASS_DOMESTIC]) as f64;
    let domestic_charges = match targets.domestic_abuse_charges {
        Some(value) if value < rape_domestic_charges => {
            return Err(too_small("domestic-abuse-charges", value, rape_domestic_charges));
        }
        Some(value) => value,
        None => random.round(rates.domestic_abuse_charge * domestic_crimes).max(rape_domestic_charges),
    };
    cells[CLASS_DOMESTIC][1] = domestic_charges - rape_domestic_charges;
    let domestic_solved = match targets.domestic_abuse_solved {
        Some(value) if value < domestic_charges => {
            return Err(too_small("domestic-abuse-solved", value, domestic_charges));
        }
        Some(value) => value,
        None => random.round(rates.domestic_abuse_solved * domestic_crimes).max(domestic_charges),
    };
    spread_mix(
        domestic_solved - domestic_charges,
        &realism.solved_mix[realism::MIX_DOMESTIC_ABUSE],
        &[1],
        &mut cells[CLASS_DOMESTIC],
    )?;

    let shoplifting_crimes = counts[CLASS_SHOPLIFTING] as f64;
    let shoplifting_charges =
        targets.shoplifting_charges.unwrap_or_else(|| random.round(rates.shoplifting_charge * shoplifting_crimes));
    cells[CLASS_SHOPLIFTING][1] = shoplifting_charges;
    let shoplifting_other = random.round(rates.shoplifting_other_solved * shoplifting_crimes);
    spread_mix(shoplifting_other, &realism.solved_mix[realism::MIX_SHOPLIFTING], &[1], &mut cells[CLASS_SHOPLIFTING])?;

    let fixed_victim_based =
        rape_charges + (domestic_solved - rape_domestic_charges) + shoplifting_charges + shoplifting_other;
    let victim_based_crimes: u64 = counts[..CLASS_AGAINST_SOCIETY].iter().sum();
    let victim_based_solved = match targets.victim_based_solved {
        Some(value) if value < fixed_victim_based => {
            return Err(too_small("victim-based-crime-solved", value, fixed_victim_based));
        }
        Some(value) => value,
        None => random.round(rates.victim_based_solved * victim_based_crimes as f64).max(fixed_victim_based),
    };
    let free_victim_based = victim_based_solved - fixed_victim_based;
    let free_against_society = match targets.all_solved {
        Some(value) if value < victim_based_solved => {
            return Err(too_small("all-crime-solved", value, victim_based_solved));
        }
        Some(value) => value - victim_based_solved,
        None => random.round(rates.against_society_solved * counts[CLASS_AGAINST_SOCIETY] as f64),
    };

    // The two free rows absorb whatever totals by type are fixed.
    let free_rows = [(CLASS_VICTIM_BASED, free_victim_based), (CLASS_AGAINST_SOCIETY, free_against_society)];
    let share = |class: usize, outcome: u8| {
        let mix = &realism.solved_mix[CLASS_MIX[class]];
        let total: f64 = mix.iter().map(|entry| entry.1).sum();
        mix.iter().find(|entry| entry.0 == outcome).map_or(0.0, |entry| entry.1 / total)
    };
    let mut constrained = Vec::new();
    for (outcome, target, name) in [
        (1u8, targets.charges, "charges"),
        (3, targets.adult_cautions, "adult-cautions"),
        (8, targets.community_resolutions, "community-resolutions"),
    ] {
        let Some(total) = target else { continue };
        constrained.push(outcome);
        let fixed: u64 = cells.iter().map(|row| row[usize::from(outcome)]).sum();
        let free = total.checked_sub(fixed).ok_or_else(|| too_small(name, total, fixed))?;
        let weights: Vec<f64> =
            free_rows.iter().map(|(class, row_total)| share(*class, outcome) * *row_total as f64).collect();
        let parts =
            allocate(free, &weights).ok_or_else(|| format!("{name}: no solved outcomes are free to take {free}"))?;
        for ((class, _), part) in free_rows.iter().zip(parts) {
            cells[*class][usize::from(outcome)] = part;
        }
    }
    for (class, row_total) in free_rows {
        let used: u64 = constrained.iter().map(|outcome| cells[class][usize::from(*outcome)]).sum();
        let rest = row_total.checked_sub(used).ok_or_else(|| {
            format!("the charges, cautions and community resolutions fixed need {used} solved outcomes where {row_total} are free")
        })?;
        spread_mix(rest, &realism.solved_mix[CLASS_MIX[class]], &constrained, &mut cells[class])?;
    }
    Ok(cells)
}

/// Open crimes of each class by recorded month, drawn from as outcomes are assigned.
struct Pools {
    open: Vec<Vec<Vec<u32>>>,
    /// Crimes whose investigation could be reopened, by class and month of the outcome.
    reopenable: Vec<Vec<Vec<u32>>>,
}

/// How many months after an outcome 14 or 18 an investigation may be reopened.
const REOPEN_WITHIN: usize = 12;

impl Pools {
    /// A crime of `class` for an outcome in month `position`, recorded `lag` months earlier if possible.
    fn take(&mut self, class: usize, position: usize, lag: &Weighted, random: &mut Random) -> Option<(u32, usize)> {
        let months = &mut self.open[class];
        let mut months_back = lag.pick(random);
        if months_back > position {
            months_back = random.below(position + 1);
        }
        let wanted = position - months_back;
        for distance in 0..=position {
            for candidate in [wanted.checked_add(distance), wanted.checked_sub(distance)].into_iter().flatten() {
                if candidate > position {
                    continue;
                }
                if let Some(crime) = months[candidate].pop() {
                    return Some((crime, candidate));
                }
            }
        }
        None
    }

    /// A crime of `class` closed with outcome 14 or 18 in one of the last
    /// [`REOPEN_WITHIN`] months (not this one), if any.
    fn take_reopened(&mut self, class: usize, position: usize, random: &mut Random) -> Option<u32> {
        let earliest = position.saturating_sub(REOPEN_WITHIN);
        let span = position - earliest;
        if span == 0 {
            return None;
        }
        let start = random.below(span);
        for offset in 0..span {
            let list = &mut self.reopenable[class][earliest + (start + offset) % span];
            if !list.is_empty() {
                let index = random.below(list.len());
                return Some(list.swap_remove(index));
            }
        }
        None
    }
}

pub(super) fn assign_outcomes(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    month_starts: &[usize],
    crimes: &mut [Crime],
) -> Result<Vec<Outcome>, Error> {
    let mut random = Random::new(spec.seed, 5);
    let months = calendar.months().len();
    let counts = class_counts(month_starts, crimes);

    // Pools of open crimes, in random order so that popping draws at random.
    let mut pools =
        Pools { open: vec![vec![Vec::new(); months]; CLASSES], reopenable: vec![vec![Vec::new(); months]; CLASSES] };
    for position in 0..months {
        let range = month_starts[position]..month_starts[position + 1];
        for (crime, index) in crimes[range.clone()].iter().zip(range) {
            if crime.status == RECORDED {
                pools.open[usize::from(crime.class)][position].push(index as u32);
            }
        }
        for class in 0..CLASSES {
            random.shuffle(&mut pools.open[class][position]);
        }
    }

    let targets = month_targets(spec, calendar, &counts)?;
    let mut outcomes = Vec::with_capacity(crimes.len());
    for position in 0..months {
        let month = calendar.month(position);
        let rates = month_rates(spec, calendar, position);
        let exact = targets[position].any();
        let composition = compose(&counts[position], &targets[position], &rates, realism, &mut random)
            .map_err(|message| spec.error(format!("{}: {message}", month.month)))?;

        // Solved outcomes first, in a fixed order of class and type.
        for class in 0..CLASSES {
            let lag = if CLASS_MIX[class] == realism::MIX_RAPE { &realism.lag_rape } else { &realism.lag };
            for outcome in realism::SOLVED {
                for _ in 0..composition[class][usize::from(outcome)] {
                    let reopened = if random.chance(realism.reopened) {
                        pools.take_reopened(class, position, &mut random)
                    } else {
                        None
                    };
                    // A reopened crime was closed in an earlier month, so recorded earlier too.
                    let picked = match reopened {
                        Some(crime) => Some((crime, false)),
                        None => pools
                            .take(class, position, lag, &mut random)
                            .map(|(crime, recorded)| (crime, recorded == position)),
                    };
                    let Some((crime, recorded_this_month)) = picked else {
                        if exact {
                            return Err(Error::internal(format!(
                                "{}, {}: no open crime left for outcome {outcome}",
                                spec.name, month.month
                            )));
                        }
                        break;
                    };
                    let day = outcome_day(crimes, crime, recorded_this_month, month, &mut random);
                    record(&mut outcomes, crimes, crime, outcome, day);
                }
            }
        }

        // Then the rest, in proportion to the month's crimes (ramping up over
        // the first months, when few investigations have run their course).
        let ramp = ((position + 1) as f64 / 4.0).min(1.0);
        for class in 0..CLASSES {
            let lag = if CLASS_MIX[class] == realism::MIX_RAPE { &realism.lag_rape } else { &realism.lag };
            for (outcome, rate) in &realism.unsolved[CLASS_MIX[class]] {
                let wanted = random.round(rate * counts[position][class] as f64 * ramp);
                for _ in 0..wanted {
                    let Some((crime, recorded_month)) = pools.take(class, position, lag, &mut random) else {
                        break;
                    };
                    let day = outcome_day(crimes, crime, recorded_month == position, month, &mut random);
                    record(&mut outcomes, crimes, crime, *outcome, day);
                    if matches!(outcome, 14 | 18) && random.chance(realism.reopenable) {
                        pools.reopenable[class][position].push(crime);
                    }
                }
            }
        }
    }
    Ok(outcomes)
}

fn outcome_day(crimes: &[Crime], crime: u32, same_month: bool, month: &Month, random: &mut Random) -> u16 {
    let first = if same_month { u32::from(crimes[crime as usize].day) } else { month.first_day };
    random.between(first, month.last_day()) as u16
}

fn record(outcomes: &mut Vec<Outcome>, crimes: &mut [Crime], crime: u32, outcome: u8, day: u16) {
    outcomes.push(Outcome { day, outcome, crime });
    let record = &mut crimes[crime as usize];
    record.outcome = outcome;
    record.outcome_day = day;
}

/// The exact figures of each month, with totals over several months spread in
/// proportion to what the rates would have given.
fn month_targets(spec: &ForceSpec, calendar: &Calendar, counts: &[[u64; CLASSES]]) -> Result<Vec<MonthTargets>, Error> {
    let months = calendar.months().len();
    let mut targets = vec![MonthTargets::default(); months];
    if spec.months.is_empty() && spec.periods.is_empty() {
        return Ok(targets);
    }
    let estimate = |figure: Figure, position: usize| -> f64 {
        let rates = month_rates(spec, calendar, position);
        let n = |class: usize| counts[position][class] as f64;
        let rape = n(CLASS_RAPE_DOMESTIC) + n(CLASS_RAPE);
        let domestic = n(CLASS_RAPE_DOMESTIC) + n(CLASS_DOMESTIC);
        let victim_based: f64 = (0..CLASS_AGAINST_SOCIETY).map(n).sum();
        match figure {
            Figure::RapeCharges => rates.rape_charge * rape,
            Figure::DomesticAbuseCharges => rates.domestic_abuse_charge * domestic,
            Figure::DomesticAbuseSolved => rates.domestic_abuse_solved * domestic,
            Figure::ShopliftingCharges => rates.shoplifting_charge * n(CLASS_SHOPLIFTING),
            Figure::ShopliftingSuspectsInterviewed => rates.shoplifting_interview * n(CLASS_SHOPLIFTING),
            Figure::VictimBasedCrimeSolved => rates.victim_based_solved * victim_based,
            Figure::AllCrimeSolved => {
                rates.victim_based_solved * victim_based + rates.against_society_solved * n(CLASS_AGAINST_SOCIETY)
            }
            _ => victim_based + n(CLASS_AGAINST_SOCIETY),
        }
    };
    for figure in Figure::ALL.iter().map(|(_, figure)| *figure) {
        if !figure.is_activity() || figure == Figure::ShopliftingSuspectsInterviewed {
            continue;
        }
        let weights: Vec<f64> = (0..months).map(|position| estimate(figure, position)).collect();
        let values = activity_targets(spec, calendar, figure, &weights)?;
        for (target, value) in targets.iter_mut().zip(values) {
            let slot = match figure {
                Figure::AllCrimeSolved => &mut target.all_solved,
                Figure::VictimBasedCrimeSolved => &mut target.victim_based_solved,
                Figure::RapeCharges => &mut target.rape_charges,
                Figure::DomesticAbuseCharges => &mut target.domestic_abuse_charges,
                Figure::DomesticAbuseSolved => &mut target.domestic_abuse_solved,
                Figure::ShopliftingCharges => &mut target.shoplifting_charges,
                Figure::Charges => &mut target.charges,
                Figure::AdultCautions => &mut target.adult_cautions,
                Figure::CommunityResolutions => &mut target.community_resolutions,
                _ => continue,
            };
            *slot = value;
        }
    }
    Ok(targets)
}
