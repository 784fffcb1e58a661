//! The seed-2024 records, read back and counted here with plain code of their
//! own, reproduce every figure of the profile file and, spot-checked by
//! literal value, the papers themselves (seed 004: Kent's Delivery &
//! Performance paper, May–July 2024; seed 001: the force's answers of
//! September 2022).

use std::collections::{BTreeMap, HashMap, HashSet};

use scrutiny_core::YearMonth;
use scrutiny_core::definitions::Definitions;

use crate::util::{Extract, month_of, seed_2024};

const PROFILE: &str = include_str!("../profiles/seed-2024.toml");
const SOLVED: [u8; 7] = [1, 2, 3, 4, 6, 7, 8];

/// Counts by (figure name, month), as Scrutiny's counting rules define them.
fn count(extract: &Extract) -> HashMap<(&'static str, YearMonth), u64> {
    let definitions = Definitions::builtin();
    let classification = &definitions.classification;
    let mut counts = HashMap::new();
    let mut add = |name: &'static str, month: YearMonth| *counts.entry((name, month)).or_insert(0) += 1;
    let mut crimes = HashMap::new();
    for crime in &extract.crimes {
        let month = month_of(&crime.date);
        let offence = classification.classify(&crime.code, month).unwrap();
        crimes.insert(crime.reference.as_str(), (crime, offence));
        if !crime.recorded {
            continue;
        }
        add("all-crime", month);
        let group = offence.group.as_str();
        if offence.category == "victim-based" {
            add("victim-based-crime", month);
        }
        if offence.category == "fraud" {
            add("fraud", month);
        }
        if group == "violence-against-the-person" {
            add("vap", month);
        }
        if group == "sexual-offences" {
            add("sexual-offences", month);
        }
        if group == "robbery" {
            add("robbery", month);
        }
        if ["violence-against-the-person", "sexual-offences", "robbery"].contains(&group) {
            add("violent-crime", month);
        }
        match offence.subgroup.as_str() {
            "rape" => add("rape", month),
            "burglary-residential" => add("burglary-residential", month),
            "burglary-business-and-community" => add("burglary-business-community", month),
            _ => {}
        }
        if crime.domestic_abuse {
            add("domestic-abuse", month);
        }
        if !crime.hate_crime.is_empty() {
            add("hate-crime", month);
        }
        if crime.child_protection {
            add("child-protection", month);
        }
        if crime.adult_protection {
            add("adult-protection", month);
        }
    }
    for incident in &extract.asb {
        add("asb", month_of(&incident.date));
    }
    for outcome in &extract.outcomes {
        let month = month_of(&outcome.date);
        let (crime, offence) = &crimes[outcome.reference.as_str()];
        let solved = SOLVED.contains(&outcome.outcome);
        let charge = outcome.outcome == 1;
        if solved {
            add("all-crime-solved", month);
        }
        if solved && offence.category == "victim-based" {
            add("victim-based-crime-solved", month);
        }
        if charge && offence.subgroup == "rape" {
            add("rape-charges", month);
        }
        if charge && crime.domestic_abuse {
            add("domestic-abuse-charges", month);
        }
        if solved && crime.domestic_abuse {
            add("domestic-abuse-solved", month);
        }
        if charge && offence.subgroup == "shoplifting" {
            add("shoplifting-charges", month);
        }
        match outcome.outcome {
            1 => add("charges", month),
            3 => add("adult-cautions", month),
            8 => add("community-resolutions", month),
            _ => {}
        }
    }
    for event in &extract.events {
        let (_, offence) = &crimes[event.reference.as_str()];
        if offence.subgroup == "shoplifting" && (event.event == "interview" || event.event == "voluntary-interview") {
            add("shoplifting-suspects-interviewed", month_of(&event.date));
        }
    }
    counts
}

struct Counted(HashMap<(&'static str, YearMonth), u64>);

impl Counted {
    fn name(name: &str) -> &'static str {
        const NAMES: [&str; 25] = [
            "all-crime",
            "victim-based-crime",
            "vap",
            "sexual-offences",
            "rape",
            "robbery",
            "burglary-residential",
            "burglary-business-community",
            "fraud",
            "violent-crime",
            "domestic-abuse",
            "hate-crime",
            "child-protection",
            "adult-protection",
            "asb",
            "all-crime-solved",
            "victim-based-crime-solved",
            "rape-charges",
            "domestic-abuse-charges",
            "domestic-abuse-solved",
            "shoplifting-charges",
            "charges",
            "adult-cautions",
            "community-resolutions",
            "shoplifting-suspects-interviewed",
        ];
        NAMES.iter().find(|known| **known == name).unwrap_or_else(|| panic!("the test does not count '{name}'"))
    }

    fn month(&self, name: &str, month: &str) -> u64 {
        self.0.get(&(Self::name(name), month.parse().unwrap())).copied().unwrap_or(0)
    }

    fn total(&self, name: &str, from: &str, to: &str) -> u64 {
        let (from, to): (YearMonth, YearMonth) = (from.parse().unwrap(), to.parse().unwrap());
        (from.index()..=to.index()).map(|index| self.month(name, &YearMonth::from_index(index).to_string())).sum()
    }

    /// Percent to 1 dp, half away from zero.
    fn rate(&self, numerator: &str, denominator: &str, from: &str, to: &str) -> f64 {
        let numerator = self.total(numerator, from, to) as f64;
        let denominator = self.total(denominator, from, to) as f64;
        (numerator * 1000.0 / denominator).round() / 10.0
    }
}

fn counted() -> &'static Counted {
    static COUNTED: std::sync::OnceLock<Counted> = std::sync::OnceLock::new();
    COUNTED.get_or_init(|| Counted(count(&seed_2024().extract)))
}

#[test]
fn every_figure_of_the_profile_file_holds() {
    let counted = counted();
    let profile: toml::Table = toml::from_str(PROFILE).unwrap();
    let mut checked = 0;
    for entry in profile["month"].as_array().unwrap() {
        let entry = entry.as_table().unwrap();
        let month = entry["month"].as_str().unwrap();
        for (name, value) in entry.iter().filter(|(name, _)| *name != "month") {
            assert_eq!(counted.month(name, month) as i64, value.as_integer().unwrap(), "{name} in {month}");
            checked += 1;
        }
    }
    for entry in profile["period"].as_array().unwrap() {
        let entry = entry.as_table().unwrap();
        let (from, to) = (entry["from"].as_str().unwrap(), entry["to"].as_str().unwrap());
        for (name, value) in entry.iter().filter(|(name, _)| *name != "from" && *name != "to") {
            assert_eq!(counted.total(name, from, to) as i64, value.as_integer().unwrap(), "{name} in {from}..{to}");
            checked += 1;
        }
    }
    for entry in profile["published"].as_array().unwrap() {
        let entry = entry.as_table().unwrap();
        let (from, to) = (entry["from"].as_str().unwrap(), entry["to"].as_str().unwrap());
        let measure = entry["measure"].as_str().unwrap();
        let (numerator, denominator) = match measure {
            "all-crime-solved-rate" => ("all-crime-solved", "all-crime"),
            "victim-based-crime-solved-rate" => ("victim-based-crime-solved", "victim-based-crime"),
            "rape-charge-rate" => ("rape-charges", "rape"),
            "domestic-abuse-charge-rate" => ("domestic-abuse-charges", "domestic-abuse"),
            "domestic-abuse-solved-rate" => ("domestic-abuse-solved", "domestic-abuse"),
            other => panic!("the test does not know rate '{other}'"),
        };
        assert_eq!(
            counted.rate(numerator, denominator, from, to),
            entry["percent"].as_float().unwrap(),
            "{measure} {from}..{to}"
        );
        checked += 1;
    }
    // 6 months × 17 figures, 4 periods' totals, 13 published rates.
    assert_eq!(checked, 6 * 17 + 8 + 7 + 4 + 4 + 13);
}

#[test]
fn the_papers_figures_hold_literally() {
    let c = counted();
    // seed 004 tables (a few cells of each kind).
    assert_eq!(c.month("all-crime", "2024-05"), 14773);
    assert_eq!(c.month("all-crime", "2023-07"), 15802);
    assert_eq!(c.month("victim-based-crime", "2024-06"), 11731);
    assert_eq!(c.month("asb", "2023-06"), 3010);
    assert_eq!(c.month("shoplifting-suspects-interviewed", "2024-06"), 438);
    assert_eq!(c.month("shoplifting-charges", "2023-05"), 286);
    assert_eq!(c.month("violent-crime", "2024-07"), 6843);
    assert_eq!(c.month("hate-crime", "2023-05"), 452);
    assert_eq!(c.month("domestic-abuse", "2024-07"), 2550);
    assert_eq!(c.month("child-protection", "2023-07"), 991);
    assert_eq!(c.total("rape", "2024-05", "2024-07"), 461);
    assert_eq!(c.total("sexual-offences", "2023-05", "2023-07"), 1665);
    assert_eq!(c.total("fraud", "2024-05", "2024-07"), 319);
    // Violent crime is VAP + sexual offences + robbery, month by month.
    for month in ["2023-05", "2023-06", "2023-07", "2024-05", "2024-06", "2024-07"] {
        let parts = c.month("vap", month) + c.month("sexual-offences", month) + c.month("robbery", month);
        assert_eq!(c.month("violent-crime", month), parts, "{month}");
    }

    // seed 004 rates, May–July 2024 vs May–July 2023.
    let (current, last_year) = (("2024-05", "2024-07"), ("2023-05", "2023-07"));
    let rate = |numerator, denominator, (from, to): (&str, &str)| c.rate(numerator, denominator, from, to);
    assert_eq!(rate("all-crime-solved", "all-crime", current), 13.6);
    assert_eq!(rate("all-crime-solved", "all-crime", last_year), 11.5);
    assert_eq!(rate("victim-based-crime-solved", "victim-based-crime", current), 11.2);
    assert_eq!(rate("victim-based-crime-solved", "victim-based-crime", last_year), 9.2);
    assert_eq!(c.total("rape-charges", current.0, current.1), 73);
    assert_eq!(c.total("rape-charges", last_year.0, last_year.1), 42);
    assert_eq!(rate("rape-charges", "rape", current), 15.8);
    assert_eq!(rate("rape-charges", "rape", last_year), 7.6);
    assert_eq!(rate("domestic-abuse-solved", "domestic-abuse", current), 9.2);
    assert_eq!(rate("domestic-abuse-solved", "domestic-abuse", last_year), 9.4);
    assert_eq!(rate("domestic-abuse-charges", "domestic-abuse", current), 7.1);

    // The paper's narrative: 68 fewer charges, more cautions and community resolutions.
    let total = |name, (from, to): (&str, &str)| c.total(name, from, to);
    assert_eq!(total("charges", last_year) - total("charges", current), 68);
    assert_eq!((total("adult-cautions", last_year), total("adult-cautions", current)), (376, 473));
    assert_eq!((total("community-resolutions", last_year), total("community-resolutions", current)), (725, 1265));

    // seed 001: financial year and rolling year to August 2022.
    assert_eq!(c.total("rape-charges", "2022-04", "2022-08"), 41);
    assert_eq!(c.rate("rape-charges", "rape", "2022-04", "2022-08"), 4.2);
    assert_eq!(c.total("rape-charges", "2021-09", "2022-08"), 97);
    assert_eq!(c.rate("rape-charges", "rape", "2021-09", "2022-08"), 4.0);
    assert_eq!(c.total("domestic-abuse-charges", "2022-04", "2022-08"), 971);
    assert_eq!(c.rate("domestic-abuse-charges", "domestic-abuse", "2022-04", "2022-08"), 6.1);
    assert_eq!(c.total("domestic-abuse-charges", "2021-09", "2022-08"), 2224);
    assert_eq!(c.rate("domestic-abuse-charges", "domestic-abuse", "2021-09", "2022-08"), 5.9);
}

#[test]
fn the_records_look_like_a_force_s() {
    let generated = seed_2024();
    let extract = &generated.extract;
    let c = counted();
    assert_eq!(extract.manifest["force"], "Kent");
    assert_eq!(extract.manifest["system"], "Athena (synthetic)");
    assert_eq!(extract.manifest["extracted_on"], "2024-08-05");
    assert_eq!(extract.covers.0.to_string(), "2021-09");
    assert_eq!(extract.covers.1.to_string(), "2024-07");
    assert_eq!(generated.summary.crimes(), extract.crimes.len() as u64);
    assert_eq!(generated.summary.outcomes(), extract.outcomes.len() as u64);
    assert_eq!(generated.summary.suspect_events(), extract.events.len() as u64);
    assert_eq!(generated.summary.asb_incidents(), extract.asb.len() as u64);

    // Every month: 12–16.5 thousand crimes, 2.3–3.7 thousand ASB incidents.
    for index in extract.covers.0.index()..=extract.covers.1.index() {
        let month = YearMonth::from_index(index).to_string();
        assert!((12_000..=16_500).contains(&c.month("all-crime", &month)), "{month}: {}", c.month("all-crime", &month));
        assert!((2_300..=3_700).contains(&c.month("asb", &month)), "{month}: {}", c.month("asb", &month));
    }
    // Shares of all crime over the whole span.
    let all = c.total("all-crime", "2021-09", "2024-07") as f64;
    let share = |name| c.total(name, "2021-09", "2024-07") as f64 / all;
    assert!((0.38..0.46).contains(&share("vap")), "vap {}", share("vap"));
    assert!((0.03..0.05).contains(&share("sexual-offences")));
    assert!((0.15..0.22).contains(&share("domestic-abuse")));

    // Cancelled and transferred records: about 1% more.
    let not_counted = extract.crimes.iter().filter(|crime| !crime.recorded).count() as f64;
    assert!((0.008..0.016).contains(&(not_counted / all)));

    // Codes spread within subgroups; all 13 districts; every subgroup; knives.
    let classification = Definitions::builtin().classification;
    let codes: HashSet<&str> = extract.crimes.iter().map(|crime| crime.code.as_str()).collect();
    assert!(codes.len() > 90, "{} codes", codes.len());
    let subgroups: HashSet<&str> =
        codes.iter().map(|code| classification.classify(code, extract.covers.1).unwrap().subgroup.as_str()).collect();
    assert_eq!(subgroups.len(), classification.subgroups.len());
    let districts: HashSet<&str> = extract.crimes.iter().map(|crime| crime.district.as_str()).collect();
    assert_eq!(districts.len(), 13);
    assert!(extract.crimes.iter().any(|crime| crime.knife));

    // Hate crime also on crimes against society (public order), with several strands at times.
    let hate_against_society = extract.crimes.iter().filter(|crime| {
        !crime.hate_crime.is_empty()
            && classification.classify(&crime.code, month_of(&crime.date)).unwrap().category
                == "other-crimes-against-society"
    });
    assert!(hate_against_society.count() > 1000);
    assert!(extract.crimes.iter().any(|crime| crime.hate_crime.contains(';')));

    // Outcomes arrive over later months; some crimes get two (18, later 1).
    let recorded: HashMap<&str, &str> =
        extract.crimes.iter().map(|crime| (crime.reference.as_str(), crime.date.as_str())).collect();
    let mut lags: BTreeMap<i32, u64> = BTreeMap::new();
    let mut by_crime: HashMap<&str, Vec<(&str, u8)>> = HashMap::new();
    for outcome in &extract.outcomes {
        let lag = month_of(&outcome.date).index() - month_of(recorded[outcome.reference.as_str()]).index();
        *lags.entry(lag.min(7)).or_default() += 1;
        by_crime.entry(outcome.reference.as_str()).or_default().push((outcome.date.as_str(), outcome.outcome));
    }
    assert!(lags.len() == 8 && lags[&7] > 10_000, "{lags:?}");
    let reopened = by_crime.values().filter(|outcomes| {
        let mut outcomes = (*outcomes).clone();
        outcomes.sort();
        outcomes.len() == 2 && outcomes[0].1 == 18 && outcomes[1].1 == 1
    });
    assert!(reopened.count() > 100);
    let types: HashSet<u8> = extract.outcomes.iter().map(|outcome| outcome.outcome).collect();
    for outcome in [1, 2, 3, 8, 14, 15, 16, 18, 20, 21, 22] {
        assert!(types.contains(&outcome), "no outcome {outcome}");
    }
    // Arrests and interviews on many crimes.
    let with_activity: HashSet<&str> = extract.events.iter().map(|event| event.reference.as_str()).collect();
    assert!(with_activity.len() as f64 > all * 0.15);
    assert!(extract.events.iter().any(|event| event.event == "arrest"));
}
