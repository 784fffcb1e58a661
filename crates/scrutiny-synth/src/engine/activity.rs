//! Suspect activity of one force: arrests and interviews before the outcome
//! a crime ended with, and for shoplifting exactly the number of interviews
//! each month's figure fixes.

use super::{
    ARREST, CLASS_SHOPLIFTING, Crime, INTERVIEW, RECORDED, SuspectEvent, VOLUNTARY_INTERVIEW, class_counts, month_rates,
};
use crate::Error;
use crate::calendar::Calendar;
use crate::plan::activity_targets;
use crate::profile::{Figure, ForceSpec};
use crate::random::Random;
use crate::realism::{self, Realism};

/// Arrests and interviews: before the outcome a crime ended with, and for
/// shoplifting exactly the number of interviews a month's figure fixes.
pub(super) fn suspect_activity(
    spec: &ForceSpec,
    realism: &Realism,
    calendar: &Calendar,
    month_starts: &[usize],
    crimes: &[Crime],
) -> Result<Vec<SuspectEvent>, Error> {
    let mut random = Random::new(spec.seed, 6);
    let months = calendar.months().len();
    let last_day = calendar.last_day();
    let mut events = Vec::with_capacity(crimes.len() / 3);

    // Every crime but shoplifting: by the outcome it ended with.
    for (index, crime) in crimes.iter().enumerate() {
        if crime.status != RECORDED || usize::from(crime.subgroup) == realism.shoplifting {
            continue;
        }
        let rule = &realism.suspects[usize::from(crime.outcome)];
        if rule.arrest == 0.0 && rule.voluntary_interview == 0.0 {
            continue;
        }
        let first = u32::from(crime.day);
        let last = if crime.outcome == 0 { (first + 30).min(last_day) } else { u32::from(crime.outcome_day) };
        let crime = index as u32;
        if random.chance(rule.arrest) {
            let day = random.between(first, (first + 10).min(last)) as u16;
            events.push(SuspectEvent { day, event: ARREST, crime });
            if random.chance(rule.interview_after_arrest) {
                events.push(SuspectEvent { day, event: INTERVIEW, crime });
            }
        } else if random.chance(rule.voluntary_interview) {
            let day = random.between(first, last) as u16;
            events.push(SuspectEvent { day, event: VOLUNTARY_INTERVIEW, crime });
        }
    }

    // Shoplifting: interviews proposed for solved crimes, then trimmed or
    // topped up to each month's figure.
    let counts = class_counts(month_starts, crimes);
    let weights: Vec<f64> = (0..months)
        .map(|position| {
            month_rates(spec, calendar, position).shoplifting_interview * counts[position][CLASS_SHOPLIFTING] as f64
        })
        .collect();
    let targets = activity_targets(spec, calendar, Figure::ShopliftingSuspectsInterviewed, &weights)?;
    let mut proposed: Vec<Vec<(u32, u16)>> = vec![Vec::new(); months];
    let mut shoplifting_by_month: Vec<Vec<u32>> = vec![Vec::new(); months];
    for position in 0..months {
        let range = month_starts[position]..month_starts[position + 1];
        for (crime, index) in crimes[range.clone()].iter().zip(range) {
            if crime.status != RECORDED || usize::from(crime.subgroup) != realism.shoplifting {
                continue;
            }
            shoplifting_by_month[position].push(index as u32);
            if realism::is_solved(crime.outcome) && random.chance(realism.shoplifting_solved_interviewed) {
                let day = random.between(u32::from(crime.day), u32::from(crime.outcome_day));
                proposed[calendar.month_of_day(day)].push((index as u32, day as u16));
            }
        }
    }
    let mut interviewed = vec![false; crimes.len()];
    for position in 0..months {
        let month = calendar.month(position);
        let exact = targets[position];
        let wanted = exact.unwrap_or_else(|| random.round(weights[position])) as usize;
        let mut chosen = std::mem::take(&mut proposed[position]);
        if chosen.len() > wanted {
            random.shuffle(&mut chosen);
            chosen.truncate(wanted);
        } else if chosen.len() < wanted {
            // Top up from shoplifting crimes of the last three months still open
            // (or closed later, or with a suspect identified).
            for (crime, _) in &chosen {
                interviewed[*crime as usize] = true;
            }
            let mut candidates: Vec<(u32, u16)> = Vec::new();
            let earliest = position.saturating_sub(2);
            for (recorded, list) in (earliest..=position).zip(&shoplifting_by_month[earliest..=position]) {
                for &index in list {
                    let crime = &crimes[index as usize];
                    if interviewed[index as usize] {
                        continue;
                    }
                    let outcome_month =
                        (crime.outcome != 0).then(|| calendar.month_of_day(u32::from(crime.outcome_day)));
                    if matches!(crime.outcome, 14 | 18)
                        || outcome_month.is_some_and(|outcome_month| outcome_month < position)
                    {
                        continue;
                    }
                    let first = if recorded == position { u32::from(crime.day) } else { month.first_day };
                    let last =
                        if outcome_month == Some(position) { u32::from(crime.outcome_day) } else { month.last_day() };
                    if first <= last {
                        candidates.push((index, random.between(first, last) as u16));
                    }
                }
            }
            let missing = wanted - chosen.len();
            if candidates.len() < missing && exact.is_some() {
                return Err(Error::internal(format!(
                    "{}, {}: only {} shoplifting crimes can take the {missing} more interviews needed",
                    spec.name,
                    month.month,
                    candidates.len()
                )));
            }
            random.sample_to_front(&mut candidates, missing);
            chosen.extend(candidates.into_iter().take(missing));
        }
        for (crime, day) in chosen {
            interviewed[crime as usize] = true;
            if random.chance(realism.shoplifting_in_custody) {
                events.push(SuspectEvent { day, event: ARREST, crime });
                events.push(SuspectEvent { day, event: INTERVIEW, crime });
            } else {
                events.push(SuspectEvent { day, event: VOLUNTARY_INTERVIEW, crime });
            }
        }
    }
    Ok(events)
}
