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
/// that [`SegmentWriter`] writes exactly the bytes [`encode`] gives for the
/// same records. A kind may come in several parts (one per checking thread).
#[derive(Debug, Default)]
pub struct Part {
    records: usize,
    bytes: Vec<u8>,
}

impl Part {
    /// Room for `records` records of up to `bytes_each` bytes. Reserving
    /// more than is used costs address space, not memory (untouched pages
    /// are never faulted in), while a buffer that has to grow copies itself
    /// into new pages the kernel must first zero: so reserve generously.
    pub fn with_capacity(records: usize, bytes_each: usize) -> Self {
        Self { records: 0, bytes: Vec::with_capacity(records * bytes_each) }
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

/// The length prefix of a postcard sequence of `records` records.
fn sequence_length(records: usize) -> Result<Vec<u8>, Error> {
    postcard::to_allocvec(&records).map_err(|error| Error::internal(format!("encoding a segment: {error}")))
}

/// A segment being written kind by kind as each kind's records are checked
/// (crimes, outcomes, suspect activity, ASB; no police.uk rows), each kind
/// given as parts in order: the bytes are exactly [`encode`]'s for the same
/// records. It is written under a temporary name in `dir` and becomes a
/// segment only by [`SegmentWriter::finish`]; dropped before that, the
/// temporary file is removed.
#[derive(Debug)]
pub struct SegmentWriter {
    dir: PathBuf,
    temporary: PathBuf,
    file: Option<fs::File>,
    kinds: usize,
    records: usize,
}

/// The kinds a segment written by [`SegmentWriter`] holds before its (empty) police.uk rows.
const WRITTEN_KINDS: usize = 4;

impl SegmentWriter {
    /// Starts a segment in `dir` under the temporary name `temporary_name`.
    pub fn create(dir: &Path, temporary_name: &str) -> Result<Self, Error> {
        fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let temporary = dir.join(temporary_name);
        let mut file = fs::File::create(&temporary).map_err(|error| Error::io(&temporary, error))?;
        file.write_all(MAGIC).map_err(|error| Error::io(&temporary, error))?;
        Ok(Self { dir: dir.to_path_buf(), temporary, file: Some(file), kinds: 0, records: 0 })
    }

    /// Writes the next kind's records, given as `parts` in order.
    pub fn write_kind(&mut self, parts: &[Part]) -> Result<(), Error> {
        if self.kinds == WRITTEN_KINDS {
            return Err(Error::internal("a segment has four kinds of records"));
        }
        let records: usize = parts.iter().map(Part::records).sum();
        let length = sequence_length(records)?;
        let file = self.file.as_mut().expect("an unfinished segment has its file");
        std::iter::once(length.as_slice())
            .chain(parts.iter().map(|part| part.bytes.as_slice()))
            .try_for_each(|piece| file.write_all(piece))
            .map_err(|error| Error::io(&self.temporary, error))?;
        self.kinds += 1;
        self.records += records;
        Ok(())
    }

    /// The records written so far.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Writes the kinds not given (as empty) and syncs the file: after this
    /// the bytes are on disk and only [`SegmentWriter::finish`] remains.
    pub fn sync(&mut self) -> Result<(), Error> {
        while self.kinds < WRITTEN_KINDS {
            self.write_kind(&[])?;
        }
        let length = sequence_length(0)?;
        let file = self.file.as_mut().expect("an unfinished segment has its file");
        file.write_all(&length).and_then(|()| file.sync_all()).map_err(|error| Error::io(&self.temporary, error))?;
        self.kinds += 1;
        Ok(())
    }

    /// Syncs the segment (if [`SegmentWriter::sync`] has not) and renames it
    /// into place as `name`.
    pub fn finish(mut self, name: &str) -> Result<PathBuf, Error> {
        if self.kinds <= WRITTEN_KINDS {
            self.sync()?;
        }
        drop(self.file.take());
        let path = self.dir.join(name);
        fs::rename(&self.temporary, &path).map_err(|error| Error::io(&path, error))?;
        Ok(path)
    }
}

impl Drop for SegmentWriter {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            // Not finished: the temporary file is no segment. A failure to
            // remove it leaves an orphan that the next import removes.
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// Writes encoded segment `bytes` to `dir/name`, durably: to a temporary
/// file, synced, then renamed into place.
pub fn write_encoded(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Error> {
    fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
    let path = dir.join(name);
    let temporary = dir.join(format!("{name}.tmp"));
    let mut file = fs::File::create(&temporary).map_err(|error| Error::io(&temporary, error))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|error| Error::io(&temporary, error))?;
    fs::rename(&temporary, &path).map_err(|error| Error::io(&path, error))?;
    Ok(path)
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
    fn a_segment_written_kind_by_kind_is_the_bytes_of_the_whole_segment() {
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
            outcomes: vec![
                StoredEvent { crime_reference: "46/1/24", kind: 1, date: 20240610 },
                StoredEvent { crime_reference: "46/2/24", kind: 9, date: 20240611 },
            ],
            activities: Vec::new(),
            asb: vec![StoredAsb { reference: "A1", date: 20240503, asb_type: 2, district: "Thanet" }],
            police_uk: Vec::new(),
        };
        let dir = tempfile::tempdir().unwrap();
        let part = |records: &[&dyn erased::Record]| {
            let mut part = Part::with_capacity(records.len(), 8);
            records.iter().try_for_each(|record| record.push_to(&mut part)).unwrap();
            part
        };
        let mut writer = SegmentWriter::create(dir.path(), "pending.tmp").unwrap();
        writer.write_kind(&[part(&[&data.crimes[0], &data.crimes[1]])]).unwrap();
        // One kind in two parts (two checking threads) is one sequence.
        writer.write_kind(&[part(&[&data.outcomes[0]]), part(&[&data.outcomes[1]])]).unwrap();
        writer.write_kind(&[]).unwrap();
        writer.write_kind(&[part(&[&data.asb[0]])]).unwrap();
        assert_eq!(writer.records(), 5);
        let path = writer.finish("a.seg").unwrap();
        assert_eq!(fs::read(&path).unwrap(), encode(&data).unwrap());
        assert!(!dir.path().join("pending.tmp").exists(), "renamed into place");

        // Kinds not given are written empty.
        let mut writer = SegmentWriter::create(dir.path(), "pending.tmp").unwrap();
        writer.write_kind(&[part(&[&data.crimes[0]])]).unwrap();
        let path = writer.finish("b.seg").unwrap();
        assert_eq!(read(&path).unwrap().crimes.len(), 1);
        assert_eq!(read(&path).unwrap().records(), 1);

        // Dropped unfinished, it leaves nothing behind.
        let mut writer = SegmentWriter::create(dir.path(), "pending.tmp").unwrap();
        writer.write_kind(&[part(&[&data.crimes[0]])]).unwrap();
        writer.sync().unwrap();
        drop(writer);
        assert!(!dir.path().join("pending.tmp").exists(), "an unfinished segment is removed");
        assert!(SegmentWriter::create(dir.path(), "pending.tmp").unwrap().write_kind(&[]).is_ok());
    }

    /// Records of different types pushed through one list in the test.
    mod erased {
        use super::super::*;
        pub trait Record {
            fn push_to(&self, part: &mut Part) -> Result<(), Error>;
        }
        impl<T: Serialize> Record for T {
            fn push_to(&self, part: &mut Part) -> Result<(), Error> {
                part.push(self)
            }
        }
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
