//! Inspection reports and recommendations in the governance database: the
//! force's position and status with a dated history that cannot be edited,
//! stale updates refused, and the 56-day clock for the PCC's response.

use sqlx::{Connection, Executor};

use scrutiny_core::governance::{Date, InspectionForm, RecommendationForm, RecommendationStatus};
use scrutiny_store::ErrorKind;
use scrutiny_store::governance::{Actor, InspectionFilter, Saved};

use crate::governance::Database;

on_both!(recommendations_keep_a_dated_history_and_the_clock_watches_the_response);

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

async fn recommendations_keep_a_dated_history_and_the_clock_watches_the_response(database: Database) {
    let governance = database.open().await.unwrap();
    let office = Actor::system("office@example.org");
    let force = Actor::system("force@example.org");
    let report = InspectionForm {
        body: "HMICFRS".into(),
        title: "Living in fear: the police and CPS response to harassment and stalking".into(),
        published: "2017-07-05".into(),
    };
    let report = governance.create_inspection(&office, &report.validate().unwrap()).await.unwrap();
    let older = InspectionForm { body: "HMICFRS".into(), title: "PEEL 2016".into(), published: "2016-12-01".into() };
    let older = governance.create_inspection(&office, &older.validate().unwrap()).await.unwrap();
    let form = |text: &str, status: &str| RecommendationForm {
        text: text.into(),
        force_position: String::new(),
        lead: "ACC Blaker".into(),
        status: status.into(),
        note: String::new(),
    };
    let first = governance
        .add_recommendation(
            &office,
            report.id,
            &form(
                "Chief Constables should stop the use of Police Information Notices (PINs) immediately.",
                "awaiting-review",
            )
            .validate(true)
            .unwrap(),
        )
        .await
        .unwrap();
    let second = governance
        .add_recommendation(
            &office,
            report.id,
            &form("Ensure compliance with the stalking protocol.", "awaiting-review").validate(true).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((first.position, second.position), (1, 2));
    assert_eq!(first.updates.len(), 1, "recording it is the first entry of its history");
    let missing = governance.add_recommendation(&office, 9_999, &form("x", "complete").validate(true).unwrap()).await;
    assert_eq!(missing.unwrap_err().kind, ErrorKind::NotFound);

    let update = RecommendationForm {
        text: String::new(),
        force_position: "Kent Police ceased the use of PINs as of 13 July 2017.".into(),
        lead: "ACC Blaker".into(),
        status: "complete".into(),
        note: "PINs withdrawn".into(),
    }
    .validate(false)
    .unwrap();
    let Saved::Done(updated) =
        governance.update_recommendation(&force, first.id, first.version, &update).await.unwrap()
    else {
        panic!("the force updates its position")
    };
    assert_eq!(updated.status, RecommendationStatus::Complete);
    assert_eq!(updated.updates.len(), 2);
    assert_eq!(
        (updated.updates[1].actor.as_str(), updated.updates[1].note.as_str()),
        ("force@example.org", "PINs withdrawn")
    );
    let stale = governance.update_recommendation(&office, first.id, first.version, &update).await.unwrap();
    let Saved::Stale { current } = stale else { panic!("a stale update is refused") };
    assert_eq!(current.force_position, update.force_position, "the refusal shows the other change");
    assert_eq!(
        governance.recommendation(first.id).await.unwrap().updates.len(),
        2,
        "the refused update left no history"
    );

    let mut raw = database.raw().await;
    let edit = raw.execute("UPDATE recommendation_updates SET note = 'rewritten'").await;
    assert!(edit.unwrap_err().to_string().contains("cannot be changed"));
    raw.close().await.unwrap();

    let stored = governance.inspection(report.id).await.unwrap();
    let clock = stored.clock(day("2017-08-20"));
    assert_eq!((clock.due, clock.days_left, clock.overdue()), (day("2017-08-30"), 10, false));
    assert!(stored.clock(day("2017-09-01")).overdue());
    let overdue = governance
        .inspections(&InspectionFilter { overdue_on: Some(day("2017-09-01")), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(overdue.iter().map(|i| i.id).collect::<Vec<_>>(), [report.id, older.id]);
    let early = governance.record_inspection_response(&office, report.id, stored.version, day("2017-07-01"), "").await;
    assert_eq!(early.unwrap_err().kind, ErrorKind::Invalid);
    let Saved::Done(answered) = governance
        .record_inspection_response(
            &office,
            report.id,
            stored.version,
            day("2017-08-29"),
            "Published on the OPCC website",
        )
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(!answered.clock(day("2017-09-01")).overdue() && !answered.clock(day("2017-09-01")).late());
    let overdue = governance
        .inspections(&InspectionFilter { overdue_on: Some(day("2017-09-01")), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(overdue.iter().map(|i| i.id).collect::<Vec<_>>(), [older.id]);
    let search = governance
        .inspections(&InspectionFilter { search: Some("blaker".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(search.iter().map(|i| i.id).collect::<Vec<_>>(), [report.id], "search reaches recommendation leads");
    assert_eq!(search[0].recommendations.len(), 2);
}
