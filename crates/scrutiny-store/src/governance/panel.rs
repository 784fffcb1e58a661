//! The Police and Crime Panel's records (migration 0004): members' questions
//! to the Commissioner for a panel meeting with the Commissioner's answers,
//! and the panel's forward work programme.

use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use scrutiny_core::governance::{Date, MeetingKind};
use scrutiny_core::panel::{
    PanelQuestionFields, PanelQuestionState, WorkProgrammeFields, WorkProgrammeSection, WorkProgrammeStatus,
};

use super::{
    Actor, Bind, Conditions, Governance, Saved, User, fetch_by_id, fetch_rows, now, parse_column, parse_optional,
};
use crate::{Error, ErrorKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelQuestion {
    pub id: i64,
    pub meeting_id: i64,
    pub member_name: String,
    pub member_authority: String,
    pub question: String,
    /// `plan-id/priority-id` keys.
    pub priorities: Vec<String>,
    /// The account that submitted it (the member, or a panel officer).
    pub submitted_by_id: i64,
    pub submitted_by: String,
    pub submitted_at: String,
    pub state: PanelQuestionState,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub published_at: Option<String>,
    pub version: i64,
}

impl PanelQuestion {
    fn audit_json(&self) -> Value {
        json!({"meeting_id": self.meeting_id, "member_name": self.member_name,
               "member_authority": self.member_authority, "question": self.question,
               "priorities": self.priorities, "state": self.state.as_str(), "answer": self.answer,
               "version": self.version})
    }
}

/// Which panel questions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelQuestionFilter {
    pub meeting_id: Option<i64>,
    pub state: Option<PanelQuestionState>,
    /// Only those submitted by this account.
    pub submitted_by: Option<i64>,
    /// Published ones, and also those submitted by this account (a member's view).
    pub published_or_submitted_by: Option<i64>,
    /// Words in the question, member, authority or answer.
    pub search: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkProgrammeEntry {
    pub id: i64,
    pub meeting_date: Option<Date>,
    pub section: WorkProgrammeSection,
    pub title: String,
    pub notes: String,
    pub status: WorkProgrammeStatus,
    pub version: i64,
}

impl WorkProgrammeEntry {
    fn audit_json(&self) -> Value {
        json!({"meeting_date": self.meeting_date.map(|date| date.to_string()), "section": self.section.as_str(),
               "title": self.title, "notes": self.notes, "status": self.status.as_str(), "version": self.version})
    }
}

const PANEL_QUESTION_COLUMNS: &str = "p.id, p.meeting_id, p.member_name, p.member_authority, p.question, \
     p.priorities, p.submitted_by, submitter.display_name AS submitter, p.submitted_at, p.state, p.answer, \
     answerer.display_name AS answerer, p.answered_at, p.published_at, p.version";
const PANEL_QUESTION_FROM: &str = "panel_questions p JOIN users submitter ON submitter.id = p.submitted_by \
     LEFT JOIN users answerer ON answerer.id = p.answered_by JOIN meetings m ON m.id = p.meeting_id";

fn panel_question_from_row(row: &AnyRow) -> Result<PanelQuestion, Error> {
    let priorities: String = row.try_get("priorities")?;
    Ok(PanelQuestion {
        id: row.try_get("id")?,
        meeting_id: row.try_get("meeting_id")?,
        member_name: row.try_get("member_name")?,
        member_authority: row.try_get("member_authority")?,
        question: row.try_get("question")?,
        priorities: priorities.lines().map(str::to_string).filter(|line| !line.is_empty()).collect(),
        submitted_by_id: row.try_get("submitted_by")?,
        submitted_by: row.try_get("submitter")?,
        submitted_at: row.try_get("submitted_at")?,
        state: parse_column(row, "state")?,
        answer: row.try_get("answer")?,
        answered_by: row.try_get("answerer")?,
        answered_at: row.try_get("answered_at")?,
        published_at: row.try_get("published_at")?,
        version: row.try_get("version")?,
    })
}

const WORK_PROGRAMME_COLUMNS: &str = "id, meeting_date, section, title, notes, status, version";

fn work_programme_from_row(row: &AnyRow) -> Result<WorkProgrammeEntry, Error> {
    Ok(WorkProgrammeEntry {
        id: row.try_get("id")?,
        meeting_date: parse_optional(row, "meeting_date")?,
        section: parse_column(row, "section")?,
        title: row.try_get("title")?,
        notes: row.try_get("notes")?,
        status: parse_column(row, "status")?,
        version: row.try_get("version")?,
    })
}

type Transaction<'t> = sqlx::Transaction<'t, sqlx::Any>;

super::versioned!(PanelQuestion, "panel_question", panel_question_in, panel_question);

super::versioned!(WorkProgrammeEntry, "work_programme", work_programme_entry_in, work_programme_entry);

impl Governance {
    // ----- questions to the Commissioner

    /// Submits a member's question for a panel meeting (not a board meeting).
    pub async fn submit_panel_question(
        &self,
        submitter: &User,
        meeting_id: i64,
        fields: &PanelQuestionFields,
    ) -> Result<PanelQuestion, Error> {
        let meeting = self.meeting(meeting_id).await?;
        if meeting.kind != MeetingKind::Panel {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!(
                    "meeting {meeting_id} is a board meeting: questions to the Commissioner are for panel meetings"
                ),
            ));
        }
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO panel_questions (meeting_id, member_name, member_authority, question, priorities, \
             submitted_by, submitted_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted') RETURNING id",
        )
        .bind(meeting_id)
        .bind(fields.member_name.clone())
        .bind(fields.member_authority.clone())
        .bind(fields.question.clone())
        .bind(fields.priorities.join("\n"))
        .bind(submitter.id)
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let question = Self::panel_question_in(&mut transaction, id).await?;
        Self::audit(
            &mut transaction,
            &Actor::user(submitter),
            "panel_question",
            id,
            "submit",
            None,
            Some(question.audit_json()),
        )
        .await?;
        transaction.commit().await?;
        Ok(question)
    }

    async fn panel_question_in(transaction: &mut Transaction<'_>, id: i64) -> Result<PanelQuestion, Error> {
        let sql = format!("SELECT {PANEL_QUESTION_COLUMNS} FROM {PANEL_QUESTION_FROM} WHERE p.id = $1");
        fetch_by_id(&mut **transaction, sql, id, panel_question_from_row, "panel question").await
    }

    pub async fn panel_question(&self, id: i64) -> Result<PanelQuestion, Error> {
        let sql = format!("SELECT {PANEL_QUESTION_COLUMNS} FROM {PANEL_QUESTION_FROM} WHERE p.id = $1");
        fetch_by_id(&self.pool, sql, id, panel_question_from_row, "panel question").await
    }

    /// Panel questions, by meeting date (newest first) and then as submitted.
    pub async fn panel_questions(&self, filter: &PanelQuestionFilter) -> Result<Vec<PanelQuestion>, Error> {
        let mut conditions = Conditions::default();
        if let Some(meeting_id) = filter.meeting_id {
            conditions.add("p.meeting_id = ?", Bind::Int(meeting_id));
        }
        if let Some(state) = filter.state {
            conditions.add("p.state = ?", Bind::Text(state.as_str().to_string()));
        }
        if let Some(account) = filter.submitted_by {
            conditions.add("p.submitted_by = ?", Bind::Int(account));
        }
        if let Some(account) = filter.published_or_submitted_by {
            conditions.add("(p.state = 'published' OR p.submitted_by = ?)", Bind::Int(account));
        }
        if let Some(search) = &filter.search {
            conditions.search(&["p.question", "p.member_name", "p.member_authority", "p.answer"], search);
        }
        let sql = format!(
            "SELECT {PANEL_QUESTION_COLUMNS} FROM {PANEL_QUESTION_FROM}{} ORDER BY m.meeting_date DESC, p.meeting_id, p.id",
            conditions.sql()
        );
        fetch_rows(&self.pool, sql, conditions.binds, panel_question_from_row).await
    }

    /// Changes a question while it is only submitted.
    pub async fn edit_panel_question(
        &self,
        editor: &User,
        id: i64,
        version: i64,
        fields: &PanelQuestionFields,
    ) -> Result<Saved<PanelQuestion>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::panel_question_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        if !before.state.question_editable() {
            return Err(Error::new(ErrorKind::Transition, "an answered panel question cannot be changed"));
        }
        let result = sqlx::query(
            "UPDATE panel_questions SET member_name = $1, member_authority = $2, question = $3, priorities = $4, \
             version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(fields.member_name.clone())
        .bind(fields.member_authority.clone())
        .bind(fields.question.clone())
        .bind(fields.priorities.join("\n"))
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_panel_question(transaction, editor, id, "edit", before, result.rows_affected()).await
    }

    /// Records (or revises, until publication) the Commissioner's answer.
    pub async fn answer_panel_question(
        &self,
        recorder: &User,
        id: i64,
        version: i64,
        answer: &str,
    ) -> Result<Saved<PanelQuestion>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::panel_question_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let state = before.state.answer().map_err(super::transition)?;
        let result = sqlx::query(
            "UPDATE panel_questions SET answer = $1, answered_by = $2, answered_at = $3, state = $4, \
             version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(answer.to_string())
        .bind(recorder.id)
        .bind(now())
        .bind(state.as_str())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_panel_question(transaction, recorder, id, "answer", before, result.rows_affected()).await
    }

    /// Publishes an answered question with its answer.
    pub async fn publish_panel_question(
        &self,
        publisher: &User,
        id: i64,
        version: i64,
    ) -> Result<Saved<PanelQuestion>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::panel_question_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let state = before.state.publish().map_err(super::transition)?;
        let result = sqlx::query(
            "UPDATE panel_questions SET state = $1, published_at = $2, version = version + 1 \
             WHERE id = $3 AND version = $4",
        )
        .bind(state.as_str())
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_panel_question(transaction, publisher, id, "publish", before, result.rows_affected()).await
    }

    async fn finish_panel_question(
        &self,
        transaction: Transaction<'_>,
        user: &User,
        id: i64,
        change: &str,
        before: PanelQuestion,
        rows_affected: u64,
    ) -> Result<Saved<PanelQuestion>, Error> {
        self.finish_update(transaction, &Actor::user(user), id, change, &before, rows_affected).await
    }

    // ----- the forward work programme

    pub async fn add_work_programme_entry(
        &self,
        actor: &Actor,
        fields: &WorkProgrammeFields,
    ) -> Result<WorkProgrammeEntry, Error> {
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO work_programme (meeting_date, section, title, notes, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(fields.meeting_date.map(|date| date.to_string()))
        .bind(fields.section.as_str())
        .bind(fields.title.clone())
        .bind(fields.notes.clone())
        .bind(fields.status.as_str())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let entry = Self::work_programme_entry_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, "work_programme", id, "create", None, Some(entry.audit_json())).await?;
        transaction.commit().await?;
        Ok(entry)
    }

    async fn work_programme_entry_in(transaction: &mut Transaction<'_>, id: i64) -> Result<WorkProgrammeEntry, Error> {
        let sql = format!("SELECT {WORK_PROGRAMME_COLUMNS} FROM work_programme WHERE id = $1");
        fetch_by_id(&mut **transaction, sql, id, work_programme_from_row, "work programme entry").await
    }

    pub async fn work_programme_entry(&self, id: i64) -> Result<WorkProgrammeEntry, Error> {
        let sql = format!("SELECT {WORK_PROGRAMME_COLUMNS} FROM work_programme WHERE id = $1");
        fetch_by_id(&self.pool, sql, id, work_programme_from_row, "work programme entry").await
    }

    /// The whole programme in the seed's order: by section, then meeting date
    /// (entries without one last), then as entered. `include_withdrawn` keeps
    /// withdrawn entries (the office's view; the public's leaves them out).
    pub async fn work_programme(&self, include_withdrawn: bool) -> Result<Vec<WorkProgrammeEntry>, Error> {
        let condition = if include_withdrawn { "" } else { " WHERE status <> 'withdrawn'" };
        let sql = format!(
            "SELECT {WORK_PROGRAMME_COLUMNS} FROM work_programme{condition} \
             ORDER BY CASE WHEN meeting_date IS NULL THEN 1 ELSE 0 END, meeting_date, id"
        );
        let mut entries = fetch_rows(&self.pool, sql, Vec::new(), work_programme_from_row).await?;
        entries.sort_by_key(|entry| entry.section);
        Ok(entries)
    }

    /// Saves an entry edited from `version`; a stale version changes nothing.
    pub async fn update_work_programme_entry(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &WorkProgrammeFields,
    ) -> Result<Saved<WorkProgrammeEntry>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::work_programme_entry_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let result = sqlx::query(
            "UPDATE work_programme SET meeting_date = $1, section = $2, title = $3, notes = $4, status = $5, \
             version = version + 1 WHERE id = $6 AND version = $7",
        )
        .bind(fields.meeting_date.map(|date| date.to_string()))
        .bind(fields.section.as_str())
        .bind(fields.title.clone())
        .bind(fields.notes.clone())
        .bind(fields.status.as_str())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_update(transaction, actor, id, "update", &before, result.rows_affected()).await
    }
}
