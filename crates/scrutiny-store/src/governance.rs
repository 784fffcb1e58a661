//! Where the board's governance workflow is kept: accounts, sessions,
//! meetings, agenda items and their papers, questions and responses, actions
//! and the audit log.
//!
//! The database is SQLite by default (`<STORE>/governance.sqlite`, created and
//! migrated on first open) or PostgreSQL when given a `postgres://` URL. Both
//! go through sqlx's `Any` driver with the same SQL (`$1` placeholders, which
//! SQLite also reads); only the migrations differ by dialect, in
//! `governance-migrations/{sqlite,postgres}` with identical numbering.
//!
//! Invariants: every change is one transaction that also writes its audit
//! entry (who, when, what, before and after as JSON); the audit log is never
//! updated or deleted (triggers refuse it in both dialects); every editable
//! row has a version, and a save of a stale version changes nothing and
//! returns the row as it now is ([`Saved::Stale`]).

use std::path::Path;

use serde_json::{Value, json};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, AssertSqlSafe, Row};

use scrutiny_core::governance::{
    ActionFields, ActionStatus, Date, DischargeFields, DischargedWhere, MeetingFields, MeetingKind, QuestionForm,
    QuestionState, Role,
};

use crate::{Error, ErrorKind};

mod decisions;
mod import;
mod inspections;
mod panel;
mod papers;

pub use decisions::{Decision, DecisionFilter, ImportedDecision, SignOff};
pub use import::{ACTION_CSV_COLUMNS, DECISION_CSV_COLUMNS, Diagnostic, ImportOutcome};
pub use inspections::{Inspection, InspectionFilter, Recommendation, RecommendationUpdate};
pub use panel::{PanelQuestion, PanelQuestionFilter, WorkProgrammeEntry};
pub use papers::{NewPaper, Paper, PaperFile, PaperFilter, sha256_hex};

/// The file name of the embedded governance database inside a store folder.
pub const GOVERNANCE_FILE: &str = "governance.sqlite";

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./governance-migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./governance-migrations/postgres");

/// Which database the governance data lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A record being read for [`Versioned`] (boxed: a trait's own future types
/// would not prove `Send` for every lifetime the web handlers need).
pub(crate) type Reading<'a, T> = std::pin::Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// A record saved by version (an UPDATE … WHERE version = the one edited):
/// read again inside the transaction that changed it, or afresh when the
/// edit was stale, and written to the audit log as JSON. See
/// [`Governance::finish_update`].
pub(crate) trait Versioned: Sized + Send {
    /// The audit log's name for it.
    const ENTITY: &'static str;

    fn read_in<'a, 't: 'a>(transaction: &'a mut sqlx::Transaction<'t, sqlx::Any>, id: i64) -> Reading<'a, Self>;

    fn read(governance: &Governance, id: i64) -> Reading<'_, Self>;

    fn audited(&self) -> Value;
}

/// Implements [`Versioned`] for a record type with the functions that read
/// it inside a transaction and afresh (expanded where they are visible).
macro_rules! versioned {
    ($type:ty, $entity:literal, $read_in:ident, $read:ident) => {
        impl $crate::governance::Versioned for $type {
            const ENTITY: &'static str = $entity;

            fn read_in<'a, 't: 'a>(
                transaction: &'a mut sqlx::Transaction<'t, sqlx::Any>,
                id: i64,
            ) -> $crate::governance::Reading<'a, Self> {
                Box::pin($crate::governance::Governance::$read_in(transaction, id))
            }

            fn read(governance: &$crate::governance::Governance, id: i64) -> $crate::governance::Reading<'_, Self> {
                Box::pin(governance.$read(id))
            }

            fn audited(&self) -> serde_json::Value {
                self.audit_json()
            }
        }
    };
}
pub(crate) use versioned;

versioned!(Question, "question", question_in, question);

versioned!(Action, "action", action_in, action);

/// Who made a change, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account, or `None` for the command line (imports, `user add`, the demo seed).
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor { user_id: None, name: name.to_string() }
    }

    pub fn user(user: &User) -> Actor {
        Actor { user_id: Some(user.id), name: user.email.clone() }
    }
}

/// The outcome of saving an edit made to a version of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved<T> {
    /// Saved; the row as it now is (with its new version).
    Done(T),
    /// Someone else saved first: nothing changed, and this is their version.
    Stale { current: T },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub version: i64,
}

impl User {
    fn audit_json(&self) -> Value {
        // The password hash is never written to the audit log.
        json!({"email": self.email, "display_name": self.display_name, "role": self.role.as_str(), "version": self.version})
    }
}

/// A live session: whose it is and the synchroniser token its forms carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub date: Date,
    pub venue: String,
    pub attendees: String,
    pub version: i64,
}

impl Meeting {
    fn audit_json(&self) -> Value {
        json!({"kind": self.kind.as_str(), "title": self.title, "date": self.date.to_string(), "venue": self.venue,
               "attendees": self.attendees, "version": self.version})
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
    pub paper: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub meeting_id: i64,
    pub paper: String,
    pub priority: String,
    pub text: String,
    pub asked_by: String,
    pub asked_at: String,
    pub state: QuestionState,
    pub response: Option<String>,
    pub responder: Option<String>,
    pub responded_at: Option<String>,
    pub published_at: Option<String>,
    pub version: i64,
}

impl Question {
    fn audit_json(&self) -> Value {
        json!({"meeting_id": self.meeting_id, "paper": self.paper, "priority": self.priority, "question": self.text,
               "state": self.state.as_str(), "response": self.response, "responder": self.responder,
               "version": self.version})
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub owner: String,
    pub due: Option<Date>,
    pub status: ActionStatus,
    pub progress: String,
    pub discharge_note: Option<String>,
    pub discharged_where: Option<DischargedWhere>,
    pub discharged_reference: Option<String>,
    pub discharged_at: Option<String>,
    pub raised_at: String,
    pub version: i64,
}

impl Action {
    fn audit_json(&self) -> Value {
        json!({"meeting_id": self.meeting_id, "action": self.text, "owner": self.owner,
               "due": self.due.map(|due| due.to_string()), "status": self.status.as_str(), "progress": self.progress,
               "discharge_note": self.discharge_note, "discharged_where": self.discharged_where.map(|w| w.as_str()),
               "discharged_reference": self.discharged_reference, "version": self.version})
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: i64,
    pub change: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Which meetings to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFilter {
    pub kind: Option<MeetingKind>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Words in the title, venue or attendees.
    pub search: Option<String>,
}

/// Which actions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub meeting_id: Option<i64>,
    pub status: Option<ActionStatus>,
    /// Only open actions due before this date.
    pub overdue_on: Option<Date>,
    /// Words in the text, owner, progress or discharge note.
    pub search: Option<String>,
}

/// A value bound to a numbered placeholder.
enum Bind {
    Text(String),
    Int(i64),
    OptionalText(Option<String>),
    OptionalInt(Option<i64>),
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn bind_all(mut query: AnyQuery<'_>, binds: Vec<Bind>) -> AnyQuery<'_> {
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text),
            Bind::Int(int) => query.bind(int),
            Bind::OptionalText(text) => query.bind(text),
            Bind::OptionalInt(int) => query.bind(int),
        };
    }
    query
}

/// Conditions of a list query, numbered as they are added.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    fn add(&mut self, clause: &str, bind: Bind) {
        self.binds.push(bind);
        self.clauses.push(clause.replace('?', &format!("${}", self.binds.len())));
    }

    fn search(&mut self, columns: &[&str], words: &str) {
        for word in words.split_whitespace() {
            let pattern =
                format!("%{}%", word.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            self.binds.push(Bind::Text(pattern));
            let n = self.binds.len();
            let any: Vec<String> =
                columns.iter().map(|column| format!("LOWER(COALESCE({column}, '')) LIKE ${n} ESCAPE '\\'")).collect();
            self.clauses.push(format!("({})", any.join(" OR ")));
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

/// Runs a query with its binds and maps every row: the one shape of every list.
async fn fetch_rows<'c, T>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    sql: String,
    binds: Vec<Bind>,
    map: fn(&AnyRow) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), binds).fetch_all(executor).await?;
    rows.iter().map(map).collect()
}

/// Fetches the one row `sql` selects by `$1 = id`, or says there is no such `what`.
async fn fetch_by_id<'c, T>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    sql: String,
    id: i64,
    map: fn(&AnyRow) -> Result<T, Error>,
    what: &str,
) -> Result<T, Error> {
    let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(executor).await?;
    row.as_ref().map(map).transpose()?.ok_or_else(|| not_found(what, id))
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn parse_column<T: std::str::FromStr<Err = scrutiny_core::Error>>(row: &AnyRow, column: &str) -> Result<T, Error> {
    let text: String = row.try_get(column)?;
    text.parse().map_err(|error: scrutiny_core::Error| {
        Error::corrupt(format!("governance database, column {column}: {}", error.message()))
    })
}

fn parse_optional<T: std::str::FromStr<Err = scrutiny_core::Error>>(
    row: &AnyRow,
    column: &str,
) -> Result<Option<T>, Error> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|text| {
        text.parse().map_err(|error: scrutiny_core::Error| {
            Error::corrupt(format!("governance database, column {column}: {}", error.message()))
        })
    })
    .transpose()
}

const USER_COLUMNS: &str = "id, email, display_name, role, password_hash, version";

fn user_from_row(row: &AnyRow) -> Result<User, Error> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: parse_column(row, "role")?,
        password_hash: row.try_get("password_hash")?,
        version: row.try_get("version")?,
    })
}

const MEETING_COLUMNS: &str = "id, kind, title, meeting_date, venue, attendees, version";

fn meeting_from_row(row: &AnyRow) -> Result<Meeting, Error> {
    Ok(Meeting {
        id: row.try_get("id")?,
        kind: parse_column(row, "kind")?,
        title: row.try_get("title")?,
        date: parse_column(row, "meeting_date")?,
        venue: row.try_get("venue")?,
        attendees: row.try_get("attendees")?,
        version: row.try_get("version")?,
    })
}

const QUESTION_COLUMNS: &str = "q.id, q.meeting_id, q.paper, q.priority, q.question, asker.display_name AS asked_by, \
     q.asked_at, q.state, q.response, responder.display_name AS responder, q.responded_at, q.published_at, q.version";
const QUESTION_FROM: &str =
    "questions q JOIN users asker ON asker.id = q.asked_by LEFT JOIN users responder ON responder.id = q.responder_id";

fn question_from_row(row: &AnyRow) -> Result<Question, Error> {
    Ok(Question {
        id: row.try_get("id")?,
        meeting_id: row.try_get("meeting_id")?,
        paper: row.try_get("paper")?,
        priority: row.try_get("priority")?,
        text: row.try_get("question")?,
        asked_by: row.try_get("asked_by")?,
        asked_at: row.try_get("asked_at")?,
        state: parse_column(row, "state")?,
        response: row.try_get("response")?,
        responder: row.try_get("responder")?,
        responded_at: row.try_get("responded_at")?,
        published_at: row.try_get("published_at")?,
        version: row.try_get("version")?,
    })
}

const ACTION_COLUMNS: &str = "id, meeting_id, action_text, owner, due_date, status, progress, discharge_note, \
     discharged_where, discharged_reference, discharged_at, raised_at, version";

fn action_from_row(row: &AnyRow) -> Result<Action, Error> {
    Ok(Action {
        id: row.try_get("id")?,
        meeting_id: row.try_get("meeting_id")?,
        text: row.try_get("action_text")?,
        owner: row.try_get("owner")?,
        due: parse_optional(row, "due_date")?,
        status: parse_column(row, "status")?,
        progress: row.try_get("progress")?,
        discharge_note: row.try_get("discharge_note")?,
        discharged_where: parse_optional(row, "discharged_where")?,
        discharged_reference: row.try_get("discharged_reference")?,
        discharged_at: row.try_get("discharged_at")?,
        raised_at: row.try_get("raised_at")?,
        version: row.try_get("version")?,
    })
}

fn not_found(what: &str, id: i64) -> Error {
    Error::new(ErrorKind::NotFound, format!("there is no {what} {id}"))
}

fn transition(error: scrutiny_core::Error) -> Error {
    Error::new(ErrorKind::Transition, error.message().to_string())
}

/// The governance database.
#[derive(Clone)]
pub struct Governance {
    pool: AnyPool,
    dialect: Dialect,
    /// Where it is, for messages (never a password).
    place: String,
}

impl Governance {
    /// Opens the governance database of the store in `store_dir` (creating the
    /// folder and the embedded database if needed), or the PostgreSQL database
    /// at `database_url`, and migrates it.
    pub async fn open(store_dir: &Path, database_url: Option<&str>) -> Result<Governance, Error> {
        let governance = Self::connect(store_dir, database_url).await?;
        governance.migrate().await?;
        Ok(governance)
    }

    /// Connects without migrating (for `scrutiny migrate` and tests of refusal).
    pub async fn connect(store_dir: &Path, database_url: Option<&str>) -> Result<Governance, Error> {
        sqlx::any::install_default_drivers();
        let (url, dialect, place) = match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                (url.to_string(), Dialect::Postgres, redact(url))
            }
            Some(url) => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("--database {}: only postgres:// URLs are supported", redact(url)),
                ));
            }
            None => {
                std::fs::create_dir_all(store_dir).map_err(|error| Error::io(store_dir, error))?;
                let file = store_dir.join(GOVERNANCE_FILE);
                (format!("sqlite://{}?mode=rwc", file.display()), Dialect::Sqlite, file.display().to_string())
            }
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if dialect == Dialect::Sqlite { 4 } else { 8 })
            .connect(&url)
            .await
            .map_err(|error| {
                Error::new(ErrorKind::Database, format!("opening the governance database {place}: {error}"))
            })?;
        Ok(Governance { pool, dialect, place })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.dialect {
            Dialect::Sqlite => &SQLITE_MIGRATOR,
            Dialect::Postgres => &POSTGRES_MIGRATOR,
        }
    }

    /// The newest schema version this binary knows.
    pub fn known_version(&self) -> i64 {
        self.migrator().iter().map(|migration| migration.version).max().unwrap_or(0)
    }

    /// The newest schema version applied to the database (0 when empty).
    pub async fn applied_version(&self) -> Result<i64, Error> {
        let applied: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_optional(&self.pool)
            .await
            .ok()
            .flatten()
            .flatten();
        Ok(applied.unwrap_or(0))
    }

    /// Applies the migrations the database lacks, each in its own transaction;
    /// refuses a database migrated by a newer Scrutiny. Returns how many it applied.
    pub async fn migrate(&self) -> Result<usize, Error> {
        let known = self.known_version();
        let before = self.applied_version().await?;
        if before > known {
            return Err(Error::new(
                ErrorKind::Newer,
                format!(
                    "the governance database {} was migrated by a newer Scrutiny (schema version {before}; this one knows up to {known}): upgrade Scrutiny",
                    self.place
                ),
            ));
        }
        self.migrator().run(&self.pool).await?;
        let applied =
            self.migrator().iter().filter(|m| m.version > before && m.migration_type.is_up_migration()).count();
        Ok(applied)
    }

    /// Applies the migrations up to `version` only: for tests that build a
    /// database at an earlier schema and then migrate it with rows in it.
    #[doc(hidden)]
    pub async fn migrate_up_to(&self, version: i64) -> Result<(), Error> {
        let known = self.migrator();
        let migrations: Vec<sqlx::migrate::Migration> =
            known.iter().filter(|migration| migration.version <= version).cloned().collect();
        let partial = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(migrations),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        partial.run(&self.pool).await?;
        Ok(())
    }

    /// Ends the update of a versioned record in `transaction`, whose UPDATE
    /// changed `rows_affected` rows: none means the edit was stale — rolled
    /// back, and the record as it now is; otherwise the record is read again,
    /// the change audited (as `change` by `actor`, from `before`) and
    /// committed.
    pub(crate) async fn finish_update<T: Versioned>(
        &self,
        mut transaction: sqlx::Transaction<'_, sqlx::Any>,
        actor: &Actor,
        id: i64,
        change: &str,
        before: &T,
        rows_affected: u64,
    ) -> Result<Saved<T>, Error> {
        if rows_affected == 0 {
            transaction.rollback().await?;
            return Ok(Saved::Stale { current: T::read(self, id).await? });
        }
        let after = T::read_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, T::ENTITY, id, change, Some(before.audited()), Some(after.audited()))
            .await?;
        transaction.commit().await?;
        Ok(Saved::Done(after))
    }

    async fn audit(
        transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
        actor: &Actor,
        entity: &str,
        entity_id: i64,
        change: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor, entity, entity_id, change, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(now())
        .bind(actor.user_id)
        .bind(actor.name.clone())
        .bind(entity.to_string())
        .bind(entity_id)
        .bind(change.to_string())
        .bind(before.map(|value| value.to_string()))
        .bind(after.map(|value| value.to_string()))
        .execute(&mut **transaction)
        .await?;
        Ok(())
    }

    // ----- accounts and sessions

    /// Creates an account; `password_hash` is a PHC string (argon2), hashed by the caller.
    pub async fn create_user(
        &self,
        actor: &Actor,
        email: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User, Error> {
        if role == Role::Public {
            return Err(Error::new(ErrorKind::Invalid, "the public is not an account role"));
        }
        let email = email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 200 {
            return Err(Error::new(ErrorKind::Invalid, format!("'{email}' is not an email address")));
        }
        let mut transaction = self.pool.begin().await?;
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&mut *transaction)
            .await?;
        if existing.is_some() {
            return Err(Error::new(ErrorKind::Conflict, format!("there is already an account for {email}")));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email.clone())
        .bind(display_name.trim().to_string())
        .bind(role.as_str())
        .bind(password_hash.to_string())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let user = User {
            id,
            email,
            display_name: display_name.trim().to_string(),
            role,
            password_hash: password_hash.to_string(),
            version: 1,
        };
        Self::audit(&mut transaction, actor, "user", id, "create", None, Some(user.audit_json())).await?;
        transaction.commit().await?;
        Ok(user)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, Error> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1")))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>, Error> {
        fetch_rows(&self.pool, format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"), Vec::new(), user_from_row).await
    }

    /// Records a session under the hash of its token (the token itself is only in the cookie).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash.to_string())
        .bind(user_id)
        .bind(csrf_token.to_string())
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session with this token hash, if it has not expired at `now`.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>, Error> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.role, u.password_hash, u.version, s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Session {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), Error> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes sessions expired at `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, Error> {
        let result = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
        Ok(result.rows_affected())
    }

    // ----- meetings and agenda items

    pub async fn create_meeting(&self, actor: &Actor, fields: &MeetingFields) -> Result<Meeting, Error> {
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (kind, title, meeting_date, venue, attendees, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(fields.kind.as_str())
        .bind(fields.title.clone())
        .bind(fields.date.to_string())
        .bind(fields.venue.clone())
        .bind(fields.attendees.clone())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let meeting = Meeting {
            id,
            kind: fields.kind,
            title: fields.title.clone(),
            date: fields.date,
            venue: fields.venue.clone(),
            attendees: fields.attendees.clone(),
            version: 1,
        };
        Self::audit(&mut transaction, actor, "meeting", id, "create", None, Some(meeting.audit_json())).await?;
        transaction.commit().await?;
        Ok(meeting)
    }

    pub async fn meeting(&self, id: i64) -> Result<Meeting, Error> {
        let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = $1");
        fetch_by_id(&self.pool, sql, id, meeting_from_row, "meeting").await
    }

    /// Saves an edit made to version `version` of a meeting.
    pub async fn update_meeting(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &MeetingFields,
    ) -> Result<Saved<Meeting>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = self.meeting(id).await?;
        let result = sqlx::query(
            "UPDATE meetings SET kind = $1, title = $2, meeting_date = $3, venue = $4, attendees = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
        )
        .bind(fields.kind.as_str())
        .bind(fields.title.clone())
        .bind(fields.date.to_string())
        .bind(fields.venue.clone())
        .bind(fields.attendees.clone())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        if result.rows_affected() == 0 {
            transaction.rollback().await?;
            return Ok(Saved::Stale { current: self.meeting(id).await? });
        }
        let after = Meeting {
            id,
            kind: fields.kind,
            title: fields.title.clone(),
            date: fields.date,
            venue: fields.venue.clone(),
            attendees: fields.attendees.clone(),
            version: version + 1,
        };
        let before_json = Meeting { version, ..before }.audit_json();
        Self::audit(&mut transaction, actor, "meeting", id, "update", Some(before_json), Some(after.audit_json()))
            .await?;
        transaction.commit().await?;
        Ok(Saved::Done(after))
    }

    pub async fn meetings(&self, filter: &MeetingFilter) -> Result<Vec<Meeting>, Error> {
        let mut conditions = Conditions::default();
        if let Some(kind) = filter.kind {
            conditions.add("kind = ?", Bind::Text(kind.as_str().to_string()));
        }
        if let Some(from) = filter.from {
            conditions.add("meeting_date >= ?", Bind::Text(from.to_string()));
        }
        if let Some(to) = filter.to {
            conditions.add("meeting_date <= ?", Bind::Text(to.to_string()));
        }
        if let Some(search) = &filter.search {
            conditions.search(&["title", "venue", "attendees"], search);
        }
        let sql =
            format!("SELECT {MEETING_COLUMNS} FROM meetings{} ORDER BY meeting_date DESC, id DESC", conditions.sql());
        fetch_rows(&self.pool, sql, conditions.binds, meeting_from_row).await
    }

    /// Adds an item at the end of a meeting's agenda.
    pub async fn add_agenda_item(
        &self,
        actor: &Actor,
        meeting_id: i64,
        title: &str,
        paper: &str,
    ) -> Result<AgendaItem, Error> {
        self.meeting(meeting_id).await?;
        let mut transaction = self.pool.begin().await?;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(position) FROM agenda_items WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(&mut *transaction)
            .await?;
        let position = last.unwrap_or(0) + 1;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agenda_items (meeting_id, position, title, paper) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(meeting_id)
        .bind(position)
        .bind(title.trim().to_string())
        .bind(paper.trim().to_string())
        .fetch_one(&mut *transaction)
        .await?;
        let item = AgendaItem {
            id,
            meeting_id,
            position,
            title: title.trim().to_string(),
            paper: paper.trim().to_string(),
            version: 1,
        };
        let after = json!({"meeting_id": meeting_id, "position": position, "title": item.title, "paper": item.paper});
        Self::audit(&mut transaction, actor, "agenda_item", id, "create", None, Some(after)).await?;
        transaction.commit().await?;
        Ok(item)
    }

    pub async fn agenda(&self, meeting_id: i64) -> Result<Vec<AgendaItem>, Error> {
        let rows = sqlx::query(
            "SELECT id, meeting_id, position, title, paper, version FROM agenda_items WHERE meeting_id = $1 ORDER BY position",
        )
        .bind(meeting_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AgendaItem {
                    id: row.try_get("id")?,
                    meeting_id: row.try_get("meeting_id")?,
                    position: row.try_get("position")?,
                    title: row.try_get("title")?,
                    paper: row.try_get("paper")?,
                    version: row.try_get("version")?,
                })
            })
            .collect()
    }

    // ----- questions and responses

    /// Asks a question at a meeting; `asker` must be an account.
    pub async fn ask_question(&self, asker: &User, meeting_id: i64, form: &QuestionForm) -> Result<Question, Error> {
        self.meeting(meeting_id).await?;
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO questions (meeting_id, paper, priority, question, asked_by, asked_at, state) \
             VALUES ($1, $2, $3, $4, $5, $6, 'asked') RETURNING id",
        )
        .bind(meeting_id)
        .bind(form.paper.clone())
        .bind(form.priority.clone())
        .bind(form.text.clone())
        .bind(asker.id)
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let question = Self::question_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, &Actor::user(asker), "question", id, "ask", None, Some(question.audit_json()))
            .await?;
        transaction.commit().await?;
        Ok(question)
    }

    async fn question_in(transaction: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<Question, Error> {
        let sql = format!("SELECT {QUESTION_COLUMNS} FROM {QUESTION_FROM} WHERE q.id = $1");
        fetch_by_id(&mut **transaction, sql, id, question_from_row, "question").await
    }

    pub async fn question(&self, id: i64) -> Result<Question, Error> {
        let sql = format!("SELECT {QUESTION_COLUMNS} FROM {QUESTION_FROM} WHERE q.id = $1");
        fetch_by_id(&self.pool, sql, id, question_from_row, "question").await
    }

    /// Questions of a meeting (or all), grouped as the paper groups them: by paper, then priority.
    pub async fn questions(&self, meeting_id: Option<i64>, published_only: bool) -> Result<Vec<Question>, Error> {
        let mut conditions = Conditions::default();
        if let Some(meeting_id) = meeting_id {
            conditions.add("q.meeting_id = ?", Bind::Int(meeting_id));
        }
        if published_only {
            conditions.add("q.state = ?", Bind::Text("published".into()));
        }
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM {QUESTION_FROM}{} ORDER BY q.meeting_id, q.paper, q.priority, q.id",
            conditions.sql()
        );
        fetch_rows(&self.pool, sql, conditions.binds, question_from_row).await
    }

    /// Edits a question's text while it is still only asked.
    pub async fn edit_question(
        &self,
        editor: &User,
        id: i64,
        version: i64,
        form: &QuestionForm,
    ) -> Result<Saved<Question>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::question_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        if !before.state.question_editable() {
            return Err(Error::new(ErrorKind::Transition, "a question the force has responded to cannot be edited"));
        }
        let result = sqlx::query(
            "UPDATE questions SET paper = $1, priority = $2, question = $3, version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(form.paper.clone())
        .bind(form.priority.clone())
        .bind(form.text.clone())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_question(transaction, editor, id, "edit", before, result.rows_affected()).await
    }

    /// Records the force's response (a responder may revise it until publication).
    pub async fn respond(
        &self,
        responder: &User,
        id: i64,
        version: i64,
        response: &str,
    ) -> Result<Saved<Question>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::question_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let state = before.state.respond().map_err(transition)?;
        let result = sqlx::query(
            "UPDATE questions SET response = $1, responder_id = $2, responded_at = $3, state = $4, version = version + 1 \
             WHERE id = $5 AND version = $6",
        )
        .bind(response.to_string())
        .bind(responder.id)
        .bind(now())
        .bind(state.as_str())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_question(transaction, responder, id, "respond", before, result.rows_affected()).await
    }

    /// Publishes a responded question with its response.
    pub async fn publish_question(&self, publisher: &User, id: i64, version: i64) -> Result<Saved<Question>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::question_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let state = before.state.publish().map_err(transition)?;
        let result = sqlx::query(
            "UPDATE questions SET state = $1, published_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
        )
        .bind(state.as_str())
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_question(transaction, publisher, id, "publish", before, result.rows_affected()).await
    }

    async fn finish_question(
        &self,
        transaction: sqlx::Transaction<'_, sqlx::Any>,
        user: &User,
        id: i64,
        change: &str,
        before: Question,
        rows_affected: u64,
    ) -> Result<Saved<Question>, Error> {
        self.finish_update(transaction, &Actor::user(user), id, change, &before, rows_affected).await
    }

    // ----- actions

    pub async fn raise_action(&self, actor: &Actor, meeting_id: i64, fields: &ActionFields) -> Result<Action, Error> {
        self.meeting(meeting_id).await?;
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO actions (meeting_id, action_text, owner, due_date, status, raised_at) \
             VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
        )
        .bind(meeting_id)
        .bind(fields.text.clone())
        .bind(fields.owner.clone())
        .bind(fields.due.map(|due| due.to_string()))
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let action = Self::action_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, "action", id, "raise", None, Some(action.audit_json())).await?;
        transaction.commit().await?;
        Ok(action)
    }

    async fn action_in(transaction: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<Action, Error> {
        let sql = format!("SELECT {ACTION_COLUMNS} FROM actions WHERE id = $1");
        fetch_by_id(&mut **transaction, sql, id, action_from_row, "action").await
    }

    pub async fn action(&self, id: i64) -> Result<Action, Error> {
        fetch_by_id(
            &self.pool,
            format!("SELECT {ACTION_COLUMNS} FROM actions WHERE id = $1"),
            id,
            action_from_row,
            "action",
        )
        .await
    }

    pub async fn actions(&self, filter: &ActionFilter) -> Result<Vec<Action>, Error> {
        let mut conditions = Conditions::default();
        if let Some(meeting_id) = filter.meeting_id {
            conditions.add("meeting_id = ?", Bind::Int(meeting_id));
        }
        if let Some(status) = filter.status {
            conditions.add("status = ?", Bind::Text(status.as_str().to_string()));
        }
        if let Some(today) = filter.overdue_on {
            conditions.add("status = 'open' AND due_date IS NOT NULL AND due_date < ?", Bind::Text(today.to_string()));
        }
        if let Some(search) = &filter.search {
            conditions.search(&["action_text", "owner", "progress", "discharge_note"], search);
        }
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions{} ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, \
             COALESCE(due_date, '9999-12-31'), id",
            conditions.sql()
        );
        fetch_rows(&self.pool, sql, conditions.binds, action_from_row).await
    }

    /// Edits an open action's text, owner and due date.
    pub async fn update_action(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &ActionFields,
    ) -> Result<Saved<Action>, Error> {
        self.change_action(actor, id, version, "update", |action| {
            if action.status != ActionStatus::Open {
                return Err(Error::new(ErrorKind::Transition, "a discharged action cannot be edited"));
            }
            Ok((
                "action_text = $1, owner = $2, due_date = $3",
                vec![
                    Bind::Text(fields.text.clone()),
                    Bind::Text(fields.owner.clone()),
                    Bind::OptionalText(fields.due.map(|due| due.to_string())),
                ],
            ))
        })
        .await
    }

    /// Replaces an open action's progress update (what the owner reports).
    pub async fn update_action_progress(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        progress: &str,
    ) -> Result<Saved<Action>, Error> {
        self.change_action(actor, id, version, "progress", |action| {
            if action.status != ActionStatus::Open {
                return Err(Error::new(ErrorKind::Transition, "a discharged action cannot be updated"));
            }
            Ok(("progress = $1", vec![Bind::Text(progress.trim().to_string())]))
        })
        .await
    }

    /// Discharges an open action with a note and where it was discharged.
    pub async fn discharge_action(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &DischargeFields,
    ) -> Result<Saved<Action>, Error> {
        self.change_action(actor, id, version, "discharge", |action| {
            let status = action.status.discharge().map_err(transition)?;
            Ok((
                "status = $1, discharge_note = $2, discharged_where = $3, discharged_reference = $4, discharged_at = $5",
                vec![
                    Bind::Text(status.as_str().to_string()),
                    Bind::Text(fields.note.clone()),
                    Bind::Text(fields.place.as_str().to_string()),
                    Bind::OptionalText(Some(fields.reference.clone()).filter(|reference| !reference.is_empty())),
                    Bind::Text(now()),
                ],
            ))
        })
        .await
    }

    async fn change_action<'f>(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        change: &str,
        set: impl FnOnce(&Action) -> Result<(&'f str, Vec<Bind>), Error>,
    ) -> Result<Saved<Action>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::action_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let (assignments, mut binds) = set(&before)?;
        let n = binds.len();
        binds.push(Bind::Int(id));
        binds.push(Bind::OptionalInt(Some(version)));
        let sql = format!(
            "UPDATE actions SET {assignments}, version = version + 1 WHERE id = ${} AND version = ${}",
            n + 1,
            n + 2
        );
        let result = bind_all(sqlx::query(AssertSqlSafe(sql)), binds).execute(&mut *transaction).await?;
        self.finish_update(transaction, actor, id, change, &before, result.rows_affected()).await
    }

    // ----- the audit log (read only)

    /// The id of the newest audit entry (0 for none): every change is
    /// audited in its own transaction, so this moves whenever anything
    /// recorded does — what a cache of rendered pages keys on.
    pub async fn generation(&self) -> Result<i64, Error> {
        let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_log").fetch_one(&self.pool).await?;
        Ok(newest.unwrap_or(0))
    }

    /// The newest `limit` entries, newest first, optionally of one entity.
    pub async fn audit_log(&self, entity: Option<(&str, i64)>, limit: i64) -> Result<Vec<AuditEntry>, Error> {
        self.history(entity.as_slice(), entity.is_none(), limit).await
    }

    /// The newest `limit` entries about any of `records` (entity, id), newest
    /// first — every entry when `records` is empty and `all` is set, none
    /// when it is not: one query for a page that lists a record with its parts.
    pub async fn history(&self, records: &[(&str, i64)], all: bool, limit: i64) -> Result<Vec<AuditEntry>, Error> {
        if records.is_empty() && !all {
            return Ok(Vec::new());
        }
        let mut conditions = Conditions::default();
        let mut any = Vec::new();
        for (entity, id) in records {
            conditions.binds.push(Bind::Text(entity.to_string()));
            conditions.binds.push(Bind::Int(*id));
            let n = conditions.binds.len();
            any.push(format!("(entity = ${} AND entity_id = ${n})", n - 1));
        }
        if !any.is_empty() {
            conditions.clauses.push(format!("({})", any.join(" OR ")));
        }
        let sql = format!(
            "SELECT id, at, actor, entity, entity_id, change, before_json, after_json FROM audit_log{} ORDER BY id DESC LIMIT {}",
            conditions.sql(),
            limit.max(0)
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), conditions.binds).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let json = |column: &str| -> Result<Option<Value>, Error> {
                    let text: Option<String> = row.try_get(column)?;
                    text.map(|text| {
                        serde_json::from_str(&text)
                            .map_err(|error| Error::corrupt(format!("audit log, column {column}: {error}")))
                    })
                    .transpose()
                };
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    entity: row.try_get("entity")?,
                    entity_id: row.try_get("entity_id")?,
                    change: row.try_get("change")?,
                    before: json("before_json")?,
                    after: json("after_json")?,
                })
            })
            .collect()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A database URL with any password replaced, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://scrutiny:secret@db:5432/x"), "postgres://scrutiny:***@db:5432/x");
        assert_eq!(redact("postgres://postgres@127.0.0.1:5433/x"), "postgres://postgres@127.0.0.1:5433/x");
    }
}
