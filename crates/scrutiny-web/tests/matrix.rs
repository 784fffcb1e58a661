//! The authorisation matrix: every route × every role is allowed or refused
//! exactly as the permission table says.

use axum::http::StatusCode;

use scrutiny_core::governance::{
    ActionForm, DecisionForm, InspectionForm, MeetingForm, QuestionForm, RecommendationForm, Role,
};
use scrutiny_core::panel::{PanelQuestionForm, WorkProgrammeForm};
use scrutiny_store::governance::Actor;
use scrutiny_web::ROUTES;

use crate::util::{app, login};

#[tokio::test]
async fn every_route_for_every_role_follows_the_permission_table() {
    let app = app().await;
    let governance = app.state.governance();
    let actor = Actor::system("test");
    let meeting_form =
        MeetingForm { kind: "board".into(), title: "Board".into(), date: "2024-09-12".into(), ..Default::default() };
    let meeting = governance.create_meeting(&actor, &meeting_form.validate().unwrap()).await.unwrap();
    let editor = governance.user_by_email("editor@example.org").await.unwrap().unwrap();
    let question_form = QuestionForm { paper: "P".into(), priority: String::new(), text: "Q?".into() };
    let question = governance.ask_question(&editor, meeting.id, &question_form).await.unwrap();
    let action_form = ActionForm { text: "Do".into(), owner: "DCC".into(), due: String::new() };
    let action = governance.raise_action(&actor, meeting.id, &action_form.validate().unwrap()).await.unwrap();
    let decision_form = DecisionForm {
        originator: "Chief Executive".into(),
        title: "T".into(),
        executive_summary: "S".into(),
        recommendation: "R".into(),
        decision: "D".into(),
        disclosure: "open".into(),
        ..Default::default()
    };
    let decision = governance
        .create_decision(&actor, &decision_form.validate(&[]).unwrap(), "2024-09-10".parse().unwrap())
        .await
        .unwrap();
    let inspection_form =
        InspectionForm { body: "HMICFRS".into(), title: "PEEL".into(), published: "2024-06-01".into() };
    let inspection = governance.create_inspection(&actor, &inspection_form.validate().unwrap()).await.unwrap();
    let recommendation_form =
        RecommendationForm { text: "Do".into(), status: "awaiting-review".into(), ..Default::default() };
    let recommendation = governance
        .add_recommendation(&actor, inspection.id, &recommendation_form.validate(true).unwrap())
        .await
        .unwrap();

    let panel_form =
        MeetingForm { kind: "panel".into(), title: "Panel".into(), date: "2024-09-17".into(), ..Default::default() };
    let panel = governance.create_meeting(&actor, &panel_form.validate().unwrap()).await.unwrap();
    let member = governance.user_by_email("panel@example.org").await.unwrap().unwrap();
    let panel_question_form = PanelQuestionForm {
        member_name: "Ashley Clark".into(),
        member_authority: "Canterbury City Council".into(),
        question: "Q?".into(),
        priorities: Vec::new(),
    };
    let panel_question =
        governance.submit_panel_question(&member, panel.id, &panel_question_form.validate(&[]).unwrap()).await.unwrap();
    let entry_form =
        WorkProgrammeForm { section: "standard-item".into(), title: "Questions".into(), ..Default::default() };
    let entry = governance.add_work_programme_entry(&actor, &entry_form.validate().unwrap()).await.unwrap();

    let mut checked = 0;
    for role in Role::ALL {
        let client = login(&app, role).await;
        for route in ROUTES {
            let local = route.path.strip_prefix("/public").unwrap_or(route.path);
            let id = if local.starts_with("/panel/questions") {
                panel_question.id
            } else if local.starts_with("/panel/meetings") {
                panel.id
            } else if local.starts_with("/panel/work-programme") {
                entry.id
            } else if local.starts_with("/questions") {
                question.id
            } else if local.starts_with("/actions") {
                action.id
            } else if local.starts_with("/decisions") {
                decision.id
            } else if local.starts_with("/inspections") {
                inspection.id
            } else if local.starts_with("/recommendations") {
                recommendation.id
            } else {
                meeting.id
            };
            let path = route.path.replace("{id}", &id.to_string());
            // Forms are sent empty (with the session's token): an allowed
            // request then fails validation, which changes nothing.
            let reply = match route.method {
                "GET" => client.get(&app, &path).await,
                "POST" if path == "/logout" || path == "/login" => continue,
                "POST" => client.post(&app, &path, &[]).await,
                other => panic!("untested method {other}"),
            };
            let refused = reply.status == StatusCode::FORBIDDEN
                || (reply.status == StatusCode::SEE_OTHER && reply.location().starts_with("/login"));
            let expected = role.may(route.permission);
            assert_eq!(
                !refused,
                expected,
                "{} {} as {role}: got {} {}",
                route.method,
                route.path,
                reply.status,
                reply.location()
            );
            if refused && role == Role::Public {
                assert_eq!(reply.status, StatusCode::SEE_OTHER, "the public is sent to log in");
            }
            if !refused {
                assert!(reply.status.as_u16() < 500, "{} {} as {role}: {}", route.method, route.path, reply.status);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, Role::ALL.len() * (ROUTES.len() - 2));
    assert_eq!(
        governance.audit_log(None, 100).await.unwrap().len(),
        4 + 6 + 3,
        "refused and empty requests changed nothing"
    );
    assert_eq!(governance.question(question.id).await.unwrap().version, question.version);
    assert_eq!(governance.panel_question(panel_question.id).await.unwrap(), panel_question);
    assert_eq!(governance.work_programme_entry(entry.id).await.unwrap(), entry);
    assert_eq!(governance.decision(decision.id).await.unwrap(), decision);
    assert_eq!(governance.recommendation(recommendation.id).await.unwrap(), recommendation);
}

#[tokio::test]
async fn an_unknown_path_is_not_found() {
    let app = app().await;
    let admin = login(&app, Role::Administrator).await;
    let reply = admin.get(&app, "/no/such/page").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&app, "/meetings/999").await.status, StatusCode::NOT_FOUND);
}
