//! Where Scrutiny keeps what it imports and the counts it reports from.
//!
//! A store is a folder: `scrutiny.sqlite` (the catalog — forces, imports,
//! which months each source covers — and the counts, maintained at import),
//! `segments/` (immutable files of the records themselves) and `rejects/`
//! (the rows each import refused, with reasons). Reports read only the
//! counts; imports read the records to keep every import idempotent.
//!
//! Invariants: an import is one SQLite transaction, and segment files are
//! renamed into place before the transaction that names them commits, so a
//! failure or a kill leaves the store as it was (unnamed files are removed by
//! the next import). Stored records are never overwritten by an import.

mod counts;
pub mod governance;
mod import;
mod pages;
mod returns;
pub mod segment;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use scrutiny_core::definitions::Source;
use scrutiny_core::flags::Flags;
use scrutiny_core::{Period, YearMonth};

pub use counts::{Cell, ForceCounts};
pub use import::ImportSummary;
pub use returns::ReturnsSummary;

/// The file name of the catalog inside a store folder.
pub const DATABASE_FILE: &str = "scrutiny.sqlite";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A store error.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file of the store could not be read or written.
    Io,
    /// The database failed.
    Database,
    /// A store file is damaged.
    Corrupt,
    /// There is no store, or no such force, at the place named.
    NotFound,
    /// The store was written by a newer Scrutiny.
    Newer,
    /// The request is ambiguous (for example several forces and none named).
    Ambiguous,
    /// A strict import found rejected rows, so it stored nothing.
    Rejected,
    /// A setting is wrong (for example an unsupported database URL).
    Config,
    /// A value given to the store is not acceptable (for example an email without '@').
    Invalid,
    /// The change clashes with what is stored (for example an account that exists).
    Conflict,
    /// A governance item cannot move to the state asked for.
    Transition,
    /// A bug in Scrutiny.
    Internal,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }

    pub fn io(path: &Path, error: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Io, format!("{}: {error}", path.display()))
    }

    pub fn corrupt(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Corrupt, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, format!("{} (this is a bug in Scrutiny: please report it)", message.into()))
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        Self::new(ErrorKind::Database, format!("database: {error}"))
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Self::new(ErrorKind::Database, format!("migrating the store: {error}"))
    }
}

/// What the store holds for one force and source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub source: Source,
    pub first: YearMonth,
    pub last: YearMonth,
    pub months: u32,
}

/// One force in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceSummary {
    pub name: String,
    pub coverage: Vec<Coverage>,
    /// The latest extract date of the force's extracts, if any.
    pub extracted_on: Option<String>,
}

/// Totals across the store, for checks that an import changed nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub counted: BTreeMap<String, u64>,
    pub records: u64,
    pub segments: u64,
    pub covered_months: u64,
}

/// An open store.
pub struct Store {
    dir: PathBuf,
    pool: SqlitePool,
}

impl Store {
    /// Opens the store in `dir`, which must exist.
    pub async fn open(dir: &Path) -> Result<Store, Error> {
        if !dir.join(DATABASE_FILE).is_file() {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "no store at {} (import data into it first: scrutiny import extract <DIR> --data {})",
                    dir.display(),
                    dir.display()
                ),
            ));
        }
        Self::connect(dir, false).await
    }

    /// Opens the store in `dir`, creating it if there is none.
    pub async fn open_or_create(dir: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        Self::connect(dir, true).await
    }

    /// Creates a store in `dir` at schema `version` (its migrations up to
    /// that one only): for tests that open a store made by an earlier Scrutiny.
    #[doc(hidden)]
    pub async fn create_at_schema(dir: &Path, version: i64) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|error| Error::io(dir, error))?;
        let options =
            SqliteConnectOptions::from_str("sqlite://")?.filename(dir.join(DATABASE_FILE)).create_if_missing(true);
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
        let migrations: Vec<sqlx::migrate::Migration> =
            MIGRATOR.iter().filter(|migration| migration.version <= version).cloned().collect();
        let partial = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(migrations),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        partial.run(&pool).await?;
        pool.close().await;
        Ok(())
    }

    async fn connect(dir: &Path, create: bool) -> Result<Store, Error> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(dir.join(DATABASE_FILE))
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        let store = Store { dir: dir.to_path_buf(), pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies any migration this binary has that the store lacks; refuses a
    /// store migrated by a newer Scrutiny.
    pub async fn migrate(&self) -> Result<(), Error> {
        let known = MIGRATOR.iter().map(|migration| migration.version).max().unwrap_or(0);
        let applied: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_optional(&self.pool)
            .await
            .ok()
            .flatten()
            .flatten();
        if let Some(applied) = applied
            && applied > known
        {
            return Err(Error::new(
                ErrorKind::Newer,
                format!(
                    "the store at {} was written by a newer Scrutiny (schema version {applied}; this one knows up to {known}): upgrade Scrutiny",
                    self.dir.display()
                ),
            ));
        }
        let applied_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_optional(&self.pool)
            .await
            .ok()
            .flatten()
            .unwrap_or(0);
        // Running the migrator writes (and syncs) even when there is nothing
        // to do, so a store that is up to date is only read.
        if applied != Some(known) || applied_count as usize != MIGRATOR.iter().count() {
            MIGRATOR.run(&self.pool).await?;
        }
        pages::convert_legacy_counts(&self.pool).await?;
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Which imports the store holds, as a text that changes with every
    /// committed import of records or returns: what caches of figures key on.
    pub async fn generation(&self) -> Result<String, Error> {
        let (imports, returns): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT (SELECT MAX(id) FROM imports), (SELECT MAX(id) FROM return_imports)")
                .fetch_one(&self.pool)
                .await?;
        Ok(format!("imports {}, returns {}", imports.unwrap_or(0), returns.unwrap_or(0)))
    }

    /// The forces in the store with what each source covers.
    pub async fn forces(&self) -> Result<Vec<ForceSummary>, Error> {
        let rows: Vec<(String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT f.name, c.source, MIN(c.month), MAX(c.month), COUNT(c.month),
                    (SELECT MAX(extracted_on) FROM imports i WHERE i.force_id = f.id)
             FROM forces f LEFT JOIN coverage c ON c.force_id = f.id
             GROUP BY f.id, c.source ORDER BY f.name, c.source",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut forces: Vec<ForceSummary> = Vec::new();
        for (name, source, first, last, months, extracted_on) in rows {
            if forces.last().is_none_or(|force| force.name != name) {
                forces.push(ForceSummary { name: name.clone(), coverage: Vec::new(), extracted_on });
            }
            if let (Some(source), Some(first), Some(last), Some(months)) = (source, first, last, months) {
                let source = Source::from_code(source as u8)
                    .ok_or_else(|| Error::corrupt(format!("unknown source code {source}")))?;
                forces.last_mut().expect("pushed above").coverage.push(Coverage {
                    source,
                    first: YearMonth::from_index(first as i32),
                    last: YearMonth::from_index(last as i32),
                    months: months as u32,
                });
            }
        }
        Ok(forces)
    }

    /// The force a report is for: the one named (any case), or the only one.
    pub async fn resolve_force(&self, requested: Option<&str>) -> Result<String, Error> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT name FROM forces ORDER BY name").fetch_all(&self.pool).await?;
        match requested {
            Some(requested) => {
                names.iter().find(|name| name.eq_ignore_ascii_case(requested)).cloned().ok_or_else(|| {
                    Error::new(
                        ErrorKind::NotFound,
                        format!("no force '{requested}' in the store (forces: {})", list_or_none(&names)),
                    )
                })
            }
            None => match names.as_slice() {
                [only] => Ok(only.clone()),
                [] => Err(Error::new(ErrorKind::NotFound, "the store holds no force yet: import data first")),
                _ => Err(Error::new(
                    ErrorKind::Ambiguous,
                    format!(
                        "the store holds {} forces: choose one with --force ({})",
                        names.len(),
                        list_or_none(&names)
                    ),
                )),
            },
        }
    }

    /// Loads the counts of `force` for the months of `period`.
    pub async fn force_counts(&self, force: &str, period: Period) -> Result<ForceCounts, Error> {
        let force_id: i64 = sqlx::query_scalar("SELECT id FROM forces WHERE name = ?")
            .bind(force)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("no force '{force}' in the store")))?;
        let (from, to) = (i64::from(period.from.index()), i64::from(period.to.index()));
        let mut counts = ForceCounts { force: force.to_string(), loaded: Some(period), ..ForceCounts::default() };
        let codes: std::collections::HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT id, code FROM codes")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        let pages: Vec<(i64, i64, Vec<u8>)> =
            sqlx::query_as("SELECT source, month, cells FROM count_pages WHERE force_id = ? AND month BETWEEN ? AND ?")
                .bind(force_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
        for (source, month, cells) in pages {
            let source = Source::from_code(source as u8)
                .ok_or_else(|| Error::corrupt(format!("unknown source code {source}")))?;
            // Districts summed out: a force-level report filters on code, flags and detail.
            let mut summed: BTreeMap<(u32, u16, u16), u64> = BTreeMap::new();
            for cell in pages::decode(&cells)? {
                *summed.entry((cell.code_id, cell.flags, cell.detail)).or_default() += u64::from(cell.n);
            }
            let month_cells = counts.cells.entry((source, YearMonth::from_index(month as i32))).or_default();
            for ((code, flags, detail), n) in summed {
                let code = codes
                    .get(&i64::from(code))
                    .cloned()
                    .ok_or_else(|| Error::corrupt(format!("count names unknown code id {code}")))?;
                month_cells.push(Cell { code, flags: Flags(flags), detail, n });
            }
        }
        let covered: Vec<(i64, i64)> =
            sqlx::query_as("SELECT source, month FROM coverage WHERE force_id = ? AND month BETWEEN ? AND ?")
                .bind(force_id)
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
        for (source, month) in covered {
            if let Some(source) = Source::from_code(source as u8) {
                counts.covered.insert((source, YearMonth::from_index(month as i32)));
            }
        }
        Ok(counts)
    }

    /// Totals across the store.
    pub async fn totals(&self) -> Result<Totals, Error> {
        let mut totals = Totals::default();
        let counted: Vec<(i64, i64)> =
            sqlx::query_as("SELECT source, SUM(total) FROM count_pages GROUP BY source").fetch_all(&self.pool).await?;
        for (source, n) in counted {
            let name = Source::from_code(source as u8)
                .map(|source| source.name().to_string())
                .unwrap_or_else(|| source.to_string());
            totals.counted.insert(name, n as u64);
        }
        let (records, segments): (Option<i64>, i64) =
            sqlx::query_as("SELECT SUM(records), COUNT(*) FROM segments").fetch_one(&self.pool).await?;
        totals.records = records.unwrap_or(0) as u64;
        totals.segments = segments as u64;
        totals.covered_months =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM coverage").fetch_one(&self.pool).await? as u64;
        Ok(totals)
    }

    /// Closes the pool, checkpointing the write-ahead log.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() { "none".to_string() } else { names.join(", ") }
}
