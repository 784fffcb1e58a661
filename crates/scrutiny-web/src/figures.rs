//! The plan's figures for the portal: the latest quarter's paper computed
//! from the records store by `scrutiny_report::paper::quarterly` (the same
//! computation as the printed paper) with disclosure control applied, kept
//! in memory until the store's imports change.

use std::sync::{Arc, LazyLock, Mutex};

use scrutiny_core::definitions::{Definitions, Plan};
use scrutiny_core::disclosure::Policy;
use scrutiny_core::month::YearMonth;
use scrutiny_core::report::Context;
use scrutiny_report::paper::{self, public::PublicPaper};
use scrutiny_store::Store;

use crate::AppError;

/// The built-in definitions (plans, classification, outcomes, returns).
pub(crate) static DEFINITIONS: LazyLock<Definitions> = LazyLock::new(Definitions::builtin);

/// The records store the portal reads its figures from.
pub struct Records {
    store: Store,
    /// The force to publish (`None`: the store's only force).
    force: Option<String>,
    cache: Mutex<Option<(String, Arc<Snapshot>)>>,
}

impl Records {
    pub fn new(store: Store, force: Option<String>) -> Records {
        Records { store, force, cache: Mutex::new(None) }
    }

    /// See [`Store::generation`].
    pub(crate) async fn generation(&self) -> Result<String, AppError> {
        self.store.generation().await.map_err(|error| AppError::internal(format!("reading the records store: {error}")))
    }
}

/// The published figures of one quarter.
#[derive(Debug)]
pub struct Snapshot {
    pub force: String,
    /// The date of the force's latest extract.
    pub extracted_on: Option<String>,
    pub public: PublicPaper,
}

/// The plan the portal publishes.
pub(crate) fn plan(plan_id: &str) -> Result<&'static Plan, AppError> {
    DEFINITIONS.plan(plan_id).map_err(|error| AppError::internal(format!("the portal's plan: {error}")))
}

/// The latest quarter's figures, computed again only when the store has
/// taken an import (or its forces, coverage or extract dates have changed)
/// since the last time.
pub(crate) async fn snapshot(
    records: &Records,
    plan: &Plan,
    policy: &Policy,
) -> Result<Option<Arc<Snapshot>>, AppError> {
    let forces = records.store.forces().await.map_err(store_error)?;
    if forces.is_empty() {
        return Ok(None);
    }
    // Every import moves the generation, even one that leaves the coverage
    // and extract dates as they were (more records, or returns).
    let generation = records.store.generation().await.map_err(store_error)?;
    let key = format!("{}|{}|{generation}|{forces:?}", plan.id, policy.threshold);
    if let Some((cached, snapshot)) = records.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).as_ref()
        && *cached == key
    {
        return Ok(Some(snapshot.clone()));
    }
    let Some(to) = latest_month(records).await? else { return Ok(None) };
    let Some((force, extracted_on, public)) = public_paper(records, plan, policy, to).await? else { return Ok(None) };
    let snapshot = Arc::new(Snapshot { force, extracted_on, public });
    *records.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((key, snapshot.clone()));
    Ok(Some(snapshot))
}

fn store_error(error: scrutiny_store::Error) -> AppError {
    AppError::internal(format!("reading the records store: {error}"))
}

/// The latest month of recorded crime (of any source when there are no crime
/// records) of the force the portal publishes: the quarter it shows ends there.
pub(crate) async fn latest_month(records: &Records) -> Result<Option<YearMonth>, AppError> {
    let forces = records.store.forces().await.map_err(store_error)?;
    if forces.is_empty() {
        return Ok(None);
    }
    let force = records.store.resolve_force(records.force.as_deref()).await.map_err(store_error)?;
    let Some(summary) = forces.iter().find(|summary| summary.name == force) else { return Ok(None) };
    let latest = |crimes_only: bool| {
        summary
            .coverage
            .iter()
            .filter(|coverage| !crimes_only || coverage.source == scrutiny_core::definitions::Source::Crimes)
            .map(|coverage| coverage.last)
            .max()
    };
    Ok(latest(true).or_else(|| latest(false)))
}

/// The quarterly paper of `plan` to month `to`, computed from the records
/// store by `scrutiny_report::paper::quarterly` (the computation of
/// `scrutiny paper quarterly`) with disclosure control applied: what the
/// portal shows, and what a generated meeting paper is set from, so that
/// publishing that paper reveals nothing the portal suppresses. With the
/// force's name and extract date; `None` when the store holds no force.
pub(crate) async fn public_paper(
    records: &Records,
    plan: &Plan,
    policy: &Policy,
    to: YearMonth,
) -> Result<Option<(String, Option<String>, PublicPaper)>, AppError> {
    let forces = records.store.forces().await.map_err(store_error)?;
    if forces.is_empty() {
        return Ok(None);
    }
    let force = records.store.resolve_force(records.force.as_deref()).await.map_err(store_error)?;
    let Some(summary) = forces.iter().find(|summary| summary.name == force) else { return Ok(None) };
    let counts = records.store.force_counts(&force, paper::months_needed(to)).await.map_err(store_error)?;
    let returns = records.store.return_values(&force, paper::return_months_needed(to)).await.map_err(store_error)?;
    let context = Context { plan, classification: &DEFINITIONS.classification, outcomes: &DEFINITIONS.outcomes };
    let provenance = vec![
        format!(
            "Source: {force}'s records{}, imported into a Scrutiny store.",
            summary.extracted_on.as_ref().map(|date| format!(" as extracted on {date}")).unwrap_or_default()
        ),
        format!(
            "Definitions: plan {} version {}; offence classification {}; outcomes framework {}.",
            plan.id, plan.version, DEFINITIONS.classification.id, DEFINITIONS.outcomes.id
        ),
        "Counting: crimes in the month recorded (cancelled and transferred crimes excluded); outcomes in the month assigned; suspect activity in the month it happened; ASB incidents in the month reported.".to_string(),
        "Percent changes are rounded to one decimal place; a zero baseline is shown as n/a; a month with no data is shown as not supplied, never as zero.".to_string(),
        format!(
            "Figures are for the whole force area, never below district level. Counts of sensitive categories (rape, domestic abuse, child protection, hate crime) from 1 to {} are suppressed, with the figures that would reveal them.",
            policy.threshold - 1
        ),
    ];
    let built = paper::quarterly(&context, &counts, &DEFINITIONS.returns, &returns, &force, to, provenance)
        .map_err(|error| AppError::internal(format!("computing the figures of {} to {to}: {error}", plan.id)))?;
    let public = paper::public::protect(&built, plan, policy)
        .map_err(|error| AppError::internal(format!("disclosure control: {error}")))?;
    Ok(Some((force, summary.extracted_on.clone(), public)))
}
