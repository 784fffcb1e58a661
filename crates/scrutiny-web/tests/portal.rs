//! The public portal: what is published appears to an anonymous visitor,
//! and nothing unpublished appears on any public page, download or API
//! response — every URL the portal links to or the OpenAPI document lists is
//! visited, not a hand-written list, and the visit must reach every public
//! route of the permission table.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;

use scrutiny_core::governance::{
    ActionForm, DecisionForm, DischargeForm, InspectionForm, MeetingForm, Permission, QuestionForm, RecommendationForm,
    Role, SignOffForm,
};
use scrutiny_core::governance::{PaperCategory, PaperFormat, PaperSource};
use scrutiny_core::panel::{PanelQuestionForm, WorkProgrammeForm};
use scrutiny_store::governance::{Actor, NewPaper, Paper, Saved};
use scrutiny_web::ROUTES;

use crate::util::{App, Client, app, email};

const PUBLISHED_QUESTION: &str = "What is the force doing to raise the charge rate for rape?";
const PUBLISHED_RESPONSE: &str = "A dedicated investigation team was created in April.";
const DRAFT_QUESTION: &str = "Draft question marker 7f3a: not yet answered";
const UNPUBLISHED_QUESTION: &str = "Answered but unpublished question marker 91bc";
const UNPUBLISHED_RESPONSE: &str = "Unpublished response marker 5d2e";
const PUBLISHED_DECISION: &str = "Safer Streets: funding for street lighting";
const DRAFT_DECISION: &str = "Draft decision marker 44aa";
const SIGNED_UNPUBLISHED_DECISION: &str = "Signed but unpublished decision marker 0c0c";
const CONFIDENTIAL_TITLE: &str = "Confidential decision title marker 6e6e";
const CONFIDENTIAL_SUMMARY: &str = "Confidential summary marker 1a1a";
const CONFIDENTIAL_REASON: &str = "Operationally sensitive";
const PUBLISHED_PAPER: &str = "Revenue budget monitoring, quarter 1";
const PUBLISHED_PAPER_TEXT: &str = "Overtime forecast figure 2c2c";
const UNPUBLISHED_PAPER: &str = "Unpublished paper title marker 9d9d";
const UNPUBLISHED_PAPER_TEXT: &str = "Unpublished paper text marker 4f4f";
const PANEL_QUESTION: &str =
    "Can the Commissioner explain how he holds the Chief Constable to account for town beat officers?";
const PANEL_ANSWER: &str = "The Commissioner explained that he did not set targets.";
const PANEL_DRAFT_QUESTION: &str = "Submitted panel question marker 3b3b";
const PANEL_DRAFT_ANSWER: &str = "Draft answer to the panel marker 8d8d";
const PANEL_UNANSWERED: &str = "Unanswered panel question marker 2f2f";
const WITHDRAWN_ITEM: &str = "Withdrawn work programme item marker 9e9e";

fn decision_form(title: &str, summary: &str, disclosure: &str) -> DecisionForm {
    DecisionForm {
        originator: "Chief Executive".into(),
        title: title.into(),
        executive_summary: summary.into(),
        recommendation: format!("{summary} (recommendation)"),
        decision: format!("{summary} (decision)"),
        disclosure: disclosure.into(),
        confidential_reason: if disclosure == "confidential" { CONFIDENTIAL_REASON.into() } else { String::new() },
        ..Default::default()
    }
}

/// Signs a decision by all three in order; returns its version after.
async fn sign_all(governance: &scrutiny_store::governance::Governance, actor: &Actor, id: i64, version: i64) -> i64 {
    let mut version = version;
    for signatory in ["cfo", "chief-executive", "pcc"] {
        let form = SignOffForm {
            signatory: signatory.into(),
            name: format!("Name of {signatory}"),
            comment: "Agreed.".into(),
            date: "2024-07-02".into(),
        };
        match governance.sign_decision(actor, id, version, &form.validate().unwrap()).await.unwrap() {
            Saved::Done(next) => version = next.version,
            Saved::Stale { .. } => panic!("stale"),
        }
    }
    version
}

/// A board with one of everything, published and not; returns the papers
/// (the published one, the unpublished one).
async fn seed(app: &App) -> (Paper, Paper) {
    let governance = app.state.governance();
    let actor = Actor::system("test");
    let editor = governance.user_by_email(&email(Role::Editor)).await.unwrap().unwrap();
    let force = governance.user_by_email(&email(Role::ForceResponder)).await.unwrap().unwrap();
    let meeting_form = MeetingForm {
        kind: "board".into(),
        title: "Performance and Delivery Board".into(),
        date: "2024-09-12".into(),
        venue: "Sessions House".into(),
        attendees: "Olivia Office, pat@panel.example".into(),
    };
    let meeting = governance.create_meeting(&actor, &meeting_form.validate().unwrap()).await.unwrap();
    governance.add_agenda_item(&actor, meeting.id, "Delivery & Performance", "Quarterly paper").await.unwrap();
    let paper = |title: &str, format: PaperFormat, content: Vec<u8>, text: &str| NewPaper {
        meeting_id: meeting.id,
        agenda_item_id: None,
        title: title.into(),
        category: PaperCategory::Finance,
        source: PaperSource::Uploaded,
        format,
        file_name: format!("cfo@opcc.example.{}", format.extension()),
        content,
        html: None,
        text: text.into(),
    };
    let pdf = crate::papers::small_pdf(PUBLISHED_PAPER_TEXT);
    let published_paper = governance
        .attach_paper(&actor, &paper(PUBLISHED_PAPER, PaperFormat::Pdf, pdf, PUBLISHED_PAPER_TEXT))
        .await
        .unwrap();
    let Saved::Done(published_paper) =
        governance.publish_paper(&actor, published_paper.id, published_paper.version).await.unwrap()
    else {
        panic!("published")
    };
    let docx = crate::papers::small_docx(UNPUBLISHED_PAPER_TEXT);
    let unpublished_paper = governance
        .attach_paper(&actor, &paper(UNPUBLISHED_PAPER, PaperFormat::Docx, docx, UNPUBLISHED_PAPER_TEXT))
        .await
        .unwrap();
    let ask = |text: &str| QuestionForm {
        paper: "Delivery & Performance".into(),
        priority: String::new(),
        text: text.into(),
    };
    let published = governance.ask_question(&editor, meeting.id, &ask(PUBLISHED_QUESTION)).await.unwrap();
    let Saved::Done(responded) =
        governance.respond(&force, published.id, published.version, PUBLISHED_RESPONSE).await.unwrap()
    else {
        panic!()
    };
    governance.publish_question(&editor, responded.id, responded.version).await.unwrap();
    governance.ask_question(&editor, meeting.id, &ask(DRAFT_QUESTION)).await.unwrap();
    let unpublished = governance.ask_question(&editor, meeting.id, &ask(UNPUBLISHED_QUESTION)).await.unwrap();
    governance.respond(&force, unpublished.id, unpublished.version, UNPUBLISHED_RESPONSE).await.unwrap();

    let action = ActionForm {
        text: "Report on the rural crime pilot".into(),
        owner: "ACC dcc@force.example".into(),
        due: "2024-10-01".into(),
    };
    let action = governance.raise_action(&actor, meeting.id, &action.validate().unwrap()).await.unwrap();
    let discharge =
        DischargeForm { note: "Reported to the board.".into(), place: "paper".into(), reference: "item 3".into() };
    governance.discharge_action(&actor, action.id, action.version, &discharge.validate().unwrap()).await.unwrap();

    let on = "2024-07-01".parse().unwrap();
    let open = governance
        .create_decision(&actor, &decision_form(PUBLISHED_DECISION, "Match funding", "open").validate(&[]).unwrap(), on)
        .await
        .unwrap();
    let version = sign_all(governance, &actor, open.id, open.version).await;
    governance.publish_decision(&actor, open.id, version).await.unwrap();
    governance
        .create_decision(&actor, &decision_form(DRAFT_DECISION, DRAFT_DECISION, "open").validate(&[]).unwrap(), on)
        .await
        .unwrap();
    let signed = governance
        .create_decision(
            &actor,
            &decision_form(SIGNED_UNPUBLISHED_DECISION, SIGNED_UNPUBLISHED_DECISION, "open").validate(&[]).unwrap(),
            on,
        )
        .await
        .unwrap();
    sign_all(governance, &actor, signed.id, signed.version).await;
    let secret = governance
        .create_decision(
            &actor,
            &decision_form(CONFIDENTIAL_TITLE, CONFIDENTIAL_SUMMARY, "confidential").validate(&[]).unwrap(),
            on,
        )
        .await
        .unwrap();
    sign_all(governance, &actor, secret.id, secret.version).await;

    let inspection =
        InspectionForm { body: "HMICFRS".into(), title: "PEEL 2023–25".into(), published: "2024-06-01".into() };
    let inspection = governance.create_inspection(&actor, &inspection.validate().unwrap()).await.unwrap();
    let recommendation = RecommendationForm {
        text: "Record crime accurately.".into(),
        lead: "Head of Crime Registrar".into(),
        status: "being-progressed".into(),
        note: "From the report; ask jo@opcc.example".into(),
        ..Default::default()
    };
    governance.add_recommendation(&actor, inspection.id, &recommendation.validate(true).unwrap()).await.unwrap();

    // The panel: a published question with its answer, one answered but not
    // published, one only submitted, and a work programme with a withdrawn item.
    // The account's own name is never printed: the member's name as entered is.
    let member = governance
        .create_user(&actor, "member@panel.example", "Account name marker 5a5a", Role::PanelMember, "unused")
        .await
        .unwrap();
    let panel_form = MeetingForm {
        kind: "panel".into(),
        title: "Police and Crime Panel".into(),
        date: "2024-09-17".into(),
        venue: "Sessions House".into(),
        attendees: String::new(),
    };
    let panel = governance.create_meeting(&actor, &panel_form.validate().unwrap()).await.unwrap();
    let submit = |question: &str| PanelQuestionForm {
        member_name: "Ashley Clark".into(),
        member_authority: "Canterbury City Council".into(),
        question: question.into(),
        priorities: Vec::new(),
    };
    let asked = governance
        .submit_panel_question(&member, panel.id, &submit(PANEL_QUESTION).validate(&[]).unwrap())
        .await
        .unwrap();
    let Saved::Done(answered) = governance
        .answer_panel_question(&editor, asked.id, asked.version, &format!("1. {PANEL_ANSWER}"))
        .await
        .unwrap()
    else {
        panic!()
    };
    governance.publish_panel_question(&editor, answered.id, answered.version).await.unwrap();
    let draft = governance
        .submit_panel_question(&member, panel.id, &submit(PANEL_DRAFT_QUESTION).validate(&[]).unwrap())
        .await
        .unwrap();
    governance.answer_panel_question(&editor, draft.id, draft.version, PANEL_DRAFT_ANSWER).await.unwrap();
    governance
        .submit_panel_question(&member, panel.id, &submit(PANEL_UNANSWERED).validate(&[]).unwrap())
        .await
        .unwrap();
    let entry = |section: &str, title: &str, status: &str| WorkProgrammeForm {
        section: section.into(),
        title: title.into(),
        status: status.into(),
        ..Default::default()
    };
    for (section, title, status) in [
        ("standard-item", "Questions to the Commissioner", "planned"),
        ("provisionally-planned", WITHDRAWN_ITEM, "withdrawn"),
    ] {
        governance.add_work_programme_entry(&actor, &entry(section, title, status).validate().unwrap()).await.unwrap();
    }

    (published_paper, unpublished_paper)
}

/// The local links of an HTML page, or the paths of the OpenAPI document.
fn links(path: &str, body: &str, priorities: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    if path == "/api/v1/openapi.json" {
        let document: serde_json::Value = serde_json::from_str(body).unwrap();
        for key in document["paths"].as_object().unwrap().keys() {
            if key.contains("{id}") {
                found.extend(priorities.iter().map(|id| key.replace("{id}", id)));
            } else {
                found.push(key.clone());
            }
        }
        return found;
    }
    let mut rest = body;
    while let Some(at) = rest.find("href=\"/") {
        rest = &rest[at + 6..];
        let end = rest.find('"').unwrap();
        let link = rest[..end].split('#').next().unwrap().to_string();
        found.push(link);
        rest = &rest[end..];
    }
    found
}

/// Whether a path matches a route pattern (`{id}` is one segment).
fn matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    pattern.len() == path.len() && pattern.iter().zip(&path).all(|(p, s)| *p == "{id}" || p == s)
}

/// Every public URL reachable from the home page and the OpenAPI document, with its body.
async fn crawl(app: &App, client: &Client) -> Vec<(String, String)> {
    let plan: serde_json::Value = serde_json::from_str(&client.get(app, "/api/v1/plan").await.body).unwrap();
    let priorities: Vec<String> = plan["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|priority| priority["id"].as_str().unwrap().to_string())
        .collect();
    let mut queue: VecDeque<String> = ["/", "/public", "/api/v1/openapi.json"].iter().map(|p| p.to_string()).collect();
    let mut seen = BTreeSet::new();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || path.starts_with("/login") {
            continue;
        }
        let reply = client.get(app, &path).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}");
        for link in links(&path, &reply.body, &priorities) {
            if link == "/" || link.starts_with("/public") || link.starts_with("/api/") {
                queue.push_back(link);
            }
        }
        pages.push((path, reply.body));
    }
    pages
}

#[tokio::test]
async fn nothing_unpublished_is_on_any_public_page_download_or_api_response() {
    let app = app().await;
    let (published_paper, unpublished_paper) = seed(&app).await;
    let public = Client::default();
    let pages = crawl(&app, &public).await;

    // The crawl reached every public route of the permission table.
    for route in ROUTES.iter().filter(|route| route.path.starts_with("/public") || route.path.starts_with("/api/")) {
        assert_eq!(route.permission, Permission::ViewPublished, "{}", route.path);
        assert!(pages.iter().any(|(path, _)| matches(route.path, path)), "the crawl never reached {}", route.path);
    }
    assert!(pages.len() > 30, "{} pages", pages.len());

    let absent = [
        DRAFT_QUESTION,
        UNPUBLISHED_QUESTION,
        UNPUBLISHED_RESPONSE,
        DRAFT_DECISION,
        SIGNED_UNPUBLISHED_DECISION,
        CONFIDENTIAL_TITLE,
        CONFIDENTIAL_SUMMARY,
        PANEL_DRAFT_QUESTION,
        PANEL_DRAFT_ANSWER,
        PANEL_UNANSWERED,
        WITHDRAWN_ITEM,
        "Account name marker 5a5a",
        "Name of pcc",
        "Olivia Office",
        "@example.org",
        "@panel.example",
        "@force.example",
        "@opcc.example",
        UNPUBLISHED_PAPER,
        UNPUBLISHED_PAPER_TEXT,
        &unpublished_paper.sha256,
    ];
    // The unpublished paper's file is at no public address, under either type's name.
    let unpublished_urls = [
        format!("/public/papers/{}.docx", unpublished_paper.id),
        format!("/public/papers/{}.pdf", unpublished_paper.id),
    ];
    for url in &unpublished_urls {
        assert_eq!(public.get(&app, url).await.status, StatusCode::NOT_FOUND, "{url}");
        assert!(!pages.iter().any(|(path, _)| path == url), "the crawl reached {url}");
    }
    let published_url = format!("/public/papers/{}.pdf", published_paper.id);
    let file = pages.iter().find(|(path, _)| *path == published_url).expect("the published paper is linked");
    assert!(file.1.starts_with("%PDF-"));
    for (path, body) in &pages {
        for text in absent {
            assert!(!body.contains(text), "{path} shows {text:?}");
        }
    }
    // The static export (scrutiny publish) is the same pages, and as clean.
    let exported = scrutiny_web::export_public(app.state.clone()).await.unwrap();
    assert!(exported.iter().any(|file| file.file == "public/questions/index.html"));
    assert!(exported.iter().any(|file| file.file == "public/decisions.csv"));
    let exported_paper = exported.iter().find(|file| file.url == published_url).expect("the export has the paper");
    assert_eq!(exported_paper.file, published_url.trim_start_matches('/'));
    assert_eq!(scrutiny_store::governance::sha256_hex(&exported_paper.bytes), published_paper.sha256);
    assert!(!exported.iter().any(|file| unpublished_urls.contains(&file.url)));
    assert!(exported.len() > 30, "{} files", exported.len());
    for file in &exported {
        let body = String::from_utf8_lossy(&file.bytes);
        for text in absent {
            assert!(!body.contains(text), "the export's {} shows {text:?}", file.file);
        }
    }
    let questions = exported.iter().find(|file| file.file == "public/questions.json").unwrap();
    assert!(String::from_utf8_lossy(&questions.bytes).contains(PUBLISHED_RESPONSE));
    let page = |wanted: &str| &pages.iter().find(|(path, _)| path == wanted).unwrap().1;
    for path in ["/public/questions", "/public/questions.csv", "/public/questions.json", "/api/v1/questions"] {
        assert!(page(path).contains(PUBLISHED_QUESTION), "{path}");
        assert!(page(path).contains(PUBLISHED_RESPONSE), "{path}");
    }
    for path in ["/public/decisions", "/public/decisions.csv", "/api/v1/decisions"] {
        assert!(page(path).contains(PUBLISHED_DECISION), "{path}");
        assert!(page(path).contains(CONFIDENTIAL_REASON), "{path}: a confidential decision is listed with its reason");
    }
    assert!(page("/public/actions").contains("ACC [address removed]"));
    let feed = page("/public/questions.atom");
    assert!(feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert_eq!(feed.matches("<entry>").count(), 1, "one answered question is published");
    assert!(feed.contains(PUBLISHED_RESPONSE));
    let decisions = page("/public/decisions.atom");
    assert_eq!(decisions.matches("<entry>").count(), 1, "confidential decisions are not announced");
    let papers_feed = page("/public/papers.atom");
    assert_eq!(papers_feed.matches("<entry>").count(), 1, "one paper is published");
    assert!(papers_feed.contains(PUBLISHED_PAPER) && papers_feed.contains(&published_url));
    for path in ["/public/papers", "/public/papers.json", "/api/v1/papers", "/public/meetings/1"] {
        assert!(page(path).contains(PUBLISHED_PAPER), "{path}");
    }
    assert!(!page("/public/papers.json").contains("@opcc.example"), "no uploaded file name reaches the public");

    // Search finds what is published and nothing else.
    for (words, found) in [
        ("charge rate", true),
        ("investigation team", true),
        ("safer streets", true),
        ("marker", false),
        ("unpublished", false),
        ("6e6e", false),
        ("sensitive", true),
        ("overtime forecast 2c2c", true),
        ("marker 4f4f", false),
        ("9d9d", false),
    ] {
        let reply = public.get(&app, &format!("/public/search?q={}", words.replace(' ', "+"))).await;
        assert_eq!(reply.status, StatusCode::OK);
        for text in absent {
            assert!(!reply.body.contains(text), "searching {words:?} shows {text:?}");
        }
        assert_eq!(!reply.body.contains(">0 results"), found, "searching {words:?}");
    }
    assert!(page("/public/inspections").contains("Record crime accurately."));

    // The panel's published question and answer are on its page, downloads, API, feed and search.
    for path in
        ["/public/panel", "/public/panel/questions.csv", "/public/panel/questions.json", "/api/v1/panel/questions"]
    {
        assert!(page(path).contains("town beat officers"), "{path}");
        assert!(page(path).contains(PANEL_ANSWER), "{path}");
        assert!(page(path).contains("Canterbury City Council"), "{path}");
    }
    assert!(page("/public/panel").contains("(Ashley Clark – Canterbury City Council)"));
    assert!(page("/public/panel").contains("1. The Commissioner explained"));
    for path in ["/public/panel", "/public/panel/work-programme.csv", "/api/v1/panel/work-programme"] {
        assert!(page(path).contains("Questions to the Commissioner"), "{path}");
    }
    // And on its meeting's page, as the minutes print them.
    let meeting = pages
        .iter()
        .find(|(path, body)| path.starts_with("/public/meetings/") && body.contains("<h1>Police and Crime Panel</h1>"))
        .map(|(_, body)| body)
        .expect("the panel meeting's page is reachable");
    assert!(meeting.contains("Questions to the Commissioner") && meeting.contains("town beat officers"));
    assert!(meeting.contains("(Ashley Clark – Canterbury City Council)") && meeting.contains(PANEL_ANSWER));
    let panel_feed = page("/public/panel/questions.atom");
    assert_eq!(panel_feed.matches("<entry>").count(), 1, "one answered panel question is published");
    assert!(panel_feed.contains(PANEL_ANSWER));
    assert!(exported.iter().any(|file| file.file == "public/panel/index.html"));
    assert!(exported.iter().any(|file| file.file == "public/panel/questions.json"));
    let found = public.get(&app, "/public/search?q=beat+officers").await;
    assert!(found.body.contains("Panel question") && found.body.contains("Ashley Clark"), "{}", found.body);
    let hidden = public.get(&app, "/public/search?q=3b3b").await;
    assert!(hidden.body.contains(">0 results"), "a submitted question is not found");
}

#[tokio::test]
async fn the_home_page_is_the_portal_for_the_public_and_the_start_page_for_staff() {
    let app = app().await;
    let public = Client::default().get(&app, "/").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Performance against the plan"));
    assert!(public.body.contains("/public/priorities/tackle-vawg"));
    assert!(public.body.contains("No figures have been published yet."), "no records store is given");
    let editor = crate::util::login(&app, Role::Editor).await;
    let start = editor.get(&app, "/").await;
    assert!(start.body.contains("href=\"/meetings\""));
    assert!(!start.body.contains("Performance against the plan"));
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_and_nothing_else() {
    let app = app().await;
    let reply = Client::default().get(&app, "/api/v1/openapi.json").await;
    let document: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(document["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    let listed: BTreeSet<&str> = document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    let routed: BTreeSet<&str> =
        ROUTES.iter().filter(|route| route.path.starts_with("/api/")).map(|route| route.path).collect();
    assert_eq!(listed, routed);
    let missing = Client::default().get(&app, "/api/v1/priorities/no-such-priority/figures").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// Public pages carry an ETag and may be kept by shared caches; a visitor
/// holding the current version gets 304 with no body; a changed page has a
/// new tag; what a signed-in viewer or the login form gets is never shared.
#[tokio::test]
async fn public_pages_are_cacheable_and_revalidated_by_their_etag() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = app().await;
    let get = |path: &str, tag: Option<&str>| {
        let mut request = Request::get(path);
        if let Some(tag) = tag {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        request.body(Body::empty()).unwrap()
    };
    let first = crate::util::send(&app.router, get("/public/questions", None)).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers.get(header::ETAG).expect("an ETag").to_str().unwrap().to_string();
    assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34, "{tag}");
    assert_eq!(first.headers.get(header::CACHE_CONTROL).unwrap(), "public, max-age=60");
    assert_eq!(first.headers.get(header::VARY).unwrap(), "Cookie");

    let again = crate::util::send(&app.router, get("/public/questions", Some(&tag))).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let other = crate::util::send(&app.router, get("/public/questions", Some("\"0000\""))).await;
    assert_eq!(other.status, StatusCode::OK, "another version is sent whole");
    assert_eq!(other.body, first.body);

    let decisions = crate::util::send(&app.router, get("/public/decisions", None)).await;
    assert_ne!(decisions.headers.get(header::ETAG).unwrap().to_str().unwrap(), tag, "another page, another tag");

    // HEAD is answered as GET is (link checkers ask it of downloads), and keeps nothing.
    let head =
        crate::util::send(&app.router, Request::head("/public/decisions.csv").body(Body::empty()).unwrap()).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.headers.get(header::ETAG).is_some());
    let csv = crate::util::send(&app.router, get("/public/decisions.csv", None)).await;
    assert!(!csv.body.is_empty(), "a HEAD before does not leave an empty body kept");
    assert_eq!(csv.headers.get(header::ETAG), head.headers.get(header::ETAG));

    let login = crate::util::send(&app.router, get("/login", None)).await;
    assert!(login.headers.get(header::CACHE_CONTROL).is_none() && login.headers.get(header::ETAG).is_none());
    let office = crate::util::login(&app, Role::Editor).await;
    let signed_in = office.get(&app, "/public/questions").await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert!(signed_in.headers.get(header::ETAG).is_none(), "a signed-in page is not shared");
}

/// A public page is rendered once and then sent as kept; any recorded change
/// (here made straight in the database, as another process would) or a new
/// day shows at once, and a kept page is never older than the cache allows.
#[tokio::test]
async fn rendered_public_pages_are_kept_until_something_they_show_changes() {
    let app = app().await;
    seed(&app).await;
    let public = Client::default();
    let first = public.get(&app, "/public/questions").await;
    assert!(first.body.contains(PUBLISHED_QUESTION));
    assert_eq!(app.state.cached_pages(), 1, "the page is kept");
    let again = public.get(&app, "/public/questions").await;
    assert_eq!(again.body, first.body);
    assert_eq!(app.state.cache_hits(), 1, "and sent as kept");

    // A question answered and published since: the kept page is not sent.
    let governance = app.state.governance();
    let editor = governance.user_by_email(&email(Role::Editor)).await.unwrap().unwrap();
    let force = governance.user_by_email(&email(Role::ForceResponder)).await.unwrap().unwrap();
    let meeting = governance.meetings(&Default::default()).await.unwrap()[0].id;
    let form = QuestionForm {
        paper: "Delivery & Performance".into(),
        priority: String::new(),
        text: "A later question about rural crime".into(),
    };
    let asked = governance.ask_question(&editor, meeting, &form).await.unwrap();
    let Saved::Done(responded) = governance.respond(&force, asked.id, asked.version, "A later answer").await.unwrap()
    else {
        panic!()
    };
    governance.publish_question(&editor, responded.id, responded.version).await.unwrap();
    let after = public.get(&app, "/public/questions").await;
    assert!(after.body.contains("A later question about rural crime"), "the change shows at once");
    assert_eq!((app.state.cached_pages(), app.state.cache_hits()), (1, 1), "the cache began again");

    // Past its age a kept page is rendered again, and so it is on a new day.
    assert_eq!(public.get(&app, "/public/questions").await.body, after.body);
    assert_eq!(app.state.cache_hits(), 2);
    app.state.advance_clock(scrutiny_web::cache::MAX_AGE_SECONDS + 1);
    assert_eq!(public.get(&app, "/public/questions").await.body, after.body);
    assert_eq!(app.state.cache_hits(), 2, "past its age: rendered again");
    app.state.advance_clock(86_400);
    public.get(&app, "/public/questions").await;
    assert_eq!((app.state.cached_pages(), app.state.cache_hits()), (1, 2), "a new day: rendered again");

    // What a signed-in viewer sees is never kept.
    let office = crate::util::login(&app, Role::Editor).await;
    let before = app.state.cached_pages();
    office.get(&app, "/public/decisions").await;
    assert_eq!(app.state.cached_pages(), before, "a signed-in page is not kept");
}
