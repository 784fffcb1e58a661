//! The accountability cycle through the pages: the office asks, the force
//! responds, the office publishes; actions are raised, stand out when
//! overdue, and are discharged with a note and where.

use axum::http::StatusCode;

use scrutiny_core::governance::{ActionStatus, QuestionState, Role};

use crate::util::{app, login};

#[tokio::test]
async fn a_question_is_asked_responded_and_published() {
    let app = app().await;
    let office = login(&app, Role::Editor).await;
    let force = login(&app, Role::ForceResponder).await;
    let created = office
        .post(
            &app,
            "/meetings",
            &[("kind", "board"), ("title", "Board"), ("date", "2024-09-12"), ("venue", ""), ("attendees", "")],
        )
        .await;
    let meeting = created.location().to_string();
    let empty = office
        .post(
            &app,
            &format!("{meeting}/questions"),
            &[("paper", "Delivery & Performance"), ("priority", ""), ("text", "")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("The question is required"));
    assert!(
        empty.body.contains("value=\"Delivery &#38; Performance\"")
            || empty.body.contains("value=\"Delivery &amp; Performance\"")
    );
    let asked = office
        .post(
            &app,
            &format!("{meeting}/questions"),
            &[("paper", "Delivery & Performance"), ("priority", "Fight crime"), ("text", "Why has shoplifting risen?")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let governance = app.state.governance();
    let question = governance.questions(None, false).await.unwrap().remove(0);

    let page = force.get(&app, &meeting).await;
    assert!(
        page.body.contains("Submit response") && !page.body.contains("Publish question"),
        "the force responds, never publishes"
    );
    let respond = format!("/questions/{}/respond", question.id);
    let blank = force.post(&app, &respond, &[("response", " "), ("version", &question.version.to_string())]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answered = force
        .post(&app, &respond, &[("response", "Three town centres."), ("version", &question.version.to_string())])
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let stale =
        force.post(&app, &respond, &[("response", "A later draft"), ("version", &question.version.to_string())]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("Three town centres.") && stale.body.contains("A later draft"),
        "both versions are shown"
    );

    let responded = governance.question(question.id).await.unwrap();
    assert_eq!(responded.state, QuestionState::Responded);
    let publish = format!("/questions/{}/publish", question.id);
    assert_eq!(
        force.post(&app, &publish, &[("version", &responded.version.to_string())]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        office.post(&app, &publish, &[("version", &responded.version.to_string())]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(governance.question(question.id).await.unwrap().state, QuestionState::Published);
    let again = office.post(&app, &publish, &[("version", &(responded.version + 1).to_string())]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a published question cannot be published again");
    assert!(again.body.contains("cannot be published again"));

    // The meeting's page lists its history: who did what to it and its question, newest first.
    let history = office.get(&app, &meeting).await.body;
    let history = &history[history.find("History (4 changes)").expect("a history of four changes")..];
    let rows: Vec<&str> = history.split("<tr><td>").skip(1).collect();
    assert_eq!(rows.len(), 4, "{history}");
    let question = format!("question {}", question.id);
    for (row, (who, what)) in rows.iter().zip([
        (Role::Editor, format!("publish: {question}")),
        (Role::ForceResponder, format!("respond: {question}")),
        (Role::Editor, format!("ask: {question}")),
        (Role::Editor, "create: the meeting".to_string()),
    ]) {
        let who = format!("<td>{}</td>", who.label());
        assert!(row.contains(&who) && row.contains(&what), "{what} by {who} in {row}");
        assert!(row.contains(" UTC</td>"), "a readable time in {row}");
    }
    assert!(
        !history.contains("before_json") && !history.contains("Why has shoplifting risen?</td>"),
        "no before or after"
    );
}

#[tokio::test]
async fn an_action_is_raised_stands_out_when_overdue_and_is_discharged_with_where() {
    let app = app().await;
    let office = login(&app, Role::Editor).await;
    let force = login(&app, Role::ForceResponder).await;
    let created = office
        .post(
            &app,
            "/meetings",
            &[("kind", "board"), ("title", "Board"), ("date", "2024-06-13"), ("venue", ""), ("attendees", "")],
        )
        .await;
    let meeting = created.location().to_string();
    let raised = office
        .post(
            &app,
            &format!("{meeting}/actions"),
            &[("text", "Report on rural crime"), ("owner", "ACC"), ("due", "2024-08-01")],
        )
        .await;
    assert_eq!(raised.status, StatusCode::SEE_OTHER);
    let action_path = raised.location().to_string();
    office
        .post(
            &app,
            &format!("{meeting}/actions"),
            &[("text", "Brief on knife crime"), ("owner", "DCC"), ("due", "2030-01-01")],
        )
        .await;

    let list = office.get(&app, "/actions?status=overdue").await;
    assert!(list.body.contains("Report on rural crime") && !list.body.contains("Brief on knife crime"));
    assert!(list.body.contains("class=\"overdue\"") && list.body.contains("1 overdue"));
    let search = office.get(&app, "/actions?q=knife").await;
    assert!(search.body.contains("Brief on knife crime") && !search.body.contains("Report on rural crime"));

    let page = force.get(&app, &action_path).await;
    assert!(
        page.body.contains("Update progress") && !page.body.contains("Discharge action"),
        "the force updates, the office discharges"
    );
    let long = format!("Paper drafted {}", "and more ".repeat(2_300));
    let refused = force.post(&app, &format!("{action_path}/progress"), &[("progress", &long), ("version", "1")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("longer than 20000 characters"), "the reason is shown");
    assert!(refused.body.contains(&long[..200]), "what was typed is kept");
    let progress =
        force.post(&app, &format!("{action_path}/progress"), &[("progress", "Paper drafted"), ("version", "1")]).await;
    assert_eq!(progress.status, StatusCode::SEE_OTHER, "the refused update changed nothing (the version is still 1)");

    let discharge = format!("{action_path}/discharge");
    let missing = office
        .post(&app, &discharge, &[("note", "Reported"), ("place", "paper"), ("reference", ""), ("version", "2")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("The item or paper is required") && missing.body.contains(">Reported</textarea>"));
    let stale = office
        .post(
            &app,
            &discharge,
            &[("note", "Reported"), ("place", "paper"), ("reference", "item 3 paper"), ("version", "1")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Paper drafted"), "the force's update is shown");
    let done = office
        .post(
            &app,
            &discharge,
            &[("note", "Reported"), ("place", "paper"), ("reference", "item 3 paper"), ("version", "2")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let id: i64 = action_path.rsplit('/').next().unwrap().parse().unwrap();
    let action = app.state.governance().action(id).await.unwrap();
    assert_eq!(action.status, ActionStatus::Discharged);
    let shown = office.get(&app, &action_path).await;
    assert!(shown.body.contains("Reported — In a paper (item 3 paper)"));
    // Its page lists what was done to it, by whom, newest first.
    let history = &shown.body[shown.body.find("History (").expect("the action's history")..];
    let discharged = history.find("discharge: action").expect("the discharge in the history");
    let raised = history.find("raise: action").or_else(|| history.find("create: action")).expect("how it began");
    assert!(discharged < raised, "newest first: {history}");

    let admin = login(&app, Role::Administrator).await;
    let audit = admin.get(&app, "/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.body.contains("discharge action") && audit.body.contains("editor@example.org"));
}
