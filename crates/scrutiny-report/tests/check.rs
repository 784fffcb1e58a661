//! The figures check (check-paper): the exact findings on each seed paper,
//! one finding for one altered figure, synthetic papers in each layout
//! (consistent ones give nothing), and .docx and .pdf papers made here.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use scrutiny_core::definitions::Definitions;
use scrutiny_core::narrative;
use scrutiny_core::report::{CountRow, Kind, MeasureTable, RateRow, TableRow};
use scrutiny_report::check::{ErrorKind, Finding, check_file, check_text};

fn seeds() -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    assert!(folder.is_dir(), "the seed papers are missing: expected them in {}", folder.display());
    folder
}

fn seed(prefix: &str) -> PathBuf {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seeds())
        .expect("the seeds folder can be listed")
        .map(|entry| entry.expect("a seed entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name.to_string_lossy().starts_with(prefix)))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 1, "expected exactly one seed paper starting {prefix} in {}", seeds().display());
    paths.remove(0)
}

fn seed_text(prefix: &str) -> String {
    String::from_utf8_lossy(&std::fs::read(seed(prefix)).expect("the seed can be read")).into_owned()
}

/// (line, a part of the message, printed, expected)
type Expected<'a> = (usize, &'a str, &'a str, &'a str);

fn assert_findings(findings: &[Finding], expected: &[Expected]) {
    let shown: Vec<String> =
        findings.iter().map(|f| format!("{}: {} | {} | {}", f.line, f.message, f.printed, f.expected)).collect();
    assert_eq!(findings.len(), expected.len(), "findings:\n{}", shown.join("\n"));
    for (finding, (line, message, printed, expected)) in findings.iter().zip(expected) {
        assert_eq!(finding.line, *line, "findings:\n{}", shown.join("\n"));
        assert!(finding.message.contains(message), "line {line}: {:?} does not contain {message:?}", finding.message);
        assert_eq!(finding.printed, *printed, "line {line}: {}", finding.message);
        assert_eq!(finding.expected, *expected, "line {line}: {}", finding.message);
    }
}

#[test]
fn seed_000_end_of_term_report() {
    let findings = check_file(&seed("000_")).expect("seed 000 is read");
    assert!(findings.iter().all(|finding| finding.file.starts_with("000_")));
    assert_findings(
        &findings,
        &[
            // DA satisfaction 85.2% → 87.7% is 2.5 points, not "an increase of 2.5%".
            (34, "is 2.5 percentage points, not 2.5%", "increase of 2.5%", "increase of 2.5 percentage points"),
            // 87.2% → 90.1% is 2.9 points.
            (37, "is 2.9 percentage points, not 2.9%", "increase of 2.9%", "increase of 2.9 percentage points"),
            // 92.6% → 87.7% is 4.9 points.
            (46, "is 4.9 percentage points, not 4.9%", "decrease of 4.9%", "decrease of 4.9 percentage points"),
            // 'No' answers rose from 3.7% to 6.6%: "a decrease of 2.9%" is the wrong way and the wrong unit.
            (50, "it is a rise, not a fall", "decrease of 2.9%", "increase of 2.9 percentage points"),
            // Burglary residential dwelling: 3806 − 6136 is -2330; the table and the text give 3806.
            (149, "3806 − 6136 = -2330", "3806", "-2330"),
            (154, "the table's number change is -2330", "3806", "2330"),
            // Burglary business and community: 1997 − 3302 is -1305; the table and the text give 1,997.
            (167, "1997 − 3302 = -1305", "-1997", "-1305"),
            (172, "the table's number change is -1,305", "1,997", "1,305"),
            // Crime Squad: 315 + 256 is 571 arrests; 925 + 740 is 1,665 intelligence submissions.
            (181, "315 + 256 = 571", "572", "571"),
            (186, "925 + 740 = 1,665", "1,780", "1,665"),
            // Rape: 2016 had 1,464 (2017's 2,354 less its +890), so 2020's 2,009 is the lowest in 4 years, not 5.
            (270, "2016 had 1,464", "5 years", "4 years"),
        ],
    );
}

#[test]
fn seeds_001_to_003_are_consistent() {
    // 001 and 002 have no tables of figures; 003 has survey tables whose
    // percentages all divide out and a budget table whose total adds up.
    for prefix in ["001_", "002_", "003_"] {
        assert_findings(&check_file(&seed(prefix)).expect("the seed is read"), &[]);
    }
}

#[test]
fn seed_004_quarterly_paper() {
    assert_findings(
        &check_file(&seed("004_")).expect("seed 004 is read"),
        &[
            // Solved rates and the rape charge rate: changes between rates given as "%".
            (
                52,
                "from 11.5% to 13.6% is 2.1 percentage points",
                "increase of 2.1%",
                "increase of 2.1 percentage points",
            ),
            (88, "from 9.2% to 11.2% is 2.0 percentage points", "increase of 2%", "increase of 2.0 percentage points"),
            // Hate crime: July 2024's number change is -72, not 184 (the total's).
            (390, "July 2024: the text gives a change of 184", "184", "72"),
            (
                465,
                "from 7.6% to 15.8% is 8.2 percentage points",
                "increase of 8.2%",
                "increase of 8.2 percentage points",
            ),
            // Domestic abuse solved rate 9.4% → 9.2% is a fall, not "a slight increase".
            (541, "from 9.4% to 9.2% is a fall of 0.2 percentage points", "increase", "decrease"),
            // 999 calls in July 2024: 34,667 received less 34,358 answered is 309 not answered, not 129.
            (823, "34,667 − 34,358 = 309", "129", "309"),
        ],
    );
}

/// Each alteration of one figure of a seed paper gives exactly one new
/// finding, on the altered line: (seed, line, from, to, printed, expected).
#[test]
fn one_altered_figure_in_a_seed_gives_one_finding() {
    let cases = [
        ("004_", 45, "-6.3%", "-6.1%", "-6.1%", "-6.3%"),
        ("004_", 25, "14773", "14783", "14783", "14773"),
        ("004_", 50, "2850 less", "2580 less", "2580", "2850"),
        ("004_", 86, "decrease in July 2024", "decrease in June 2024", "June 2024", "July 2024"),
        ("004_", 282, "Reductions", "Increases", "Increases", "Decreases"),
        ("004_", 501, "(+12 crimes)", "(+21 crimes)", "21", "12"),
        ("004_", 912, "20,601", "20,611", "20,611", "20,601"),
        ("004_", 1016, "11778", "11787", "11787", "11778"),
        ("004_", 354, "saw an increase of 25.6%", "saw a decrease of 25.6%", "decrease of 25.6%", "increase of 25.6%"),
        ("004_", 123, "June 2024", "July 2024", "July 2024", "June 2024"),
        ("004_", 212, "increase of 23.3%", "increase of 32.3%", "32.3%", "23.3%"),
        ("004_", 1118, "an increase of 8.2%", "an increase of 8.7%", "8.7%", "8.2%"),
        ("004_", 826, "0.36%", "0.63%", "0.63%", "0.36%"),
        ("003_", 806, "19.71%", "19.17%", "19.17%", "19.71%"),
        ("003_", 728, "£4,109,761*", "£4,109,671*", "£4,109,671", "£4,109,761"),
        ("000_", 588, "1513", "1512", "1512", "1513"),
        ("000_", 609, "4,514", "4,541", "4,541", "4,514"),
        ("000_", 130, "-7.4%", "-7.9%", "-7.9%", "-7.4%"),
        ("000_", 229, "32.4%", "23.4%", "23.4%", "32.4%"),
        ("000_", 120, "123 less victims", "123 more victims", "123 more", "123 fewer"),
        ("000_", 237, "3,233 more", "3,323 more", "3,323", "3,233"),
        ("000_", 46, "186 out of", "168 out of", "87.7%", "79.2%"),
    ];
    for (prefix, line, from, to, printed, expected) in cases {
        let text = seed_text(prefix);
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        assert!(lines[line - 1].contains(from), "{prefix}{line} does not contain {from:?}");
        lines[line - 1] = lines[line - 1].replacen(from, to, 1);
        let before = check_text("paper", &text);
        let after = check_text("paper", &lines.join("\n"));
        let new: Vec<&Finding> = after.iter().filter(|finding| !before.contains(finding)).collect();
        assert_eq!(new.len(), 1, "{prefix}{line} {from} → {to}: {new:#?}");
        assert_eq!(
            (new[0].line, new[0].printed.as_str(), new[0].expected.as_str()),
            (line, printed, expected),
            "{new:#?}"
        );
        assert_eq!(after.len(), before.len() + 1, "{prefix}{line}: a finding disappeared");
    }
}

// ---------------------------------------------------------------------------
// Scrutiny's own Markdown papers: generated ones check clean.

fn month_label(label: &str) -> String {
    let (year, month) = label.split_once('-').expect("YYYY-MM");
    let names = [
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
    ];
    format!("{} {year}", names[month.parse::<usize>().expect("a month") - 1])
}

fn count_section(id: &str, months: &[(&str, u64, u64)]) -> String {
    let definitions = Definitions::builtin();
    let measure = definitions.plan("making-kent-safer").expect("plan").measure(id).expect("measure").clone();
    let mut rows: Vec<TableRow> = months
        .iter()
        .map(|(label, now, then)| TableRow::Count(CountRow::new(label.to_string(), Some(*now), Some(*then))))
        .collect();
    let now: u64 = months.iter().map(|row| row.1).sum();
    let then: u64 = months.iter().map(|row| row.2).sum();
    rows.push(TableRow::Count(CountRow::new("total".into(), Some(now), Some(then))));
    let table = MeasureTable {
        id: id.into(),
        title: measure.title.clone(),
        priority: measure.priority.clone(),
        unit: measure.unit.clone(),
        kind: Kind::Count,
        rate_basis: None,
        rows,
    };
    let mut out = format!(
        "### {}\n\n| | {} | Last year | % Change | Number change |\n|---|---:|---:|---:|---:|\n",
        measure.title, measure.unit
    );
    for row in &table.rows {
        let TableRow::Count(row) = row else { unreachable!("count rows") };
        let label = if row.label == "total" { "3 Month total".to_string() } else { month_label(&row.label) };
        out.push_str(&format!(
            "| {label} | {} | {} | {} | {} |\n",
            row.current.expect("current"),
            row.last_year.expect("last year"),
            row.pct_change,
            row.change.expect("change")
        ));
    }
    out.push('\n');
    out.push_str(&narrative::sentences(&measure, &table).join(" "));
    out.push_str("\n\n");
    out
}

fn rate_section(id: &str, now: (u64, u64), then: (u64, u64)) -> String {
    let definitions = Definitions::builtin();
    let measure = definitions.plan("making-kent-safer").expect("plan").measure(id).expect("measure").clone();
    let row = RateRow::new("total".into(), (Some(now.0), Some(now.1)), (Some(then.0), Some(then.1)));
    let line = format!(
        "| 3 Month total | {} | {} | {}% | {} | {} | {}% | {}{} |\n",
        now.0,
        now.1,
        row.current_pct.expect("rate"),
        then.0,
        then.1,
        row.last_year_pct.expect("rate"),
        if row.change_pp.expect("change").0 > 0 { "+" } else { "" },
        row.change_pp.expect("change")
    );
    let table = MeasureTable {
        id: id.into(),
        title: measure.title.clone(),
        priority: measure.priority.clone(),
        unit: measure.unit.clone(),
        kind: Kind::Rate,
        rate_basis: None,
        rows: vec![TableRow::Rate(row)],
    };
    format!(
        "### {}\n\n| | Charges | Recorded Crime | Rate | Last year: charges | Last year: recorded crime | Last year: rate | Change (percentage points) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n{line}\n{}\n\n",
        measure.title,
        narrative::sentences(&measure, &table).join(" ")
    )
}

fn generated_paper() -> String {
    let mut paper = String::from(
        "# Making Kent Safer Plan — quarterly paper\n\nMay – July 2024 compared with May – July 2023.\n\n",
    );
    paper.push_str(&count_section(
        "burglary-residential",
        &[("2024-05", 233, 253), ("2024-06", 201, 222), ("2024-07", 224, 290)],
    ));
    paper.push_str(&count_section("robbery", &[("2024-05", 87, 99), ("2024-06", 98, 78), ("2024-07", 98, 114)]));
    paper.push_str(&count_section("fraud", &[("2024-05", 119, 102), ("2024-06", 93, 100), ("2024-07", 107, 108)]));
    paper.push_str(&count_section("asb", &[("2024-05", 2693, 2800), ("2024-06", 2627, 3010), ("2024-07", 2834, 2921)]));
    paper.push_str(&count_section(
        "all-crime",
        &[("2024-05", 14773, 14849), ("2024-06", 13574, 14642), ("2024-07", 14096, 15802)],
    ));
    paper.push_str(&count_section("rape", &[("2024-05", 40, 41), ("2024-06", 40, 40), ("2024-07", 41, 40)]));
    paper.push_str(&count_section("rape", &[("2024-05", 3, 2), ("2024-06", 1, 4), ("2024-07", 2, 1)]));
    paper.push_str(&count_section("fraud", &[("2024-05", 30, 0), ("2024-06", 1, 0), ("2024-07", 0, 0)]));
    paper.push_str(&rate_section("rape-charge-rate", (73, 461), (42, 554)));
    paper.push_str(&rate_section("domestic-abuse-solved-rate", (669, 7271), (774, 8233)));
    paper
}

#[test]
fn a_generated_paper_checks_clean() {
    let paper = generated_paper();
    // The sentences are the narrative's own.
    assert!(paper.contains(
        "Burglary residential has seen a 14.0% decrease, with 107 fewer offences than the same period last year."
    ));
    assert!(paper.contains(
        "Reductions were seen in each of the three months, the largest in July 2024 (22.8%, 66 fewer offences)."
    ));
    assert!(paper.contains("Decreases in May and July 2024; June 2024 rose by 25.6% (20 more offences)."));
    assert!(paper.contains("All crime has seen a 6.3% decrease, with 2,850 fewer offences"));
    assert!(paper.contains(
        "The rape charge rate rose 8.2 percentage points, from 7.6% to 15.8% (73 charges of 461, against 42 of 554)."
    ));
    assert!(paper.contains("| 3 Month total | 73 | 461 | 15.8% | 42 | 554 | 7.6% | +8.2 |"));
    assert_findings(&check_text("paper.md", &paper), &[]);
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|line| line.contains(needle)).unwrap_or_else(|| panic!("no line contains {needle:?}")) + 1
}

#[test]
fn one_altered_figure_in_a_generated_paper_gives_one_finding() {
    let paper = generated_paper();
    // (text to find, replacement, printed, expected, part of the message)
    let cases = [
        (
            "| July 2024 | 224 | 290 | -22.8% | -66 |",
            "| July 2024 | 224 | 290 | -21.8% | -66 |",
            "-21.8%",
            "-22.8%",
            "(224 − 290) ÷ 290",
        ),
        (
            "| July 2024 | 224 | 290 | -22.8% | -66 |",
            "| July 2024 | 224 | 290 | -22.8% | -56 |",
            "-56",
            "-66",
            "224 − 290 = -66",
        ),
        (
            "| July 2024 | 224 | 290 | -22.8% | -66 |",
            "| July 2024 | 234 | 290 | -22.8% | -66 |",
            "234",
            "224",
            "would agree with every figure",
        ),
        ("| 3 Month total | 658 | 765 |", "| 3 Month total | 685 | 765 |", "685", "658", "would agree"),
        ("with 107 fewer offences", "with 170 fewer offences", "170", "107", "the table's number change is -107"),
        (
            "has seen a 14.0% decrease",
            "has seen a 14.0% increase",
            "14.0% increase",
            "14.0% decrease",
            "the figure fell",
        ),
        (
            "the largest in July 2024 (22.8%",
            "the largest in June 2024 (22.8%",
            "June 2024",
            "July 2024",
            "are July 2024's",
        ),
        ("June 2024 rose by 25.6%", "June 2024 rose by 52.6%", "52.6%", "25.6%", "(98 against 78)"),
        ("(20 more offences)", "(20 fewer offences)", "20 fewer", "20 more", "the figure rose"),
        ("| 15.8% | 42 |", "| 16.8% | 42 |", "16.8%", "15.8%", "73 ÷ 461"),
        ("| 7.6% | +8.2 |", "| 7.6% | +8.4 |", "+8.4", "+8.2", "15.8% − 7.6%"),
        (
            "rose 8.2 percentage points",
            "rose 8.5 percentage points",
            "rose 8.5 percentage points",
            "rose 8.2 percentage points",
            "is a rise of 8.2 percentage points",
        ),
    ];
    for (find, replace, printed, expected, message) in cases {
        assert!(paper.contains(find), "{find:?} is not in the paper");
        let line = line_of(&paper, find);
        let altered = paper.replacen(find, replace, 1);
        let findings = check_text("paper.md", &altered);
        assert_eq!(findings.len(), 1, "{find} → {replace}: {findings:#?}");
        let finding = &findings[0];
        assert_eq!(
            (finding.line, finding.printed.as_str(), finding.expected.as_str()),
            (line, printed, expected),
            "{finding:#?}"
        );
        assert!(finding.message.contains(message), "{:?} does not contain {message:?}", finding.message);
    }
}

// ---------------------------------------------------------------------------
// Synthetic papers, each check in turn.

const PIPE: &str = "### 3.6 Burglary residential

| | Recorded Crime | Last year | % Change | Number change |
|---|---:|---:|---:|---:|
| May 2024 | 233 | 253 | -7.9% | -20 |
| June 2024 | 201 | 222 | -9.5% | -21 |
| July 2024 | 224 | 290 | -22.8% | -66 |
| 3 Month total | 658 | 765 | -14.0% | -107 |

Burglary residential has seen a 14.0% decrease, with 107 fewer offences than the same period last year. Reductions were seen in each of the three months, the largest in July 2024 (22.8%, 66 fewer offences).
";

#[test]
fn pipe_tables() {
    assert_findings(&check_text("p.md", PIPE), &[]);
    let wrong_total =
        PIPE.replace("| 3 Month total | 658 | 765 | -14.0% | -107 |", "| 3 Month total | 658 | 775 | -14.0% | -107 |");
    assert_findings(&check_text("p.md", &wrong_total), &[(8, "would agree with every figure", "775", "765")]);
    // Two misprints in one row: each broken relation is reported.
    let two = PIPE.replace("| June 2024 | 201 | 222 | -9.5% | -21 |", "| June 2024 | 201 | 222 | -9.0% | -12 |");
    assert_findings(
        &check_text("p.md", &two),
        &[(6, "(201 − 222) ÷ 222 = -9.5%", "-9.0%", "-9.5%"), (6, "201 − 222 = -21", "-12", "-21")],
    );
}

#[test]
fn zero_baselines_are_not_applicable() {
    let table = "| | Recorded Crime | Last year | % Change | Number change |\n|---|---:|---:|---:|---:|\n| May 2024 | 30 | 0 | n/a | 30 |\n| June 2024 | 4 | 5 | -20.0% | -1 |\n";
    assert_findings(&check_text("z.md", table), &[]);
    let with_percent = table.replace("| n/a |", "| 100.0% |");
    assert_findings(&check_text("z.md", &with_percent), &[(3, "there is no percentage change", "100.0%", "n/a")]);
    let with_na = table.replace("| -20.0% |", "| n/a |");
    assert_findings(&check_text("z.md", &with_na), &[(4, "(4 − 5) ÷ 5", "n/a", "-20.0%")]);
}

/// The seed 004 layout: a cell per tab-indented line, rows between blank lines.
fn cell_layout(rows: &[[&str; 5]]) -> String {
    let mut out = String::from("3.8 Robbery\n \tRecorded Crime\n\tLast year\n\t% Change\n\tNumber change\n\n");
    for row in rows {
        for cell in row {
            out.push('\t');
            out.push_str(cell);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("\n\n");
    out
}

#[test]
fn seed_layout_tables_and_sentences() {
    let mut text = cell_layout(&[
        ["May 2024", "87", "99", "-12.1%", "-12"],
        ["June 2024", "98", "78", "25.6%", "20"],
        ["July 2024", "98", "114", "-14.0%", "-16"],
        ["3 Month total", "283", "291", "-2.7%", "-8"],
    ]);
    let sentence_line = text.lines().count() + 1;
    text.push_str("Robbery offences have experienced a decrease of -2.7%, with 8 less crimes compared to the same period last year. Decreases were seen in May and July 2024, whilst June 2024 saw an increase of 25.6% with 20 more offences compared to June 2023.\n");
    // "a decrease of -2.7%" (a double negative) and "less crimes" are wording, not inconsistencies.
    assert_findings(&check_text("s.txt", &text), &[]);
    let altered = text.replace("\t-16\n", "\t-61\n");
    assert_findings(&check_text("s.txt", &altered), &[(23, "98 − 114 = -16", "-61", "-16")]);
    let wrong_way =
        text.replace("Decreases were seen in May and July 2024", "Decreases were seen in May and June 2024");
    let findings = check_text("s.txt", &wrong_way);
    assert_findings(
        &findings,
        &[(sentence_line, "June 2024: the text gives a fall, but the figure rose", "Decreases", "Increases")],
    );
    let contradiction = text.replace("a decrease of -2.7%", "an increase of -2.7%");
    assert_findings(
        &check_text("s.txt", &contradiction),
        &[(sentence_line, "the text gives a rise, but the figure fell", "increase of -2.7%", "decrease of 2.7%")],
    );
    let sign_and_word = text.replace("a decrease of -2.7%", "a decrease of +2.7%");
    assert_findings(
        &check_text("s.txt", &sign_and_word),
        &[(sentence_line, "a sign saying the opposite", "+2.7%", "2.7%")],
    );
}

#[test]
fn calendar_years_and_differences() {
    let text = "### Burglary\n\nJanuary - December\tRecorded Crime\t% Change\tNumber change\n2018\t8544\t\t\n2019\t7914\t-7.4%\t-630\n2020\t5660\t-28.5%\t-2254\n\n3-year difference\t-33.8%\t-2884\n\nBurglary offences have seen a significant 33.8% decrease, with 2884 less offences over the last 3 years. The current year has seen a notable 28.5% decrease, with 2254 less offences; this is the lowest in 3 years.\n";
    assert_findings(&check_text("c.txt", text), &[]);
    assert_findings(
        &check_text("c.txt", &text.replace("-2884\n", "-2848\n")),
        &[(8, "5660 − 8544 = -2884", "-2848", "-2884")],
    );
    assert_findings(
        &check_text("c.txt", &text.replace("with 2254 less", "with 2245 less")),
        &[(10, "2020: the text gives a change of 2245", "2245", "2254")],
    );
    assert_findings(
        &check_text("c.txt", &text.replace("lowest in 3 years", "highest in 3 years")),
        &[(10, "called the highest in 3 years, but 2019 had 7,914", "3 years", "1 years")],
    );
    // The first year's % change is checked against the year before it implies.
    let first = "Year\tRecorded Crime\t% Change\tNumber change\n2017\t2354\t60.8%\t890\n2018\t2552\t8.4%\t198\n";
    assert_findings(&check_text("f.txt", first), &[]);
    assert_findings(
        &check_text("f.txt", &first.replace("60.8%", "50.8%")),
        &[(2, "890 ÷ (2354 − 890)", "50.8%", "60.8%")],
    );
}

#[test]
fn totals_calls_and_surveys() {
    let calls = "\t999 Contact:\n\tApril 2024\n\tMay 2024\n\n\tCalls Received\n\t28,782\n\t32,138\n\n\tCalls Answered\n\t28,678\n\t32,007\n\n\tCalls Not Answered\n\t104\n\t131\n\n\t% Not Answered\n\t0.36%\n\t0.41%\n\n\n";
    assert_findings(&check_text("calls.txt", calls), &[]);
    assert_findings(
        &check_text("calls.txt", &calls.replace("\t131\n", "\t113\n")),
        &[(15, "32,138 − 32,007 = 131", "113", "131")],
    );
    assert_findings(
        &check_text("calls.txt", &calls.replace("0.41%", "0.44%")),
        &[(19, "131 ÷ 32,138 = 0.41%", "0.44%", "0.41%")],
    );
    let survey = "Q6) Would you pay more?\n\n\t\tResponse Percent\tResponse Total\nYes\t\t73.76%\t2595\nNo\t\t26.24%\t923\n\t\tanswered\t3518\n";
    assert_findings(&check_text("survey.txt", survey), &[]);
    assert_findings(
        &check_text("survey.txt", &survey.replace("26.24%", "26.42%")),
        &[(5, "923 ÷ 3518 = 26.24%", "26.42%", "26.24%")],
    );
    let squad = "\t2019/20 Year 1 total\t2020/21 Year 2 total\tOverall Total\nArrests\t315\t256\t571\nCourt Sentences\t377 years\t459 years\t836 years\n";
    assert_findings(&check_text("squad.txt", squad), &[]);
    assert_findings(
        &check_text("squad.txt", &squad.replace("836 years", "863 years")),
        &[(3, "377 years + 459 years", "863 years", "836 years")],
    );
}

#[test]
fn changes_between_percentages_are_percentage_points() {
    let cases = [
        ("The solved rate rose 2.1 percentage points, from 11.5% to 13.6%.", None),
        ("The solved rate was 13.6%, an increase of 18.3% from 11.5% last year.", None),
        (
            "The solved rate was 13.6%, an increase of 2.1% from 11.5% last year.",
            Some(("increase of 2.1%", "increase of 2.1 percentage points")),
        ),
        ("There has been a slight increase in the solved rate, from 9.4% to 9.2%.", Some(("increase", "decrease"))),
        ("The solved rate fell from 9.4% to 9.2%.", None),
        (
            "The solved rate rose 3.1 percentage points, from 11.5% to 13.6%.",
            Some(("rose 3.1 percentage points", "rose 2.1 percentage points")),
        ),
        // Figures that cannot be tied to anything produce nothing.
        ("The arrest rate has increased by 1.4% and the charge rate by 1.9%.", None),
        ("A 13.7% decrease in motor vehicle nuisance incidents, with 254 less incidents.", None),
    ];
    for (sentence, expected) in cases {
        let findings = check_text("r.md", sentence);
        match expected {
            None => assert_findings(&findings, &[]),
            Some((printed, expected)) => assert_findings(&findings, &[(1, "", printed, expected)]),
        }
    }
}

#[test]
fn shares_divide_out() {
    let consistent = "87.7% of victims (186 out of a total 212) were satisfied. The 'No' share rose from 5/136 (3.7%) to 14/212 (6.6%). Aged 35 and under: 73.6% (475 yes; 170 no).";
    assert_findings(&check_text("f.md", consistent), &[]);
    let wrong = consistent.replace("73.6% (475", "76.3% (475");
    assert_findings(&check_text("f.md", &wrong), &[(1, "475 yes of 645 answers", "76.3%", "73.6%")]);
}

// ---------------------------------------------------------------------------
// Files: .docx and .pdf made here, and errors.

fn temporary(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join(name);
    std::fs::write(&path, bytes).expect("the file is written");
    (folder, path)
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn table_row(cells: &[&str]) -> String {
    let cells: String = cells.iter().map(|cell| format!("<w:tc>{}</w:tc>", paragraph(cell))).collect();
    format!("<w:tr>{cells}</w:tr>")
}

fn docx(body: &str) -> Vec<u8> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("[Content_Types].xml", options).expect("zip entry");
    writer.write_all(b"<?xml version=\"1.0\"?><Types/>").expect("zip write");
    writer.start_file("word/document.xml", options).expect("zip entry");
    writer.write_all(xml.as_bytes()).expect("zip write");
    writer.finish().expect("zip finished").into_inner()
}

#[test]
fn docx_papers() {
    let body = [
        paragraph("3.9 Hate Crime"),
        format!(
            "<w:tbl>{}{}{}{}{}</w:tbl>",
            table_row(&["", "Recorded Crime", "Last year", "% Change", "Number change"]),
            table_row(&["May 2024", "391", "452", "-13.5%", "-61"]),
            table_row(&["June 2024", "366", "417", "-12.2%", "-51"]),
            table_row(&["July 2024", "343", "415", "-17.3%", "-72"]),
            table_row(&["3 Month total", "1100", "1284", "-14.3%", "-184"]),
        ),
        paragraph("Hate crime experienced a decrease of -14.3% with 184 less offences compared to the same period last year. Decreases were seen across all three months in this period with the most notable being in July 2024 with a decrease of -17.3% (184 less offences)."),
    ]
    .concat();
    let (_folder, path) = temporary("paper.docx", &docx(&body));
    // Line 7: the paragraph after the heading and the five table rows.
    assert_findings(
        &check_file(&path).expect("the .docx is read"),
        &[(7, "July 2024: the text gives a change of 184", "184", "72")],
    );
    let (_folder, broken) = temporary("broken.docx", b"PK not really a zip");
    let error = check_file(&broken).expect_err("a broken .docx is an error");
    assert_eq!(error.kind, ErrorKind::Format);
    assert!(error.to_string().contains("broken.docx"), "{error}");
}

/// A one-page PDF whose text layer has each piece of text at (x, y) in Helvetica 10.
fn pdf(pieces: &[(f32, f32, &str)]) -> Vec<u8> {
    let mut content = String::from("BT\n/F1 10 Tf\n");
    for (x, y, text) in pieces {
        let escaped = text.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
        content.push_str(&format!("1 0 0 1 {x} {y} Tm\n({escaped}) Tj\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

#[test]
fn pdf_papers() {
    let mut pieces: Vec<(f32, f32, &str)> = vec![(72.0, 740.0, "3.6 Burglary residential")];
    let header = [(200.0, "Recorded Crime"), (300.0, "Last year"), (400.0, "% Change"), (500.0, "Number change")];
    pieces.extend(header.iter().map(|(x, text)| (*x, 700.0, *text)));
    let rows = [
        ["May 2024", "233", "253", "-7.9%", "-20"],
        ["June 2024", "201", "222", "-9.5%", "-21"],
        ["July 2024", "224", "290", "-22.8%", "-66"],
        ["3 Month total", "658", "765", "-14.0%", "-107"],
    ];
    for (index, row) in rows.iter().enumerate() {
        let y = 686.0 - 14.0 * index as f32;
        for (column, text) in row.iter().enumerate() {
            pieces.push(([72.0, 200.0, 300.0, 400.0, 500.0][column], y, text));
        }
    }
    pieces.push((
        72.0,
        600.0,
        "Burglary residential has seen a 14.0% decrease, with 170 fewer offences than the same period",
    ));
    pieces.push((72.0, 586.0, "last year. The solved rate was 13.6%, an increase of 2.1% from 11.5% last year."));
    let (_folder, path) = temporary("paper.pdf", &pdf(&pieces));
    let findings = check_file(&path).expect("the PDF is read");
    // Lines of the text layer: 1 heading, 2 blank, 3 header, 4–7 rows, 8 blank, 9–10 the paragraph.
    assert_findings(
        &findings,
        &[
            (9, "the table's number change is -107", "170", "107"),
            (
                10,
                "from 11.5% to 13.6% is 2.1 percentage points",
                "increase of 2.1%",
                "increase of 2.1 percentage points",
            ),
        ],
    );
    let (_folder, broken) = temporary("broken.pdf", b"%PDF-1.4 nothing else");
    assert_eq!(check_file(&broken).expect_err("a broken PDF is an error").kind, ErrorKind::Format);
}

#[test]
fn unreadable_and_unsupported_files_are_errors() {
    let missing = check_file(Path::new("/no/such/paper.md")).expect_err("a missing file is an error");
    assert_eq!(missing.kind, ErrorKind::Io);
    let (_folder, path) = temporary("paper.odt", b"anything");
    let unsupported = check_file(&path).expect_err("an .odt is not read");
    assert_eq!(unsupported.kind, ErrorKind::Unsupported);
    assert!(unsupported.to_string().contains(".md, .txt, .docx or .pdf"), "{unsupported}");
}

#[test]
fn findings_serialise_with_the_contract_field_names() {
    let findings = check_text("p.md", &PIPE.replace("107 fewer", "170 fewer"));
    let json = serde_json::to_value(serde_json::json!({ "findings": findings })).expect("json");
    let finding = &json["findings"][0];
    let mut keys: Vec<&str> = finding.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["expected", "file", "line", "message", "printed"]);
    assert_eq!(finding["line"], 10);
    assert_eq!(finding["file"], "p.md");
}

/// Regression: a chart's alt text ("Highest: 13.6% in June 2024; lowest:
/// 11.3% in July 2022") under a rate table was read as a claim about the
/// rates; a Markdown image describes a figure and states nothing.
#[test]
fn chart_alt_text_is_not_a_claim() {
    let section = rate_section("rape-charge-rate", (73, 461), (42, 554));
    let image = "![Line chart of rate (%) each month. Highest: 16.2% in June 2024; lowest: 5.1% in July 2022.](charts/rape-charge-rate.svg)\n";
    assert_findings(&check_text("paper.md", &format!("{section}{image}")), &[]);
    // The same words as a sentence of the paper are checked.
    let sentence = "The rate was 16.2% this period, against 5.1% last year.\n";
    assert!(!check_text("paper.md", &format!("{section}{sentence}")).is_empty());
}

/// A statement of a survey's margin of error names a share, a confidence
/// level and "lower": it is not a change between two levels, and a real
/// change beside it is still checked.
#[test]
fn a_margin_of_error_is_not_read_as_a_change() {
    let margin = "With 3,648 responses, a share near 50% is estimated within ±1.6 percentage points at the 95% confidence level; this is a lower bound on the uncertainty.\n";
    assert!(check_text("survey.md", margin).is_empty(), "{:?}", check_text("survey.md", margin));
    let wrong = "Satisfaction fell 4.9 percentage points, from 87.7% to 92.6%.\n";
    let findings = check_text("survey.md", wrong);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].expected, "rose 4.9 percentage points");
}

#[test]
fn meeting_papers_are_told_apart_by_their_contents() {
    use scrutiny_core::governance::PaperFormat;
    let read = scrutiny_report::check::paper_text(&docx(&paragraph("Revenue budget: overspend on overtime")))
        .expect("a .docx is a paper");
    assert_eq!(read.format, PaperFormat::Docx);
    assert_eq!(read.text, "Revenue budget: overspend on overtime");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(
        scrutiny_report::check::paper_text(png).unwrap_err(),
        "the file is neither a PDF nor a Word document (.docx)"
    );
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("sheet.xml", zip::write::SimpleFileOptions::default()).expect("zip entry");
    writer.write_all(b"<x/>").expect("zip write");
    let not_word = writer.finish().expect("zip finished").into_inner();
    assert_eq!(
        scrutiny_report::check::paper_text(&not_word).unwrap_err(),
        "the file is a zip archive but not a Word document (.docx)"
    );
    assert_eq!(
        scrutiny_report::check::paper_text(b"%PDF-1.7 but nothing else").unwrap_err(),
        "the file starts like a PDF but cannot be read as one"
    );
}
