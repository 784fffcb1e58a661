//! Generates a profile into a folder and prints what was written and how
//! long it took: `cargo run --release -p scrutiny-synth --example generate --
//! PROFILE OUT [--forces N] [--years Y] [--seed S]`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use scrutiny_synth::{Options, generate};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate PROFILE OUT [--forces N] [--years Y] [--seed S]";
    if arguments.len() < 2 {
        eprintln!("{usage}");
        return ExitCode::FAILURE;
    }
    let mut options = Options::default();
    let mut rest = arguments[2..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().and_then(|value| value.parse::<u64>().ok());
        match (flag.as_str(), value) {
            ("--forces", Some(value)) => options.forces = u32::try_from(value).ok(),
            ("--years", Some(value)) => options.years = u32::try_from(value).ok(),
            ("--seed", Some(value)) => options.seed = Some(value),
            _ => {
                eprintln!("{usage}");
                return ExitCode::FAILURE;
            }
        }
    }
    let started = Instant::now();
    let summary = match generate(&arguments[0], &options, &PathBuf::from(&arguments[1])) {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    for force in &summary.forces {
        println!(
            "{:<24} {:>10} crimes {:>10} outcomes {:>10} suspect events {:>9} ASB  {}",
            force.force,
            force.crimes,
            force.outcomes,
            force.suspect_events,
            force.asb_incidents,
            force.folder.display()
        );
    }
    let records = summary.records();
    println!(
        "{} forces: {} crimes, {} outcomes, {} suspect events, {} ASB incidents = {} records in {:.1} s ({:.2} M records/s)",
        summary.forces.len(),
        summary.crimes(),
        summary.outcomes(),
        summary.suspect_events(),
        summary.asb_incidents(),
        records,
        seconds,
        records as f64 / seconds / 1e6
    );
    ExitCode::SUCCESS
}
