//! The governance documents against reviewed golden files, built from the
//! seeds' own records: questions and responses of the September board
//! (seed 001), the September 2019 board's notes and actions and Record of
//! Decision OPCC.D.024.20 (seed 003). `SCRUTINY_UPDATE_GOLDEN=1` rewrites
//! the files for review.

use std::path::PathBuf;

use scrutiny_core::governance::{ActionStatus, Date, DischargedWhere};
use scrutiny_report::governance::{
    ActionRecord, AgendaRecord, DecisionRecord, DischargeRecord, MeetingRecord, QuestionRecord, SignOffRecord,
    decision_document, html, markdown, notes_document, questions_document,
};

const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

fn check_golden(name: &str, actual: &str) {
    let golden = PathBuf::from(GOLDEN_DIR).join(name);
    if std::env::var_os("SCRUTINY_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_else(|error| panic!("{}: {error}", golden.display()));
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(run with SCRUTINY_UPDATE_GOLDEN=1 and review the diff if the change is intended)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn september_board() -> MeetingRecord {
    MeetingRecord {
        title: "Performance and Delivery Board".into(),
        date: date("2019-09-25"),
        venue: "Clift Room, Kent Police Headquarters, Sutton Road, Maidstone, ME15 9BZ".into(),
        attendees: "Matthew Scott (Police and Crime Commissioner), Adrian Harper (Chief Executive) and Rob Phillips (Chief Finance Officer); Chief Constable Alan Pughsley, Deputy Chief Constable Tony Blaker and Deputy Chief Officer Ian Drysdale".into(),
    }
}

fn question(priority: &str, question: &str, response: Option<&str>, published: bool) -> QuestionRecord {
    QuestionRecord {
        paper: "Making Kent Safer Plan: Delivery & Performance".into(),
        priority: priority.into(),
        question: question.into(),
        response: response.map(String::from),
        published,
    }
}

#[test]
fn questions_asked_by_the_pcc_group_by_paper_then_priority() {
    let asb = "Work with residents, communities and businesses to prevent crime and antisocial behaviour";
    let vawg = "Tackle violence against women and girls";
    let questions = [
        question(
            asb,
            "Does the Force understand why there has been such a large reduction in ASB?",
            Some(
                "The Force has invested in resources to tackle ASB.\n\nThe public have numerous channels through which to contact the Force, not just 101.",
            ),
            true,
        ),
        question(
            vawg,
            "What is the current 'charged' rate for rape?",
            Some("Financial year to August 2022: 41 charges / 4.2% charge rate"),
            true,
        ),
        question(
            asb,
            "What crime prevention activity is the Force undertaking on metal theft and theft of oil?",
            Some("The Force has created a brochure 'Metal Theft – Your Guide to Crime Prevention'."),
            true,
        ),
        question(
            vawg,
            "With regards to the new offence of non-fatal strangulation, what training have officers received?",
            None,
            false,
        ),
        QuestionRecord {
            paper: "People paper".into(),
            ..question("", "How many officers carry Taser <and> why?", Some("1,600 are expected to apply."), false)
        },
    ];
    let document = questions_document(&september_board(), &questions);
    let markdown = markdown::render(&document);
    check_golden("questions.md", &markdown);
    let html = html::render(&document);
    check_golden("questions.html", &html);
    // Grouped: both ASB questions under one heading, before VAWG, though asked apart.
    let asb_heading = markdown.find("### Priority - Work with residents").unwrap();
    let vawg_heading = markdown.find("### Priority - Tackle violence").unwrap();
    assert!(
        asb_heading < markdown.find("metal theft").unwrap() && markdown.find("metal theft").unwrap() < vawg_heading
    );
    assert_eq!(markdown.matches("### Priority - ").count(), 2);
    // Markup in the data stays text.
    assert!(html.contains("Taser &lt;and&gt; why?") && !html.contains("<and>"));
}

fn action(text: &str, status: ActionStatus, discharge: Option<(&str, DischargedWhere, &str)>) -> ActionRecord {
    ActionRecord {
        text: text.into(),
        owner: "Chief Constable".into(),
        due: Some(date("2019-12-04")),
        status,
        progress: String::new(),
        discharge: discharge.map(|(note, place, reference)| DischargeRecord {
            note: note.into(),
            place,
            reference: reference.into(),
        }),
        raised_at: None,
    }
}

#[test]
fn meeting_notes_give_action_updates_and_the_overview_of_actions() {
    let june = Some(("Performance and Delivery Board".to_string(), date("2019-06-05")));
    let carried = [
        ActionRecord {
            raised_at: june.clone(),
            ..action(
                "Update on Junior and Mini Cadets",
                ActionStatus::Discharged,
                Some(("Covered in the plan paper.", DischargedWhere::Paper, "item 3 'Safer in Kent Plan' paper")),
            )
        },
        ActionRecord {
            raised_at: june.clone(),
            ..action(
                "Update on IMU Recovery Plan",
                ActionStatus::Discharged,
                Some(("The DCC briefed the PCC.", DischargedWhere::OutsideMeeting, "")),
            )
        },
        ActionRecord {
            raised_at: june,
            progress: "Survey closes in October".into(),
            ..action("Update on the victim satisfaction survey", ActionStatus::Open, None)
        },
    ];
    let raised = [
        action("Update on domestic abuse victim satisfaction survey results", ActionStatus::Open, None),
        action(
            "Include information in next paper on how cash seized under POCA is distributed",
            ActionStatus::Open,
            None,
        ),
    ];
    let agenda = [
        AgendaRecord { position: 1, title: "Welcome & Introduction".into(), paper: String::new() },
        AgendaRecord {
            position: 3,
            title: "Safer in Kent Plan: Delivery & Performance".into(),
            paper: "Safer in Kent Plan paper".into(),
        },
    ];
    let document = notes_document(&september_board(), &agenda, 4, &carried, &raised);
    let markdown = markdown::render(&document);
    check_golden("notes.md", &markdown);
    check_golden("notes.html", &html::render(&document));
    assert!(markdown.contains("Update on Junior and Mini Cadets (raised at Performance and Delivery Board, 5 June 2019) – *discharged, reported in item 3 'Safer in Kent Plan' paper."));
    // The overview: this meeting's two and the one still open, not the discharged ones.
    let overview = &markdown[markdown.find("## Overview of Actions").unwrap()..];
    assert_eq!(overview.matches("| Open |").count(), 3, "{overview}");
    assert!(!overview.contains("Cadets"));
}

#[test]
fn a_record_of_decision_in_the_seed_layout() {
    let signed = |office: &str, name: &str, comment: &str| SignOffRecord {
        office: office.into(),
        signed: Some((name.into(), comment.into(), date("2020-01-28"))),
    };
    let record = DecisionRecord {
        reference: "OPCC.D.024.20".into(),
        revision: 1,
        state: "Being signed".into(),
        originator: "Chief Executive".into(),
        title: "New Complaints Legislation".into(),
        executive_summary: "The Policing and Crime Act 2017 introduced significant changes to the police complaints system.\n\nThe key provisions strengthen the PCCs oversight role of the local complaints system.".into(),
        recommendation: "The Commissioner is recommended to only adopt the mandatory appellate function at this time.".into(),
        decision: "From 1 February 2020, adopt the mandatory appellate function and keep this decision under review.".into(),
        confidential: false,
        confidential_reason: String::new(),
        signoffs: vec![
            signed("Chief Finance Officer", "Rob Phillips", "Any additional costs required will be identified and funded once known"),
            signed("Chief Executive", "Adrian Harper", "I fully support implementing the appeals function at this time."),
            SignOffRecord { office: "Police and Crime Commissioner".into(), signed: None },
        ],
        objectives: vec!["Safer in Kent Plan: Deliver an efficient and accessible service".into()],
        objectives_statement: "Supports delivery of the Safer in Kent Plan by developing oversight of the police complaints process.".into(),
        equality_impact: "The decision is administrative in nature. Therefore, it does not have a differential/adverse impact on any particular strand of diversity.".into(),
    };
    let document = decision_document(&record);
    let markdown = markdown::render(&document);
    check_golden("decision.md", &markdown);
    let html = html::render(&document);
    check_golden("decision.html", &html);
    assert!(markdown.contains("| Police and Crime Commissioner | Not signed yet |  |  |"));
    assert!(
        html.contains("<th scope=\"col\">Comments</th>")
            && html.contains("<caption>Sign-off, in the order signed</caption>")
    );
    assert!(html.contains("<th scope=\"row\">Reference</th><td>OPCC.D.024.20</td>"));
}

/// Item 338 of the February 2020 panel (seed 003), the answers' paragraphs
/// numbered on through the item as the minutes number them.
#[test]
fn questions_to_the_commissioner_follow_the_panel_minutes() {
    use scrutiny_report::governance::{PanelQuestionRecord, panel_questions_document};
    let panel = MeetingRecord {
        title: "Kent and Medway Police and Crime Panel".into(),
        date: date("2020-02-06"),
        venue: "Council Chamber, Sessions House, County Hall, Maidstone".into(),
        attendees: String::new(),
    };
    let questions = vec![
        PanelQuestionRecord {
            member_name: "Ashley Clark".into(),
            member_authority: "Canterbury City Council".into(),
            question: "Can the Commissioner explain to the Panel if he has any specific plans or criteria for how he will hold the Chief Constable to account in terms of monitoring how well this initiative contributes to fighting crime and anti-social behaviour as well as providing visible neighbourhood policing?".into(),
            priorities: vec!["Safer in Kent: Visible neighbourhood policing".into()],
            answer: Some("1. The Commissioner explained that he did not set targets for the Chief Constable but that he did hold him to account in a variety of ways.\n2. The Commissioner acknowledged that some areas which were allocated limited or no extra resource may be disappointed.".into()),
            published: true,
        },
        PanelQuestionRecord {
            member_name: "Richard Palmer".into(),
            member_authority: "Swale Borough Council".into(),
            question: "Has he considered the potential for encouraging the Chief Constable to increase the number of Policing Powers available to PCSOs?".into(),
            priorities: Vec::new(),
            answer: Some("The Commissioner explained that he had given a commitment to retain PCSOs at current establishment levels.\n\nThe Commissioner highlighted that when the New Horizon Model was due for review, the process would involve a review of the delegation of powers.".into()),
            published: true,
        },
        PanelQuestionRecord {
            member_name: "Mike Hill".into(),
            member_authority: "Independent Member".into(),
            question: "What is the Commissioner doing about rural crime?".into(),
            priorities: Vec::new(),
            answer: None,
            published: false,
        },
    ];
    let document = panel_questions_document(&panel, &questions);
    let markdown = markdown::render(&document);
    for expected in [
        "## Question 1:",
        "(Ashley Clark – Canterbury City Council)",
        "2. The Commissioner acknowledged",
        "3. The Commissioner explained that he had given a commitment",
        "4. The Commissioner highlighted",
        "RESOLVED that the Commissioner's answers be noted.",
        "The Commissioner's answer is awaited.",
    ] {
        assert!(markdown.contains(expected), "{expected:?} missing from:\n{markdown}");
    }
    check_golden("panel-questions.md", &markdown);
    check_golden("panel-questions.html", &html::render(&document));
}

/// The February 2020 forward work programme (seed 003), in its sections.
#[test]
fn the_forward_work_programme_is_laid_out_in_the_seeds_sections() {
    use scrutiny_core::panel::{WorkProgrammeSection as Section, WorkProgrammeStatus as Status};
    use scrutiny_report::governance::{WorkProgrammeRecord, work_programme_document};
    let entry = |date: Option<&str>, section, title: &str, notes: &str, status| WorkProgrammeRecord {
        meeting_date: date.map(|text| text.parse().unwrap()),
        section,
        title: title.into(),
        notes: notes.into(),
        status,
    };
    let entries = vec![
        entry(None, Section::StandardItem, "Questions to the Commissioner", "", Status::Planned),
        entry(Some("2020-02-18"), Section::MeetingDate, "10:00", "Budget and Precept reserve date", Status::Planned),
        entry(Some("2020-02-06"), Section::MeetingDate, "14:00", "Budget and Precept meeting", Status::Considered),
        entry(None, Section::ProvisionallyPlanned, "Hate Crime Victim Satisfaction", "", Status::Planned),
        entry(None, Section::ToConsider, "Commissioner's Key Decisions", "", Status::Planned),
        entry(None, Section::ToNote, "Performance and Delivery Board minutes", "", Status::Planned),
        entry(None, Section::ProvisionallyPlanned, "Withdrawn item", "", Status::Withdrawn),
    ];
    let document = work_programme_document(&entries, date("2020-02-01"));
    let markdown = markdown::render(&document);
    assert!(markdown.starts_with("# Police and Crime Panel Forward work programme (February 2020)"), "{markdown}");
    let budget = markdown.find("Thursday 6 February 2020 – 14:00").expect("the meeting dates, weekday first");
    let reserve = markdown.find("Tuesday 18 February 2020 – 10:00").unwrap();
    let standard = markdown.find("## Standard items at each meeting").unwrap();
    assert!(budget < reserve && reserve < standard, "dates in order, before the standard items:\n{markdown}");
    assert!(!markdown.contains("Withdrawn item"));
    check_golden("work-programme.md", &markdown);
}
