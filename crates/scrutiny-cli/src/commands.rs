//! Runs each command: resolves its arguments against the definitions and the
//! store, then prints the result.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use chrono::Datelike;
use indicatif::{ProgressBar, ProgressStyle};

use scrutiny_core::definitions::{Definitions, MeasureKind, Plan};
use scrutiny_core::report::Context;
use scrutiny_core::{PeriodKind, YearMonth};
use scrutiny_ingest::{extract, police_uk, returns};
use scrutiny_store::{ImportSummary, Store};

use crate::args::{
    CheckFormat, Cli, Command, Format, ImportArgs, ImportCommand, PaperCommand, PaperFormat, PaperSurveyArgs,
    PeriodArg, ReportCommand, StoreArgs, SurveyCommand, UserCommand,
};

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let definitions = Definitions::builtin();
    match cli.command {
        Command::Demo { data, listen, no_serve } => {
            demo(&definitions, &data).await?;
            let governance = crate::governance::seed_demo(&data).await?;
            if no_serve {
                Ok(ExitCode::SUCCESS)
            } else {
                crate::governance::serve_demo(governance, &data, &listen).await
            }
        }
        Command::Serve { data, listen, database, secure_cookies, portal } => {
            crate::governance::serve(&data, &listen, database.as_deref(), secure_cookies, &portal).await
        }
        Command::Publish { data, out, base_path, database, portal } => {
            crate::governance::publish(&data, &out, &base_path, database.as_deref(), &portal).await
        }
        Command::User(UserCommand::Add { role, email, name, data, database, password_stdin }) => {
            crate::governance::user_add(&data, database.as_deref(), &role, &email, name.as_deref(), password_stdin)
                .await
        }
        Command::Import(ImportCommand::Extract(args)) => import_extract(&definitions, &args).await,
        Command::Import(ImportCommand::PoliceUk(args)) => import_police_uk(&definitions, &args).await,
        Command::Import(ImportCommand::Returns(args)) => import_returns(&definitions, &args).await,
        Command::Import(ImportCommand::Actions(args)) => crate::governance::import_csv("actions", &args).await,
        Command::Import(ImportCommand::Decisions(args)) => crate::governance::import_csv("decisions", &args).await,
        Command::Report(ReportCommand::Quarterly { plan, to, store, format }) => {
            let to = parse_month(&to)?;
            let plan = definitions.plan(&plan)?;
            print!("{}", quarterly(&definitions, plan, to, &store, format).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Paper(PaperCommand::Quarterly { plan, to, store, out, format, survey }) => {
            let to = parse_month(&to)?;
            let plan = definitions.plan(&plan)?;
            for path in write_quarterly_paper(&definitions, plan, to, &store, &out, &format, &survey).await? {
                println!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Paper(PaperCommand::Term { plan, from, to, store, out, format }) => {
            let plan = definitions.plan(&plan)?;
            for path in crate::term::write_term_paper(&definitions, plan, from, to, &store, &out, &format).await? {
                println!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Measure { measure, plan, period, to, store, format } => {
            let to = parse_month(&to)?;
            let plan = definitions.plan(&plan)?;
            let measure = plan.measure(&measure)?;
            let kind = match period {
                PeriodArg::Month => PeriodKind::Month,
                PeriodArg::Quarter => PeriodKind::Quarter,
                PeriodArg::Fytd => PeriodKind::Fytd,
                PeriodArg::RollingYear => PeriodKind::RollingYear,
                PeriodArg::CalendarYear => PeriodKind::CalendarYear,
            };
            let database = Store::open(&store.data).await?;
            let force = database.resolve_force(store.force.as_deref()).await?;
            let period = kind.ending(to);
            let counts = database
                .force_counts(&force, scrutiny_core::Period { from: period.same_period_last_year().from, to })
                .await?;
            let context =
                Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
            let figure = context.measure(measure, &counts, &force, kind, to)?;
            match format {
                Format::Text => print!("{}", scrutiny_report::text::measure(&figure)),
                Format::Json => println!("{}", scrutiny_report::measure_json(&figure)),
                Format::Csv => {
                    bail!("--format csv is for tables; use text or json for one measure")
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Survey(SurveyCommand::Report(args)) => crate::survey::report(&args),
        Command::Generate { profile, out, forces, years, seed } if profile == scrutiny_synth::survey::PROFILE => {
            if forces.is_some() || years.is_some() {
                bail!("--forces and --years do not apply to profile {profile}");
            }
            crate::survey::generate(&out, seed)
        }
        Command::Generate { profile, out, forces, years, seed } => {
            let started = Instant::now();
            let options = scrutiny_synth::Options { forces, years, seed };
            let summary = scrutiny_synth::generate(&profile, &options, &out)
                .with_context(|| format!("while generating profile {profile} into {}", out.display()))?;
            println!("{}", describe_generated(&summary));
            println!("written to {} in {:.1} s", out.display(), started.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
        Command::Plans { plan } => {
            match plan {
                None => {
                    for plan in &definitions.plans {
                        println!(
                            "{:<20} {} ({} priorities, {} measures)",
                            plan.id,
                            plan.title,
                            plan.priorities.len(),
                            plan.measures.len()
                        );
                    }
                }
                Some(id) => print!("{}", describe_plan(definitions.plan(&id)?)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Forces { data } => {
            let store = Store::open(&data).await?;
            for force in store.forces().await? {
                println!(
                    "{}{}",
                    force.name,
                    force.extracted_on.map(|date| format!(" (extracted {date})")).unwrap_or_default()
                );
                for coverage in force.coverage {
                    println!(
                        "  {:<20} {} to {} ({} months)",
                        coverage.source.name(),
                        coverage.first,
                        coverage.last,
                        coverage.months
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckPaper { files, format } => check_papers(&files, format),
        Command::Migrate { data, database } => {
            let store = Store::open_or_create(&data).await?;
            println!("the store at {} is at the current schema", store.dir().display());
            crate::governance::migrate(&data, database.as_deref()).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn describe_generated(summary: &scrutiny_synth::Summary) -> String {
    format!(
        "profile {}: {} force{}, {} crimes, {} outcomes, {} suspect events, {} ASB incidents ({} records)",
        summary.profile,
        summary.forces.len(),
        if summary.forces.len() == 1 { "" } else { "s" },
        summary.crimes(),
        summary.outcomes(),
        summary.suspect_events(),
        summary.asb_incidents(),
        summary.records()
    )
}

fn parse_month(text: &str) -> Result<YearMonth> {
    text.parse::<YearMonth>().with_context(|| "--to")
}

fn describe_plan(plan: &Plan) -> String {
    let mut out = format!("{} — {} (version {}, {})\n", plan.id, plan.title, plan.version, plan.owner);
    for (number, priority) in plan.priorities.iter().enumerate() {
        out.push_str(&format!("\n{}. {} [{}]\n", number + 1, priority.title, priority.id));
        for measure in plan.measures.iter().filter(|measure| measure.priority == priority.id) {
            let definition = match &measure.kind {
                MeasureKind::Count(spec) => {
                    format!("count of {} {}", spec.source, describe_filter(&spec.filter))
                }
                MeasureKind::Rate { numerator, denominator } => {
                    format!("rate: {} {} ÷ {denominator}", numerator.source, describe_filter(&numerator.filter))
                }
            };
            out.push_str(&format!("  {:<34} {}\n  {:<34} {}\n", measure.id, measure.title, "", definition.trim_end()));
        }
    }
    out
}

fn describe_filter(filter: &scrutiny_core::definitions::Filter) -> String {
    let mut parts = Vec::new();
    for (name, values) in [
        ("categories", &filter.categories),
        ("groups", &filter.groups),
        ("subgroups", &filter.subgroups),
        ("codes", &filter.codes),
        ("crime types", &filter.crime_types),
    ] {
        if !values.is_empty() {
            parts.push(format!("{name} {}", values.join(", ")));
        }
    }
    let flag_names = |flags: scrutiny_core::flags::Flags| -> Vec<&str> {
        scrutiny_core::flags::Flags::NAMED
            .iter()
            .filter(|(_, bits)| flags.contains(*bits) && !bits.is_empty())
            .map(|(name, _)| *name)
            .collect()
    };
    if !filter.flags.is_empty() {
        parts.push(format!("flagged {}", flag_names(filter.flags).join(" and ")));
    }
    if !filter.any_flags.is_empty() {
        parts.push(format!("flagged any of {}", flag_names(filter.any_flags).join(", ")));
    }
    if !filter.outcome_types.is_empty() {
        let types: Vec<String> = filter.outcome_types.iter().map(u8::to_string).collect();
        parts.push(format!("outcomes {} ({})", filter.outcome_set.clone().unwrap_or_default(), types.join(", ")));
    }
    if !filter.events.is_empty() {
        parts.push(format!("events {}", filter.events.iter().map(|event| event.name()).collect::<Vec<_>>().join(", ")));
    }
    if parts.is_empty() { "(all)".to_string() } else { format!("({})", parts.join("; ")) }
}

async fn quarterly(
    definitions: &Definitions,
    plan: &Plan,
    to: YearMonth,
    store: &StoreArgs,
    format: Format,
) -> Result<String> {
    let database = Store::open(&store.data).await?;
    let force = database.resolve_force(store.force.as_deref()).await?;
    let counts = database.force_counts(&force, scrutiny_core::Period { from: to.minus(14), to }).await?;
    let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
    let report = context.quarterly(&counts, &force, to)?;
    Ok(match format {
        Format::Text => scrutiny_report::text::quarterly(&report, plan),
        Format::Json => format!("{}\n", scrutiny_report::quarterly_json(&report)),
        Format::Csv => scrutiny_report::quarterly_csv(&report),
    })
}

/// Writes the quarterly paper in the formats asked for; returns the files written.
async fn write_quarterly_paper(
    definitions: &Definitions,
    plan: &Plan,
    to: YearMonth,
    store: &StoreArgs,
    out: &Path,
    formats: &[PaperFormat],
    survey: &PaperSurveyArgs,
) -> Result<Vec<std::path::PathBuf>> {
    use scrutiny_report::paper;
    let database = Store::open(&store.data).await?;
    let force = database.resolve_force(store.force.as_deref()).await?;
    let counts = database.force_counts(&force, paper::months_needed(to)).await?;
    let forces = database.forces().await?;
    let extracted =
        forces.iter().find(|summary| summary.name == force).and_then(|summary| summary.extracted_on.clone());
    let provenance = vec![
        format!("Source: {force}'s records{}, imported into a Scrutiny store.", extracted.map(|date| format!(" as extracted on {date}")).unwrap_or_default()),
        format!("Definitions: plan {} version {}; offence classification {} ({}); outcomes framework {}.",
            plan.id, plan.version, definitions.classification.id,
            definitions.classification.versions.iter().map(|version| version.id.clone()).collect::<Vec<_>>().join(", "),
            definitions.outcomes.id),
        format!("Returns: measures of definitions {} version {}, as returned by the force; call handling computed from its per-call records.", definitions.returns.id, definitions.returns.version),
        "Counting: crimes in the month recorded (cancelled and transferred crimes excluded); outcomes in the month assigned; suspect activity in the month it happened; ASB incidents in the month reported.".to_string(),
        "Percent changes are rounded to one decimal place, half away from zero; a zero baseline is shown as n/a; a month with no data is shown as not supplied, never as zero.".to_string(),
        format!("Produced by Scrutiny {} on {}.", env!("CARGO_PKG_VERSION"), chrono_today()),
    ];
    let context = Context { plan, classification: &definitions.classification, outcomes: &definitions.outcomes };
    let returns = database.return_values(&force, paper::return_months_needed(to)).await?;
    let mut paper = paper::quarterly(&context, &counts, &definitions.returns, &returns, &force, to, provenance)?;
    if let (Some(definition), Some(responses)) = (&survey.survey, &survey.responses) {
        let analysed =
            crate::survey::analyse(definition, responses, None, survey.victim_satisfaction.as_deref(), None, None)?;
        for diagnostic in analysed.diagnostics.iter().take(20) {
            eprintln!("{diagnostic}");
        }
        if !analysed.diagnostics.is_empty() {
            eprintln!(
                "{} survey answers or rows could not be read and are not counted (`scrutiny survey report` lists them all)",
                analysed.diagnostics.len()
            );
        }
        let number = paper.sections.len() + 1;
        paper.sections.push(paper::survey::section(number, &analysed.report, analysed.victims.as_ref()));
        paper.provenance.insert(
            paper.provenance.len() - 1,
            format!(
                "Survey: {} (definition {} version {}), {} responses; victim satisfaction counted as its definition states.",
                analysed.report.survey.title,
                analysed.report.survey.id,
                analysed.report.survey.definition_version,
                analysed.report.responses
            ),
        );
    }
    let stem = format!("{}-{}", plan.id, to);
    write_paper(out, &stem, &paper, formats, || {
        let report = context.quarterly(&counts, &force, to)?;
        Ok(vec![(format!("{stem}.csv"), scrutiny_report::quarterly_csv(&report))])
    })
}

/// Writes a paper in the formats asked for: HTML, PDF, Markdown with its
/// charts, XLSX, and with CSV every table as a file under `tables/` plus the
/// files `data` gives (the report's own CSV and JSON). Returns what it wrote.
pub(crate) fn write_paper(
    out: &Path,
    stem: &str,
    paper: &scrutiny_report::paper::Paper,
    formats: &[PaperFormat],
    data: impl Fn() -> Result<Vec<(String, String)>>,
) -> Result<Vec<std::path::PathBuf>> {
    use scrutiny_report::paper as render;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut written = Vec::new();
    let mut write = |name: String, bytes: &[u8]| -> Result<()> {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
        Ok(())
    };
    for format in formats {
        match format {
            PaperFormat::Html => write(format!("{stem}.html"), render::html::render(paper).as_bytes())?,
            PaperFormat::Pdf => {
                let today = chrono::Local::now().date_naive();
                let date = (today.year(), today.month() as u8, today.day() as u8);
                write(format!("{stem}.pdf"), &scrutiny_pdf::paper(paper, date)?)?
            }
            PaperFormat::Md => {
                write(format!("{stem}.md"), render::markdown::render(paper).as_bytes())?;
                for item in paper.sections.iter().flat_map(|section| section.items.iter()) {
                    write(
                        render::markdown::paper_chart_path(paper, &item.measure_id),
                        render::chart::svg(&item.chart).as_bytes(),
                    )?;
                }
            }
            PaperFormat::Csv => {
                for (name, text) in data()? {
                    write(name, text.as_bytes())?;
                }
                for (name, text) in render::tables::csv_files(paper) {
                    write(format!("tables/{name}"), text.as_bytes())?;
                }
            }
            PaperFormat::Xlsx => {
                write(format!("{stem}.xlsx"), &render::tables::xlsx(paper).context("writing the workbook")?)?
            }
        }
    }
    Ok(written)
}

fn chrono_today() -> String {
    chrono::Local::now().date_naive().to_string()
}

fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} files ({elapsed})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

fn print_summary(summary: &ImportSummary, show_rejects: usize, started: Instant) {
    for reject in summary.rejects.iter().take(show_rejects) {
        eprintln!("rejected: {reject}");
    }
    if summary.rejects.len() > show_rejects {
        eprintln!("… and {} more rejected rows", summary.rejects.len() - show_rejects);
    }
    let months = summary.months.map(|period| format!(", months {} to {}", period.from, period.to)).unwrap_or_default();
    println!(
        "import {}: {} rows read, {} stored, {} already stored (unchanged), {} replaced, {} rejected — force {}{months} ({:.1} s)",
        summary.import_id,
        summary.rows_read,
        summary.stored,
        summary.unchanged,
        summary.replaced,
        summary.rejected,
        if summary.forces.is_empty() { "none".to_string() } else { summary.forces.join(", ") },
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = &summary.rejects_file {
        println!("rejected rows with reasons: {}", path.display());
    }
}

async fn import_extract(definitions: &Definitions, args: &ImportArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let discovery = extract::discover(&args.dir)
        .with_context(|| format!("while looking for extracts in {}", args.dir.display()))?;
    for (path, reason) in &discovery.skipped {
        eprintln!("skipped: {}: {reason}", path.display());
    }
    if discovery.extracts.is_empty() {
        bail!("no {} found under {} (see docs/extract/README.md)", extract::MANIFEST_NAME, args.dir.display());
    }
    let store = Store::open_or_create(&args.data).await?;
    let total_files: usize = discovery.extracts.iter().map(|files| files.files.len()).sum();
    let bar = progress_bar(total_files as u64, "reading");
    // The extracts are read on a thread of their own, one ahead of the
    // store: the next force's files are parsed while this force's records
    // are checked and written (a national folder holds 43 forces).
    let (sender, mut receiver) = tokio::sync::mpsc::channel(1);
    let reader = {
        let (extracts, definitions, bar) = (discovery.extracts.clone(), definitions.clone(), bar.clone());
        std::thread::spawn(move || {
            for files in extracts {
                let extract = extract::read_with_progress(&files, &definitions, &|path| {
                    bar.set_message(format!(
                        "reading {}",
                        path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default()
                    ));
                    bar.inc(1);
                });
                if sender.blocking_send((files.manifest, extract)).is_err() {
                    // The store stopped at an error; nothing more to read.
                    break;
                }
            }
        })
    };
    while let Some((manifest, extract)) = receiver.recv().await {
        let extract = extract.with_context(|| format!("while importing {}", manifest.display()))?;
        bar.set_message(format!("storing {}", extract.manifest.force));
        let summary = store
            .import_extract(&extract, &args.dir, args.strict)
            .await
            .with_context(|| format!("while importing {}", manifest.display()))?;
        bar.suspend(|| print_summary(&summary, args.show_rejects, started));
        // Freeing millions of records takes a while: a thread of its own
        // does it while the next extract is stored (or the process ends).
        std::thread::spawn(move || drop(extract));
    }
    reader.join().map_err(|_| anyhow::anyhow!("the extract reader panicked (a bug in Scrutiny: please report it)"))?;
    bar.finish_and_clear();
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn import_police_uk(definitions: &Definitions, args: &ImportArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let (files, skipped) = police_uk::discover(&args.dir)
        .with_context(|| format!("while looking for police.uk files in {}", args.dir.display()))?;
    for (path, reason) in &skipped {
        eprintln!("skipped: {}: {reason}", path.display());
    }
    if files.is_empty() {
        bail!(
            "no data.police.uk files (*-street.csv, *-outcomes.csv, optionally .xz) found under {}",
            args.dir.display()
        );
    }
    let store = Store::open_or_create(&args.data).await?;
    let bar = progress_bar(files.len() as u64, "reading");
    let mut read = Vec::new();
    for (kind, path) in &files {
        bar.set_message(format!("reading {}", path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default()));
        read.push(
            police_uk::read(path, *kind, &definitions.districts)
                .with_context(|| format!("while importing {}", path.display()))?,
        );
        bar.inc(1);
    }
    bar.set_message("storing");
    let summary =
        store.import_police_uk(&read, &args.dir, args.strict).await.context("while storing police.uk files")?;
    bar.finish_and_clear();
    print_summary(&summary, args.show_rejects, started);
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn import_returns(definitions: &Definitions, args: &ImportArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let read = returns::read(&args.dir, definitions)
        .with_context(|| format!("while reading the returns in {}", args.dir.display()))?;
    let store = Store::open_or_create(&args.data).await?;
    let summary = store
        .import_returns(&read, args.strict)
        .await
        .with_context(|| format!("while importing the returns in {}", args.dir.display()))?;
    for reject in summary.rejects.iter().take(args.show_rejects) {
        eprintln!("rejected: {reject}");
    }
    if summary.rejects.len() > args.show_rejects {
        eprintln!("… and {} more rejected rows", summary.rejects.len() - args.show_rejects);
    }
    println!(
        "returns import {}: {} rows read from {} files, {} values and call-months stored, {} already stored (unchanged), {} rejected — force {} ({:.1} s)",
        summary.import_id,
        summary.rows_read,
        read.files.len(),
        summary.stored,
        summary.unchanged,
        summary.rejected,
        summary.force,
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = &summary.rejects_file {
        println!("rejected rows with reasons: {}", path.display());
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn demo(definitions: &Definitions, data: &Path) -> Result<ExitCode> {
    let extract_dir = data.join("demo-extract");
    println!("1. Generating a synthetic force (profile seed-2024) into {} …", extract_dir.display());
    let summary = scrutiny_synth::generate("seed-2024", &scrutiny_synth::Options::default(), &extract_dir)
        .context("while generating the demo force")?;
    println!("   {}", describe_generated(&summary));
    println!("2. Importing it into the store {} …", data.display());
    let args = ImportArgs { dir: extract_dir.clone(), data: data.to_path_buf(), strict: true, show_rejects: 20 };
    import_extract(definitions, &args).await?;
    let returns_args = ImportArgs {
        dir: extract_dir.join(scrutiny_synth::RETURNS_FOLDER),
        data: data.to_path_buf(),
        strict: true,
        show_rejects: 20,
    };
    println!("   and its returns and per-call 999/101 records …");
    import_returns(definitions, &returns_args).await?;
    let survey_dir = data.join("demo-survey");
    scrutiny_synth::survey::generate(&survey_dir, None)
        .with_context(|| format!("while generating the demo survey into {}", survey_dir.display()))?;
    println!("   and the Annual Policing Survey respondents and victim satisfaction returns (profile survey-2019) …");
    let survey = PaperSurveyArgs {
        survey: Some(survey_dir.join("survey-definition.toml")),
        responses: Some(survey_dir.join("responses.csv")),
        victim_satisfaction: Some(survey_dir.join("victim-satisfaction.csv")),
    };
    println!("3. The quarterly report, May – July 2024:\n");
    let plan = definitions.plan("making-kent-safer")?;
    let store = StoreArgs { data: data.to_path_buf(), force: None };
    print!("{}", quarterly(definitions, plan, "2024-07".parse()?, &store, Format::Text).await?);
    let paper_dir = data.join("paper");
    let written = write_quarterly_paper(
        definitions,
        plan,
        "2024-07".parse()?,
        &store,
        &paper_dir,
        &[PaperFormat::Html, PaperFormat::Pdf, PaperFormat::Md, PaperFormat::Csv, PaperFormat::Xlsx],
        &survey,
    )
    .await?;
    println!(
        "\n4. The quarterly paper: {} files in {}; open {}",
        written.len(),
        paper_dir.display(),
        paper_dir.join("making-kent-safer-2024-07.html").display()
    );
    // The end-of-term report over the demo force's whole calendar years.
    let all_formats = [PaperFormat::Html, PaperFormat::Pdf, PaperFormat::Md, PaperFormat::Csv, PaperFormat::Xlsx];
    let term = crate::term::write_term_paper(definitions, plan, 2022, 2023, &store, &paper_dir, &all_formats).await?;
    println!(
        "   and the end-of-term report, calendar years 2022 – 2023 (the whole years the demo force holds): {} files; open {}",
        term.len(),
        paper_dir.join(format!("{}.html", crate::term::stem(plan, 2022, 2023))).display()
    );
    println!(
        "\nNext: scrutiny measure rape-charge-rate --plan making-kent-safer --period fytd --to 2024-07 --data {}",
        data.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Checks each paper and prints the findings; exit status 1 if there are any.
fn check_papers(files: &[std::path::PathBuf], format: CheckFormat) -> Result<ExitCode> {
    let mut findings = Vec::new();
    for file in files {
        findings.extend(scrutiny_report::check::check_file(file).with_context(|| "while checking the paper")?);
    }
    match format {
        CheckFormat::Json => {
            let json = serde_json::json!({ "findings": findings });
            println!("{}", serde_json::to_string_pretty(&json).context("while writing the findings")?);
        }
        CheckFormat::Text => {
            for finding in &findings {
                println!(
                    "{}:{}: {} (printed \"{}\", expected \"{}\")",
                    finding.file, finding.line, finding.message, finding.printed, finding.expected
                );
            }
            let papers = if files.len() == 1 { "paper" } else { "papers" };
            match findings.len() {
                0 => println!("{} {papers} checked: no inconsistencies found", files.len()),
                1 => println!("{} {papers} checked: 1 inconsistency", files.len()),
                n => println!("{} {papers} checked: {n} inconsistencies", files.len()),
            }
        }
    }
    Ok(if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
