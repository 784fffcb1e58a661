//! Import of what an office keeps today: the actions log and decision records
//! as CSV (docs/import-actions.md, docs/import-decisions.md). Every row is
//! read first; any unreadable row is a diagnostic naming file, line, field and
//! reason, and then nothing is stored. Otherwise all rows are stored in one
//! transaction (all or nothing); a row already stored identically is left
//! alone, so importing twice changes nothing; a row that clashes with what is
//! stored is a diagnostic and nothing is stored. Each item added is audited.

use std::fmt;
use std::path::Path;

use serde_json::json;

use scrutiny_core::governance::{
    ActionStatus, Date, DecisionFields, DecisionForm, DecisionReference, DischargedWhere, SignOffFields, Signatory,
};

use super::decisions::ImportedDecision;
use super::{Actor, Governance, now};
use crate::{Error, ErrorKind};

/// Why one row of an import file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub reason: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, self.reason)
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub added: usize,
    /// Rows already stored exactly so.
    pub unchanged: usize,
    /// When not empty, nothing was stored.
    pub diagnostics: Vec<Diagnostic>,
}

/// A date as the seeds write it (28/1/2020, 04/12/2019) or as YYYY-MM-DD.
fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    if let Ok(date) = text.parse::<Date>() {
        return Ok(date);
    }
    let parts: Vec<&str> = text.split('/').collect();
    if let [day, month, year] = parts.as_slice()
        && let (Ok(day), Ok(month), Ok(year)) = (day.parse::<u32>(), month.parse::<u32>(), year.parse::<i32>())
        && year >= 1900
    {
        return Date::new(year, month, day).map_err(|error| error.message().to_string());
    }
    Err(format!("'{text}' is not a date (DD/MM/YYYY or YYYY-MM-DD)"))
}

struct Rows {
    file: String,
    headers: Vec<String>,
    records: Vec<(u64, csv::StringRecord)>,
}

fn read_csv(path: &Path, required: &[&str]) -> Result<Rows, Error> {
    let file = path.display().to_string();
    let mut reader =
        csv::ReaderBuilder::new().flexible(false).from_path(path).map_err(|error| Error::io(path, error))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| Error::new(ErrorKind::Invalid, format!("{file}:1: the header cannot be read: {error}")))?
        .iter()
        .map(|header| header.trim().to_string())
        .collect();
    for column in required {
        if !headers.iter().any(|header| header == column) {
            return Err(Error::new(ErrorKind::Invalid, format!("{file}:1: {column}: the column is missing")));
        }
    }
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map(|position| position.line()).unwrap_or(0);
            Error::new(ErrorKind::Invalid, format!("{file}:{line}: the row cannot be read: {error}"))
        })?;
        let line = record.position().map(|position| position.line()).unwrap_or(0);
        records.push((line, record));
    }
    Ok(Rows { file, headers, records })
}

impl Rows {
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.headers.iter().position(|header| header == column).and_then(|index| record.get(index)).unwrap_or("").trim()
    }

    fn diagnostic(&self, line: u64, field: &str, reason: impl Into<String>) -> Diagnostic {
        Diagnostic { file: self.file.clone(), line, field: field.to_string(), reason: reason.into() }
    }
}

/// One row of an actions file, read.
struct ActionRow {
    line: u64,
    meeting_date: Date,
    meeting_title: String,
    text: String,
    owner: String,
    due: Option<Date>,
    status: ActionStatus,
    discharge_note: String,
    discharged_where: Option<DischargedWhere>,
    discharged_reference: String,
}

/// The columns of an actions file, in the seed's "Overview of Actions" terms.
pub const ACTION_CSV_COLUMNS: [&str; 9] = [
    "meeting_date",
    "meeting_title",
    "action",
    "status",
    "owner",
    "due_date",
    "discharge_note",
    "discharged_where",
    "discharged_reference",
];

/// The columns of a decisions file, in the Record of Decision's terms.
pub const DECISION_CSV_COLUMNS: [&str; 20] = [
    "reference",
    "originator",
    "title",
    "disclosure",
    "confidential_reason",
    "executive_summary",
    "recommendation",
    "decision",
    "objectives_statement",
    "equality_impact",
    "cfo_name",
    "cfo_comment",
    "cfo_date",
    "chief_executive_name",
    "chief_executive_comment",
    "chief_executive_date",
    "pcc_name",
    "pcc_comment",
    "pcc_date",
    "published",
];

fn read_actions(rows: &Rows, diagnostics: &mut Vec<Diagnostic>) -> Vec<ActionRow> {
    let mut read = Vec::new();
    for (line, record) in &rows.records {
        let line = *line;
        let before = diagnostics.len();
        let mut date = |column: &str, required: bool| -> Option<Date> {
            let text = rows.get(record, column);
            if text.is_empty() {
                if required {
                    diagnostics.push(rows.diagnostic(line, column, "a date is required"));
                }
                return None;
            }
            parse_date(text).map_err(|reason| diagnostics.push(rows.diagnostic(line, column, reason))).ok()
        };
        let meeting_date = date("meeting_date", true);
        let due = date("due_date", false);
        let mut required = |column: &str| -> String {
            let text = rows.get(record, column);
            if text.is_empty() {
                diagnostics.push(rows.diagnostic(line, column, "is empty"));
            }
            text.to_string()
        };
        let meeting_title = required("meeting_title");
        let text = required("action");
        let owner = required("owner");
        let status = match rows.get(record, "status").to_lowercase().as_str() {
            "open" => Some(ActionStatus::Open),
            "discharged" => Some(ActionStatus::Discharged),
            other => {
                diagnostics.push(rows.diagnostic(line, "status", format!("'{other}' is not Open or Discharged")));
                None
            }
        };
        let place = rows.get(record, "discharged_where");
        let discharged_where = if place.is_empty() {
            None
        } else {
            match place.parse::<DischargedWhere>() {
                Ok(place) => Some(place),
                Err(error) => {
                    diagnostics.push(rows.diagnostic(line, "discharged_where", error.message()));
                    None
                }
            }
        };
        let discharge_note = rows.get(record, "discharge_note").to_string();
        if status == Some(ActionStatus::Discharged) && (discharge_note.is_empty() || discharged_where.is_none()) {
            let field = if discharge_note.is_empty() { "discharge_note" } else { "discharged_where" };
            diagnostics.push(rows.diagnostic(
                line,
                field,
                "a discharged action needs a note and where it was discharged",
            ));
        }
        if status == Some(ActionStatus::Open) && (!discharge_note.is_empty() || discharged_where.is_some()) {
            diagnostics.push(rows.diagnostic(line, "status", "an open action has no discharge"));
        }
        if diagnostics.len() > before {
            continue;
        }
        let (Some(meeting_date), Some(status)) = (meeting_date, status) else { continue };
        read.push(ActionRow {
            line,
            meeting_date,
            meeting_title,
            text,
            owner,
            due,
            status,
            discharge_note,
            discharged_where,
            discharged_reference: rows.get(record, "discharged_reference").to_string(),
        });
    }
    read
}

fn read_decisions(rows: &Rows, diagnostics: &mut Vec<Diagnostic>) -> Vec<(u64, ImportedDecision)> {
    let mut read = Vec::new();
    for (line, record) in &rows.records {
        let line = *line;
        let before = diagnostics.len();
        let reference = match rows.get(record, "reference").parse::<DecisionReference>() {
            Ok(reference) => Some(reference),
            Err(error) => {
                diagnostics.push(rows.diagnostic(line, "reference", error.message()));
                None
            }
        };
        let form = DecisionForm {
            originator: rows.get(record, "originator").into(),
            title: rows.get(record, "title").into(),
            executive_summary: rows.get(record, "executive_summary").into(),
            recommendation: rows.get(record, "recommendation").into(),
            decision: rows.get(record, "decision").into(),
            disclosure: rows.get(record, "disclosure").into(),
            confidential_reason: rows.get(record, "confidential_reason").into(),
            objectives: Vec::new(),
            objectives_statement: rows.get(record, "objectives_statement").into(),
            equality_impact: rows.get(record, "equality_impact").into(),
        };
        let fields: Option<DecisionFields> = match form.validate(&[]) {
            Ok(fields) => Some(fields),
            Err(errors) => {
                for (field, message) in errors.errors {
                    diagnostics.push(rows.diagnostic(line, field, message));
                }
                None
            }
        };
        let mut signoffs = Vec::new();
        for (signatory, prefix) in [
            (Signatory::ChiefFinanceOfficer, "cfo"),
            (Signatory::ChiefExecutive, "chief_executive"),
            (Signatory::Commissioner, "pcc"),
        ] {
            let name = rows.get(record, &format!("{prefix}_name"));
            let date = rows.get(record, &format!("{prefix}_date"));
            if name.is_empty() && date.is_empty() {
                continue;
            }
            if name.is_empty() {
                diagnostics.push(rows.diagnostic(
                    line,
                    &format!("{prefix}_name"),
                    "a sign-off with a date needs a name",
                ));
                continue;
            }
            match parse_date(date) {
                Ok(date) => signoffs.push(SignOffFields {
                    signatory,
                    name: name.to_string(),
                    comment: rows.get(record, &format!("{prefix}_comment")).to_string(),
                    date,
                }),
                Err(reason) => diagnostics.push(rows.diagnostic(line, &format!("{prefix}_date"), reason)),
            }
        }
        let signed: Vec<Signatory> = signoffs.iter().map(|signoff| signoff.signatory).collect();
        if signed != Signatory::ORDER[..signed.len()] {
            diagnostics.push(rows.diagnostic(
                line,
                "pcc_name",
                "sign-offs go in order: Chief Finance Officer, Chief Executive, then the PCC",
            ));
        }
        let published = match rows.get(record, "published").to_lowercase().as_str() {
            "" | "no" | "false" => false,
            "yes" | "true" => true,
            other => {
                diagnostics.push(rows.diagnostic(line, "published", format!("'{other}' is not yes or no")));
                false
            }
        };
        if published && signed.len() < 3 {
            diagnostics.push(rows.diagnostic(line, "published", "only a decision signed by all three is published"));
        }
        if published && rows.get(record, "disclosure").eq_ignore_ascii_case("confidential") {
            diagnostics.push(rows.diagnostic(line, "published", "a confidential decision is never published"));
        }
        if diagnostics.len() > before {
            continue;
        }
        if let (Some(reference), Some(fields)) = (reference, fields) {
            read.push((line, ImportedDecision { reference, fields, signoffs, published }));
        }
    }
    read
}

impl Governance {
    /// Imports an actions log (docs/import-actions.md).
    pub async fn import_actions_csv(&self, actor: &Actor, path: &Path) -> Result<ImportOutcome, Error> {
        let rows = read_csv(path, &["meeting_date", "meeting_title", "action", "status", "owner", "due_date"])?;
        let mut outcome = ImportOutcome::default();
        let actions = read_actions(&rows, &mut outcome.diagnostics);
        if !outcome.diagnostics.is_empty() {
            return Ok(outcome);
        }
        let mut transaction = self.pool.begin().await?;
        for row in &actions {
            let meeting_id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM meetings WHERE meeting_date = $1 AND title = $2 ORDER BY id LIMIT 1",
            )
            .bind(row.meeting_date.to_string())
            .bind(row.meeting_title.clone())
            .fetch_optional(&mut *transaction)
            .await?;
            let meeting_id = match meeting_id {
                Some(id) => id,
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO meetings (kind, title, meeting_date, venue, attendees, created_at) \
                         VALUES ('board', $1, $2, '', '', $3) RETURNING id",
                    )
                    .bind(row.meeting_title.clone())
                    .bind(row.meeting_date.to_string())
                    .bind(now())
                    .fetch_one(&mut *transaction)
                    .await?;
                    let after =
                        json!({"kind": "board", "title": row.meeting_title, "date": row.meeting_date.to_string()});
                    Self::audit(&mut transaction, actor, "meeting", id, "import", None, Some(after)).await?;
                    id
                }
            };
            let existing: Option<(i64, String, Option<String>, String, Option<String>)> = sqlx::query_as(
                "SELECT id, owner, due_date, status, discharge_note FROM actions WHERE meeting_id = $1 AND action_text = $2",
            )
            .bind(meeting_id)
            .bind(row.text.clone())
            .fetch_optional(&mut *transaction)
            .await?;
            let due = row.due.map(|due| due.to_string());
            let note = Some(row.discharge_note.clone()).filter(|note| !note.is_empty());
            if let Some((id, owner, stored_due, status, stored_note)) = existing {
                if owner == row.owner && stored_due == due && status == row.status.as_str() && stored_note == note {
                    outcome.unchanged += 1;
                    continue;
                }
                outcome.diagnostics.push(rows.diagnostic(
                    row.line,
                    "action",
                    format!("action {id} of this meeting is stored with other values; it is never overwritten"),
                ));
                continue;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO actions (meeting_id, action_text, owner, due_date, status, discharge_note, discharged_where, \
                 discharged_reference, discharged_at, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(meeting_id)
            .bind(row.text.clone())
            .bind(row.owner.clone())
            .bind(due.clone())
            .bind(row.status.as_str())
            .bind(note.clone())
            .bind(row.discharged_where.map(|place| place.as_str()))
            .bind(Some(row.discharged_reference.clone()).filter(|reference| !reference.is_empty()))
            .bind((row.status == ActionStatus::Discharged).then(now))
            .bind(now())
            .fetch_one(&mut *transaction)
            .await?;
            let after = json!({"meeting_id": meeting_id, "action": row.text, "owner": row.owner, "due": due,
                               "status": row.status.as_str(), "discharge_note": note, "source": rows.file});
            Self::audit(&mut transaction, actor, "action", id, "import", None, Some(after)).await?;
            outcome.added += 1;
        }
        if outcome.diagnostics.is_empty() {
            transaction.commit().await?;
        } else {
            transaction.rollback().await?;
            outcome.added = 0;
            outcome.unchanged = 0;
        }
        Ok(outcome)
    }

    /// Imports decision records with their sign-offs (docs/import-decisions.md).
    pub async fn import_decisions_csv(&self, actor: &Actor, path: &Path) -> Result<ImportOutcome, Error> {
        let rows = read_csv(path, &DECISION_CSV_COLUMNS)?;
        let mut outcome = ImportOutcome::default();
        let decisions = read_decisions(&rows, &mut outcome.diagnostics);
        if !outcome.diagnostics.is_empty() {
            return Ok(outcome);
        }
        let mut transaction = self.pool.begin().await?;
        for (line, record) in &decisions {
            match Self::import_decision_in(&mut transaction, actor, record).await {
                Ok(Some(_)) => outcome.added += 1,
                Ok(None) => outcome.unchanged += 1,
                Err(error) if matches!(error.kind, ErrorKind::Conflict | ErrorKind::Invalid) => {
                    outcome.diagnostics.push(rows.diagnostic(*line, "reference", error.message()));
                }
                Err(error) => return Err(error),
            }
        }
        if outcome.diagnostics.is_empty() {
            transaction.commit().await?;
        } else {
            transaction.rollback().await?;
            outcome.added = 0;
            outcome.unchanged = 0;
        }
        Ok(outcome)
    }
}
