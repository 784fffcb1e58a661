//! Forms: errors beside the field with what was typed kept, and edits of a
//! stale version refused with the other person's change shown.

use axum::http::StatusCode;

use scrutiny_core::governance::Role;

use crate::util::{app, login};

#[tokio::test]
async fn a_wrong_meeting_form_says_what_is_wrong_and_keeps_what_was_typed() {
    let app = app().await;
    let editor = login(&app, Role::Editor).await;
    let reply = editor
        .post(
            &app,
            "/meetings",
            &[
                ("kind", "board"),
                ("title", "  "),
                ("date", "2024-02-30"),
                ("venue", "Sessions <House>"),
                ("attendees", "PCC"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("The title is required"), "{}", reply.body);
    assert!(reply.body.contains("is not a date"));
    assert!(
        reply.body.contains("value=\"Sessions &#60;House&#62;\"")
            || reply.body.contains("value=\"Sessions &lt;House&gt;\""),
        "typed text is kept, escaped"
    );
    assert!(reply.body.contains(">PCC</textarea>"));
    assert!(app.state.governance().meetings(&Default::default()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_second_save_of_a_stale_meeting_is_refused_and_shows_the_other_change() {
    let app = app().await;
    let alice = login(&app, Role::Editor).await;
    let bob = login(&app, Role::Administrator).await;
    let created = alice
        .post(
            &app,
            "/meetings",
            &[("kind", "board"), ("title", "Board"), ("date", "2024-09-12"), ("venue", ""), ("attendees", "")],
        )
        .await;
    let path = format!("{}/edit", created.location());
    for client in [&alice, &bob] {
        assert!(client.get(&app, &path).await.body.contains("name=\"version\" value=\"1\""));
    }
    let first = alice
        .post(
            &app,
            &path,
            &[
                ("kind", "board"),
                ("title", "Board (moved to Thursday)"),
                ("date", "2024-09-19"),
                ("venue", ""),
                ("attendees", ""),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = bob
        .post(
            &app,
            &path,
            &[
                ("kind", "board"),
                ("title", "Board (Bob's title)"),
                ("date", "2024-09-12"),
                ("venue", ""),
                ("attendees", ""),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(second.body.contains("Someone else saved this meeting"));
    assert!(second.body.contains("Board (moved to Thursday)"), "the other person's change is shown");
    assert!(
        second.body.contains("value=\"Board (Bob&#39;s title)\"")
            || second.body.contains("value=\"Board (Bob&#x27;s title)\""),
        "Bob's typing is kept"
    );
    assert!(
        second.body.contains("name=\"version\" value=\"2\""),
        "saving again is a deliberate overwrite of version 2"
    );
    let meetings = app.state.governance().meetings(&Default::default()).await.unwrap();
    assert_eq!(meetings[0].title, "Board (moved to Thursday)");
}
