//! The board's governance workflow as pure rules: who may do what, the states
//! of questions, actions, decisions and inspection recommendations and the
//! moves allowed between them, decision references and the 56-day clock.
//!
//! Nothing here stores, reads a clock or knows HTTP: the store persists these
//! values, the web crate asks [`Role::may`] before every request, and both are
//! tested against the same [`PERMISSIONS`] table.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A role an account holds. The anonymous public is a role too, so the
/// permission table says in one place what is open to everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Runs the office's use of Scrutiny: accounts, the audit log, everything an editor does.
    Administrator,
    /// Office of the PCC staff: meetings, questions, actions, publication.
    Editor,
    /// The force: answers questions and updates actions assigned to the force.
    ForceResponder,
    /// The Police and Crime Panel: reads what is shared with the panel.
    PanelMember,
    /// Anyone, not logged in: published items only.
    Public,
}

impl Role {
    /// Every role, for tests and forms that iterate them.
    pub const ALL: [Role; 5] =
        [Role::Administrator, Role::Editor, Role::ForceResponder, Role::PanelMember, Role::Public];

    /// The roles an account can hold (the public is not an account).
    pub const ACCOUNTS: [Role; 4] = [Role::Administrator, Role::Editor, Role::ForceResponder, Role::PanelMember];

    /// The name stored in the database and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Editor => "editor",
            Role::ForceResponder => "force",
            Role::PanelMember => "panel",
            Role::Public => "public",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "OPCC administrator",
            Role::Editor => "OPCC editor",
            Role::ForceResponder => "Force responder",
            Role::PanelMember => "Panel member",
            Role::Public => "Public",
        }
    }

    /// Whether this role may do `permission`, from [`PERMISSIONS`].
    pub fn may(self, permission: Permission) -> bool {
        PERMISSIONS.iter().any(|(granted, roles)| *granted == permission && roles.contains(&self))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Role::ALL.into_iter().find(|role| role.as_str() == text).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
            Error::parse(format!("'{text}' is not a role (one of: {})", names.join(", ")))
        })
    }
}

/// Something a person can ask the system to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read published questions, responses and discharged actions.
    ViewPublished,
    /// Read meetings, questions and actions before they are published.
    ViewDrafts,
    /// Create and edit meetings and their agenda items.
    EditMeetings,
    /// Ask a question of the force.
    AskQuestion,
    /// Draft and submit the force's response to a question.
    RespondToQuestion,
    /// Publish a question with its response.
    PublishQuestion,
    /// Raise an action and edit its text, owner and due date.
    RaiseAction,
    /// Add a progress update to an action.
    UpdateActionProgress,
    /// Discharge an action, saying how and where.
    DischargeAction,
    /// Read the audit log.
    ViewAuditLog,
    /// Create accounts.
    ManageUsers,
    /// Draft a decision record and edit it until it is signed.
    EditDecisions,
    /// Record a sign-off (Chief Finance Officer, Chief Executive, PCC) of a decision.
    SignDecision,
    /// Publish a signed, open decision.
    PublishDecision,
    /// Read confidential decisions (others see only open ones).
    ViewConfidential,
    /// Record inspection reports and their recommendations, and the PCC's response.
    EditInspections,
    /// Update the force's position and status of an inspection recommendation.
    UpdateRecommendation,
    /// Submit a question to the Commissioner for a panel meeting (a panel
    /// member, or a panel officer on a member's behalf).
    SubmitPanelQuestion,
    /// Record the Commissioner's answer to a panel question and publish it.
    AnswerPanelQuestion,
    /// Keep the panel's forward work programme.
    EditWorkProgramme,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::ViewPublished,
        Permission::ViewDrafts,
        Permission::EditMeetings,
        Permission::AskQuestion,
        Permission::RespondToQuestion,
        Permission::PublishQuestion,
        Permission::RaiseAction,
        Permission::UpdateActionProgress,
        Permission::DischargeAction,
        Permission::ViewAuditLog,
        Permission::ManageUsers,
        Permission::EditDecisions,
        Permission::SignDecision,
        Permission::PublishDecision,
        Permission::ViewConfidential,
        Permission::EditInspections,
        Permission::UpdateRecommendation,
        Permission::SubmitPanelQuestion,
        Permission::AnswerPanelQuestion,
        Permission::EditWorkProgramme,
    ];
}

use Role::{Administrator as Admin, Editor, ForceResponder as Force, PanelMember as Panel, Public};

/// Who may do what: the one table the web layer enforces and the tests iterate.
pub const PERMISSIONS: &[(Permission, &[Role])] = &[
    (Permission::ViewPublished, &[Admin, Editor, Force, Panel, Public]),
    (Permission::ViewDrafts, &[Admin, Editor, Force, Panel]),
    (Permission::EditMeetings, &[Admin, Editor]),
    (Permission::AskQuestion, &[Admin, Editor]),
    (Permission::RespondToQuestion, &[Force]),
    (Permission::PublishQuestion, &[Admin, Editor]),
    (Permission::RaiseAction, &[Admin, Editor]),
    (Permission::UpdateActionProgress, &[Admin, Editor, Force]),
    (Permission::DischargeAction, &[Admin, Editor]),
    (Permission::ViewAuditLog, &[Admin]),
    (Permission::ManageUsers, &[Admin]),
    (Permission::EditDecisions, &[Admin, Editor]),
    (Permission::SignDecision, &[Admin, Editor]),
    (Permission::PublishDecision, &[Admin, Editor]),
    (Permission::ViewConfidential, &[Admin, Editor]),
    (Permission::EditInspections, &[Admin, Editor]),
    (Permission::UpdateRecommendation, &[Admin, Editor, Force]),
    // The panel officer works as an OPCC administrator or editor.
    (Permission::SubmitPanelQuestion, &[Admin, Editor, Panel]),
    (Permission::AnswerPanelQuestion, &[Admin, Editor]),
    (Permission::EditWorkProgramme, &[Admin, Editor]),
];

/// A calendar date, for due dates and the inspection clock (the core reads no
/// clock: "today" is always given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, Error> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || !(1900..=9999).contains(&year)
        {
            return Err(Error::parse(format!("{year:04}-{month:02}-{day:02} is not a date")));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` since 1970-01-01 (civil_from_days).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    pub fn day(self) -> u32 {
        self.day
    }

    /// The calendar month the date falls in.
    pub fn year_month(self) -> crate::YearMonth {
        crate::YearMonth::new(self.year, self.month).expect("a date's month is a month")
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = || Error::parse(format!("'{text}' is not a date (write it as YYYY-MM-DD)"));
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [year, month, day] = parts.as_slice() else { return Err(bad()) };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(bad());
        }
        let year = year.parse().map_err(|_| bad())?;
        let month = month.parse().map_err(|_| bad())?;
        let day = day.parse().map_err(|_| bad())?;
        Date::new(year, month, day).map_err(|_| bad())
    }
}

/// Where a question is in its life: the office asks, the force responds,
/// the office publishes question and response together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionState {
    Asked,
    Responded,
    Published,
}

impl QuestionState {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionState::Asked => "asked",
            QuestionState::Responded => "responded",
            QuestionState::Published => "published",
        }
    }

    /// The state after the force submits a response. A response may be
    /// revised until the question is published.
    pub fn respond(self) -> Result<QuestionState, Error> {
        match self {
            QuestionState::Asked | QuestionState::Responded => Ok(QuestionState::Responded),
            QuestionState::Published => Err(transition("a published question", "responded to")),
        }
    }

    /// The state after the office publishes; only a responded question can be.
    pub fn publish(self) -> Result<QuestionState, Error> {
        match self {
            QuestionState::Responded => Ok(QuestionState::Published),
            QuestionState::Asked => Err(transition("a question without a response", "published")),
            QuestionState::Published => Err(transition("a published question", "published again")),
        }
    }

    /// Whether the question's own text may still be edited.
    pub fn question_editable(self) -> bool {
        self == QuestionState::Asked
    }
}

impl FromStr for QuestionState {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text {
            "asked" => Ok(QuestionState::Asked),
            "responded" => Ok(QuestionState::Responded),
            "published" => Ok(QuestionState::Published),
            _ => Err(Error::parse(format!("'{text}' is not a question state"))),
        }
    }
}

fn transition(what: &str, verb: &str) -> Error {
    Error::new(crate::ErrorKind::Transition, format!("{what} cannot be {verb}"))
}

/// Whether an action is still to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    Open,
    Discharged,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Discharged => "discharged",
        }
    }

    /// Discharging is one-way: a discharged action is not reopened (a new
    /// action is raised instead, so the record of the discharge stays).
    pub fn discharge(self) -> Result<ActionStatus, Error> {
        match self {
            ActionStatus::Open => Ok(ActionStatus::Discharged),
            ActionStatus::Discharged => Err(transition("a discharged action", "discharged again")),
        }
    }
}

impl FromStr for ActionStatus {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text {
            "open" => Ok(ActionStatus::Open),
            "discharged" => Ok(ActionStatus::Discharged),
            _ => Err(Error::parse(format!("'{text}' is not an action status"))),
        }
    }
}

/// Where an action was discharged, as the seed notes record it ("reported in
/// item 3 paper", "briefed outside of meeting").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DischargedWhere {
    /// At an item of a later meeting.
    MeetingItem,
    /// In a paper.
    Paper,
    /// Briefed outside of a meeting.
    OutsideMeeting,
}

impl DischargedWhere {
    pub const ALL: [DischargedWhere; 3] =
        [DischargedWhere::MeetingItem, DischargedWhere::Paper, DischargedWhere::OutsideMeeting];

    pub fn as_str(self) -> &'static str {
        match self {
            DischargedWhere::MeetingItem => "meeting-item",
            DischargedWhere::Paper => "paper",
            DischargedWhere::OutsideMeeting => "outside-meeting",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DischargedWhere::MeetingItem => "At a meeting item",
            DischargedWhere::Paper => "In a paper",
            DischargedWhere::OutsideMeeting => "Briefed outside of meeting",
        }
    }
}

impl FromStr for DischargedWhere {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        DischargedWhere::ALL
            .into_iter()
            .find(|place| place.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a place of discharge")))
    }
}

/// How long after a meeting its notes take in what is recorded: a discharge
/// the office records in the days after the meeting (as it writes the notes
/// up) belongs to that meeting's notes.
pub const NOTES_GRACE_DAYS: i64 = 14;

/// The day (exclusive) up to which the notes of a meeting on `meeting` show
/// what was recorded: [`NOTES_GRACE_DAYS`] after it, but never into the next
/// meeting of its kind (`next`); with no next meeting yet, everything so far
/// (`None`): the newest meeting's notes are the current record.
pub fn notes_cutoff(meeting: Date, next: Option<Date>) -> Option<Date> {
    next.map(|next| meeting.add_days(NOTES_GRACE_DAYS).min(next))
}

/// Whether the notes of a meeting on `meeting` give an update on an action
/// raised at an earlier meeting on `raised_at` (the seed's "action updates"
/// under "Notes of previous meeting"), given its status as those notes show
/// it ([`action_status_on`]): it is reported while it is open, and once more
/// in the notes whose window holds its discharge — recorded on or after the
/// cutoff of the meeting before (`previous_cutoff`, [`notes_cutoff`]; none
/// for the first meeting). An action raised at this meeting or later is not
/// an update.
pub fn gives_action_update(
    status: ActionStatus,
    discharged_on: Option<Date>,
    raised_at: Date,
    meeting: Date,
    previous_cutoff: Option<Date>,
) -> bool {
    if raised_at >= meeting {
        return false;
    }
    match status {
        ActionStatus::Open => true,
        ActionStatus::Discharged => match (discharged_on, previous_cutoff) {
            (Some(discharged), Some(cutoff)) => discharged >= cutoff,
            _ => true,
        },
    }
}

/// An action's status as the notes of a meeting show it: a discharge
/// recorded on or after the notes' `cutoff` ([`notes_cutoff`]) came later,
/// so the action was still open then; with no cutoff, its status now.
pub fn action_status_on(status: ActionStatus, discharged_on: Option<Date>, cutoff: Option<Date>) -> ActionStatus {
    match (status, discharged_on, cutoff) {
        (ActionStatus::Discharged, Some(discharged), Some(cutoff)) if discharged >= cutoff => ActionStatus::Open,
        _ => status,
    }
}

/// An action is overdue when it is open and its due date has passed.
pub fn is_overdue(status: ActionStatus, due: Option<Date>, today: Date) -> bool {
    status == ActionStatus::Open && due.is_some_and(|due| due < today)
}

/// The kind of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingKind {
    /// The Performance and Delivery Board.
    Board,
    /// The Police and Crime Panel.
    Panel,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 2] = [MeetingKind::Board, MeetingKind::Panel];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Board => "board",
            MeetingKind::Panel => "panel",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::Board => "Performance and Delivery Board",
            MeetingKind::Panel => "Police and Crime Panel",
        }
    }
}

impl FromStr for MeetingKind {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        MeetingKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a kind of meeting (board or panel)")))
    }
}

/// What a meeting paper is about: the board's standing papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperCategory {
    /// The quarterly Delivery & Performance paper.
    Performance,
    InspectionsAuditsReviews,
    People,
    Finance,
    Collaboration,
    Other,
}

impl PaperCategory {
    pub const ALL: [PaperCategory; 6] = [
        PaperCategory::Performance,
        PaperCategory::InspectionsAuditsReviews,
        PaperCategory::People,
        PaperCategory::Finance,
        PaperCategory::Collaboration,
        PaperCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaperCategory::Performance => "performance",
            PaperCategory::InspectionsAuditsReviews => "inspections-audits-reviews",
            PaperCategory::People => "people",
            PaperCategory::Finance => "finance",
            PaperCategory::Collaboration => "collaboration",
            PaperCategory::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaperCategory::Performance => "Delivery & Performance",
            PaperCategory::InspectionsAuditsReviews => "Inspections, Audits & Reviews",
            PaperCategory::People => "People",
            PaperCategory::Finance => "Finance",
            PaperCategory::Collaboration => "Collaboration",
            PaperCategory::Other => "Other",
        }
    }
}

impl FromStr for PaperCategory {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        PaperCategory::ALL
            .into_iter()
            .find(|category| category.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a category of paper")))
    }
}

/// Where a meeting paper came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperSource {
    /// Rendered by Scrutiny from the records store (a snapshot: later imports never change it).
    Generated,
    /// A file an editor uploaded.
    Uploaded,
}

impl PaperSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PaperSource::Generated => "generated",
            PaperSource::Uploaded => "uploaded",
        }
    }
}

impl FromStr for PaperSource {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text {
            "generated" => Ok(PaperSource::Generated),
            "uploaded" => Ok(PaperSource::Uploaded),
            _ => Err(Error::parse(format!("'{text}' is not a source of paper (generated or uploaded)"))),
        }
    }
}

/// The kinds of file a meeting paper may be, told apart by their contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperFormat {
    Pdf,
    Docx,
}

impl PaperFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            PaperFormat::Pdf => "application/pdf",
            PaperFormat::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaperFormat::Pdf => "PDF",
            PaperFormat::Docx => "Word document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            PaperFormat::Pdf => "pdf",
            PaperFormat::Docx => "docx",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<PaperFormat> {
        [PaperFormat::Pdf, PaperFormat::Docx].into_iter().find(|format| format.media_type() == media_type)
    }
}

/// A size in bytes as people read it: "512 bytes", "48 KB", "1.4 MB".
pub fn file_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// A decision's reference, `OPCC.D.024.20`: the 24th decision of 2020.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DecisionReference {
    pub year: i32,
    pub number: u32,
}

impl DecisionReference {
    /// The next reference in `year`, after those already allocated.
    pub fn next(allocated: &[DecisionReference], year: i32) -> DecisionReference {
        let number =
            allocated.iter().filter(|reference| reference.year == year).map(|r| r.number).max().unwrap_or(0) + 1;
        DecisionReference { year, number }
    }
}

impl fmt::Display for DecisionReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OPCC.D.{:03}.{:02}", self.number, self.year.rem_euclid(100))
    }
}

impl FromStr for DecisionReference {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let bad = || Error::parse(format!("'{text}' is not a decision reference (like OPCC.D.024.20)"));
        let rest = text.strip_prefix("OPCC.D.").ok_or_else(bad)?;
        let (number, year) = rest.split_once('.').ok_or_else(bad)?;
        if number.len() != 3 || year.len() != 2 || !number.bytes().chain(year.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u32 = number.parse().map_err(|_| bad())?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if number == 0 {
            return Err(bad());
        }
        Ok(DecisionReference { year: 2000 + year, number })
    }
}

/// Where a decision record is: drafted (editable), being signed (the first
/// sign-off fixes its text), signed by all three, published. Once a sign-off
/// is recorded the record never changes; a correction is a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionState {
    Draft,
    Signing,
    Signed,
    Published,
}

impl DecisionState {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionState::Draft => "draft",
            DecisionState::Signing => "signing",
            DecisionState::Signed => "signed",
            DecisionState::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionState::Draft => "Draft",
            DecisionState::Signing => "Being signed",
            DecisionState::Signed => "Signed",
            DecisionState::Published => "Published",
        }
    }

    /// Whether the record may be edited in place (only before any sign-off).
    pub fn editable(self) -> bool {
        self == DecisionState::Draft
    }

    /// The state after `signatory` signs, given who has signed already.
    /// Sign-offs follow the record's order: Chief Finance Officer, Chief
    /// Executive, then the PCC, whose signature makes the decision.
    pub fn sign(self, signed: &[Signatory], signatory: Signatory) -> Result<DecisionState, Error> {
        if matches!(self, DecisionState::Signed | DecisionState::Published) {
            return Err(transition("a signed decision", "signed again"));
        }
        match Signatory::next(signed) {
            Some(next) if next == signatory => {
                Ok(if signatory == Signatory::Commissioner { DecisionState::Signed } else { DecisionState::Signing })
            }
            Some(next) => Err(Error::new(
                crate::ErrorKind::Transition,
                format!("the {} signs next, before the {}", next.label(), signatory.label()),
            )),
            None => Err(transition("a decision signed by everyone", "signed again")),
        }
    }

    /// The state after publication: only a signed, open decision is published.
    pub fn publish(self, disclosure: Disclosure) -> Result<DecisionState, Error> {
        match (self, disclosure) {
            (_, Disclosure::Confidential) => Err(transition("a confidential decision", "published")),
            (DecisionState::Signed, Disclosure::Open) => Ok(DecisionState::Published),
            (DecisionState::Published, _) => Err(transition("a published decision", "published again")),
            _ => Err(transition("a decision the PCC has not signed", "published")),
        }
    }

    /// Whether a correction (a new version) may be drafted from this record.
    pub fn correctable(self) -> bool {
        matches!(self, DecisionState::Signed | DecisionState::Published)
    }
}

impl FromStr for DecisionState {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        [DecisionState::Draft, DecisionState::Signing, DecisionState::Signed, DecisionState::Published]
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a decision state")))
    }
}

/// Whether the public may read a decision: published and open, never confidential.
pub fn decision_is_public(state: DecisionState, disclosure: Disclosure) -> bool {
    state == DecisionState::Published && disclosure == Disclosure::Open
}

/// Whether a decision record is open to the public or confidential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    Open,
    Confidential,
}

impl Disclosure {
    pub fn as_str(self) -> &'static str {
        match self {
            Disclosure::Open => "open",
            Disclosure::Confidential => "confidential",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Disclosure::Open => "Open",
            Disclosure::Confidential => "Confidential",
        }
    }
}

impl FromStr for Disclosure {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        match text.trim().to_lowercase().as_str() {
            "open" => Ok(Disclosure::Open),
            "confidential" => Ok(Disclosure::Confidential),
            _ => Err(Error::parse(format!("'{text}' is not open or confidential"))),
        }
    }
}

/// Who signs a decision record, in the order of the seed's Record of Decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signatory {
    ChiefFinanceOfficer,
    ChiefExecutive,
    Commissioner,
}

impl Signatory {
    /// The order of sign-off.
    pub const ORDER: [Signatory; 3] =
        [Signatory::ChiefFinanceOfficer, Signatory::ChiefExecutive, Signatory::Commissioner];

    pub fn as_str(self) -> &'static str {
        match self {
            Signatory::ChiefFinanceOfficer => "cfo",
            Signatory::ChiefExecutive => "chief-executive",
            Signatory::Commissioner => "pcc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Signatory::ChiefFinanceOfficer => "Chief Finance Officer",
            Signatory::ChiefExecutive => "Chief Executive",
            Signatory::Commissioner => "Police and Crime Commissioner",
        }
    }

    /// Who signs next, given who has signed (`None` when all have).
    pub fn next(signed: &[Signatory]) -> Option<Signatory> {
        Signatory::ORDER.into_iter().find(|signatory| !signed.contains(signatory))
    }
}

impl FromStr for Signatory {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Signatory::ORDER
            .into_iter()
            .find(|signatory| signatory.as_str() == text)
            .ok_or_else(|| Error::parse(format!("'{text}' is not a signatory (cfo, chief-executive or pcc)")))
    }
}

/// Where the force is with an inspection recommendation (HMICFRS's tracker's statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecommendationStatus {
    AwaitingReview,
    BeingProgressed,
    Complete,
}

impl RecommendationStatus {
    pub const ALL: [RecommendationStatus; 3] =
        [RecommendationStatus::AwaitingReview, RecommendationStatus::BeingProgressed, RecommendationStatus::Complete];

    pub fn as_str(self) -> &'static str {
        match self {
            RecommendationStatus::AwaitingReview => "awaiting-review",
            RecommendationStatus::BeingProgressed => "being-progressed",
            RecommendationStatus::Complete => "complete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecommendationStatus::AwaitingReview => "Awaiting review",
            RecommendationStatus::BeingProgressed => "Being progressed",
            RecommendationStatus::Complete => "Complete",
        }
    }
}

impl FromStr for RecommendationStatus {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        RecommendationStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text || status.label().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                Error::parse(format!("'{text}' is not a status (awaiting review, being progressed or complete)"))
            })
    }
}

/// The PCC must publish a response to an HMICFRS report within 56 days of
/// its publication (Police Act 1996, s.55).
pub const INSPECTION_RESPONSE_DAYS: i64 = 56;

/// The last day for the PCC's published response to a report published on `published`.
pub fn inspection_response_due(published: Date) -> Date {
    published.add_days(INSPECTION_RESPONSE_DAYS)
}

/// Where the PCC's published response to one inspection report stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseClock {
    /// The last day for the response (56 days from the report's publication).
    pub due: Date,
    /// Days from `today` to the due date (negative once it has passed).
    pub days_left: i64,
    /// When the response was published, if it has been.
    pub responded_on: Option<Date>,
}

impl ResponseClock {
    pub fn new(published: Date, responded_on: Option<Date>, today: Date) -> ResponseClock {
        let due = inspection_response_due(published);
        ResponseClock { due, days_left: due.days_since_epoch() - today.days_since_epoch(), responded_on }
    }

    /// No response yet and the due date has passed.
    pub fn overdue(&self) -> bool {
        self.responded_on.is_none() && self.days_left < 0
    }

    /// The response was published after the due date.
    pub fn late(&self) -> bool {
        self.responded_on.is_some_and(|on| on > self.due)
    }

    /// What the clock says, in words ("12 days left", "3 days overdue", "responded on …").
    pub fn describe(&self) -> String {
        let days = |n: i64| if n == 1 { "1 day".to_string() } else { format!("{n} days") };
        match self.responded_on {
            Some(on) if self.late() => format!(
                "responded on {on}, {} after the due date",
                days(on.days_since_epoch() - self.due.days_since_epoch())
            ),
            Some(on) => format!("responded on {on}"),
            None if self.days_left < 0 => format!("{} overdue", days(-self.days_left)),
            None if self.days_left == 0 => "due today".to_string(),
            None => format!("{} left", days(self.days_left)),
        }
    }
}

/// What is wrong with a form, field by field, in the order of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub errors: Vec<(&'static str, String)>,
}

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push((field, message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(name, _)| *name == field).map(|(_, message)| message.as_str())
    }

    pub(crate) fn required(&mut self, field: &'static str, value: &str, label: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, format!("{label} is required"));
        } else if value.chars().count() > max {
            self.add(field, format!("{label} is longer than {max} characters"));
        }
    }

    pub(crate) fn optional(&mut self, field: &'static str, value: &str, label: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("{label} is longer than {max} characters"));
        }
    }

    pub(crate) fn date(&mut self, field: &'static str, value: &str, required: bool) -> Option<Date> {
        if value.trim().is_empty() {
            if required {
                self.add(field, "a date is required (YYYY-MM-DD)");
            }
            return None;
        }
        match value.parse::<Date>() {
            Ok(date) => Some(date),
            Err(error) => {
                self.add(field, error.message().to_string());
                None
            }
        }
    }

    pub(crate) fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

pub(crate) const SHORT: usize = 200;
pub(crate) const LONG: usize = 20_000;

/// A meeting as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingForm {
    pub kind: String,
    pub title: String,
    pub date: String,
    pub venue: String,
    pub attendees: String,
}

/// A meeting that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFields {
    pub kind: MeetingKind,
    pub title: String,
    pub date: Date,
    pub venue: String,
    pub attendees: String,
}

impl MeetingForm {
    pub fn validate(&self) -> Result<MeetingFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match self.kind.parse::<MeetingKind>() {
            Ok(kind) => Some(kind),
            Err(error) => {
                errors.add("kind", error.message().to_string());
                None
            }
        };
        errors.required("title", &self.title, "the title", SHORT);
        let date = errors.date("date", &self.date, true);
        errors.optional("venue", &self.venue, "the venue", SHORT);
        errors.optional("attendees", &self.attendees, "the attendees", LONG);
        let (Some(kind), Some(date)) = (kind, date) else { return Err(errors) };
        errors.into_result(MeetingFields {
            kind,
            title: self.title.trim().to_string(),
            date,
            venue: self.venue.trim().to_string(),
            attendees: self.attendees.trim().to_string(),
        })
    }
}

/// A question as typed into a form: which paper and plan priority it is
/// about, and the question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionForm {
    pub paper: String,
    pub priority: String,
    pub text: String,
}

impl QuestionForm {
    pub fn validate(&self) -> Result<QuestionForm, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.required("paper", &self.paper, "the paper", SHORT);
        errors.optional("priority", &self.priority, "the priority", SHORT);
        errors.required("text", &self.text, "the question", LONG);
        errors.into_result(QuestionForm {
            paper: self.paper.trim().to_string(),
            priority: self.priority.trim().to_string(),
            text: self.text.trim().to_string(),
        })
    }
}

/// The force's response as typed.
pub fn validate_response(response: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::default();
    errors.required("response", response, "the response", LONG);
    errors.into_result(response.trim().to_string())
}

/// An action as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionForm {
    pub text: String,
    pub owner: String,
    pub due: String,
}

/// An action that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFields {
    pub text: String,
    pub owner: String,
    pub due: Option<Date>,
}

impl ActionForm {
    pub fn validate(&self) -> Result<ActionFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.required("text", &self.text, "the action", LONG);
        errors.required("owner", &self.owner, "the owner", SHORT);
        let due = errors.date("due", &self.due, false);
        errors.into_result(ActionFields {
            text: self.text.trim().to_string(),
            owner: self.owner.trim().to_string(),
            due,
        })
    }
}

/// A discharge as typed: the note and where it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DischargeForm {
    pub note: String,
    pub place: String,
    /// The meeting item or paper, when the place names one.
    pub reference: String,
}

/// A discharge that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeFields {
    pub note: String,
    pub place: DischargedWhere,
    pub reference: String,
}

impl DischargeForm {
    pub fn validate(&self) -> Result<DischargeFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.required("note", &self.note, "the discharge note", LONG);
        let place = match self.place.parse::<DischargedWhere>() {
            Ok(place) => Some(place),
            Err(_) => {
                errors.add("place", "say where the action was discharged");
                None
            }
        };
        if matches!(place, Some(DischargedWhere::MeetingItem | DischargedWhere::Paper)) {
            errors.required("reference", &self.reference, "the item or paper", SHORT);
        } else {
            errors.optional("reference", &self.reference, "the item or paper", SHORT);
        }
        let Some(place) = place else { return Err(errors) };
        errors.into_result(DischargeFields {
            note: self.note.trim().to_string(),
            place,
            reference: self.reference.trim().to_string(),
        })
    }
}

/// A decision record as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionForm {
    pub originator: String,
    pub title: String,
    pub executive_summary: String,
    pub recommendation: String,
    pub decision: String,
    /// "open" or "confidential".
    pub disclosure: String,
    pub confidential_reason: String,
    /// Plan priorities the decision supports, as `plan-id/priority-id`.
    pub objectives: Vec<String>,
    /// How it supports them, in words.
    pub objectives_statement: String,
    pub equality_impact: String,
}

/// A decision record that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFields {
    pub originator: String,
    pub title: String,
    pub executive_summary: String,
    pub recommendation: String,
    pub decision: String,
    pub disclosure: Disclosure,
    pub confidential_reason: String,
    pub objectives: Vec<String>,
    pub objectives_statement: String,
    pub equality_impact: String,
}

impl DecisionForm {
    /// Checks the form; `known_objectives` are the `plan-id/priority-id` keys of the plans.
    pub fn validate(&self, known_objectives: &[String]) -> Result<DecisionFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.required("originator", &self.originator, "the originator", SHORT);
        errors.required("title", &self.title, "the title", SHORT);
        errors.required("executive_summary", &self.executive_summary, "the executive summary", LONG);
        errors.required("recommendation", &self.recommendation, "the recommendation", LONG);
        errors.required("decision", &self.decision, "the decision", LONG);
        let disclosure = match self.disclosure.parse::<Disclosure>() {
            Ok(disclosure) => Some(disclosure),
            Err(_) => {
                errors.add("disclosure", "say whether the decision is open or confidential");
                None
            }
        };
        if disclosure == Some(Disclosure::Confidential) {
            errors.required("confidential_reason", &self.confidential_reason, "the reason it is confidential", LONG);
        } else {
            errors.optional("confidential_reason", &self.confidential_reason, "the reason", LONG);
        }
        let mut objectives: Vec<String> = Vec::new();
        for objective in &self.objectives {
            let objective = objective.trim();
            if objective.is_empty() || objectives.iter().any(|known| known == objective) {
                continue;
            }
            if !known_objectives.iter().any(|known| known == objective) {
                errors.add("objectives", format!("'{objective}' is not a priority of a plan"));
            }
            objectives.push(objective.to_string());
        }
        errors.optional("objectives_statement", &self.objectives_statement, "the statement", LONG);
        errors.optional("equality_impact", &self.equality_impact, "the equality impact", LONG);
        let Some(disclosure) = disclosure else { return Err(errors) };
        errors.into_result(DecisionFields {
            originator: self.originator.trim().to_string(),
            title: self.title.trim().to_string(),
            executive_summary: self.executive_summary.trim().to_string(),
            recommendation: self.recommendation.trim().to_string(),
            decision: self.decision.trim().to_string(),
            disclosure,
            confidential_reason: if disclosure == Disclosure::Confidential {
                self.confidential_reason.trim().to_string()
            } else {
                String::new()
            },
            objectives,
            objectives_statement: self.objectives_statement.trim().to_string(),
            equality_impact: self.equality_impact.trim().to_string(),
        })
    }
}

/// A sign-off as typed: who signs (by office), their name, comment and date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOffForm {
    pub signatory: String,
    pub name: String,
    pub comment: String,
    pub date: String,
}

/// A sign-off that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOffFields {
    pub signatory: Signatory,
    pub name: String,
    pub comment: String,
    pub date: Date,
}

impl SignOffForm {
    pub fn validate(&self) -> Result<SignOffFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let signatory = match self.signatory.parse::<Signatory>() {
            Ok(signatory) => Some(signatory),
            Err(error) => {
                errors.add("signatory", error.message().to_string());
                None
            }
        };
        errors.required("name", &self.name, "the name of who signs", SHORT);
        errors.optional("comment", &self.comment, "the comment", LONG);
        let date = errors.date("date", &self.date, true);
        let (Some(signatory), Some(date)) = (signatory, date) else { return Err(errors) };
        errors.into_result(SignOffFields {
            signatory,
            name: self.name.trim().to_string(),
            comment: self.comment.trim().to_string(),
            date,
        })
    }
}

/// An inspection report as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionForm {
    /// Who inspected (for example "HMICFRS").
    pub body: String,
    pub title: String,
    pub published: String,
}

/// An inspection report that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionFields {
    pub body: String,
    pub title: String,
    pub published: Date,
}

impl InspectionForm {
    pub fn validate(&self) -> Result<InspectionFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        errors.required("body", &self.body, "the inspecting body", SHORT);
        errors.required("title", &self.title, "the title", SHORT);
        let published = errors.date("published", &self.published, true);
        let Some(published) = published else { return Err(errors) };
        errors.into_result(InspectionFields {
            body: self.body.trim().to_string(),
            title: self.title.trim().to_string(),
            published,
        })
    }
}

/// A recommendation of a report as typed, or an update to one: its text
/// (for a new one), the force's position, the lead, the status, and a note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecommendationForm {
    pub text: String,
    pub force_position: String,
    pub lead: String,
    pub status: String,
    /// What changed, for the dated history.
    pub note: String,
}

/// A recommendation that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationFields {
    pub text: String,
    pub force_position: String,
    pub lead: String,
    pub status: RecommendationStatus,
    pub note: String,
}

impl RecommendationForm {
    /// Checks the form; `with_text` for a new recommendation (an update keeps its text).
    pub fn validate(&self, with_text: bool) -> Result<RecommendationFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        if with_text {
            errors.required("text", &self.text, "the recommendation", LONG);
        }
        errors.optional("force_position", &self.force_position, "the force's position", LONG);
        errors.optional("lead", &self.lead, "the lead", SHORT);
        let status = match self.status.parse::<RecommendationStatus>() {
            Ok(status) => Some(status),
            Err(error) => {
                errors.add("status", error.message().to_string());
                None
            }
        };
        errors.optional("note", &self.note, "the note", LONG);
        let Some(status) = status else { return Err(errors) };
        errors.into_result(RecommendationFields {
            text: self.text.trim().to_string(),
            force_position: self.force_position.trim().to_string(),
            lead: self.lead.trim().to_string(),
            status,
            note: self.note.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn paper_categories_read_back_and_sizes_read_as_people_say_them() {
        for category in PaperCategory::ALL {
            assert_eq!(category.as_str().parse::<PaperCategory>().unwrap(), category);
        }
        assert!("minutes".parse::<PaperCategory>().is_err());
        assert_eq!(file_size(900), "900 bytes");
        assert_eq!(file_size(48 * 1024 + 1), "49 KB");
        assert_eq!(file_size(1_468_006), "1.4 MB");
        assert_eq!(PaperFormat::from_media_type("application/pdf"), Some(PaperFormat::Pdf));
        assert_eq!(PaperFormat::from_media_type("image/png"), None);
    }
    use super::*;

    #[test]
    fn every_permission_has_a_row_and_only_administrators_read_the_audit_log() {
        for permission in Permission::ALL {
            assert_eq!(PERMISSIONS.iter().filter(|(granted, _)| *granted == permission).count(), 1, "{permission:?}");
        }
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|role| role.may(Permission::ViewAuditLog)).collect();
        assert_eq!(readers, vec![Role::Administrator]);
        for permission in Permission::ALL.into_iter().filter(|p| *p != Permission::ViewPublished) {
            assert!(!Role::Public.may(permission), "the public must not {permission:?}");
        }
        assert!(!Role::ForceResponder.may(Permission::AskQuestion));
        assert!(!Role::ForceResponder.may(Permission::PublishQuestion));
        assert!(Role::ForceResponder.may(Permission::RespondToQuestion));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("pcc".parse::<Role>().unwrap_err().message().contains("one of: administrator"));
    }

    #[test]
    fn questions_move_asked_responded_published_only() {
        let asked = QuestionState::Asked;
        assert!(asked.publish().is_err());
        let responded = asked.respond().unwrap();
        assert_eq!(responded.respond().unwrap(), QuestionState::Responded);
        let published = responded.publish().unwrap();
        assert_eq!(published, QuestionState::Published);
        assert!(published.respond().is_err());
        assert!(published.publish().is_err());
        assert!(!responded.question_editable());
    }

    #[test]
    fn actions_discharge_once_and_overdue_needs_open_and_past_due() {
        assert_eq!(ActionStatus::Open.discharge().unwrap(), ActionStatus::Discharged);
        assert!(ActionStatus::Discharged.discharge().is_err());
        let today: Date = "2024-10-01".parse().unwrap();
        let yesterday = today.add_days(-1);
        assert!(is_overdue(ActionStatus::Open, Some(yesterday), today));
        assert!(!is_overdue(ActionStatus::Open, Some(today), today));
        assert!(!is_overdue(ActionStatus::Discharged, Some(yesterday), today));
        assert!(!is_overdue(ActionStatus::Open, None, today));
    }

    #[test]
    fn a_past_meeting_sees_an_action_as_it_stood_then() {
        let date = |text: &str| -> Date { text.parse().unwrap() };
        let (june, september, december) = (date("2024-06-13"), date("2024-09-12"), date("2024-12-05"));
        assert_eq!(notes_cutoff(june, Some(september)), Some(date("2024-06-27")), "two weeks to write them up");
        assert_eq!(
            notes_cutoff(date("2024-09-01"), Some(date("2024-09-08"))),
            Some(date("2024-09-08")),
            "not into the next"
        );
        assert_eq!(notes_cutoff(december, None), None, "the newest meeting's notes are the current record");
        let discharged = ActionStatus::Discharged;
        let june_cutoff = notes_cutoff(june, Some(september));
        assert_eq!(action_status_on(discharged, Some(september), june_cutoff), ActionStatus::Open);
        assert_eq!(action_status_on(discharged, Some(date("2024-06-20")), june_cutoff), discharged, "written up after");
        assert_eq!(action_status_on(discharged, Some(september), notes_cutoff(september, Some(december))), discharged);
        assert_eq!(action_status_on(discharged, Some(date("2026-12-02")), None), discharged, "recorded long after");
        assert_eq!(action_status_on(ActionStatus::Open, None, june_cutoff), ActionStatus::Open);
    }

    #[test]
    fn action_updates_report_open_actions_and_each_discharge_once() {
        let date = |text: &str| -> Date { text.parse().unwrap() };
        let (june, september, december) = (date("2024-06-13"), date("2024-09-12"), date("2024-12-05"));
        let (june_cutoff, september_cutoff) =
            (notes_cutoff(june, Some(september)), notes_cutoff(september, Some(december)));
        let open = ActionStatus::Open;
        let discharged = ActionStatus::Discharged;
        // Raised in June, still open: reported in September and December.
        assert!(gives_action_update(open, None, june, september, june_cutoff));
        assert!(gives_action_update(open, None, june, december, september_cutoff));
        // Discharged at the September meeting, recorded two days later: reported in September, not again in December.
        let recorded = Some(date("2024-09-14"));
        assert!(gives_action_update(discharged, recorded, june, september, june_cutoff));
        assert!(!gives_action_update(discharged, recorded, june, december, september_cutoff));
        // Briefed outside a meeting in July: reported in September.
        assert!(gives_action_update(discharged, Some(date("2024-07-20")), june, september, june_cutoff));
        // Discharged between meetings: reported at the next one.
        assert!(gives_action_update(discharged, Some(date("2024-10-01")), june, december, september_cutoff));
        // Raised at this meeting or later: not an update.
        assert!(!gives_action_update(open, None, september, september, june_cutoff));
        assert!(!gives_action_update(open, None, december, september, june_cutoff));
    }

    #[test]
    fn dates_parse_strictly_and_count_days() {
        assert!("2024-02-29".parse::<Date>().is_ok());
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "1/10/2024", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        let date: Date = "2024-03-01".parse().unwrap();
        assert_eq!(date.add_days(-1).to_string(), "2024-02-29");
        assert_eq!("1970-01-01".parse::<Date>().unwrap().days_since_epoch(), 0);
        for days in [-1000, 0, 19_000, 20_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn the_inspection_clock_is_56_days_from_publication() {
        let published: Date = "2024-01-10".parse().unwrap();
        assert_eq!(inspection_response_due(published).to_string(), "2024-03-06");
    }

    #[test]
    fn decision_references_are_allocated_per_year() {
        let seed: DecisionReference = "OPCC.D.024.20".parse().unwrap();
        assert_eq!(seed, DecisionReference { year: 2020, number: 24 });
        assert_eq!(seed.to_string(), "OPCC.D.024.20");
        assert_eq!(DecisionReference::next(&[seed], 2020).to_string(), "OPCC.D.025.20");
        assert_eq!(DecisionReference::next(&[seed], 2021).to_string(), "OPCC.D.001.21");
        for bad in ["OPCC.D.24.20", "OPCC.D.000.20", "D.024.20", "OPCC.D.024.2020"] {
            assert!(bad.parse::<DecisionReference>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forms_say_what_is_wrong_field_by_field() {
        let errors =
            MeetingForm { kind: "x".into(), title: " ".into(), date: "2024-02-30".into(), ..Default::default() }
                .validate()
                .unwrap_err();
        assert!(errors.get("kind").is_some());
        assert_eq!(errors.get("title"), Some("the title is required"));
        assert!(errors.get("date").unwrap().contains("not a date"));
        let discharge = DischargeForm { note: "Reported".into(), place: "paper".into(), reference: String::new() };
        assert_eq!(discharge.validate().unwrap_err().get("reference"), Some("the item or paper is required"));
        let outside =
            DischargeForm { note: "Briefed".into(), place: "outside-meeting".into(), reference: String::new() };
        assert_eq!(outside.validate().unwrap().place, DischargedWhere::OutsideMeeting);
        let action = ActionForm { text: "Report back".into(), owner: "DCC".into(), due: String::new() };
        assert_eq!(action.validate().unwrap().due, None);
    }

    #[test]
    fn decisions_are_signed_in_the_records_order_and_fixed_once_signing_starts() {
        use Signatory::*;
        let draft = DecisionState::Draft;
        assert!(draft.editable());
        let error = draft.sign(&[], Commissioner).unwrap_err();
        assert!(error.message().contains("Chief Finance Officer signs next"), "{}", error.message());
        let signing = draft.sign(&[], ChiefFinanceOfficer).unwrap();
        assert_eq!(signing, DecisionState::Signing);
        assert!(!signing.editable(), "the first sign-off fixes the text");
        assert_eq!(signing.sign(&[ChiefFinanceOfficer], ChiefExecutive).unwrap(), DecisionState::Signing);
        let signed = signing.sign(&[ChiefFinanceOfficer, ChiefExecutive], Commissioner).unwrap();
        assert_eq!(signed, DecisionState::Signed);
        assert!(signed.sign(&Signatory::ORDER, Commissioner).is_err());
        assert!(signing.publish(Disclosure::Open).is_err(), "unsigned decisions are not published");
        assert!(signed.publish(Disclosure::Confidential).is_err(), "confidential decisions are never published");
        let published = signed.publish(Disclosure::Open).unwrap();
        assert!(decision_is_public(published, Disclosure::Open));
        assert!(!decision_is_public(signed, Disclosure::Open));
        assert!(!decision_is_public(published, Disclosure::Confidential));
        assert!(signed.correctable() && published.correctable() && !draft.correctable());
    }

    #[test]
    fn a_confidential_decision_needs_a_reason_and_objectives_are_plan_priorities() {
        let known = vec!["safer-in-kent/victims".to_string()];
        let form = DecisionForm {
            originator: "Chief Executive".into(),
            title: "New Complaints Legislation".into(),
            executive_summary: "The Policing and Crime Act 2017".into(),
            recommendation: "Adopt the appellate function".into(),
            decision: "From 1 February 2020, adopt it".into(),
            disclosure: "confidential".into(),
            objectives: vec!["safer-in-kent/victims".into(), "no-plan/none".into()],
            ..Default::default()
        };
        let errors = form.validate(&known).unwrap_err();
        assert_eq!(errors.get("confidential_reason"), Some("the reason it is confidential is required"));
        assert_eq!(errors.get("objectives"), Some("'no-plan/none' is not a priority of a plan"));
        let open = DecisionForm { disclosure: "open".into(), objectives: known.clone(), ..form };
        let fields = open.validate(&known).unwrap();
        assert_eq!((fields.disclosure, fields.objectives), (Disclosure::Open, known));
    }

    #[test]
    fn the_response_clock_counts_down_and_stands_out_when_overdue() {
        let published: Date = "2024-01-10".parse().unwrap();
        let clock = ResponseClock::new(published, None, "2024-03-01".parse().unwrap());
        assert_eq!((clock.days_left, clock.overdue(), clock.describe().as_str()), (5, false, "5 days left"));
        let late = ResponseClock::new(published, None, "2024-03-09".parse().unwrap());
        assert_eq!((late.overdue(), late.describe().as_str()), (true, "3 days overdue"));
        let answered =
            ResponseClock::new(published, Some("2024-03-07".parse().unwrap()), "2024-04-01".parse().unwrap());
        assert!(!answered.overdue() && answered.late());
        assert_eq!(answered.describe(), "responded on 2024-03-07, 1 day after the due date");
        assert_eq!("Being progressed".parse::<RecommendationStatus>().unwrap(), RecommendationStatus::BeingProgressed);
    }
}
