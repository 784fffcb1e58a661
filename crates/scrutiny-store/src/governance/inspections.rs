//! Inspection reports (HMICFRS and others), their recommendations with the
//! force's position, lead and status, each change kept as a dated update, and
//! the date of the PCC's published response that the 56-day clock watches.

use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use scrutiny_core::governance::{Date, InspectionFields, RecommendationFields, RecommendationStatus, ResponseClock};

use super::{Actor, Bind, Conditions, Governance, Saved, fetch_by_id, fetch_rows, now, parse_column, parse_optional};
use crate::{Error, ErrorKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationUpdate {
    pub at: String,
    pub actor: String,
    pub status: RecommendationStatus,
    pub force_position: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub id: i64,
    pub inspection_id: i64,
    /// Its number within the report.
    pub position: i64,
    pub text: String,
    pub force_position: String,
    pub lead: String,
    pub status: RecommendationStatus,
    /// Oldest first.
    pub updates: Vec<RecommendationUpdate>,
    pub version: i64,
}

impl Recommendation {
    fn audit_json(&self) -> Value {
        json!({"inspection_id": self.inspection_id, "position": self.position, "recommendation": self.text,
               "force_position": self.force_position, "lead": self.lead, "status": self.status.as_str(),
               "version": self.version})
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub id: i64,
    pub body: String,
    pub title: String,
    pub published: Date,
    pub response_published_on: Option<Date>,
    pub response_note: String,
    pub recommendations: Vec<Recommendation>,
    pub version: i64,
}

impl Inspection {
    /// The 56-day clock for the PCC's published response, on `today`.
    pub fn clock(&self, today: Date) -> ResponseClock {
        ResponseClock::new(self.published, self.response_published_on, today)
    }

    fn audit_json(&self) -> Value {
        json!({"body": self.body, "title": self.title, "published": self.published.to_string(),
               "response_published_on": self.response_published_on.map(|on| on.to_string()),
               "response_note": self.response_note, "version": self.version})
    }
}

/// Which inspection reports to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionFilter {
    /// Only reports whose response is overdue on this date.
    pub overdue_on: Option<Date>,
    /// Words in the body, title or any recommendation's text, position or lead.
    pub search: Option<String>,
}

const INSPECTION_COLUMNS: &str =
    "i.id, i.body, i.title, i.published_on, i.response_published_on, i.response_note, i.version";

fn inspection_from_row(row: &AnyRow) -> Result<Inspection, Error> {
    Ok(Inspection {
        id: row.try_get("id")?,
        body: row.try_get("body")?,
        title: row.try_get("title")?,
        published: parse_column(row, "published_on")?,
        response_published_on: parse_optional(row, "response_published_on")?,
        response_note: row.try_get("response_note")?,
        recommendations: Vec::new(),
        version: row.try_get("version")?,
    })
}

const RECOMMENDATION_COLUMNS: &str =
    "id, inspection_id, position, recommendation_text, force_position, lead, status, version";

fn recommendation_from_row(row: &AnyRow) -> Result<Recommendation, Error> {
    Ok(Recommendation {
        id: row.try_get("id")?,
        inspection_id: row.try_get("inspection_id")?,
        position: row.try_get("position")?,
        text: row.try_get("recommendation_text")?,
        force_position: row.try_get("force_position")?,
        lead: row.try_get("lead")?,
        status: parse_column(row, "status")?,
        updates: Vec::new(),
        version: row.try_get("version")?,
    })
}

fn update_from_row(row: &AnyRow) -> Result<(i64, RecommendationUpdate), Error> {
    Ok((
        row.try_get("recommendation_id")?,
        RecommendationUpdate {
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            status: parse_column(row, "status")?,
            force_position: row.try_get("force_position")?,
            note: row.try_get("note")?,
        },
    ))
}

type Transaction<'t> = sqlx::Transaction<'t, sqlx::Any>;

super::versioned!(Inspection, "inspection", inspection_in, inspection);

impl Governance {
    pub async fn create_inspection(&self, actor: &Actor, fields: &InspectionFields) -> Result<Inspection, Error> {
        let mut transaction = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspections (body, title, published_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(fields.body.clone())
        .bind(fields.title.clone())
        .bind(fields.published.to_string())
        .bind(now())
        .fetch_one(&mut *transaction)
        .await?;
        let inspection = Self::inspection_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, "inspection", id, "create", None, Some(inspection.audit_json())).await?;
        transaction.commit().await?;
        Ok(inspection)
    }

    async fn inspection_in(transaction: &mut Transaction<'_>, id: i64) -> Result<Inspection, Error> {
        let sql = format!("SELECT {INSPECTION_COLUMNS} FROM inspections i WHERE i.id = $1");
        let mut inspection = fetch_by_id(&mut **transaction, sql, id, inspection_from_row, "inspection report").await?;
        let mut recommendations = fetch_rows(
            &mut **transaction,
            format!("SELECT {RECOMMENDATION_COLUMNS} FROM recommendations WHERE inspection_id = $1 ORDER BY position"),
            vec![Bind::Int(id)],
            recommendation_from_row,
        )
        .await?;
        let updates = fetch_rows(
            &mut **transaction,
            "SELECT u.recommendation_id, u.at, u.actor, u.status, u.force_position, u.note FROM recommendation_updates u \
             JOIN recommendations r ON r.id = u.recommendation_id WHERE r.inspection_id = $1 ORDER BY u.id"
                .to_string(),
            vec![Bind::Int(id)],
            update_from_row,
        )
        .await?;
        for (recommendation_id, update) in updates {
            if let Some(recommendation) = recommendations.iter_mut().find(|r| r.id == recommendation_id) {
                recommendation.updates.push(update);
            }
        }
        inspection.recommendations = recommendations;
        Ok(inspection)
    }

    /// A report with its recommendations and their histories.
    pub async fn inspection(&self, id: i64) -> Result<Inspection, Error> {
        let mut transaction = self.pool.begin().await?;
        let inspection = Self::inspection_in(&mut transaction, id).await?;
        transaction.commit().await?;
        Ok(inspection)
    }

    /// Reports, newest first, with their recommendations (without histories).
    pub async fn inspections(&self, filter: &InspectionFilter) -> Result<Vec<Inspection>, Error> {
        let mut conditions = Conditions::default();
        if let Some(search) = &filter.search {
            conditions.search(
                &[
                    "i.body",
                    "i.title",
                    "(SELECT MAX(r.recommendation_text || ' ' || r.force_position || ' ' || r.lead) \
                   FROM recommendations r WHERE r.inspection_id = i.id)",
                ],
                search,
            );
        }
        let sql = format!(
            "SELECT {INSPECTION_COLUMNS} FROM inspections i{} ORDER BY i.published_on DESC, i.id DESC",
            conditions.sql()
        );
        let mut inspections = fetch_rows(&self.pool, sql, conditions.binds, inspection_from_row).await?;
        let recommendations = fetch_rows(
            &self.pool,
            format!("SELECT {RECOMMENDATION_COLUMNS} FROM recommendations ORDER BY inspection_id, position"),
            Vec::new(),
            recommendation_from_row,
        )
        .await?;
        for recommendation in recommendations {
            if let Some(inspection) = inspections.iter_mut().find(|i| i.id == recommendation.inspection_id) {
                inspection.recommendations.push(recommendation);
            }
        }
        if let Some(today) = filter.overdue_on {
            inspections.retain(|inspection| inspection.clock(today).overdue());
        }
        Ok(inspections)
    }

    /// Records when the PCC's response to a report was published.
    pub async fn record_inspection_response(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        published_on: Date,
        note: &str,
    ) -> Result<Saved<Inspection>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::inspection_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        if published_on < before.published {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("the response cannot be published before the report ({})", before.published),
            ));
        }
        let result = sqlx::query(
            "UPDATE inspections SET response_published_on = $1, response_note = $2, version = version + 1 \
             WHERE id = $3 AND version = $4",
        )
        .bind(published_on.to_string())
        .bind(note.trim().to_string())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_update(transaction, actor, id, "response", &before, result.rows_affected()).await
    }

    async fn append_update(
        transaction: &mut Transaction<'_>,
        actor: &Actor,
        recommendation_id: i64,
        fields: &RecommendationFields,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO recommendation_updates (recommendation_id, at, actor, status, force_position, note) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(recommendation_id)
        .bind(now())
        .bind(actor.name.clone())
        .bind(fields.status.as_str())
        .bind(fields.force_position.clone())
        .bind(fields.note.clone())
        .execute(&mut **transaction)
        .await?;
        Ok(())
    }

    async fn recommendation_in(transaction: &mut Transaction<'_>, id: i64) -> Result<Recommendation, Error> {
        let sql = format!("SELECT {RECOMMENDATION_COLUMNS} FROM recommendations WHERE id = $1");
        let mut recommendation =
            fetch_by_id(&mut **transaction, sql, id, recommendation_from_row, "recommendation").await?;
        let updates = fetch_rows(
            &mut **transaction,
            "SELECT recommendation_id, at, actor, status, force_position, note FROM recommendation_updates \
             WHERE recommendation_id = $1 ORDER BY id"
                .to_string(),
            vec![Bind::Int(id)],
            update_from_row,
        )
        .await?;
        recommendation.updates = updates.into_iter().map(|(_, update)| update).collect();
        Ok(recommendation)
    }

    pub async fn recommendation(&self, id: i64) -> Result<Recommendation, Error> {
        let mut transaction = self.pool.begin().await?;
        let recommendation = Self::recommendation_in(&mut transaction, id).await?;
        transaction.commit().await?;
        Ok(recommendation)
    }

    /// Adds a recommendation at the end of a report; its first update records it.
    pub async fn add_recommendation(
        &self,
        actor: &Actor,
        inspection_id: i64,
        fields: &RecommendationFields,
    ) -> Result<Recommendation, Error> {
        let mut transaction = self.pool.begin().await?;
        let last: Option<i64> = sqlx::query_scalar(
            "UPDATE inspections SET version = version WHERE id = $1 RETURNING \
             (SELECT MAX(position) FROM recommendations WHERE inspection_id = $1)",
        )
        .bind(inspection_id)
        .fetch_optional(&mut *transaction)
        .await?
        .ok_or_else(|| super::not_found("inspection report", inspection_id))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO recommendations (inspection_id, position, recommendation_text, force_position, lead, status) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(inspection_id)
        .bind(last.unwrap_or(0) + 1)
        .bind(fields.text.clone())
        .bind(fields.force_position.clone())
        .bind(fields.lead.clone())
        .bind(fields.status.as_str())
        .fetch_one(&mut *transaction)
        .await?;
        let recorded = RecommendationFields {
            note: if fields.note.is_empty() { "Recorded".to_string() } else { fields.note.clone() },
            ..fields.clone()
        };
        Self::append_update(&mut transaction, actor, id, &recorded).await?;
        let recommendation = Self::recommendation_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, "recommendation", id, "create", None, Some(recommendation.audit_json()))
            .await?;
        transaction.commit().await?;
        Ok(recommendation)
    }

    /// Updates the force's position, lead and status of a recommendation
    /// made to `version`, appending a dated update to its history.
    pub async fn update_recommendation(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &RecommendationFields,
    ) -> Result<Saved<Recommendation>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::recommendation_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let result = sqlx::query(
            "UPDATE recommendations SET force_position = $1, lead = $2, status = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
        )
        .bind(fields.force_position.clone())
        .bind(fields.lead.clone())
        .bind(fields.status.as_str())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        if result.rows_affected() == 0 {
            transaction.rollback().await?;
            return Ok(Saved::Stale { current: self.recommendation(id).await? });
        }
        Self::append_update(&mut transaction, actor, id, fields).await?;
        let after = Self::recommendation_in(&mut transaction, id).await?;
        Self::audit(
            &mut transaction,
            actor,
            "recommendation",
            id,
            "update",
            Some(before.audit_json()),
            Some(after.audit_json()),
        )
        .await?;
        transaction.commit().await?;
        Ok(Saved::Done(after))
    }
}
