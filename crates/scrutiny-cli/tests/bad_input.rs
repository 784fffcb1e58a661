//! Bad input: every rejected row is named with file, line, field and reason;
//! the store's totals do not move on a second identical import.

use crate::util::{path, run, stderr, stdout};

const MANIFEST: &str = r#"{"format":"scrutiny-force-extract","version":1,"force":"Kent","extracted_on":"2024-08-05","covers":{"from":"2024-05","to":"2024-07"}}"#;

#[test]
fn a_bad_row_is_named_and_the_rest_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let extract = dir.path().join("extract");
    std::fs::create_dir_all(&extract).unwrap();
    std::fs::write(extract.join("extract.json"), MANIFEST).unwrap();
    std::fs::write(
        extract.join("crimes.csv"),
        "crime_reference,recorded_date,offence_code,district,domestic_abuse,hate_crime,child_protection,adult_protection,knife_or_sharp_instrument,status\n\
         46/1/24,2024-05-03,8N,Maidstone,Y,,N,N,N,recorded\n\
         46/2/24,2024-13-01,8N,Maidstone,N,,N,N,N,recorded\n\
         46/3/24,2024-06-03,46,Dover,N,,N,N,N,recorded\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let output = run(&["import", "extract", path(&extract), "--data", path(&store)], true);
    let crimes = extract.join("crimes.csv");
    assert!(
        stderr(&output).contains(&format!(
            "{}:3: recorded_date: '2024-13-01' is not a date (there is no month 13)",
            crimes.display()
        )),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("3 rows read, 2 stored, 0 already stored (unchanged), 0 replaced, 1 rejected"),
        "{}",
        stdout(&output)
    );
    let rejects = std::fs::read_to_string(store.join("rejects/import-1.csv")).unwrap();
    assert!(rejects.contains("recorded_date") && rejects.contains("46/2/24"), "{rejects}");

    let report = |store: &std::path::Path| {
        stdout(&run(
            &[
                "report",
                "quarterly",
                "--plan",
                "making-kent-safer",
                "--to",
                "2024-07",
                "--data",
                path(store),
                "--format",
                "csv",
            ],
            true,
        ))
    };
    let before = report(&store);
    let again = run(&["import", "extract", path(&extract), "--data", path(&store)], true);
    assert!(
        stdout(&again).contains("3 rows read, 0 stored, 2 already stored (unchanged), 0 replaced, 1 rejected"),
        "{}",
        stdout(&again)
    );
    assert_eq!(report(&store), before, "a second identical import changes no figure");
    assert!(before.contains("making-kent-safer,Kent,all-crime,count,2024-05,1,,,"), "{before}");

    let strict = run(&["import", "extract", path(&extract), "--data", path(&store), "--strict"], false);
    assert!(stderr(&strict).contains("nothing was stored (--strict)"), "{}", stderr(&strict));
}

#[test]
fn a_changed_export_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("extract.json"), MANIFEST).unwrap();
    std::fs::write(
        dir.path().join("asb.csv"),
        "incident_reference,incident_date,type,district\nX1,2024-05-01,nuisance,Dover\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let output = run(&["import", "extract", path(dir.path()), "--data", path(&store)], false);
    assert!(stderr(&output).contains("asb.csv:1: header: unknown column 'type'"), "{}", stderr(&output));
    let missing =
        run(&["report", "quarterly", "--plan", "making-kent-safer", "--to", "2024-07", "--data", path(&store)], false);
    assert!(stderr(&missing).contains("the store holds no force yet"), "{}", stderr(&missing));
}

#[test]
fn usage_errors_are_explained() {
    let output = run(
        &[
            "measure",
            "rape",
            "--plan",
            "making-kent-safer",
            "--period",
            "fytd",
            "--to",
            "2024-13",
            "--data",
            "/nonexistent",
        ],
        false,
    );
    assert!(stderr(&output).contains("'2024-13' is not a month"), "{}", stderr(&output));
    let output =
        run(&["report", "quarterly", "--plan", "no-such-plan", "--to", "2024-07", "--data", "/nonexistent"], false);
    assert!(
        stderr(&output).contains("no plan 'no-such-plan' (plans: making-kent-safer, safer-in-kent, police-uk)"),
        "{}",
        stderr(&output)
    );
    let output =
        run(&["report", "quarterly", "--plan", "police-uk", "--to", "2024-07", "--data", "/nonexistent"], false);
    assert!(stderr(&output).contains("no store at /nonexistent"), "{}", stderr(&output));
    let help = run(&["import", "extract", "--help"], true);
    assert!(stdout(&help).contains("--data <DATA>"));
}

#[test]
fn a_bad_return_is_named_and_a_strict_import_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    std::fs::create_dir_all(&returns).unwrap();
    std::fs::write(returns.join("returns.json"), r#"{"format": "scrutiny-returns", "version": 1, "force": "Kent"}"#)
        .unwrap();
    std::fs::write(
        returns.join("soc.csv"),
        "month,measure,value,source,owner\n\
         2024-06,ocg-live,42,SOC tracker,SCD\n\
         2024-06,ocg-disruptions,forty,SOC tracker,SCD\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    let refused = run(&["import", "returns", path(&returns), "--data", path(&store), "--strict"], false);
    let file = returns.join("soc.csv");
    assert!(
        stderr(&refused).contains(&format!(
            "1 rows were rejected, so nothing was stored (--strict); the first: {}:3: value: 'forty' is not a number",
            file.display()
        )),
        "{}",
        stderr(&refused)
    );
    let output = run(&["import", "returns", path(&returns), "--data", path(&store)], true);
    assert!(stderr(&output).contains(&format!("{}:3: value: 'forty' is not a number", file.display())));
    assert!(
        stdout(&output).contains(
            "2 rows read from 1 files, 1 values and call-months stored, 0 already stored (unchanged), 1 rejected"
        ),
        "{}",
        stdout(&output)
    );
    let again = run(&["import", "returns", path(&returns), "--data", path(&store)], true);
    assert!(
        stdout(&again).contains("0 values and call-months stored, 1 already stored (unchanged), 1 rejected"),
        "{}",
        stdout(&again)
    );
    let rejects = std::fs::read_to_string(store.join("rejects/returns-import-1.csv")).unwrap();
    assert!(rejects.contains("forty"), "{rejects}");
}
