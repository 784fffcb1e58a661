//! The Home Office Counting Rules classification: offence code → subgroup →
//! group → category, versioned by the month each version takes effect.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::{Error, YearMonth};

/// One level of the hierarchy (a category, group or subgroup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub id: String,
    pub title: String,
    /// The id of the level above (empty for a category).
    pub parent: String,
}

/// A classified offence code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offence {
    pub code: String,
    pub title: String,
    pub subgroup: String,
    pub group: String,
    pub category: String,
}

/// The codes in force from one month on.
#[derive(Debug, Clone)]
pub struct ClassificationVersion {
    pub id: String,
    pub effective_from: YearMonth,
    pub note: String,
    offences: HashMap<String, Offence>,
}

impl ClassificationVersion {
    pub fn offence(&self, code: &str) -> Option<&Offence> {
        self.offences.get(code)
    }

    pub fn offences(&self) -> impl Iterator<Item = &Offence> {
        self.offences.values()
    }
}

/// The whole classification.
#[derive(Debug, Clone)]
pub struct Classification {
    pub id: String,
    pub title: String,
    pub categories: Vec<Level>,
    pub groups: Vec<Level>,
    pub subgroups: Vec<Level>,
    /// Oldest first.
    pub versions: Vec<ClassificationVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClassification {
    id: String,
    title: String,
    category: Vec<RawLevel>,
    group: Vec<RawLevel>,
    subgroup: Vec<RawLevel>,
    version: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: String,
    title: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    id: String,
    effective_from: YearMonth,
    #[serde(default)]
    note: String,
    offences: BTreeMap<String, RawOffence>,
    #[serde(default)]
    removed: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffence {
    subgroup: String,
    title: String,
}

impl Classification {
    pub fn parse(text: &str) -> Result<Classification, Error> {
        let raw: RawClassification = toml::from_str(text).map_err(|error| Error::definition(error.to_string()))?;
        let categories: Vec<Level> = raw
            .category
            .into_iter()
            .map(|level| Level { id: level.id, title: level.title, parent: String::new() })
            .collect();
        let mut groups = Vec::new();
        for level in raw.group {
            let parent =
                level.category.ok_or_else(|| Error::definition(format!("group '{}' has no category", level.id)))?;
            if !categories.iter().any(|category| category.id == parent) {
                return Err(Error::definition(format!("group '{}' names unknown category '{parent}'", level.id)));
            }
            groups.push(Level { id: level.id, title: level.title, parent });
        }
        let mut subgroups = Vec::new();
        for level in raw.subgroup {
            let parent =
                level.group.ok_or_else(|| Error::definition(format!("subgroup '{}' has no group", level.id)))?;
            if !groups.iter().any(|group: &Level| group.id == parent) {
                return Err(Error::definition(format!("subgroup '{}' names unknown group '{parent}'", level.id)));
            }
            subgroups.push(Level { id: level.id, title: level.title, parent });
        }
        let mut seen = std::collections::HashSet::new();
        for level in categories.iter().chain(&groups).chain(&subgroups) {
            if !seen.insert(level.id.as_str()) {
                return Err(Error::definition(format!(
                    "id '{}' is used twice (ids are unique across levels)",
                    level.id
                )));
            }
        }
        let mut versions: Vec<ClassificationVersion> = Vec::new();
        let mut raw_versions = raw.version;
        raw_versions.sort_by_key(|version| version.effective_from);
        for raw_version in raw_versions {
            let mut offences = versions.last().map(|previous| previous.offences.clone()).unwrap_or_default();
            for code in &raw_version.removed {
                if offences.remove(code).is_none() {
                    return Err(Error::definition(format!("version {} removes unknown code '{code}'", raw_version.id)));
                }
            }
            for (code, offence) in raw_version.offences {
                let subgroup = subgroups.iter().find(|level| level.id == offence.subgroup).ok_or_else(|| {
                    Error::definition(format!("offence {code} names unknown subgroup '{}'", offence.subgroup))
                })?;
                let group = groups.iter().find(|level| level.id == subgroup.parent).expect("checked above");
                offences.insert(
                    code.clone(),
                    Offence {
                        code,
                        title: offence.title,
                        subgroup: subgroup.id.clone(),
                        group: group.id.clone(),
                        category: group.parent.clone(),
                    },
                );
            }
            versions.push(ClassificationVersion {
                id: raw_version.id,
                effective_from: raw_version.effective_from,
                note: raw_version.note,
                offences,
            });
        }
        if versions.is_empty() {
            return Err(Error::definition("no [[version]] of the offence codes"));
        }
        Ok(Classification { id: raw.id, title: raw.title, categories, groups, subgroups, versions })
    }

    /// The version in force in `month`; months before the first version use the first.
    pub fn version_at(&self, month: YearMonth) -> &ClassificationVersion {
        self.versions.iter().rev().find(|version| version.effective_from <= month).unwrap_or(&self.versions[0])
    }

    /// Classifies a code as recorded in `month`.
    pub fn classify(&self, code: &str, month: YearMonth) -> Option<&Offence> {
        self.version_at(month).offence(code)
    }

    /// Whether `id` names a level, and which.
    pub fn level_kind(&self, id: &str) -> Option<&'static str> {
        if self.categories.iter().any(|level| level.id == id) {
            Some("category")
        } else if self.groups.iter().any(|level| level.id == id) {
            Some("group")
        } else if self.subgroups.iter().any(|level| level.id == id) {
            Some("subgroup")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_roll_up_to_groups_and_categories() {
        let classification = Classification::parse(crate::definitions::BUILTIN_CLASSIFICATION).unwrap();
        let month: YearMonth = "2024-05".parse().unwrap();
        let rape = classification.classify("19C", month).unwrap();
        assert_eq!((rape.subgroup.as_str(), rape.group.as_str()), ("rape", "sexual-offences"));
        assert_eq!(rape.category, "victim-based");
        assert_eq!(classification.classify("92E", month).unwrap().category, "other-crimes-against-society");
        assert_eq!(classification.classify("53C", month).unwrap().category, "fraud");
        assert!(classification.classify("999Z", month).is_none());
    }

    #[test]
    fn a_later_version_reclassifies_from_its_month() {
        let text = format!(
            "{}\n[[version]]\nid = \"2025-04\"\neffective_from = \"2025-04\"\nremoved = [\"99\"]\n[version.offences]\n\"8L\" = {{ subgroup = \"public-order\", title = \"Harassment (moved)\" }}\n",
            crate::definitions::BUILTIN_CLASSIFICATION
        );
        let classification = Classification::parse(&text).unwrap();
        let before: YearMonth = "2025-03".parse().unwrap();
        let after: YearMonth = "2025-04".parse().unwrap();
        assert_eq!(classification.classify("8L", before).unwrap().subgroup, "stalking-and-harassment");
        assert_eq!(classification.classify("8L", after).unwrap().subgroup, "public-order");
        assert!(classification.classify("99", before).is_some());
        assert!(classification.classify("99", after).is_none());
    }

    #[test]
    fn bad_references_are_named() {
        let text = crate::definitions::BUILTIN_CLASSIFICATION
            .replace("subgroup = \"homicide\", title = \"Murder\"", "subgroup = \"murders\", title = \"Murder\"");
        let error = Classification::parse(&text).unwrap_err();
        assert!(error.message().contains("offence 1 names unknown subgroup 'murders'"), "{error}");
    }
}
