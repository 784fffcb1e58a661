//! The Police and Crime Panel's documents in seed 003's layout: "Questions to
//! the Commissioner" for a panel meeting (Question N, the question, the
//! member in brackets, the answer as numbered paragraphs numbered on through
//! the item, "RESOLVED that the Commissioner's answers be noted.") and the
//! "Forward work programme" in the seed's sections.

use scrutiny_core::governance::Date;
use scrutiny_core::panel::{WorkProgrammeSection, WorkProgrammeStatus, answer_points};

use super::{Block, Document, MeetingRecord, long_date, weekday_date};

/// A member's question to the Commissioner, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelQuestionRecord {
    pub member_name: String,
    pub member_authority: String,
    pub question: String,
    /// The plan priorities referred to, as people read them.
    pub priorities: Vec<String>,
    /// The Commissioner's answer, once recorded.
    pub answer: Option<String>,
    pub published: bool,
}

/// An entry of the forward work programme, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkProgrammeRecord {
    pub meeting_date: Option<Date>,
    pub section: WorkProgrammeSection,
    pub title: String,
    pub notes: String,
    pub status: WorkProgrammeStatus,
}

/// "Questions to the Commissioner" for one panel meeting.
pub fn panel_questions_document(meeting: &MeetingRecord, questions: &[PanelQuestionRecord]) -> Document {
    let title = format!("{} – Questions to the Commissioner", meeting.title);
    let mut blocks = vec![Block::Heading(1, title.clone())];
    blocks.push(Block::Paragraph(format!("Meeting of {}.", long_date(meeting.date))));
    blocks.push(Block::Paragraph(
        "Members submit questions to the Commissioner in writing in advance of each meeting. They must focus on the work of the Commissioner rather than the detail of operational policing."
            .to_string(),
    ));
    let unpublished = questions.iter().filter(|question| !question.published).count();
    if unpublished > 0 {
        blocks.push(Block::Paragraph(format!(
            "Draft: {unpublished} of {} question{} not yet published (marked below).",
            questions.len(),
            if questions.len() == 1 { " is" } else { "s are" }
        )));
    }
    if questions.is_empty() {
        blocks.push(Block::Paragraph("No questions were submitted for this meeting.".to_string()));
    }
    let mut paragraph = 0;
    for (number, question) in questions.iter().enumerate() {
        blocks.push(Block::Heading(2, format!("Question {}:", number + 1)));
        let mut text = question.question.clone();
        if !question.priorities.is_empty() {
            text = format!("{text} (Police and Crime Plan priorities – {})", question.priorities.join("; "));
        }
        blocks.push(Block::Paragraph(text));
        blocks.push(Block::Paragraph(format!("({} – {})", question.member_name, question.member_authority)));
        match &question.answer {
            Some(answer) => {
                for point in answer_points(answer) {
                    paragraph += 1;
                    blocks.push(Block::Paragraph(format!("{paragraph}. {point}")));
                }
            }
            None => blocks.push(Block::Paragraph("The Commissioner's answer is awaited.".to_string())),
        }
        if !question.published {
            blocks.push(Block::Paragraph("Not yet published.".to_string()));
        }
    }
    if !questions.is_empty() {
        blocks.push(Block::Paragraph("RESOLVED that the Commissioner's answers be noted.".to_string()));
    }
    Document { title, blocks }
}

/// The "Police and Crime Panel Forward work programme" as at `as_at`
/// (withdrawn entries are left out; considered ones are marked).
pub fn work_programme_document(entries: &[WorkProgrammeRecord], as_at: Date) -> Document {
    let title =
        format!("Police and Crime Panel Forward work programme ({} {})", as_at.year_month().month_name(), as_at.year());
    let mut blocks = vec![Block::Heading(1, title.clone())];
    let live: Vec<&WorkProgrammeRecord> =
        entries.iter().filter(|entry| entry.status != WorkProgrammeStatus::Withdrawn).collect();
    if live.is_empty() {
        blocks.push(Block::Paragraph("Nothing is planned yet.".to_string()));
    }
    for section in WorkProgrammeSection::ALL {
        let mut of_section: Vec<&WorkProgrammeRecord> =
            live.iter().copied().filter(|entry| entry.section == section).collect();
        if of_section.is_empty() {
            continue;
        }
        of_section.sort_by_key(|entry| (entry.meeting_date.is_none(), entry.meeting_date));
        blocks.push(Block::Heading(2, section.label().to_string()));
        let bullets = of_section
            .iter()
            .map(|entry| {
                let lead = match (section, entry.meeting_date) {
                    (WorkProgrammeSection::MeetingDate, Some(date)) => {
                        format!("{} – {}", weekday_date(date), entry.title)
                    }
                    (_, Some(date)) => format!("{} (meeting of {})", entry.title, long_date(date)),
                    (_, None) => entry.title.clone(),
                };
                let mut tail = entry.notes.clone();
                if entry.status == WorkProgrammeStatus::Considered {
                    tail = if tail.is_empty() { "considered".to_string() } else { format!("{tail}; considered") };
                }
                // The renderers print the tail straight after the lead, in italics.
                if tail.is_empty() { (lead, tail) } else { (format!("{lead} – "), tail) }
            })
            .collect();
        blocks.push(Block::Bullets(bullets));
    }
    Document { title, blocks }
}
