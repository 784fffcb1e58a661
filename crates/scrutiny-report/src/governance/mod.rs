//! The documents the governance workflow writes, in the seeds' layout: the
//! "Questions asked by the PCC" with the force's responses grouped by paper
//! then plan priority (seed 001), meeting notes with action updates and an
//! "Overview of Actions" table, a Record of Decision, and the panel's
//! "Questions to the Commissioner" and forward work programme (seed 003).
//!
//! Each is built from plain records (the web crate fills them from the store)
//! into one small [`Document`] model that every renderer takes unchanged:
//! [`html`] (one self-contained, accessible file), [`markdown`], and the PDF
//! in `scrutiny-pdf`. Nothing here fetches, counts or reads a clock.

pub mod html;
pub mod markdown;
mod panel;

pub use panel::{PanelQuestionRecord, WorkProgrammeRecord, panel_questions_document, work_programme_document};

use scrutiny_core::governance::{ActionStatus, Date, DischargedWhere};

/// A document: a title and blocks in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's title (the PDF's and the HTML page's title too).
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: level 1 is the document's, 2 a section, 3 a subsection.
    Heading(u8, String),
    /// A paragraph; a blank line in the text separates paragraphs.
    Paragraph(String),
    /// A labelled record ("Originator | Chief Executive"): a table whose
    /// first column is row headers.
    Fields { caption: String, rows: Vec<(String, String)> },
    /// A table with column headers.
    Table { caption: String, header: Vec<String>, rows: Vec<Vec<String>> },
    /// A bulleted item in bold (a question, an action) followed by its
    /// paragraphs in italics (the response).
    Item { lead: String, body: Vec<String> },
    /// A bulleted list, each entry plain text followed by an emphasised tail
    /// ("Update on X – *discharged, reported in item 3 paper*").
    Bullets(Vec<(String, String)>),
}

/// The meeting a document is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub title: String,
    pub date: Date,
    pub venue: String,
    pub attendees: String,
}

/// A question put to the force, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionRecord {
    pub paper: String,
    /// The plan priority it is asked under (empty: none named).
    pub priority: String,
    pub question: String,
    /// The force's response, once given.
    pub response: Option<String>,
    pub published: bool,
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRecord {
    pub position: i64,
    pub title: String,
    pub paper: String,
}

/// How and where an action was discharged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeRecord {
    pub note: String,
    pub place: DischargedWhere,
    pub reference: String,
}

/// An action, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub text: String,
    pub owner: String,
    pub due: Option<Date>,
    pub status: ActionStatus,
    pub progress: String,
    pub discharge: Option<DischargeRecord>,
    /// The meeting it was raised at, for actions carried from earlier meetings.
    pub raised_at: Option<(String, Date)>,
}

/// One sign-off of a decision record; `None` fields while it is not signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOffRecord {
    /// "Chief Finance Officer", "Chief Executive", "Police and Crime Commissioner".
    pub office: String,
    pub signed: Option<(String, String, Date)>,
}

/// A decision record, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub reference: String,
    pub revision: i64,
    pub state: String,
    pub originator: String,
    pub title: String,
    pub executive_summary: String,
    pub recommendation: String,
    pub decision: String,
    pub confidential: bool,
    pub confidential_reason: String,
    /// In signing order, every office listed whether signed or not.
    pub signoffs: Vec<SignOffRecord>,
    /// The plan priorities supported, as people read them.
    pub objectives: Vec<String>,
    pub objectives_statement: String,
    pub equality_impact: String,
}

const WEEKDAYS: [&str; 7] = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"];

/// "13 June 2024".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.year_month().month_name(), date.year())
}

/// "Thursday 13 June 2024" (1970-01-01 was a Thursday).
pub fn weekday_date(date: Date) -> String {
    let weekday = WEEKDAYS[date.days_since_epoch().rem_euclid(7) as usize];
    format!("{weekday} {}", long_date(date))
}

/// "13/06/2024", as the seed's tables write dates.
pub fn short_date(date: Date) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// "Questions asked by the PCC" for one meeting, with the force's responses,
/// grouped by paper (in the order first asked) then plan priority.
pub fn questions_document(meeting: &MeetingRecord, questions: &[QuestionRecord]) -> Document {
    let title = format!("{} {} – Questions asked by the PCC", meeting.date.year_month().month_name(), meeting.title);
    let mut blocks = vec![Block::Heading(1, title.clone())];
    blocks.push(Block::Paragraph(format!("Discussed on {}.", long_date(meeting.date))));
    let unpublished = questions.iter().filter(|question| !question.published).count();
    if unpublished > 0 {
        blocks.push(Block::Paragraph(format!(
            "Draft: {unpublished} of {} question{} not yet published (marked below).",
            questions.len(),
            if questions.len() == 1 { " is" } else { "s are" }
        )));
    }
    if questions.is_empty() {
        blocks.push(Block::Paragraph("No questions were asked for this meeting.".to_string()));
    }
    for paper in first_seen(questions.iter().map(|question| question.paper.as_str())) {
        let heading =
            if paper.to_lowercase().ends_with("paper") { paper.to_string() } else { format!("{paper} (paper)") };
        blocks.push(Block::Heading(2, heading));
        let of_paper: Vec<&QuestionRecord> = questions.iter().filter(|question| question.paper == paper).collect();
        for priority in first_seen(of_paper.iter().map(|question| question.priority.as_str())) {
            if !priority.is_empty() {
                blocks.push(Block::Heading(3, format!("Priority - {priority}")));
            }
            for question in of_paper.iter().filter(|question| question.priority == priority) {
                let mut body = match &question.response {
                    Some(response) => {
                        let mut paragraphs = paragraphs(response);
                        if let Some(first) = paragraphs.first_mut() {
                            *first = format!("Force response: {first}");
                        }
                        paragraphs
                    }
                    None => vec!["Force response: awaited.".to_string()],
                };
                if !question.published {
                    body.push("Not yet published.".to_string());
                }
                blocks.push(Block::Item { lead: question.question.clone(), body });
            }
        }
    }
    Document { title, blocks }
}

/// The distinct values in the order first seen; the empty value (no priority
/// named) comes first, so questions under no priority are not filed under another's heading.
fn first_seen<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen.sort_by_key(|value| !value.is_empty());
    seen
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(|paragraph| paragraph.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

fn status_label(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Open => "Open",
        ActionStatus::Discharged => "Discharged",
    }
}

/// Where an action was discharged, as the seed notes say it ("reported in
/// item 3 'Safer in Kent Plan' paper", "briefed outside of meeting").
pub fn discharged_where(discharge: &DischargeRecord) -> String {
    let reference = discharge.reference.trim();
    match (discharge.place, reference.is_empty()) {
        (DischargedWhere::MeetingItem, false) => format!("reported at {reference}"),
        (DischargedWhere::MeetingItem, true) => "reported at a meeting item".to_string(),
        (DischargedWhere::Paper, false) => format!("reported in {reference}"),
        (DischargedWhere::Paper, true) => "reported in a paper".to_string(),
        (DischargedWhere::OutsideMeeting, false) => format!("briefed outside of meeting ({reference})"),
        (DischargedWhere::OutsideMeeting, true) => "briefed outside of meeting".to_string(),
    }
}

fn discharge_cell(action: &ActionRecord) -> String {
    match &action.discharge {
        Some(discharge) => format!("{} ({})", discharge.note.trim(), discharged_where(discharge)),
        None => String::new(),
    }
}

/// Meeting notes: the meeting, the action updates on actions from earlier
/// meetings (`carried`, chosen by `scrutiny_core::governance::gives_action_update`),
/// the agenda, the actions raised (`raised`) and the "Overview of Actions":
/// those raised at this meeting and the carried ones still open.
pub fn notes_document(
    meeting: &MeetingRecord,
    agenda: &[AgendaRecord],
    questions_asked: usize,
    carried: &[ActionRecord],
    raised: &[ActionRecord],
) -> Document {
    let title = format!("Meeting Notes: {}, {}", meeting.title, long_date(meeting.date));
    let mut blocks = vec![Block::Heading(1, "Meeting Notes".to_string())];
    let mut fields =
        vec![("Title".to_string(), meeting.title.clone()), ("Date".to_string(), weekday_date(meeting.date))];
    if !meeting.venue.trim().is_empty() {
        fields.push(("Venue".to_string(), meeting.venue.clone()));
    }
    if !meeting.attendees.trim().is_empty() {
        fields.push(("Attendees".to_string(), meeting.attendees.clone()));
    }
    blocks.push(Block::Fields { caption: "The meeting".to_string(), rows: fields });

    blocks.push(Block::Heading(2, "Action updates".to_string()));
    if carried.is_empty() {
        blocks.push(Block::Paragraph("There were no actions from earlier meetings to update.".to_string()));
    } else {
        blocks.push(Block::Paragraph("The following action updates were provided:".to_string()));
        let updates = carried
            .iter()
            .map(|action| {
                let tail = match (&action.discharge, action.status) {
                    (Some(discharge), ActionStatus::Discharged) => {
                        format!("discharged, {}. {}", discharged_where(discharge), discharge.note.trim())
                    }
                    _ => {
                        let mut tail = "open".to_string();
                        if let Some(due) = action.due {
                            tail.push_str(&format!(", due {}", short_date(due)));
                        }
                        if !action.progress.trim().is_empty() {
                            tail.push_str(&format!("; progress: {}", action.progress.trim()));
                        }
                        if !tail.ends_with(['.', '!', '?']) {
                            tail.push('.');
                        }
                        tail
                    }
                };
                let raised = match &action.raised_at {
                    Some((title, date)) => format!(" (raised at {title}, {})", long_date(*date)),
                    None => String::new(),
                };
                (format!("{}{raised} – ", action.text.trim()), tail.trim_end().to_string())
            })
            .collect();
        blocks.push(Block::Bullets(updates));
    }

    blocks.push(Block::Heading(2, "Agenda".to_string()));
    if agenda.is_empty() {
        blocks.push(Block::Paragraph("No agenda items were recorded.".to_string()));
    }
    for item in agenda {
        blocks.push(Block::Heading(3, format!("{}. {}", item.position, item.title)));
        if !item.paper.trim().is_empty() {
            blocks.push(Block::Paragraph(format!("Paper: {}.", item.paper.trim())));
        }
    }
    if questions_asked > 0 {
        blocks.push(Block::Paragraph(format!(
            "The Commissioner asked the force {questions_asked} question{} on the papers; the questions and the force's responses are in \"Questions asked by the PCC\" for this meeting.",
            if questions_asked == 1 { "" } else { "s" }
        )));
    }

    blocks.push(Block::Heading(2, "Actions".to_string()));
    if raised.is_empty() {
        blocks.push(Block::Paragraph("No actions were raised at this meeting.".to_string()));
    }
    for action in raised {
        let due = action.due.map(|due| format!(", due {}", short_date(due))).unwrap_or_default();
        blocks
            .push(Block::Item { lead: format!("{}: {}{due}", action.owner.trim(), action.text.trim()), body: vec![] });
    }

    let overview: Vec<Vec<String>> = raised
        .iter()
        .chain(carried.iter().filter(|action| action.status == ActionStatus::Open))
        .map(|action| {
            vec![
                action.text.trim().to_string(),
                status_label(action.status).to_string(),
                action.owner.trim().to_string(),
                action.due.map(short_date).unwrap_or_default(),
                discharge_cell(action),
            ]
        })
        .collect();
    blocks.push(Block::Heading(2, "Overview of Actions".to_string()));
    if overview.is_empty() {
        blocks.push(Block::Paragraph("No actions are open.".to_string()));
    } else {
        blocks.push(Block::Table {
            caption: "Overview of Actions: raised at this meeting and still open from earlier meetings".to_string(),
            header: ["Action", "Status", "Owner", "Due date", "Discharge note"].map(String::from).to_vec(),
            rows: overview,
        });
    }
    Document { title, blocks }
}

/// A Record of Decision in the seed's layout.
pub fn decision_document(record: &DecisionRecord) -> Document {
    let version = if record.revision > 1 { format!(" (version {})", record.revision) } else { String::new() };
    let title = format!("Record of Decision {}{version}", record.reference);
    let mut blocks = vec![Block::Heading(1, title.clone())];
    blocks.push(Block::Paragraph(format!("Status: {}.", record.state)));
    let mut rows = vec![
        ("Originator".to_string(), record.originator.clone()),
        ("Reference".to_string(), format!("{}{version}", record.reference)),
        ("Title".to_string(), record.title.clone()),
        ("Open or confidential".to_string(), if record.confidential { "Confidential" } else { "Open" }.to_string()),
    ];
    if record.confidential {
        rows.push(("Reason if confidential".to_string(), record.confidential_reason.clone()));
    }
    blocks.push(Block::Fields { caption: "The decision".to_string(), rows });
    for (heading, text) in [
        ("Executive summary", &record.executive_summary),
        ("Recommendation", &record.recommendation),
        ("Decision", &record.decision),
    ] {
        blocks.push(Block::Heading(2, heading.to_string()));
        blocks.push(Block::Paragraph(text.trim().to_string()));
    }
    blocks.push(Block::Heading(2, "Sign-off".to_string()));
    blocks.push(Block::Table {
        caption: "Sign-off, in the order signed".to_string(),
        header: ["Signed by", "Name", "Comments", "Date"].map(String::from).to_vec(),
        rows: record
            .signoffs
            .iter()
            .map(|signoff| match &signoff.signed {
                Some((name, comment, date)) => {
                    vec![signoff.office.clone(), name.clone(), comment.clone(), short_date(*date)]
                }
                None => vec![signoff.office.clone(), "Not signed yet".to_string(), String::new(), String::new()],
            })
            .collect(),
    });
    blocks.push(Block::Heading(2, "Impact assessment".to_string()));
    blocks.push(Block::Heading(3, "Police and Crime Plan objectives supported".to_string()));
    if record.objectives.is_empty() {
        blocks.push(Block::Paragraph("None named.".to_string()));
    } else {
        blocks.push(Block::Bullets(
            record.objectives.iter().map(|objective| (objective.clone(), String::new())).collect(),
        ));
    }
    if !record.objectives_statement.trim().is_empty() {
        blocks.push(Block::Paragraph(record.objectives_statement.trim().to_string()));
    }
    blocks.push(Block::Heading(3, "Equality impact".to_string()));
    let equality = record.equality_impact.trim();
    blocks.push(Block::Paragraph(if equality.is_empty() { "Not stated." } else { equality }.to_string()));
    Document { title, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_the_seeds_write_them() {
        let date: Date = "2019-09-25".parse().unwrap();
        assert_eq!(long_date(date), "25 September 2019");
        assert_eq!(weekday_date(date), "Wednesday 25 September 2019");
        assert_eq!(short_date("2019-12-04".parse().unwrap()), "04/12/2019");
    }

    #[test]
    fn questions_without_a_priority_come_before_the_priorities() {
        assert_eq!(first_seen(["b", "", "a", "b"].into_iter()), ["", "b", "a"]);
    }
}
