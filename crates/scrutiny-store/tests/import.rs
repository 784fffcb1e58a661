//! CSV import of the actions log and decision records: diagnostics naming
//! file, line, field and reason; all or nothing; twice changes nothing; audited.

use scrutiny_core::governance::{ActionStatus, DecisionState};
use scrutiny_store::governance::{ActionFilter, Actor, DecisionFilter};

use crate::governance::Database;

on_both!(actions_import_atomically_and_idempotently);
on_both!(decisions_import_with_their_signoffs_and_references_continue_after_them);

const ACTIONS: &str = "meeting_date,meeting_title,action,status,owner,due_date,discharge_note,discharged_where,discharged_reference
25/09/2019,Performance and Delivery Board,Update on domestic abuse victim satisfaction survey results,Open,Chief Constable,04/12/2019,,,
25/09/2019,Performance and Delivery Board,Include information in next paper on how cash seized under POCA is distributed,Open,Chief Constable,04/12/2019,,,
05/06/2019,Performance and Delivery Board,Update on IMU Recovery Plan,Discharged,Chief Constable,25/09/2019,Briefed,outside-meeting,
";

async fn actions_import_atomically_and_idempotently(database: Database) {
    let governance = database.open().await.unwrap();
    let actor = Actor::system("scrutiny import actions");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    let broken = ACTIONS
        .replace("04/12/2019,,,\n25", "31/02/2019,,,\n25")
        .replace("Discharged,Chief Constable,25/09/2019,Briefed", "Closed,Chief Constable,25/09/2019,Briefed");
    std::fs::write(&bad, broken).unwrap();
    let outcome = governance.import_actions_csv(&actor, &bad).await.unwrap();
    let messages: Vec<String> = outcome.diagnostics.iter().map(ToString::to_string).collect();
    let file = bad.display().to_string();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with(&format!("{file}:2: due_date: ")) && messages[0].contains("not a date"),
        "{messages:?}"
    );
    assert_eq!(messages[1], format!("{file}:4: status: 'closed' is not Open or Discharged"));
    assert!(governance.actions(&ActionFilter::default()).await.unwrap().is_empty(), "nothing stored from a bad file");
    assert!(governance.audit_log(None, 10).await.unwrap().is_empty());

    let good = dir.path().join("actions.csv");
    std::fs::write(&good, ACTIONS).unwrap();
    let first = governance.import_actions_csv(&actor, &good).await.unwrap();
    assert_eq!((first.added, first.unchanged, first.diagnostics.len()), (3, 0, 0));
    let actions = governance.actions(&ActionFilter::default()).await.unwrap();
    assert_eq!(actions.len(), 3);
    let discharged = actions.iter().find(|a| a.status == ActionStatus::Discharged).unwrap();
    assert_eq!(discharged.due.unwrap().to_string(), "2019-09-25");
    assert_eq!(governance.meetings(&Default::default()).await.unwrap().len(), 2, "meetings are made once each");
    let log = governance.audit_log(None, 100).await.unwrap();
    assert_eq!(log.len(), 5, "each meeting and action added is audited");

    let second = governance.import_actions_csv(&actor, &good).await.unwrap();
    assert_eq!((second.added, second.unchanged), (0, 3));
    assert_eq!(governance.audit_log(None, 100).await.unwrap(), log, "importing twice changes nothing");

    let changed = dir.path().join("changed.csv");
    std::fs::write(
        &changed,
        ACTIONS.replace("Open,Chief Constable,04/12/2019,,,\n25", "Open,Deputy Chief Constable,04/12/2019,,,\n25")
            + "11/12/2019,Performance and Delivery Board,A new one,Open,DCC,,,,\n",
    )
    .unwrap();
    let clash = governance.import_actions_csv(&actor, &changed).await.unwrap();
    assert_eq!(clash.diagnostics.len(), 1);
    assert!(clash.diagnostics[0].to_string().contains(":2: action: action "), "{}", clash.diagnostics[0]);
    assert_eq!(
        governance.actions(&ActionFilter::default()).await.unwrap().len(),
        3,
        "all or nothing: the new row was not kept"
    );
}

const DECISIONS: &str = "reference,originator,title,disclosure,confidential_reason,executive_summary,recommendation,decision,objectives_statement,equality_impact,cfo_name,cfo_comment,cfo_date,chief_executive_name,chief_executive_comment,chief_executive_date,pcc_name,pcc_comment,pcc_date,published
OPCC.D.024.20,Chief Executive,New Complaints Legislation,Open,,The Policing and Crime Act 2017 introduced changes.,The Commissioner is recommended to only adopt the mandatory appellate function at this time.,\"From 1 February 2020, adopt the mandatory appellate function and keep this decision under review.\",Supports delivery of the Safer in Kent Plan.,,R Phillips,Although this is the minimum required it may still require an increase in staff and funds.,28/1/2020,A Harper,This is the minimum requirement that the legislation requires.,28/1/2020,M Scott,This will enable us to monitor the impact and volume over time.,28/01/2020,yes
";

async fn decisions_import_with_their_signoffs_and_references_continue_after_them(database: Database) {
    let governance = database.open().await.unwrap();
    let actor = Actor::system("scrutiny import decisions");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        DECISIONS.replace(
            "OPCC.D.024.20,Chief Executive,New Complaints Legislation,Open,",
            "OPCC.D.24.20,Chief Executive,New Complaints Legislation,Confidential,",
        ),
    )
    .unwrap();
    let outcome = governance.import_decisions_csv(&actor, &bad).await.unwrap();
    let fields: Vec<&str> = outcome.diagnostics.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(fields, ["reference", "confidential_reason", "published"], "{:?}", outcome.diagnostics);
    assert!(outcome.diagnostics.iter().all(|d| d.line == 2));

    let good = dir.path().join("decisions.csv");
    std::fs::write(&good, DECISIONS).unwrap();
    let first = governance.import_decisions_csv(&actor, &good).await.unwrap();
    assert_eq!((first.added, first.diagnostics.len()), (1, 0), "{:?}", first.diagnostics);
    let stored = governance.decisions(&DecisionFilter { public_only: true, ..Default::default() }).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].reference.to_string().as_str(), stored[0].state),
        ("OPCC.D.024.20", DecisionState::Published)
    );
    assert_eq!(stored[0].signoffs.len(), 3);
    assert_eq!(stored[0].signoffs[2].signed_on.to_string(), "2020-01-28");
    let log = governance.audit_log(None, 100).await.unwrap();
    let second = governance.import_decisions_csv(&actor, &good).await.unwrap();
    assert_eq!((second.added, second.unchanged), (0, 1));
    assert_eq!(governance.audit_log(None, 100).await.unwrap(), log, "importing twice changes nothing");
    let fields = stored[0].fields();
    let next = governance.create_decision(&actor, &fields, "2020-03-01".parse().unwrap()).await.unwrap();
    assert_eq!(next.reference.to_string(), "OPCC.D.025.20", "new references follow the imported ones");
}
