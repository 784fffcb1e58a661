//! Definitions as data: the offence classification, the outcomes framework
//! and the plans, parsed from the TOML files in `definitions/` and validated.
//! The files shipped with Scrutiny are compiled in ([`Definitions::builtin`]);
//! an office can load its own with [`Definitions::from_sources`].

mod classification;
mod districts;
mod outcomes;
mod plan;
mod returns;

pub use classification::{Classification, ClassificationVersion, Level, Offence};
pub use districts::{Districts, ForceDistricts};
pub use outcomes::{OutcomeFramework, OutcomeSet, OutcomeType};
pub use plan::{AsbType, CountSpec, Filter, Measure, MeasureKind, Plan, Priority, Source, SuspectEvent};
pub use returns::{CallRow, Channel, Layout, ReturnDefinitions, ReturnMeasure, ReturnsTable, TableContent, ValueKind};

use crate::Error;

/// Everything Scrutiny needs to turn records into figures.
#[derive(Debug, Clone)]
pub struct Definitions {
    pub classification: Classification,
    pub outcomes: OutcomeFramework,
    pub districts: Districts,
    /// The measures of returns and the call channels (`returns.toml`).
    pub returns: ReturnDefinitions,
    pub plans: Vec<Plan>,
}

/// The definition files shipped with Scrutiny: (file name, contents).
pub const BUILTIN_CLASSIFICATION: &str = include_str!("../../../../definitions/hocr.toml");
pub const BUILTIN_OUTCOMES: &str = include_str!("../../../../definitions/outcomes.toml");
pub const BUILTIN_DISTRICTS: &str = include_str!("../../../../definitions/districts.toml");
pub const BUILTIN_RETURNS: &str = include_str!("../../../../definitions/returns.toml");
pub const BUILTIN_PLANS: [(&str, &str); 3] = [
    ("making-kent-safer.toml", include_str!("../../../../definitions/plans/making-kent-safer.toml")),
    ("safer-in-kent.toml", include_str!("../../../../definitions/plans/safer-in-kent.toml")),
    ("police-uk.toml", include_str!("../../../../definitions/plans/police-uk.toml")),
];

impl Definitions {
    /// The definitions shipped with Scrutiny.
    pub fn builtin() -> Definitions {
        let plans: Vec<(&str, &str)> = BUILTIN_PLANS.to_vec();
        Self::from_sources(BUILTIN_CLASSIFICATION, BUILTIN_OUTCOMES, BUILTIN_DISTRICTS, BUILTIN_RETURNS, &plans)
            .expect("the built-in definitions are valid (checked by tests)")
    }

    /// Parses and cross-checks definition files given as text.
    pub fn from_sources(
        classification: &str,
        outcomes: &str,
        districts: &str,
        returns: &str,
        plans: &[(&str, &str)],
    ) -> Result<Definitions, Error> {
        let classification =
            Classification::parse(classification).map_err(|error| Error::definition(format!("hocr.toml: {error}")))?;
        let outcomes =
            OutcomeFramework::parse(outcomes).map_err(|error| Error::definition(format!("outcomes.toml: {error}")))?;
        let districts =
            Districts::parse(districts).map_err(|error| Error::definition(format!("districts.toml: {error}")))?;
        let returns =
            ReturnDefinitions::parse(returns).map_err(|error| Error::definition(format!("returns.toml: {error}")))?;
        let mut parsed = Vec::new();
        for (name, text) in plans {
            let plan = Plan::parse(text, &classification, &outcomes, &returns)
                .map_err(|error| Error::definition(format!("{name}: {error}")))?;
            if parsed.iter().any(|other: &Plan| other.id == plan.id) {
                return Err(Error::definition(format!("{name}: plan id '{}' is used twice", plan.id)));
            }
            parsed.push(plan);
        }
        Ok(Definitions { classification, outcomes, districts, returns, plans: parsed })
    }

    pub fn plan(&self, id: &str) -> Result<&Plan, Error> {
        self.plans.iter().find(|plan| plan.id == id).ok_or_else(|| {
            let known: Vec<&str> = self.plans.iter().map(|plan| plan.id.as_str()).collect();
            Error::not_found(format!("no plan '{id}' (plans: {})", known.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_definitions_are_valid() {
        let definitions = Definitions::builtin();
        assert_eq!(definitions.plan("making-kent-safer").unwrap().priorities.len(), 7);
        assert_eq!(definitions.plan("safer-in-kent").unwrap().priorities.len(), 6);
        let police_uk = definitions.plan("police-uk").unwrap();
        assert_eq!(police_uk.measures.len(), 15);
        assert!(police_uk.measure("violence-and-sexual-offences").is_ok());
        assert!(definitions.plan("nope").is_err());
    }

    #[test]
    fn making_kent_safer_has_the_measures_the_paper_reports() {
        let definitions = Definitions::builtin();
        let plan = definitions.plan("making-kent-safer").unwrap();
        for id in [
            "all-crime",
            "victim-based-crime",
            "asb",
            "burglary-business-community",
            "shoplifting-suspects-interviewed",
            "shoplifting-charges",
            "burglary-residential",
            "violent-crime",
            "robbery",
            "hate-crime",
            "rape",
            "sexual-offences",
            "domestic-abuse",
            "adult-protection",
            "vap",
            "fraud",
            "child-protection",
            "all-crime-solved-rate",
            "victim-based-crime-solved-rate",
            "rape-charge-rate",
            "domestic-abuse-charge-rate",
            "domestic-abuse-solved-rate",
        ] {
            assert!(plan.measure(id).is_ok(), "missing {id}");
        }
    }
}
