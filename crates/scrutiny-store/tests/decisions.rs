//! Decision records in the governance database: references without gaps or
//! duplicates under concurrency, sign-offs in order, records fixed once
//! signed (by the store and by triggers), corrections as new versions, the
//! public rule, and migration of a database from the schema before them.

use sqlx::{Connection, Executor};

use scrutiny_core::governance::{Date, DecisionForm, DecisionState, Disclosure, SignOffFields, SignOffForm, Signatory};
use scrutiny_store::ErrorKind;
use scrutiny_store::governance::{Actor, DecisionFilter, Dialect, Governance, MeetingFilter, Saved};

use crate::governance::Database;

on_both!(references_are_sequential_per_year_without_gaps_under_concurrency);
on_both!(a_decision_is_signed_in_order_and_fixed_from_the_first_signoff);
on_both!(a_correction_is_a_new_version_linked_to_the_signed_record);
on_both!(only_published_open_decisions_are_public_and_search_finds_references);
on_both!(a_database_at_the_previous_schema_migrates_with_its_rows);
on_both!(a_database_at_every_earlier_schema_migrates_with_its_rows);

pub fn decision_form(title: &str) -> DecisionForm {
    DecisionForm {
        originator: "Chief Executive".into(),
        title: title.into(),
        executive_summary: "The Policing and Crime Act 2017 introduced changes to the police complaints system.".into(),
        recommendation: "The Commissioner is recommended to only adopt the mandatory appellate function at this time."
            .into(),
        decision: "From 1 February 2020, adopt the mandatory appellate function and keep this decision under review."
            .into(),
        disclosure: "open".into(),
        confidential_reason: String::new(),
        objectives: Vec::new(),
        objectives_statement: "Supports delivery of the Safer in Kent Plan.".into(),
        equality_impact: "Completed; no adverse impact.".into(),
    }
}

fn signoff(signatory: Signatory, name: &str, date: &str) -> SignOffFields {
    SignOffForm {
        signatory: signatory.as_str().into(),
        name: name.into(),
        comment: format!("Comments of the {}", signatory.label()),
        date: date.into(),
    }
    .validate()
    .unwrap()
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

async fn references_are_sequential_per_year_without_gaps_under_concurrency(database: Database) {
    let governance = database.open().await.unwrap();
    let fields = decision_form("Decision").validate(&[]).unwrap();
    let mut tasks = Vec::new();
    for n in 0..24 {
        let governance = governance.clone();
        let fields = fields.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system(&format!("writer {n}"));
            governance.create_decision(&actor, &fields, day("2020-01-28")).await.unwrap().reference
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        let reference = task.await.unwrap();
        assert_eq!(reference.year, 2020);
        numbers.push(reference.number);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=24).collect::<Vec<u32>>(), "every number once, none skipped");
    let next_year = governance.create_decision(&Actor::system("t"), &fields, day("2021-04-01")).await.unwrap();
    assert_eq!(next_year.reference.to_string(), "OPCC.D.001.21", "each year starts again at 1");
    let again = governance.create_decision(&Actor::system("t"), &fields, day("2020-12-31")).await.unwrap();
    assert_eq!(again.reference.to_string(), "OPCC.D.025.20");
}

async fn a_decision_is_signed_in_order_and_fixed_from_the_first_signoff(database: Database) {
    let governance = database.open().await.unwrap();
    let office = Actor::system("office@example.org");
    let draft = governance
        .create_decision(
            &office,
            &decision_form("New Complaints Legislation").validate(&[]).unwrap(),
            day("2020-01-20"),
        )
        .await
        .unwrap();
    assert_eq!(draft.state, DecisionState::Draft);
    let edited = decision_form("New Complaints Legislation (revised)").validate(&[]).unwrap();
    let Saved::Done(draft) = governance.update_decision(&office, draft.id, draft.version, &edited).await.unwrap()
    else {
        panic!("a draft is editable")
    };
    let stale = governance.update_decision(&office, draft.id, draft.version - 1, &edited).await.unwrap();
    assert!(matches!(stale, Saved::Stale { .. }), "a stale edit is refused");

    let early = governance
        .sign_decision(&office, draft.id, draft.version, &signoff(Signatory::Commissioner, "M Scott", "2020-01-28"))
        .await;
    assert_eq!(early.unwrap_err().kind, ErrorKind::Transition, "the PCC signs last");
    let mut current = draft;
    for (signatory, name) in [
        (Signatory::ChiefFinanceOfficer, "R Phillips"),
        (Signatory::ChiefExecutive, "A Harper"),
        (Signatory::Commissioner, "M Scott"),
    ] {
        let Saved::Done(signed) = governance
            .sign_decision(&office, current.id, current.version, &signoff(signatory, name, "2020-01-28"))
            .await
            .unwrap()
        else {
            panic!("signing the current version succeeds")
        };
        current = signed;
        let refused = governance.update_decision(&office, current.id, current.version, &edited).await;
        assert_eq!(refused.unwrap_err().kind, ErrorKind::Transition, "the store refuses edits once signing starts");
    }
    assert_eq!(current.state, DecisionState::Signed);
    assert_eq!(current.signed_by(), Signatory::ORDER.to_vec());
    assert_eq!(current.signoffs[2].name, "M Scott");

    let mut raw = database.raw().await;
    let update = raw
        .execute(sqlx::AssertSqlSafe(format!("UPDATE decisions SET decision = 'changed' WHERE id = {}", current.id)))
        .await;
    assert!(update.unwrap_err().to_string().contains("a signed decision record cannot be changed"));
    let unsign = raw
        .execute(sqlx::AssertSqlSafe(format!("UPDATE decisions SET state = 'draft' WHERE id = {}", current.id)))
        .await;
    assert!(unsign.unwrap_err().to_string().contains("cannot be changed"), "a signed record cannot go back to draft");
    let delete = raw.execute(sqlx::AssertSqlSafe(format!("DELETE FROM decisions WHERE id = {}", current.id))).await;
    assert!(delete.unwrap_err().to_string().contains("cannot be changed"));
    let signoff_edit = raw.execute("UPDATE decision_signoffs SET name = 'someone else'").await;
    assert!(signoff_edit.unwrap_err().to_string().contains("cannot be changed"));
    raw.close().await.unwrap();
    assert_eq!(governance.decision(current.id).await.unwrap(), current, "nothing changed");

    let history = governance.audit_log(Some(("decision", current.id)), 10).await.unwrap();
    let changes: Vec<&str> = history.iter().map(|entry| entry.change.as_str()).collect();
    assert_eq!(changes, ["sign", "sign", "sign", "edit", "draft"]);
    assert_eq!(history[0].after.as_ref().unwrap()["state"], "signed");
}

async fn sign_all(governance: &Governance, id: i64) -> scrutiny_store::governance::Decision {
    let office = Actor::system("office");
    let mut current = governance.decision(id).await.unwrap();
    for signatory in Signatory::ORDER {
        let Saved::Done(next) = governance
            .sign_decision(&office, id, current.version, &signoff(signatory, "Name", "2020-01-28"))
            .await
            .unwrap()
        else {
            panic!()
        };
        current = next;
    }
    current
}

async fn a_correction_is_a_new_version_linked_to_the_signed_record(database: Database) {
    let governance = database.open().await.unwrap();
    let office = Actor::system("office");
    let draft = governance
        .create_decision(&office, &decision_form("Estates strategy").validate(&[]).unwrap(), day("2020-02-01"))
        .await
        .unwrap();
    let refused = governance.new_decision_version(&office, draft.id).await;
    assert_eq!(refused.unwrap_err().kind, ErrorKind::Transition, "a draft is edited, not versioned");
    let signed = sign_all(&governance, draft.id).await;
    let correction = governance.new_decision_version(&office, signed.id).await.unwrap();
    assert_eq!((correction.reference, correction.revision), (signed.reference, 2));
    assert_eq!(correction.supersedes_id, Some(signed.id));
    assert_eq!(correction.state, DecisionState::Draft);
    assert!(correction.signoffs.is_empty(), "a correction is signed again");
    assert_eq!(correction.decision, signed.decision, "it starts from the signed text");
    let old = governance.decision(signed.id).await.unwrap();
    assert_eq!(old.superseded_by, Some(correction.id));
    assert_eq!((old.state, old.signoffs.len()), (DecisionState::Signed, 3), "the signed record stays as it was");
    let twice = governance.new_decision_version(&office, signed.id).await;
    assert_eq!(twice.unwrap_err().kind, ErrorKind::Conflict, "correct the newest version, not the old one twice");
    let next = governance
        .create_decision(&office, &decision_form("Another").validate(&[]).unwrap(), day("2020-03-01"))
        .await
        .unwrap();
    assert_eq!(next.reference.number, signed.reference.number + 1, "a new version takes no new number");
}

async fn only_published_open_decisions_are_public_and_search_finds_references(database: Database) {
    let governance = database.open().await.unwrap();
    let office = Actor::system("office");
    let mut secret = decision_form("Covert operations budget");
    secret.disclosure = "confidential".into();
    secret.confidential_reason = "Operationally sensitive".into();
    let secret = governance.create_decision(&office, &secret.validate(&[]).unwrap(), day("2020-01-10")).await.unwrap();
    let open = governance
        .create_decision(
            &office,
            &decision_form("New Complaints Legislation").validate(&[]).unwrap(),
            day("2020-01-20"),
        )
        .await
        .unwrap();
    let draft = governance
        .create_decision(&office, &decision_form("Draft precept").validate(&[]).unwrap(), day("2020-01-21"))
        .await
        .unwrap();
    let secret = sign_all(&governance, secret.id).await;
    let open = sign_all(&governance, open.id).await;
    assert_eq!(secret.disclosure, Disclosure::Confidential);
    let refused = governance.publish_decision(&office, secret.id, secret.version).await;
    assert_eq!(refused.unwrap_err().kind, ErrorKind::Transition, "a confidential decision is never published");
    let early = governance.publish_decision(&office, draft.id, draft.version).await;
    assert_eq!(early.unwrap_err().kind, ErrorKind::Transition);
    let public = DecisionFilter { public_only: true, ..Default::default() };
    assert!(governance.decisions(&public).await.unwrap().is_empty(), "nothing is public before publication");
    let Saved::Done(published) = governance.publish_decision(&office, open.id, open.version).await.unwrap() else {
        panic!()
    };
    assert!(published.is_public() && published.published_at.is_some());
    let listed: Vec<i64> = governance.decisions(&public).await.unwrap().iter().map(|d| d.id).collect();
    assert_eq!(listed, [open.id]);
    let all = DecisionFilter { include_confidential: true, ..Default::default() };
    assert_eq!(governance.decisions(&all).await.unwrap().len(), 3);
    assert_eq!(
        governance.decisions(&DecisionFilter::default()).await.unwrap().len(),
        2,
        "confidential hidden by default"
    );
    let search = DecisionFilter {
        search: Some(open.reference.to_string().to_lowercase()),
        include_confidential: true,
        ..Default::default()
    };
    let found: Vec<i64> = governance.decisions(&search).await.unwrap().iter().map(|d| d.id).collect();
    assert_eq!(found, [open.id], "a reference typed in search finds its record");
    let signed_only =
        DecisionFilter { state: Some(DecisionState::Signed), include_confidential: true, ..Default::default() };
    assert_eq!(governance.decisions(&signed_only).await.unwrap().iter().map(|d| d.id).collect::<Vec<_>>(), [secret.id]);
}

async fn a_database_at_the_previous_schema_migrates_with_its_rows(database: Database) {
    let governance = Governance::connect(database_dir(&database), database_url(&database)).await.unwrap();
    governance.migrate_up_to(1).await.unwrap();
    assert_eq!(governance.applied_version().await.unwrap(), 1);
    let office =
        crate::governance::user(&governance, "office@example.org", scrutiny_core::governance::Role::Editor).await;
    let meeting = scrutiny_core::governance::MeetingForm {
        kind: "board".into(),
        title: "Performance and Delivery Board".into(),
        date: "2019-09-25".into(),
        venue: "Clift Room".into(),
        attendees: "PCC".into(),
    };
    let meeting = governance.create_meeting(&Actor::user(&office), &meeting.validate().unwrap()).await.unwrap();
    let log_before = governance.audit_log(None, 100).await.unwrap();
    governance.close().await;

    let migrated = database.open().await.unwrap();
    assert_eq!(migrated.applied_version().await.unwrap(), migrated.known_version());
    assert!(migrated.known_version() > 1);
    assert_eq!(migrated.meetings(&MeetingFilter::default()).await.unwrap(), vec![meeting]);
    assert_eq!(migrated.user_by_email("office@example.org").await.unwrap().unwrap().id, office.id);
    assert_eq!(migrated.audit_log(None, 100).await.unwrap(), log_before, "the audit log survives the migration");
    let decision = migrated
        .create_decision(
            &Actor::user(&office),
            &decision_form("After migration").validate(&[]).unwrap(),
            day("2020-01-28"),
        )
        .await
        .unwrap();
    assert_eq!(decision.reference.to_string(), "OPCC.D.001.20");
    let mut raw = database.raw().await;
    raw.execute("SELECT COUNT(*) FROM recommendations").await.unwrap();
    raw.close().await.unwrap();
}

/// From each earlier schema (every migration before the newest), with a
/// meeting and, from the schema that has them, a decision in it: opening it
/// migrates to the newest schema with both there, and new records follow on.
async fn a_database_at_every_earlier_schema_migrates_with_its_rows(first: Database) {
    let dialect = first.dialect;
    let known = Governance::connect(database_dir(&first), database_url(&first)).await.unwrap().known_version();
    let mut next = Some(first);
    for version in 1..known {
        let database = match next.take() {
            Some(database) => database,
            None if dialect == Dialect::Postgres => Database::postgres().await.expect("a server, as for the first"),
            None => Database::sqlite().await,
        };
        let governance = Governance::connect(database_dir(&database), database_url(&database)).await.unwrap();
        governance.migrate_up_to(version).await.unwrap();
        assert_eq!(governance.applied_version().await.unwrap(), version);
        let office =
            crate::governance::user(&governance, "office@example.org", scrutiny_core::governance::Role::Editor).await;
        let actor = Actor::user(&office);
        let meeting = scrutiny_core::governance::MeetingForm {
            kind: "board".into(),
            title: format!("Board under schema {version}"),
            date: "2019-09-25".into(),
            venue: "Clift Room".into(),
            attendees: "PCC".into(),
        };
        let meeting = governance.create_meeting(&actor, &meeting.validate().unwrap()).await.unwrap();
        // Decision records came with schema 2.
        let decision = if version >= 2 {
            let form = decision_form("Before migration").validate(&[]).unwrap();
            Some(governance.create_decision(&actor, &form, day("2020-01-28")).await.unwrap())
        } else {
            None
        };
        governance.close().await;

        let migrated = database.open().await.unwrap();
        assert_eq!(migrated.applied_version().await.unwrap(), known, "from schema {version}");
        assert_eq!(migrated.meetings(&MeetingFilter::default()).await.unwrap(), vec![meeting], "from {version}");
        if let Some(decision) = &decision {
            assert_eq!(&migrated.decision(decision.id).await.unwrap(), decision, "from schema {version}");
        }
        let form = decision_form("After migration").validate(&[]).unwrap();
        let after = migrated.create_decision(&actor, &form, day("2020-02-28")).await.unwrap();
        let expected = if decision.is_some() { "OPCC.D.002.20" } else { "OPCC.D.001.20" };
        assert_eq!(after.reference.to_string(), expected, "references go on from schema {version}");
        migrated.close().await;
    }
}

fn database_dir(database: &Database) -> &std::path::Path {
    database.dir()
}

fn database_url(database: &Database) -> Option<&str> {
    database.url()
}
