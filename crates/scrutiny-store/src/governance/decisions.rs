//! Decision records: references allocated per year without gaps or
//! duplicates, drafts edited under versions, sign-offs in the record's order,
//! publication of open ones, and corrections as new versions. The text is
//! fixed from the first sign-off: the store refuses the edit, and triggers in
//! both dialects refuse it to anyone who connects directly.

use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use scrutiny_core::governance::{
    Date, DecisionFields, DecisionReference, DecisionState, Disclosure, SignOffFields, Signatory, decision_is_public,
};

use super::{Actor, Bind, Conditions, Governance, Saved, fetch_by_id, fetch_rows, now, parse_column, transition};
use crate::{Error, ErrorKind};

/// One sign-off of a decision record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub signatory: Signatory,
    pub name: String,
    pub comment: String,
    pub signed_on: Date,
    /// The account that recorded it.
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: i64,
    pub reference: DecisionReference,
    /// 1 for the first record; a correction is the next revision under the same reference.
    pub revision: i64,
    /// The record this one corrects.
    pub supersedes_id: Option<i64>,
    /// The record that corrects this one.
    pub superseded_by: Option<i64>,
    pub originator: String,
    pub title: String,
    pub executive_summary: String,
    pub recommendation: String,
    pub decision: String,
    pub disclosure: Disclosure,
    pub confidential_reason: String,
    /// Plan priorities supported, as `plan-id/priority-id`.
    pub objectives: Vec<String>,
    pub objectives_statement: String,
    pub equality_impact: String,
    pub state: DecisionState,
    pub created_at: String,
    pub published_at: Option<String>,
    /// In the order signed.
    pub signoffs: Vec<SignOff>,
    pub version: i64,
}

impl Decision {
    /// Whether the public may read it (published and open).
    pub fn is_public(&self) -> bool {
        decision_is_public(self.state, self.disclosure)
    }

    /// Who has signed, in order.
    pub fn signed_by(&self) -> Vec<Signatory> {
        self.signoffs.iter().map(|signoff| signoff.signatory).collect()
    }

    /// The fields as they were saved, for a form or a new version.
    pub fn fields(&self) -> DecisionFields {
        DecisionFields {
            originator: self.originator.clone(),
            title: self.title.clone(),
            executive_summary: self.executive_summary.clone(),
            recommendation: self.recommendation.clone(),
            decision: self.decision.clone(),
            disclosure: self.disclosure,
            confidential_reason: self.confidential_reason.clone(),
            objectives: self.objectives.clone(),
            objectives_statement: self.objectives_statement.clone(),
            equality_impact: self.equality_impact.clone(),
        }
    }

    fn audit_json(&self) -> Value {
        let signoffs: Vec<Value> = self
            .signoffs
            .iter()
            .map(|signoff| {
                json!({"signatory": signoff.signatory.as_str(), "name": signoff.name, "comment": signoff.comment,
                       "signed_on": signoff.signed_on.to_string()})
            })
            .collect();
        json!({"reference": self.reference.to_string(), "revision": self.revision, "supersedes_id": self.supersedes_id,
               "originator": self.originator, "title": self.title, "executive_summary": self.executive_summary,
               "recommendation": self.recommendation, "decision": self.decision,
               "disclosure": self.disclosure.as_str(), "confidential_reason": self.confidential_reason,
               "objectives": self.objectives, "objectives_statement": self.objectives_statement,
               "equality_impact": self.equality_impact, "state": self.state.as_str(), "signoffs": signoffs,
               "version": self.version})
    }
}

/// Which decisions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionFilter {
    pub state: Option<DecisionState>,
    /// The year of the reference.
    pub year: Option<i32>,
    /// Include confidential records (only for roles that may read them).
    pub include_confidential: bool,
    /// Only what the public may read: published and open.
    pub public_only: bool,
    /// Words in the reference, title, summary, recommendation or decision.
    pub search: Option<String>,
}

const DECISION_COLUMNS: &str = "d.id, d.reference_year, d.reference_number, d.revision, d.supersedes_id, \
     (SELECT n.id FROM decisions n WHERE n.supersedes_id = d.id) AS superseded_by, d.originator, d.title, \
     d.executive_summary, d.recommendation, d.decision, d.disclosure, d.confidential_reason, d.objectives, \
     d.objectives_statement, d.equality_impact, d.state, d.created_at, d.published_at, d.version";

fn decision_from_row(row: &AnyRow) -> Result<Decision, Error> {
    let year: i64 = row.try_get("reference_year")?;
    let number: i64 = row.try_get("reference_number")?;
    let objectives: String = row.try_get("objectives")?;
    Ok(Decision {
        id: row.try_get("id")?,
        reference: DecisionReference {
            year: i32::try_from(year).map_err(|_| Error::corrupt(format!("decision reference year {year}")))?,
            number: u32::try_from(number).map_err(|_| Error::corrupt(format!("decision reference number {number}")))?,
        },
        revision: row.try_get("revision")?,
        supersedes_id: row.try_get("supersedes_id")?,
        superseded_by: row.try_get("superseded_by")?,
        originator: row.try_get("originator")?,
        title: row.try_get("title")?,
        executive_summary: row.try_get("executive_summary")?,
        recommendation: row.try_get("recommendation")?,
        decision: row.try_get("decision")?,
        disclosure: parse_column(row, "disclosure")?,
        confidential_reason: row.try_get("confidential_reason")?,
        objectives: objectives.lines().map(str::to_string).filter(|line| !line.is_empty()).collect(),
        objectives_statement: row.try_get("objectives_statement")?,
        equality_impact: row.try_get("equality_impact")?,
        state: parse_column(row, "state")?,
        created_at: row.try_get("created_at")?,
        published_at: row.try_get("published_at")?,
        signoffs: Vec::new(),
        version: row.try_get("version")?,
    })
}

fn signoff_from_row(row: &AnyRow) -> Result<(i64, SignOff), Error> {
    Ok((
        row.try_get("decision_id")?,
        SignOff {
            signatory: parse_column(row, "signatory")?,
            name: row.try_get("name")?,
            comment: row.try_get("comment")?,
            signed_on: parse_column(row, "signed_on")?,
            recorded_by: row.try_get("recorded_by")?,
        },
    ))
}

const SIGNOFF_SQL: &str = "SELECT decision_id, signatory, name, comment, signed_on, recorded_by FROM decision_signoffs";

/// A decision as an import gives it: the fields, its reference and the sign-offs already made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDecision {
    pub reference: DecisionReference,
    pub fields: DecisionFields,
    pub signoffs: Vec<SignOffFields>,
    pub published: bool,
}

type Transaction<'t> = sqlx::Transaction<'t, sqlx::Any>;

super::versioned!(Decision, "decision", decision_in, decision);

impl Governance {
    async fn decision_in(transaction: &mut Transaction<'_>, id: i64) -> Result<Decision, Error> {
        let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions d WHERE d.id = $1");
        let mut decision = fetch_by_id(&mut **transaction, sql, id, decision_from_row, "decision").await?;
        let signoffs = fetch_rows(
            &mut **transaction,
            format!("{SIGNOFF_SQL} WHERE decision_id = $1 ORDER BY id"),
            vec![Bind::Int(id)],
            signoff_from_row,
        )
        .await?;
        decision.signoffs = signoffs.into_iter().map(|(_, signoff)| signoff).collect();
        Ok(decision)
    }

    pub async fn decision(&self, id: i64) -> Result<Decision, Error> {
        let mut transaction = self.pool.begin().await?;
        let decision = Self::decision_in(&mut transaction, id).await?;
        transaction.commit().await?;
        Ok(decision)
    }

    /// Decision records, newest reference first, each with its sign-offs.
    pub async fn decisions(&self, filter: &DecisionFilter) -> Result<Vec<Decision>, Error> {
        let mut conditions = Conditions::default();
        if let Some(state) = filter.state {
            conditions.add("d.state = ?", Bind::Text(state.as_str().to_string()));
        }
        if let Some(year) = filter.year {
            conditions.add("d.reference_year = ?", Bind::Int(i64::from(year)));
        }
        if filter.public_only {
            conditions.add("d.state = ?", Bind::Text(DecisionState::Published.as_str().to_string()));
        }
        if filter.public_only || !filter.include_confidential {
            conditions.add("d.disclosure = ?", Bind::Text(Disclosure::Open.as_str().to_string()));
        }
        if let Some(search) = &filter.search {
            conditions
                .search(&["d.reference", "d.title", "d.executive_summary", "d.recommendation", "d.decision"], search);
        }
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM decisions d{} ORDER BY d.reference_year DESC, d.reference_number DESC, d.revision DESC",
            conditions.sql()
        );
        let mut decisions = fetch_rows(&self.pool, sql, conditions.binds, decision_from_row).await?;
        let signoffs =
            fetch_rows(&self.pool, format!("{SIGNOFF_SQL} ORDER BY id"), Vec::new(), signoff_from_row).await?;
        for (decision_id, signoff) in signoffs {
            if let Some(decision) = decisions.iter_mut().find(|decision| decision.id == decision_id) {
                decision.signoffs.push(signoff);
            }
        }
        Ok(decisions)
    }

    /// Allocates the next reference of `year`. The first statement of the
    /// transaction is this write, so concurrent allocations queue on the lock
    /// (SQLite) or the counter row (PostgreSQL) and never share a number.
    async fn allocate_reference(transaction: &mut Transaction<'_>, year: i32) -> Result<DecisionReference, Error> {
        let number: i64 = sqlx::query_scalar(
            "INSERT INTO decision_counters (year, last_number) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last_number = decision_counters.last_number + 1 RETURNING last_number",
        )
        .bind(i64::from(year))
        .fetch_one(&mut **transaction)
        .await?;
        let number = u32::try_from(number).map_err(|_| Error::corrupt(format!("decision counter {number}")))?;
        if number > 999 {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("the references of {year} are used up (999 decisions)"),
            ));
        }
        Ok(DecisionReference { year, number })
    }

    async fn insert_decision(
        transaction: &mut Transaction<'_>,
        reference: DecisionReference,
        revision: i64,
        supersedes_id: Option<i64>,
        fields: &DecisionFields,
    ) -> Result<i64, Error> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO decisions (reference, reference_year, reference_number, revision, supersedes_id, originator, title, \
             executive_summary, recommendation, decision, disclosure, confidential_reason, objectives, \
             objectives_statement, equality_impact, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16) RETURNING id",
        )
        .bind(reference.to_string())
        .bind(i64::from(reference.year))
        .bind(i64::from(reference.number))
        .bind(revision)
        .bind(supersedes_id)
        .bind(fields.originator.clone())
        .bind(fields.title.clone())
        .bind(fields.executive_summary.clone())
        .bind(fields.recommendation.clone())
        .bind(fields.decision.clone())
        .bind(fields.disclosure.as_str())
        .bind(fields.confidential_reason.clone())
        .bind(fields.objectives.join("\n"))
        .bind(fields.objectives_statement.clone())
        .bind(fields.equality_impact.clone())
        .bind(now())
        .fetch_one(&mut **transaction)
        .await?;
        Ok(id)
    }

    /// Drafts a decision record under the next reference of the year of `on`.
    pub async fn create_decision(&self, actor: &Actor, fields: &DecisionFields, on: Date) -> Result<Decision, Error> {
        let mut transaction = self.pool.begin().await?;
        let reference = Self::allocate_reference(&mut transaction, on.year()).await?;
        let id = Self::insert_decision(&mut transaction, reference, 1, None, fields).await?;
        let decision = Self::decision_in(&mut transaction, id).await?;
        Self::audit(&mut transaction, actor, "decision", id, "draft", None, Some(decision.audit_json())).await?;
        transaction.commit().await?;
        Ok(decision)
    }

    /// Saves an edit of a draft made to `version`; a record being signed is refused.
    pub async fn update_decision(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &DecisionFields,
    ) -> Result<Saved<Decision>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::decision_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        if !before.state.editable() {
            return Err(Error::new(
                ErrorKind::Transition,
                "a decision record cannot be edited once signing has started: draft a new version instead",
            ));
        }
        let result = sqlx::query(
            "UPDATE decisions SET originator = $1, title = $2, executive_summary = $3, recommendation = $4, decision = $5, \
             disclosure = $6, confidential_reason = $7, objectives = $8, objectives_statement = $9, equality_impact = $10, \
             version = version + 1 WHERE id = $11 AND version = $12 AND state = 'draft'",
        )
        .bind(fields.originator.clone())
        .bind(fields.title.clone())
        .bind(fields.executive_summary.clone())
        .bind(fields.recommendation.clone())
        .bind(fields.decision.clone())
        .bind(fields.disclosure.as_str())
        .bind(fields.confidential_reason.clone())
        .bind(fields.objectives.join("\n"))
        .bind(fields.objectives_statement.clone())
        .bind(fields.equality_impact.clone())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_decision(transaction, actor, id, "edit", before, result.rows_affected()).await
    }

    /// Records the next sign-off (Chief Finance Officer, Chief Executive, then the PCC).
    pub async fn sign_decision(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        signoff: &SignOffFields,
    ) -> Result<Saved<Decision>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::decision_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let state = before.state.sign(&before.signed_by(), signoff.signatory).map_err(transition)?;
        let result =
            sqlx::query("UPDATE decisions SET state = $1, version = version + 1 WHERE id = $2 AND version = $3")
                .bind(state.as_str())
                .bind(id)
                .bind(version)
                .execute(&mut *transaction)
                .await?;
        if result.rows_affected() == 1 {
            Self::insert_signoff(&mut transaction, actor, id, signoff).await?;
        }
        self.finish_decision(transaction, actor, id, "sign", before, result.rows_affected()).await
    }

    async fn insert_signoff(
        transaction: &mut Transaction<'_>,
        actor: &Actor,
        id: i64,
        signoff: &SignOffFields,
    ) -> Result<(), Error> {
        sqlx::query(
            "INSERT INTO decision_signoffs (decision_id, signatory, name, comment, signed_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(signoff.signatory.as_str())
        .bind(signoff.name.clone())
        .bind(signoff.comment.clone())
        .bind(signoff.date.to_string())
        .bind(actor.name.clone())
        .bind(now())
        .execute(&mut **transaction)
        .await?;
        Ok(())
    }

    /// Publishes a signed, open decision.
    pub async fn publish_decision(&self, actor: &Actor, id: i64, version: i64) -> Result<Saved<Decision>, Error> {
        let mut transaction = self.pool.begin().await?;
        let before = Self::decision_in(&mut transaction, id).await?;
        if before.version != version {
            return Ok(Saved::Stale { current: before });
        }
        let state = before.state.publish(before.disclosure).map_err(transition)?;
        let result = sqlx::query(
            "UPDATE decisions SET state = $1, published_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
        )
        .bind(state.as_str())
        .bind(now())
        .bind(id)
        .bind(version)
        .execute(&mut *transaction)
        .await?;
        self.finish_decision(transaction, actor, id, "publish", before, result.rows_affected()).await
    }

    /// Drafts a correction of a signed record: a new draft under the same
    /// reference, the next revision, linked to the record it corrects (which
    /// stays as it was signed).
    pub async fn new_decision_version(&self, actor: &Actor, id: i64) -> Result<Decision, Error> {
        let mut transaction = self.pool.begin().await?;
        let old = Self::decision_in(&mut transaction, id).await?;
        if !old.state.correctable() {
            return Err(Error::new(
                ErrorKind::Transition,
                "only a signed decision record is corrected by a new version (edit the draft instead)",
            ));
        }
        if let Some(newer) = old.superseded_by {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("{} already has a newer version (decision {newer}): correct that one", old.reference),
            ));
        }
        let new_id =
            Self::insert_decision(&mut transaction, old.reference, old.revision + 1, Some(old.id), &old.fields())
                .await?;
        let decision = Self::decision_in(&mut transaction, new_id).await?;
        Self::audit(&mut transaction, actor, "decision", new_id, "new version", None, Some(decision.audit_json()))
            .await?;
        transaction.commit().await?;
        Ok(decision)
    }

    /// Stores a decision from an import under its own reference, with its
    /// sign-offs, unless one with that reference exists. Returns `None` when
    /// an identical record is already stored (so an import is idempotent), and
    /// an error when a different one is.
    pub async fn import_decision(&self, actor: &Actor, record: &ImportedDecision) -> Result<Option<Decision>, Error> {
        let mut transaction = self.pool.begin().await?;
        let result = Self::import_decision_in(&mut transaction, actor, record).await?;
        transaction.commit().await?;
        Ok(result)
    }

    pub(crate) async fn import_decision_in(
        transaction: &mut Transaction<'_>,
        actor: &Actor,
        record: &ImportedDecision,
    ) -> Result<Option<Decision>, Error> {
        let reference = record.reference;
        // Raise the year's counter to at least this number first (a write), so
        // references allocated later follow the imported ones.
        sqlx::query(
            "INSERT INTO decision_counters (year, last_number) VALUES ($1, $2) \
             ON CONFLICT (year) DO UPDATE SET last_number = CASE WHEN decision_counters.last_number < $2 \
             THEN $2 ELSE decision_counters.last_number END",
        )
        .bind(i64::from(reference.year))
        .bind(i64::from(reference.number))
        .execute(&mut **transaction)
        .await?;
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM decisions WHERE reference_year = $1 AND reference_number = $2 ORDER BY revision LIMIT 1",
        )
        .bind(i64::from(reference.year))
        .bind(i64::from(reference.number))
        .fetch_optional(&mut **transaction)
        .await?;
        if let Some(id) = existing {
            let stored = Self::decision_in(transaction, id).await?;
            let same_signoffs = stored.signoffs.len() == record.signoffs.len()
                && stored.signoffs.iter().zip(&record.signoffs).all(|(a, b)| {
                    a.signatory == b.signatory && a.name == b.name && a.comment == b.comment && a.signed_on == b.date
                });
            if stored.fields() == record.fields && same_signoffs && stored.is_public() == record.published {
                return Ok(None);
            }
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "{reference} is already stored with different content (decision {id}); it is never overwritten"
                ),
            ));
        }
        let id = Self::insert_decision(transaction, reference, 1, None, &record.fields).await?;
        let mut state = DecisionState::Draft;
        let mut signed = Vec::new();
        for signoff in &record.signoffs {
            state = state
                .sign(&signed, signoff.signatory)
                .map_err(|error| Error::new(ErrorKind::Invalid, format!("{reference}: {}", error.message())))?;
            signed.push(signoff.signatory);
            Self::insert_signoff(transaction, actor, id, signoff).await?;
        }
        if record.published {
            state = state
                .publish(record.fields.disclosure)
                .map_err(|error| Error::new(ErrorKind::Invalid, format!("{reference}: {}", error.message())))?;
        }
        sqlx::query("UPDATE decisions SET state = $1, published_at = $2 WHERE id = $3")
            .bind(state.as_str())
            .bind(record.published.then(now))
            .bind(id)
            .execute(&mut **transaction)
            .await?;
        let decision = Self::decision_in(transaction, id).await?;
        Self::audit(transaction, actor, "decision", id, "import", None, Some(decision.audit_json())).await?;
        Ok(Some(decision))
    }

    async fn finish_decision(
        &self,
        transaction: Transaction<'_>,
        actor: &Actor,
        id: i64,
        change: &str,
        before: Decision,
        rows_affected: u64,
    ) -> Result<Saved<Decision>, Error> {
        self.finish_update(transaction, actor, id, change, &before, rows_affected).await
    }
}
