//! The profiles' data files (`profiles/seed-2024.toml`,
//! `profiles/national.toml`), parsed and checked into the forces to
//! generate: their months, districts, baseline levels, rates and exact
//! figures.

use std::collections::BTreeMap;

use serde::Deserialize;

use scrutiny_core::YearMonth;

use crate::random::Random;
use crate::realism::{CELLS, FLAGS};
use crate::{Error, Options};

const SEED_2024_FILE: &str = "profiles/seed-2024.toml";
const SEED_2024: &str = include_str!("../profiles/seed-2024.toml");
const NATIONAL_FILE: &str = "profiles/national.toml";
const NATIONAL: &str = include_str!("../profiles/national.toml");
const TERM_FILE: &str = "profiles/term.toml";
const TERM: &str = include_str!("../profiles/term.toml");

/// Baseline series: the cells, then the flags, then ASB.
pub(crate) const BASELINE_KEYS: usize = CELLS.len() + FLAGS.len() + 1;
pub(crate) const BASELINE_ASB: usize = CELLS.len() + FLAGS.len();

fn baseline_name(key: usize) -> &'static str {
    if key < CELLS.len() {
        CELLS[key]
    } else if key < BASELINE_ASB {
        FLAGS[key - CELLS.len()]
    } else {
        "asb"
    }
}

/// Rates used for months no exact figure fixes.
pub(crate) const RATES: [&str; 8] = [
    "rape-charge-rate",
    "domestic-abuse-charge-rate",
    "domestic-abuse-solved-rate",
    "shoplifting-charge-rate",
    "shoplifting-other-solved-rate",
    "shoplifting-interview-rate",
    "victim-based-crime-solved-rate",
    "against-society-solved-rate",
];
pub(crate) const RATE_RAPE_CHARGE: usize = 0;
pub(crate) const RATE_DA_CHARGE: usize = 1;
pub(crate) const RATE_DA_SOLVED: usize = 2;
pub(crate) const RATE_SHOP_CHARGE: usize = 3;
pub(crate) const RATE_SHOP_OTHER_SOLVED: usize = 4;
pub(crate) const RATE_SHOP_INTERVIEW: usize = 5;
pub(crate) const RATE_VBC_SOLVED: usize = 6;
pub(crate) const RATE_SOC_SOLVED: usize = 7;

/// A figure a profile can fix exactly, named as in the profile files (and,
/// where one exists, as the making-kent-safer measure it feeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Figure {
    AllCrime,
    VictimBasedCrime,
    Vap,
    SexualOffences,
    Rape,
    Robbery,
    BurglaryResidential,
    BurglaryBusinessCommunity,
    Fraud,
    ViolentCrime,
    DomesticAbuse,
    HateCrime,
    ChildProtection,
    AdultProtection,
    Asb,
    AllCrimeSolved,
    VictimBasedCrimeSolved,
    RapeCharges,
    DomesticAbuseCharges,
    DomesticAbuseSolved,
    ShopliftingCharges,
    Charges,
    AdultCautions,
    CommunityResolutions,
    ShopliftingSuspectsInterviewed,
}

impl Figure {
    pub(crate) const ALL: [(&'static str, Figure); 25] = [
        ("all-crime", Figure::AllCrime),
        ("victim-based-crime", Figure::VictimBasedCrime),
        ("vap", Figure::Vap),
        ("sexual-offences", Figure::SexualOffences),
        ("rape", Figure::Rape),
        ("robbery", Figure::Robbery),
        ("burglary-residential", Figure::BurglaryResidential),
        ("burglary-business-community", Figure::BurglaryBusinessCommunity),
        ("fraud", Figure::Fraud),
        ("violent-crime", Figure::ViolentCrime),
        ("domestic-abuse", Figure::DomesticAbuse),
        ("hate-crime", Figure::HateCrime),
        ("child-protection", Figure::ChildProtection),
        ("adult-protection", Figure::AdultProtection),
        ("asb", Figure::Asb),
        ("all-crime-solved", Figure::AllCrimeSolved),
        ("victim-based-crime-solved", Figure::VictimBasedCrimeSolved),
        ("rape-charges", Figure::RapeCharges),
        ("domestic-abuse-charges", Figure::DomesticAbuseCharges),
        ("domestic-abuse-solved", Figure::DomesticAbuseSolved),
        ("shoplifting-charges", Figure::ShopliftingCharges),
        ("charges", Figure::Charges),
        ("adult-cautions", Figure::AdultCautions),
        ("community-resolutions", Figure::CommunityResolutions),
        ("shoplifting-suspects-interviewed", Figure::ShopliftingSuspectsInterviewed),
    ];

    fn parse(name: &str) -> Option<Figure> {
        Self::ALL.iter().find(|(known, _)| *known == name).map(|(_, figure)| *figure)
    }

    pub(crate) fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, figure)| *figure == self).map(|(name, _)| *name).unwrap_or("?")
    }

    /// The baseline series a figure sets directly, if it is one.
    pub(crate) fn baseline_key(self) -> Option<usize> {
        use crate::realism::*;
        Some(match self {
            Figure::Vap => CELL_VAP,
            Figure::Rape => CELL_RAPE,
            Figure::Robbery => CELL_ROBBERY,
            Figure::BurglaryResidential => CELL_BURGLARY_RESIDENTIAL,
            Figure::BurglaryBusinessCommunity => CELL_BURGLARY_BUSINESS,
            Figure::Fraud => CELL_FRAUD,
            Figure::DomesticAbuse => CELLS.len() + FLAG_DOMESTIC_ABUSE,
            Figure::HateCrime => CELLS.len() + FLAG_HATE_CRIME,
            Figure::ChildProtection => CELLS.len() + FLAG_CHILD_PROTECTION,
            Figure::AdultProtection => CELLS.len() + FLAG_ADULT_PROTECTION,
            Figure::Asb => BASELINE_ASB,
            _ => return None,
        })
    }

    /// Figures counted from outcomes or suspect activity (the rest count crimes or ASB).
    pub(crate) fn is_activity(self) -> bool {
        self >= Figure::AllCrimeSolved
    }
}

/// A series given at a few months, linear between them and flat outside.
#[derive(Debug, Clone)]
pub(crate) struct Anchors {
    points: Vec<(i32, f64)>,
}

impl Anchors {
    fn new(file: &str, name: &str, raw: &BTreeMap<YearMonth, f64>) -> Result<Self, Error> {
        if raw.is_empty() {
            return Err(Error::profile(file, format!("{name} needs at least one month")));
        }
        if let Some((month, value)) = raw.iter().find(|(_, value)| !value.is_finite() || **value < 0.0) {
            return Err(Error::profile(file, format!("{name}: {month} = {value} is not a number 0 or more")));
        }
        Ok(Self { points: raw.iter().map(|(month, value)| (month.index(), *value)).collect() })
    }

    pub(crate) fn at(&self, month: YearMonth) -> f64 {
        let index = month.index();
        let points = &self.points;
        if index <= points[0].0 {
            return points[0].1;
        }
        for pair in points.windows(2) {
            let ((from, low), (to, high)) = (pair[0], pair[1]);
            if index <= to {
                return low + (high - low) * f64::from(index - from) / f64::from(to - from);
            }
        }
        points[points.len() - 1].1
    }
}

/// Exact totals over a span of months.
#[derive(Debug, Clone)]
pub(crate) struct Period {
    pub(crate) from: YearMonth,
    pub(crate) to: YearMonth,
    pub(crate) figures: BTreeMap<Figure, u64>,
}

/// One force to generate.
#[derive(Debug, Clone)]
pub(crate) struct ForceSpec {
    /// The profile file it comes from, for errors.
    pub(crate) file: &'static str,
    pub(crate) name: String,
    /// Sub-folder of the output folder, if the profile has several forces.
    pub(crate) folder: Option<String>,
    pub(crate) system: String,
    pub(crate) extracted_on: String,
    pub(crate) from: YearMonth,
    pub(crate) to: YearMonth,
    pub(crate) seed: u64,
    pub(crate) reference_prefix: String,
    pub(crate) reference_digits: usize,
    pub(crate) districts: Vec<(String, f64)>,
    pub(crate) baseline: Vec<Anchors>,
    /// Multiplies each baseline series (size, scale, the force's own mix).
    pub(crate) baseline_factor: [f64; BASELINE_KEYS],
    /// Change of volume per year, counted back from the last month.
    pub(crate) trend_per_year: f64,
    pub(crate) rates: Vec<Anchors>,
    pub(crate) rate_factor: [f64; RATES.len()],
    pub(crate) months: BTreeMap<YearMonth, BTreeMap<Figure, u64>>,
    pub(crate) periods: Vec<Period>,
}

impl ForceSpec {
    /// An error in the figures of this force's profile.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::profile(self.file, format!("{}: {}", self.name, message.into()))
    }

    pub(crate) fn rate(&self, rate: usize, month: YearMonth) -> f64 {
        (self.rates[rate].at(month) * self.rate_factor[rate]).clamp(0.0, 1.0)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    name: String,
    weight: f64,
}

#[derive(Deserialize)]
struct RawMonth {
    month: YearMonth,
    #[serde(flatten)]
    figures: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
struct RawPeriod {
    from: YearMonth,
    to: YearMonth,
    #[serde(flatten)]
    figures: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublished {
    measure: String,
    from: YearMonth,
    to: YearMonth,
    percent: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSeed {
    force: String,
    system: String,
    extracted_on: String,
    from: YearMonth,
    to: YearMonth,
    seed: u64,
    reference_prefix: String,
    reference_digits: usize,
    districts: Vec<RawDistrict>,
    baseline: BTreeMap<String, BTreeMap<YearMonth, f64>>,
    rates: BTreeMap<String, BTreeMap<YearMonth, f64>>,
    #[serde(default)]
    month: Vec<RawMonth>,
    #[serde(default)]
    period: Vec<RawPeriod>,
    #[serde(default)]
    published: Vec<RawPublished>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForce {
    name: String,
    size: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawNational {
    system: String,
    to: YearMonth,
    extracted_on: String,
    years: u32,
    seed: u64,
    reference_digits: usize,
    extra_force_size: f64,
    scale: f64,
    mix_variation: f64,
    rate_variation: f64,
    forces: Vec<RawForce>,
    districts: Vec<RawDistrict>,
    baseline: BTreeMap<String, BTreeMap<YearMonth, f64>>,
    rates: BTreeMap<String, BTreeMap<YearMonth, f64>>,
}

fn parse_error(file: &str, error: toml::de::Error) -> Error {
    Error::profile(file, error.to_string())
}

fn reference_digits(file: &str, digits: usize) -> Result<usize, Error> {
    if (4..=9).contains(&digits) {
        Ok(digits)
    } else {
        Err(Error::profile(file, format!("reference-digits = {digits}: give 4 to 9 digits")))
    }
}

fn baseline(file: &str, raw: &BTreeMap<String, BTreeMap<YearMonth, f64>>) -> Result<Vec<Anchors>, Error> {
    let names: Vec<&str> = (0..BASELINE_KEYS).map(baseline_name).collect();
    if let Some(unknown) = raw.keys().find(|key| !names.contains(&key.as_str())) {
        return Err(Error::profile(
            file,
            format!("baseline: unknown series '{unknown}' (series: {})", names.join(", ")),
        ));
    }
    names
        .iter()
        .map(|name| {
            let series = raw.get(*name).ok_or_else(|| Error::profile(file, format!("baseline.{name} is missing")))?;
            Anchors::new(file, &format!("baseline.{name}"), series)
        })
        .collect()
}

fn rates(file: &str, raw: &BTreeMap<String, BTreeMap<YearMonth, f64>>) -> Result<Vec<Anchors>, Error> {
    if let Some(unknown) = raw.keys().find(|key| !RATES.contains(&key.as_str())) {
        return Err(Error::profile(file, format!("rates: unknown rate '{unknown}' (rates: {})", RATES.join(", "))));
    }
    RATES
        .iter()
        .map(|name| {
            let series = raw.get(*name).ok_or_else(|| Error::profile(file, format!("rates.{name} is missing")))?;
            let anchors = Anchors::new(file, &format!("rates.{name}"), series)?;
            if series.values().any(|value| *value > 1.0) {
                return Err(Error::profile(file, format!("rates.{name}: a rate is a share between 0 and 1")));
            }
            Ok(anchors)
        })
        .collect()
}

fn districts(file: &str, raw: &[RawDistrict], prefix: Option<&str>) -> Result<Vec<(String, f64)>, Error> {
    if raw.is_empty() || raw.iter().all(|district| district.weight <= 0.0) {
        return Err(Error::profile(file, "districts: at least one district with a positive weight is needed"));
    }
    Ok(raw
        .iter()
        .map(|district| {
            let name = match prefix {
                Some(prefix) => format!("{prefix} {}", district.name),
                None => district.name.clone(),
            };
            (name, district.weight.max(0.0))
        })
        .collect())
}

fn figures(file: &str, place: &str, raw: &BTreeMap<String, u64>) -> Result<BTreeMap<Figure, u64>, Error> {
    raw.iter()
        .map(|(name, value)| {
            Figure::parse(name)
                .map(|figure| (figure, *value))
                .ok_or_else(|| Error::profile(file, format!("{place}: unknown figure '{name}'")))
        })
        .collect()
}

/// Rounds a percentage to one decimal place, half away from zero, as papers print it.
pub(crate) fn percent_1dp(numerator: u64, denominator: u64) -> f64 {
    let tenths = (numerator as f64 * 1000.0 / denominator as f64).round();
    tenths / 10.0
}

impl RawSeed {
    /// The total of a figure over `from..=to` from the exact figures, if they determine it.
    fn total(&self, file: &str, figure: Figure, from: YearMonth, to: YearMonth) -> Result<Option<u64>, Error> {
        let mut total = 0;
        let mut covered = vec![false; (to.index() - from.index() + 1).max(0) as usize];
        for period in &self.period {
            if period.from < from || period.to > to {
                continue;
            }
            if let Some(value) = figures(file, "period", &period.figures)?.get(&figure) {
                total += value;
                for index in period.from.index()..=period.to.index() {
                    covered[(index - from.index()) as usize] = true;
                }
            }
        }
        for (offset, done) in covered.iter().enumerate() {
            if *done {
                continue;
            }
            let month = from.plus(offset as i32);
            let value = self
                .month
                .iter()
                .find(|entry| entry.month == month)
                .and_then(|entry| entry.figures.get(figure.name()).copied());
            match value {
                Some(value) => total += value,
                None => return Ok(None),
            }
        }
        Ok(Some(total))
    }

    /// Checks each published rate against the exact counts it is made of.
    fn check_published(&self, file: &str) -> Result<(), Error> {
        for published in &self.published {
            let (numerator, denominator) = match published.measure.as_str() {
                "all-crime-solved-rate" => (Figure::AllCrimeSolved, Figure::AllCrime),
                "victim-based-crime-solved-rate" => (Figure::VictimBasedCrimeSolved, Figure::VictimBasedCrime),
                "rape-charge-rate" => (Figure::RapeCharges, Figure::Rape),
                "domestic-abuse-charge-rate" => (Figure::DomesticAbuseCharges, Figure::DomesticAbuse),
                "domestic-abuse-solved-rate" => (Figure::DomesticAbuseSolved, Figure::DomesticAbuse),
                other => {
                    return Err(Error::profile(file, format!("published: unknown rate '{other}'")));
                }
            };
            let place = format!("published {} {}..{}", published.measure, published.from, published.to);
            let numerator = self.total(file, numerator, published.from, published.to)?;
            let denominator = self.total(file, denominator, published.from, published.to)?;
            let (Some(numerator), Some(denominator)) = (numerator, denominator) else {
                return Err(Error::profile(file, format!("{place}: the exact figures do not determine this rate")));
            };
            if denominator == 0 || percent_1dp(numerator, denominator) != published.percent {
                return Err(Error::profile(
                    file,
                    format!(
                        "{place}: {numerator} / {denominator} is {}%, not the published {}%",
                        if denominator == 0 { f64::NAN } else { percent_1dp(numerator, denominator) },
                        published.percent
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn check_span(
    file: &str,
    place: &str,
    from: YearMonth,
    to: YearMonth,
    within: (YearMonth, YearMonth),
) -> Result<(), Error> {
    if from > to || from < within.0 || to > within.1 {
        return Err(Error::profile(
            file,
            format!("{place}: {from}..{to} is not a span inside the months covered ({}..{})", within.0, within.1),
        ));
    }
    Ok(())
}

/// The one force of profile seed-2024.
pub(crate) fn seed_2024(options: &Options) -> Result<Vec<ForceSpec>, Error> {
    let file = SEED_2024_FILE;
    if options.forces.is_some_and(|forces| forces != 1) {
        return Err(Error::invalid_options("profile seed-2024 is one force (Kent); --forces does not apply"));
    }
    if options.years.is_some() {
        return Err(Error::invalid_options(
            "profile seed-2024 covers September 2021 to July 2024; --years does not apply",
        ));
    }
    let raw: RawSeed = toml::from_str(SEED_2024).map_err(|error| parse_error(file, error))?;
    let covered = (raw.from, raw.to);
    check_span(file, "from/to", raw.from, raw.to, covered)?;
    let mut months = BTreeMap::new();
    for entry in &raw.month {
        check_span(file, "month", entry.month, entry.month, covered)?;
        let parsed = figures(file, &format!("month {}", entry.month), &entry.figures)?;
        if months.insert(entry.month, parsed).is_some() {
            return Err(Error::profile(file, format!("month {} is given twice", entry.month)));
        }
    }
    let mut periods = Vec::new();
    for entry in &raw.period {
        let place = format!("period {}..{}", entry.from, entry.to);
        check_span(file, &place, entry.from, entry.to, covered)?;
        let parsed = figures(file, &place, &entry.figures)?;
        for figure in parsed.keys() {
            if !figure.is_activity() && figure.baseline_key().is_none() {
                return Err(Error::profile(
                    file,
                    format!(
                        "{place}: a total of '{}' over several months is not supported; give it month by month",
                        figure.name()
                    ),
                ));
            }
        }
        periods.push(Period { from: entry.from, to: entry.to, figures: parsed });
    }
    for (index, first) in periods.iter().enumerate() {
        for second in &periods[index + 1..] {
            let overlap = first.from <= second.to && second.from <= first.to;
            if let Some(figure) = first.figures.keys().find(|figure| overlap && second.figures.contains_key(figure)) {
                return Err(Error::profile(file, format!("two periods that overlap both fix '{}'", figure.name())));
            }
        }
    }
    raw.check_published(file)?;
    Ok(vec![ForceSpec {
        file,
        name: raw.force.clone(),
        folder: None,
        system: raw.system.clone(),
        extracted_on: raw.extracted_on.clone(),
        from: raw.from,
        to: raw.to,
        seed: options.seed.unwrap_or(raw.seed),
        reference_prefix: raw.reference_prefix.clone(),
        reference_digits: reference_digits(file, raw.reference_digits)?,
        districts: districts(file, &raw.districts, None)?,
        baseline: baseline(file, &raw.baseline)?,
        baseline_factor: [1.0; BASELINE_KEYS],
        trend_per_year: 0.0,
        rates: rates(file, &raw.rates)?,
        rate_factor: [1.0; RATES.len()],
        months,
        periods,
    }])
}

/// The folder name of a force: lower case, words joined by hyphens.
pub(crate) fn slug(name: &str) -> String {
    let mut slug = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug
}

/// The forces of profile national.
pub(crate) fn national(options: &Options) -> Result<Vec<ForceSpec>, Error> {
    let raw: RawNational = toml::from_str(NATIONAL).map_err(|error| parse_error(NATIONAL_FILE, error))?;
    national_forces(raw, options)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    force: String,
    size: f64,
    years: u32,
    seed: u64,
}

/// The force of profile term: profile national for one force, written to
/// the output folder itself.
pub(crate) fn term(options: &Options) -> Result<Vec<ForceSpec>, Error> {
    if let Some(forces) = options.forces {
        return Err(Error::invalid_options(format!("--forces {forces} does not apply to profile term (one force)")));
    }
    let term: RawTerm = toml::from_str(TERM).map_err(|error| parse_error(TERM_FILE, error))?;
    let mut raw: RawNational = toml::from_str(NATIONAL).map_err(|error| parse_error(NATIONAL_FILE, error))?;
    raw.forces = vec![RawForce { name: term.force, size: term.size }];
    raw.years = term.years;
    raw.seed = term.seed;
    let mut forces = national_forces(raw, &Options { forces: Some(1), ..options.clone() })?;
    for force in &mut forces {
        force.folder = None;
    }
    Ok(forces)
}

fn national_forces(raw: RawNational, options: &Options) -> Result<Vec<ForceSpec>, Error> {
    let file = NATIONAL_FILE;
    let forces = options.forces.unwrap_or(raw.forces.len() as u32);
    let years = options.years.unwrap_or(raw.years);
    if !(1..=999).contains(&forces) {
        return Err(Error::invalid_options(format!("--forces {forces}: give 1 to 999 forces")));
    }
    if !(1..=100).contains(&years) {
        return Err(Error::invalid_options(format!("--years {years}: give 1 to 100 years")));
    }
    let to = raw.to;
    let from = to.minus(years as i32 * 12 - 1);
    let seed = options.seed.unwrap_or(raw.seed);
    let baseline = baseline(file, &raw.baseline)?;
    let rates = rates(file, &raw.rates)?;
    let mut specs = Vec::new();
    for index in 0..forces as usize {
        let (name, size) = match raw.forces.get(index) {
            Some(force) => (force.name.clone(), force.size),
            None => (format!("Force {:02}", index + 1), raw.extra_force_size),
        };
        if !(size > 0.0 && size.is_finite()) {
            return Err(Error::profile(file, format!("forces: {name} needs a size above 0")));
        }
        // Each force strays from the baseline in its own, seeded way.
        let force_seed = seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut random = Random::new(force_seed, 0);
        let mut baseline_factor = [0.0; BASELINE_KEYS];
        for factor in &mut baseline_factor {
            *factor = size * raw.scale * (1.0 + raw.mix_variation * random.symmetric());
        }
        let mut rate_factor = [0.0; RATES.len()];
        for factor in &mut rate_factor {
            *factor = 1.0 + raw.rate_variation * random.symmetric();
        }
        specs.push(ForceSpec {
            file,
            folder: Some(slug(&name)),
            system: raw.system.clone(),
            extracted_on: raw.extracted_on.clone(),
            from,
            to,
            seed: force_seed,
            reference_prefix: format!("{:02}", index + 1),
            reference_digits: reference_digits(file, raw.reference_digits)?,
            districts: districts(file, &raw.districts, Some(&name))?,
            baseline: baseline.clone(),
            baseline_factor,
            trend_per_year: 0.02 * random.symmetric(),
            rates: rates.clone(),
            rate_factor,
            months: BTreeMap::new(),
            periods: Vec::new(),
            name,
        });
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_profile_loads_and_its_published_rates_hold() {
        let forces = seed_2024(&Options::default()).unwrap();
        assert_eq!(forces.len(), 1);
        assert_eq!(forces[0].months.len(), 6);
        assert_eq!(forces[0].districts.len(), 13);
    }

    #[test]
    fn rates_round_half_away_from_zero() {
        assert_eq!(percent_1dp(73, 461), 15.8);
        assert_eq!(percent_1dp(1, 8), 12.5);
        assert_eq!(percent_1dp(1, 16), 6.3);
    }

    #[test]
    fn anchors_interpolate_and_stay_flat_outside() {
        let raw: BTreeMap<YearMonth, f64> =
            [("2024-01".parse().unwrap(), 10.0), ("2024-03".parse().unwrap(), 20.0)].into_iter().collect();
        let anchors = Anchors::new("test", "x", &raw).unwrap();
        assert_eq!(anchors.at("2023-06".parse().unwrap()), 10.0);
        assert_eq!(anchors.at("2024-02".parse().unwrap()), 15.0);
        assert_eq!(anchors.at("2025-06".parse().unwrap()), 20.0);
        assert_eq!(slug("Avon and Somerset"), "avon-and-somerset");
        assert_eq!(slug("Dyfed-Powys"), "dyfed-powys");
    }

    #[test]
    fn term_is_one_force_of_whole_calendar_years() {
        let forces = term(&Options::default()).unwrap();
        assert_eq!(forces.len(), 1);
        assert_eq!((forces[0].from.to_string(), forces[0].to.to_string()), ("2019-01".into(), "2024-12".into()));
        assert_eq!(forces[0].folder, None);
        assert_eq!(forces[0].name, "Kent");
        let three = term(&Options { years: Some(3), ..Options::default() }).unwrap();
        assert_eq!(three[0].from.to_string(), "2022-01");
        assert!(term(&Options { forces: Some(2), ..Options::default() }).is_err());
    }

    #[test]
    fn national_sizes_its_forces() {
        let options = Options { forces: Some(45), years: Some(2), seed: None };
        let forces = national(&options).unwrap();
        assert_eq!(forces.len(), 45);
        assert_eq!(forces[44].name, "Force 45");
        assert_eq!(forces[0].from.to_string(), "2023-01");
        assert!(national(&Options { forces: Some(0), ..Options::default() }).is_err());
    }
}
