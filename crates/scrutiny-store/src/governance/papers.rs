//! Meeting papers: the generated quarterly paper, kept as the snapshot the
//! board saw, and uploaded PDF and DOCX files. The bytes live in the
//! database (BLOB in SQLite, BYTEA in PostgreSQL) with their SHA-256, which
//! the store computes; the audit log records the digest, never the bytes.
//! A paper's file never changes once attached (triggers in both dialects),
//! and publishing is a versioned change like every other.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use scrutiny_core::governance::{PaperCategory, PaperFormat, PaperSource};

use super::{Actor, Bind, Conditions, Governance, Saved, fetch_by_id, fetch_rows, now, parse_column};
use crate::{Error, ErrorKind};

/// A paper's record without its bytes (lists never read them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub id: i64,
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    pub title: String,
    pub category: PaperCategory,
    pub source: PaperSource,
    pub format: PaperFormat,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// Whether the generated paper's HTML is kept beside its PDF.
    pub has_html: bool,
    /// The file's text, for search.
    pub text: String,
    pub attached_by: String,
    pub attached_at: String,
    pub published_at: Option<String>,
    pub version: i64,
}

impl Paper {
    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }

    fn audit_json(&self) -> Value {
        json!({"meeting_id": self.meeting_id, "agenda_item_id": self.agenda_item_id, "title": self.title,
               "category": self.category.as_str(), "source": self.source.as_str(),
               "media_type": self.format.media_type(), "file_name": self.file_name, "size_bytes": self.size_bytes,
               "sha256": self.sha256, "published_at": self.published_at, "version": self.version})
    }
}

/// A paper to attach: what it is and its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPaper {
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    pub title: String,
    pub category: PaperCategory,
    pub source: PaperSource,
    pub format: PaperFormat,
    pub file_name: String,
    pub content: Vec<u8>,
    /// The generated paper's HTML, if kept.
    pub html: Option<String>,
    /// The file's text, extracted by the caller (the store does not read documents).
    pub text: String,
}

/// A paper's file as it is downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperFile {
    pub format: PaperFormat,
    pub file_name: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// Which papers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperFilter {
    pub meeting_id: Option<i64>,
    pub published_only: bool,
    /// Words in the title or the text.
    pub search: Option<String>,
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

const PAPER_COLUMNS: &str = "id, meeting_id, agenda_item_id, title, category, source, media_type, file_name, \
     size_bytes, sha256, html IS NOT NULL AS has_html, text_content, attached_by_name, attached_at, published_at, version";

fn paper_from_row(row: &AnyRow) -> Result<Paper, Error> {
    let media_type: String = row.try_get("media_type")?;
    let format = PaperFormat::from_media_type(&media_type)
        .ok_or_else(|| Error::corrupt(format!("governance database, column media_type: '{media_type}'")))?;
    // SQLite answers a boolean expression as an integer, PostgreSQL as a boolean.
    let has_html = match row.try_get::<bool, _>("has_html") {
        Ok(value) => value,
        Err(_) => row.try_get::<i64, _>("has_html")? != 0,
    };
    Ok(Paper {
        id: row.try_get("id")?,
        meeting_id: row.try_get("meeting_id")?,
        agenda_item_id: row.try_get("agenda_item_id")?,
        title: row.try_get("title")?,
        category: parse_column(row, "category")?,
        source: parse_column(row, "source")?,
        format,
        file_name: row.try_get("file_name")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        has_html,
        text: row.try_get("text_content")?,
        attached_by: row.try_get("attached_by_name")?,
        attached_at: row.try_get("attached_at")?,
        published_at: row.try_get("published_at")?,
        version: row.try_get("version")?,
    })
}

super::versioned!(Paper, "paper", paper_in, paper);

impl Governance {
    /// Attaches a paper to a meeting (and, if given, one of its agenda items):
    /// the row, its file and its audit entry in one transaction.
    pub async fn attach_paper(&self, actor: &Actor, paper: &NewPaper) -> Result<Paper, Error> {
        let title = paper.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(Error::new(ErrorKind::Invalid, "a paper's title is required (at most 200 characters)"));
        }
        if paper.content.is_empty() {
            return Err(Error::new(ErrorKind::Invalid, "a paper's file is empty"));
        }
        let mut transaction = self.pool.begin().await?;
        let meeting: Option<i64> = sqlx::query_scalar("SELECT id FROM meetings WHERE id = $1")
            .bind(paper.meeting_id)
            .fetch_optional(&mut *transaction)
            .await?;
        if meeting.is_none() {
            return Err(super::not_found("meeting", paper.meeting_id));
        }
        if let Some(item) = paper.agenda_item_id {
            let owner: Option<i64> = sqlx::query_scalar("SELECT meeting_id FROM agenda_items WHERE id = $1")
                .bind(item)
                .fetch_optional(&mut *transaction)
                .await?;
            if owner != Some(paper.meeting_id) {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    format!("agenda item {item} is not on this meeting's agenda"),
                ));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO papers (meeting_id, agenda_item_id, title, category, source, media_type, file_name, size_bytes, \
             sha256, content, html, text_content, attached_by, attached_by_name, attached_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(paper.meeting_id)
        .bind(paper.agenda_item_id)
        .bind(title.to_string())
        .bind(paper.category.as_str())
        .bind(paper.source.as_str())
        .bind(paper.format.media_type())
        .bind(paper.file_name.clone())
        .bind(paper.content.len() as i64)
        .bind(sha256_hex(&paper.content))
        .bind(paper.content.clone())
        .bind(paper.html.clone())
        .bind(paper.text.clone())
        .bind(actor.user_id)
        .bind(actor.name.clone())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let stored = Self::paper_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, "paper", id, "attach", None, Some(stored.audit_json())).await?;
        transaction.commit().await?;
        Ok(stored)
    }

    async fn paper_in(transaction: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64) -> Result<Paper, Error> {
        let sql = format!("SELECT {PAPER_COLUMNS} FROM papers WHERE id = $1");
        fetch_by_id(&mut **transaction, sql, id, paper_from_row, "paper").await
    }

    pub async fn paper(&self, id: i64) -> Result<Paper, Error> {
        fetch_by_id(
            &self.pool,
            format!("SELECT {PAPER_COLUMNS} FROM papers WHERE id = $1"),
            id,
            paper_from_row,
            "paper",
        )
        .await
    }

    /// Papers in meeting order, then as attached.
    pub async fn papers(&self, filter: &PaperFilter) -> Result<Vec<Paper>, Error> {
        let mut conditions = Conditions::default();
        if let Some(meeting_id) = filter.meeting_id {
            conditions.add("meeting_id = ?", Bind::Int(meeting_id));
        }
        if filter.published_only {
            conditions.clauses.push("published_at IS NOT NULL".to_string());
        }
        if let Some(search) = &filter.search {
            conditions.search(&["title", "text_content"], search);
        }
        let sql = format!("SELECT {PAPER_COLUMNS} FROM papers{} ORDER BY meeting_id, id", conditions.sql());
        fetch_rows(&self.pool, sql, conditions.binds, paper_from_row).await
    }

    /// A paper's file, as stored.
    pub async fn paper_file(&self, id: i64) -> Result<PaperFile, Error> {
        let row = sqlx::query("SELECT media_type, file_name, sha256, content FROM papers WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| super::not_found("paper", id))?;
        let media_type: String = row.try_get("media_type")?;
        Ok(PaperFile {
            format: PaperFormat::from_media_type(&media_type)
                .ok_or_else(|| Error::corrupt(format!("governance database, column media_type: '{media_type}'")))?,
            file_name: row.try_get("file_name")?,
            sha256: row.try_get("sha256")?,
            content: row.try_get("content")?,
        })
    }

    /// The generated paper's HTML, if it was kept.
    pub async fn paper_html(&self, id: i64) -> Result<Option<String>, Error> {
        let html: Option<Option<String>> =
            sqlx::query_scalar("SELECT html FROM papers WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        html.ok_or_else(|| super::not_found("paper", id))
    }

    /// Publishes version `version` of a paper: from now on the portal shows it.
    pub async fn publish_paper(&self, actor: &Actor, id: i64, version: i64) -> Result<Saved<Paper>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::paper_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        if before.is_published() {
            return Err(Error::new(ErrorKind::Transition, "the paper is already published"));
        }
        let result = sqlx::query(
            "UPDATE papers SET published_at = $1, version = version + 1 WHERE id = $2 AND version = $3 AND published_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_update(transaction, actor, id, "publish", &before, result.rows_affected()).await
    }
}
