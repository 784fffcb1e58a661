//! Deterministic generator of synthetic force extracts (format v1,
//! docs/extract): crimes, outcomes, suspect activity and ASB incidents that
//! look like a real force's records.
//!
//! Three extract profiles:
//! - `seed-2024`: one force, Kent, September 2021 to July 2024, whose records
//!   reproduce exactly the figures of the Kent quarterly Delivery &
//!   Performance paper (May–July 2024) and of the force's answers of
//!   September 2022, under Scrutiny's counting rules; with its returns and
//!   per-call 999/101 records in `returns/` (docs/returns.md). The golden
//!   fixture and the demo.
//! - `national`: the 43 forces of England and Wales (or `--forces N`) over
//!   `--years Y` ending December 2024, each in its own sub-folder; about 100
//!   million records at the defaults, for benchmarks.
//! - `term`: one force (Kent, a tenth of its size) over the six whole
//!   calendar years 2019 – 2024 (`--years Y`), from the national profile's
//!   generator, for the end-of-term report and its golden test.
//!
//! And `survey-2019` ([`survey::generate`]): the respondents of the PCC's
//! Annual Policing Survey 2019 with its definition, and victim satisfaction
//! returns, reproducing the published survey figures.
//!
//! The same profile and options always give byte-identical files. Offence
//! codes come from the built-in classification (definitions/hocr.toml); the
//! figures and proportions are data files under `profiles/`.

mod calendar;
mod engine;
mod error;
mod plan;
mod profile;
mod random;
mod realism;
mod returns;
pub mod survey;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use scrutiny_core::definitions::Definitions;

pub use error::{Error, ErrorKind};

use profile::ForceSpec;
use realism::Realism;

const PROFILES: [&str; 4] = ["seed-2024", "national", "term", survey::PROFILE];

/// The sub-folder of the output that holds a profile's returns (`scrutiny import returns`).
pub const RETURNS_FOLDER: &str = "returns";

/// The names of the profiles [`generate`] knows.
pub fn profiles() -> &'static [&'static str] {
    &PROFILES
}

/// Options of a run; `None` takes the profile's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Number of forces (profile national; default 43).
    pub forces: Option<u32>,
    /// Number of years, ending with the profile's last month (profiles national, default 10, and term, default 6).
    pub years: Option<u32>,
    /// Seed of the random numbers (default: the profile's own).
    pub seed: Option<u64>,
}

/// One file written and how many rows it holds (extract.json counts as one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: PathBuf,
    pub rows: u64,
}

/// What one force's extract holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceSummary {
    pub force: String,
    /// The folder its files are in.
    pub folder: PathBuf,
    pub crimes: u64,
    pub outcomes: u64,
    pub suspect_events: u64,
    pub asb_incidents: u64,
    pub files: Vec<FileSummary>,
}

impl ForceSummary {
    /// Crimes, outcomes, suspect events and ASB incidents.
    pub fn records(&self) -> u64 {
        self.crimes + self.outcomes + self.suspect_events + self.asb_incidents
    }
}

/// What a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub profile: String,
    pub forces: Vec<ForceSummary>,
}

impl Summary {
    pub fn files(&self) -> impl Iterator<Item = &FileSummary> {
        self.forces.iter().flat_map(|force| force.files.iter())
    }

    pub fn crimes(&self) -> u64 {
        self.forces.iter().map(|force| force.crimes).sum()
    }

    pub fn outcomes(&self) -> u64 {
        self.forces.iter().map(|force| force.outcomes).sum()
    }

    pub fn suspect_events(&self) -> u64 {
        self.forces.iter().map(|force| force.suspect_events).sum()
    }

    pub fn asb_incidents(&self) -> u64 {
        self.forces.iter().map(|force| force.asb_incidents).sum()
    }

    /// Every record written (crimes, outcomes, suspect events, ASB incidents).
    pub fn records(&self) -> u64 {
        self.forces.iter().map(ForceSummary::records).sum()
    }
}

/// Generates `profile` into the folder `out` (created if missing; files of
/// the same names are replaced).
pub fn generate(profile: &str, options: &Options, out: &Path) -> Result<Summary, Error> {
    let forces = match profile {
        "seed-2024" => profile::seed_2024(options)?,
        "national" => profile::national(options)?,
        "term" => profile::term(options)?,
        survey::PROFILE => {
            return Err(Error::invalid_options(
                "profile survey-2019 writes a survey, not a force extract: call scrutiny_synth::survey::generate",
            ));
        }
        other => return Err(Error::unknown_profile(other, &PROFILES)),
    };
    let definitions = Definitions::builtin();
    let first = forces.iter().map(|force| force.from).min().expect("a profile has a force");
    let last = forces.iter().map(|force| force.to).max().expect("a profile has a force");
    let realism = Realism::load(&definitions.classification, first, last)?;
    std::fs::create_dir_all(out).map_err(|error| Error::io(out, error))?;

    // Forces are independent (each has its own seed), so two threads can
    // share them without changing a byte; the largest go first.
    let mut order: Vec<usize> = (0..forces.len()).collect();
    order.sort_by(|a, b| forces[*b].baseline_factor[0].total_cmp(&forces[*a].baseline_factor[0]).then(a.cmp(b)));
    let results: Mutex<Vec<Option<Result<ForceSummary, Error>>>> =
        Mutex::new((0..forces.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |count| count.get()).clamp(1, 2).min(forces.len());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let slot = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&index) = order.get(slot) else { break };
                    let result = generate_force(&forces[index], &realism, out);
                    let failed = result.is_err();
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(result);
                    }
                    if failed {
                        // Stop handing out work; the error is reported below.
                        next.store(order.len(), Ordering::Relaxed);
                        break;
                    }
                }
            });
        }
    });
    let results = results.into_inner().map_err(|_| Error::internal("a generator thread panicked"))?;
    let mut summaries = Vec::with_capacity(forces.len());
    let mut first_error = None;
    for result in results {
        match result {
            Some(Ok(summary)) => summaries.push(summary),
            Some(Err(error)) => {
                first_error.get_or_insert(error);
            }
            None => {}
        }
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    if summaries.len() != forces.len() {
        return Err(Error::internal("a force was not generated"));
    }
    if profile == "seed-2024" {
        let force = &forces[0];
        let files = returns::write_seed_returns(&force.name, force.seed, &out.join(RETURNS_FOLDER))?;
        summaries[0].files.extend(files);
    }
    if profile == "term" {
        let force = &forces[0];
        let files =
            returns::write_term_returns(&force.name, force.seed, force.from, force.to, &out.join(RETURNS_FOLDER))?;
        summaries[0].files.extend(files);
    }
    Ok(Summary { profile: profile.to_string(), forces: summaries })
}

fn generate_force(spec: &ForceSpec, realism: &Realism, out: &Path) -> Result<ForceSummary, Error> {
    let folder = match &spec.folder {
        Some(folder) => out.join(folder),
        None => out.to_path_buf(),
    };
    let mut records = engine::generate_force(spec, realism)?;
    let files = write::write_force(spec, realism, &mut records, &folder)?;
    Ok(ForceSummary {
        force: spec.name.clone(),
        folder,
        crimes: records.crimes.len() as u64,
        outcomes: records.outcomes.len() as u64,
        suspect_events: records.events.len() as u64,
        asb_incidents: records.asb.len() as u64,
        files,
    })
}
