//! Returns in the store: monthly values and monthly call handling, checked
//! against what is stored (an identical value changes nothing, a different
//! one is rejected, never overwritten) and written in one transaction.

use std::collections::HashMap;
use std::path::PathBuf;

use sqlx::Connection;

use scrutiny_core::returns::{CallMonth, ReturnValue, ReturnValues};
use scrutiny_core::{Period, YearMonth};
use scrutiny_ingest::Diagnostic;
use scrutiny_ingest::returns::Returns;

use crate::import::{force_id, now};
use crate::{Error, ErrorKind, Store};

/// What a returns import did.
#[derive(Debug, Clone, Default)]
pub struct ReturnsSummary {
    pub import_id: i64,
    pub force: String,
    /// Data rows read (values and calls).
    pub rows_read: u64,
    /// Values and call-months newly stored.
    pub stored: u64,
    /// Values and call-months already stored with the same figures.
    pub unchanged: u64,
    pub rejected: u64,
    pub rejects: Vec<Diagnostic>,
    pub rejects_file: Option<PathBuf>,
}

impl Store {
    /// Imports a returns folder read by [`scrutiny_ingest::returns::read`].
    ///
    /// With `strict`, any rejected row makes the import store nothing and
    /// return an error of kind [`ErrorKind::Rejected`].
    pub async fn import_returns(&self, returns: &Returns, strict: bool) -> Result<ReturnsSummary, Error> {
        let mut connection = self.pool().acquire().await?;
        let mut transaction = connection.begin_with("BEGIN IMMEDIATE").await?;
        let force = force_id(&mut transaction, &returns.force).await?;
        let mut summary = ReturnsSummary {
            force: returns.force.clone(),
            rows_read: returns.rows_read,
            rejects: returns.rejects.clone(),
            ..ReturnsSummary::default()
        };
        let stored_values: HashMap<(String, i64), (i64, i64)> = sqlx::query_as::<_, (String, i64, i64, i64)>(
            "SELECT measure, month, value, import_id FROM return_values WHERE force_id = ?",
        )
        .bind(force)
        .fetch_all(&mut *transaction)
        .await?
        .into_iter()
        .map(|(measure, month, value, import)| ((measure, month), (value, import)))
        .collect();
        let stored_calls: HashMap<(String, i64), (CallMonth, i64)> =
            sqlx::query_as::<_, (String, i64, i64, i64, i64, i64, i64)>(
                "SELECT channel, month, received, answered, answered_under_10s, answer_seconds, import_id
                 FROM call_months WHERE force_id = ?",
            )
            .bind(force)
            .fetch_all(&mut *transaction)
            .await?
            .into_iter()
            .map(|(channel, month, received, answered, under, seconds, import)| {
                let calls = CallMonth {
                    received: received as u64,
                    answered: answered as u64,
                    answered_under_10s: under as u64,
                    answer_seconds: seconds as u64,
                };
                ((channel, month), (calls, import))
            })
            .collect();
        let mut new_values = Vec::new();
        for value in &returns.values {
            match stored_values.get(&(value.measure.clone(), i64::from(value.month.index()))) {
                None => new_values.push(value),
                Some((stored, _)) if *stored as u64 == value.value.value => summary.unchanged += 1,
                Some((stored, import)) => summary.rejects.push(Diagnostic {
                    file: value.origin.file.clone(),
                    line: value.origin.line,
                    field: "value".to_string(),
                    reason: format!(
                        "{} for {} is already stored as {stored} (returns import {import}); a returned value is never overwritten",
                        value.measure, value.month
                    ),
                    row: format!(
                        "{},{},{},{},{}",
                        value.month, value.measure, value.value.value, value.value.source, value.value.owner
                    ),
                }),
            }
        }
        let mut new_calls = Vec::new();
        for calls in &returns.calls {
            match stored_calls.get(&(calls.channel.clone(), i64::from(calls.month.index()))) {
                None => new_calls.push(calls),
                Some((stored, _)) if *stored == calls.calls => summary.unchanged += 1,
                Some((stored, import)) => summary.rejects.push(Diagnostic {
                    file: calls.origin.file.clone(),
                    line: calls.origin.line,
                    field: "presented".to_string(),
                    reason: format!(
                        "the {} calls presented in {} ({} received, {} answered) differ from those already stored by returns import {import} ({} received, {} answered); a month's calls are imported whole, once",
                        calls.channel, calls.month, calls.calls.received, calls.calls.answered, stored.received, stored.answered
                    ),
                    row: String::new(),
                }),
            }
        }
        summary.rejects.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        summary.rejected = summary.rejects.len() as u64;
        if strict && !summary.rejects.is_empty() {
            let first = summary.rejects.first().map(ToString::to_string).unwrap_or_default();
            return Err(Error::new(
                ErrorKind::Rejected,
                format!(
                    "{} rows were rejected, so nothing was stored (--strict); the first: {first}",
                    summary.rejected
                ),
            ));
        }
        summary.stored = (new_values.len() + new_calls.len()) as u64;
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO return_imports (source, started_at, force_id, rows_read, values_stored, values_unchanged, rows_rejected)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(returns.dir.display().to_string())
        .bind(now())
        .bind(force)
        .bind(summary.rows_read as i64)
        .bind(summary.stored as i64)
        .bind(summary.unchanged as i64)
        .bind(summary.rejected as i64)
        .fetch_one(&mut *transaction)
        .await?;
        summary.import_id = import_id;
        for value in new_values {
            sqlx::query(
                "INSERT INTO return_values (force_id, measure, month, value, source, owner, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(force)
            .bind(&value.measure)
            .bind(i64::from(value.month.index()))
            .bind(value.value.value as i64)
            .bind(&value.value.source)
            .bind(&value.value.owner)
            .bind(import_id)
            .execute(&mut *transaction)
            .await?;
        }
        for calls in new_calls {
            sqlx::query(
                "INSERT INTO call_months (force_id, channel, month, received, answered, answered_under_10s, answer_seconds, import_id)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(force)
            .bind(&calls.channel)
            .bind(i64::from(calls.month.index()))
            .bind(calls.calls.received as i64)
            .bind(calls.calls.answered as i64)
            .bind(calls.calls.answered_under_10s as i64)
            .bind(calls.calls.answer_seconds as i64)
            .bind(import_id)
            .execute(&mut *transaction)
            .await?;
        }
        summary.rejects_file = self.write_rejects_file(&format!("returns-import-{import_id}.csv"), &summary.rejects)?;
        if let Some(path) = &summary.rejects_file {
            sqlx::query("UPDATE return_imports SET rejects_file = ? WHERE id = ?")
                .bind(path.display().to_string())
                .bind(import_id)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(summary)
    }

    /// The returned values and call handling of `force` for the months of
    /// `period` (none at all when the force has returned nothing).
    pub async fn return_values(&self, force: &str, period: Period) -> Result<ReturnValues, Error> {
        let mut values = ReturnValues::default();
        let Some(force_id): Option<i64> =
            sqlx::query_scalar("SELECT id FROM forces WHERE name = ?").bind(force).fetch_optional(self.pool()).await?
        else {
            return Ok(values);
        };
        let (from, to) = (i64::from(period.from.index()), i64::from(period.to.index()));
        let rows: Vec<(String, i64, i64, String, String)> = sqlx::query_as(
            "SELECT measure, month, value, source, owner FROM return_values WHERE force_id = ? AND month BETWEEN ? AND ?",
        )
        .bind(force_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        for (measure, month, value, source, owner) in rows {
            values.values.insert(
                (measure, YearMonth::from_index(month as i32)),
                ReturnValue { value: value as u64, source, owner },
            );
        }
        let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT channel, month, received, answered, answered_under_10s, answer_seconds FROM call_months
             WHERE force_id = ? AND month BETWEEN ? AND ?",
        )
        .bind(force_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        for (channel, month, received, answered, under, seconds) in rows {
            values.calls.insert(
                (channel, YearMonth::from_index(month as i32)),
                CallMonth {
                    received: received as u64,
                    answered: answered as u64,
                    answered_under_10s: under as u64,
                    answer_seconds: seconds as u64,
                },
            );
        }
        Ok(values)
    }
}
