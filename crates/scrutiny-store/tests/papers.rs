//! Meeting papers in the governance database: attached atomically with their
//! digest, listed without their bytes, published once by version, the file
//! fixed by triggers, and only the digest in the audit log.

use sqlx::Executor;

use scrutiny_core::governance::{MeetingForm, PaperCategory, PaperFormat, PaperSource};
use scrutiny_store::ErrorKind;
use scrutiny_store::governance::{Actor, NewPaper, PaperFilter, Saved, sha256_hex};

use crate::governance::Database;

on_both!(papers_are_attached_published_once_and_their_files_never_change);

fn new_paper(meeting_id: i64, title: &str, content: &[u8], text: &str) -> NewPaper {
    NewPaper {
        meeting_id,
        agenda_item_id: None,
        title: title.into(),
        category: PaperCategory::Finance,
        source: PaperSource::Uploaded,
        format: PaperFormat::Pdf,
        file_name: "budget.pdf".into(),
        content: content.to_vec(),
        html: None,
        text: text.into(),
    }
}

async fn papers_are_attached_published_once_and_their_files_never_change(database: Database) {
    let governance = database.open().await.unwrap();
    let office = Actor::system("office@example.org");
    let form = MeetingForm {
        kind: "board".into(),
        title: "Performance and Delivery Board".into(),
        date: "2024-09-12".into(),
        venue: "Sessions House".into(),
        attendees: String::new(),
    };
    let meeting = governance.create_meeting(&office, &form.validate().unwrap()).await.unwrap();
    let other = governance.create_meeting(&office, &form.validate().unwrap()).await.unwrap();
    let item = governance.add_agenda_item(&office, meeting.id, "Finance", "").await.unwrap();
    let other_item = governance.add_agenda_item(&office, other.id, "Finance", "").await.unwrap();

    // Binary content survives the round trip byte for byte, NULs and high bytes included.
    let content: Vec<u8> = b"%PDF-1.7\n\x00\xff\xfe binary".iter().copied().chain(0..=255u8).collect();
    let mut attached =
        new_paper(meeting.id, "Revenue budget monitoring", &content, "Overspend of 1.2 million on overtime");
    attached.agenda_item_id = Some(item.id);
    let paper = governance.attach_paper(&office, &attached).await.unwrap();
    assert_eq!(paper.size_bytes, content.len() as i64);
    assert_eq!(paper.sha256, sha256_hex(&content));
    assert_eq!(paper.sha256.len(), 64);
    assert_eq!((paper.version, paper.published_at.clone(), paper.agenda_item_id), (1, None, Some(item.id)));
    let file = governance.paper_file(paper.id).await.unwrap();
    assert_eq!(file.content, content);
    assert_eq!((file.format, file.file_name.as_str()), (PaperFormat::Pdf, "budget.pdf"));
    assert_eq!(governance.paper_html(paper.id).await.unwrap(), None);

    // An agenda item of another meeting, an unknown meeting or an empty title store nothing.
    let mut wrong = new_paper(meeting.id, "Wrong item", &content, "");
    wrong.agenda_item_id = Some(other_item.id);
    assert_eq!(governance.attach_paper(&office, &wrong).await.unwrap_err().kind, ErrorKind::Invalid);
    let unknown = new_paper(9999, "Nowhere", &content, "");
    assert_eq!(governance.attach_paper(&office, &unknown).await.unwrap_err().kind, ErrorKind::NotFound);
    let untitled = new_paper(meeting.id, "  ", &content, "");
    assert_eq!(governance.attach_paper(&office, &untitled).await.unwrap_err().kind, ErrorKind::Invalid);
    assert_eq!(governance.papers(&PaperFilter::default()).await.unwrap().len(), 1);

    let mut generated = new_paper(other.id, "Delivery & Performance: quarter to July 2024", b"%PDF-1.7 two", "");
    generated.source = PaperSource::Generated;
    generated.category = PaperCategory::Performance;
    generated.html = Some("<html><p>Recorded crime</p></html>".into());
    let second = governance.attach_paper(&office, &generated).await.unwrap();
    assert!(second.has_html);
    assert_eq!(governance.paper_html(second.id).await.unwrap().unwrap(), "<html><p>Recorded crime</p></html>");

    // Lists: by meeting, published only, and search by title and by text.
    let of_meeting = PaperFilter { meeting_id: Some(meeting.id), ..Default::default() };
    assert_eq!(governance.papers(&of_meeting).await.unwrap().len(), 1);
    let published = PaperFilter { published_only: true, ..Default::default() };
    assert!(governance.papers(&published).await.unwrap().is_empty());
    let by_text = PaperFilter { search: Some("OVERTIME overspend".into()), ..Default::default() };
    assert_eq!(governance.papers(&by_text).await.unwrap().iter().map(|p| p.id).collect::<Vec<_>>(), vec![paper.id]);
    let by_title = PaperFilter { search: Some("quarter july".into()), ..Default::default() };
    assert_eq!(governance.papers(&by_title).await.unwrap().iter().map(|p| p.id).collect::<Vec<_>>(), vec![second.id]);

    // Publishing is versioned: a stale version changes nothing and returns the paper as it is.
    let Saved::Done(done) = governance.publish_paper(&office, paper.id, 1).await.unwrap() else { panic!("published") };
    assert!(done.published_at.is_some());
    assert_eq!(done.version, 2);
    let Saved::Stale { current } = governance.publish_paper(&office, paper.id, 1).await.unwrap() else {
        panic!("a stale publish is refused")
    };
    assert_eq!(current, done);
    assert_eq!(governance.publish_paper(&office, paper.id, 2).await.unwrap_err().kind, ErrorKind::Transition);
    let listed = governance.papers(&published).await.unwrap();
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), vec![paper.id]);

    // The audit log has the digest, never the bytes.
    let log = governance.audit_log(Some(("paper", paper.id)), 10).await.unwrap();
    assert_eq!(log.iter().map(|entry| entry.change.as_str()).collect::<Vec<_>>(), vec!["publish", "attach"]);
    let attach = log[1].after.as_ref().unwrap();
    assert_eq!(attach["sha256"], paper.sha256.as_str());
    assert_eq!(attach["size_bytes"], content.len() as i64);
    assert!(!attach.to_string().contains("binary"), "no bytes in the audit log: {attach}");
    assert!(attach.get("content").is_none() && attach.get("text").is_none());

    // Whoever connects, the file of a paper cannot be replaced, nor a published paper deleted.
    let mut raw = database.raw().await;
    let replaced = raw
        .execute(sqlx::AssertSqlSafe(format!("UPDATE papers SET text_content = 'x' WHERE id = {}", second.id)))
        .await;
    assert!(replaced.is_err(), "the file's text is fixed");
    let replaced = raw
        .execute(sqlx::AssertSqlSafe(format!(
            "UPDATE papers SET sha256 = '{}' WHERE id = {}",
            "0".repeat(64),
            second.id
        )))
        .await;
    assert!(replaced.is_err(), "the digest is fixed");
    let deleted = raw.execute(sqlx::AssertSqlSafe(format!("DELETE FROM papers WHERE id = {}", paper.id))).await;
    assert!(deleted.is_err(), "a published paper is kept");
    let renamed =
        raw.execute(sqlx::AssertSqlSafe(format!("UPDATE papers SET title = 'Renamed' WHERE id = {}", second.id))).await;
    assert!(renamed.is_ok(), "the record's description may still be corrected: {renamed:?}");
}
