//! A bounded load test of a Scrutiny server on loopback: for each path, a few
//! keep-alive connections send GET requests for a few seconds; prints
//! requests a second, p50/p99 latency and any error for docs/benchmarks.md.
//!
//! `cargo run -p xtask --bin load -- 127.0.0.1:8080 <seconds> <connections> /public /public/questions …`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// One GET on a keep-alive connection: the status, after reading the whole body.
fn get(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    // One write: a request split over several packets waits on delayed ACKs.
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    reader.get_mut().write_all(request.as_bytes())?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}

fn connect(address: SocketAddr) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(address).expect("connect");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    BufReader::new(stream)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: load <127.0.0.1:PORT> <seconds> <connections> <path>…");
        std::process::exit(2);
    }
    let address: SocketAddr = args[0].parse().expect("an address like 127.0.0.1:8080");
    assert!(address.ip().is_loopback(), "the load test only runs against loopback");
    let seconds: u64 = args[1].parse().expect("seconds");
    let connections: usize = args[2].parse().expect("connections");
    assert!(seconds <= 60 && connections <= 16, "bounded: at most 60 s and 16 connections");
    println!("| Path | Requests | Requests/s | p50 (ms) | p99 (ms) | Errors |");
    println!("|---|---:|---:|---:|---:|---:|");
    for path in &args[3..] {
        let started = Instant::now();
        let until = started + Duration::from_secs(seconds);
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut latencies = Vec::new();
                    let mut errors = 0usize;
                    let mut reader = connect(address);
                    while Instant::now() < until {
                        let sent = Instant::now();
                        match get(&mut reader, &path) {
                            Ok(200) => latencies.push(sent.elapsed()),
                            _ => {
                                errors += 1;
                                reader = connect(address);
                            }
                        }
                    }
                    (latencies, errors)
                })
            })
            .collect();
        let mut latencies = Vec::new();
        let mut errors = 0;
        for worker in workers {
            let (mut more, failed) = worker.join().expect("a worker");
            latencies.append(&mut more);
            errors += failed;
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort();
        let at = |fraction: f64| {
            latencies
                .get(((latencies.len() as f64 * fraction) as usize).min(latencies.len().saturating_sub(1)))
                .map(|latency| latency.as_secs_f64() * 1000.0)
                .unwrap_or(0.0)
        };
        println!(
            "| `{path}` | {} | {:.0} | {:.2} | {:.2} | {errors} |",
            latencies.len(),
            latencies.len() as f64 / elapsed,
            at(0.50),
            at(0.99)
        );
    }
}
