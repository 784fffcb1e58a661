//! The same profile and options give byte-identical files.

use scrutiny_synth::{Options, generate};

use crate::util::{hash_files, seed_2024};

#[test]
fn seed_2024_twice_gives_the_same_bytes() {
    // Generate first: the shared run (seed_2024) is made meanwhile on the other thread.
    let folder = tempfile::tempdir().unwrap();
    let summary = generate("seed-2024", &Options::default(), folder.path()).unwrap();
    let hashes = hash_files(folder.path());
    let first = seed_2024();
    assert_eq!(
        hashes.keys().collect::<Vec<_>>(),
        [
            "asb.csv",
            "crimes.csv",
            "extract.json",
            "outcomes.csv",
            "returns/calls-101.csv",
            "returns/calls-999.csv",
            "returns/returns.csv",
            "returns/returns.json",
            "suspect-activity.csv"
        ]
    );
    assert_eq!(hashes, first.hashes);
    assert_eq!(summary.records(), first.summary.records());
}

#[test]
fn national_twice_gives_the_same_bytes_and_a_seed_changes_them() {
    let options = Options { forces: Some(2), years: Some(1), seed: None };
    let runs: Vec<_> = [options.clone(), options.clone(), Options { seed: Some(7), ..options }]
        .iter()
        .map(|options| {
            let folder = tempfile::tempdir().unwrap();
            generate("national", options, folder.path()).unwrap();
            hash_files(folder.path())
        })
        .collect();
    assert_eq!(runs[0].len(), 10);
    assert_eq!(runs[0], runs[1]);
    assert_ne!(runs[0]["avon-and-somerset/crimes.csv"], runs[2]["avon-and-somerset/crimes.csv"]);
}
