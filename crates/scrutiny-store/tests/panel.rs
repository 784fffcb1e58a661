//! The panel's records in the governance database: a member's question goes
//! submitted → answered → published, stale saves change nothing, a board
//! meeting takes no panel questions, and the work programme is versioned and
//! audited.

use scrutiny_core::governance::{MeetingForm, Role};
use scrutiny_core::panel::{PanelQuestionForm, PanelQuestionState, WorkProgrammeForm, WorkProgrammeSection};
use scrutiny_store::ErrorKind;
use scrutiny_store::governance::{Actor, PanelQuestionFilter, Saved};

use crate::governance::Database;

on_both!(a_panel_question_is_submitted_answered_and_published);
on_both!(the_work_programme_is_versioned_and_audited);

const PRIORITIES: &[&str] = &["safer-in-kent/visible-policing"];

fn known() -> Vec<String> {
    PRIORITIES.iter().map(|key| key.to_string()).collect()
}

async fn a_panel_question_is_submitted_answered_and_published(database: Database) {
    let governance = database.open().await.unwrap();
    let system = Actor::system("test");
    let member =
        governance.create_user(&system, "member@example.org", "Cllr Clark", Role::PanelMember, "x").await.unwrap();
    let editor = governance.create_user(&system, "editor@example.org", "Editor", Role::Editor, "x").await.unwrap();
    let other =
        governance.create_user(&system, "other@example.org", "Cllr Palmer", Role::PanelMember, "x").await.unwrap();
    let meeting = |kind: &str| MeetingForm {
        kind: kind.into(),
        title: "Police and Crime Panel".into(),
        date: "2020-02-06".into(),
        ..Default::default()
    };
    let panel = governance.create_meeting(&system, &meeting("panel").validate().unwrap()).await.unwrap();
    let board = governance.create_meeting(&system, &meeting("board").validate().unwrap()).await.unwrap();
    let form = PanelQuestionForm {
        member_name: "Ashley Clark".into(),
        member_authority: "Canterbury City Council".into(),
        question: "Can the Commissioner explain how he will hold the Chief Constable to account?".into(),
        priorities: vec![PRIORITIES[0].into()],
    }
    .validate(&known())
    .unwrap();
    let refused = governance.submit_panel_question(&member, board.id, &form).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Invalid, "{refused}");
    let question = governance.submit_panel_question(&member, panel.id, &form).await.unwrap();
    assert_eq!(question.state, PanelQuestionState::Submitted);
    assert_eq!((question.member_name.as_str(), question.submitted_by.as_str()), ("Ashley Clark", "Cllr Clark"));
    assert_eq!(question.priorities, vec![PRIORITIES[0].to_string()]);
    let theirs = governance.submit_panel_question(&other, panel.id, &form).await.unwrap();

    let published = governance.publish_panel_question(&editor, question.id, question.version).await.unwrap_err();
    assert_eq!(published.kind, ErrorKind::Transition, "an unanswered question is not published");

    let answer = "1. The Commissioner explained that he did not set targets.\n2. He reassured the Panel.";
    let Saved::Done(answered) =
        governance.answer_panel_question(&editor, question.id, question.version, answer).await.unwrap()
    else {
        panic!("the answer is recorded")
    };
    assert_eq!(answered.state, PanelQuestionState::Answered);
    assert_eq!(answered.answered_by.as_deref(), Some("Editor"));
    let stale = governance.answer_panel_question(&editor, question.id, question.version, "another").await.unwrap();
    assert_eq!(stale, Saved::Stale { current: answered.clone() }, "a stale save changes nothing");
    let edit = governance.edit_panel_question(&member, question.id, answered.version, &form).await.unwrap_err();
    assert_eq!(edit.kind, ErrorKind::Transition, "an answered question's text is fixed");

    let Saved::Done(public) = governance.publish_panel_question(&editor, question.id, answered.version).await.unwrap()
    else {
        panic!("published")
    };
    assert_eq!(public.state, PanelQuestionState::Published);
    assert!(public.published_at.is_some());
    let again = governance.answer_panel_question(&editor, question.id, public.version, "x").await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::Transition);

    let published_only = PanelQuestionFilter { state: Some(PanelQuestionState::Published), ..Default::default() };
    let ids = |list: Vec<scrutiny_store::governance::PanelQuestion>| list.iter().map(|q| q.id).collect::<Vec<_>>();
    assert_eq!(ids(governance.panel_questions(&published_only).await.unwrap()), vec![question.id]);
    let members_view = PanelQuestionFilter { published_or_submitted_by: Some(other.id), ..Default::default() };
    assert_eq!(ids(governance.panel_questions(&members_view).await.unwrap()), vec![question.id, theirs.id]);
    let search = PanelQuestionFilter { search: Some("canterbury TARGETS".into()), ..Default::default() };
    assert_eq!(ids(governance.panel_questions(&search).await.unwrap()), vec![question.id]);
    let audit = governance.audit_log(Some(("panel_question", question.id)), 10).await.unwrap();
    let changes: Vec<&str> = audit.iter().map(|entry| entry.change.as_str()).collect();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert!(changes.contains(&"submit") && changes.contains(&"answer") && changes.contains(&"publish"));
}

async fn the_work_programme_is_versioned_and_audited(database: Database) {
    let governance = database.open().await.unwrap();
    let office = Actor::system("office@example.org");
    let entry = |section: &str, date: &str, title: &str| WorkProgrammeForm {
        meeting_date: date.into(),
        section: section.into(),
        title: title.into(),
        notes: String::new(),
        status: String::new(),
    };
    let standard = entry("standard-item", "", "Questions to the Commissioner").validate().unwrap();
    let standard = governance.add_work_programme_entry(&office, &standard).await.unwrap();
    let later = entry("meeting-date", "2020-06-18", "10:00").validate().unwrap();
    let later = governance.add_work_programme_entry(&office, &later).await.unwrap();
    let budget = entry("meeting-date", "2020-02-06", "Budget and Precept meeting").validate().unwrap();
    let budget = governance.add_work_programme_entry(&office, &budget).await.unwrap();
    let programme = governance.work_programme(true).await.unwrap();
    let order: Vec<(WorkProgrammeSection, &str)> =
        programme.iter().map(|entry| (entry.section, entry.title.as_str())).collect();
    assert_eq!(
        order,
        vec![
            (WorkProgrammeSection::MeetingDate, "Budget and Precept meeting"),
            (WorkProgrammeSection::MeetingDate, "10:00"),
            (WorkProgrammeSection::StandardItem, "Questions to the Commissioner"),
        ],
        "by section, then date"
    );
    let withdrawn = WorkProgrammeForm { status: "withdrawn".into(), ..entry("meeting-date", "2020-06-18", "10:00") }
        .validate()
        .unwrap();
    let Saved::Done(saved) =
        governance.update_work_programme_entry(&office, later.id, later.version, &withdrawn).await.unwrap()
    else {
        panic!("saved")
    };
    assert_eq!(saved.version, later.version + 1);
    let stale = governance.update_work_programme_entry(&office, later.id, later.version, &withdrawn).await.unwrap();
    assert_eq!(stale, Saved::Stale { current: saved.clone() });
    let public: Vec<i64> = governance.work_programme(false).await.unwrap().iter().map(|entry| entry.id).collect();
    assert_eq!(public, vec![budget.id, standard.id], "withdrawn entries are left out of the public programme");
    let audit = governance.audit_log(Some(("work_programme", later.id)), 10).await.unwrap();
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().any(|entry| entry.change == "update" && entry.before.is_some()));
}
