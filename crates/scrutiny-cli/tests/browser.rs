//! The governance application end to end in a real browser: a fresh store,
//! accounts made with `scrutiny user add`, `scrutiny serve` on a free
//! loopback port, and `tests/browser/scenario.mjs` (playwright-core driving
//! Debian's Chromium) clicking through ask → respond → publish → raise →
//! discharge at the next meeting → sign three times → publish → the public.
//! Afterwards the database is read to check that what the pages showed was
//! stored, and every screenshot is checked to be a drawn page.

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scrutiny_core::governance::{ActionStatus, DecisionState, DischargedWhere, QuestionState};
use scrutiny_store::governance::{DecisionFilter, Governance};

use crate::util::{path, poppler, run, stdout};

/// The npm project of the browser scenario.
fn browser_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser").canonicalize().unwrap()
}

/// What the scenario needs and is missing (node, Chromium, `npm ci`), or nothing.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    if !Command::new("node").arg("--version").output().is_ok_and(|output| output.status.success()) {
        missing.push("node (apt-get install nodejs npm)".to_string());
    }
    if !Path::new(&chromium()).exists() {
        missing.push(format!("{} (apt-get install chromium)", chromium()));
    }
    for package in ["playwright-core", "axe-core"] {
        if !browser_project().join("node_modules").join(package).is_dir() {
            missing.push(format!("{package} (npm ci in tests/browser; scripts/test.sh runs it)"));
        }
    }
    missing
}

fn chromium() -> String {
    std::env::var("SCRUTINY_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string())
}

/// `scrutiny serve`, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args(["serve", "--data", path(data), "--listen", &address.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("scrutiny serve starts");
        let mut server = Server { child, url: format!("http://{address}") };
        let started = Instant::now();
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Some(status) = server.child.try_wait().unwrap() {
                let mut stderr = String::new();
                server.child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
                panic!("scrutiny serve exited with {status} before listening:\n{stderr}");
            }
            assert!(started.elapsed() < Duration::from_secs(30), "scrutiny serve did not listen on {address} in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Adds an account and returns the password `user add` generated and printed once.
fn add_user(data: &Path, role: &str, email: &str, name: &str) -> String {
    let printed =
        stdout(&run(&["user", "add", "--role", role, "--email", email, "--name", name, "--data", path(data)], true));
    printed
        .lines()
        .find_map(|line| line.strip_prefix("password (shown once): "))
        .unwrap_or_else(|| panic!("no password printed by user add:\n{printed}"))
        .to_string()
}

/// The share of pixels that are not the page's most common colour: a drawn
/// page has text and borders; a blank or failed one is one colour.
fn ink_share(png_path: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let mut counts = std::collections::HashMap::<&[u8], usize>::new();
    for pixel in buffer[..info.buffer_size()].chunks(channels) {
        *counts.entry(&pixel[..3.min(channels)]).or_default() += 1;
    }
    let total = (info.width * info.height) as f64;
    let most_common = counts.values().copied().max().unwrap_or(0) as f64;
    1.0 - most_common / total
}

/// Whether the browser tests can run here; with CI=true they must.
fn browser_available(what: &str) -> bool {
    let missing = missing_tools();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the {what} must run in CI, but these are missing: {}",
        missing.join(", ")
    );
    eprintln!("{what} not run here (CI runs it); missing: {}", missing.join(", "));
    false
}

/// The public portal of the demo store in a real browser
/// (`tests/browser/accessibility.mjs`): axe-core's WCAG 2.2 A and AA rules on
/// every public page reachable by links, at desktop and at phone width, no
/// page scrolling sideways on the phone, and keyboard-only navigation.
#[test]
fn the_public_portal_meets_wcag_2_2_aa_and_works_by_keyboard() {
    if !browser_available("accessibility check") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    run(&["demo", "--no-serve", "--data", path(&data)], true);
    let server = Server::start(&data);
    let output = Command::new("node")
        .arg(browser_project().join("accessibility.mjs"))
        .current_dir(browser_project())
        .env("SCRUTINY_URL", &server.url)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the accessibility check failed:\n{stderr}");
    let result: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("the check printed no result ({error}):\n{}", stdout(&output)));
    let pages: Vec<&str> = result["pages"].as_array().unwrap().iter().map(|page| page.as_str().unwrap()).collect();
    for expected in ["/public", "/public/questions", "/public/decisions", "/public/actions", "/public/inspections"] {
        assert!(pages.contains(&expected), "{expected} was checked: {pages:?}");
    }
    assert!(pages.iter().filter(|page| page.starts_with("/public/priorities/")).count() >= 7, "{pages:?}");
    assert!(result["keyboard"]["links"].as_u64().unwrap() >= 7, "{result}");
}

#[test]
fn the_board_workflow_in_a_browser() {
    if !browser_available("browser scenario") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let office_password = add_user(&data, "editor", "office@opcc.example", "Olivia Office");
    let force_password = add_user(&data, "force", "force@police.example", "Frankie Force");
    let panel_password = add_user(&data, "panel", "member@panel.example", "Pat Member");
    let screenshots = dir.path().join("screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let server = Server::start(&data);

    let output = Command::new("node")
        .arg(browser_project().join("scenario.mjs"))
        .current_dir(browser_project())
        .env("SCRUTINY_URL", &server.url)
        .env("OFFICE_EMAIL", "office@opcc.example")
        .env("OFFICE_PASSWORD", &office_password)
        .env("FORCE_EMAIL", "force@police.example")
        .env("FORCE_PASSWORD", &force_password)
        .env("PANEL_EMAIL", "member@panel.example")
        .env("PANEL_PASSWORD", &panel_password)
        .env("SCREENSHOTS", &screenshots)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the browser scenario failed:\n{stderr}");
    if !stderr.trim().is_empty() {
        eprintln!("{stderr}");
    }
    let result: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("the scenario printed no result ({error}):\n{}", stdout(&output)));
    drop(server);

    // What the pages showed is what was stored.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let governance = Governance::open(&data, None).await.unwrap();
        let question = governance.question(result["question"].as_i64().unwrap()).await.unwrap();
        assert_eq!(question.state, QuestionState::Published);
        assert_eq!(question.priority, "Tackle violence against women and girls");
        assert!(question.response.as_deref().unwrap().contains("two investigators"), "{question:?}");
        assert_eq!(question.responder.as_deref(), Some("Frankie Force"));
        let action = governance.action(result["action"].as_i64().unwrap()).await.unwrap();
        assert_eq!(action.status, ActionStatus::Discharged);
        assert_eq!(action.meeting_id, result["meetings"][0].as_i64().unwrap());
        assert_eq!(action.discharged_where, Some(DischargedWhere::MeetingItem));
        assert!(action.discharged_reference.as_deref().unwrap().contains("12 September 2024"), "{action:?}");
        let decision = governance.decision(result["decision"].as_i64().unwrap()).await.unwrap();
        assert_eq!(decision.state, DecisionState::Published);
        assert_eq!(decision.reference.to_string(), result["reference"].as_str().unwrap());
        let signed: Vec<&str> = decision.signoffs.iter().map(|signoff| signoff.name.as_str()).collect();
        assert_eq!(signed, ["Rob Phillips", "Richard Dunne", "Matthew Scott"]);
        let asked = governance.panel_question(result["panelQuestion"].as_i64().unwrap()).await.unwrap();
        assert_eq!(asked.state, scrutiny_core::panel::PanelQuestionState::Published);
        assert_eq!(
            (asked.member_name.as_str(), asked.member_authority.as_str()),
            ("Ashley Clark", "Canterbury City Council")
        );
        assert!(asked.answer.as_deref().unwrap().contains("deployment criteria"), "{asked:?}");
        let public =
            governance.decisions(&DecisionFilter { public_only: true, ..DecisionFilter::default() }).await.unwrap();
        assert!(public.iter().any(|record| record.id == decision.id && record.is_public()));
        let audit = governance.audit_log(None, 1000).await.unwrap();
        for change in ["create", "respond", "publish", "discharge", "draft", "sign"] {
            assert!(
                audit.iter().any(|entry| entry.change.contains(change)),
                "no audit entry for '{change}': {:?}",
                audit.iter().map(|entry| &entry.change).collect::<Vec<_>>()
            );
        }
        governance.close().await;
    });

    // Every screenshot is a drawn page, not a blank one.
    let taken = result["screenshots"].as_array().unwrap();
    assert!(taken.len() >= 8, "screenshots: {taken:?}");
    for screenshot in taken {
        let screenshot = Path::new(screenshot.as_str().unwrap());
        let share = ink_share(screenshot);
        assert!(
            share > 0.02,
            "{} looks blank: {:.1}% of pixels differ from the background",
            screenshot.display(),
            share * 100.0
        );
    }
    // The documents' PDFs have a text layer with what the HTML showed, and their pages are drawn.
    let pdfs = result["pdfs"].as_array().unwrap();
    assert_eq!(pdfs.len(), 3, "{pdfs:?}");
    for pdf in pdfs {
        let file = pdf["file"].as_str().unwrap();
        let text = poppler("pdftotext", &["-layout", file, "-"]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in pdf["texts"].as_array().unwrap() {
            let expected = expected.as_str().unwrap();
            assert!(text.contains(expected), "{file} has no \"{expected}\" in its text layer:\n{text}");
        }
        let page = format!("{file}-page");
        poppler("pdftoppm", &["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", file, &page]);
        let share = ink_share(Path::new(&format!("{page}.png")));
        assert!(share > 0.01, "{file}'s first page looks blank: {:.2}% ink", share * 100.0);
    }
    if let Some(keep) = std::env::var_os("SCRUTINY_KEEP_SCREENSHOTS") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        for entry in std::fs::read_dir(&screenshots).unwrap() {
            let entry = entry.unwrap().path();
            std::fs::copy(&entry, keep.join(entry.file_name().unwrap())).unwrap();
        }
    }
}
