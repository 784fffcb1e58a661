//! Crime records and ASB incidents of one force: subgroup counts per month,
//! days, districts and numbers, then exactly the planned number of crimes
//! per flag, then offence codes (which depend on the flags) and outcome
//! classes.

use scrutiny_core::flags::Flags;

use super::{
    AsbIncident, CANCELLED, CLASS_AGAINST_SOCIETY, CLASS_DOMESTIC, CLASS_RAPE, CLASS_RAPE_DOMESTIC, CLASS_SHOPLIFTING,
    CLASS_VICTIM_BASED, Crime, RECORDED, TRANSFERRED,
};
use crate::Error;
use crate::calendar::Calendar;
use crate::plan::CrimePlan;
use crate::profile::ForceSpec;
use crate::random::{Random, Weighted, allocate, allocate_capped};
use crate::realism::{self, CELLS, FLAGS, Realism};

pub(super) fn make_crimes(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    plan: &CrimePlan,
    districts: &Weighted,
) -> Result<Vec<Crime>, Error> {
    let mut random = Random::new(spec.seed, 2);
    let total: u64 = plan.cells.iter().flatten().sum();
    let mut crimes =
        Vec::with_capacity((total as f64 * (1.0 + realism.cancelled + realism.transferred) * 1.01) as usize);
    let mut month_crimes: Vec<Crime> = Vec::new();
    let limit = 10u64.pow(spec.reference_digits as u32);
    let mut year = calendar.month(0).month.year();
    // Numbers run from January: an extract starting later starts part-way.
    let first_month: u64 = plan.cells.first().map_or(0, |cells| cells.iter().sum());
    let mut number = (u64::from(calendar.month(0).month.month() - 1) * first_month).min(limit / 2) as u32;
    for (position, month) in calendar.months().iter().enumerate() {
        month_crimes.clear();
        for (cell, count) in plan.cells[position].iter().enumerate() {
            // Subgroup shares wiggle a little from month to month.
            let shares = &realism.cells[cell];
            let weights: Vec<f64> = shares.iter().map(|(_, share)| share * (1.0 + 0.05 * random.symmetric())).collect();
            let parts = allocate(*count, &weights)
                .ok_or_else(|| Error::internal(format!("cell {} has no subgroup share", CELLS[cell])))?;
            for ((subgroup, _), part) in shares.iter().zip(parts) {
                for _ in 0..part {
                    month_crimes.push(Crime { subgroup: *subgroup as u8, status: RECORDED, ..Crime::default() });
                }
            }
        }
        let recorded = month_crimes.len();
        if recorded > 0 {
            for status in [CANCELLED, TRANSFERRED] {
                let share = if status == CANCELLED { realism.cancelled } else { realism.transferred };
                for _ in 0..random.round(recorded as f64 * share) {
                    let like = month_crimes[random.below(recorded)];
                    month_crimes.push(Crime { subgroup: like.subgroup, status, ..Crime::default() });
                }
            }
        }
        random.shuffle(&mut month_crimes);
        for crime in &mut month_crimes {
            crime.day = (month.first_day + random.below(month.days as usize) as u32) as u16;
            crime.district = districts.pick(&mut random) as u8;
        }
        month_crimes.sort_by_key(|crime| crime.day);
        if month.month.year() != year {
            year = month.month.year();
            number = 0;
        }
        for crime in &mut month_crimes {
            number += 1;
            if u64::from(number) >= limit {
                return Err(Error::invalid_options(format!(
                    "{}: more than {} crimes in {year} do not fit {}-digit references",
                    spec.name,
                    limit - 1,
                    spec.reference_digits
                )));
            }
            crime.number = number;
        }
        crimes.extend_from_slice(&month_crimes);
    }
    Ok(crimes)
}

pub(super) fn assign_flags(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    plan: &CrimePlan,
    month_starts: &[usize],
    crimes: &mut [Crime],
) -> Result<(), Error> {
    let mut random = Random::new(spec.seed, 3);
    let subgroups = realism.subgroups.len();
    let mut by_subgroup: Vec<Vec<u32>> = vec![Vec::new(); subgroups];
    for position in 0..calendar.months().len() {
        for list in &mut by_subgroup {
            list.clear();
        }
        let range = month_starts[position]..month_starts[position + 1];
        for (crime, index) in crimes[range.clone()].iter_mut().zip(range) {
            if crime.status == RECORDED {
                by_subgroup[usize::from(crime.subgroup)].push(index as u32);
            } else if random
                .chance(realism.subgroups[usize::from(crime.subgroup)].flag_weights[realism::FLAG_DOMESTIC_ABUSE])
            {
                // Cancelled and transferred records look like the rest.
                crime.flags |= Flags::DOMESTIC_ABUSE;
            }
        }
        for (flag, name) in FLAGS.iter().enumerate() {
            let wanted = plan.flags[position][flag];
            let weights: Vec<f64> = (0..subgroups)
                .map(|subgroup| realism.subgroups[subgroup].flag_weights[flag] * by_subgroup[subgroup].len() as f64)
                .collect();
            let caps: Vec<u64> = by_subgroup.iter().map(|list| list.len() as u64).collect();
            let quotas = allocate_capped(wanted, &weights, &caps).ok_or_else(|| {
                spec.error(format!(
                    "{}: {wanted} crimes flagged {name} are more than the crimes that can carry the flag",
                    calendar.month(position).month
                ))
            })?;
            for (subgroup, quota) in quotas.into_iter().enumerate() {
                let list = &mut by_subgroup[subgroup];
                random.sample_to_front(list, quota as usize);
                for index in &list[..quota as usize] {
                    let flags = if flag == realism::FLAG_HATE_CRIME {
                        hate_strands(realism, &mut random)
                    } else {
                        [Flags::DOMESTIC_ABUSE, Flags::HATE_CRIME, Flags::CHILD_PROTECTION, Flags::ADULT_PROTECTION]
                            [flag]
                    };
                    crimes[*index as usize].flags |= flags;
                }
            }
        }
    }
    Ok(())
}

fn hate_strands(realism: &Realism, random: &mut Random) -> Flags {
    let strand = |index: usize| Flags::HATE_STRANDS[index].1;
    let first = realism.hate_first.pick(random);
    let mut flags = strand(first);
    if random.chance(realism.hate_second) {
        let second = realism.hate_first.pick(random);
        flags |= strand(if second == first { (first + 1) % realism.hate_first.len() } else { second });
    }
    flags
}

/// Offence code, knife flag and outcome class of every crime, now that flags are known.
pub(super) fn assign_codes(spec: &ForceSpec, realism: &Realism, crimes: &mut [Crime]) {
    let mut random = Random::new(spec.seed, 4);
    for crime in crimes.iter_mut() {
        let subgroup = &realism.subgroups[usize::from(crime.subgroup)];
        let race_or_religion = crime.flags.intersects(Flags::HATE_RACE | Flags::HATE_RELIGION);
        let child = crime.flags.contains(Flags::CHILD_PROTECTION);
        let choice = if race_or_religion && subgroup.aggravated.is_some() && random.chance(realism.aggravated_share) {
            subgroup.aggravated.as_ref()
        } else if child && subgroup.child.is_some() && random.chance(realism.child_share) {
            subgroup.child.as_ref()
        } else {
            subgroup.plain.as_ref().or(subgroup.child.as_ref()).or(subgroup.aggravated.as_ref())
        };
        let choice = choice.expect("realism checks every subgroup has a code");
        let code = choice.codes[choice.weighted.pick(&mut random)];
        crime.code = code as u16;
        if realism.codes[code].knife || random.chance(subgroup.knife) {
            crime.flags |= Flags::KNIFE;
        }
        let domestic = crime.flags.contains(Flags::DOMESTIC_ABUSE);
        let subgroup_index = usize::from(crime.subgroup);
        crime.class = if subgroup_index == realism.rape {
            if domestic { CLASS_RAPE_DOMESTIC } else { CLASS_RAPE }
        } else if domestic {
            CLASS_DOMESTIC
        } else if subgroup_index == realism.shoplifting {
            CLASS_SHOPLIFTING
        } else if subgroup.victim_based {
            CLASS_VICTIM_BASED
        } else {
            CLASS_AGAINST_SOCIETY
        } as u8;
    }
}

pub(super) fn make_asb(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    plan: &CrimePlan,
    districts: &Weighted,
) -> Vec<AsbIncident> {
    let mut random = Random::new(spec.seed, 7);
    let mut incidents = Vec::with_capacity(plan.asb.iter().sum::<u64>() as usize);
    let mut year = calendar.month(0).month.year();
    let first_month = plan.asb.first().copied().unwrap_or(0);
    let mut number = (u64::from(calendar.month(0).month.month() - 1) * first_month).min(1_000_000) as u32;
    for (position, month) in calendar.months().iter().enumerate() {
        let start = incidents.len();
        for _ in 0..plan.asb[position] {
            incidents.push(AsbIncident {
                day: (month.first_day + random.below(month.days as usize) as u32) as u16,
                kind: realism.asb_types.pick(&mut random) as u8,
                district: districts.pick(&mut random) as u8,
                number: 0,
            });
        }
        incidents[start..].sort_by_key(|incident| incident.day);
        if month.month.year() != year {
            year = month.month.year();
            number = 0;
        }
        for incident in &mut incidents[start..] {
            number += 1;
            incident.number = number;
        }
    }
    incidents
}
