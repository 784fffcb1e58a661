//! The survey golden test: generate survey-2019, run `survey report` as
//! JSON and compare with every figure of ../shared/golden/seed003-survey.json
//! (the Annual Policing Survey 2019 and the victim satisfaction figures);
//! plus the other formats, determinism, redaction and bad input.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{ink, json, path, poppler, run, seed_store_data, shared, stderr, stdout};

fn generate(dir: &Path) -> PathBuf {
    let out = dir.join("survey");
    run(&["generate", "--profile", "survey-2019", "--out", path(&out)], true);
    out
}

fn report(out: &Path, format: &str) -> std::process::Output {
    run(
        &[
            "survey",
            "report",
            "--survey",
            path(&out.join("survey-definition.toml")),
            "--responses",
            path(&out.join("responses.csv")),
            "--victim-satisfaction",
            path(&out.join("victim-satisfaction.csv")),
            "--format",
            format,
        ],
        true,
    )
}

fn question<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|question| question["id"] == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

fn subgroup<'a>(question: &'a Value, id: &str) -> &'a Value {
    question["subgroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|group| group["id"] == id)
        .unwrap_or_else(|| panic!("no subgroup {id} of {}", question["id"]))
}

fn option<'a>(options: &'a Value, label: &str) -> &'a Value {
    options
        .as_array()
        .unwrap()
        .iter()
        .find(|option| option["label"] == label)
        .unwrap_or_else(|| panic!("no option {label}"))
}

fn places(value: &Value, places: usize) -> String {
    format!("{:.places$}", value.as_f64().unwrap_or_else(|| panic!("{value} is not a number")))
}

fn stage<'a>(report: &'a Value, survey: &str, year: &str, stage: &str) -> &'a Value {
    let survey =
        report["victim_satisfaction"]["surveys"].as_array().unwrap().iter().find(|s| s["id"] == survey).unwrap();
    let label = format!("financial year to December {year}");
    let period = survey["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == label.as_str())
        .unwrap_or_else(|| panic!("no period {label}"));
    period["stages"].as_array().unwrap().iter().find(|s| s["id"] == stage).unwrap_or_else(|| panic!("no stage {stage}"))
}

#[test]
fn every_figure_of_the_annual_policing_survey_and_victim_satisfaction() {
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(shared().join("golden/seed003-survey.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = generate(dir.path());
    let output = report(&out, "json");
    let ours = json(&output);
    assert_eq!(ours["diagnostics"].as_array().unwrap().len(), 0, "{}", stderr(&output));
    assert_eq!(ours["responses"], golden["responses"]);

    let q1 = question(&ours, "q1");
    for (group, mean) in golden["q1_safety_mean"].as_object().unwrap() {
        let figure = if group == "all" { &q1["mean"]["mean"] } else { &subgroup(q1, group)["mean"]["mean"] };
        assert_eq!(places(figure, 2), places(mean, 2), "q1 mean of {group}");
    }
    assert_eq!(q1["answered"], golden["responses"]);

    let q2 = question(&ours, "q2");
    let victims = &golden["q2_victim"];
    assert_eq!(q2["answered"], victims["answered"]);
    assert_eq!(option(&q2["options"], "Yes")["count"], victims["yes"]);
    assert_eq!(option(&q2["options"], "No")["count"], victims["no"]);
    assert_eq!(places(&option(&q2["options"], "Yes")["percent"], 2), places(&victims["yes_pct"], 2));
    assert_eq!(places(&option(&q2["options"], "No")["percent"], 2), places(&victims["no_pct"], 2));

    let q3 = question(&ours, "q3");
    assert_eq!(q3["answered"], golden["q3_victim_satisfaction_mean"]["answered"]);
    assert_eq!(places(&q3["mean"]["mean"], 2), places(&golden["q3_victim_satisfaction_mean"]["mean"], 2));

    for (id, key) in [("q4", "q4_issues_top6"), ("q5", "q5_focus_top3")] {
        let figures = question(&ours, id);
        assert_eq!(figures["answered"], golden[key]["answered"], "{id} answered");
        let options = golden[key]["options"].as_object().unwrap();
        assert_eq!(figures["options"].as_array().unwrap().len(), options.len());
        for (label, count) in options {
            assert_eq!(&option(&figures["options"], label)["count"], count, "{id} {label}");
        }
    }

    let q6 = question(&ours, "q6");
    let pay = &golden["q6_pay_more"];
    assert_eq!(q6["answered"], pay["answered"]);
    assert_eq!(option(&q6["options"], "Yes")["count"], pay["yes"]);
    assert_eq!(option(&q6["options"], "No")["count"], pay["no"]);
    assert_eq!(places(&option(&q6["options"], "Yes")["percent"], 2), places(&pay["yes_pct"], 2));
    for (group, split) in pay["subgroups"].as_object().unwrap() {
        let figures = subgroup(q6, group);
        assert_eq!(option(&figures["options"], "Yes")["count"], split[0], "q6 yes of {group}");
        assert_eq!(option(&figures["options"], "No")["count"], split[1], "q6 no of {group}");
    }

    let satisfaction = &golden["victim_satisfaction_000"];
    for (key, year) in [("fy_to_dec_2020", "2020"), ("fy_to_dec_2019", "2019")] {
        let figure = stage(&ours, "rape", year, "treated-fairly");
        let expected = &satisfaction["rape_treated_fairly"][key];
        assert_eq!(
            [&figure["satisfied"], &figure["total"]],
            [&expected[0], &expected[1]],
            "rape treated fairly {year}"
        );
    }
    assert_eq!(places(&stage(&ours, "rape", "2020", "treated-fairly")["percent"], 1), "87.7");
    assert_eq!(places(&stage(&ours, "rape", "2019", "treated-fairly")["percent"], 1), "92.6");
    // The seed's "decrease of 4.9%" is a change in percentage points.
    assert_eq!(places(&stage(&ours, "rape", "2020", "treated-fairly")["change"]["percentage_points"], 1), "-4.9");
    let percents = [
        ("rape_dignity_respect_pct", "rape", Some("dignity-and-respect")),
        ("hate_crime_overall_pct", "hate-crime", Some("overall")),
        ("domestic_abuse_overall_pct", "domestic-abuse", Some("overall")),
        ("hate_crime_stages_pct_2020", "hate-crime", None),
        ("domestic_abuse_stages_pct_2020", "domestic-abuse", None),
    ];
    for (key, survey, stage_id) in percents {
        for (name, expected) in satisfaction[key].as_object().unwrap() {
            let figure = match stage_id {
                Some(stage_id) => stage(&ours, survey, name, stage_id),
                None => stage(&ours, survey, "2020", &name.replace(' ', "-")),
            };
            assert_eq!(places(&figure["percent"], 1), places(expected, 1), "{key} {name}");
        }
    }
    assert!(
        ours["victim_satisfaction"]["counting_rule"]
            .as_str()
            .unwrap()
            .contains("\"Partly\" answers are counted as not satisfied")
    );

    // The margin of error replaces "statistically significant at the 95% confidence level".
    assert_eq!(places(&ours["margin_of_error"]["percentage_points"], 2), "1.62");
    // Weighting by age and sex: an effective sample smaller than those weighted.
    let weighting = &ours["weighting"];
    assert!(weighting["effective_sample_size"].as_f64().unwrap() < weighting["respondents_weighted"].as_f64().unwrap());
    // Sampled comments carry no personal details.
    for id in ["q3_comment", "q7", "q8"] {
        let comments = question(&ours, id)["comments"].as_array().unwrap().clone();
        assert!(!comments.is_empty(), "{id} has no sampled comments");
        for comment in comments {
            let text = comment["text"].as_str().unwrap();
            assert!(!text.contains('@') && !text.contains("07700") && !text.contains("Hartley"), "{id}: {text}");
        }
    }
    // The generator writes a comment with personal details now and then; the file has them, the report not.
    let responses = std::fs::read_to_string(out.join("responses.csv")).unwrap();
    assert!(responses.contains("My name is Daniel Hartley"));
}

#[test]
fn generation_is_deterministic_and_every_format_prints_the_figures() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let (a, b) = (generate(first.path()), generate(second.path()));
    for file in ["responses.csv", "survey-definition.toml", "victim-satisfaction.csv"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file} differs between runs"
        );
    }
    let text = stdout(&report(&a, "text"));
    assert!(text.contains("6.38"), "{text}");
    assert!(text.contains("186 out of 212"), "{text}");
    let markdown = stdout(&report(&a, "md"));
    assert!(markdown.contains("| Yes | 19.71% | 719 |"), "{markdown}");
    assert!(markdown.contains("| answered | 3,648 |"), "{markdown}");
    let html = stdout(&report(&a, "html"));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<td>87.7%</td>"), "{html}");
    let csv = stdout(&report(&a, "csv"));
    assert!(csv.contains("victim_satisfaction,rape,financial year to December 2020,treated-fairly,186,212,"), "{csv}");
}

/// The PDF has the same figures as the other formats in its text layer, and
/// its pages are drawn; `--format pdf` without `--out` is refused.
#[test]
fn the_survey_pdf_has_the_figures_and_drawn_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate(dir.path());
    let args = |format: &'static str, file: Option<&Path>| {
        let mut args = vec![
            "survey".to_string(),
            "report".to_string(),
            "--survey".to_string(),
            path(&out.join("survey-definition.toml")).to_string(),
            "--responses".to_string(),
            path(&out.join("responses.csv")).to_string(),
            "--victim-satisfaction".to_string(),
            path(&out.join("victim-satisfaction.csv")).to_string(),
            "--format".to_string(),
            format.to_string(),
        ];
        if let Some(file) = file {
            args.extend(["--out".to_string(), path(file).to_string()]);
        }
        args
    };
    let pdf = dir.path().join("survey.pdf");
    let written = args("pdf", Some(&pdf));
    run(&written.iter().map(String::as_str).collect::<Vec<_>>(), true);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let text = poppler("pdftotext", &["-layout", path(&pdf), "-"]);
    for figure in ["Annual Policing Survey 2019", "3,648 responses", "6.38", "19.71%", "186 out of 212", "87.7%"] {
        assert!(text.contains(figure), "the PDF's text lacks {figure}");
    }
    let page = dir.path().join("page");
    poppler("pdftoppm", &["-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", path(&pdf), path(&page)]);
    let (dark, total) = ink(&dir.path().join("page.png"));
    assert!(dark * 100 > total && dark * 2 < total, "page 1 looks blank or black: {dark} of {total}");

    let refused = args("pdf", None);
    let output = run(&refused.iter().map(String::as_str).collect::<Vec<_>>(), false);
    assert!(stderr(&output).contains("--format pdf writes a file: give --out FILE"), "{}", stderr(&output));
}

#[test]
fn bad_survey_rows_are_listed_and_strict_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate(dir.path());
    let responses = std::fs::read_to_string(out.join("responses.csv")).unwrap();
    let mut lines: Vec<String> = responses.lines().map(str::to_string).collect();
    // Line 3: an out-of-range safety score (the first field after the id).
    let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    fields[1] = "12".to_string();
    lines[2] = fields.join(",");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let definition = out.join("survey-definition.toml");
    let args = ["survey", "report", "--survey", path(&definition), "--responses", path(&bad)];
    let output = run(&args, true);
    let message = stderr(&output);
    assert!(message.contains(&format!("{}:3: ", bad.display())), "{message}");
    assert!(message.contains("score 12 is out of range (1 to 10)"), "{message}");
    let report = stdout(&output);
    assert!(report.contains("1 answers or rows could not be read"), "{report}");
    let mut strict = args.to_vec();
    strict.push("--strict");
    run(&strict, false);
}

/// `paper quarterly` with a survey: the paper's survey section shows the
/// figures `survey report --format json` computes, its sentences give the
/// changes between the shares as printed, and check-paper finds nothing.
#[test]
fn the_quarterly_paper_gains_a_survey_section_with_the_reports_figures() {
    let dir = tempfile::tempdir().unwrap();
    let survey = generate(dir.path());
    let paper = dir.path().join("paper");
    let store = seed_store_data();
    let (definition, responses, victims) =
        (survey.join("survey-definition.toml"), survey.join("responses.csv"), survey.join("victim-satisfaction.csv"));
    let args = [
        "paper",
        "quarterly",
        "--plan",
        "making-kent-safer",
        "--to",
        "2024-07",
        "--data",
        path(&store),
        "--out",
        path(&paper),
        "--format",
        "md,html",
        "--survey",
        path(&definition),
        "--responses",
        path(&responses),
        "--victim-satisfaction",
        path(&victims),
    ];
    run(&args, true);
    let markdown = std::fs::read_to_string(paper.join("making-kent-safer-2024-07.md")).unwrap();
    let section = markdown.split("## 8. Public confidence and victim satisfaction").nth(1).expect("a survey section");
    let report = json(&report(&survey, "json"));

    let safety = question(&report, "q1");
    let mean = places(&safety["mean"]["mean"], 2);
    let row = format!("| How safe do you feel where you live, on a scale of 1 to 10? | 3,648 | {mean} |");
    assert!(section.contains(&row), "{row} not in\n{section}");
    assert!(section.contains("within ±1.6 percentage points"), "the margin of error is stated");

    let rape = stage(&report, "rape", "2020", "treated-fairly");
    let rape_last = stage(&report, "rape", "2019", "treated-fairly");
    let now = places(&rape["percent"], 1);
    let before = places(&rape_last["percent"], 1);
    let cells =
        format!("| Treated fairly throughout the case | {now}% | 186 out of 212 | {before}% | 126 out of 136 |");
    assert!(section.contains(&cells), "{cells} not in\n{section}");
    let points = (now.parse::<f64>().unwrap() - before.parse::<f64>().unwrap()).abs();
    let sentence = format!("{points:.1} percentage points lower than in the financial year to December 2019");
    assert!(section.contains(&sentence), "{sentence} not in\n{section}");

    let html = std::fs::read_to_string(paper.join("making-kent-safer-2024-07.html")).unwrap();
    assert!(html.contains("Rape victim satisfaction") && html.contains("<th scope=\"col\">Change</th>"));
    let checked = run(&["check-paper", path(&paper.join("making-kent-safer-2024-07.md")), "--format", "json"], true);
    assert_eq!(json(&checked)["findings"].as_array().unwrap().len(), 0, "{}", stdout(&checked));
}
