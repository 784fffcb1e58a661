//! The national profile at a tiny size writes a valid extract per force.

use scrutiny_synth::{Options, generate};

use crate::util::read_extract;

#[test]
fn two_forces_for_one_year_write_valid_extracts() {
    let folder = tempfile::tempdir().unwrap();
    let options = Options { forces: Some(2), years: Some(1), seed: None };
    let summary = generate("national", &options, folder.path()).unwrap();
    assert_eq!(summary.forces.len(), 2);
    assert_eq!(summary.files().count(), 10);
    for (force, slug) in summary.forces.iter().zip(["avon-and-somerset", "bedfordshire"]) {
        assert_eq!(force.folder, folder.path().join(slug));
        let extract = read_extract(&force.folder);
        assert_eq!(extract.manifest["force"], force.force.as_str());
        assert_eq!(extract.manifest["covers"]["from"], "2024-01");
        assert_eq!(extract.manifest["covers"]["to"], "2024-12");
        assert_eq!(extract.crimes.len() as u64, force.crimes);
        assert_eq!(extract.outcomes.len() as u64, force.outcomes);
        assert_eq!(extract.events.len() as u64, force.suspect_events);
        assert_eq!(extract.asb.len() as u64, force.asb_incidents);
        // A force of that size records thousands of crimes a month, and most get an outcome.
        assert!(force.crimes > 12 * 2_000, "{}: {} crimes", force.force, force.crimes);
        assert!(force.outcomes * 10 > force.crimes * 7);
        assert!(extract.crimes.iter().all(|crime| crime.district.starts_with(&force.force)));
        assert!(extract.crimes.iter().any(|crime| crime.knife));
        assert!(extract.asb.iter().any(|incident| incident.asb_type == "environmental"));
    }
    // The two forces' crime references never collide.
    let first = std::fs::read_to_string(folder.path().join("avon-and-somerset/crimes.csv")).unwrap();
    let second = std::fs::read_to_string(folder.path().join("bedfordshire/crimes.csv")).unwrap();
    assert!(first.lines().nth(1).unwrap().starts_with("01/"));
    assert!(second.lines().nth(1).unwrap().starts_with("02/"));
}
