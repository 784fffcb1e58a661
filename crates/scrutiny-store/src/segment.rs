//! Record segments: the records of one import for one force (or one
//! police.uk force-month), in an immutable file under `segments/`, written to
//! a temporary name and renamed into place before the catalog names it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use scrutiny_core::records::{Crime, CrimeStatus, Date};

use crate::Error;

const MAGIC: &[u8; 8] = b"SCRSEG1\n";

/// A date packed as `yyyymmdd`.
pub fn pack_date(date: Date) -> u32 {
    date.year() as u32 * 10_000 + date.month() * 100 + date.day()
}

pub fn unpack_date(packed: u32) -> Date {
    Date::new((packed / 10_000) as i32, packed / 100 % 100, packed % 100).expect("segments hold valid dates")
}

/// A stored crime. Text fields are `String` when read from a segment and
/// may be borrowed (`&str`) when written: both encode the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCrime<S = String> {
    pub reference: S,
    pub recorded: u32,
    pub code: S,
    pub district: S,
    pub flags: u16,
    pub status: u8,
}

impl<'a> StoredCrime<&'a str> {
    /// The crime as stored, borrowing its text.
    pub fn of(crime: &'a Crime) -> Self {
        Self {
            reference: &crime.reference,
            recorded: pack_date(crime.recorded),
            code: &crime.offence_code,
            district: &crime.district,
            flags: crime.flags.0,
            status: crime.status as u8,
        }
    }
}

impl<S: AsRef<str>> StoredCrime<S> {
    pub fn is_recorded(&self) -> bool {
        self.status == CrimeStatus::Recorded as u8
    }

    pub fn borrowed(&self) -> StoredCrime<&str> {
        StoredCrime {
            reference: self.reference.as_ref(),
            recorded: self.recorded,
            code: self.code.as_ref(),
            district: self.district.as_ref(),
            flags: self.flags,
            status: self.status,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StoredEvent<S = String> {
    pub crime_reference: S,
    /// Outcome type, or suspect event code.
    pub kind: u8,
    pub date: u32,
}

impl<S: AsRef<str>> StoredEvent<S> {
    pub fn borrowed(&self) -> StoredEvent<&str> {
        StoredEvent { crime_reference: self.crime_reference.as_ref(), kind: self.kind, date: self.date }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAsb<S = String> {
    pub reference: S,
    pub date: u32,
    pub asb_type: u8,
    pub district: S,
}

impl<S: AsRef<str>> StoredAsb<S> {
    pub fn borrowed(&self) -> StoredAsb<&str> {
        StoredAsb {
            reference: self.reference.as_ref(),
            date: self.date,
            asb_type: self.asb_type,
            district: self.district.as_ref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPoliceUk<S = String> {
    pub crime_id: S,
    pub crime_type: S,
    pub district: S,
    pub last_outcome: S,
}

/// The records in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentData<S = String> {
    pub crimes: Vec<StoredCrime<S>>,
    pub outcomes: Vec<StoredEvent<S>>,
    pub activities: Vec<StoredEvent<S>>,
    pub asb: Vec<StoredAsb<S>>,
    pub police_uk: Vec<StoredPoliceUk<S>>,
}

impl<S> Default for SegmentData<S> {
    fn default() -> Self {
        Self {
            crimes: Vec::new(),
            outcomes: Vec::new(),
            activities: Vec::new(),
            asb: Vec::new(),
            police_uk: Vec::new(),
        }
    }
}

impl<S> SegmentData<S> {
    pub fn records(&self) -> usize {
        self.crimes.len() + self.outcomes.len() + self.activities.len() + self.asb.len() + self.police_uk.len()
    }
}

/// Writes `data` to `dir/name`, durably, via a temporary file.
pub fn write<S: Serialize>(dir: &Path, name: &str, data: &SegmentData<S>) -> Result<PathBuf, Error> {
    write_encoded(dir, name, &encode(data)?)
}

/// The bytes of a segment holding `data` (what [`write_encoded`] writes).
pub fn encode<S: Serialize>(data: &SegmentData<S>) -> Result<Vec<u8>, Error> {
    // About 28 bytes a record (a reference, a few varints): one allocation, not a doubling series.
    let mut bytes = Vec::with_capacity(MAGIC.len() + data.records() * 28);
    bytes.extend_from_slice(MAGIC);
    postcard::to_extend(data, bytes).map_err(|error| Error::internal(format!("encoding a segment: {error}")))
}

/// One kind's records of a segment, encoded as they are found (so the
/// records need not be collected first): a segment is its parts in order —
/// crimes, outcomes, suspect activity, ASB — each a postcard sequence, so
/// that [`assemble`] gives exactly the bytes [`encode`] gives for the same
/// records.
#[derive(Debug, Default)]
pub struct Part {
    records: usize,
    bytes: Vec<u8>,
}

impl Part {
    /// Room for about `records` records (about 28 bytes each).
    pub fn with_capacity(records: usize) -> Self {
        Self { records: 0, bytes: Vec::with_capacity(records * 28) }
    }

    pub fn push<T: Serialize>(&mut self, record: &T) -> Result<(), Error> {
        let bytes = std::mem::take(&mut self.bytes);
        self.bytes = postcard::to_extend(record, bytes)
            .map_err(|error| Error::internal(format!("encoding a segment record: {error}")))?;
        self.records += 1;
        Ok(())
    }

    pub fn records(&self) -> usize {
        self.records
    }
}

/// The pieces of a segment's bytes, in order, from its four parts (crimes,
/// outcomes, suspect activity, ASB; no police.uk rows): written one after
/// another they are the segment, with no copy into one buffer.
pub fn assemble(parts: [Part; 4]) -> Result<Vec<Vec<u8>>, Error> {
    let length = |records: usize| {
        postcard::to_allocvec(&records).map_err(|error| Error::internal(format!("encoding a segment: {error}")))
    };
    let mut pieces = vec![MAGIC.to_vec()];
    for part in parts {
        pieces.push(length(part.records)?);
        pieces.push(part.bytes);
    }
    pieces.push(length(0)?);
    Ok(pieces)
}

/// Writes a segment given as pieces (see [`assemble`]) to `dir/name`, as [`write_encoded`] does.
pub fn write_pieces<B: AsRef<[u8]>>(dir: &Path, name: &str, pieces: &[B]) -> Result<PathBuf, Error> {
    fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
    let path = dir.join(name);
    let temporary = dir.join(format!("{name}.tmp"));
    let mut file = fs::File::create(&temporary).map_err(|error| Error::io(&temporary, error))?;
    pieces
        .iter()
        .try_for_each(|piece| file.write_all(piece.as_ref()))
        .and_then(|()| file.sync_all())
        .map_err(|error| Error::io(&temporary, error))?;
    fs::rename(&temporary, &path).map_err(|error| Error::io(&path, error))?;
    Ok(path)
}

/// Writes encoded segment `bytes` to `dir/name`, durably: to a temporary
/// file, synced, then renamed into place.
pub fn write_encoded(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Error> {
    write_pieces(dir, name, &[bytes])
}

pub fn read(path: &Path) -> Result<SegmentData, Error> {
    let bytes = fs::read(path).map_err(|error| Error::io(path, error))?;
    if !bytes.starts_with(MAGIC) {
        return Err(Error::corrupt(format!("{} is not a Scrutiny segment", path.display())));
    }
    postcard::from_bytes(&bytes[MAGIC.len()..])
        .map_err(|error| Error::corrupt(format!("{} cannot be decoded: {error}", path.display())))
}

#[cfg(test)]
mod tests {

    #[test]
    fn parts_assembled_are_the_bytes_of_the_whole_segment() {
        use super::*;
        let data: SegmentData<&str> = SegmentData {
            crimes: vec![
                StoredCrime {
                    reference: "46/1/24",
                    recorded: 20240501,
                    code: "19C",
                    district: "Thanet",
                    flags: 1,
                    status: 0,
                },
                StoredCrime {
                    reference: "46/2/24",
                    recorded: 20240502,
                    code: "8N",
                    district: "Dover",
                    flags: 0,
                    status: 1,
                },
            ],
            outcomes: vec![StoredEvent { crime_reference: "46/1/24", kind: 1, date: 20240610 }],
            activities: Vec::new(),
            asb: vec![StoredAsb { reference: "A1", date: 20240503, asb_type: 2, district: "Thanet" }],
            police_uk: Vec::new(),
        };
        let mut parts: [Part; 4] = Default::default();
        data.crimes.iter().try_for_each(|record| parts[0].push(record)).unwrap();
        data.outcomes.iter().try_for_each(|record| parts[1].push(record)).unwrap();
        data.asb.iter().try_for_each(|record| parts[3].push(record)).unwrap();
        assert_eq!(parts.iter().map(Part::records).sum::<usize>(), 4);
        let assembled: Vec<u8> = assemble(parts).unwrap().concat();
        assert_eq!(assembled, encode(&data).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let mut parts: [Part; 4] = Default::default();
        data.crimes.iter().try_for_each(|record| parts[0].push(record)).unwrap();
        let path = write_pieces(dir.path(), "a.seg", &assemble(parts).unwrap()).unwrap();
        assert_eq!(read(&path).unwrap().crimes.len(), 2);
    }
    use super::*;

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let data = SegmentData {
            crimes: vec![StoredCrime {
                reference: "A1".into(),
                recorded: 20240503,
                code: "8N".into(),
                district: "Maidstone".into(),
                flags: 1,
                status: 0,
            }],
            outcomes: vec![StoredEvent { crime_reference: "A1".into(), kind: 1, date: 20240601 }],
            ..SegmentData::default()
        };
        let path = write(dir.path(), "1.seg", &data).unwrap();
        assert_eq!(read(&path).unwrap(), data);
        let borrowed = SegmentData {
            crimes: data.crimes.iter().map(StoredCrime::borrowed).collect(),
            outcomes: data.outcomes.iter().map(StoredEvent::borrowed).collect(),
            ..SegmentData::default()
        };
        let path = write(dir.path(), "2.seg", &borrowed).unwrap();
        assert_eq!(read(&path).unwrap(), data, "borrowed text is stored as owned text is");
        assert_eq!(unpack_date(20240229).to_string(), "2024-02-29");
        fs::write(&path, b"garbage").unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("is not a Scrutiny segment"));
    }
}
