//! The records of one force, made from its monthly plan: crimes (with
//! subgroup, day, district, flags and offence code), the outcomes assigned to
//! them month by month, suspect activity, and ASB incidents.
//!
//! Exact figures hold by construction. Crime counts are fixed per cell and
//! flag counts are met by choosing exactly that many crimes; outcomes are
//! decided per month as counts per class of crime and outcome type (rape
//! charges first, then domestic abuse, shoplifting, other victim-based and
//! other crimes), each count then attached to open crimes of that class
//! recorded in that month or earlier.

mod activity;
mod crimes;
mod outcomes;

use scrutiny_core::flags::Flags;

use crate::Error;
use crate::calendar::Calendar;
use crate::profile::{self, ForceSpec};
use crate::random::Weighted;
use crate::realism::{self, Realism};

/// Status of a crime record.
pub(crate) const RECORDED: u8 = 0;
pub(crate) const CANCELLED: u8 = 1;
pub(crate) const TRANSFERRED: u8 = 2;

/// Suspect events.
pub(crate) const ARREST: u8 = 0;
pub(crate) const VOLUNTARY_INTERVIEW: u8 = 1;
pub(crate) const INTERVIEW: u8 = 2;

/// Outcome classes of crimes: which pool an outcome is drawn from.
const CLASS_RAPE_DOMESTIC: usize = 0;
const CLASS_RAPE: usize = 1;
const CLASS_DOMESTIC: usize = 2;
const CLASS_SHOPLIFTING: usize = 3;
const CLASS_VICTIM_BASED: usize = 4;
const CLASS_AGAINST_SOCIETY: usize = 5;
const CLASSES: usize = 6;
/// The outcome mix each class uses.
const CLASS_MIX: [usize; CLASSES] = [
    realism::MIX_RAPE,
    realism::MIX_RAPE,
    realism::MIX_DOMESTIC_ABUSE,
    realism::MIX_SHOPLIFTING,
    realism::MIX_VICTIM_BASED,
    realism::MIX_AGAINST_SOCIETY,
];

/// One crime record, packed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Crime {
    /// Recorded day (from the first covered day).
    pub(crate) day: u16,
    pub(crate) code: u16,
    /// Number within its year.
    pub(crate) number: u32,
    pub(crate) flags: Flags,
    pub(crate) district: u8,
    pub(crate) status: u8,
    pub(crate) subgroup: u8,
    pub(crate) class: u8,
    /// The latest outcome (0: none yet) and its day.
    pub(crate) outcome: u8,
    pub(crate) outcome_day: u16,
}

/// One outcome row: (day, crime, outcome type).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    pub(crate) day: u16,
    pub(crate) outcome: u8,
    pub(crate) crime: u32,
}

/// One suspect-activity row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SuspectEvent {
    pub(crate) day: u16,
    pub(crate) event: u8,
    pub(crate) crime: u32,
}

/// One ASB incident.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AsbIncident {
    pub(crate) day: u16,
    /// 0 personal, 1 nuisance, 2 environmental.
    pub(crate) kind: u8,
    pub(crate) district: u8,
    /// Number within its year.
    pub(crate) number: u32,
}

/// Everything generated for one force.
pub(crate) struct ForceRecords {
    pub(crate) calendar: Calendar,
    pub(crate) crimes: Vec<Crime>,
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) events: Vec<SuspectEvent>,
    pub(crate) asb: Vec<AsbIncident>,
}

pub(crate) fn generate_force(spec: &ForceSpec, realism: &Realism) -> Result<ForceRecords, Error> {
    let calendar = Calendar::new(spec.from, spec.to);
    if calendar.last_day() > u32::from(u16::MAX) {
        return Err(Error::invalid_options("a force's extract may cover at most 179 years"));
    }
    let plan = crate::plan::crime_plan(spec, realism, &calendar, spec.seed)?;
    let districts = Weighted::new(spec.districts.iter().map(|district| district.1))
        .ok_or_else(|| Error::internal("no district has a weight"))?;
    let mut crimes = crimes::make_crimes(spec, realism, &calendar, &plan, &districts)?;
    let month_starts = month_starts(&calendar, &crimes);
    crimes::assign_flags(spec, realism, &calendar, &plan, &month_starts, &mut crimes)?;
    crimes::assign_codes(spec, realism, &mut crimes);
    let outcomes = outcomes::assign_outcomes(spec, realism, &calendar, &month_starts, &mut crimes)?;
    let events = activity::suspect_activity(spec, realism, &calendar, &month_starts, &crimes)?;
    let asb = crimes::make_asb(spec, realism, &calendar, &plan, &districts);
    Ok(ForceRecords { calendar, crimes, outcomes, events, asb })
}

/// Index of the first crime of each month, plus the end.
fn month_starts(calendar: &Calendar, crimes: &[Crime]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(calendar.months().len() + 1);
    for month in calendar.months() {
        starts.push(crimes.partition_point(|crime| u32::from(crime.day) < month.first_day));
    }
    starts.push(crimes.len());
    starts
}

/// Rates of one month for the figures no target fixes.
struct MonthRates {
    rape_charge: f64,
    domestic_abuse_charge: f64,
    domestic_abuse_solved: f64,
    shoplifting_charge: f64,
    shoplifting_other_solved: f64,
    shoplifting_interview: f64,
    victim_based_solved: f64,
    against_society_solved: f64,
}

fn month_rates(spec: &ForceSpec, calendar: &Calendar, position: usize) -> MonthRates {
    let month = calendar.month(position).month;
    let rate = |index: usize| spec.rate(index, month);
    MonthRates {
        rape_charge: rate(profile::RATE_RAPE_CHARGE),
        domestic_abuse_charge: rate(profile::RATE_DA_CHARGE),
        domestic_abuse_solved: rate(profile::RATE_DA_SOLVED),
        shoplifting_charge: rate(profile::RATE_SHOP_CHARGE),
        shoplifting_other_solved: rate(profile::RATE_SHOP_OTHER_SOLVED),
        shoplifting_interview: rate(profile::RATE_SHOP_INTERVIEW),
        victim_based_solved: rate(profile::RATE_VBC_SOLVED),
        against_society_solved: rate(profile::RATE_SOC_SOLVED),
    }
}

/// Recorded crimes of each class in each month.
fn class_counts(month_starts: &[usize], crimes: &[Crime]) -> Vec<[u64; CLASSES]> {
    month_starts
        .windows(2)
        .map(|range| {
            let mut counts = [0u64; CLASSES];
            for crime in &crimes[range[0]..range[1]] {
                if crime.status == RECORDED {
                    counts[usize::from(crime.class)] += 1;
                }
            }
            counts
        })
        .collect()
}
