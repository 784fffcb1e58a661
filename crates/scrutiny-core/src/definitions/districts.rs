//! District names by force, with aliases for old names, so that a district is
//! spelt one way whatever the source.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForceDistricts {
    pub name: String,
    pub districts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Districts {
    /// The bucket for records whose district is outside the force's area.
    pub outside: String,
    /// The bucket for records with no location.
    pub no_location: String,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    #[serde(default, rename = "force")]
    pub forces: Vec<ForceDistricts>,
}

impl Districts {
    pub fn parse(text: &str) -> Result<Districts, Error> {
        toml::from_str(text).map_err(|error| Error::definition(error.to_string()))
    }

    /// The canonical name of a district as `force` reports it: aliases
    /// resolved; a district not in the force's list (when the force has one)
    /// goes into the "outside force area" bucket.
    pub fn canonical<'a>(&'a self, force: &str, district: &'a str) -> &'a str {
        let name = self.aliases.get(district).map(String::as_str).unwrap_or(district);
        match self.forces.iter().find(|known| known.name.eq_ignore_ascii_case(force)) {
            Some(known) if !known.districts.iter().any(|listed| listed == name) => &self.outside,
            _ => name,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn aliases_and_outside_bucket() {
        let districts = super::Districts::parse(crate::definitions::BUILTIN_DISTRICTS).unwrap();
        assert_eq!(districts.canonical("Kent", "Shepway"), "Folkestone and Hythe");
        assert_eq!(districts.canonical("Kent", "Maidstone"), "Maidstone");
        assert_eq!(districts.canonical("Kent", "Bexley"), "Outside force area");
        assert_eq!(districts.canonical("Essex", "Basildon"), "Basildon");
    }
}
