//! Police and Crime Plans: priorities and the measures each is judged by.
//! A measure is a count of records matching a filter, or a rate of two counts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::returns::RawReturnsTable;
use super::{Classification, OutcomeFramework, ReturnDefinitions, ReturnsTable};
use crate::Error;
use crate::flags::Flags;

/// Where a count's records come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Recorded crimes (force extract), counted in the month recorded.
    Crimes,
    /// Outcomes (force extract), counted in the month assigned.
    Outcomes,
    /// Suspect arrests and interviews (force extract), counted in the month they happened.
    SuspectEvents,
    /// Anti-social behaviour incidents (force extract), counted in the month reported.
    Asb,
    /// data.police.uk street-level rows, counted in their published month.
    PoliceUk,
    /// data.police.uk outcomes rows, counted in the month of the outcome.
    PoliceUkOutcomes,
}

impl Source {
    pub const ALL: [Source; 6] =
        [Self::Crimes, Self::Outcomes, Self::SuspectEvents, Self::Asb, Self::PoliceUk, Self::PoliceUkOutcomes];

    pub fn name(self) -> &'static str {
        match self {
            Self::Crimes => "crimes",
            Self::Outcomes => "outcomes",
            Self::SuspectEvents => "suspect-events",
            Self::Asb => "asb",
            Self::PoliceUk => "police-uk",
            Self::PoliceUkOutcomes => "police-uk-outcomes",
        }
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Source> {
        Self::ALL.into_iter().find(|source| source.code() == code)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A suspect activity event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuspectEvent {
    Arrest = 1,
    VoluntaryInterview = 2,
    Interview = 3,
}

impl SuspectEvent {
    pub const ALL: [SuspectEvent; 3] = [Self::Arrest, Self::VoluntaryInterview, Self::Interview];

    pub fn name(self) -> &'static str {
        match self {
            Self::Arrest => "arrest",
            Self::VoluntaryInterview => "voluntary-interview",
            Self::Interview => "interview",
        }
    }
}

impl FromStr for SuspectEvent {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|event| event.name() == text).ok_or_else(|| {
            Error::parse(format!("'{text}' is not an event (expected arrest, voluntary-interview or interview)"))
        })
    }
}

/// An anti-social behaviour category (National Standard for Incident Recording).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsbType {
    Personal = 1,
    Nuisance = 2,
    Environmental = 3,
}

impl AsbType {
    pub const ALL: [AsbType; 3] = [Self::Personal, Self::Nuisance, Self::Environmental];

    pub fn name(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Nuisance => "nuisance",
            Self::Environmental => "environmental",
        }
    }
}

impl FromStr for AsbType {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|kind| kind.name() == text).ok_or_else(|| {
            Error::parse(format!("'{text}' is not an ASB type (expected personal, nuisance or environmental)"))
        })
    }
}

/// Which records a count takes. Empty lists mean "no restriction".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub categories: Vec<String>,
    pub groups: Vec<String>,
    pub subgroups: Vec<String>,
    pub codes: Vec<String>,
    /// Every one of these flags.
    pub flags: Flags,
    /// At least one of these flags (empty: no restriction).
    pub any_flags: Flags,
    /// The outcome set named in the plan, for display.
    pub outcome_set: Option<String>,
    /// Outcome types counted (from the set or listed).
    pub outcome_types: Vec<u8>,
    pub events: Vec<SuspectEvent>,
    pub asb_types: Vec<AsbType>,
    pub crime_types: Vec<String>,
}

impl Filter {
    /// Whether the filter restricts the offence classification at all.
    pub fn restricts_offences(&self) -> bool {
        !(self.categories.is_empty() && self.groups.is_empty() && self.subgroups.is_empty() && self.codes.is_empty())
    }
}

/// A count: a source and a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountSpec {
    pub source: Source,
    pub filter: Filter,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureKind {
    Count(CountSpec),
    /// Numerator count over the count of another measure of the plan.
    Rate {
        numerator: CountSpec,
        denominator: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: String,
    pub priority: String,
    pub title: String,
    /// The column heading in a paper's table ("Recorded Crime", "Charges").
    pub unit: String,
    /// What one counted thing is called in a sentence ("offences", "incidents").
    pub noun: String,
    pub note: String,
    /// Counts of this measure are disclosure-controlled on public outputs.
    pub sensitive: bool,
    pub kind: MeasureKind,
}

impl Measure {
    pub fn is_rate(&self) -> bool {
        matches!(self.kind, MeasureKind::Rate { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub version: String,
    pub owner: String,
    pub priorities: Vec<Priority>,
    /// In plan order.
    pub measures: Vec<Measure>,
    /// Tables of the force's returns, in plan order (shown after a priority's measures).
    pub returns_tables: Vec<ReturnsTable>,
}

impl Plan {
    pub fn measure(&self, id: &str) -> Result<&Measure, Error> {
        self.measures.iter().find(|measure| measure.id == id).ok_or_else(|| {
            Error::not_found(format!(
                "plan '{}' has no measure '{id}' (see `scrutiny plans --plan {}`)",
                self.id, self.id
            ))
        })
    }

    pub fn priority(&self, id: &str) -> Option<&Priority> {
        self.priorities.iter().find(|priority| priority.id == id)
    }

    /// The count a rate divides by, or the measure's own count.
    pub fn denominator_of(&self, measure: &Measure) -> Option<&CountSpec> {
        match &measure.kind {
            MeasureKind::Rate { denominator, .. } => match &self.measure(denominator).ok()?.kind {
                MeasureKind::Count(spec) => Some(spec),
                MeasureKind::Rate { .. } => None,
            },
            MeasureKind::Count(_) => None,
        }
    }

    pub fn parse(
        text: &str,
        classification: &Classification,
        outcomes: &OutcomeFramework,
        returns: &ReturnDefinitions,
    ) -> Result<Plan, Error> {
        let raw: RawPlan = toml::from_str(text).map_err(|error| Error::definition(error.to_string()))?;
        let mut measures: Vec<Measure> = Vec::new();
        for raw_measure in &raw.measure {
            let context = |error: Error| Error::definition(format!("measure '{}': {error}", raw_measure.id));
            if measures.iter().any(|measure| measure.id == raw_measure.id) {
                return Err(Error::definition(format!("measure id '{}' is used twice", raw_measure.id)));
            }
            if !raw.priority.iter().any(|priority| priority.id == raw_measure.priority) {
                return Err(context(Error::definition(format!("unknown priority '{}'", raw_measure.priority))));
            }
            let kind = match raw_measure.kind.as_deref().unwrap_or("count") {
                "count" => {
                    let source = raw_measure
                        .filter
                        .source
                        .ok_or_else(|| context(Error::definition("a count needs a source")))?;
                    MeasureKind::Count(raw_measure.filter.compile(source, classification, outcomes).map_err(context)?)
                }
                "rate" => {
                    let numerator = raw_measure
                        .numerator
                        .as_ref()
                        .ok_or_else(|| context(Error::definition("a rate needs a numerator")))?;
                    let source =
                        numerator.source.ok_or_else(|| context(Error::definition("the numerator needs a source")))?;
                    let denominator = raw_measure
                        .denominator
                        .clone()
                        .ok_or_else(|| context(Error::definition("a rate needs a denominator measure")))?;
                    MeasureKind::Rate {
                        numerator: numerator.compile(source, classification, outcomes).map_err(context)?,
                        denominator,
                    }
                }
                other => {
                    return Err(context(Error::definition(format!("unknown kind '{other}' (count or rate)"))));
                }
            };
            measures.push(Measure {
                id: raw_measure.id.clone(),
                priority: raw_measure.priority.clone(),
                title: raw_measure.title.clone(),
                unit: raw_measure.unit.clone().unwrap_or_else(|| "Rate".to_string()),
                noun: raw_measure.noun.clone().unwrap_or_else(|| "records".to_string()),
                note: raw_measure.note.clone().unwrap_or_default(),
                sensitive: raw_measure.sensitive,
                kind,
            });
        }
        let mut returns_tables: Vec<ReturnsTable> = Vec::new();
        for table in raw.returns_table {
            if !raw.priority.iter().any(|priority| priority.id == table.priority()) {
                return Err(Error::definition(format!("returns table: unknown priority '{}'", table.priority())));
            }
            let table = table.compile(returns)?;
            if returns_tables.iter().any(|other| other.id == table.id) {
                return Err(Error::definition(format!("returns table id '{}' is used twice", table.id)));
            }
            returns_tables.push(table);
        }
        let plan = Plan {
            id: raw.id,
            title: raw.title,
            version: raw.version,
            owner: raw.owner,
            priorities: raw
                .priority
                .into_iter()
                .map(|priority| Priority { id: priority.id, title: priority.title })
                .collect(),
            measures,
            returns_tables,
        };
        for measure in &plan.measures {
            if let MeasureKind::Rate { denominator, .. } = &measure.kind {
                let target = plan.measure(denominator).map_err(|_| {
                    Error::definition(format!(
                        "measure '{}': denominator '{denominator}' is not a measure of the plan",
                        measure.id
                    ))
                })?;
                if target.is_rate() {
                    return Err(Error::definition(format!(
                        "measure '{}': denominator '{denominator}' is a rate, not a count",
                        measure.id
                    )));
                }
            }
        }
        Ok(plan)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    id: String,
    title: String,
    version: String,
    owner: String,
    priority: Vec<RawPriority>,
    #[serde(default)]
    measure: Vec<RawMeasure>,
    #[serde(default)]
    returns_table: Vec<RawReturnsTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriority {
    id: String,
    title: String,
}

#[derive(Deserialize)]
struct RawMeasure {
    id: String,
    priority: String,
    title: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    noun: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    numerator: Option<RawFilter>,
    #[serde(default)]
    denominator: Option<String>,
    #[serde(flatten)]
    filter: RawFilter,
}

#[derive(Deserialize, Default)]
struct RawFilter {
    #[serde(default)]
    source: Option<Source>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    subgroups: Vec<String>,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    any_flags: Vec<String>,
    #[serde(default)]
    outcome_set: Option<String>,
    #[serde(default)]
    outcome_types: Vec<u8>,
    #[serde(default)]
    events: Vec<SuspectEvent>,
    #[serde(default)]
    asb_types: Vec<AsbType>,
    #[serde(default)]
    crime_types: Vec<String>,
    /// Keys nobody asked for: refused, so that a typo never widens a count.
    #[serde(flatten)]
    unknown: std::collections::BTreeMap<String, toml::Value>,
}

impl RawFilter {
    fn compile(
        &self,
        source: Source,
        classification: &Classification,
        outcomes: &OutcomeFramework,
    ) -> Result<CountSpec, Error> {
        if let Some(key) = self.unknown.keys().next() {
            return Err(Error::definition(format!("unknown key '{key}'")));
        }
        for (expected, ids) in [("category", &self.categories), ("group", &self.groups), ("subgroup", &self.subgroups)]
        {
            for id in ids {
                match classification.level_kind(id) {
                    Some(kind) if kind == expected => {}
                    Some(kind) => {
                        return Err(Error::definition(format!("'{id}' is a {kind}, not a {expected}")));
                    }
                    None => return Err(Error::definition(format!("unknown {expected} '{id}'"))),
                }
            }
        }
        for code in &self.codes {
            if !classification.versions.iter().any(|version| version.offence(code).is_some()) {
                return Err(Error::definition(format!("unknown offence code '{code}'")));
            }
        }
        let mut flags = Flags::default();
        for name in &self.flags {
            flags |= Flags::by_name(name)?;
        }
        let mut any_flags = Flags::default();
        for name in &self.any_flags {
            any_flags |= Flags::by_name(name)?;
        }
        let mut outcome_types = self.outcome_types.clone();
        if let Some(set) = &self.outcome_set {
            outcome_types.extend(outcomes.set(set)?.types.iter().copied());
        }
        for code in &outcome_types {
            if outcomes.outcome_type(*code).is_none() {
                return Err(Error::definition(format!("unknown outcome type {code}")));
            }
        }
        outcome_types.sort_unstable();
        outcome_types.dedup();
        let offence_filter = !(self.categories.is_empty()
            && self.groups.is_empty()
            && self.subgroups.is_empty()
            && self.codes.is_empty());
        let crime_linked = matches!(source, Source::Crimes | Source::Outcomes | Source::SuspectEvents);
        if (offence_filter || !flags.is_empty() || !any_flags.is_empty()) && !crime_linked {
            return Err(Error::definition(format!("offence and flag filters do not apply to source {source}")));
        }
        if !outcome_types.is_empty() && source != Source::Outcomes {
            return Err(Error::definition(format!("outcome filters apply only to source outcomes, not {source}")));
        }
        if source == Source::Outcomes && outcome_types.is_empty() {
            return Err(Error::definition("a count of outcomes needs outcome_set or outcome_types"));
        }
        if !self.events.is_empty() && source != Source::SuspectEvents {
            return Err(Error::definition(format!("events apply only to source suspect-events, not {source}")));
        }
        if !self.asb_types.is_empty() && source != Source::Asb {
            return Err(Error::definition(format!("asb_types apply only to source asb, not {source}")));
        }
        if !self.crime_types.is_empty() && !matches!(source, Source::PoliceUk | Source::PoliceUkOutcomes) {
            return Err(Error::definition(format!("crime_types apply only to source police-uk, not {source}")));
        }
        Ok(CountSpec {
            source,
            filter: Filter {
                categories: self.categories.clone(),
                groups: self.groups.clone(),
                subgroups: self.subgroups.clone(),
                codes: self.codes.clone(),
                flags,
                any_flags,
                outcome_set: self.outcome_set.clone(),
                outcome_types,
                events: self.events.clone(),
                asb_types: self.asb_types.clone(),
                crime_types: self.crime_types.clone(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::definitions::Definitions;

    fn parse(text: &str) -> Result<(), crate::Error> {
        let builtin = Definitions::builtin();
        super::Plan::parse(text, &builtin.classification, &builtin.outcomes, &builtin.returns).map(|_| ())
    }

    const HEAD: &str =
        "id = \"p\"\ntitle = \"P\"\nversion = \"1\"\nowner = \"O\"\n[[priority]]\nid = \"one\"\ntitle = \"One\"\n";

    #[test]
    fn bad_plans_are_refused_with_the_reason() {
        let unknown_group = format!(
            "{HEAD}[[measure]]\nid = \"m\"\npriority = \"one\"\ntitle = \"M\"\nsource = \"crimes\"\ngroups = [\"burglary\"]\n"
        );
        assert!(parse(&unknown_group).unwrap_err().message().contains("unknown group 'burglary'"));
        let wrong_level = format!(
            "{HEAD}[[measure]]\nid = \"m\"\npriority = \"one\"\ntitle = \"M\"\nsource = \"crimes\"\ngroups = [\"rape\"]\n"
        );
        assert!(parse(&wrong_level).unwrap_err().message().contains("'rape' is a subgroup, not a group"));
        let rate_of_rate = format!(
            "{HEAD}[[measure]]\nid = \"a\"\npriority = \"one\"\ntitle = \"A\"\nkind = \"rate\"\nnumerator = {{ source = \"outcomes\", outcome_set = \"charge\" }}\ndenominator = \"a\"\n"
        );
        assert!(parse(&rate_of_rate).unwrap_err().message().contains("is a rate, not a count"));
        let outcome_without_set =
            format!("{HEAD}[[measure]]\nid = \"m\"\npriority = \"one\"\ntitle = \"M\"\nsource = \"outcomes\"\n");
        assert!(parse(&outcome_without_set).unwrap_err().message().contains("needs outcome_set"));
        let typo = format!(
            "{HEAD}[[measure]]\nid = \"m\"\npriority = \"one\"\ntitle = \"M\"\nsource = \"crimes\"\ngroup = [\"robbery\"]\n"
        );
        assert!(parse(&typo).is_err(), "an unknown key is refused, not ignored");
    }
}
