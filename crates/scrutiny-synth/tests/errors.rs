//! Unknown profiles and options that do not apply are refused with a typed error.

use scrutiny_synth::{ErrorKind, Options, generate, profiles};

#[test]
fn profiles_are_listed_and_others_refused() {
    assert_eq!(profiles(), ["seed-2024", "national", "term", "survey-2019"]);
    let folder = tempfile::tempdir().unwrap();
    let error = generate("kent-2030", &Options::default(), folder.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnknownProfile);
    assert_eq!(error.to_string(), "no profile 'kent-2030' (profiles: seed-2024, national, term, survey-2019)");
}

#[test]
fn options_that_do_not_apply_are_refused() {
    let folder = tempfile::tempdir().unwrap();
    for options in [Options { forces: Some(3), ..Options::default() }, Options { years: Some(2), ..Options::default() }]
    {
        let error = generate("seed-2024", &options, folder.path()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidOptions, "{error}");
    }
    let error = generate("national", &Options { forces: Some(0), ..Options::default() }, folder.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidOptions);
    let error = generate("term", &Options { forces: Some(2), ..Options::default() }, folder.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidOptions, "{error}");
    // Nothing was written for a refused run.
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}
