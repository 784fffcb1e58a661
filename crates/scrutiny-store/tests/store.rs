//! The store's promises: imports are idempotent and atomic, stored records
//! are never overwritten, months not supplied stay not supplied.

use std::path::Path;

use scrutiny_core::definitions::{Definitions, MeasureKind, Source};
use scrutiny_core::measure::{CountSource, Selector};
use scrutiny_core::{Period, YearMonth};
use scrutiny_ingest::extract;
use scrutiny_ingest::police_uk;
use scrutiny_store::{ErrorKind, Store};

const MANIFEST: &str = r#"{"format":"scrutiny-force-extract","version":1,"force":"Kent","extracted_on":"2024-08-05","covers":{"from":"2024-05","to":"2024-07"}}"#;
const CRIME_HEADER: &str = "crime_reference,recorded_date,offence_code,district,domestic_abuse,hate_crime,child_protection,adult_protection,knife_or_sharp_instrument,status\n";

fn write_extract(dir: &Path, crimes: &str, outcomes: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("extract.json"), MANIFEST).unwrap();
    std::fs::write(dir.join("crimes.csv"), format!("{CRIME_HEADER}{crimes}")).unwrap();
    std::fs::write(dir.join("outcomes.csv"), format!("crime_reference,outcome_type,outcome_date\n{outcomes}")).unwrap();
}

fn read_extract(dir: &Path) -> extract::Extract {
    let discovery = extract::discover(dir).unwrap();
    extract::read(&discovery.extracts[0], &Definitions::builtin()).unwrap()
}

const CRIMES: &str = "A1,2024-05-03,19C,Maidstone,N,,N,N,N,recorded\n\
                      A2,2024-05-04,19C,Thanet,Y,,N,N,N,recorded\n\
                      A3,2024-06-04,8N,Thanet,Y,,N,N,N,recorded\n\
                      A4,2024-06-05,8N,Thanet,N,,N,N,N,cancelled\n";
const OUTCOMES: &str = "A1,1,2024-06-10\nA3,18,2024-06-20\nA4,1,2024-06-21\n";

async fn measure(store: &Store, id: &str, month: &str) -> Option<u64> {
    let definitions = Definitions::builtin();
    let plan = definitions.plan("making-kent-safer").unwrap();
    let spec = match &plan.measure(id).unwrap().kind {
        MeasureKind::Count(spec) => spec.clone(),
        MeasureKind::Rate { numerator, .. } => numerator.clone(),
    };
    let month: YearMonth = month.parse().unwrap();
    let counts = store.force_counts("Kent", Period::single(month)).await.unwrap();
    counts.count(&Selector::compile(&spec, &definitions.classification), Period::single(month)).unwrap()
}

#[tokio::test]
async fn importing_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let extract_dir = dir.path().join("extract");
    write_extract(&extract_dir, CRIMES, OUTCOMES);
    let store = Store::open_or_create(&dir.path().join("store")).await.unwrap();
    let first = store.import_extract(&read_extract(&extract_dir), &extract_dir, false).await.unwrap();
    assert_eq!((first.rows_read, first.stored, first.unchanged, first.rejected), (7, 7, 0, 0));
    let totals = store.totals().await.unwrap();
    assert_eq!(totals.counted.get("crimes"), Some(&3), "the cancelled crime is stored but not counted");
    assert_eq!(totals.counted.get("outcomes"), Some(&2), "the outcome of a cancelled crime is not counted");
    assert_eq!(measure(&store, "rape", "2024-05").await, Some(2));
    assert_eq!(measure(&store, "domestic-abuse", "2024-06").await, Some(1));
    assert_eq!(measure(&store, "rape-charge-rate", "2024-06").await, Some(1));
    assert_eq!(measure(&store, "asb", "2024-05").await, None, "no ASB file: ASB is not supplied, not zero");

    let second = store.import_extract(&read_extract(&extract_dir), &extract_dir, false).await.unwrap();
    assert_eq!((second.stored, second.unchanged, second.rejected), (0, 7, 0));
    assert_eq!(store.totals().await.unwrap(), totals);
}

#[tokio::test]
async fn stored_records_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let first_dir = dir.path().join("first");
    let second_dir = dir.path().join("second");
    write_extract(&first_dir, CRIMES, OUTCOMES);
    write_extract(
        &second_dir,
        "A1,2024-05-03,8N,Maidstone,N,,N,N,N,recorded\nA9,2024-07-01,46,Dover,N,,N,N,N,recorded\n",
        "B7,1,2024-07-02\n",
    );
    let store = Store::open_or_create(&dir.path().join("store")).await.unwrap();
    store.import_extract(&read_extract(&first_dir), &first_dir, false).await.unwrap();
    let summary = store.import_extract(&read_extract(&second_dir), &second_dir, false).await.unwrap();
    assert_eq!((summary.stored, summary.rejected), (1, 2));
    let messages: Vec<String> = summary.rejects.iter().map(ToString::to_string).collect();
    assert!(
        messages[0].contains("crimes.csv:2: crime_reference: 'A1' is already stored with different content"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("outcomes.csv:2: crime_reference: 'B7' is not a crime in this import or in the store"),
        "{messages:?}"
    );
    assert_eq!(measure(&store, "rape", "2024-05").await, Some(2), "the stored crime still counts as rape");
    let rejects = std::fs::read_to_string(summary.rejects_file.unwrap()).unwrap();
    assert!(rejects.starts_with("file,line,field,reason,row\n"));
    assert!(rejects.contains(",B7,") || rejects.contains("'B7'"));
}

#[tokio::test]
async fn later_outcomes_are_counted_under_their_stored_crimes() {
    let dir = tempfile::tempdir().unwrap();
    let (first_dir, second_dir) = (dir.path().join("first"), dir.path().join("second"));
    // A1 rape (19C), A3 domestic burglary with DA flag (8N).
    write_extract(&first_dir, CRIMES, "");
    // The second extract: A1 again but changed (rejected: the stored rape stands),
    // A3 again unchanged, and outcomes for A1, A2 (only stored) and A3.
    write_extract(
        &second_dir,
        "A1,2024-05-03,8N,Maidstone,N,,N,N,N,recorded
A3,2024-06-04,8N,Thanet,Y,,N,N,N,recorded
",
        "A1,1,2024-06-10
A2,1,2024-06-11
A3,1,2024-06-12
A4,1,2024-06-13
",
    );
    let store = Store::open_or_create(&dir.path().join("store")).await.unwrap();
    store.import_extract(&read_extract(&first_dir), &first_dir, false).await.unwrap();
    assert_eq!(measure(&store, "rape-charge-rate", "2024-06").await, Some(0));
    let summary = store.import_extract(&read_extract(&second_dir), &second_dir, false).await.unwrap();
    assert_eq!((summary.stored, summary.unchanged, summary.rejected), (4, 1, 1), "{:?}", summary.rejects);
    // Charges (outcome 1) of rapes in June: A1 (counted as the stored rape, not
    // as the rejected burglary) and A2 (a stored rape this extract does not repeat).
    assert_eq!(measure(&store, "rape-charge-rate", "2024-06").await, Some(2));
    // Domestic abuse charges in June: A2 (stored) and A3 (repeated unchanged); A4 is cancelled.
    assert_eq!(measure(&store, "domestic-abuse-charge-rate", "2024-06").await, Some(2));
    assert_eq!(store.totals().await.unwrap().counted.get("outcomes"), Some(&3));
}

#[tokio::test]
async fn strict_imports_store_nothing_when_a_row_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let extract_dir = dir.path().join("extract");
    write_extract(&extract_dir, &format!("{CRIMES}A5,2024-05-40,8N,Thanet,N,,N,N,N,recorded\n"), OUTCOMES);
    let store = Store::open_or_create(&dir.path().join("store")).await.unwrap();
    let error = store.import_extract(&read_extract(&extract_dir), &extract_dir, true).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Rejected);
    assert!(error.to_string().contains("recorded_date"), "{error}");
    assert_eq!(store.totals().await.unwrap(), Default::default());
    assert!(store.forces().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_import_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let first_dir = dir.path().join("first");
    let second_dir = dir.path().join("second");
    write_extract(&first_dir, CRIMES, OUTCOMES);
    write_extract(&second_dir, "B1,2024-07-01,46,Dover,N,,N,N,N,recorded\n", "");
    let store_dir = dir.path().join("store");
    let store = Store::open_or_create(&store_dir).await.unwrap();
    store.import_extract(&read_extract(&first_dir), &first_dir, false).await.unwrap();
    let before = store.totals().await.unwrap();
    // Make the segment write fail part-way: a folder where the file must go.
    let imports_so_far = 1;
    std::fs::create_dir_all(store_dir.join("segments").join(format!("extract-{}-force-1.seg", imports_so_far + 1)))
        .unwrap();
    let error = store.import_extract(&read_extract(&second_dir), &second_dir, false).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Io, "{error}");
    assert_eq!(store.totals().await.unwrap(), before);
    std::fs::remove_dir_all(store_dir.join("segments").join("extract-2-force-1.seg")).unwrap();
    // A segment file left by a killed import is not named by the catalog: it is ignored and removed.
    std::fs::write(store_dir.join("segments").join("extract-77-force-1.seg"), b"left by a kill").unwrap();
    let summary = store.import_extract(&read_extract(&second_dir), &second_dir, false).await.unwrap();
    assert_eq!(summary.stored, 1);
    assert!(!store_dir.join("segments").join("extract-77-force-1.seg").exists());
    assert_eq!(measure(&store, "all-crime", "2024-07").await, Some(1));
}

#[tokio::test]
async fn a_store_from_a_newer_scrutiny_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).await.unwrap();
    store.close().await;
    mark_newer_schema(dir.path()).await;
    let error = Store::open(dir.path()).await.err().expect("refused");
    assert_eq!(error.kind, ErrorKind::Newer);
    assert!(error.to_string().contains("newer Scrutiny"), "{error}");
}

/// Marks the store as migrated to a schema version this binary does not know.
async fn mark_newer_schema(dir: &Path) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join(scrutiny_store::DATABASE_FILE).display()))
        .await
        .unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn police_uk_months_are_replaced_whole_when_republished() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let header = police_uk::STREET_COLUMNS.join(",");
    let row = |id: &str, kind: &str| {
        format!("{id},2023-01,Kent Police,Kent Police,0.5,51.2,On or near X,E01,Maidstone 002B,{kind},,\n")
    };
    let path = files.join("2023-01-kent-street.csv");
    std::fs::write(
        &path,
        format!(
            "{header}\n{}{}{}",
            row("a", "Burglary"),
            row("", "Anti-social behaviour"),
            row("", "Anti-social behaviour")
        ),
    )
    .unwrap();
    let districts = Definitions::builtin().districts;
    let read = |path: &Path| vec![police_uk::read(path, police_uk::FileKind::Street, &districts).unwrap()];
    let store = Store::open_or_create(&dir.path().join("store")).await.unwrap();
    let first = store.import_police_uk(&read(&path), &files, false).await.unwrap();
    assert_eq!((first.stored, first.unchanged), (3, 0));
    let again = store.import_police_uk(&read(&path), &files, false).await.unwrap();
    assert_eq!((again.stored, again.unchanged), (0, 3));
    std::fs::write(&path, format!("{header}\n{}{}", row("a", "Burglary"), row("b", "Robbery"))).unwrap();
    let republished = store.import_police_uk(&read(&path), &files, false).await.unwrap();
    assert_eq!((republished.stored, republished.replaced), (2, 3));
    let totals = store.totals().await.unwrap();
    assert_eq!(totals.counted.get("police-uk"), Some(&2));
    assert_eq!(totals.records, 2);
    assert_eq!(
        std::fs::read_dir(dir.path().join("store").join("segments")).unwrap().count(),
        1,
        "the replaced segment file is removed"
    );
    let counts = store.force_counts("Kent", Period::single("2023-01".parse().unwrap())).await.unwrap();
    assert!(counts.covered.contains(&(Source::PoliceUk, "2023-01".parse().unwrap())));
}

fn write_returns(dir: &Path, files: &[(&str, &str)]) -> scrutiny_ingest::returns::Returns {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("returns.json"), r#"{"format": "scrutiny-returns", "version": 1, "force": "Kent"}"#)
        .unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    scrutiny_ingest::returns::read(dir, &Definitions::builtin()).unwrap()
}

const RETURN: &str =
    "month,measure,value,source,owner\n2024-05,ocg-live,41,SOC tracker,SCD\n2024-06,ocg-live,42,SOC tracker,SCD\n";
const CALLS: &str = "call_id,channel,presented,outcome,seconds_to_answer\nC1,999,2024-05-01T00:00:03,answered,2\nC2,999,2024-05-02T10:00:00,abandoned,\n";

#[tokio::test]
async fn returns_are_stored_once_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(&dir.path().join("store")).await.unwrap();
    let first = write_returns(&dir.path().join("first"), &[("soc.csv", RETURN), ("calls.csv", CALLS)]);
    let summary = store.import_returns(&first, true).await.unwrap();
    assert_eq!((summary.rows_read, summary.stored, summary.unchanged, summary.rejected), (4, 3, 0, 0));
    let period = Period::new("2024-04".parse().unwrap(), "2024-06".parse().unwrap()).unwrap();
    let values = store.return_values("Kent", period).await.unwrap();
    assert_eq!(values.value("ocg-live", "2024-05".parse().unwrap()), Some(41));
    assert_eq!(values.value("ocg-live", "2024-04".parse().unwrap()), None, "a month not returned is not supplied");
    let may = values.calls[&("999".to_string(), "2024-05".parse().unwrap())];
    assert_eq!((may.received, may.answered, may.answer_seconds), (2, 1, 2));

    let again = store.import_returns(&first, true).await.unwrap();
    assert_eq!((again.stored, again.unchanged, again.rejected), (0, 3, 0), "importing twice changes nothing");
    assert_eq!(store.return_values("Kent", period).await.unwrap(), values);

    let changed = write_returns(
        &dir.path().join("second"),
        &[
            (
                "soc.csv",
                "month,measure,value,source,owner\n2024-05,ocg-live,43,SOC tracker,SCD\n2024-04,ocg-live,39,SOC tracker,SCD\n",
            ),
            (
                "calls.csv",
                "call_id,channel,presented,outcome,seconds_to_answer\nC1,999,2024-05-01T00:00:03,answered,2\n",
            ),
        ],
    );
    let error = store.import_returns(&changed, true).await.unwrap_err();
    assert!(error.message().contains("2 rows were rejected, so nothing was stored"), "{error}");
    assert_eq!(store.return_values("Kent", period).await.unwrap(), values, "a strict refusal stores nothing");
    let summary = store.import_returns(&changed, false).await.unwrap();
    let messages: Vec<String> = summary.rejects.iter().map(ToString::to_string).collect();
    assert_eq!((summary.stored, summary.rejected), (1, 2), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("calls.csv:2: presented: the 999 calls presented in 2024-05 (1 received")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("soc.csv:2: value: ocg-live for 2024-05 is already stored as 41")),
        "{messages:?}"
    );
    let after = store.return_values("Kent", period).await.unwrap();
    assert_eq!(after.value("ocg-live", "2024-05".parse().unwrap()), Some(41));
    assert_eq!(after.value("ocg-live", "2024-04".parse().unwrap()), Some(39));
    assert!(std::fs::read_to_string(summary.rejects_file.unwrap()).unwrap().contains("never overwritten"));
}

#[tokio::test]
async fn counts_of_a_store_made_before_count_pages_are_converted_when_it_opens() {
    use scrutiny_core::flags::Flags;
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    // Schema 2: counts were a row per (force, source, month, code, district, flags, detail).
    Store::create_at_schema(&store_dir, 2).await.unwrap();
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(store_dir.join(scrutiny_store::DATABASE_FILE));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let (may, june): (YearMonth, YearMonth) = ("2024-05".parse().unwrap(), "2024-06".parse().unwrap());
    let crimes = i64::from(Source::Crimes.code());
    let da = i64::from(Flags::DOMESTIC_ABUSE.0);
    for statement in [
        "INSERT INTO forces (id, name) VALUES (1, 'Kent')".to_string(),
        "INSERT INTO codes (id, code) VALUES (1, '19C'), (2, '8N')".to_string(),
        "INSERT INTO districts (id, name) VALUES (1, 'Thanet'), (2, 'Dover')".to_string(),
        "INSERT INTO imports (id, kind, source, started_at, force_id, rows_read, rows_stored, rows_unchanged, rows_replaced, rows_rejected) VALUES (1, 'extract', 'x', 'now', 1, 0, 0, 0, 0, 0)".to_string(),
        format!("INSERT INTO coverage (force_id, source, month, import_id) VALUES (1, {crimes}, {}, 1), (1, {crimes}, {}, 1)", may.index(), june.index()),
        // Rape (19C): 3 in Thanet and 4 in Dover in May, 2 of Dover's domestic abuse; 6 assaults (8N) in June.
        format!(
            "INSERT INTO counts (force_id, source, month, code_id, district_id, flags, detail, n) VALUES
             (1, {crimes}, {m}, 1, 1, 0, 0, 3), (1, {crimes}, {m}, 1, 2, 0, 0, 2), (1, {crimes}, {m}, 1, 2, {da}, 0, 2),
             (1, {crimes}, {j}, 2, 1, {da}, 0, 6)",
            m = may.index(),
            j = june.index()
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let store = Store::open(&store_dir).await.unwrap();
    assert_eq!(measure(&store, "rape", "2024-05").await, Some(7), "districts summed");
    assert_eq!(measure(&store, "domestic-abuse", "2024-05").await, Some(2));
    assert_eq!(measure(&store, "domestic-abuse", "2024-06").await, Some(6));
    assert_eq!(measure(&store, "rape", "2024-06").await, Some(0), "a covered month without rape counts 0");
    let totals = store.totals().await.unwrap();
    assert_eq!(totals.counted.get("crimes"), Some(&13));
    store.close().await;

    // The old table is gone, and opening again converts nothing twice.
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(store_dir.join(scrutiny_store::DATABASE_FILE));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let legacy: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('legacy_counts', 'counts', 'force_counts')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(legacy, 0);
    pool.close().await;
    let store = Store::open(&store_dir).await.unwrap();
    assert_eq!(store.totals().await.unwrap(), totals);
}
