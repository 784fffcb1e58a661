//! The `survey-2019` profile: a deterministic respondent file of the PCC's
//! Annual Policing Survey 2019 (one row per respondent, as the survey
//! platform exports it), its survey definition, and the force's victim
//! satisfaction returns (one row per victim and stage), whose analysis gives
//! the published figures in `profiles/survey-2019.toml`.
//!
//! Respondents get demographics first (so that the willingness-to-pay
//! splits by group hold exactly), then safety scores drawn around their
//! groups' means and nudged one point at a time until every group mean is the
//! published one to 2 dp, then multi-select answers drawn with each group's
//! leanings and swapped until each option's total is the published one, and
//! free text from phrase lists, a few of them carrying personal details for
//! the redaction to remove.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use scrutiny_core::survey::definition::{PostcodeAreas, Survey};
use scrutiny_core::survey::victim::VictimSatisfaction;

use crate::random::{Random, Weighted};
use crate::{Error, FileSummary};

/// The profile's name on the command line.
pub const PROFILE: &str = "survey-2019";
const TARGETS: &str = include_str!("../profiles/survey-2019.toml");
const TARGETS_FILE: &str = "profiles/survey-2019.toml";
/// The survey definition written beside the respondent file.
pub const DEFINITION: &str = include_str!("../../../definitions/surveys/annual-policing-survey-2019.toml");

/// The files the profile writes, in `out`.
pub const RESPONSES_FILE: &str = "responses.csv";
pub const DEFINITION_FILE: &str = "survey-definition.toml";
pub const VICTIMS_FILE: &str = "victim-satisfaction.csv";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Targets {
    seed: u64,
    responses: usize,
    q1: BTreeMap<String, f64>,
    q2: YesCount,
    q3: Q3,
    q4: MultiTargets,
    q5: MultiTargets,
    q6: Q6,
    q6_not_answered: BTreeMap<String, usize>,
    comments: BTreeMap<String, usize>,
    victims: Vec<VictimBlock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YesCount {
    yes: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Q3 {
    answered: usize,
    mean: f64,
    comments: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MultiTargets {
    answered: usize,
    counts: Vec<usize>,
}

#[derive(Debug, Deserialize)]
struct Q6 {
    yes: usize,
    no: usize,
    #[serde(flatten)]
    groups: BTreeMap<String, [usize; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimBlock {
    survey: String,
    year: i32,
    stages: Vec<VictimStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimStage {
    stage: String,
    satisfied: usize,
    total: usize,
    #[serde(default)]
    partly: usize,
}

/// What the profile wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveySummary {
    pub respondents: u64,
    pub victim_responses: u64,
    pub files: Vec<FileSummary>,
}

const AREAS: [&str; 3] = ["urban", "rural", "coastal"];
const AGES: [&str; 3] = ["age_35_and_under", "age_36_to_65", "age_66_and_over"];
const ETHNICITIES: [&str; 2] = ["white", "other_ethnicity"];

/// One synthetic respondent before it is written.
#[derive(Debug, Clone, Default)]
struct Person {
    q6: Option<bool>,
    area: Option<usize>,
    age: Option<usize>,
    ethnicity: Option<usize>,
    victim: bool,
    q1: u32,
    q3: Option<u32>,
    q4: Vec<usize>,
    q5: Vec<usize>,
}

impl Person {
    /// The Q1 groups this person is in: 0 all, 1–3 area, 4–6 age, 7–8 ethnicity, 9 victims.
    fn groups(&self) -> Vec<usize> {
        let mut groups = vec![0];
        groups.extend(self.area.map(|area| 1 + area));
        groups.extend(self.age.map(|age| 4 + age));
        groups.extend(self.ethnicity.map(|ethnicity| 7 + ethnicity));
        if self.victim {
            groups.push(9);
        }
        groups
    }
}

fn profile_error(message: impl Into<String>) -> Error {
    Error::profile(TARGETS_FILE, message)
}

fn target(map: &BTreeMap<String, f64>, key: &str) -> Result<f64, Error> {
    map.get(key).copied().ok_or_else(|| profile_error(format!("q1: no mean for '{key}'")))
}

/// A whole-number total of `n` scores whose mean rounds to `mean` at 2 dp.
fn target_sum(mean: f64, n: usize) -> Result<i64, Error> {
    let centre = (mean * n as f64).round() as i64;
    for offset in [0, -1, 1, -2, 2, -3, 3] {
        let sum = centre + offset;
        if format!("{:.2}", sum as f64 / n as f64) == format!("{mean:.2}") {
            return Ok(sum);
        }
    }
    Err(profile_error(format!("no total of {n} whole scores has mean {mean:.2}")))
}

fn normal(random: &mut Random) -> f64 {
    let u1 = random.unit().max(1e-12);
    let u2 = random.unit();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn score_around(random: &mut Random, mean: f64, spread: f64) -> u32 {
    (mean + spread * normal(random)).round().clamp(1.0, 10.0) as u32
}

/// Gives every person of each Q6 stratum (yes, no, not answered) a category
/// of one demographic, with the stratum's counts exactly; the rest none.
fn assign(random: &mut Random, people: &mut [Person], counts: &[[usize; 3]], set: impl Fn(&mut Person, Option<usize>)) {
    let strata = [Some(true), Some(false), None];
    for (stratum, answer) in strata.iter().enumerate() {
        let members: Vec<usize> = (0..people.len()).filter(|index| people[*index].q6 == *answer).collect();
        let mut categories: Vec<Option<usize>> = Vec::with_capacity(members.len());
        for (category, count) in counts.iter().enumerate() {
            categories.extend(std::iter::repeat_n(Some(category), count[stratum]));
        }
        categories.resize(members.len(), None);
        random.shuffle(&mut categories);
        for (member, category) in members.iter().zip(categories) {
            set(&mut people[*member], category);
        }
    }
}

/// Draws `k` distinct options by weight.
fn draw_options(random: &mut Random, weights: &[f64], k: usize) -> Vec<usize> {
    let mut remaining: Vec<f64> = weights.to_vec();
    let mut chosen = Vec::with_capacity(k);
    for _ in 0..k.min(weights.len()) {
        let Some(weighted) = Weighted::new(remaining.iter().copied()) else { break };
        let pick = weighted.pick(random);
        chosen.push(pick);
        remaining[pick] = 0.0;
    }
    chosen.sort_unstable();
    chosen
}

/// Multi-select answers for everyone: `answered` of them choose between 1
/// and `max` options (most the maximum), drawn with `leaning`, then options
/// are swapped between people until each option's total is its target.
fn multi_select(
    random: &mut Random,
    people: &[Person],
    targets: &MultiTargets,
    max: usize,
    leaning: impl Fn(&Person, usize) -> f64,
    question: &str,
) -> Result<Vec<Vec<usize>>, Error> {
    let total: usize = targets.counts.iter().sum();
    if targets.answered > people.len() || total > targets.answered * max || total < targets.answered {
        return Err(profile_error(format!(
            "{question}: {total} selections cannot be made by {} respondents",
            targets.answered
        )));
    }
    let mut order: Vec<usize> = (0..people.len()).collect();
    random.sample_to_front(&mut order, targets.answered);
    let answering = &order[..targets.answered];
    let mut sizes = vec![max; answering.len()];
    let mut deficit = targets.answered * max - total;
    while deficit > 0 {
        let slot = random.below(sizes.len());
        if sizes[slot] > 1 && (sizes[slot] == max || random.chance(0.25)) {
            sizes[slot] -= 1;
            deficit -= 1;
        }
    }
    let base: Vec<f64> = targets.counts.iter().map(|count| *count as f64).collect();
    let mut answers = vec![Vec::new(); people.len()];
    for (person, size) in answering.iter().zip(&sizes) {
        let weights: Vec<f64> =
            base.iter().enumerate().map(|(option, weight)| weight * leaning(&people[*person], option)).collect();
        answers[*person] = draw_options(random, &weights, *size);
    }
    let mut counts = vec![0usize; base.len()];
    for answer in &answers {
        for option in answer {
            counts[*option] += 1;
        }
    }
    let mut guard = 0;
    while let Some(over) = (0..counts.len()).find(|option| counts[*option] > targets.counts[*option]) {
        let under = (0..counts.len()).find(|option| counts[*option] < targets.counts[*option]).expect("totals balance");
        let start = random.below(answering.len());
        let found = (0..answering.len())
            .map(|step| answering[(start + step) % answering.len()])
            .find(|person| answers[*person].contains(&over) && !answers[*person].contains(&under));
        let Some(person) = found else {
            return Err(Error::internal(format!("{question}: no respondent to move option {over} to {under}")));
        };
        let answer = &mut answers[person];
        answer.retain(|option| *option != over);
        answer.push(under);
        answer.sort_unstable();
        counts[over] -= 1;
        counts[under] += 1;
        guard += 1;
        if guard > 1_000_000 {
            return Err(Error::internal(format!("{question}: option totals did not settle")));
        }
    }
    Ok(answers)
}

/// Nudges Q1 scores by one point at a time until each group's total is its target.
fn settle_scores(random: &mut Random, people: &mut [Person], targets: &[i64]) -> Result<(), Error> {
    let memberships: Vec<Vec<usize>> = people.iter().map(Person::groups).collect();
    let mut errors = vec![0i64; targets.len()];
    for (person, groups) in people.iter().zip(&memberships) {
        for group in groups {
            errors[*group] += i64::from(person.q1);
        }
    }
    for (error, target) in errors.iter_mut().zip(targets) {
        *error -= target;
    }
    for pass in 0..2_000 {
        if errors.iter().all(|error| *error == 0) {
            return Ok(());
        }
        let lateral = pass % 3 == 2;
        for _ in 0..people.len() {
            let person = random.below(people.len());
            let groups = &memberships[person];
            for delta in [1i64, -1] {
                let score = i64::from(people[person].q1) + delta;
                if !(1..=10).contains(&score) {
                    continue;
                }
                let gain: i64 = groups.iter().map(|group| errors[*group].abs() - (errors[*group] + delta).abs()).sum();
                if gain > 0 || (lateral && gain == 0 && random.chance(0.05)) {
                    people[person].q1 = score as u32;
                    for group in groups {
                        errors[*group] += delta;
                    }
                    break;
                }
            }
        }
        // Pairs: one person up a point, another down, so that only the
        // groups they do not share move.
        for _ in 0..people.len() {
            let (up, down) = (random.below(people.len()), random.below(people.len()));
            if up == down || people[up].q1 >= 10 || people[down].q1 <= 1 {
                continue;
            }
            let mut net = vec![0i64; errors.len()];
            for group in &memberships[up] {
                net[*group] += 1;
            }
            for group in &memberships[down] {
                net[*group] -= 1;
            }
            let gain: i64 = net
                .iter()
                .zip(&errors)
                .filter(|(delta, _)| **delta != 0)
                .map(|(delta, error)| error.abs() - (error + delta).abs())
                .sum();
            if gain > 0 {
                people[up].q1 += 1;
                people[down].q1 -= 1;
                for (error, delta) in errors.iter_mut().zip(&net) {
                    *error += delta;
                }
            }
        }
    }
    Err(Error::internal("the survey-2019 safety scores did not settle on their group means"))
}

const WELL: [&str; 16] = [
    "Quick to respond to 999 calls.",
    "Being open about what they do.",
    "Plenty of patrol cars on the main roads.",
    "Tackling serious and organised crime.",
    "Looking after vulnerable people in a crisis.",
    "Dealing with road accidents.",
    "Honest and approachable officers.",
    "Policing the summer festivals and events.",
    "Supporting victims of domestic abuse.",
    "Keeping the county safe overall.",
    "Catching drink drivers.",
    "The cadets scheme.",
    "Engaging with the public on social media.",
    "Keeping the motorways moving.",
    "Talking to people one to one.",
    "Responding to emergencies.",
];

const BETTER: [&str; 16] = [
    "More officers on the street.",
    "Community engagement in the villages.",
    "Response times to non-emergency calls.",
    "Explain to victims why a crime will not be taken further.",
    "Be seen more often in the town centre.",
    "Investigate crimes more quickly.",
    "Patrol the hotspots for drug dealing and anti-social behaviour.",
    "Follow up reports of burglary.",
    "Deal with anti-social behaviour on the estates.",
    "Visible presence at night.",
    "Target speeding on residential roads.",
    "Arrest more offenders.",
    "Have enough officers to answer 101 quickly.",
    "Youth behaviour in the parks.",
    "Easier contact by phone and e-mail.",
    "Police presence near the harbour in the evenings.",
];

const SATISFACTION: [[&str; 4]; 3] = [
    [
        "Nobody came and no action was taken.",
        "I was given a crime number and never heard again.",
        "The investigation was not coordinated.",
        "It took ages to get through on 101.",
    ],
    [
        "Officers were helpful but the call handler was not.",
        "Took a while but they did follow up.",
        "My concerns were listened to in the end.",
        "Some updates but not as often as promised.",
    ],
    [
        "They did everything they could.",
        "The advice I was given was very useful.",
        "Very quick to respond, very pleased.",
        "Kept informed at every stage.",
    ],
];

/// Personal details a few respondents add, for the redaction to remove.
const DETAILS: [&str; 5] = [
    " My name is Daniel Hartley, ring me on 07700 900{n:03}.",
    " Contact me at resident{n}@example.com.",
    " I live at {n} Church Road, ME15 6XX.",
    " PC Okafor was brilliant.",
    " Please call 01622 690{n:03}.",
];

fn with_detail(random: &mut Random, text: &str) -> String {
    if !random.chance(0.015) {
        return text.to_string();
    }
    let detail = DETAILS[random.below(DETAILS.len())];
    let n = random.between(1, 999);
    let detail = detail.replace("{n:03}", &format!("{n:03}")).replace("{n}", &n.to_string());
    format!("{text}{detail}")
}

/// Writes the survey-2019 profile into `out`.
pub fn generate(out: &Path, seed: Option<u64>) -> Result<SurveySummary, Error> {
    let targets: Targets = toml::from_str(TARGETS).map_err(|error| profile_error(error.to_string()))?;
    let areas = PostcodeAreas::builtin();
    let survey = Survey::parse(DEFINITION, &areas)
        .map_err(|error| Error::internal(format!("the survey-2019 definition is invalid: {error}")))?;
    let seed = seed.unwrap_or(targets.seed);
    let mut random = Random::new(seed, 1);
    let n = targets.responses;
    let (yes, no) = (targets.q6.yes, targets.q6.no);
    if yes + no > n {
        return Err(profile_error("q6: more answers than respondents"));
    }
    let mut people = vec![Person::default(); n];
    for (index, person) in people.iter_mut().enumerate() {
        person.q6 = if index < yes {
            Some(true)
        } else if index < yes + no {
            Some(false)
        } else {
            None
        };
    }
    let counts = |ids: &[&str]| -> Result<Vec<[usize; 3]>, Error> {
        ids.iter()
            .map(|id| {
                let [in_yes, in_no] =
                    *targets.q6.groups.get(*id).ok_or_else(|| profile_error(format!("q6: no split for '{id}'")))?;
                let skipped = *targets
                    .q6_not_answered
                    .get(*id)
                    .ok_or_else(|| profile_error(format!("q6_not_answered: no count for '{id}'")))?;
                Ok([in_yes, in_no, skipped])
            })
            .collect()
    };
    assign(&mut random, &mut people, &counts(&AREAS)?, |person, value| person.area = value);
    assign(&mut random, &mut people, &counts(&AGES)?, |person, value| person.age = value);
    assign(&mut random, &mut people, &counts(&ETHNICITIES)?, |person, value| person.ethnicity = value);
    let mut order: Vec<usize> = (0..n).collect();
    random.sample_to_front(&mut order, targets.q2.yes);
    for index in &order[..targets.q2.yes] {
        people[*index].victim = true;
    }

    // Q1: draw around the groups' means, then settle every group total.
    let all = target(&targets.q1, "all")?;
    let victims = targets.q2.yes;
    let victim_mean = target(&targets.q1, "victims")?;
    let other_mean = (all * n as f64 - victim_mean * victims as f64) / (n - victims) as f64;
    let area_means: Vec<f64> = AREAS.iter().map(|id| target(&targets.q1, id)).collect::<Result<_, _>>()?;
    let age_means: Vec<f64> = AGES.iter().map(|id| target(&targets.q1, id)).collect::<Result<_, _>>()?;
    let ethnicity_means: Vec<f64> = ETHNICITIES.iter().map(|id| target(&targets.q1, id)).collect::<Result<_, _>>()?;
    for person in &mut people {
        let mut mean = all;
        mean += person.area.map_or(0.0, |area| area_means[area] - all);
        mean += person.age.map_or(0.0, |age| age_means[age] - all);
        mean += person.ethnicity.map_or(0.0, |ethnicity| ethnicity_means[ethnicity] - all);
        mean += if person.victim { victim_mean - all } else { other_mean - all };
        person.q1 = score_around(&mut random, mean.clamp(2.0, 9.0), 2.1);
    }
    let mut sizes = [0usize; 10];
    for person in &people {
        for group in person.groups() {
            sizes[group] += 1;
        }
    }
    let means: Vec<f64> = std::iter::once(all)
        .chain(area_means.iter().copied())
        .chain(age_means.iter().copied())
        .chain(ethnicity_means.iter().copied())
        .chain(std::iter::once(victim_mean))
        .collect();
    let sums: Vec<i64> =
        means.iter().zip(sizes).map(|(mean, size)| target_sum(*mean, size)).collect::<Result<_, _>>()?;
    settle_scores(&mut random, &mut people, &sums)?;

    // Q3: all victims but the odd one out, settled on the published mean.
    let victim_indices: Vec<usize> = (0..n).filter(|index| people[*index].victim).collect();
    let answering = &victim_indices[..targets.q3.answered.min(victim_indices.len())];
    for index in answering {
        people[*index].q3 = Some(score_around(&mut random, targets.q3.mean, 2.7));
    }
    let q3_target = target_sum(targets.q3.mean, answering.len())?;
    let mut q3_sum: i64 = answering.iter().map(|index| i64::from(people[*index].q3.unwrap_or(0))).sum();
    while q3_sum != q3_target {
        let index = answering[random.below(answering.len())];
        let score = people[index].q3.expect("answering");
        if q3_sum < q3_target && score < 10 {
            people[index].q3 = Some(score + 1);
            q3_sum += 1;
        } else if q3_sum > q3_target && score > 1 {
            people[index].q3 = Some(score - 1);
            q3_sum -= 1;
        }
    }

    // Q4 and Q5: each group's leanings, then exact totals.
    let q4 = multi_select(
        &mut random,
        &people,
        &targets.q4,
        6,
        |person, option| {
            let mut weight = 1.0;
            match person.age {
                Some(0) => {
                    weight *= match option {
                        13 => 1.6,
                        14 => 1.4,
                        7 => 1.3,
                        3 => 1.15,
                        0 | 1 => 0.8,
                        _ => 1.0,
                    }
                }
                Some(2) => {
                    weight *= match option {
                        13 => 0.7,
                        5 | 16 => 1.25,
                        0 => 1.1,
                        _ => 1.0,
                    }
                }
                _ => {}
            }
            if option == 11 {
                weight *= if person.area == Some(1) { 2.4 } else { 0.6 };
            }
            if person.ethnicity == Some(1) && option == 7 {
                weight *= 1.6;
            }
            weight
        },
        "q4",
    )?;
    let q5 = multi_select(
        &mut random,
        &people,
        &targets.q5,
        3,
        |person, option| match (person.age, option) {
            (Some(0), 4) => 2.6,
            (Some(0), 6) => 1.2,
            (Some(2), 2) => 1.3,
            (Some(2), 4) => 0.5,
            (Some(2), 0) => 0.8,
            _ => 1.0,
        },
        "q5",
    )?;
    for (person, (q4, q5)) in people.iter_mut().zip(q4.into_iter().zip(q5)) {
        person.q4 = q4;
        person.q5 = q5;
    }

    // Shuffle so that the file is in no particular order, then write.
    random.shuffle(&mut people);
    std::fs::create_dir_all(out).map_err(|error| Error::io(out, error))?;
    let files = vec![
        write_definition(out)?,
        write_responses(out, &survey, &areas, &targets, &people, &mut random)?,
        write_victims(out, &targets, seed)?,
    ];
    Ok(SurveySummary { respondents: n as u64, victim_responses: files[2].rows, files })
}

fn write_definition(out: &Path) -> Result<FileSummary, Error> {
    let path = out.join(DEFINITION_FILE);
    std::fs::write(&path, DEFINITION).map_err(|error| Error::io(&path, error))?;
    Ok(FileSummary { path, rows: 1 })
}

fn csv_error(path: &Path, error: csv::Error) -> Error {
    Error::io(path, std::io::Error::other(error.to_string()))
}

fn write_responses(
    out: &Path,
    survey: &Survey,
    areas: &PostcodeAreas,
    targets: &Targets,
    people: &[Person],
    random: &mut Random,
) -> Result<FileSummary, Error> {
    let path = out.join(RESPONSES_FILE);
    let columns = survey.columns();
    let column =
        |name: &str| columns.iter().position(|candidate| *candidate == name).expect("a column of the definition");
    let question_column =
        |id: &str| column(survey.question(id).and_then(|question| question.column.as_deref()).expect("a question"));
    let (q1, q2, q3, q3_comment, q5, q6, q7, q8) = (
        question_column("q1"),
        question_column("q2"),
        question_column("q3"),
        question_column("q3_comment"),
        question_column("q5"),
        question_column("q6"),
        question_column("q7"),
        question_column("q8"),
    );
    let q4 = survey.question("q4").expect("q4");
    let q4_columns: Vec<usize> =
        q4.options.iter().map(|option| column(option.column.as_deref().expect("per column"))).collect();
    let q5_labels: Vec<&str> =
        survey.question("q5").expect("q5").options.iter().map(|option| option.label.as_str()).collect();
    let demographic = |id: &str| column(&survey.demographic(id).expect("a demographic").column);
    let (district, age, gender, ethnicity, police) = (
        demographic("area"),
        demographic("age"),
        demographic("sex"),
        demographic("ethnicity"),
        demographic("works_for_police"),
    );
    let other_codes: Vec<&str> =
        survey.demographic("ethnicity").expect("ethnicity").groups[1].codes.iter().map(String::as_str).collect();
    let districts: Vec<&Vec<String>> = AREAS.iter().map(|area| &areas.areas[*area]).collect();

    // Who writes comments: the targets say how many.
    let mut q3_commenters: Vec<usize> = (0..people.len()).filter(|index| people[*index].q3.is_some()).collect();
    random.sample_to_front(&mut q3_commenters, targets.q3.comments);
    q3_commenters.truncate(targets.q3.comments);
    let mut writes_comment = |count: usize| {
        let mut chosen = vec![false; people.len()];
        let mut order: Vec<usize> = (0..people.len()).collect();
        random.sample_to_front(&mut order, count);
        for index in &order[..count.min(people.len())] {
            chosen[*index] = true;
        }
        chosen
    };
    let q7_writers = writes_comment(targets.comments.get("q7").copied().unwrap_or(0));
    let q8_writers = writes_comment(targets.comments.get("q8").copied().unwrap_or(0));
    let mut q3_writers = vec![false; people.len()];
    for index in q3_commenters {
        q3_writers[index] = true;
    }

    let mut writer = csv::Writer::from_path(&path).map_err(|error| csv_error(&path, error))?;
    writer.write_record(&columns).map_err(|error| csv_error(&path, error))?;
    let mut row = vec![String::new(); columns.len()];
    for (index, person) in people.iter().enumerate() {
        row.iter_mut().for_each(String::clear);
        row[0] = format!("{}", 11_402_000 + index * 3 + random.below(3));
        row[q1] = person.q1.to_string();
        row[q2] = if person.victim { "Yes" } else { "No" }.to_string();
        if let Some(score) = person.q3 {
            row[q3] = score.to_string();
            if q3_writers[index] {
                let band = if score <= 3 {
                    0
                } else if score <= 7 {
                    1
                } else {
                    2
                };
                let text = SATISFACTION[band][random.below(4)];
                row[q3_comment] = with_detail(random, text);
            }
        }
        for option in &person.q4 {
            row[q4_columns[*option]] = q4.options[*option].label.clone();
        }
        row[q5] = person.q5.iter().map(|option| q5_labels[*option]).collect::<Vec<_>>().join(";");
        row[q6] = match person.q6 {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "",
        }
        .to_string();
        if q7_writers[index] {
            let text = WELL[random.below(WELL.len())];
            row[q7] = with_detail(random, text);
        }
        if q8_writers[index] {
            let text = BETTER[random.below(BETTER.len())];
            row[q8] = with_detail(random, text);
        }
        if let Some(area) = person.area {
            row[district] = districts[area][random.below(districts[area].len())].clone();
        }
        if let Some(band) = person.age {
            let years = match band {
                0 => random.between(14, 35),
                1 => random.between(36, 65),
                _ => random.between(66, 92),
            };
            row[age] = years.to_string();
        }
        row[gender] = match random.below(100) {
            0..=44 => "Male",
            45..=96 => "Female",
            97 => "Other",
            98 => "Prefer not to say",
            _ => "",
        }
        .to_string();
        row[ethnicity] = match person.ethnicity {
            Some(0) => match random.below(100) {
                0..=89 => "White - British",
                90..=91 => "White - Irish",
                _ => "Any other white background",
            }
            .to_string(),
            Some(_) => other_codes[random.below(other_codes.len())].to_string(),
            None => if random.chance(0.4) { "Prefer not to say" } else { "" }.to_string(),
        };
        row[police] = match random.below(100) {
            0..=6 => "Yes",
            7..=96 => "No",
            _ => "",
        }
        .to_string();
        writer.write_record(&row).map_err(|error| csv_error(&path, error))?;
    }
    writer.flush().map_err(|error| Error::io(&path, error))?;
    Ok(FileSummary { path, rows: people.len() as u64 })
}

fn write_victims(out: &Path, targets: &Targets, seed: u64) -> Result<FileSummary, Error> {
    let definition = VictimSatisfaction::builtin();
    let path = out.join(VICTIMS_FILE);
    let mut random = Random::new(seed, 2);
    let mut writer = csv::Writer::from_path(&path).map_err(|error| csv_error(&path, error))?;
    writer
        .write_record(["survey", "reference", "date", "stage", "response"])
        .map_err(|error| csv_error(&path, error))?;
    let mut rows = 0u64;
    for block in &targets.victims {
        let survey = definition
            .survey_index(&block.survey)
            .map(|index| &definition.surveys[index])
            .ok_or_else(|| profile_error(format!("victims: no survey '{}'", block.survey)))?;
        let victims = block.stages.iter().map(|stage| stage.total).max().unwrap_or(0);
        let dates: Vec<String> = (0..victims)
            .map(|_| {
                let month = random.between(4, 12);
                let days = match month {
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                format!("{}-{month:02}-{:02}", block.year, random.between(1, days))
            })
            .collect();
        let prefix: String =
            survey.id.split('-').filter_map(|word| word.chars().next()).collect::<String>().to_uppercase();
        let mut answers_by_stage = Vec::new();
        for stage in &block.stages {
            if survey.stage_index(&stage.stage).is_none() {
                return Err(profile_error(format!("victims: survey {} has no stage '{}'", survey.id, stage.stage)));
            }
            if stage.satisfied + stage.partly > stage.total {
                return Err(profile_error(format!(
                    "victims: {} {} {}: more satisfied than answered",
                    survey.id, block.year, stage.stage
                )));
            }
            let satisfied_codes: Vec<&str> = survey
                .answers
                .iter()
                .filter(|answer| answer.counts_as == scrutiny_core::survey::victim::Counts::Satisfied)
                .map(|answer| answer.code.as_str())
                .collect();
            let other_codes: Vec<&str> = survey
                .answers
                .iter()
                .filter(|answer| answer.counts_as == scrutiny_core::survey::victim::Counts::NotSatisfied)
                .map(|answer| answer.code.as_str())
                .collect();
            let mut answers: Vec<&str> = Vec::with_capacity(stage.total);
            for _ in 0..stage.satisfied {
                answers.push(satisfied_codes[random.below(satisfied_codes.len())]);
            }
            answers.extend(std::iter::repeat_n("Partly", stage.partly));
            while answers.len() < stage.total {
                answers.push(other_codes[random.below(other_codes.len())]);
            }
            random.shuffle(&mut answers);
            answers_by_stage.push(answers);
        }
        for (victim, date) in dates.iter().enumerate().take(victims) {
            for (stage, answers) in block.stages.iter().zip(&answers_by_stage) {
                let Some(answer) = answers.get(victim) else { continue };
                writer
                    .write_record([
                        survey.id.as_str(),
                        &format!("{prefix}-{}-{:04}", block.year, victim + 1),
                        date,
                        &stage.stage,
                        answer,
                    ])
                    .map_err(|error| csv_error(&path, error))?;
                rows += 1;
            }
        }
    }
    writer.flush().map_err(|error| Error::io(&path, error))?;
    Ok(FileSummary { path, rows })
}
