//! Meeting papers through the router: uploads checked by their contents (a
//! PDF made by the project's own PDF writer, a DOCX built here; a PNG, a zip
//! that is not Word and an oversize file refused beside the field with the
//! rest of the form kept), only editors attach and publish, staff download,
//! stale publishing refused, and the public sees a paper only once published.

use std::io::{Cursor, Write};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use scrutiny_core::governance::{MeetingForm, PaperFormat, Role};
use scrutiny_store::governance::{Actor, PaperFilter};

use crate::util::{App, Client, Reply, app, login, send};

const PDF_TEXT: &str = "Revenue budget monitoring marker 3b7d";

/// A small real PDF, typeset by scrutiny-pdf.
pub fn small_pdf(text: &str) -> Vec<u8> {
    scrutiny_pdf::typeset(format!("#\"{text}\""), Default::default(), (2024, 9, 10)).unwrap()
}

/// A Word document with one paragraph.
pub fn small_docx(text: &str) -> Vec<u8> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    );
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("[Content_Types].xml", options).unwrap();
    writer.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    writer.start_file("word/document.xml", options).unwrap();
    writer.write_all(xml.as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

const BOUNDARY: &str = "----scrutiny-test-boundary-7f2a";

/// A multipart body: text fields, then the file.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub async fn upload(
    app: &App,
    client: &Client,
    meeting: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let mut all = vec![("csrf_token", client.csrf.as_str())];
    all.extend_from_slice(fields);
    let mut request = Request::post(format!("/meetings/{meeting}/papers"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
    if let Some(cookie) = &client.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(&app.router, request.body(Body::from(multipart(&all, file))).unwrap()).await
}

async fn meeting(app: &App) -> i64 {
    let form = MeetingForm {
        kind: "board".into(),
        title: "Performance and Delivery Board".into(),
        date: "2024-09-12".into(),
        ..Default::default()
    };
    app.state.governance().create_meeting(&Actor::system("test"), &form.validate().unwrap()).await.unwrap().id
}

#[tokio::test]
async fn uploads_are_checked_by_their_contents_and_published_papers_reach_the_public() {
    let app = app().await;
    let id = meeting(&app).await;
    let item = app.state.governance().add_agenda_item(&Actor::system("test"), id, "Finance", "").await.unwrap();
    let editor = login(&app, Role::Editor).await;
    let governance = app.state.governance();

    // A PDF, told by its contents whatever its name says.
    let pdf = small_pdf(PDF_TEXT);
    let item_id = item.id.to_string();
    let fields = [("title", "Revenue budget monitoring"), ("category", "finance"), ("agenda_item", item_id.as_str())];
    let reply = upload(&app, &editor, id, &fields, Some(("C:\\Users\\cfo\\budget.bin", &pdf))).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let papers = governance.papers(&PaperFilter::default()).await.unwrap();
    assert_eq!(papers.len(), 1);
    let paper = &papers[0];
    assert_eq!(
        (paper.format, paper.file_name.as_str(), paper.agenda_item_id),
        (PaperFormat::Pdf, "budget.bin", Some(item.id))
    );
    assert!(paper.text.contains(PDF_TEXT), "the text layer is indexed: {:?}", paper.text);
    assert!(reply.location().ends_with(&format!("#paper-{}", paper.id)));

    // A Word document.
    let docx = small_docx("People strategy: wellbeing marker 8c1e");
    let reply = upload(
        &app,
        &editor,
        id,
        &[("title", "People strategy"), ("category", "people")],
        Some(("people.docx", &docx)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let word =
        governance.papers(&PaperFilter { search: Some("wellbeing".into()), ..Default::default() }).await.unwrap();
    assert_eq!(word.len(), 1);
    assert_eq!(word[0].format, PaperFormat::Docx);

    // Refused files: the error is beside the file field and the typed fields are kept.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let mut not_word = zip::ZipWriter::new(Cursor::new(Vec::new()));
    not_word.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default()).unwrap();
    not_word.write_all(b"<workbook/>").unwrap();
    let not_word = not_word.finish().unwrap().into_inner();
    let mut oversize = b"%PDF-1.7\n".to_vec();
    oversize.resize(scrutiny_web::UPLOAD_LIMIT + 1, b' ');
    for (name, bytes, message) in [
        ("minutes.pdf", png.as_slice(), "The file is neither a PDF nor a Word document (.docx)"),
        ("budget.docx", not_word.as_slice(), "The file is a zip archive but not a Word document (.docx)"),
        ("huge.pdf", oversize.as_slice(), "The file is larger than 20.0 MB: attach a smaller one"),
        ("empty.pdf", b"".as_slice(), "The file is empty"),
    ] {
        let fields =
            [("title", "Collaboration update 5e5e"), ("category", "collaboration"), ("agenda_item", item_id.as_str())];
        let reply = upload(&app, &editor, id, &fields, Some((name, bytes))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            reply.body.contains(&format!("<p class=\"error\" id=\"paper-file-error\">{message}</p>")),
            "{name}: {}",
            reply.body
        );
        assert!(reply.body.contains("value=\"Collaboration update 5e5e\""), "{name}: the title is kept");
        assert!(reply.body.contains("<option value=\"collaboration\" selected>"), "{name}: the category is kept");
        assert!(
            reply.body.contains(&format!("<option value=\"{}\" selected>", item.id)),
            "{name}: the agenda item is kept"
        );
    }
    let reply = upload(&app, &editor, id, &[("category", "nonsense")], None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in
        ["The title is required", "Choose what the paper is about", "Choose a PDF or Word document (.docx) to upload"]
    {
        assert!(reply.body.contains(message), "{message}");
    }
    assert_eq!(governance.papers(&PaperFilter::default()).await.unwrap().len(), 2, "nothing refused was stored");

    // Only editors and admins attach; a form without the session's token is refused.
    let force = login(&app, Role::ForceResponder).await;
    let reply =
        upload(&app, &force, id, &[("title", "Force paper"), ("category", "other")], Some(("f.pdf", &pdf))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let forged = Client { cookie: editor.cookie.clone(), csrf: "forged".into() };
    let reply = upload(&app, &forged, id, &[("title", "Forged"), ("category", "other")], Some(("f.pdf", &pdf))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("The form has expired"));
    assert_eq!(governance.papers(&PaperFilter::default()).await.unwrap().len(), 2);

    // Staff read the meeting's papers and download them; the public cannot.
    let panel = login(&app, Role::PanelMember).await;
    let page = panel.get(&app, &format!("/meetings/{id}")).await;
    assert!(page.body.contains("Revenue budget monitoring") && page.body.contains("not published"));
    assert!(!page.body.contains("Upload a paper"), "panel members do not attach papers");
    let download = panel.get(&app, &format!("/papers/{}/file", paper.id)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        download.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"paper-{}.pdf\"", paper.id)
    );
    let public = Client::default();
    let hidden = public.get(&app, &format!("/public/papers/{}.pdf", paper.id)).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "an unpublished paper is not there for the public");
    assert!(!public.get(&app, &format!("/public/meetings/{id}")).await.body.contains("Revenue budget monitoring"));

    // Publishing names the version it was made to; a stale one publishes nothing.
    let stale = editor.post(&app, &format!("/papers/{}/publish", paper.id), &[("version", "7")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("nothing was published"));
    assert!(!governance.paper(paper.id).await.unwrap().is_published());
    let refused = force.post(&app, &format!("/papers/{}/publish", paper.id), &[("version", "1")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let published = editor.post(&app, &format!("/papers/{}/publish", paper.id), &[("version", "1")]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert!(governance.paper(paper.id).await.unwrap().is_published());

    // The public file: its media type, a download name, and the portal's ETag caching.
    let url = format!("/public/papers/{}.pdf", paper.id);
    let file = send(&app.router, Request::get(&url).body(Body::empty()).unwrap()).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(file.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment; filename=\"paper-"));
    let tag = file.headers.get(header::ETAG).expect("an ETag").to_str().unwrap().to_string();
    let again =
        send(&app.router, Request::get(&url).header(header::IF_NONE_MATCH, &tag).body(Body::empty()).unwrap()).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(public.get(&app, &format!("/public/papers/{}.docx", paper.id)).await.status, StatusCode::NOT_FOUND);
    let meeting_page = public.get(&app, &format!("/public/meetings/{id}")).await.body;
    assert!(meeting_page.contains(&format!("<a href=\"{url}\">Revenue budget monitoring</a> (Finance; PDF, ")));
    assert!(!meeting_page.contains("People strategy"), "the unpublished Word document stays off the page");
    let feed = public.get(&app, "/public/papers.atom").await.body;
    assert_eq!(feed.matches("<entry>").count(), 1);
    assert!(feed.contains("Revenue budget monitoring"));
    let api: serde_json::Value = serde_json::from_str(&public.get(&app, "/api/v1/papers").await.body).unwrap();
    assert_eq!(api["items"].as_array().unwrap().len(), 1);
    assert_eq!(api["items"][0]["sha256"], paper.sha256.as_str());
    assert_eq!(api["items"][0]["url"], url.as_str());
    assert!(api["items"][0].get("text").is_none() && api["items"][0].get("attached_by").is_none());
    // Search finds a published paper by the words of its file, not only its title.
    let search = public.get(&app, "/public/search?q=marker+3b7d").await.body;
    assert!(search.contains(&format!("href=\"{url}\"")), "{search}");
    assert!(public.get(&app, "/public/search?q=wellbeing").await.body.contains(">0 results"));
}

#[tokio::test]
async fn the_quarterly_paper_form_says_what_is_wrong_and_keeps_what_was_typed() {
    let app = app().await;
    let id = meeting(&app).await;
    let editor = login(&app, Role::Editor).await;
    let path = format!("/meetings/{id}/papers/generated");
    let reply =
        editor.post(&app, &path, &[("plan", "making-kent-safer"), ("month", "July"), ("title", "Q1 paper")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Give the quarter&#39;s last month as YYYY-MM")
            || reply.body.contains("Give the quarter's last month as YYYY-MM"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("value=\"Q1 paper\""));
    // Without a records store there is nothing to set the paper from: said beside the month.
    let reply = editor.post(&app, &path, &[("plan", "making-kent-safer"), ("month", "2024-07")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("There is no records store to set the paper from"));
    assert!(reply.body.contains("value=\"2024-07\""));
    assert!(app.state.governance().papers(&PaperFilter::default()).await.unwrap().is_empty());
}

const MANIFEST: &str = r#"{"format":"scrutiny-force-extract","version":1,"force":"Kent","extracted_on":"2024-08-05","covers":{"from":"2024-05","to":"2024-07"}}"#;
const CRIME_HEADER: &str = "crime_reference,recorded_date,offence_code,district,domestic_abuse,hate_crime,child_protection,adult_protection,knife_or_sharp_instrument,status\n";
const CRIMES: &str = "A1,2024-05-03,19C,Maidstone,N,,N,N,N,recorded\nA2,2024-06-04,28E,Thanet,N,,N,N,N,recorded\nA3,2024-07-04,28E,Thanet,N,,N,N,N,recorded\n";

/// Imports a force extract with `crimes` into the records store at `store`.
async fn import(store: &scrutiny_store::Store, dir: &std::path::Path, crimes: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("extract.json"), MANIFEST).unwrap();
    std::fs::write(dir.join("crimes.csv"), format!("{CRIME_HEADER}{crimes}")).unwrap();
    let definitions = scrutiny_core::definitions::Definitions::builtin();
    let discovery = scrutiny_ingest::extract::discover(dir).unwrap();
    let extract = scrutiny_ingest::extract::read(&discovery.extracts[0], &definitions).unwrap();
    store.import_extract(&extract, dir, true).await.unwrap();
}

#[tokio::test]
async fn the_generated_quarterly_paper_is_a_snapshot_with_the_portals_disclosure_control() {
    let app = app().await;
    let folder = tempfile::tempdir().unwrap();
    let store = scrutiny_store::Store::open_or_create(&folder.path().join("store")).await.unwrap();
    import(&store, &folder.path().join("first"), CRIMES).await;
    let served = scrutiny_store::Store::open(&folder.path().join("store")).await.unwrap();
    app.state.set_records(scrutiny_web::Records::new(served, None));
    let id = meeting(&app).await;
    let editor = login(&app, Role::Editor).await;
    let path = format!("/meetings/{id}/papers/generated");
    let fields = [("plan", "making-kent-safer"), ("month", "2024-07"), ("title", ""), ("agenda_item", "")];
    let reply = editor.post(&app, &path, &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let governance = app.state.governance();
    let paper = governance.papers(&PaperFilter::default()).await.unwrap().remove(0);
    assert_eq!(paper.title, "Delivery & Performance: Making Kent Safer Plan, quarter to July 2024");
    assert_eq!((paper.source.as_str(), paper.format, paper.has_html), ("generated", PaperFormat::Pdf, true));
    assert!(paper.text.contains("Making Kent Safer Plan") && paper.text.contains("3 Month total"), "{}", paper.text);
    // One rape a quarter is below the disclosure threshold: the paper says so rather than print it.
    let rape = &paper.text[paper.text.find("Table 2.1").expect("the rape table")..];
    let may = rape.find("May 2024").unwrap();
    assert!(
        rape[may + "May 2024".len()..].trim_start().starts_with("suppressed"),
        "the paper is set from the portal's protected figures: {}",
        &rape[may..may + 60]
    );
    let html = editor.get(&app, &format!("/papers/{}/paper.html", paper.id)).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.starts_with("<!DOCTYPE html>") || html.body.starts_with("<!doctype html>"));
    let file = governance.paper_file(paper.id).await.unwrap();
    assert!(file.content.starts_with(b"%PDF-"));

    // A later import changes the figures, not the paper the board saw; a new paper has the new figures.
    let more =
        format!("{CRIMES}A4,2024-07-09,28E,Dover,N,,N,N,N,recorded\nA5,2024-07-10,28E,Dover,N,,N,N,N,recorded\n");
    import(&store, &folder.path().join("second"), &more).await;
    let again = governance.paper_file(paper.id).await.unwrap();
    assert_eq!(again.sha256, paper.sha256);
    let reply = editor.post(&app, &path, &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let papers = governance.papers(&PaperFilter::default()).await.unwrap();
    assert_eq!(papers.len(), 2);
    assert_ne!(papers[1].sha256, paper.sha256, "set again from the new records");
}
