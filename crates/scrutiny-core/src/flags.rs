//! Crime flags (domestic abuse, hate crime strands, child and adult
//! protection, knife or sharp instrument) packed into one bit set, as the store
//! keeps them.

use crate::Error;

/// A set of flags on one crime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Flags(pub u16);

impl Flags {
    pub const DOMESTIC_ABUSE: Flags = Flags(1);
    pub const CHILD_PROTECTION: Flags = Flags(1 << 1);
    pub const ADULT_PROTECTION: Flags = Flags(1 << 2);
    pub const KNIFE: Flags = Flags(1 << 3);
    pub const HATE_RACE: Flags = Flags(1 << 4);
    pub const HATE_RELIGION: Flags = Flags(1 << 5);
    pub const HATE_SEXUAL_ORIENTATION: Flags = Flags(1 << 6);
    pub const HATE_DISABILITY: Flags = Flags(1 << 7);
    pub const HATE_TRANSGENDER: Flags = Flags(1 << 8);
    /// Any hate crime strand.
    pub const HATE_CRIME: Flags = Flags(0b1_1111 << 4);

    /// Flag names as plans write them, with their bits.
    pub const NAMED: [(&'static str, Flags); 10] = [
        ("domestic-abuse", Self::DOMESTIC_ABUSE),
        ("child-protection", Self::CHILD_PROTECTION),
        ("adult-protection", Self::ADULT_PROTECTION),
        ("knife", Self::KNIFE),
        ("hate-crime", Self::HATE_CRIME),
        ("hate-race", Self::HATE_RACE),
        ("hate-religion", Self::HATE_RELIGION),
        ("hate-sexual-orientation", Self::HATE_SEXUAL_ORIENTATION),
        ("hate-disability", Self::HATE_DISABILITY),
        ("hate-transgender", Self::HATE_TRANSGENDER),
    ];

    /// Hate crime strands as extracts write them.
    pub const HATE_STRANDS: [(&'static str, Flags); 5] = [
        ("race", Self::HATE_RACE),
        ("religion", Self::HATE_RELIGION),
        ("sexual-orientation", Self::HATE_SEXUAL_ORIENTATION),
        ("disability", Self::HATE_DISABILITY),
        ("transgender", Self::HATE_TRANSGENDER),
    ];

    pub fn by_name(name: &str) -> Result<Flags, Error> {
        Self::NAMED.iter().find(|(known, _)| *known == name).map(|(_, flags)| *flags).ok_or_else(|| {
            let known: Vec<&str> = Self::NAMED.iter().map(|(name, _)| *name).collect();
            Error::definition(format!("unknown flag '{name}' (known: {})", known.join(", ")))
        })
    }

    pub fn hate_strand(name: &str) -> Option<Flags> {
        Self::HATE_STRANDS.iter().find(|(known, _)| *known == name).map(|(_, flags)| *flags)
    }

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn intersects(self, other: Flags) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;

    fn bitor(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for Flags {
    fn bitor_assign(&mut self, other: Flags) {
        self.0 |= other.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hate_crime_is_any_strand() {
        let flags = Flags::HATE_RELIGION | Flags::DOMESTIC_ABUSE;
        assert!(flags.intersects(Flags::HATE_CRIME));
        assert!(!flags.contains(Flags::HATE_CRIME));
        assert!(flags.contains(Flags::by_name("domestic-abuse").unwrap()));
        assert!(Flags::by_name("drunk").is_err());
    }
}
