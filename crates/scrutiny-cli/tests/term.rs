//! The end-of-term report: the term profile's six whole calendar years as
//! Markdown and CSV against reviewed golden files, every printed table
//! against the computed JSON, every sentence against its table (by our own
//! reading and by `check-paper`, which must find nothing in our paper and
//! must find figures we change), the HTML's and PDF's structure, and the
//! partial-year rule on the seed-2024 store (September 2021 – July 2024).
//! The term profile's returns are imported too, so the returns tables show
//! whole calendar years.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::Value;

use crate::util::{json, path, poppler, run, seed_store_data, stdout};

const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");
const STEM: &str = "making-kent-safer-term-2019-2024";

/// Generates and imports the term profile, and writes its report, once per test run.
fn paper_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let extract = dir.path().join("extract");
        let store = dir.path().join("store");
        run(&["generate", "--profile", "term", "--out", path(&extract)], true);
        let imported = stdout(&run(&["import", "extract", path(&extract), "--data", path(&store), "--strict"], true));
        assert!(imported.contains("months 2019-01 to 2024-12"), "{imported}");
        let returns = extract.join("returns");
        let imported = stdout(&run(&["import", "returns", path(&returns), "--data", path(&store), "--strict"], true));
        assert!(imported.contains("0 rejected"), "{imported}");
        let args = ["paper", "term", "--plan", "making-kent-safer", "--from", "2019", "--to", "2024"];
        let out = dir.path().join("paper");
        run(&[&args[..], &["--data", path(&store), "--out", path(&out)]].concat(), true);
        (dir, out)
    })
    .1
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn without_date(text: &str) -> String {
    Regex::new(r"on \d{4}-\d{2}-\d{2}\.").unwrap().replace_all(text, "on <date>.").to_string()
}

/// Compares with the golden file; SCRUTINY_UPDATE_GOLDEN=1 rewrites it (review the diff).
fn check_golden(name: &str, actual: &str) {
    let golden = PathBuf::from(GOLDEN_DIR).join(name);
    if std::env::var_os("SCRUTINY_UPDATE_GOLDEN").is_some() {
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
fn term_markdown_and_csv_match_the_golden_files() {
    let dir = paper_dir();
    check_golden(&format!("{STEM}.md"), &without_date(&read(&dir.join(format!("{STEM}.md")))));
    check_golden(&format!("{STEM}.csv"), &read(&dir.join(format!("{STEM}.csv"))));
    check_golden("term-1-9-burglary-residential.csv", &read(&dir.join("tables/term-1-9-burglary-residential.csv")));
}

/// One measure of the Markdown: its table rows (cells) and its sentences.
struct Printed {
    heading: String,
    rows: Vec<Vec<String>>,
    sentences: String,
}

fn printed(markdown: &str) -> Vec<Printed> {
    let mut items = Vec::new();
    for block in markdown.split("\n### ").skip(1) {
        let block = block.split("\n## ").next().unwrap();
        let heading = block.lines().next().unwrap().to_string();
        let rows: Vec<Vec<String>> = block
            .lines()
            .filter(|line| line.starts_with('|') && !line.starts_with("|---"))
            .map(|line| line.trim_matches('|').split('|').map(|cell| cell.trim().to_string()).collect())
            .collect();
        let sentences = block
            .split("\n\n")
            .filter(|paragraph| {
                let paragraph = paragraph.trim();
                !paragraph.is_empty()
                    && !paragraph.starts_with('|')
                    && !paragraph.starts_with('*')
                    && !paragraph.starts_with("![")
                    && !paragraph.starts_with("Table ")
                    && !paragraph.starts_with("## ")
                    && paragraph != heading
            })
            .collect::<Vec<_>>()
            .join(" ");
        items.push(Printed { heading, rows, sentences });
    }
    items
}

impl Printed {
    /// A returns table: years as columns, where a measure's table has a row per year.
    fn is_returns(&self) -> bool {
        self.rows.first().is_some_and(|header| header.get(1).is_some_and(|cell| cell == "2019"))
    }
}

/// The returns tables of the term paper against figures this test computes
/// itself from the generated returns files: values summed over each
/// calendar year (December's for a level), and call handling from the
/// per-call records.
#[test]
fn term_returns_tables_are_whole_years_of_the_returns_files() {
    use scrutiny_core::definitions::{Definitions, TableContent, ValueKind};
    let dir = paper_dir();
    let returns_dir = dir.parent().unwrap().join("extract").join("returns");
    let definitions = Definitions::builtin();
    let plan = definitions.plan("making-kent-safer").unwrap();
    let items: Vec<Printed> =
        printed(&read(&dir.join(format!("{STEM}.md")))).into_iter().filter(Printed::is_returns).collect();
    assert_eq!(items.len(), plan.returns_tables.len(), "a table per returns table of the plan");

    // (measure, year) → the year's sum, and (measure, year) → December's value.
    let mut summed: std::collections::HashMap<(String, i32), u64> = Default::default();
    let mut december: std::collections::HashMap<(String, i32), u64> = Default::default();
    let mut values = csv::Reader::from_path(returns_dir.join("returns.csv")).unwrap();
    for row in values.records() {
        let row = row.unwrap();
        let (year, month): (i32, u32) = (row[0][..4].parse().unwrap(), row[0][5..].parse().unwrap());
        let value: u64 = row[2].parse().unwrap();
        *summed.entry((row[1].to_string(), year)).or_default() += value;
        if month == 12 {
            december.insert((row[1].to_string(), year), value);
        }
    }
    let mut checked = 0;
    for (table, item) in plan.returns_tables.iter().zip(&items) {
        assert!(item.heading.ends_with(&table.title), "{} vs {}", item.heading, table.title);
        assert_eq!(item.rows[0][1..], ["2019", "2020", "2021", "2022", "2023", "2024"], "{}", item.heading);
        let row = |title: &str| {
            item.rows[1..]
                .iter()
                .find(|row| row[0] == title)
                .unwrap_or_else(|| panic!("{}: no row {title}", item.heading))
        };
        match &table.content {
            TableContent::Values { measures, total } => {
                for id in measures {
                    let measure = definitions.returns.measure(id).unwrap();
                    for (column, year) in (2019..=2024).enumerate() {
                        let expected = match measure.kind {
                            ValueKind::Count => summed[&(id.clone(), year)],
                            ValueKind::Level => december[&(id.clone(), year)],
                        };
                        assert_eq!(
                            cell_number(&row(&measure.title)[column + 1]),
                            Some(expected as f64),
                            "{} {year}",
                            measure.title
                        );
                        checked += 1;
                    }
                }
                if let Some(label) = total {
                    for column in 1..=6 {
                        let parts: f64 = measures
                            .iter()
                            .map(|id| {
                                cell_number(&row(&definitions.returns.measure(id).unwrap().title)[column]).unwrap()
                            })
                            .sum();
                        assert_eq!(cell_number(&row(label)[column]), Some(parts), "{label}");
                    }
                }
            }
            TableContent::Calls { channel, rows } => {
                let mut by_year: std::collections::HashMap<i32, (u64, u64, u64)> = Default::default();
                let mut calls = csv::Reader::from_path(returns_dir.join(format!("calls-{channel}.csv"))).unwrap();
                for call in calls.records() {
                    let call = call.unwrap();
                    let entry = by_year.entry(call[2][..4].parse().unwrap()).or_default();
                    entry.0 += 1;
                    if &call[3] == "answered" {
                        entry.1 += 1;
                        entry.2 += call[4].parse::<u64>().unwrap();
                    }
                }
                for (column, year) in (2019..=2024).enumerate() {
                    let (received, answered, seconds) = by_year[&year];
                    let cell = |title: &str| row(title)[column + 1].clone();
                    assert_eq!(cell_number(&cell("Calls Received")), Some(received as f64), "{channel} {year}");
                    assert_eq!(cell_number(&cell("Calls Answered")), Some(answered as f64));
                    assert_eq!(cell_number(&cell("Calls Not Answered")), Some((received - answered) as f64));
                    let pct = format!("{:.2}%", 100.0 * (received - answered) as f64 / received as f64);
                    assert_eq!(cell("% Not Answered"), pct, "{channel} {year}");
                    if rows.iter().any(|row| row.title() == "Average Time To Answer") {
                        let average = (seconds as f64 / answered as f64).round() as u64;
                        assert_eq!(cell("Average Time To Answer"), format!("{average} sec"));
                    }
                    checked += 4;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} returns figures were checked");
}

fn cell_number(cell: &str) -> Option<f64> {
    cell.trim_end_matches('%').replace(',', "").trim_start_matches('+').parse().ok()
}

#[test]
fn every_printed_term_table_is_the_computed_figures() {
    let dir = paper_dir();
    let report: Value = serde_json::from_str(&read(&dir.join(format!("{STEM}.json")))).unwrap();
    let items: Vec<Printed> =
        printed(&read(&dir.join(format!("{STEM}.md")))).into_iter().filter(|item| !item.is_returns()).collect();
    let measures = report["measures"].as_array().unwrap();
    assert_eq!(items.len(), measures.len(), "a table per measure");
    for (item, measure) in items.iter().zip(measures) {
        assert!(item.heading.ends_with(measure["title"].as_str().unwrap()), "{} vs {}", item.heading, measure["title"]);
        let rows = &item.rows[1..];
        let years = measure["rows"].as_array().unwrap();
        assert_eq!(rows.len(), years.len() + 1, "{}: a row per year and the difference", item.heading);
        for (row, year) in rows.iter().zip(years) {
            assert_eq!(row[0], year["year"].to_string());
            assert_eq!(year["coverage"]["missing"].as_array().unwrap().len(), 0, "the term profile's years are whole");
            if measure["kind"] == "count" {
                assert_eq!(cell_number(&row[1]), year["value"].as_f64(), "{}: {}", item.heading, row[0]);
                assert_eq!(cell_number(&row[3]), year["change"].as_f64(), "{}: {}", item.heading, row[0]);
                match &year["pct_change"] {
                    Value::String(text) => assert_eq!(row[2], *text),
                    Value::Null => assert_eq!(row[2], "not supplied"),
                    number => assert_eq!(cell_number(&row[2]), number.as_f64()),
                }
            } else {
                assert_eq!(cell_number(&row[1]), year["numerator"].as_f64());
                assert_eq!(cell_number(&row[2]), year["denominator"].as_f64());
                assert_eq!(cell_number(&row[3]), year["rate_pct"].as_f64(), "{}: {}", item.heading, row[0]);
                assert_eq!(cell_number(&row[4]), year["change_pp"].as_f64());
            }
        }
        let last = rows.last().unwrap();
        let difference = &measure["difference"];
        assert_eq!(last[0], "6-year difference");
        if measure["kind"] == "count" {
            assert_eq!(cell_number(&last[3]), difference["change"].as_f64());
            let first = years[0]["value"].as_i64().unwrap();
            let final_year = years[years.len() - 1]["value"].as_i64().unwrap();
            assert_eq!(difference["change"].as_i64(), Some(final_year - first), "the difference is 2024 less 2019");
        } else {
            assert_eq!(cell_number(&last[4]), difference["change_pp"].as_f64());
        }
    }
}

/// Every number a sentence gives is a figure of the table above it (years and
/// the span "6-year" aside), and the headline's direction is the difference's.
#[test]
fn every_term_sentence_agrees_with_its_table() {
    let items = printed(&read(&paper_dir().join(format!("{STEM}.md"))));
    let number = Regex::new(r"\d[\d,]*(?:\.\d+)?").unwrap();
    let mut checked = 0;
    for item in &items {
        let mut cells: Vec<f64> = item.rows[1..]
            .iter()
            .flat_map(|row| row[1..].iter().filter_map(|cell| cell_number(cell)).map(f64::abs))
            .collect();
        if item.is_returns() {
            // A returns table's sentences compare its first and last years:
            // the number change, the % change (1 dp) and, for percentages,
            // the change in percentage points (2 dp).
            for row in &item.rows[1..] {
                let (Some(first), Some(last)) = (cell_number(&row[1]), cell_number(row.last().unwrap())) else {
                    continue;
                };
                cells.push((last - first).abs());
                cells.push(((last - first) * 100.0).round().abs() / 100.0);
                if first != 0.0 {
                    cells.push((1000.0 * (last - first) / first).round().abs() / 10.0);
                }
            }
        }
        for found in number.find_iter(&item.sentences) {
            let text = found.as_str().trim_end_matches(',');
            let value: f64 = text.replace(',', "").parse().unwrap();
            let after = &item.sentences[found.end()..];
            let is_year = !text.contains(['.', ',']) && (2018.0..=2024.0).contains(&value);
            let in_a_label = item.is_returns()
                && (item.heading.contains(text) || item.rows[1..].iter().any(|row| row[0].contains(text)));
            if is_year || after.starts_with("-year") || in_a_label {
                continue;
            }
            assert!(
                cells.iter().any(|cell| (cell - value).abs() < 1e-9),
                "{}: the sentence gives {text}, which is not a figure of its table\n{}",
                item.heading,
                item.sentences
            );
            checked += 1;
        }
        if item.is_returns() {
            continue;
        }
        let difference = item.rows.last().unwrap();
        let change = cell_number(difference.last().unwrap()).unwrap();
        let headline = item.sentences.split(". ").next().unwrap();
        if change < 0.0 && !headline.contains("too small") {
            assert!(headline.contains("decrease") || headline.contains("fell"), "{}: {headline}", item.heading);
        } else if change > 0.0 && !headline.contains("vary by chance") {
            assert!(headline.contains("increase") || headline.contains("rose"), "{}: {headline}", item.heading);
        }
    }
    assert!(checked > 100, "only {checked} figures were found in the sentences");
}

/// Scrutiny's own term report, in each format `check-paper` reads, has no
/// inconsistencies; and the check does read it: figures we change are found.
#[test]
fn check_paper_finds_nothing_in_the_term_report_and_finds_what_we_break() {
    for extension in ["md", "pdf"] {
        let file = paper_dir().join(format!("{STEM}.{extension}"));
        let output = run(&["check-paper", path(&file), "--format", "json"], true);
        assert_eq!(json(&output)["findings"].as_array().unwrap().len(), 0, "{extension}: {}", stdout(&output));
    }
    let markdown = read(&paper_dir().join(format!("{STEM}.md")));
    let row = Regex::new(r"(?m)^\| 2021 \| ([\d,]+) \| (-?\d+\.\d)% \|").unwrap();
    let captures = row.captures(&markdown).unwrap();
    let wrong_pct = format!("{:.1}", captures[2].parse::<f64>().unwrap() + 1.0);
    let broken = markdown
        .replacen(&captures[0], &captures[0].replace(&format!("{}%", &captures[2]), &format!("{wrong_pct}%")), 1)
        .replacen(" percentage points, from ", "%, from ", 1);
    let file = paper_dir().join("broken.md");
    std::fs::write(&file, broken).unwrap();
    let output = run(&["check-paper", path(&file), "--format", "json"], false);
    let findings = json(&output)["findings"].as_array().unwrap().clone();
    let messages: Vec<&str> = findings.iter().map(|finding| finding["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|message| message.contains("% change")), "{messages:?}");
    assert!(messages.iter().any(|message| message.contains("percentage points")), "{messages:?}");
}

#[test]
fn the_term_html_is_self_contained_and_accessible() {
    let html = read(&paper_dir().join(format!("{STEM}.html")));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en-GB\">"));
    let tables = html.matches("<table").count();
    let returns_tables =
        scrutiny_core::definitions::Definitions::builtin().plan("making-kent-safer").unwrap().returns_tables.len();
    assert_eq!(tables, 22 + returns_tables, "a table per measure and per returns table");
    assert_eq!(html.matches("<caption>").count(), tables);
    assert_eq!(html.matches("<svg role=\"img\"").count(), 22, "a chart per measure");
    assert_eq!(html.matches("<figcaption>Figure ").count(), 22);
    assert!(html.contains("<th scope=\"col\">January – December</th>"));
    assert!(html.contains("<th scope=\"row\">6-year difference</th>"));
    assert!(html.contains("Bar chart of recorded crime each calendar year from 2019 to 2024."));
    for external in ["<link", "<script", "src=\"http", "url(http", "@import", "<img"] {
        assert!(!html.contains(external), "the HTML must not load anything: found {external}");
    }
    let bytes = std::fs::read(paper_dir().join(format!("{STEM}.xlsx"))).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // A sheet per table and one of the figures' definitions.
    let sheets = 22 + returns_tables + 1;
    assert!(text.contains(&format!("xl/worksheets/sheet{sheets}.xml")), "{sheets} sheets");
    assert!(!text.contains(&format!("xl/worksheets/sheet{}.xml", sheets + 1)), "no more than {sheets} sheets");
}

#[test]
fn the_term_pdf_has_a_title_embedded_fonts_and_the_tables() {
    let pdf = paper_dir().join(format!("{STEM}.pdf"));
    let info = poppler("pdfinfo", &[path(&pdf)]);
    assert!(info.contains("End of Term Report"), "{info}");
    let pages: usize = info.lines().find_map(|line| line.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 8, "{pages} pages");
    for line in poppler("pdffonts", &[path(&pdf)]).lines().skip(2) {
        let columns: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(columns[columns.len() - 5], "yes", "every font is embedded: {line}");
    }
    let text = poppler("pdftotext", &["-layout", path(&pdf), "-"]);
    let markdown = read(&paper_dir().join(format!("{STEM}.md")));
    let all_crime_2024 =
        Regex::new(r"(?m)^\| 2024 \| ([\d,]+) \|").unwrap().captures(&markdown).unwrap()[1].to_string();
    for expected in ["January – December", "6-year difference", "Change on the year before", all_crime_2024.as_str()]
    {
        assert!(text.contains(expected), "the text layer lacks {expected:?}");
    }
}

/// seed-2024 holds September 2021 – July 2024: 2021 and 2024 are partial,
/// shown as not supplied with their months, and nothing is compared with them.
#[test]
fn partial_years_are_not_supplied_and_never_compared() {
    let out = tempfile::tempdir().unwrap();
    let store = seed_store_data();
    let args = ["paper", "term", "--plan", "making-kent-safer", "--from", "2021", "--to", "2024", "--format", "md,csv"];
    run(&[&args[..], &["--data", path(&store), "--out", path(out.path())]].concat(), true);
    let markdown = read(&out.path().join("making-kent-safer-term-2021-2024.md"));
    assert!(markdown.contains("| 2021 | not supplied (September – December only) | not supplied | not supplied |"));
    assert!(markdown.contains("| 2024 | not supplied (January – July only) | not supplied | not supplied |"));
    assert!(markdown.contains("| 4-year difference |  | not supplied | not supplied |"));
    assert!(markdown.contains(
        "2024: only January – July supplied (August – December not supplied), so the year is shown as not supplied"
    ));
    assert!(markdown.contains("the 4-year difference cannot be given, because 2021 is not supplied (September – December only) and 2024 is not supplied (January – July only)."));
    assert!(markdown.contains("The latest year that can be compared, 2023, has seen a"));
    // 2022 against 2021 is not compared; 2023 against 2022 is.
    let burglary = markdown.split("### 1.9 Burglary residential").nth(1).unwrap();
    let row_2022 = burglary.lines().find(|line| line.starts_with("| 2022 |")).unwrap();
    assert!(row_2022.ends_with("| not supplied | not supplied |"), "{row_2022}");
    let row_2023 = burglary.lines().find(|line| line.starts_with("| 2023 |")).unwrap();
    assert!(!row_2023.contains("not supplied"), "{row_2023}");
    let csv = read(&out.path().join("making-kent-safer-term-2021-2024.csv"));
    assert!(csv.contains("making-kent-safer,Kent,all-crime,count,2021,2020,4,,,,,,,"), "{csv}");
    assert!(csv.contains("making-kent-safer,Kent,all-crime,count,2024,2023,7,,,,,,,"));
    let file = out.path().join("making-kent-safer-term-2021-2024.md");
    let output = run(&["check-paper", path(&file), "--format", "json"], true);
    assert_eq!(json(&output)["findings"].as_array().unwrap().len(), 0, "{}", stdout(&output));
    // One year is no term.
    let one = ["paper", "term", "--plan", "making-kent-safer", "--from", "2022", "--to", "2022"];
    let output = run(&[&one[..], &["--data", path(&store), "--out", path(out.path())]].concat(), false);
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least two calendar years"));
}
