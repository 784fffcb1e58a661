//! The panel's side through `router()`: a member submits a question for a
//! panel meeting (a wrong form comes back with its errors and everything
//! typed), sees their own but not another member's; the office records the
//! answer (a stale save is refused and the typed answer kept) and publishes
//! it; the work programme is kept under versions; the documents render.

use axum::http::StatusCode;

use scrutiny_core::governance::{MeetingForm, Role};
use scrutiny_store::governance::Actor;

use crate::util::{App, PASSWORD, app, login, try_login};

async fn panel_meeting(app: &App) -> i64 {
    let form = MeetingForm {
        kind: "panel".into(),
        title: "Kent and Medway Police and Crime Panel".into(),
        date: "2020-02-06".into(),
        ..Default::default()
    };
    app.state.governance().create_meeting(&Actor::system("test"), &form.validate().unwrap()).await.unwrap().id
}

#[tokio::test]
async fn a_member_submits_a_question_and_the_office_answers_and_publishes_it() {
    let app = app().await;
    let meeting = panel_meeting(&app).await;
    let member = login(&app, Role::PanelMember).await;
    let typed = "Can the Commissioner explain the town beat officer criteria?";

    let wrong = member
        .post(
            &app,
            "/panel/questions",
            &[
                ("meeting_id", ""),
                ("member_name", ""),
                ("member_authority", "Canterbury City Council"),
                ("question", typed),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Choose the panel meeting the question is for"));
    assert!(
        wrong.body.contains("The member&#39;s name is required")
            || wrong.body.contains("The member's name is required"),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains(typed), "the question typed is kept");
    assert!(wrong.body.contains("Canterbury City Council"), "the council typed is kept");

    let meeting_id = meeting.to_string();
    let fields = [
        ("meeting_id", meeting_id.as_str()),
        ("member_name", "Ashley Clark"),
        ("member_authority", "Canterbury City Council"),
        ("question", typed),
        ("priorities", "making-kent-safer/tackle-vawg"),
    ];
    let submitted = member.post(&app, "/panel/questions", &fields).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.body);
    let location = submitted.location().to_string();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let own = member.get(&app, &location).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("(Ashley Clark – Canterbury City Council)"));
    assert!(own.body.contains("Awaited."));
    assert!(!own.body.contains("/answer"), "a member does not record answers");
    assert!(member.get(&app, "/panel").await.body.contains(typed), "a member sees their own question");

    // The member changes it while it is unanswered; a wrong change keeps what was typed.
    let edit = format!("/panel/questions/{id}/edit");
    let changed = "Can the Commissioner explain the criteria for deploying town beat officers?";
    let blank = member
        .post(
            &app,
            &edit,
            &[("version", "1"), ("member_name", "Ashley Clark"), ("member_authority", ""), ("question", changed)],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains(changed), "the changed text is kept");
    let fields = [
        ("version", "1"),
        ("member_name", "Ashley Clark"),
        ("member_authority", "Canterbury City Council"),
        ("question", changed),
    ];
    assert_eq!(member.post(&app, &edit, &fields).await.status, StatusCode::SEE_OTHER);
    let stale = member.post(&app, &edit, &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a stale change is refused");
    let typed = changed;

    // Another member sees neither the question nor its page until it is published.
    let hash = scrutiny_web::hash_password(PASSWORD).unwrap();
    app.state
        .governance()
        .create_user(&Actor::system("test"), "other@example.org", "Other member", Role::PanelMember, &hash)
        .await
        .unwrap();
    let (_, other) = try_login(&app, "other@example.org", PASSWORD).await;
    assert!(!other.get(&app, "/panel").await.body.contains(typed));
    assert_eq!(other.get(&app, &location).await.status, StatusCode::NOT_FOUND);

    let editor = login(&app, Role::Editor).await;
    let refused = editor.post(&app, &format!("/panel/questions/{id}/publish"), &[("version", "2")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "an unanswered question is not published");
    assert!(refused.body.contains("cannot be published"));
    let empty = editor.post(&app, &format!("/panel/questions/{id}/answer"), &[("version", "2"), ("answer", " ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("The Commissioner&#39;s answer is required")
            || empty.body.contains("The Commissioner's answer is required")
    );
    let answer = "1. The Commissioner explained that he did not set targets.\n2. He reassured the Panel.";
    let saved =
        editor.post(&app, &format!("/panel/questions/{id}/answer"), &[("version", "2"), ("answer", answer)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let late = "My answer typed on a stale page";
    let stale =
        editor.post(&app, &format!("/panel/questions/{id}/answer"), &[("version", "2"), ("answer", late)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains(late), "the typed answer is kept");
    assert!(stale.body.contains("He reassured the Panel."), "the saved answer is shown");
    let page = editor.get(&app, &location).await;
    assert!(page.body.contains("<li>The Commissioner explained that he did not set targets.</li>"));
    assert_eq!(
        member
            .post(&app, &edit, &[("version", "3"), ("member_name", "A"), ("member_authority", "B"), ("question", "C")])
            .await
            .status,
        StatusCode::CONFLICT,
        "an answered question is fixed"
    );
    let published = editor.post(&app, &format!("/panel/questions/{id}/publish"), &[("version", "3")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    assert!(other.get(&app, "/panel").await.body.contains(typed), "published, every member sees it");

    let paper = editor.get(&app, &format!("/panel/meetings/{meeting}/questions.html")).await;
    assert_eq!(paper.status, StatusCode::OK);
    for expected in [
        "Question 1:",
        "(Ashley Clark – Canterbury City Council)",
        "2. He reassured the Panel.",
        "RESOLVED that the Commissioner&#39;s answers be noted.",
    ] {
        assert!(
            paper.body.contains(expected) || paper.body.contains(&expected.replace("&#39;", "'")),
            "{expected}: {}",
            paper.body
        );
    }
    let pdf = editor.get(&app, &format!("/panel/meetings/{meeting}/questions.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"));
}

#[tokio::test]
async fn the_work_programme_keeps_what_was_typed_and_refuses_stale_saves() {
    let app = app().await;
    let editor = login(&app, Role::Editor).await;
    let wrong = editor
        .post(
            &app,
            "/panel/work-programme",
            &[
                ("section", "standard-item"),
                ("meeting_date", "2020-06-18"),
                ("title", "Mental Health and Policing"),
                ("notes", "typed note"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("An item at each meeting has no date: leave the date empty"));
    assert!(wrong.body.contains("Mental Health and Policing") && wrong.body.contains("typed note"));
    let added = editor
        .post(
            &app,
            "/panel/work-programme",
            &[
                ("section", "meeting-date"),
                ("meeting_date", "2020-02-06"),
                ("title", "14:00"),
                ("notes", "Budget and Precept meeting"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let id = added.location().rsplit("entry-").next().unwrap().to_string();
    let edit = format!("/panel/work-programme/{id}/edit");
    let fields = |title: &'static str, version: &'static str| {
        [
            ("version", version),
            ("section", "meeting-date"),
            ("meeting_date", "2020-02-06"),
            ("title", title),
            ("notes", "Budget and Precept meeting"),
            ("status", "considered"),
        ]
    };
    assert_eq!(editor.post(&app, &edit, &fields("14:00", "1")).await.status, StatusCode::SEE_OTHER);
    let stale = editor.post(&app, &edit, &fields("10:00 typed late", "1")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("10:00 typed late") && stale.body.contains("nothing of yours was saved"));
    let page = login(&app, Role::PanelMember).await.get(&app, "/panel/work-programme").await;
    assert!(page.body.contains("Thursday 6 February 2020") && page.body.contains("Budget and Precept meeting"));
    assert!(!page.body.contains("/edit\""), "a member reads the programme only");
    let document = editor.get(&app, "/panel/work-programme.html").await;
    assert!(
        document.body.contains("Forward work programme")
            && document.body.contains("Budget and Precept meeting; considered")
    );
    let pdf = editor.get(&app, "/panel/work-programme.pdf").await;
    assert!(pdf.body.starts_with("%PDF"));
}
