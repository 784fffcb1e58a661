//! What the templates show: one struct per page (askama templates in
//! `templates/`), and plain view rows made from the store's types so that
//! templates only print strings.

use std::collections::BTreeMap;

use askama::Template;

use scrutiny_core::governance::{self, ActionStatus, Date, FieldErrors, Permission, Role};
use scrutiny_store::governance::{Action, AgendaItem, AuditEntry, Meeting, Paper, Question, Session};

use crate::Viewer;

/// What the frame of every page needs.
pub struct Layout {
    pub title: String,
    pub signed_in: bool,
    pub who: String,
    pub role: String,
    pub csrf: String,
    pub can_audit: bool,
}

impl Layout {
    pub fn new(title: &str, viewer: &Viewer) -> Layout {
        Self::for_session(title, viewer.session.as_ref(), String::new())
    }

    pub fn for_session(title: &str, session: Option<&Session>, login_csrf: String) -> Layout {
        Layout {
            title: title.to_string(),
            signed_in: session.is_some(),
            who: session.map(|session| session.user.display_name.clone()).unwrap_or_default(),
            role: session.map(|session| session.user.role.label().to_string()).unwrap_or_default(),
            csrf: session.map(|session| session.csrf_token.clone()).unwrap_or(login_csrf),
            can_audit: session.is_some_and(|session| session.user.role.may(Permission::ViewAuditLog)),
        }
    }
}

/// A form's values as typed and what is wrong with them.
#[derive(Default)]
pub struct FormView {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

impl FormView {
    pub fn new(values: &[(&str, &str)], errors: Option<&FieldErrors>) -> FormView {
        FormView {
            values: values.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
            errors: errors
                .map(|errors| {
                    errors.errors.iter().map(|(name, message)| (name.to_string(), capitalise(message))).collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn label(&self, name: &str) -> &'static str {
        match name {
            "title" => "Title",
            "date" => "Date",
            "venue" => "Venue",
            "paper" => "Paper",
            "priority" => "Plan priority (optional)",
            _ => "Value",
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| format!("{}{}", first.to_uppercase(), chars.as_str())).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    message: &'a str,
}

/// The page of an error (without the viewer's menu: errors come from anywhere).
pub fn error_page(title: &str, message: &str) -> String {
    let layout = Layout::for_session(title, None, String::new());
    ErrorPage { layout, message }.render().unwrap_or_else(|_| format!("<h1>{title}</h1>"))
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub email: String,
    pub next: String,
    pub message: Option<String>,
}

pub struct MeetingRow {
    pub id: i64,
    pub kind: &'static str,
    pub title: String,
    pub date: String,
    pub venue: String,
    pub attendees: String,
}

impl From<&Meeting> for MeetingRow {
    fn from(meeting: &Meeting) -> MeetingRow {
        MeetingRow {
            id: meeting.id,
            kind: meeting.kind.label(),
            title: meeting.title.clone(),
            date: meeting.date.to_string(),
            venue: meeting.venue.clone(),
            attendees: meeting.attendees.clone(),
        }
    }
}

/// Options of a select: (value, label, selected).
pub type Options = Vec<(String, String, bool)>;

pub fn kind_options(selected: &str, with_any: bool) -> Options {
    let _ = with_any;
    governance::MeetingKind::ALL
        .iter()
        .map(|kind| (kind.as_str().to_string(), kind.label().to_string(), kind.as_str() == selected))
        .collect()
}

pub fn category_options(selected: &str) -> Options {
    governance::PaperCategory::ALL
        .iter()
        .map(|category| (category.as_str().to_string(), category.label().to_string(), category.as_str() == selected))
        .collect()
}

/// The plans a generated paper can report against (the portal's first when none is chosen).
pub fn plan_options(selected: &str) -> Options {
    let selected = if selected.is_empty() { "making-kent-safer" } else { selected };
    crate::figures::DEFINITIONS
        .plans
        .iter()
        .map(|plan| (plan.id.clone(), plan.title.clone(), plan.id == selected))
        .collect()
}

/// A meeting's agenda items, after "none".
pub fn agenda_options(agenda: &[AgendaItem], selected: &str) -> Options {
    std::iter::once((String::new(), "None".to_string(), selected.is_empty()))
        .chain(agenda.iter().map(|item| {
            (item.id.to_string(), format!("{}. {}", item.position, item.title), item.id.to_string() == selected)
        }))
        .collect()
}

/// A paper as the meeting page lists it.
pub struct PaperRow {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub agenda_item: String,
    pub kind: String,
    pub size: String,
    pub generated: bool,
    pub has_html: bool,
    pub attached: String,
    pub published: bool,
    pub version: i64,
}

impl PaperRow {
    pub fn new(paper: &Paper, agenda: &[AgendaItem]) -> PaperRow {
        PaperRow {
            id: paper.id,
            title: paper.title.clone(),
            category: paper.category.label().to_string(),
            agenda_item: paper
                .agenda_item_id
                .and_then(|id| agenda.iter().find(|item| item.id == id))
                .map(|item| format!("{}. {}", item.position, item.title))
                .unwrap_or_default(),
            kind: paper.format.label().to_string(),
            size: governance::file_size(paper.size_bytes.max(0) as u64),
            generated: paper.source == governance::PaperSource::Generated,
            has_html: paper.has_html,
            attached: format!("{}, {}", paper.attached_by, paper.attached_at.get(..10).unwrap_or(&paper.attached_at)),
            published: paper.is_published(),
            version: paper.version,
        }
    }
}

#[derive(Template)]
#[template(path = "meetings.html")]
pub struct MeetingsPage {
    pub layout: Layout,
    pub meetings: Vec<MeetingRow>,
    pub kinds: Options,
    pub from: String,
    pub to: String,
    pub q: String,
    pub problem: Option<String>,
    pub can_edit: bool,
}

#[derive(Template)]
#[template(path = "meeting_form.html")]
pub struct MeetingFormPage {
    pub layout: Layout,
    pub action: String,
    pub form: FormView,
    pub kinds: Options,
    pub conflict: Option<MeetingRow>,
}

pub struct QuestionRow {
    pub id: i64,
    pub paper: String,
    pub priority: String,
    pub text: String,
    pub asked_by: String,
    pub state: &'static str,
    pub response: Option<String>,
    pub responder: Option<String>,
    pub version: i64,
    /// What the responder's box holds (their draft after an error, else the saved response).
    pub draft: String,
    pub error: Option<String>,
}

impl From<&Question> for QuestionRow {
    fn from(question: &Question) -> QuestionRow {
        QuestionRow {
            id: question.id,
            paper: question.paper.clone(),
            priority: question.priority.clone(),
            text: question.text.clone(),
            asked_by: question.asked_by.clone(),
            state: question.state.as_str(),
            response: question.response.clone(),
            responder: question.responder.clone(),
            version: question.version,
            draft: question.response.clone().unwrap_or_default(),
            error: None,
        }
    }
}

pub struct ActionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub overdue: bool,
    pub progress: String,
    pub discharge: String,
    pub version: i64,
}

impl ActionRow {
    pub fn new(action: &Action, today: Date) -> ActionRow {
        let discharge = match (&action.discharge_note, action.discharged_where) {
            (Some(note), Some(place)) => {
                let reference = action.discharged_reference.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
                format!("{note} — {}{reference}", place.label())
            }
            _ => String::new(),
        };
        ActionRow {
            id: action.id,
            meeting_id: action.meeting_id,
            text: action.text.clone(),
            owner: action.owner.clone(),
            due: action.due.map(|due| due.to_string()).unwrap_or_else(|| "none set".to_string()),
            status: action.status.as_str(),
            status_label: match action.status {
                ActionStatus::Open => "Open",
                ActionStatus::Discharged => "Discharged",
            },
            overdue: governance::is_overdue(action.status, action.due, today),
            progress: action.progress.clone(),
            discharge,
            version: action.version,
        }
    }
}

#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MeetingPage {
    pub layout: Layout,
    pub meeting: MeetingRow,
    pub agenda: Vec<AgendaItem>,
    pub questions: Vec<QuestionRow>,
    pub actions: Vec<ActionRow>,
    pub notice: Option<String>,
    pub agenda_form: FormView,
    pub question_form: FormView,
    pub action_form: FormView,
    pub papers: Vec<PaperRow>,
    /// The meeting's changes and those of its agenda, questions and papers, newest first.
    pub history: Vec<HistoryRow>,
    pub paper_form: FormView,
    pub generate_form: FormView,
    pub category_options: Options,
    pub plan_options: Options,
    pub paper_item_options: Options,
    pub generate_item_options: Options,
    pub can_edit: bool,
    pub can_ask: bool,
    pub can_respond: bool,
    pub can_publish: bool,
    pub can_raise: bool,
}

impl MeetingPage {
    pub fn permissions(role: Role) -> [bool; 5] {
        [
            role.may(Permission::EditMeetings),
            role.may(Permission::AskQuestion),
            role.may(Permission::RespondToQuestion),
            role.may(Permission::PublishQuestion),
            role.may(Permission::RaiseAction),
        ]
    }
}

#[derive(Template)]
#[template(path = "actions.html")]
pub struct ActionsPage {
    pub layout: Layout,
    pub actions: Vec<ActionRow>,
    pub statuses: Options,
    pub q: String,
    pub overdue_count: usize,
}

#[derive(Template)]
#[template(path = "action.html")]
pub struct ActionPage {
    pub layout: Layout,
    pub action: ActionRow,
    pub meeting_title: String,
    pub notice: Option<String>,
    pub progress_draft: String,
    pub discharge_form: FormView,
    pub places: Options,
    pub can_progress: bool,
    pub can_discharge: bool,
    pub history: Vec<HistoryRow>,
}

/// One change in a record's history, as its page lists it: when, who and
/// what (the audit log's entry without the before and after, which only
/// administrators read, on /audit).
pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub what: String,
}

impl HistoryRow {
    /// `entry`, made by `actor` (the account's name).
    pub fn new(entry: &AuditEntry, actor: String) -> HistoryRow {
        let thing = match entry.entity.as_str() {
            "meeting" => "the meeting".to_string(),
            "agenda_item" => "an agenda item".to_string(),
            "question" => format!("question {}", entry.entity_id),
            "paper" => format!("paper {}", entry.entity_id),
            "action" => format!("action {}", entry.entity_id),
            other => format!("{} {}", other.replace('_', " "), entry.entity_id),
        };
        let change = entry.change.replace('_', " ");
        HistoryRow { at: moment(&entry.at), actor, what: format!("{change}: {thing}") }
    }
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: i64,
    pub change: String,
    pub before: String,
    pub after: String,
}

impl From<&AuditEntry> for AuditRow {
    fn from(entry: &AuditEntry) -> AuditRow {
        let pretty = |value: &Option<serde_json::Value>| {
            value.as_ref().map(|value| serde_json::to_string_pretty(value).unwrap_or_default()).unwrap_or_default()
        };
        AuditRow {
            at: entry.at.clone(),
            actor: entry.actor.clone(),
            entity: entry.entity.clone(),
            entity_id: entry.entity_id,
            change: entry.change.clone(),
            before: pretty(&entry.before),
            after: pretty(&entry.after),
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub entries: Vec<AuditRow>,
}

/// "1 update", "2 updates", "0 meetings": a count with its noun, singular for one.
/// A stored timestamp ("2026-12-02T05:57:13Z") as people read it: "2
/// December 2026, 05:57 UTC"; anything else as it is.
pub fn moment(timestamp: &str) -> String {
    let date = timestamp.get(..10).and_then(|date| date.parse::<scrutiny_core::governance::Date>().ok());
    match (date, timestamp.get(10..11), timestamp.get(11..16)) {
        (Some(date), Some("T"), Some(time)) => {
            let month = date.year_month();
            format!("{} {} {}, {time} UTC", date.day(), month.month_name(), month.year())
        }
        _ => timestamp.to_string(),
    }
}

pub fn count(number: usize, singular: &str) -> String {
    if number == 1 { format!("1 {singular}") } else { format!("{number} {singular}s") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_moment_reads_as_a_date_and_time() {
        use super::moment;
        assert_eq!(moment("2026-12-02T05:57:13Z"), "2 December 2026, 05:57 UTC");
        assert_eq!(moment("2024-06-13"), "2024-06-13", "a date alone stays as it is");
        assert_eq!(moment(""), "");
    }

    #[test]
    fn counts_read_as_english() {
        assert_eq!(super::count(1, "update"), "1 update");
        assert_eq!(super::count(2, "update"), "2 updates");
        assert_eq!(super::count(0, "decision record"), "0 decision records");
    }
}
