//! The governance database's promises, on SQLite always and on PostgreSQL
//! when `SCRUTINY_TEST_POSTGRES` names a server (in CI, where `CI=true`, a
//! missing variable fails the PostgreSQL tests instead of skipping them).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor};

use scrutiny_core::governance::{
    ActionForm, ActionStatus, DischargeForm, DischargedWhere, MeetingForm, QuestionForm, QuestionState, Role,
};
use scrutiny_store::ErrorKind;
use scrutiny_store::governance::{
    ActionFilter, Actor, Dialect, GOVERNANCE_FILE, Governance, MeetingFilter, Saved, User,
};

/// One database to test against: a fresh SQLite file or a fresh PostgreSQL database.
pub struct Database {
    dir: tempfile::TempDir,
    url: Option<String>,
    pub dialect: Dialect,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl Database {
    pub async fn sqlite() -> Database {
        Database { dir: tempfile::tempdir().unwrap(), url: None, dialect: Dialect::Sqlite }
    }

    /// A new database on the test server, or `None` when there is none outside CI.
    pub async fn postgres() -> Option<Database> {
        let Ok(base) = std::env::var("SCRUTINY_TEST_POSTGRES") else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "SCRUTINY_TEST_POSTGRES is not set: in CI the PostgreSQL tests must run (scripts/test.sh starts a server)"
            );
            eprintln!("SCRUTINY_TEST_POSTGRES is not set: PostgreSQL not tested here (CI tests it)");
            return None;
        };
        sqlx::any::install_default_drivers();
        let name = format!("scrutiny_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        let mut admin = sqlx::AnyConnection::connect(&base).await.unwrap();
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.unwrap();
        admin.close().await.unwrap();
        let (server, _) = base.rsplit_once('/').unwrap();
        Some(Database {
            dir: tempfile::tempdir().unwrap(),
            url: Some(format!("{server}/{name}")),
            dialect: Dialect::Postgres,
        })
    }

    pub async fn open(&self) -> Result<Governance, scrutiny_store::Error> {
        Governance::open(self.dir.path(), self.url.as_deref()).await
    }

    /// A connection that bypasses the store, as someone with the database's password would.
    pub async fn raw(&self) -> sqlx::AnyConnection {
        let url = match &self.url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.file().display()),
        };
        sqlx::AnyConnection::connect(&url).await.unwrap()
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub fn file(&self) -> PathBuf {
        self.dir.path().join(GOVERNANCE_FILE)
    }
}

/// Runs one test body against SQLite and against PostgreSQL.
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(crate::governance::Database::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(database) = crate::governance::Database::postgres().await {
                    super::$name(database).await;
                }
            }
        }
    };
}

on_both!(migrates_an_empty_database_once);
on_both!(refuses_a_database_from_a_newer_scrutiny);
on_both!(sessions_expire_and_emails_are_unique);
on_both!(meetings_filter_and_search);
on_both!(a_stale_meeting_edit_is_refused_with_the_other_change);
on_both!(questions_are_asked_responded_and_published_in_order);
on_both!(actions_are_raised_found_and_discharged_once);
on_both!(the_audit_log_records_every_change_and_cannot_be_edited);

fn meeting_form(title: &str, date: &str) -> MeetingForm {
    MeetingForm {
        kind: "board".into(),
        title: title.into(),
        date: date.into(),
        venue: "Sessions House, Maidstone".into(),
        attendees: "PCC, Chief Executive, Chief Constable".into(),
    }
}

pub async fn user(governance: &Governance, email: &str, role: Role) -> User {
    governance.create_user(&Actor::system("test"), email, email, role, "$argon2id$placeholder").await.unwrap()
}

async fn migrates_an_empty_database_once(database: Database) {
    let governance = database.open().await.unwrap();
    assert!(governance.known_version() >= 1);
    assert_eq!(governance.applied_version().await.unwrap(), governance.known_version());
    if database.dialect == Dialect::Sqlite {
        assert!(database.file().is_file(), "the embedded database is created beside the store");
    }
    assert_eq!(governance.migrate().await.unwrap(), 0, "a second migration applies nothing");
    governance.close().await;
    let reopened = database.open().await.unwrap();
    assert_eq!(reopened.migrate().await.unwrap(), 0);
}

async fn refuses_a_database_from_a_newer_scrutiny(database: Database) {
    database.open().await.unwrap().close().await;
    let mut raw = database.raw().await;
    let insert = match database.dialect {
        Dialect::Sqlite => {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', 1, x'00', 0)"
        }
        Dialect::Postgres => {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', TRUE, '\\x00'::bytea, 0)"
        }
    };
    raw.execute(insert).await.unwrap();
    raw.close().await.unwrap();
    let error = database.open().await.err().expect("a newer database must be refused");
    assert_eq!(error.kind, ErrorKind::Newer);
    assert!(error.message().contains("newer Scrutiny"), "{}", error.message());
    assert!(error.message().contains("99990101000000"), "{}", error.message());
}

async fn sessions_expire_and_emails_are_unique(database: Database) {
    let governance = database.open().await.unwrap();
    let editor = user(&governance, "Editor@Example.org", Role::Editor).await;
    assert_eq!(editor.email, "editor@example.org");
    let again = governance.create_user(&Actor::system("test"), "editor@example.org", "x", Role::Editor, "h").await;
    assert_eq!(again.unwrap_err().kind, ErrorKind::Conflict);
    let public = governance.create_user(&Actor::system("test"), "p@example.org", "x", Role::Public, "h").await;
    assert_eq!(public.unwrap_err().kind, ErrorKind::Invalid);
    assert_eq!(governance.user_by_email(" EDITOR@example.org ").await.unwrap().unwrap().id, editor.id);
    assert!(governance.user_by_email("nobody@example.org").await.unwrap().is_none());

    governance.create_session("hash-1", editor.id, "csrf-1", 1_000, 2_000).await.unwrap();
    let session = governance.session("hash-1", 1_999).await.unwrap().unwrap();
    assert_eq!((session.user.role, session.csrf_token.as_str()), (Role::Editor, "csrf-1"));
    assert!(governance.session("hash-1", 2_000).await.unwrap().is_none(), "a session ends at its expiry");
    assert!(governance.session("hash-2", 1_500).await.unwrap().is_none());
    assert_eq!(governance.delete_expired_sessions(2_000).await.unwrap(), 1);
    governance.create_session("hash-3", editor.id, "csrf-3", 1_000, 2_000).await.unwrap();
    governance.delete_session("hash-3").await.unwrap();
    assert!(governance.session("hash-3", 1_500).await.unwrap().is_none(), "logging out ends the session");
}

async fn meetings_filter_and_search(database: Database) {
    let governance = database.open().await.unwrap();
    let actor = Actor::system("test");
    let september = governance
        .create_meeting(&actor, &meeting_form("Performance and Delivery Board", "2024-09-12").validate().unwrap())
        .await
        .unwrap();
    let mut panel = meeting_form("Police and Crime Panel", "2024-10-03");
    panel.kind = "panel".into();
    panel.venue = "Council Chamber".into();
    let panel = governance.create_meeting(&actor, &panel.validate().unwrap()).await.unwrap();
    governance
        .create_meeting(&actor, &meeting_form("Performance and Delivery Board", "2024-06-13").validate().unwrap())
        .await
        .unwrap();

    let all = governance.meetings(&MeetingFilter::default()).await.unwrap();
    let dates: Vec<String> = all.iter().map(|meeting| meeting.date.to_string()).collect();
    assert_eq!(dates, ["2024-10-03", "2024-09-12", "2024-06-13"], "newest first");

    let boards = governance.meetings(&MeetingFilter { kind: all[1].kind.into(), ..Default::default() }).await.unwrap();
    assert_eq!(boards.len(), 2);
    let from = governance
        .meetings(&MeetingFilter {
            from: Some("2024-07-01".parse().unwrap()),
            to: Some("2024-09-30".parse().unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(from.iter().map(|m| m.id).collect::<Vec<_>>(), [september.id]);
    let chamber = governance
        .meetings(&MeetingFilter { search: Some("council CHAMBER".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(chamber.iter().map(|m| m.id).collect::<Vec<_>>(), [panel.id]);
    let wildcard =
        governance.meetings(&MeetingFilter { search: Some("%".into()), ..Default::default() }).await.unwrap();
    assert!(wildcard.is_empty(), "a % typed in search is a character, not a wildcard");

    let first = governance.add_agenda_item(&actor, september.id, "Action updates", "").await.unwrap();
    let second = governance
        .add_agenda_item(&actor, september.id, "Performance report", "Quarterly paper Q1 2024/25")
        .await
        .unwrap();
    assert_eq!((first.position, second.position), (1, 2));
    assert_eq!(governance.agenda(september.id).await.unwrap(), vec![first, second]);
    assert_eq!(governance.add_agenda_item(&actor, 9_999, "x", "").await.unwrap_err().kind, ErrorKind::NotFound);
}

async fn a_stale_meeting_edit_is_refused_with_the_other_change(database: Database) {
    let governance = database.open().await.unwrap();
    let meeting = governance
        .create_meeting(&Actor::system("test"), &meeting_form("Board", "2024-09-12").validate().unwrap())
        .await
        .unwrap();
    let alice = Actor::system("alice");
    let bob = Actor::system("bob");
    let alice_saves = governance
        .update_meeting(
            &alice,
            meeting.id,
            meeting.version,
            &meeting_form("Board (moved)", "2024-09-19").validate().unwrap(),
        )
        .await
        .unwrap();
    let Saved::Done(saved) = alice_saves else { panic!("the first save must succeed") };
    assert_eq!(saved.version, meeting.version + 1);
    let bob_saves = governance
        .update_meeting(
            &bob,
            meeting.id,
            meeting.version,
            &meeting_form("Board (Bob)", "2024-09-12").validate().unwrap(),
        )
        .await
        .unwrap();
    let Saved::Stale { current } = bob_saves else { panic!("a save of a stale version must be refused") };
    assert_eq!(current.title, "Board (moved)", "the refusal shows the other person's change");
    assert_eq!(governance.meeting(meeting.id).await.unwrap().title, "Board (moved)");
    let changes = governance.audit_log(Some(("meeting", meeting.id)), 10).await.unwrap();
    assert_eq!(
        changes.iter().map(|entry| entry.change.as_str()).collect::<Vec<_>>(),
        ["update", "create"],
        "the refused save wrote nothing"
    );
    assert_eq!(changes[0].before.as_ref().unwrap()["title"], "Board");
    assert_eq!(changes[0].after.as_ref().unwrap()["title"], "Board (moved)");
    assert_eq!(changes[0].actor, "alice");
}

async fn questions_are_asked_responded_and_published_in_order(database: Database) {
    let governance = database.open().await.unwrap();
    let editor = user(&governance, "office@example.org", Role::Editor).await;
    let force = user(&governance, "force@example.org", Role::ForceResponder).await;
    let meeting = governance
        .create_meeting(&Actor::user(&editor), &meeting_form("Board", "2024-09-12").validate().unwrap())
        .await
        .unwrap();
    let form = QuestionForm {
        paper: "Performance report".into(),
        priority: "Fighting crime".into(),
        text: "Why has shoplifting risen?".into(),
    };
    let question = governance.ask_question(&editor, meeting.id, &form.validate().unwrap()).await.unwrap();
    assert_eq!((question.state, question.asked_by.as_str()), (QuestionState::Asked, "office@example.org"));

    let early = governance.publish_question(&editor, question.id, question.version).await;
    assert_eq!(early.unwrap_err().kind, ErrorKind::Transition, "an unanswered question cannot be published");
    let Saved::Done(responded) =
        governance.respond(&force, question.id, question.version, "Retail crime rose 12%.").await.unwrap()
    else {
        panic!()
    };
    assert_eq!(responded.state, QuestionState::Responded);
    assert_eq!(responded.responder.as_deref(), Some("force@example.org"));
    let edit = governance.edit_question(&editor, question.id, responded.version, &form).await;
    assert_eq!(edit.unwrap_err().kind, ErrorKind::Transition, "a responded question's text is fixed");
    let stale = governance.respond(&force, question.id, question.version, "Another draft").await.unwrap();
    assert!(matches!(stale, Saved::Stale { .. }));

    assert!(
        governance.questions(Some(meeting.id), true).await.unwrap().is_empty(),
        "nothing is public before publication"
    );
    let Saved::Done(published) = governance.publish_question(&editor, question.id, responded.version).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(published.state, QuestionState::Published);
    assert!(published.published_at.is_some());
    assert_eq!(governance.questions(Some(meeting.id), true).await.unwrap(), vec![published.clone()]);
    let late = governance.respond(&force, question.id, published.version, "Too late").await;
    assert_eq!(late.unwrap_err().kind, ErrorKind::Transition);
    let history = governance.audit_log(Some(("question", question.id)), 10).await.unwrap();
    assert_eq!(history.iter().map(|entry| entry.change.as_str()).collect::<Vec<_>>(), ["publish", "respond", "ask"]);
    assert_eq!(history[1].before.as_ref().unwrap()["state"], "asked");
    assert_eq!(history[1].after.as_ref().unwrap()["response"], "Retail crime rose 12%.");
}

async fn actions_are_raised_found_and_discharged_once(database: Database) {
    let governance = database.open().await.unwrap();
    let actor = Actor::system("office");
    let meeting =
        governance.create_meeting(&actor, &meeting_form("Board", "2024-06-13").validate().unwrap()).await.unwrap();
    let raise = |text: &str, owner: &str, due: &str| {
        ActionForm { text: text.into(), owner: owner.into(), due: due.into() }.validate().unwrap()
    };
    let overdue = governance
        .raise_action(&actor, meeting.id, &raise("Report on rural crime", "ACC Operations", "2024-08-01"))
        .await
        .unwrap();
    let later =
        governance.raise_action(&actor, meeting.id, &raise("Brief on knife crime", "DCC", "2024-12-01")).await.unwrap();
    let undated = governance
        .raise_action(&actor, meeting.id, &raise("Share the victim survey", "Chief Executive", ""))
        .await
        .unwrap();
    assert_eq!(overdue.status, ActionStatus::Open);

    let today = "2024-09-12".parse().unwrap();
    let due = governance.actions(&ActionFilter { overdue_on: Some(today), ..Default::default() }).await.unwrap();
    assert_eq!(due.iter().map(|a| a.id).collect::<Vec<_>>(), [overdue.id]);
    let knife = governance.actions(&ActionFilter { search: Some("KNIFE".into()), ..Default::default() }).await.unwrap();
    assert_eq!(knife.iter().map(|a| a.id).collect::<Vec<_>>(), [later.id]);
    let by_owner = governance
        .actions(&ActionFilter { search: Some("chief executive".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(by_owner.iter().map(|a| a.id).collect::<Vec<_>>(), [undated.id]);

    let Saved::Done(progressed) =
        governance.update_action_progress(&actor, overdue.id, overdue.version, "Paper drafted").await.unwrap()
    else {
        panic!()
    };
    let discharge = DischargeForm { note: "Reported".into(), place: "paper".into(), reference: "item 3 paper".into() }
        .validate()
        .unwrap();
    let stale = governance.discharge_action(&actor, overdue.id, overdue.version, &discharge).await.unwrap();
    let Saved::Stale { current } = stale else { panic!("discharging a stale version must be refused") };
    assert_eq!(current.progress, "Paper drafted");
    let Saved::Done(discharged) =
        governance.discharge_action(&actor, overdue.id, progressed.version, &discharge).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(discharged.status, ActionStatus::Discharged);
    assert_eq!(discharged.discharged_where, Some(DischargedWhere::Paper));
    assert_eq!(discharged.discharged_reference.as_deref(), Some("item 3 paper"));
    let again = governance.discharge_action(&actor, overdue.id, discharged.version, &discharge).await;
    assert_eq!(again.unwrap_err().kind, ErrorKind::Transition);
    let edit = governance.update_action(&actor, overdue.id, discharged.version, &raise("x", "y", "")).await;
    assert_eq!(edit.unwrap_err().kind, ErrorKind::Transition);

    let open =
        governance.actions(&ActionFilter { status: Some(ActionStatus::Open), ..Default::default() }).await.unwrap();
    assert_eq!(
        open.iter().map(|a| a.id).collect::<Vec<_>>(),
        [later.id, undated.id],
        "open actions by due date, undated last"
    );
    assert!(
        governance.actions(&ActionFilter { overdue_on: Some(today), ..Default::default() }).await.unwrap().is_empty()
    );
    let all = governance.actions(&ActionFilter { meeting_id: Some(meeting.id), ..Default::default() }).await.unwrap();
    assert_eq!(all.last().unwrap().id, overdue.id, "discharged actions after open ones");
}

async fn the_audit_log_records_every_change_and_cannot_be_edited(database: Database) {
    let governance = database.open().await.unwrap();
    let admin = user(&governance, "admin@example.org", Role::Administrator).await;
    governance
        .create_meeting(&Actor::user(&admin), &meeting_form("Board", "2024-09-12").validate().unwrap())
        .await
        .unwrap();
    let log = governance.audit_log(None, 100).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].entity.as_str(), log[0].actor.as_str()), ("meeting", "admin@example.org"));
    assert_eq!(log[1].entity, "user");
    assert!(log[1].after.as_ref().unwrap().get("password_hash").is_none(), "no password hash in the log");

    let mut raw = database.raw().await;
    let update = raw.execute("UPDATE audit_log SET actor = 'someone else'").await;
    assert!(update.unwrap_err().to_string().contains("the audit log cannot be changed"));
    let delete = raw.execute("DELETE FROM audit_log").await;
    assert!(delete.unwrap_err().to_string().contains("the audit log cannot be changed"));
    raw.close().await.unwrap();
    assert_eq!(governance.audit_log(None, 100).await.unwrap(), log);
}
