//! Imports: a force extract or a set of data.police.uk files, checked against
//! what is stored, written as one transaction.

use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

use sqlx::{Connection, SqliteConnection};

use scrutiny_core::definitions::Source;
use scrutiny_core::records::{Crime, Outcome, SuspectActivity};
use scrutiny_core::{Period, YearMonth};
use scrutiny_ingest::Diagnostic;
use scrutiny_ingest::extract::{Extract, FileKind, Origin};
use scrutiny_ingest::police_uk::{self, PoliceUkFile};

use crate::pages::{self, PageCell};
use crate::segment::{self, SegmentData, StoredAsb, StoredCrime, StoredEvent, StoredPoliceUk, pack_date};
use crate::{Error, Store};

/// Generous sizes of one encoded record (a reference of up to 20 bytes, a
/// date, codes and a district name), for reserving segment parts: see
/// [`segment::Part::with_capacity`].
const CRIME_BYTES: usize = 64;
const EVENT_BYTES: usize = 32;
const ASB_BYTES: usize = 56;

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub import_id: i64,
    pub forces: Vec<String>,
    /// Data rows read from the files.
    pub rows_read: u64,
    /// Rows newly stored.
    pub stored: u64,
    /// Rows already stored with identical content (or repeated within the files).
    pub unchanged: u64,
    /// police.uk rows that replaced an earlier publication of the same force-month.
    pub replaced: u64,
    pub rejected: u64,
    /// Every rejected row, in file order.
    pub rejects: Vec<Diagnostic>,
    pub rejects_file: Option<PathBuf>,
    /// Force-months supplied by this import.
    pub months: Option<Period>,
}

/// Counts being built for one import, with codes and districts interned so
/// that adding a record allocates nothing.
#[derive(Default)]
struct CountsDelta {
    codes: FxHashMap<String, u32>,
    districts: FxHashMap<String, u32>,
    /// (source, month, code, district, flags, detail) → n, codes and districts by local id.
    cells: FxHashMap<(u8, i32, u32, u32, u16, u16), u64>,
}

/// What a record is counted under: its (crime's) code, district and flags, by local id.
#[derive(Debug, Clone, Copy)]
struct Counted {
    code: u32,
    district: u32,
    flags: u16,
}

fn intern(names: &mut FxHashMap<String, u32>, name: &str) -> u32 {
    if let Some(id) = names.get(name) {
        return *id;
    }
    let id = names.len() as u32;
    names.insert(name.to_string(), id);
    id
}

impl CountsDelta {
    /// Room for about `records` records' cells (several records share a cell).
    fn with_capacity(records: usize) -> Self {
        Self { cells: FxHashMap::with_capacity_and_hasher(records / 4, Default::default()), ..Self::default() }
    }

    fn code(&mut self, code: &str) -> u32 {
        intern(&mut self.codes, code)
    }

    fn district(&mut self, district: &str) -> u32 {
        intern(&mut self.districts, district)
    }

    /// What `crime` and its events are counted under, if it is counted.
    fn counted_as(&mut self, crime: &StoredCrime<&str>) -> Option<Counted> {
        crime.is_recorded().then(|| Counted {
            code: self.code(crime.code),
            district: self.district(crime.district),
            flags: crime.flags,
        })
    }

    fn add(&mut self, source: Source, month: YearMonth, counted: Counted, detail: u16) {
        let key = (source.code(), month.index(), counted.code, counted.district, counted.flags, detail);
        *self.cells.entry(key).or_default() += 1;
    }

    fn add_named(&mut self, source: Source, month: YearMonth, code: &str, district: &str) {
        let counted = Counted { code: self.code(code), district: self.district(district), flags: 0 };
        self.add(source, month, counted, 0);
    }
}

/// Ids of `names` in the dictionary `table` (codes or districts), adding the new ones.
async fn dictionary_ids(
    connection: &mut SqliteConnection,
    table: &str,
    column: &str,
    names: &FxHashMap<String, u32>,
) -> Result<Vec<u32>, Error> {
    let insert = format!("INSERT INTO {table} ({column}) VALUES (?) ON CONFLICT ({column}) DO NOTHING");
    for name in names.keys() {
        sqlx::query(sqlx::AssertSqlSafe(insert.clone())).bind(name.as_str()).execute(&mut *connection).await?;
    }
    let select = format!("SELECT {column}, id FROM {table}");
    let stored: FxHashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(select))
        .fetch_all(&mut *connection)
        .await?
        .into_iter()
        .collect();
    let mut ids = vec![0; names.len()];
    for (name, local) in names {
        ids[*local as usize] = pages::id_u32(stored[name])?;
    }
    Ok(ids)
}

/// Adds the counts of `deltas` to the force's count pages.
async fn write_counts(connection: &mut SqliteConnection, force_id: i64, deltas: Vec<CountsDelta>) -> Result<(), Error> {
    let mut added: FxHashMap<(u8, i32), Vec<PageCell>> = FxHashMap::default();
    for delta in deltas {
        add_cells(connection, delta, &mut added).await?;
    }
    pages::add(connection, force_id, added).await
}

/// The cells of `delta` by page, with the catalog's ids of its codes and districts.
async fn add_cells(
    connection: &mut SqliteConnection,
    delta: CountsDelta,
    added: &mut FxHashMap<(u8, i32), Vec<PageCell>>,
) -> Result<(), Error> {
    let code_ids = dictionary_ids(connection, "codes", "code", &delta.codes).await?;
    let district_ids = dictionary_ids(connection, "districts", "name", &delta.districts).await?;
    for ((source, month, code, district, flags, detail), n) in delta.cells {
        let n = u32::try_from(n).map_err(|_| Error::internal(format!("{n} records in one count cell of one month")))?;
        added.entry((source, month)).or_default().push(PageCell {
            code_id: code_ids[code as usize],
            district_id: district_ids[district as usize],
            flags,
            detail,
            n,
        });
    }
    Ok(())
}

/// The events of one kind (outcomes or suspect activity) checked and counted.
struct CheckedEvents<'a> {
    /// The events not stored yet, encoded for the segment.
    new: segment::Part,
    delta: CountsDelta,
    /// Events stored already with the same content.
    unchanged: u64,
    /// Events whose crime is neither in the extract nor stored, with the reference.
    missing: Vec<(Origin, &'a str)>,
}

/// The crimes of one run checked against the store and counted.
struct CheckedCrimes<'a> {
    /// The crimes not stored yet, encoded for the segment.
    new: segment::Part,
    delta: CountsDelta,
    /// Crimes stored already with the same content.
    unchanged: u64,
    /// Crimes stored already with different content, with the reference.
    conflicts: Vec<(Origin, &'a str)>,
}

/// Checks crimes against the store and counts the new ones. Reads only, so
/// several runs are checked side by side.
fn check_crimes<'a>(
    crimes: &'a [(Crime, Origin)],
    stored_crimes: &FxHashMap<&str, StoredCrime<&str>>,
) -> Result<CheckedCrimes<'a>, Error> {
    let mut checked = CheckedCrimes {
        new: segment::Part::with_capacity(crimes.len(), CRIME_BYTES),
        delta: CountsDelta::with_capacity(crimes.len()),
        unchanged: 0,
        conflicts: Vec::new(),
    };
    for (crime, origin) in crimes {
        let candidate = StoredCrime::of(crime);
        match stored_crimes.get(crime.reference.as_str()) {
            Some(stored) if *stored == candidate => checked.unchanged += 1,
            Some(_) => checked.conflicts.push((*origin, crime.reference.as_str())),
            None => {
                if let Some(counted) = checked.delta.counted_as(&candidate) {
                    checked.delta.add(Source::Crimes, crime.recorded.year_month(), counted, 0);
                }
                checked.new.push(&candidate)?;
            }
        }
    }
    Ok(checked)
}

/// An outcome as stored, with the month and detail it is counted under.
fn outcome_event(outcome: &Outcome) -> (StoredEvent<&str>, YearMonth, u16) {
    let event = StoredEvent {
        crime_reference: outcome.crime_reference.as_str(),
        kind: outcome.outcome_type,
        date: pack_date(outcome.date),
    };
    (event, outcome.date.year_month(), u16::from(outcome.outcome_type))
}

/// A suspect event as stored, with the month and detail it is counted under.
fn activity_event(activity: &SuspectActivity) -> (StoredEvent<&str>, YearMonth, u16) {
    let event = StoredEvent {
        crime_reference: activity.crime_reference.as_str(),
        kind: activity.event as u8,
        date: pack_date(activity.date),
    };
    (event, activity.date.year_month(), activity.event as u16)
}

/// Checks events against their crimes and the store, and counts the new ones
/// under their crime's counting. Reads only, so several run side by side.
fn check_events<'a, T>(
    source: Source,
    events: &'a [(T, Origin)],
    as_event: impl Fn(&'a T) -> (StoredEvent<&'a str>, YearMonth, u16),
    extract: &'a Extract,
    stored_crimes: &FxHashMap<&str, StoredCrime<&'a str>>,
    stored_events: &FxHashSet<StoredEvent<&str>>,
) -> Result<CheckedEvents<'a>, Error> {
    let mut checked = CheckedEvents {
        new: segment::Part::with_capacity(events.len(), EVENT_BYTES),
        delta: CountsDelta::with_capacity(events.len()),
        unchanged: 0,
        missing: Vec::new(),
    };
    for (record, origin) in events {
        let ((event, month, detail), origin) = (as_event(record), *origin);
        // An event is counted under its crime as stored, where it is stored
        // (an extract's crime that differs is rejected; the stored one stands),
        // else under the extract's crime.
        let stored_crime = if stored_crimes.is_empty() { None } else { stored_crimes.get(event.crime_reference) };
        let counted = match stored_crime {
            Some(stored) => checked.delta.counted_as(stored),
            None => match extract.crime(event.crime_reference) {
                Some(crime) => checked.delta.counted_as(&StoredCrime::of(crime)),
                None => {
                    checked.missing.push((origin, event.crime_reference));
                    continue;
                }
            },
        };
        if !stored_events.is_empty() && stored_events.contains(&event) {
            checked.unchanged += 1;
            continue;
        }
        if let Some(counted) = counted {
            checked.delta.add(source, month, counted, detail);
        }
        checked.new.push(&event)?;
    }
    Ok(checked)
}

/// The temporary name of the segment an import is writing.
const PENDING_SEGMENT: &str = "import-pending.seg.tmp";

enum SegmentMessage {
    /// The next kind's new records, in parts.
    Kind(Vec<segment::Part>),
    /// Every kind has been given: sync the file.
    Sync,
}

/// A segment being written on a thread of its own, fed kind by kind. However
/// the import ends before [`PendingSegment::finish`], the thread is joined and
/// the temporary file removed.
struct PendingSegment {
    sender: Option<std::sync::mpsc::Sender<SegmentMessage>>,
    writer: Option<std::thread::JoinHandle<Result<Option<segment::SegmentWriter>, Error>>>,
}

impl PendingSegment {
    fn start(mut segment: segment::SegmentWriter) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        let writer = std::thread::spawn(move || {
            for message in receiver {
                match message {
                    // Each kind's buffers are freed once written.
                    SegmentMessage::Kind(parts) => segment.write_kind(&parts)?,
                    SegmentMessage::Sync => {
                        segment.sync()?;
                        return Ok(Some(segment));
                    }
                }
            }
            // Abandoned: dropping the writer removes the file.
            Ok(None)
        });
        Self { sender: Some(sender), writer: Some(writer) }
    }

    /// Writes the next kind's records. An error of the writer is reported
    /// here or by [`PendingSegment::finish`].
    fn write(&self, parts: Vec<segment::Part>) -> Result<(), Error> {
        let sender = self.sender.as_ref().expect("a pending segment takes kinds until synced");
        if sender.send(SegmentMessage::Kind(parts)).is_err() {
            // The writer stopped at an error; finish() reports it.
            return Err(self.writer_error());
        }
        Ok(())
    }

    fn writer_error(&self) -> Error {
        Error::internal("the segment writer stopped early")
    }

    /// Every kind is given: the writer syncs the file while the caller goes on.
    fn sync(mut self) -> Self {
        if let Some(sender) = self.sender.take() {
            // A send fails only if the writer stopped at an error, which finish() reports.
            let _ = sender.send(SegmentMessage::Sync);
        }
        self
    }

    /// Waits for the writer and renames the synced segment into place as `name`.
    fn finish(mut self, name: &str) -> Result<PathBuf, Error> {
        drop(self.sender.take());
        let writer = self.writer.take().expect("finished once");
        match writer.join().map_err(|_| Error::internal("the segment writer panicked"))?? {
            Some(segment) => segment.finish(name),
            None => Err(self.writer_error()),
        }
    }
}

impl Drop for PendingSegment {
    fn drop(&mut self) {
        drop(self.sender.take());
        if let Some(writer) = self.writer.take() {
            // The import is failing already: the writer's own result adds nothing.
            let _ = writer.join();
        }
    }
}

pub(crate) async fn force_id(connection: &mut SqliteConnection, name: &str) -> Result<i64, Error> {
    sqlx::query("INSERT INTO forces (name) VALUES (?) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(&mut *connection)
        .await?;
    Ok(sqlx::query_scalar("SELECT id FROM forces WHERE name = ?").bind(name).fetch_one(&mut *connection).await?)
}

fn strict_refusal(summary: &ImportSummary) -> Error {
    let first = summary.rejects.first().map(|reject| reject.to_string()).unwrap_or_default();
    Error::new(
        crate::ErrorKind::Rejected,
        format!("{} rows were rejected, so nothing was stored (--strict); the first: {first}", summary.rejects.len()),
    )
}

pub(crate) fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    fn segments_dir(&self) -> PathBuf {
        self.dir().join("segments")
    }

    /// Removes segment files no committed import names (left by an import that failed or was killed).
    async fn remove_orphan_segments(&self, connection: &mut SqliteConnection) -> Result<(), Error> {
        let dir = self.segments_dir();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        let named: FxHashSet<String> = sqlx::query_scalar::<_, String>("SELECT file FROM segments")
            .fetch_all(&mut *connection)
            .await?
            .into_iter()
            .collect();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if !named.contains(&name) {
                std::fs::remove_file(entry.path()).map_err(|error| Error::io(&entry.path(), error))?;
            }
        }
        Ok(())
    }

    fn write_rejects(&self, import_id: i64, rejects: &[Diagnostic]) -> Result<Option<PathBuf>, Error> {
        self.write_rejects_file(&format!("import-{import_id}.csv"), rejects)
    }

    /// Writes `rejects/<name>` with every rejected row and its reason.
    pub(crate) fn write_rejects_file(&self, name: &str, rejects: &[Diagnostic]) -> Result<Option<PathBuf>, Error> {
        if rejects.is_empty() {
            return Ok(None);
        }
        let dir = self.dir().join("rejects");
        std::fs::create_dir_all(&dir).map_err(|error| Error::io(&dir, error))?;
        let path = dir.join(name);
        let mut writer = csv::Writer::from_path(&path).map_err(|error| Error::io(&path, error))?;
        let io = |error: csv::Error| Error::io(&path, error);
        writer.write_record(["file", "line", "field", "reason", "row"]).map_err(io)?;
        for reject in rejects {
            writer
                .write_record([
                    &reject.file.display().to_string(),
                    &reject.line.to_string(),
                    &reject.field,
                    &reject.reason,
                    &reject.row,
                ])
                .map_err(io)?;
        }
        writer.flush().map_err(|error| Error::io(&path, error))?;
        Ok(Some(path))
    }

    /// Imports one force extract. Rows already stored with identical content
    /// change nothing; rows that conflict with stored ones are rejected.
    ///
    /// With `strict`, any rejected row makes the import store nothing and
    /// return an error of kind [`ErrorKind::Rejected`](crate::ErrorKind::Rejected).
    pub async fn import_extract(&self, extract: &Extract, source: &Path, strict: bool) -> Result<ImportSummary, Error> {
        let mut connection = self.pool().acquire().await?;
        let mut transaction = connection.begin_with("BEGIN IMMEDIATE").await?;
        self.remove_orphan_segments(&mut transaction).await?;
        let force = extract.manifest.force.clone();
        let force_id = force_id(&mut transaction, &force).await?;

        // What is stored for this force already, looked up by borrowed keys.
        let files: Vec<String> =
            sqlx::query_scalar("SELECT file FROM segments WHERE force_id = ? AND source IS NULL ORDER BY id")
                .bind(force_id)
                .fetch_all(&mut *transaction)
                .await?;
        let stored: Vec<SegmentData> =
            files.iter().map(|file| segment::read(&self.segments_dir().join(file))).collect::<Result<_, _>>()?;
        let sized = |count: fn(&SegmentData) -> usize| stored.iter().map(count).sum::<usize>();
        let mut stored_crimes: FxHashMap<&str, StoredCrime<&str>> =
            FxHashMap::with_capacity_and_hasher(sized(|data| data.crimes.len()), Default::default());
        let mut stored_outcomes: FxHashSet<StoredEvent<&str>> =
            FxHashSet::with_capacity_and_hasher(sized(|data| data.outcomes.len()), Default::default());
        let mut stored_activities: FxHashSet<StoredEvent<&str>> =
            FxHashSet::with_capacity_and_hasher(sized(|data| data.activities.len()), Default::default());
        let mut stored_asb: FxHashMap<&str, StoredAsb<&str>> =
            FxHashMap::with_capacity_and_hasher(sized(|data| data.asb.len()), Default::default());
        for data in &stored {
            stored_crimes.extend(data.crimes.iter().map(|crime| (crime.reference.as_str(), crime.borrowed())));
            stored_outcomes.extend(data.outcomes.iter().map(StoredEvent::borrowed));
            stored_activities.extend(data.activities.iter().map(StoredEvent::borrowed));
            stored_asb.extend(data.asb.iter().map(|incident| (incident.reference.as_str(), incident.borrowed())));
        }

        let mut summary =
            ImportSummary { forces: vec![force.clone()], rejects: extract.rejects.clone(), ..ImportSummary::default() };
        summary.rows_read = extract.files.iter().map(|file| file.rows).sum();
        summary.unchanged = extract.files.iter().map(|file| file.repeated).sum();
        let reject = |origin: Origin, field: &str, reason: String| Diagnostic {
            file: extract.files[origin.file()].path.clone(),
            line: origin.line(),
            field: field.to_string(),
            reason,
            row: String::new(),
        };
        // The new records go to the segment kind by kind as each kind is
        // checked: a writer thread writes the crimes while the events are
        // still being checked, and syncs the file while the counts go into
        // the catalog. (The transaction holds the store's write lock, so one
        // temporary name serves.)
        let pending = PendingSegment::start(segment::SegmentWriter::create(&self.segments_dir(), PENDING_SEGMENT)?);
        // Threads check and count the crimes and the outcomes (each in two or
        // more runs: the largest kinds), the suspect activity and the ASB
        // incidents: read-only lookups into the extract and the store, each
        // counting into a delta of its own (cells they share are summed when
        // the pages are written).
        let (deltas, new_records) = std::thread::scope(|scope| {
            let (stored_crimes, stored_outcomes, stored_activities) =
                (&stored_crimes, &stored_outcomes, &stored_activities);
            // The crimes in two or more runs, each checked on a thread of its own.
            let mut runs: Vec<&[(Crime, Origin)]> = extract.crime_chunks().collect();
            if let [only] = runs[..] {
                runs = only.chunks(only.len().div_ceil(2).max(1)).collect();
            }
            let crimes: Vec<_> =
                runs.into_iter().map(|run| scope.spawn(move || check_crimes(run, stored_crimes))).collect();
            let half = extract.outcomes.len().div_ceil(2).max(1);
            let outcomes: Vec<_> = extract
                .outcomes
                .chunks(half)
                .map(|events| {
                    scope.spawn(move || {
                        check_events(Source::Outcomes, events, outcome_event, extract, stored_crimes, stored_outcomes)
                    })
                })
                .collect();
            let activities = scope.spawn(move || {
                let events = &extract.activities;
                check_events(Source::SuspectEvents, events, activity_event, extract, stored_crimes, stored_activities)
            });
            let asb = scope.spawn(|| {
                let mut delta = CountsDelta::with_capacity(extract.asb.len());
                let (mut new, mut unchanged, mut conflicts) =
                    (segment::Part::with_capacity(extract.asb.len(), ASB_BYTES), 0, Vec::new());
                for (incident, origin) in &extract.asb {
                    let candidate = StoredAsb {
                        reference: incident.reference.as_str(),
                        date: pack_date(incident.date),
                        asb_type: incident.asb_type as u8,
                        district: incident.district.as_str(),
                    };
                    match stored_asb.get(candidate.reference) {
                        Some(stored) if *stored == candidate => unchanged += 1,
                        Some(_) => conflicts.push((*origin, candidate.reference)),
                        None => {
                            let counted = Counted {
                                code: delta.code(""),
                                district: delta.district(candidate.district),
                                flags: 0,
                            };
                            delta.add(Source::Asb, incident.date.year_month(), counted, u16::from(candidate.asb_type));
                            new.push(&candidate)?;
                        }
                    }
                }
                Ok::<_, Error>((new, delta, unchanged, conflicts))
            });
            let mut crime_parts = Vec::new();
            let mut deltas = Vec::new();
            for checker in crimes {
                let checked = checker.join().expect("a crime checker panicked")?;
                summary.unchanged += checked.unchanged;
                for (origin, reference) in checked.conflicts {
                    summary.rejects.push(reject(origin, "crime_reference", format!(
                        "'{reference}' is already stored with different content; stored records are never overwritten (a correction needs the stored record removed first)"
                    )));
                }
                deltas.push(checked.delta);
                crime_parts.push(checked.new);
            }
            let mut new_records: usize = crime_parts.iter().map(segment::Part::records).sum();
            pending.write(crime_parts)?;
            let not_found = |reference: &str| {
                format!(
                    "'{reference}' is not a crime in this import or in the store (a rejected crime row takes its outcomes and suspect activity with it)"
                )
            };
            for checkers in [outcomes, vec![activities]] {
                let mut parts = Vec::new();
                for checker in checkers {
                    let checked = checker.join().expect("an event checker panicked")?;
                    summary.unchanged += checked.unchanged;
                    for (origin, reference) in checked.missing {
                        summary.rejects.push(reject(origin, "crime_reference", not_found(reference)));
                    }
                    deltas.push(checked.delta);
                    new_records += checked.new.records();
                    parts.push(checked.new);
                }
                pending.write(parts)?;
            }
            let (new_asb, asb_delta, asb_unchanged, asb_conflicts) = asb.join().expect("the ASB checker panicked")?;
            summary.unchanged += asb_unchanged;
            for (origin, reference) in asb_conflicts {
                summary.rejects.push(reject(
                    origin,
                    "incident_reference",
                    format!(
                        "'{reference}' is already stored with different content; stored records are never overwritten"
                    ),
                ));
            }
            new_records += new_asb.records();
            pending.write(vec![new_asb])?;
            deltas.push(asb_delta);
            Ok::<_, Error>((deltas, new_records))
        })?;
        summary.stored = new_records as u64;
        summary.rejected = summary.rejects.len() as u64;
        summary.rejects.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        summary.months = Some(extract.manifest.covers);
        if strict && !summary.rejects.is_empty() {
            return Err(strict_refusal(&summary));
        }
        // Nothing new: no segment (the pending one is removed).
        let pending = (new_records > 0).then(|| pending.sync());

        // Write: the import, its files, the segment, the counts, the coverage.
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO imports (kind, source, started_at, force_id, system, extracted_on, rows_read, rows_stored, rows_unchanged, rows_replaced, rows_rejected)
             VALUES ('extract', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
        )
        .bind(source.display().to_string())
        .bind(now())
        .bind(force_id)
        .bind(&extract.manifest.system)
        .bind(extract.manifest.extracted_on.to_string())
        .bind(summary.rows_read as i64)
        .bind(summary.stored as i64)
        .bind(summary.unchanged as i64)
        .bind(summary.rejected as i64)
        .fetch_one(&mut *transaction)
        .await?;
        summary.import_id = import_id;
        for file in &extract.files {
            sqlx::query(
                "INSERT INTO import_files (import_id, path, kind, rows_read, rows_rejected) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(import_id)
            .bind(file.path.display().to_string())
            .bind(file.kind.name())
            .bind(file.rows as i64)
            .bind(file.rejected as i64)
            .execute(&mut *transaction)
            .await?;
        }
        // The segment is being synced on its writer thread while the counts
        // go into the catalog; the catalog names it only once both are done.
        let mut segment_name = None;
        if pending.is_some() {
            let name = format!("extract-{import_id}-force-{force_id}.seg");
            sqlx::query("INSERT INTO segments (import_id, force_id, file, records) VALUES (?, ?, ?, ?)")
                .bind(import_id)
                .bind(force_id)
                .bind(&name)
                .bind(new_records as i64)
                .execute(&mut *transaction)
                .await?;
            segment_name = Some(name);
        }
        write_counts(&mut transaction, force_id, deltas).await?;
        if let (Some(pending), Some(name)) = (pending, segment_name) {
            pending.finish(&name)?;
        }
        for kind in extract.kinds() {
            let source = match kind {
                FileKind::Crimes => Source::Crimes,
                FileKind::Outcomes => Source::Outcomes,
                FileKind::SuspectActivity => Source::SuspectEvents,
                FileKind::Asb => Source::Asb,
            };
            for month in extract.manifest.covers.months() {
                sqlx::query("INSERT INTO coverage (force_id, source, month, import_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .bind(force_id)
                    .bind(i64::from(source.code()))
                    .bind(i64::from(month.index()))
                    .bind(import_id)
                    .execute(&mut *transaction)
                    .await?;
            }
        }
        summary.rejects_file = self.write_rejects(import_id, &summary.rejects)?;
        if let Some(path) = &summary.rejects_file {
            sqlx::query("UPDATE imports SET rejects_file = ? WHERE id = ?")
                .bind(path.display().to_string())
                .bind(import_id)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(summary)
    }

    /// Imports data.police.uk files. Each force-month is one publication: the
    /// same content again changes nothing; a changed file for a month that is
    /// stored replaces it whole (data.police.uk republishes months).
    pub async fn import_police_uk(
        &self,
        files: &[PoliceUkFile],
        source: &Path,
        strict: bool,
    ) -> Result<ImportSummary, Error> {
        let mut connection = self.pool().acquire().await?;
        let mut transaction = connection.begin_with("BEGIN IMMEDIATE").await?;
        self.remove_orphan_segments(&mut transaction).await?;
        let mut summary = ImportSummary::default();
        for file in files {
            summary.rows_read += file.rows_read;
            summary.rejects.extend(file.rejects.iter().cloned());
        }
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO imports (kind, source, started_at, rows_read, rows_stored, rows_unchanged, rows_replaced, rows_rejected)
             VALUES ('police-uk', ?, ?, 0, 0, 0, 0, 0) RETURNING id",
        )
        .bind(source.display().to_string())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        summary.import_id = import_id;
        let mut seen: FxHashMap<(String, u8, YearMonth), (String, PathBuf)> = FxHashMap::default();
        let mut replaced_files = Vec::new();
        for file in files {
            let source = match file.kind {
                police_uk::FileKind::Street => Source::PoliceUk,
                police_uk::FileKind::Outcomes => Source::PoliceUkOutcomes,
            };
            sqlx::query(
                "INSERT INTO import_files (import_id, path, kind, rows_read, rows_rejected) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(import_id)
            .bind(file.path.display().to_string())
            .bind(file.kind.name())
            .bind(file.rows_read as i64)
            .bind(file.rejects.len() as i64)
            .execute(&mut *transaction)
            .await?;
            for month_rows in &file.months {
                let key = (month_rows.force.clone(), source.code(), month_rows.month);
                let rows = month_rows.rows.len() as u64;
                if let Some((hash, other)) = seen.get(&key) {
                    if *hash == month_rows.content_hash {
                        summary.unchanged += rows;
                    } else {
                        summary.rejects.push(Diagnostic {
                            file: file.path.clone(),
                            line: 0,
                            field: String::new(),
                            reason: format!(
                                "holds {} {} {} rows that differ from {} in the same import; import one publication of a month at a time ({rows} rows not stored)",
                                month_rows.force, month_rows.month, source, other.display()
                            ),
                            row: String::new(),
                        });
                    }
                    continue;
                }
                seen.insert(key, (month_rows.content_hash.clone(), file.path.clone()));
                let force_id = force_id(&mut transaction, &month_rows.force).await?;
                if !summary.forces.contains(&month_rows.force) {
                    summary.forces.push(month_rows.force.clone());
                }
                let stored_hash: Option<Option<String>> = sqlx::query_scalar(
                    "SELECT content_hash FROM coverage WHERE force_id = ? AND source = ? AND month = ?",
                )
                .bind(force_id)
                .bind(i64::from(source.code()))
                .bind(i64::from(month_rows.month.index()))
                .fetch_optional(&mut *transaction)
                .await?;
                match stored_hash {
                    Some(Some(hash)) if hash == month_rows.content_hash => {
                        summary.unchanged += rows;
                        continue;
                    }
                    Some(_) => {
                        let old: Vec<(i64, String, i64)> = sqlx::query_as(
                            "SELECT id, file, records FROM segments WHERE force_id = ? AND source = ? AND month = ?",
                        )
                        .bind(force_id)
                        .bind(i64::from(source.code()))
                        .bind(i64::from(month_rows.month.index()))
                        .fetch_all(&mut *transaction)
                        .await?;
                        for (id, file, records) in old {
                            sqlx::query("DELETE FROM segments WHERE id = ?")
                                .bind(id)
                                .execute(&mut *transaction)
                                .await?;
                            replaced_files.push(self.segments_dir().join(file));
                            summary.replaced += records as u64;
                        }
                        sqlx::query("DELETE FROM count_pages WHERE force_id = ? AND source = ? AND month = ?")
                            .bind(force_id)
                            .bind(i64::from(source.code()))
                            .bind(i64::from(month_rows.month.index()))
                            .execute(&mut *transaction)
                            .await?;
                    }
                    None => {}
                }
                let mut delta = CountsDelta::default();
                let mut data = SegmentData::default();
                for row in &month_rows.rows {
                    delta.add_named(source, row.month, &row.crime_type, &row.district);
                    data.police_uk.push(StoredPoliceUk {
                        crime_id: row.crime_id.clone(),
                        crime_type: row.crime_type.clone(),
                        district: row.district.clone(),
                        last_outcome: row.last_outcome.clone(),
                    });
                }
                let name = format!("police-uk-{import_id}-force-{force_id}-{}-{}.seg", source.name(), month_rows.month);
                segment::write(&self.segments_dir(), &name, &data)?;
                sqlx::query("INSERT INTO segments (import_id, force_id, file, source, month, records) VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(import_id)
                    .bind(force_id)
                    .bind(&name)
                    .bind(i64::from(source.code()))
                    .bind(i64::from(month_rows.month.index()))
                    .bind(rows as i64)
                    .execute(&mut *transaction)
                    .await?;
                write_counts(&mut transaction, force_id, vec![delta]).await?;
                sqlx::query(
                    "INSERT INTO coverage (force_id, source, month, import_id, content_hash) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (force_id, source, month) DO UPDATE SET import_id = excluded.import_id, content_hash = excluded.content_hash",
                )
                .bind(force_id)
                .bind(i64::from(source.code()))
                .bind(i64::from(month_rows.month.index()))
                .bind(import_id)
                .bind(&month_rows.content_hash)
                .execute(&mut *transaction)
                .await?;
                summary.stored += rows;
                let period = summary.months.map_or(Period::single(month_rows.month), |period| Period {
                    from: period.from.min(month_rows.month),
                    to: period.to.max(month_rows.month),
                });
                summary.months = Some(period);
            }
        }
        summary.rejected = summary.rejects.len() as u64;
        if strict && !summary.rejects.is_empty() {
            return Err(strict_refusal(&summary));
        }
        summary.rejects_file = self.write_rejects(import_id, &summary.rejects)?;
        sqlx::query("UPDATE imports SET rows_read = ?, rows_stored = ?, rows_unchanged = ?, rows_replaced = ?, rows_rejected = ?, rejects_file = ? WHERE id = ?")
            .bind(summary.rows_read as i64)
            .bind(summary.stored as i64)
            .bind(summary.unchanged as i64)
            .bind(summary.replaced as i64)
            .bind(summary.rejected as i64)
            .bind(summary.rejects_file.as_ref().map(|path| path.display().to_string()))
            .bind(import_id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        for file in replaced_files {
            // The catalog no longer names it; if removal fails the next import removes it.
            let _ = std::fs::remove_file(file);
        }
        Ok(summary)
    }
}
