//! The public portal served from a records store: its figures are the
//! quarterly report's, and sensitive counts below the threshold are
//! suppressed on every page and download.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{path, seed_quarterly_json, seed_store_data};

/// A `scrutiny serve` of the seed store on a free loopback port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let listen = format!("127.0.0.1:{port}");
        let store = seed_store_data();
        let mut args = vec!["serve", "--data", path(&store), "--listen", &listen];
        args.extend_from_slice(extra);
        let child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let server = Server { child, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "scrutiny serve did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// GET `path`: the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let (head, body) = reply.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_string())
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn figure<'a>(figures: &'a Value, measure: &str, row: &str, column: &str) -> &'a Value {
    figures["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["measure_id"] == measure && item["row"] == row && item["column"] == column)
        .unwrap_or_else(|| panic!("no figure {measure} {row} {column}"))
}

#[test]
fn the_portal_publishes_the_quarterly_reports_figures_and_suppresses_small_sensitive_counts() {
    let report = seed_quarterly_json();
    // Served one after the other: both use the store's governance database.
    {
        let server = Server::start(&[]);
        let figures = server.json("/public/figures.json");
        let mut compared = 0;
        for measure in report["measures"].as_array().unwrap() {
            let id = measure["id"].as_str().unwrap();
            for row in measure["rows"].as_array().unwrap() {
                let label = row["label"].as_str().unwrap();
                let (column, expected) = if measure["kind"] == "count" {
                    ("current", &row["current"])
                } else {
                    ("numerator", &row["numerator"])
                };
                let published = figure(&figures, id, label, column);
                assert_eq!(published["value"].as_f64(), expected.as_f64(), "{id} {label} {column}");
                let status = if expected.is_null() { "not supplied" } else { "ok" };
                assert_eq!(published["status"], status, "{id} {label}");
                assert_eq!(published["plan_id"], "making-kent-safer");
                assert_eq!(published["period_to"], if label == "total" { "2024-07" } else { label });
                compared += 1;
            }
        }
        assert!(compared > 80, "{compared} figures compared");
        let rate = figure(&figures, "rape-charge-rate", "total", "rate_percent");
        assert!(rate["rate_basis"].as_str().unwrap().contains("outcomes assigned in the period"));
        assert!(!rate["data_extracted_on"].as_str().unwrap().is_empty());
        let (status, page) = server.get("/public/priorities/tackle-vawg");
        assert_eq!(status, 200);
        assert!(page.contains("Rape offences") && page.contains("<svg"), "the page has the measure and its chart");
        assert!(page.contains("Rape offences have seen"), "and the narrative");
        let (status, csv) = server.get("/public/figures.csv");
        assert_eq!(status, 200);
        assert!(csv.starts_with("force,plan_id,plan_version,priority_id,measure_id"));
    }
    {
        // A threshold above the seed force's monthly rape counts (about 150).
        let server = Server::start(&["--suppress-below", "200"]);
        let figures = server.json("/public/figures.json");
        for label in ["2024-05", "2024-06", "2024-07"] {
            assert_eq!(figure(&figures, "rape", label, "current")["status"], "suppressed", "{label}");
            assert_eq!(figure(&figures, "rape", label, "number_change")["status"], "suppressed", "{label}");
            assert_eq!(figure(&figures, "rape-charge-rate", label, "denominator")["status"], "suppressed");
            assert_eq!(figure(&figures, "rape-charge-rate", label, "rate_percent")["status"], "suppressed");
            assert!(figure(&figures, "rape", label, "current")["value"].is_null());
        }
        assert_eq!(figure(&figures, "rape", "total", "current")["status"], "ok", "461 is above 200");
        assert_eq!(figure(&figures, "all-crime", "2024-07", "current")["status"], "ok");
        let (_, page) = server.get("/public/priorities/tackle-vawg");
        assert!(page.contains("suppressed"));
        assert!(!page.contains("Rape offences have seen"), "the narrative quoting the counts is withheld");
        assert!(page.contains("Some figures of this measure are not published"));
        let (_, csv) = server.get("/public/priorities/tackle-vawg/figures.csv");
        for line in csv.lines().filter(|line| line.contains(",rape,") && line.contains(",2024-07,2024-07,")) {
            assert!(line.contains(",suppressed,"), "{line}");
        }
    }
}
