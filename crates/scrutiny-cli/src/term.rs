//! `scrutiny paper term`: the end-of-term report from a store, in the
//! formats asked for, through the same renderers as the quarterly paper.

use std::path::{Path, PathBuf};

use anyhow::Result;

use scrutiny_core::definitions::{Definitions, Plan};
use scrutiny_core::report::Context;
use scrutiny_store::Store;

use crate::args::{PaperFormat, StoreArgs};

/// The file stem of a term report: `making-kent-safer-term-2019-2024`.
pub fn stem(plan: &Plan, from: i32, to: i32) -> String {
    format!("{}-term-{from}-{to}", plan.id)
}

/// Writes the end-of-term report for calendar years `from` to `to` in the
/// formats asked for; returns the files written.
pub async fn write_term_paper(
    definitions: &Definitions,
    plan: &Plan,
    from: i32,
    to: i32,
    store: &StoreArgs,
    out: &Path,
    formats: &[PaperFormat],
) -> Result<Vec<PathBuf>> {
    use scrutiny_report::paper;
    let months = scrutiny_core::term::months_needed(from, to)?;
    let database = Store::open(&store.data).await?;
    let force = database.resolve_force(store.force.as_deref()).await?;
    let counts = database.force_counts(&force, months).await?;
    let returns = database.return_values(&force, months).await?;
    let forces = database.forces().await?;
    let extracted =
        forces.iter().find(|summary| summary.name == force).and_then(|summary| summary.extracted_on.clone());
    let today = chrono::Local::now().date_naive();
    let provenance = vec![
        format!(
            "Source: {force}'s records{}, imported into a Scrutiny store.",
            extracted.map(|date| format!(" as extracted on {date}")).unwrap_or_default()
        ),
        format!(
            "Definitions: plan {} version {}; offence classification {} ({}); outcomes framework {}.",
            plan.id,
            plan.version,
            definitions.classification.id,
            definitions.classification.versions.iter().map(|version| version.id.clone()).collect::<Vec<_>>().join(", "),
            definitions.outcomes.id
        ),
        "Counting: crimes in the month recorded (cancelled and transferred crimes excluded); outcomes in the month assigned; suspect activity in the month it happened; ASB incidents in the month reported. A calendar year is January to December.".to_string(),
        "Percent changes are rounded to one decimal place, half away from zero; a zero baseline is shown as n/a; a year with any month not supplied is shown as not supplied, never as zero, and is not compared.".to_string(),
        format!("Produced by Scrutiny {} on {today}.", env!("CARGO_PKG_VERSION")),
    ];
    let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
    let document =
        paper::term::term(&context, &counts, (&definitions.returns, &returns), &force, from, to, provenance)?;
    let stem = stem(plan, from, to);
    crate::commands::write_paper(out, &stem, &document, formats, || {
        let report = context.term(&counts, &force, from, to)?;
        Ok(vec![
            (format!("{stem}.csv"), scrutiny_report::term_csv(&report)),
            (format!("{stem}.json"), format!("{}\n", scrutiny_report::term_json(&report))),
        ])
    })
}
