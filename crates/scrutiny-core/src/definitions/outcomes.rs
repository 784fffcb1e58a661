//! The Home Office outcomes framework: outcome types 1–22 and named sets of
//! them ("charge", "solved") that rates use.

use serde::Deserialize;

use crate::Error;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeType {
    pub code: u8,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSet {
    pub id: String,
    pub title: String,
    pub types: Vec<u8>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeFramework {
    pub id: String,
    pub title: String,
    pub types: Vec<OutcomeType>,
    #[serde(rename = "set")]
    pub sets: Vec<OutcomeSet>,
}

impl OutcomeFramework {
    pub fn parse(text: &str) -> Result<OutcomeFramework, Error> {
        let framework: OutcomeFramework = toml::from_str(text).map_err(|error| Error::definition(error.to_string()))?;
        for set in &framework.sets {
            for code in &set.types {
                if framework.outcome_type(*code).is_none() {
                    return Err(Error::definition(format!("set '{}' names unknown outcome type {code}", set.id)));
                }
            }
        }
        Ok(framework)
    }

    pub fn outcome_type(&self, code: u8) -> Option<&OutcomeType> {
        self.types.iter().find(|outcome| outcome.code == code)
    }

    pub fn set(&self, id: &str) -> Result<&OutcomeSet, Error> {
        self.sets.iter().find(|set| set.id == id).ok_or_else(|| {
            let known: Vec<&str> = self.sets.iter().map(|set| set.id.as_str()).collect();
            Error::definition(format!("unknown outcome set '{id}' (known: {})", known.join(", ")))
        })
    }
}
