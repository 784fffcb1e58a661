//! The documents the workflow writes, through the routes: a meeting's
//! questions and notes and a Record of Decision as HTML and PDF, what they
//! carry from earlier meetings, and who may read them.

use axum::http::StatusCode;

use scrutiny_core::governance::{ActionForm, DecisionForm, DischargeForm, MeetingForm, QuestionForm, Role};
use scrutiny_store::governance::{Actor, Saved};

use crate::util::{app, login};

fn meeting(date: &str) -> MeetingForm {
    MeetingForm {
        kind: "board".into(),
        title: "Performance and Delivery Board".into(),
        date: date.into(),
        venue: "Sessions House".into(),
        attendees: "Police and Crime Commissioner; Chief Constable".into(),
    }
}

#[tokio::test]
async fn meeting_notes_carry_earlier_actions_and_the_documents_come_as_html_and_pdf() {
    let app = app().await;
    let governance = app.state.governance();
    let actor = Actor::system("test");
    let editor = governance.user_by_email("editor@example.org").await.unwrap().unwrap();
    let force = governance.user_by_email("force@example.org").await.unwrap().unwrap();
    let june = governance.create_meeting(&actor, &meeting("2024-06-13").validate().unwrap()).await.unwrap();
    // The discharge below is recorded today, long after both meetings: September's
    // notes (the newest) show it, June's (written up within two weeks) do not.
    let september = governance.create_meeting(&actor, &meeting("2024-09-12").validate().unwrap()).await.unwrap();
    governance.add_agenda_item(&actor, september.id, "Action updates", "").await.unwrap();
    let question = governance
        .ask_question(
            &editor,
            june.id,
            &QuestionForm {
                paper: "Performance report".into(),
                priority: "Tackle violence against women and girls".into(),
                text: "What is the charge rate for rape?".into(),
            },
        )
        .await
        .unwrap();
    let Saved::Done(_) = governance.respond(&force, question.id, question.version, "4.2% this year.").await.unwrap()
    else {
        panic!("stale")
    };
    let raise =
        |text: &str| ActionForm { text: text.into(), owner: "Chief Constable".into(), due: "2024-09-01".into() };
    let done =
        governance.raise_action(&actor, june.id, &raise("Brief on the review").validate().unwrap()).await.unwrap();
    governance.raise_action(&actor, june.id, &raise("Report on cadets").validate().unwrap()).await.unwrap();
    governance.raise_action(&actor, september.id, &raise("Update on the uplift").validate().unwrap()).await.unwrap();
    let discharge =
        DischargeForm { note: "Reported.".into(), place: "meeting-item".into(), reference: "item 2".into() };
    governance.discharge_action(&actor, done.id, done.version, &discharge.validate().unwrap()).await.unwrap();

    let office = login(&app, Role::Editor).await;
    let page = office.get(&app, &format!("/meetings/{}", september.id)).await;
    assert!(page.body.contains(&format!("/meetings/{}/notes.pdf", september.id)), "the meeting links its documents");

    let notes = office.get(&app, &format!("/meetings/{}/notes.html", september.id)).await;
    assert_eq!(notes.status, StatusCode::OK);
    assert!(notes.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    let body = &notes.body;
    assert!(body.contains("Thursday 12 September 2024"), "{body}");
    assert!(body.contains("Brief on the review (raised at Performance and Delivery Board, 13 June 2024) – <em>discharged, reported at item 2. Reported.</em>"), "{body}");
    assert!(
        body.contains(
            "Report on cadets (raised at Performance and Delivery Board, 13 June 2024) – <em>open, due 01/09/2024.</em>"
        ),
        "{body}"
    );
    let overview = &body[body.find("<h2>Overview of Actions</h2>").unwrap()..];
    assert!(overview.contains("Update on the uplift") && overview.contains("Report on cadets"));
    assert!(!overview.contains("Brief on the review"), "a discharged earlier action is not in the overview");
    // June's notes have nothing carried, and its overview lists what June raised.
    let june_notes = office.get(&app, &format!("/meetings/{}/notes.html", june.id)).await.body;
    assert!(june_notes.contains("There were no actions from earlier meetings to update."));
    // Regression: a past meeting's notes showed each action's status today.
    assert!(june_notes.contains("<td>Brief on the review</td><td>Open</td>"), "as at June it was open: {june_notes}");
    assert!(!june_notes.contains("Reported."), "nor is its later discharge printed: {june_notes}");

    let questions = office.get(&app, &format!("/meetings/{}/questions.html", june.id)).await.body;
    assert!(questions.contains("<h3>Priority - Tackle violence against women and girls</h3>"), "{questions}");
    assert!(questions.contains("<em>Force response: 4.2% this year.</em><em>Not yet published.</em>"), "{questions}");

    for path in [format!("/meetings/{}/notes.pdf", september.id), format!("/meetings/{}/questions.pdf", june.id)] {
        let pdf = office.get(&app, &path).await;
        assert_eq!(pdf.status, StatusCode::OK, "{path}");
        assert_eq!(pdf.headers["content-type"], "application/pdf", "{path}");
        assert!(pdf.body.starts_with("%PDF-"), "{path}");
    }
    // A meeting that does not exist has no documents.
    assert_eq!(office.get(&app, "/meetings/999/notes.html").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_decision_record_as_a_document_and_a_confidential_one_hidden_from_the_force() {
    let app = app().await;
    let governance = app.state.governance();
    let actor = Actor::system("test");
    let form = |disclosure: &str, reason: &str| DecisionForm {
        originator: "Chief Executive".into(),
        title: "New Complaints Legislation".into(),
        executive_summary: "The Act changed the complaints system.".into(),
        recommendation: "Adopt the appellate function.".into(),
        decision: "Adopt it from 1 February 2020.".into(),
        disclosure: disclosure.into(),
        confidential_reason: reason.into(),
        equality_impact: "Administrative in nature.".into(),
        ..Default::default()
    };
    let on = "2020-01-20".parse().unwrap();
    let open = governance.create_decision(&actor, &form("open", "").validate(&[]).unwrap(), on).await.unwrap();
    let secret = governance
        .create_decision(&actor, &form("confidential", "Sensitive").validate(&[]).unwrap(), on)
        .await
        .unwrap();
    let office = login(&app, Role::Editor).await;
    let page = office.get(&app, &format!("/decisions/{}", open.id)).await.body;
    assert!(page.contains(&format!("/decisions/{}/record.pdf", open.id)), "the decision links its record");
    let record = office.get(&app, &format!("/decisions/{}/record.html", open.id)).await.body;
    assert!(record.contains(&format!("<h1>Record of Decision {}</h1>", open.reference)), "{record}");
    assert!(record.contains("<tr><td>Chief Finance Officer</td><td>Not signed yet</td>"), "{record}");
    assert!(record.contains("<h3>Equality impact</h3>\n<p>Administrative in nature.</p>"), "{record}");
    let pdf = office.get(&app, &format!("/decisions/{}/record.pdf", open.id)).await;
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    let confidential = office.get(&app, &format!("/decisions/{}/record.html", secret.id)).await.body;
    assert!(confidential.contains("Reason if confidential</th><td>Sensitive"), "{confidential}");
    let force = login(&app, Role::ForceResponder).await;
    for suffix in ["html", "pdf"] {
        let path = format!("/decisions/{}/record.{suffix}", secret.id);
        assert_eq!(force.get(&app, &path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(force.get(&app, &format!("/decisions/{}/record.html", open.id)).await.status, StatusCode::OK);
}
