//! Command-line arguments, as typed flags. `commands` resolves them into a
//! validated run.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "scrutiny", version, about = "Hold a police force to account with figures computed from its records.", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generate a synthetic force, import it into a local store, print the quarterly report, seed a demo board and serve it.
    ///
    /// Writes the generated extract under <DATA>/demo-extract, the store in <DATA>, the paper in <DATA>/paper
    /// and the demo board in <DATA>/governance.sqlite (recreated each run).
    Demo {
        /// The store folder (created if missing).
        #[arg(long, default_value = "scrutiny-demo")]
        data: PathBuf,
        /// Where to serve the demo board.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Prepare everything but do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Serve the governance web application and the public portal.
    ///
    /// Reads and writes <DATA>/governance.sqlite (created and migrated on first start), or the PostgreSQL database given.
    /// The portal's figures are the latest quarter of the records store in <DATA>, if there is one.
    Serve {
        /// The store folder.
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// A postgres://… URL instead of the embedded database.
        #[arg(long)]
        database: Option<String>,
        /// Mark cookies Secure (set when served behind TLS).
        #[arg(long)]
        secure_cookies: bool,
        #[command(flatten)]
        portal: PortalArgs,
    },
    /// Write the whole public portal as static files.
    ///
    /// Reads <DATA> (the records store and the governance database, or the PostgreSQL database given) and writes
    /// every public page (as <path>/index.html), CSV and JSON download into <OUT>, to be served at the root of a site.
    Publish {
        /// The store folder.
        #[arg(long)]
        data: PathBuf,
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The path the site serves the folder under, e.g. /transparency/scrutiny
        /// (links of the pages and feeds begin there); the site's root by default.
        #[arg(long, default_value = "")]
        base_path: String,
        /// A postgres://… URL instead of the embedded database.
        #[arg(long)]
        database: Option<String>,
        #[command(flatten)]
        portal: PortalArgs,
    },
    /// Manage accounts of the governance application.
    #[command(subcommand)]
    User(UserCommand),
    /// Import records into a store (created if missing).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Compute reports from a store.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Write a paper from a store.
    #[command(subcommand)]
    Paper(PaperCommand),
    /// One measure of a plan over a named period, against the same period last year.
    ///
    /// Reads the store; writes nothing.
    Measure {
        /// The measure id (see `scrutiny plans --plan <PLAN>`).
        measure: String,
        #[arg(long)]
        plan: String,
        #[arg(long, value_enum)]
        period: PeriodArg,
        /// The last month of the period (YYYY-MM).
        #[arg(long)]
        to: String,
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Analyse a residents' survey and victim satisfaction returns.
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Write a synthetic force extract (or survey) made by Scrutiny's own generator.
    Generate {
        /// seed-2024 (Kent-like, Sep 2021 – Jul 2024, reproduces the seed paper), national (many forces, for benchmarks), term (one force, the whole calendar years 2019 – 2024, for the end-of-term report) or survey-2019 (the Annual Policing Survey 2019 respondents, their survey definition and victim satisfaction returns).
        #[arg(long)]
        profile: String,
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// national: how many forces.
        #[arg(long)]
        forces: Option<u32>,
        /// national and term: how many years (ending December 2024).
        #[arg(long)]
        years: Option<u32>,
        /// The random seed (the default makes the published fixture).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// List the plans Scrutiny knows, or one plan's priorities and measures with their definitions.
    Plans {
        #[arg(long)]
        plan: Option<String>,
    },
    /// List the forces in a store and the months each source covers.
    Forces {
        #[arg(long)]
        data: PathBuf,
    },
    /// Check the figures of any paper: table arithmetic and the sentences that state changes.
    ///
    /// Reads .md/.txt, .docx or .pdf (with a text layer) papers; writes nothing. Finds the tables
    /// of figures and checks percent and number changes, totals, received − answered = not
    /// answered and rates against their counts, then checks each sentence that states a change
    /// against the table beside it (direction, size, month, percent vs percentage points).
    /// Exit status 0 when every paper is consistent, 1 when there are findings or a paper cannot be read.
    CheckPaper {
        /// The papers to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Create the store's databases (records and governance) or bring them to this version's schema.
    Migrate {
        #[arg(long)]
        data: PathBuf,
        /// A postgres://… URL for the governance database instead of the embedded one.
        #[arg(long)]
        database: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account. The password is read from standard input with --password-stdin, or generated and printed once.
    ///
    /// Writes to the governance database.
    Add {
        /// administrator, editor, force or panel.
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        /// The name shown on pages (default: the email).
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        database: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SurveyCommand {
    /// Every figure of a survey: per question the answered count, means with 95% intervals, shares with Wilson intervals, subgroups, top choices, weighted figures, sampled redacted comments; and victim satisfaction by survey, financial year to date and stage.
    ///
    /// Reads the definition and the CSV files; writes nothing. Unreadable answers and rows are listed on stderr and counted as not given.
    Report(SurveyReportArgs),
}

#[derive(Args, Debug)]
pub struct SurveyReportArgs {
    /// The survey definition (TOML, docs/surveys.md).
    #[arg(long)]
    pub survey: PathBuf,
    /// The respondent export (CSV, one row per respondent).
    #[arg(long)]
    pub responses: PathBuf,
    /// Last year's respondent export under the same definition: adds year-on-year changes and their tests.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Victim satisfaction returns (CSV: survey, reference, date, stage, response).
    #[arg(long)]
    pub victim_satisfaction: Option<PathBuf>,
    /// Victim satisfaction: the last month of the financial years to date (YYYY-MM; default the latest month answered).
    #[arg(long)]
    pub to: Option<String>,
    /// Victim satisfaction: how "Partly" counts: not-satisfied (the definition's default), satisfied or excluded.
    #[arg(long)]
    pub partly: Option<String>,
    /// Fail (exit status 1) if any answer or row could not be read.
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t = SurveyFormat::Text)]
    pub format: SurveyFormat,
    /// Write the report to this file instead of standard output (needed for pdf).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurveyFormat {
    Text,
    Json,
    Md,
    Html,
    Csv,
    /// Typeset in-process (fonts embedded); needs --out.
    Pdf,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a force extract (format v1, docs/extract/): every extract.json under DIR with its CSV files.
    ///
    /// Writes to the store; rejected rows are listed and written to <STORE>/rejects/import-<N>.csv.
    Extract(ImportArgs),
    /// Import data.police.uk street-level (and outcomes) files: every *-street.csv[.xz] under DIR.
    PoliceUk(ImportArgs),
    /// Import a force's returns (docs/returns.md): DIR holds returns.json and CSV files of
    /// monthly values (month, measure, value, source, owner) and of per-call 999/101 records.
    ///
    /// Rejected rows are listed and written to <STORE>/rejects/returns-import-<N>.csv.
    Returns(ImportArgs),
    /// Import an actions log (docs/import-actions.md) into the governance database.
    ///
    /// Reads CSV; writes <DATA>/governance.sqlite or the PostgreSQL database given. All rows or none.
    Actions(GovernanceImportArgs),
    /// Import decision records with their sign-offs (docs/import-decisions.md) into the governance database.
    ///
    /// Reads CSV; writes <DATA>/governance.sqlite or the PostgreSQL database given. All rows or none.
    Decisions(GovernanceImportArgs),
}

#[derive(Args, Debug)]
pub struct GovernanceImportArgs {
    /// The CSV file.
    pub csv: PathBuf,
    /// The store folder.
    #[arg(long)]
    pub data: PathBuf,
    /// A postgres://… URL instead of the embedded database.
    #[arg(long)]
    pub database: Option<String>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The folder holding the files (searched at any depth).
    pub dir: PathBuf,
    /// The store folder (created if missing).
    #[arg(long)]
    pub data: PathBuf,
    /// Store nothing if any row is rejected (exit status 1).
    #[arg(long)]
    pub strict: bool,
    /// How many rejected rows to print (all are in the rejects file).
    #[arg(long, default_value_t = 20)]
    pub show_rejects: usize,
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Every measure of a plan for the three months ending --to, each month against the same month last year, and the 3-month total.
    Quarterly {
        #[arg(long)]
        plan: String,
        /// The last month of the quarter (YYYY-MM).
        #[arg(long)]
        to: String,
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum PaperCommand {
    /// The quarterly Delivery & Performance paper: a section per priority; per measure the table, a 25-month chart and sentences written from the figures.
    ///
    /// Reads the store; writes <OUT>/<plan>-<to>.{html,pdf,md,csv,xlsx}, <OUT>/charts/*.svg and <OUT>/tables/*.csv.
    Quarterly {
        #[arg(long)]
        plan: String,
        /// The last month of the quarter (YYYY-MM).
        #[arg(long)]
        to: String,
        #[command(flatten)]
        store: StoreArgs,
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Comma-separated: html, pdf, md, csv, xlsx.
        #[arg(long, value_delimiter = ',', default_values_t = vec![PaperFormat::Html, PaperFormat::Pdf, PaperFormat::Md, PaperFormat::Csv, PaperFormat::Xlsx])]
        format: Vec<PaperFormat>,
        #[command(flatten)]
        survey: PaperSurveyArgs,
    },
    /// The end-of-term report: a section per priority; per measure the calendar years FROM to TO, each against the year before, the N-year difference, a bar chart and sentences written from the figures.
    ///
    /// A year with any month missing from the store is shown as not supplied (naming the months it holds) and is
    /// never compared. Reads the store; writes <OUT>/<plan>-term-<from>-<to>.{html,pdf,md,csv,json,xlsx},
    /// <OUT>/charts/term-*.svg and <OUT>/tables/term-*.csv.
    Term {
        #[arg(long)]
        plan: String,
        /// The first calendar year (YYYY).
        #[arg(long)]
        from: i32,
        /// The last calendar year (YYYY).
        #[arg(long)]
        to: i32,
        #[command(flatten)]
        store: StoreArgs,
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Comma-separated: html, pdf, md, csv, xlsx (csv also writes the report's JSON).
        #[arg(long, value_delimiter = ',', default_values_t = vec![PaperFormat::Html, PaperFormat::Pdf, PaperFormat::Md, PaperFormat::Csv, PaperFormat::Xlsx])]
        format: Vec<PaperFormat>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperFormat {
    Html,
    Pdf,
    Md,
    Csv,
    Xlsx,
}

impl std::fmt::Display for PaperFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Md => "md",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        })
    }
}

#[derive(Args, Debug)]
pub struct StoreArgs {
    /// The store folder.
    #[arg(long)]
    pub data: PathBuf,
    /// The force (default: the only force in the store).
    #[arg(long)]
    pub force: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodArg {
    Month,
    Quarter,
    Fytd,
    RollingYear,
    CalendarYear,
}

/// What the public portal publishes.
#[derive(Debug, Clone, clap::Args)]
pub struct PortalArgs {
    /// The plan the portal reports against.
    #[arg(long, default_value = "making-kent-safer")]
    pub plan: String,
    /// The force to publish (default: the store's only force).
    #[arg(long)]
    pub force: Option<String>,
    /// Suppress counts of sensitive categories below this (default: definitions/disclosure.toml).
    #[arg(long, value_name = "N")]
    pub suppress_below: Option<u64>,
}

/// A survey section for a paper, from the same inputs as `survey report`.
#[derive(Args, Debug, Clone, Default)]
pub struct PaperSurveyArgs {
    /// A survey definition (TOML, docs/surveys.md): with --responses, the paper gains a section of the survey's scale questions and, with --victim-satisfaction, of victim satisfaction.
    #[arg(long, requires = "responses")]
    pub survey: Option<PathBuf>,
    /// The survey's respondent export (CSV).
    #[arg(long, requires = "survey")]
    pub responses: Option<PathBuf>,
    /// Victim satisfaction returns (CSV) for the survey section: the latest financial year to date against the year before.
    #[arg(long, requires = "survey")]
    pub victim_satisfaction: Option<PathBuf>,
}
