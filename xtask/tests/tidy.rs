//! Tidy checks: conventions that keep the code base navigable, and documents
//! that must track the code.

use std::path::Path;

use xtask::{files, root};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn every_module_says_what_it_is_for() {
    let mut missing = Vec::new();
    for folder in ["crates", "xtask"] {
        for file in files(&root().join(folder), ".rs") {
            let text = read(&file);
            let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
            if !first.starts_with("//!") {
                missing.push(file.strip_prefix(root()).unwrap().display().to_string());
            }
        }
    }
    assert!(missing.is_empty(), "these files do not start with a //! line saying what they are for: {missing:#?}");
}

/// Which workspace crates each crate may depend on: dependencies point inward.
const ALLOWED: [(&str, &[&str]); 8] = [
    ("scrutiny-core", &[]),
    ("scrutiny-ingest", &["scrutiny-core"]),
    ("scrutiny-store", &["scrutiny-core", "scrutiny-ingest"]),
    ("scrutiny-report", &["scrutiny-core"]),
    ("scrutiny-synth", &["scrutiny-core"]),
    ("scrutiny-pdf", &["scrutiny-core", "scrutiny-report"]),
    ("scrutiny-web", &["scrutiny-core", "scrutiny-store", "scrutiny-report", "scrutiny-pdf"]),
    (
        "scrutiny-cli",
        &[
            "scrutiny-core",
            "scrutiny-ingest",
            "scrutiny-store",
            "scrutiny-report",
            "scrutiny-synth",
            "scrutiny-pdf",
            "scrutiny-web",
        ],
    ),
];

#[test]
fn dependencies_point_inward() {
    for folder in files(&root().join("crates"), "Cargo.toml") {
        let manifest: toml::Table = toml::from_str(&read(&folder)).unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let allowed = ALLOWED.iter().find(|(crate_name, _)| *crate_name == name).map(|(_, allowed)| *allowed);
        let allowed = allowed.unwrap_or_else(|| {
            panic!("crate {name} is not in the tidy ALLOWED table: add it, with the crates it may use")
        });
        let dependencies = manifest.get("dependencies").and_then(|value| value.as_table()).cloned().unwrap_or_default();
        for dependency in dependencies.keys().filter(|key| key.starts_with("scrutiny-")) {
            assert!(
                allowed.contains(&dependency.as_str()),
                "{name} must not depend on {dependency} (dependencies point inward; see ARCHITECTURE.md)"
            );
        }
    }
}

#[test]
fn the_core_does_no_io() {
    let manifest: toml::Table = toml::from_str(&read(&root().join("crates/scrutiny-core/Cargo.toml"))).unwrap();
    let dependencies: Vec<String> = manifest["dependencies"].as_table().unwrap().keys().cloned().collect();
    for forbidden in ["sqlx", "tokio", "axum", "csv", "walkdir", "chrono", "reqwest"] {
        assert!(!dependencies.contains(&forbidden.to_string()), "scrutiny-core must not depend on {forbidden}");
    }
    for file in files(&root().join("crates/scrutiny-core/src"), ".rs") {
        let text = read(&file);
        for forbidden in ["std::fs", "std::net", "std::process", "std::env", "SystemTime", "Instant::now"] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}: the core does no I/O and reads no clock",
                file.display()
            );
        }
    }
}

#[test]
fn the_readme_and_ci_run_the_same_test_command() {
    let readme = read(&root().join("README.md"));
    let ci = read(&root().join(".ci/run"));
    let test_command = "scripts/test.sh";
    assert!(readme.contains(test_command), "README.md must give the test command `{test_command}`");
    assert!(ci.contains(test_command), ".ci/run must run the README's test command `{test_command}`");
    let script = read(&root().join(test_command));
    assert!(script.contains("cargo test --workspace"), "{test_command} must run every test of the workspace");
    assert!(readme.contains("cargo run --release -- demo"), "README.md must give the main command");
}

#[test]
fn the_architecture_map_names_every_crate() {
    let architecture = read(&root().join("ARCHITECTURE.md"));
    for manifest in files(&root().join("crates"), "Cargo.toml") {
        let folder = manifest.parent().unwrap().file_name().unwrap().to_string_lossy().to_string();
        assert!(architecture.contains(&format!("`{folder}`")), "ARCHITECTURE.md does not describe crates/{folder}");
    }
}

#[test]
fn the_extract_docs_list_every_column_the_reader_expects() {
    use scrutiny_ingest::extract::columns;
    for (page, expected) in columns() {
        let text = read(&root().join("docs/extract").join(page));
        for column in expected {
            assert!(text.contains(&format!("| `{column}` |")), "docs/extract/{page} does not document column {column}");
        }
        let documented = text.lines().filter(|line| line.starts_with("| `")).count();
        assert_eq!(documented, expected.len(), "docs/extract/{page} documents a column the reader does not read");
    }
}

#[test]
fn the_returns_doc_lists_every_column_the_reader_expects() {
    use scrutiny_ingest::returns::{CALL_COLUMNS, VALUE_COLUMNS};
    let text = read(&root().join("docs/returns.md"));
    for column in VALUE_COLUMNS.iter().chain(CALL_COLUMNS.iter()) {
        assert!(text.contains(&format!("| `{column}` |")), "docs/returns.md does not document column {column}");
    }
    let documented = text.lines().filter(|line| line.starts_with("| `")).count();
    assert_eq!(
        documented,
        VALUE_COLUMNS.len() + CALL_COLUMNS.len(),
        "docs/returns.md documents a column the reader does not read"
    );
}
