//! The quarterly paper of the seed-2024 force: Markdown and CSV against
//! reviewed golden files, every printed table against the computed figures,
//! every sentence against its table (checked here with our own reading of
//! the sentence), the HTML's structure, and what Chromium draws of it.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::Value;

use crate::util::{ink, json, path, poppler, run, seed_quarterly_json, seed_store_data, shared, stdout};

const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

/// Writes the paper once per test run.
fn paper_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = seed_store_data();
        run(
            &[
                "paper",
                "quarterly",
                "--plan",
                "making-kent-safer",
                "--to",
                "2024-07",
                "--data",
                path(&store),
                "--out",
                path(dir.path()),
            ],
            true,
        );
        dir
    })
    .path()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The date the paper was produced is the only thing that changes between runs.
fn without_date(text: &str) -> String {
    Regex::new(r"on \d{4}-\d{2}-\d{2}\.").unwrap().replace_all(text, "on <date>.").to_string()
}

/// Compares with the golden file; SCRUTINY_UPDATE_GOLDEN=1 rewrites it (review the diff).
fn check_golden(name: &str, actual: &str) {
    let golden = PathBuf::from(GOLDEN_DIR).join(name);
    if std::env::var_os("SCRUTINY_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(GOLDEN_DIR).unwrap();
        std::fs::write(&golden, actual).unwrap();
    }
    let expected = read(&golden);
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(run with SCRUTINY_UPDATE_GOLDEN=1 and review the diff if the change is intended)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn markdown_and_csv_match_the_golden_files() {
    let markdown = without_date(&read(&paper_dir().join("making-kent-safer-2024-07.md")));
    check_golden("making-kent-safer-2024-07.md", &markdown);
    check_golden("making-kent-safer-2024-07.csv", &read(&paper_dir().join("making-kent-safer-2024-07.csv")));
    check_golden("tables-2-1-rape.csv", &read(&paper_dir().join("tables/2-1-rape.csv")));
    check_golden("tables-5-3-returns-contact-999.csv", &read(&paper_dir().join("tables/5-3-returns-contact-999.csv")));
}

fn number(cell: &str) -> Option<f64> {
    cell.trim().trim_end_matches('%').replace(',', "").trim_start_matches('+').parse().ok()
}

/// The pipe tables of a Markdown file, each as (heading above it, rows of cells).
fn tables(markdown: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut tables = Vec::new();
    let mut heading = String::new();
    let mut current: Vec<Vec<String>> = Vec::new();
    for line in markdown.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            heading = title.to_string();
        }
        if line.starts_with('|') {
            if !line.starts_with("|---") {
                current.push(line.trim_matches('|').split('|').map(|cell| cell.trim().to_string()).collect());
            }
        } else if !current.is_empty() {
            tables.push((heading.clone(), std::mem::take(&mut current)));
        }
    }
    tables
}

#[test]
fn every_printed_table_is_the_computed_figures() {
    let markdown = read(&paper_dir().join("making-kent-safer-2024-07.md"));
    let report = seed_quarterly_json();
    let measures = report["measures"].as_array().unwrap();
    // Returns tables head their first column with their title; measure tables leave it empty.
    let tables: Vec<_> = tables(&markdown).into_iter().filter(|(_, rows)| rows[0][0].is_empty()).collect();
    assert_eq!(tables.len(), measures.len(), "one table per measure");
    for ((heading, rows), measure) in tables.iter().zip(measures) {
        assert!(heading.ends_with(measure["title"].as_str().unwrap()), "{heading} vs {}", measure["title"]);
        let figures = measure["rows"].as_array().unwrap();
        assert_eq!(rows.len(), figures.len() + 1, "{heading}: header and one row per figure row");
        for (row, figure) in rows[1..].iter().zip(figures) {
            let columns: &[&str] = if measure["kind"] == "count" {
                &["current", "last_year", "pct_change", "change"]
            } else {
                &[
                    "numerator",
                    "denominator",
                    "current_pct",
                    "last_year_numerator",
                    "last_year_denominator",
                    "last_year_pct",
                    "change_pp",
                ]
            };
            for (cell, key) in row[1..].iter().zip(columns) {
                assert_eq!(number(cell), figure[*key].as_f64(), "{heading} {} {key}: printed {cell}", figure["label"]);
            }
        }
    }
}

#[test]
fn every_sentence_agrees_with_its_table() {
    let markdown = read(&paper_dir().join("making-kent-safer-2024-07.md"));
    let report = seed_quarterly_json();
    let headline =
        Regex::new(r"(?:has|have) seen an? (\d+\.\d)% (decrease|increase), with ([\d,]+) (fewer|more) ").unwrap();
    let largest = Regex::new(r"the largest in (\w+ \d{4}) \((\d+\.\d)%, ([\d,]+) (fewer|more) ").unwrap();
    let rate = Regex::new(r"(rose|fell) (\d+\.\d) percentage points?, from (\d+\.\d)% to (\d+\.\d)% \(([\d,]+) [a-z ]+ of ([\d,]+), against ([\d,]+) of ([\d,]+)\)").unwrap();
    let parse = |text: &str| text.replace(',', "").parse::<f64>().unwrap();
    let mut checked = 0;
    for measure in report["measures"].as_array().unwrap() {
        let title = measure["title"].as_str().unwrap();
        let section = markdown.split(&format!(" {title}\n")).nth(1).unwrap_or_else(|| panic!("no section for {title}"));
        let paragraph = section
            .split("\n\n")
            .map(str::trim)
            .find(|block| !block.is_empty() && !block.starts_with(['|', '*']) && !block.starts_with("Table"))
            .unwrap();
        let total = measure["rows"].as_array().unwrap().last().unwrap();
        if measure["kind"] == "count" {
            let captures =
                headline.captures(paragraph).unwrap_or_else(|| panic!("{title}: no headline in {paragraph:?}"));
            let change = total["change"].as_f64().unwrap();
            assert_eq!(parse(&captures[1]), total["pct_change"].as_f64().unwrap().abs(), "{title}");
            assert_eq!(&captures[2], if change < 0.0 { "decrease" } else { "increase" }, "{title}");
            assert_eq!(parse(&captures[3]), change.abs(), "{title}");
            assert_eq!(&captures[4], if change < 0.0 { "fewer" } else { "more" }, "{title}");
            if let Some(captures) = largest.captures(paragraph) {
                let row = measure["rows"].as_array().unwrap().iter().find(|row| {
                    let label = row["label"].as_str().unwrap();
                    label != "total"
                        && captures[1].ends_with(&label[..4])
                        && captures[1].starts_with(
                            [
                                "January",
                                "February",
                                "March",
                                "April",
                                "May",
                                "June",
                                "July",
                                "August",
                                "September",
                                "October",
                                "November",
                                "December",
                            ][label[5..].parse::<usize>().unwrap() - 1],
                        )
                });
                let row = row.unwrap_or_else(|| panic!("{title}: no row for {}", &captures[1]));
                assert_eq!(parse(&captures[2]), row["pct_change"].as_f64().unwrap().abs(), "{title}");
                assert_eq!(parse(&captures[3]), row["change"].as_f64().unwrap().abs(), "{title}");
                let months: Vec<f64> = measure["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|row| row["label"] != "total")
                    .map(|row| row["pct_change"].as_f64().unwrap().abs())
                    .collect();
                assert_eq!(
                    parse(&captures[2]),
                    months.iter().cloned().fold(0.0, f64::max),
                    "{title}: the largest month is the largest"
                );
            }
        } else {
            let captures =
                rate.captures(paragraph).unwrap_or_else(|| panic!("{title}: no rate sentence in {paragraph:?}"));
            let change = total["change_pp"].as_f64().unwrap();
            assert_eq!(&captures[1], if change < 0.0 { "fell" } else { "rose" }, "{title}");
            assert_eq!(parse(&captures[2]), change.abs(), "{title}");
            assert_eq!(parse(&captures[3]), total["last_year_pct"].as_f64().unwrap(), "{title}");
            assert_eq!(parse(&captures[4]), total["current_pct"].as_f64().unwrap(), "{title}");
            assert_eq!(parse(&captures[5]), total["numerator"].as_f64().unwrap(), "{title}");
            assert_eq!(parse(&captures[6]), total["denominator"].as_f64().unwrap(), "{title}");
            assert_eq!(parse(&captures[7]), total["last_year_numerator"].as_f64().unwrap(), "{title}");
            assert_eq!(parse(&captures[8]), total["last_year_denominator"].as_f64().unwrap(), "{title}");
        }
        checked += 1;
    }
    assert_eq!(checked, 22);
}

#[test]
fn the_html_is_self_contained_and_accessible() {
    let html = read(&paper_dir().join("making-kent-safer-2024-07.html"));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en-GB\">"));
    let tables = html.matches("<table").count();
    assert_eq!(tables, 22 + 9, "22 measures and 9 tables of returns");
    assert_eq!(html.matches("<caption>").count(), tables, "every table has a caption");
    assert_eq!(html.matches("<svg role=\"img\"").count(), 22, "every measure has a chart");
    assert_eq!(html.matches("<figcaption>").count(), 22, "every chart has a caption");
    assert!(html.matches("<th scope=\"col\">").count() >= tables * 5);
    assert!(html.contains("<th scope=\"row\">3 Month total</th>"));
    for external in ["<link", "<script", "src=\"http", "url(http", "@import", "<img"] {
        assert!(!html.contains(external), "the HTML must not load anything: found {external}");
    }
    assert!(html.contains("@media print"));
}

#[test]
fn the_workbook_has_a_sheet_per_table() {
    let bytes = std::fs::read(paper_dir().join("making-kent-safer-2024-07.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX is a zip file");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("xl/worksheets/sheet32.xml"), "contents plus 22 measure tables and 9 of returns");
    assert!(!text.contains("xl/worksheets/sheet33.xml"));
}

#[test]
fn chromium_draws_the_html_paper() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|name| {
            std::process::Command::new(name).arg("--version").output().is_ok_and(|output| output.status.success())
        })
        .expect("Chromium is needed for this test: scripts/test.sh installs it (apt-get install chromium)");
    let profile = tempfile::tempdir().unwrap();
    let screenshot = paper_dir().join("screenshot.png");
    let html = paper_dir().join("making-kent-safer-2024-07.html");
    let output = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1200,3000",
            &format!("file://{}", html.display()),
        ])
        .output()
        .unwrap();
    assert!(screenshot.exists(), "no screenshot: {}", String::from_utf8_lossy(&output.stderr));
    let (dark, total) = ink(&screenshot);
    assert!(dark * 100 > total, "the page looks blank: {dark} dark pixels of {total}");
    assert!(dark * 2 < total, "the page looks black: {dark} dark pixels of {total}");
    let _ = Value::Null;
}

#[test]
fn the_pdf_has_embedded_fonts_a_text_layer_and_drawn_pages() {
    let pdf = paper_dir().join("making-kent-safer-2024-07.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pdf_path = path(&pdf);
    let info = poppler("pdfinfo", &[pdf_path]);
    let pages: usize = info.lines().find_map(|line| line.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 8, "a section per priority and a table and chart per measure: {pages} pages");
    assert!(info.contains("Making Kent Safer Plan"), "the document has a title: {info}");
    let fonts = poppler("pdffonts", &[pdf_path]);
    let font_lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_lines.is_empty());
    for line in &font_lines {
        let columns: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(columns[columns.len() - 5], "yes", "every font is embedded: {line}");
    }
    let text = poppler("pdftotext", &["-layout", pdf_path, "-"]);
    for expected in ["3 Month total", "42,443", "-14.0%", "rose 8.2 percentage points, from 7.6% to 15.8%"] {
        assert!(text.contains(expected), "the text layer lacks {expected:?}");
    }
    let prefix = paper_dir().join("page");
    poppler("pdftoppm", &["-png", "-r", "50", "-f", "1", "-l", "3", pdf_path, path(&prefix)]);
    let mut drawn = 0;
    for entry in std::fs::read_dir(paper_dir()).unwrap() {
        let file = entry.unwrap().path();
        if file.file_name().unwrap().to_string_lossy().starts_with("page") {
            let (dark, total) = ink(&file);
            assert!(
                dark * 200 > total && dark * 3 < total,
                "{} looks blank or black: {dark} of {total}",
                file.display()
            );
            drawn += 1;
        }
    }
    assert_eq!(drawn, 3);
}

/// Scrutiny's own paper, in each format `check-paper` reads, has no inconsistencies.
#[test]
fn check_paper_finds_nothing_in_scrutinys_own_paper() {
    for extension in ["md", "pdf"] {
        let file = paper_dir().join(format!("making-kent-safer-2024-07.{extension}"));
        let output = run(&["check-paper", path(&file), "--format", "json"], true);
        let findings = json(&output)["findings"].as_array().unwrap().len();
        assert_eq!(findings, 0, "{extension}: {}", stdout(&output));
    }
}

/// On the seed quarterly paper the command exits 1 and prints the findings
/// in the JSON contract; each names a line whose text holds what it printed.
#[test]
fn check_paper_reports_the_seed_papers_inconsistencies() {
    let seed = std::fs::read_dir(shared().join("seeds"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|file| file.file_name().unwrap().to_string_lossy().starts_with("004_"))
        .expect("seed 004 is in ../shared/seeds");
    let text = std::fs::read_to_string(&seed).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let output = run(&["check-paper", path(&seed), "--format", "json"], false);
    let findings = json(&output)["findings"].as_array().unwrap().clone();
    assert!(findings.len() >= 6, "{}", stdout(&output));
    for finding in &findings {
        for field in ["file", "line", "message", "printed", "expected"] {
            assert!(!finding[field].is_null(), "{field} missing in {finding}");
        }
        let line = finding["line"].as_u64().unwrap() as usize;
        let printed = finding["printed"].as_str().unwrap();
        assert!(lines[line - 1].replace(',', "").contains(&printed.replace(',', "")), "line {line} lacks {printed:?}");
        assert_ne!(printed, finding["expected"].as_str().unwrap());
    }
    let text_output = stdout(&run(&["check-paper", path(&seed)], false));
    assert!(text_output.contains(&format!("1 paper checked: {} inconsistencies", findings.len())), "{text_output}");
    assert!(text_output.contains("004_0d34b94a3e230482.txt:823:"), "{text_output}");
}
