//! Decision records and inspection recommendations through the pages: who
//! may draft, sign, publish and correct; confidential records hidden from
//! those who may not read them; recommendations updated by the force with a
//! dated history; the 56-day clock standing out when overdue.

use axum::http::StatusCode;

use scrutiny_core::governance::{DecisionState, RecommendationStatus, Role};

use crate::util::{app, login};

const DRAFT: [(&str, &str); 8] = [
    ("originator", "Chief Executive"),
    ("title", "New Complaints Legislation"),
    ("executive_summary", "The Policing and Crime Act 2017 changes the police complaints system."),
    ("recommendation", "Adopt only the mandatory appellate function at this time."),
    ("decision", "From 1 February 2020, adopt the mandatory appellate function."),
    ("objectives", "safer-in-kent/put-victims-first"),
    ("objectives_statement", "Develops oversight of the police complaints process."),
    ("equality_impact", "Completed."),
];

fn draft_with(disclosure: &'static str, reason: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut fields = DRAFT.to_vec();
    fields.push(("disclosure", disclosure));
    fields.push(("confidential_reason", reason));
    fields
}

#[tokio::test]
async fn a_decision_is_drafted_signed_in_order_published_and_corrected_by_a_new_version() {
    let app = app().await;
    let office = login(&app, Role::Editor).await;
    let force = login(&app, Role::ForceResponder).await;
    let governance = app.state.governance();

    let form = office.get(&app, "/decisions/new").await;
    assert!(form.body.contains("Safer in Kent"), "plan priorities are offered as objectives");
    let objective =
        form.body.split("name=\"objectives\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut fields = draft_with("confidential", "");
    fields.retain(|(name, _)| *name != "objectives");
    fields.push(("objectives", &objective));
    let missing = office.post(&app, "/decisions", &fields).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("The reason it is confidential is required"), "{}", missing.body);
    assert!(missing.body.contains("New Complaints Legislation"), "what was typed is kept");
    assert!(governance.decisions(&Default::default()).await.unwrap().is_empty());

    let mut open = draft_with("open", "");
    open.retain(|(name, _)| *name != "objectives");
    open.push(("objectives", &objective));
    let created = office.post(&app, "/decisions", &open).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let path = created.location().to_string();
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let page = office.get(&app, &path).await;
    assert!(page.body.contains("OPCC.D.001.24"), "the reference is allocated from the year (2024)");
    assert!(page.body.contains("Next to sign: <strong>Chief Finance Officer</strong>"));

    assert_eq!(force.get(&app, "/decisions/new").await.status, StatusCode::FORBIDDEN, "the force cannot draft");
    let force_page = force.get(&app, &path).await;
    assert!(!force_page.body.contains("Record sign-off") && !force_page.body.contains("Edit the draft"));
    let sign = format!("{path}/sign");
    assert_eq!(
        force
            .post(&app, &sign, &[("signatory", "cfo"), ("name", "X"), ("date", "2024-09-10"), ("version", "1")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let wrong = office
        .post(
            &app,
            &sign,
            &[("signatory", "pcc"), ("name", "M Scott"), ("comment", ""), ("date", "2024-09-10"), ("version", "1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert!(wrong.body.contains("Chief Finance Officer signs next"), "{}", wrong.body);
    let blank = office
        .post(
            &app,
            &sign,
            &[
                ("signatory", "cfo"),
                ("name", ""),
                ("comment", "Costs to be identified"),
                ("date", "28/1/2020"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("The name of who signs is required") && blank.body.contains("Costs to be identified"));
    let mut version = 1;
    for (signatory, name) in [("cfo", "R Phillips"), ("chief-executive", "A Harper"), ("pcc", "M Scott")] {
        let reply = office
            .post(
                &app,
                &sign,
                &[
                    ("signatory", signatory),
                    ("name", name),
                    ("comment", "Agreed"),
                    ("date", "2024-09-10"),
                    ("version", &version.to_string()),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{signatory}: {}", reply.body);
        version += 1;
        let edit = office
            .post(&app, &format!("{path}/edit"), &[open.clone(), vec![("version", &version.to_string())]].concat())
            .await;
        assert_eq!(edit.status, StatusCode::CONFLICT, "no edit once signing has started");
    }
    assert_eq!(governance.decision(id).await.unwrap().state, DecisionState::Signed);
    let publish = office.post(&app, &format!("{path}/publish"), &[("version", &version.to_string())]).await;
    assert_eq!(publish.status, StatusCode::SEE_OTHER);
    assert!(governance.decision(id).await.unwrap().is_public());
    assert_eq!(
        login(&app, Role::Public).await.get(&app, &path).await.location(),
        format!("/login?next=/decisions/{id}")
    );

    let corrected = office.post(&app, &format!("{path}/new-version"), &[]).await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER);
    assert!(corrected.location().ends_with("/edit"));
    let list = office.get(&app, "/decisions?q=OPCC.D.001.24").await;
    assert!(list.body.contains("(version 2)") && list.body.contains("superseded"), "{}", list.body);
}

#[tokio::test]
async fn confidential_decisions_are_hidden_from_the_force_and_the_panel() {
    let app = app().await;
    let office = login(&app, Role::Editor).await;
    let created = office.post(&app, "/decisions", &draft_with("confidential", "Operationally sensitive")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let path = created.location().to_string();
    assert!(office.get(&app, "/decisions").await.body.contains("Confidential"));
    for role in [Role::ForceResponder, Role::PanelMember] {
        let client = login(&app, role).await;
        assert!(!client.get(&app, "/decisions").await.body.contains("New Complaints Legislation"), "{role}");
        assert_eq!(client.get(&app, &path).await.status, StatusCode::NOT_FOUND, "{role}");
    }
}

#[tokio::test]
async fn the_force_updates_a_recommendation_and_an_overdue_response_stands_out() {
    let app = app().await;
    let office = login(&app, Role::Editor).await;
    let force = login(&app, Role::ForceResponder).await;
    let bad =
        office.post(&app, "/inspections", &[("body", "HMICFRS"), ("title", ""), ("published", "2024-02-30")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("The title is required") && bad.body.contains("not a date"));
    let created = office
        .post(
            &app,
            "/inspections",
            &[("body", "HMICFRS"), ("title", "Stalking and harassment"), ("published", "2024-06-01")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let path = created.location().to_string();
    assert_eq!(
        force.post(&app, &format!("{path}/recommendations"), &[("text", "x"), ("status", "complete")]).await.status,
        StatusCode::FORBIDDEN,
        "the force does not add recommendations"
    );
    let added = office
        .post(
            &app,
            &format!("{path}/recommendations"),
            &[
                ("text", "Stop the use of Police Information Notices."),
                ("force_position", ""),
                ("lead", "ACC Blaker"),
                ("status", "awaiting-review"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let list = office.get(&app, "/inspections").await;
    assert!(list.body.contains("class=\"overdue\"") && list.body.contains("45 days overdue"), "{}", list.body);

    let governance = app.state.governance();
    let inspection = governance.inspections(&Default::default()).await.unwrap().remove(0);
    let recommendation = &inspection.recommendations[0];
    let update = format!("/recommendations/{}/update", recommendation.id);
    let saved = force
        .post(
            &app,
            &update,
            &[
                ("force_position", "PINs ceased on 13 July."),
                ("lead", "ACC Blaker"),
                ("status", "complete"),
                ("note", "Done"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let stale = office
        .post(
            &app,
            &update,
            &[
                ("force_position", "Office's view"),
                ("lead", "ACC Blaker"),
                ("status", "being-progressed"),
                ("note", ""),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("PINs ceased on 13 July."), "the other person's change is shown: {}", stale.body);
    assert!(stale.body.contains("Office"), "this person's text is kept");
    let stored = governance.recommendation(recommendation.id).await.unwrap();
    assert_eq!((stored.status, stored.updates.len()), (RecommendationStatus::Complete, 2));

    let response = office
        .post(
            &app,
            &format!("{path}/response"),
            &[("published_on", "2024-07-20"), ("note", "OPCC website"), ("version", "1")],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let page = office.get(&app, &path).await;
    assert!(page.body.contains("responded on 2024-07-20") && !page.body.contains(">Overdue</span>"), "{}", page.body);
    // Regression: counts read "2 updates" and "1 report", not "update(s)".
    assert!(page.body.contains("History (2 updates)"), "{}", page.body);
    let list = office.get(&app, "/inspections").await.body;
    assert!(list.contains("1 report<") && !list.contains("(s)"), "{list}");
}
