//! The governance commands: `serve`, `user add`, the governance half of
//! `migrate`, and the demo board that `demo` seeds before serving.

use std::io::Read as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use scrutiny_core::governance::{
    ActionForm, DecisionForm, DischargeForm, InspectionForm, MeetingForm, QuestionForm, RecommendationForm, Role,
    SignOffForm,
};
use scrutiny_store::governance::{Actor, GOVERNANCE_FILE, Governance, Saved, User};
use scrutiny_web::{AppState, Config};

use crate::args::PortalArgs;

/// Opens (creating and migrating) the governance database of a store.
pub async fn open(data: &Path, database: Option<&str>) -> Result<Governance> {
    Governance::open(data, database).await.context("while opening the governance database")
}

/// `scrutiny serve`: the web application on `listen` until interrupted.
pub async fn serve(
    data: &Path,
    listen: &str,
    database: Option<&str>,
    secure_cookies: bool,
    portal: &PortalArgs,
) -> Result<ExitCode> {
    let governance = open(data, database).await?;
    serve_governance(governance, data, listen, secure_cookies, portal).await
}

/// `scrutiny publish`: the public portal as static files in `out`.
pub async fn publish(
    data: &Path,
    out: &Path,
    base_path: &str,
    database: Option<&str>,
    portal: &PortalArgs,
) -> Result<ExitCode> {
    scrutiny_web::check_base_path(base_path).map_err(|reason| anyhow::anyhow!("--base-path: {reason}"))?;
    let governance = open(data, database).await?;
    let state = app_state(governance, data, false, portal).await?;
    let files = scrutiny_web::export_public_at(state, base_path)
        .await
        .map_err(|error| anyhow::anyhow!("while rendering the portal: {error:?}"))?;
    let mut bytes = 0;
    for file in &files {
        let path = out.join(&file.file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
        bytes += file.bytes.len();
    }
    println!(
        "wrote the public portal to {}: {} files ({} pages), {:.1} MB; serve the folder at {}",
        out.display(),
        files.len(),
        files.iter().filter(|file| file.file.ends_with("index.html")).count(),
        bytes as f64 / 1_000_000.0,
        if base_path.is_empty() { "the root of a site".to_string() } else { format!("{base_path}/ of a site") }
    );
    Ok(ExitCode::SUCCESS)
}

/// The web application's settings and its records store (if `data` holds one).
pub async fn app_state(
    governance: Governance,
    data: &Path,
    secure_cookies: bool,
    portal: &PortalArgs,
) -> Result<AppState> {
    let definitions = scrutiny_core::definitions::Definitions::builtin();
    definitions.plan(&portal.plan).with_context(|| format!("--plan {}", portal.plan))?;
    let mut disclosure = scrutiny_core::disclosure::Policy::builtin();
    if let Some(threshold) = portal.suppress_below {
        if threshold == 0 {
            bail!("--suppress-below must be at least 1");
        }
        disclosure.threshold = threshold;
    }
    let config = Config { secure_cookies, plan: portal.plan.clone(), disclosure, ..Config::default() };
    let state = AppState::new(governance, config);
    match scrutiny_store::Store::open(data).await {
        Ok(store) => {
            if let Some(force) = &portal.force {
                store.resolve_force(Some(force)).await.with_context(|| format!("--force {force}"))?;
            }
            state.set_records(scrutiny_web::Records::new(store, portal.force.clone()));
        }
        Err(error) if error.kind == scrutiny_store::ErrorKind::NotFound => {
            println!("No records store in {}: the portal shows no figures until data is imported.", data.display());
        }
        Err(error) => return Err(error).context("while opening the records store"),
    }
    Ok(state)
}

async fn serve_governance(
    governance: Governance,
    data: &Path,
    listen: &str,
    secure_cookies: bool,
    portal: &PortalArgs,
) -> Result<ExitCode> {
    let address: SocketAddr =
        listen.parse().with_context(|| format!("--listen {listen}: not an address like 127.0.0.1:8080"))?;
    let state = app_state(governance, data, secure_cookies, portal).await?;
    let listener =
        tokio::net::TcpListener::bind(address).await.with_context(|| format!("while listening on {address}"))?;
    println!("Serving the governance application and the public portal on http://{address}/ (Ctrl-C to stop)");
    scrutiny_web::serve(listener, state).await.context("while serving")?;
    Ok(ExitCode::SUCCESS)
}

/// `scrutiny user add`: an account with the password read from standard input,
/// or generated and printed once.
pub async fn user_add(
    data: &Path,
    database: Option<&str>,
    role: &str,
    email: &str,
    name: Option<&str>,
    password_stdin: bool,
) -> Result<ExitCode> {
    let role: Role =
        role.parse().map_err(|error: scrutiny_core::Error| anyhow::anyhow!("--role: {}", error.message()))?;
    if role == Role::Public {
        bail!("--role public: the public needs no account");
    }
    let (password, generated) = if password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("while reading the password from standard input")?;
        let password = text.trim_end_matches(['\n', '\r']).to_string();
        if password.chars().count() < 12 {
            bail!("the password read from standard input is shorter than 12 characters");
        }
        (password, false)
    } else {
        (scrutiny_web::generate_password().map_err(|error| anyhow::anyhow!("{error:?}"))?, true)
    };
    let hash = scrutiny_web::hash_password(&password).map_err(|error| anyhow::anyhow!("{error:?}"))?;
    let governance = open(data, database).await?;
    let user = governance
        .create_user(&Actor::system("scrutiny user add"), email, name.unwrap_or(email), role, &hash)
        .await
        .context("while adding the account")?;
    println!("added {} ({})", user.email, role.label());
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `scrutiny migrate`, governance half: reports the schema versions.
pub async fn migrate(data: &Path, database: Option<&str>) -> Result<()> {
    let governance = Governance::connect(data, database).await.context("while opening the governance database")?;
    let applied = governance.migrate().await.context("while migrating the governance database")?;
    println!(
        "the governance database is at schema version {} ({applied} migration{} applied now)",
        governance.known_version(),
        if applied == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Seeds a fresh demo board (the demo's governance database is recreated each
/// run) and prints the demo accounts with passwords generated now.
pub async fn seed_demo(data: &Path) -> Result<Governance> {
    let file = data.join(GOVERNANCE_FILE);
    for path in [file.clone(), data.join(format!("{GOVERNANCE_FILE}-wal")), data.join(format!("{GOVERNANCE_FILE}-shm"))]
    {
        if path.exists() {
            std::fs::remove_file(&path)
                .with_context(|| format!("while resetting the demo board: {}", path.display()))?;
        }
    }
    let governance = open(data, None).await?;
    let seed = Actor::system("scrutiny demo");
    let accounts = [
        ("admin@opcc.example", "Alex Admin", Role::Administrator),
        ("office@opcc.example", "Olivia Office (OPCC)", Role::Editor),
        ("force@police.example", "Frankie Force (Kent Police)", Role::ForceResponder),
        ("panel@panel.example", "Pat Panel", Role::PanelMember),
    ];
    let mut users = Vec::new();
    println!("\n5. The demo board: accounts (passwords generated for this run):");
    for (email, name, role) in accounts {
        let password = scrutiny_web::generate_password().map_err(|error| anyhow::anyhow!("{error:?}"))?;
        let hash = scrutiny_web::hash_password(&password).map_err(|error| anyhow::anyhow!("{error:?}"))?;
        users.push(governance.create_user(&seed, email, name, role, &hash).await?);
        println!("   {:<22} {:<20} password {password}", email, role.label());
    }
    let (office, force) = (&users[1], &users[2]);
    let office_actor = Actor::user(office);
    let meeting = |title: &str, date: &str| {
        MeetingForm {
        kind: "board".into(),
        title: title.into(),
        date: date.into(),
        venue: "Sessions House, Maidstone".into(),
        attendees: "Police and Crime Commissioner; Chief Executive; Chief Finance Officer; Chief Constable; Deputy Chief Constable".into(),
    }
    };
    let june = governance
        .create_meeting(
            &office_actor,
            &meeting("Performance and Delivery Board", "2024-06-13").validate().map_err(invalid)?,
        )
        .await?;
    let september = governance
        .create_meeting(
            &office_actor,
            &meeting("Performance and Delivery Board", "2024-09-12").validate().map_err(invalid)?,
        )
        .await?;
    let mut agenda = Vec::new();
    for (title, paper) in [
        ("Introduction, apologies and declarations of interest", ""),
        ("Minutes and action updates", ""),
        ("Delivery & Performance: Making Kent Safer", "Quarterly paper, May – July 2024"),
        ("Inspections, Audits & Reviews", "HMICFRS update"),
    ] {
        agenda.push(governance.add_agenda_item(&office_actor, september.id, title, paper).await?);
    }
    let ask = |paper: &str, priority: &str, text: &str| QuestionForm {
        paper: paper.into(),
        priority: priority.into(),
        text: text.into(),
    };
    let published = governance
        .ask_question(
            office,
            june.id,
            &ask(
                "Delivery & Performance",
                "Tackle violence against women and girls",
                "What is the force doing to raise the charge rate for rape?",
            ),
        )
        .await?;
    if let Saved::Done(responded) = governance
        .respond(force, published.id, published.version, "A dedicated investigation team was created in April; charge files are reviewed by a detective inspector before submission to the CPS.")
        .await?
    {
        governance.publish_question(office, responded.id, responded.version).await?;
    }
    let responded = governance
        .ask_question(
            office,
            september.id,
            &ask(
                "Delivery & Performance",
                "Fight crime and antisocial behaviour",
                "Shoplifting rose again this quarter. What is behind the rise?",
            ),
        )
        .await?;
    governance
        .respond(force, responded.id, responded.version, "Most of the rise is in three town centres; a retail crime plan with the business crime reduction partnership starts in October.")
        .await?;
    governance
        .ask_question(
            office,
            september.id,
            &ask(
                "Inspections, Audits & Reviews",
                "",
                "When will the force respond to the HMICFRS recommendation on crime data integrity?",
            ),
        )
        .await?;
    let action =
        |text: &str, owner: &str, due: &str| ActionForm { text: text.into(), owner: owner.into(), due: due.into() };
    let discharged = governance
        .raise_action(
            &office_actor,
            june.id,
            &action("Report on the outcome of the rural crime pilot", "ACC Operations", "2024-09-12")
                .validate()
                .map_err(invalid)?,
        )
        .await?;
    let discharge = DischargeForm {
        note: "Reported to the board.".into(),
        place: "paper".into(),
        reference: "item 3 paper".into(),
    };
    governance
        .discharge_action(&office_actor, discharged.id, discharged.version, &discharge.validate().map_err(invalid)?)
        .await?;
    governance
        .raise_action(
            &office_actor,
            june.id,
            &action("Brief the PCC on the knife crime hotspots", "Deputy Chief Constable", "2024-07-31")
                .validate()
                .map_err(invalid)?,
        )
        .await?;
    governance
        .raise_action(
            &office_actor,
            september.id,
            &action("Share the victim satisfaction survey results", "Chief Executive", "2030-12-31")
                .validate()
                .map_err(invalid)?,
        )
        .await?;
    seed_demo_records(&governance, &office_actor).await?;
    seed_demo_papers(&governance, data, &office_actor, september.id, &agenda).await?;
    seed_demo_panel(&governance, office, &users[3]).await?;
    println!(
        "   3 meetings, 3 questions (one published), 3 actions (one overdue), 3 decision records (one signed and published, one confidential, one draft), 1 inspection report with 2 recommendations, 2 papers (the generated quarterly paper, published; an uploaded HMICFRS update, not), 3 questions to the Commissioner (two published) and a panel work programme in {}",
        file.display()
    );
    Ok(governance)
}

/// The demo board's papers: the quarterly Delivery & Performance paper set
/// from the demo store as an editor attaches it (published), and an uploaded
/// PDF that is not published, so the portal shows one and not the other.
async fn seed_demo_papers(
    governance: &Governance,
    data: &Path,
    office: &Actor,
    meeting_id: i64,
    agenda: &[scrutiny_store::governance::AgendaItem],
) -> Result<()> {
    use scrutiny_core::governance::{PaperCategory, PaperSource};
    let portal = PortalArgs { plan: "making-kent-safer".into(), force: None, suppress_below: None };
    let state = app_state(governance.clone(), data, false, &portal).await?;
    let item = |title: &str| agenda.iter().find(|item| item.title.starts_with(title)).map(|item| item.id);
    let quarterly = scrutiny_web::attach_quarterly_paper(
        &state,
        office,
        meeting_id,
        item("Delivery & Performance"),
        "making-kent-safer",
        "2024-07".parse()?,
    )
    .await
    .map_err(|error| anyhow::anyhow!("while attaching the demo's quarterly paper: {error:?}"))?;
    governance.publish_paper(office, quarterly.id, quarterly.version).await?;
    let text = "HMICFRS update for the board: the force's progress on the PEEL 2023–25 recommendations, drafted for discussion and not yet published.";
    let pdf = scrutiny_pdf::typeset(format!("#{text:?}"), Default::default(), (2024, 9, 5))?;
    let read =
        scrutiny_report::check::paper_text(&pdf).map_err(|message| anyhow::anyhow!("the demo's upload: {message}"))?;
    let upload = scrutiny_store::governance::NewPaper {
        meeting_id,
        agenda_item_id: item("Inspections"),
        title: "HMICFRS update (draft)".into(),
        category: PaperCategory::InspectionsAuditsReviews,
        source: PaperSource::Uploaded,
        format: read.format,
        file_name: "hmicfrs-update.pdf".into(),
        content: pdf,
        html: None,
        text: read.text,
    };
    governance.attach_paper(office, &upload).await?;
    Ok(())
}

/// The demo board's decision records and inspection recommendations, entered
/// through the same forms and checks as the web pages.
async fn seed_demo_records(governance: &Governance, office: &Actor) -> Result<()> {
    let definitions = scrutiny_core::definitions::Definitions::builtin();
    let plan = definitions.plan("making-kent-safer").context("the making-kent-safer plan")?;
    let objective = |index: usize| plan.priorities.get(index).map(|priority| format!("{}/{}", plan.id, priority.id));
    let known: Vec<String> = (0..plan.priorities.len()).filter_map(objective).collect();
    let decision = |title: &str, summary: &str, recommendation: &str| DecisionForm {
        originator: "Chief Finance Officer".into(),
        title: title.into(),
        executive_summary: summary.into(),
        recommendation: recommendation.into(),
        decision: recommendation.into(),
        disclosure: "open".into(),
        confidential_reason: String::new(),
        objectives: known.iter().take(2).cloned().collect(),
        objectives_statement: "Funds the policing the plan's first two priorities rely on.".into(),
        equality_impact: "No adverse impact on any protected group was identified.".into(),
    };
    let on: scrutiny_core::governance::Date = "2024-07-01".parse().map_err(|error| anyhow::anyhow!("{error}"))?;
    let signed = governance
        .create_decision(
            office,
            &decision(
                "Safer Streets: funding for street lighting and CCTV in three town centres",
                "The Home Office Safer Streets fund offers £450,000 if the Commissioner matches it with £150,000.",
                "The Commissioner approves £150,000 from the Commissioner's fund as match funding.",
            )
            .validate(&known)
            .map_err(invalid)?,
            on,
        )
        .await?;
    let mut current = signed;
    for (signatory, name, date) in [
        ("cfo", "Chief Finance Officer", "2024-07-02"),
        ("chief-executive", "Chief Executive", "2024-07-03"),
        ("pcc", "Police and Crime Commissioner", "2024-07-04"),
    ] {
        let form = SignOffForm {
            signatory: signatory.into(),
            name: name.into(),
            comment: "Agreed.".into(),
            date: date.into(),
        };
        match governance.sign_decision(office, current.id, current.version, &form.validate().map_err(invalid)?).await? {
            Saved::Done(next) => current = next,
            Saved::Stale { .. } => bail!("the demo decision changed while it was being signed"),
        }
    }
    governance.publish_decision(office, current.id, current.version).await?;
    // A confidential decision, signed: the public sees its reference and the reason only.
    let mut secret = decision(
        "Covert policing: renewal of a surveillance equipment contract",
        "The contract for covert surveillance equipment ends in September.",
        "The Commissioner approves a two-year renewal at £210,000.",
    );
    secret.disclosure = "confidential".into();
    secret.confidential_reason =
        "Operationally sensitive: publishing it would prejudice the prevention or detection of crime.".into();
    let mut current = governance.create_decision(office, &secret.validate(&known).map_err(invalid)?, on).await?;
    for (signatory, name, date) in [
        ("cfo", "Chief Finance Officer", "2024-07-08"),
        ("chief-executive", "Chief Executive", "2024-07-09"),
        ("pcc", "Police and Crime Commissioner", "2024-07-10"),
    ] {
        let form =
            SignOffForm { signatory: signatory.into(), name: name.into(), comment: String::new(), date: date.into() };
        match governance.sign_decision(office, current.id, current.version, &form.validate().map_err(invalid)?).await? {
            Saved::Done(next) => current = next,
            Saved::Stale { .. } => bail!("the demo decision changed while it was being signed"),
        }
    }
    governance
        .create_decision(
            office,
            &decision(
                "Violence against women and girls: commissioning of independent advisers",
                "Two more independent domestic and sexual violence advisers for 2025/26.",
                "The Commissioner approves £96,000 for two advisers for one year.",
            )
            .validate(&known)
            .map_err(invalid)?,
            on,
        )
        .await?;
    let inspection = governance
        .create_inspection(
            office,
            &InspectionForm {
                body: "HMICFRS".into(),
                title: "PEEL 2023–25: An inspection of Kent Police".into(),
                published: "2024-10-01".into(),
            }
            .validate()
            .map_err(invalid)?,
        )
        .await?;
    for (text, position, lead, status) in [
        (
            "The force should make sure that it records crime accurately, including crimes reported with incidents of antisocial behaviour.",
            "A crime data integrity audit team reviews a sample of incidents every month.",
            "Head of Crime Registrar",
            "being-progressed",
        ),
        (
            "The force should improve how it answers non-emergency (101) calls.",
            "",
            "Head of Contact Management",
            "awaiting-review",
        ),
    ] {
        let form = RecommendationForm {
            text: text.into(),
            force_position: position.into(),
            lead: lead.into(),
            status: status.into(),
            note: "Recorded from the inspection report.".into(),
        };
        governance.add_recommendation(office, inspection.id, &form.validate(true).map_err(invalid)?).await?;
    }
    Ok(())
}

/// The demo panel: a meeting with two published questions to the
/// Commissioner and one still unanswered, and a forward work programme in
/// the seed's sections (seed 003's February 2020 panel).
async fn seed_demo_panel(governance: &Governance, office: &User, member: &User) -> Result<()> {
    use scrutiny_core::panel::{PanelQuestionForm, WorkProgrammeForm};
    let office_actor = Actor::user(office);
    let panel = governance
        .create_meeting(
            &office_actor,
            &MeetingForm {
                kind: "panel".into(),
                title: "Kent and Medway Police and Crime Panel".into(),
                date: "2024-09-17".into(),
                venue: "Council Chamber, Sessions House, County Hall, Maidstone".into(),
                attendees: "Members of the Panel; the Police and Crime Commissioner; the Chief Executive".into(),
            }
            .validate()
            .map_err(invalid)?,
        )
        .await?;
    let known = known_priorities();
    let questions = [
        (
            "Ashley Clark",
            "Canterbury City Council",
            "How will the Commissioner hold the Chief Constable to account for how well the increase in town centre beat officers contributes to fighting crime and antisocial behaviour and to visible neighbourhood policing?",
            Some(
                "1. The Commissioner explained that he did not set targets for the Chief Constable but held him to account in a variety of ways, and that the Performance and Delivery Board would be the main process for such reviews.\n2. He confirmed that he would discuss the deployment criteria with the Chief Constable.",
            ),
        ),
        (
            "Richard Palmer",
            "Swale Borough Council",
            "Has the Commissioner considered encouraging the Chief Constable to increase the powers available to PCSOs so that they can undertake a broader range of activity?",
            Some(
                "1. The Commissioner explained that the delegation of powers to PCSOs was an operational decision for the Chief Constable, but that four additional powers had been delegated after an earlier review.\n2. He would ask for the delegation of powers to be reviewed again when the policing model is next reviewed.",
            ),
        ),
        (
            "Mike Hill",
            "Independent Member",
            "What is the Commissioner doing to make sure rural crime is reported and recorded?",
            None,
        ),
    ];
    for (name, authority, text, answer) in questions {
        let form = PanelQuestionForm {
            member_name: name.into(),
            member_authority: authority.into(),
            question: text.into(),
            priorities: Vec::new(),
        };
        let question =
            governance.submit_panel_question(member, panel.id, &form.validate(&known).map_err(invalid)?).await?;
        if let Some(answer) = answer
            && let Saved::Done(answered) =
                governance.answer_panel_question(office, question.id, question.version, answer).await?
        {
            governance.publish_panel_question(office, answered.id, answered.version).await?;
        }
    }
    for (date, section, title, notes) in [
        ("2024-09-17", "meeting-date", "10:00", ""),
        ("2024-12-10", "meeting-date", "10:00", ""),
        ("2025-02-06", "meeting-date", "14:00", "Budget and Precept meeting"),
        ("2025-02-18", "meeting-date", "10:00", "Budget and Precept reserve date"),
        ("", "provisionally-planned", "Hate Crime Victim Satisfaction", ""),
        ("", "standard-item", "Update on the PCC's work related to Mental Health and Policing", ""),
        ("", "standard-item", "Questions to the Commissioner", ""),
        ("", "to-consider", "Commissioner's Key Decisions", ""),
        ("", "to-note", "Performance and Delivery Board minutes", ""),
    ] {
        let form = WorkProgrammeForm {
            meeting_date: date.into(),
            section: section.into(),
            title: title.into(),
            notes: notes.into(),
            status: "planned".into(),
        };
        governance.add_work_programme_entry(&office_actor, &form.validate().map_err(invalid)?).await?;
    }
    Ok(())
}

/// The `plan-id/priority-id` keys of the built-in plans.
fn known_priorities() -> Vec<String> {
    scrutiny_core::definitions::Definitions::builtin()
        .plans
        .iter()
        .flat_map(|plan| plan.priorities.iter().map(move |priority| format!("{}/{}", plan.id, priority.id)))
        .collect()
}

fn invalid(errors: scrutiny_core::governance::FieldErrors) -> anyhow::Error {
    anyhow::anyhow!("the demo board's data is invalid (a bug in Scrutiny): {:?}", errors.errors)
}

/// Serves the seeded demo board.
pub async fn serve_demo(governance: Governance, data: &Path, listen: &str) -> Result<ExitCode> {
    println!("\n6. Open http://{listen}/ for the public portal, and log in with an account above.");
    let portal = PortalArgs { plan: "making-kent-safer".into(), force: None, suppress_below: None };
    serve_governance(governance, data, listen, false, &portal).await
}

/// `scrutiny import actions|decisions`: one CSV file, all rows or none; every
/// refused row printed as file:line: field: reason.
pub async fn import_csv(kind: &str, args: &crate::args::GovernanceImportArgs) -> Result<ExitCode> {
    let governance = open(&args.data, args.database.as_deref()).await?;
    let actor = Actor::system(&format!("scrutiny import {kind}"));
    let outcome = match kind {
        "actions" => governance.import_actions_csv(&actor, &args.csv).await,
        _ => governance.import_decisions_csv(&actor, &args.csv).await,
    }
    .with_context(|| format!("while importing {kind} from {}", args.csv.display()))?;
    if !outcome.diagnostics.is_empty() {
        for diagnostic in &outcome.diagnostics {
            eprintln!("{diagnostic}");
        }
        eprintln!(
            "error: {} row problem{} in {}: nothing was imported",
            outcome.diagnostics.len(),
            if outcome.diagnostics.len() == 1 { "" } else { "s" },
            args.csv.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "imported {kind} from {}: {} added, {} already stored",
        args.csv.display(),
        outcome.added,
        outcome.unchanged
    );
    Ok(ExitCode::SUCCESS)
}
