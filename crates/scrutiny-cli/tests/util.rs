//! Helpers for running the `scrutiny` binary and finding ../shared.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shared folder beside the repository (real data and golden figures).
pub fn shared() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(path.is_dir(), "../shared is missing beside the repository ({}); tests need it", path.display());
    path.canonicalize().unwrap()
}

/// Runs `scrutiny` with `args`; panics with its output if the exit status is not `success`.
pub fn run(args: &[&str], success: bool) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_scrutiny")).args(args).output().expect("the scrutiny binary runs");
    assert_eq!(
        output.status.success(),
        success,
        "scrutiny {} exited with {}\nstdout:\n{}\nstderr:\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("not JSON ({error}):\n{}", stdout(output)))
}

pub fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Generates and imports the seed-2024 force (extract and returns) once per test binary run.
pub fn seed_store() -> &'static Path {
    static STORE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    STORE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let extract = dir.path().join("extract");
            run(&["generate", "--profile", "seed-2024", "--out", path(&extract)], true);
            let imported = stdout(&run(
                &["import", "extract", path(&extract), "--data", path(&dir.path().join("store")), "--strict"],
                true,
            ));
            assert!(imported.contains(" 0 rejected"), "{imported}");
            let returns = stdout(&run(
                &[
                    "import",
                    "returns",
                    path(&extract.join("returns")),
                    "--data",
                    path(&dir.path().join("store")),
                    "--strict",
                ],
                true,
            ));
            assert!(returns.contains(" 0 rejected"), "{returns}");
            dir
        })
        .path()
}

/// The store of the seed-2024 force.
pub fn seed_store_data() -> std::path::PathBuf {
    seed_store().join("store")
}

/// `report quarterly --plan making-kent-safer --to 2024-07 --format json` on
/// the seed-2024 store: the figures the golden, paper and portal tests check.
pub fn seed_quarterly_json() -> serde_json::Value {
    let store = seed_store_data();
    let args = ["report", "quarterly", "--plan", "making-kent-safer", "--to", "2024-07", "--data", path(&store)];
    json(&run(&[&args[..], &["--format", "json"]].concat(), true))
}

/// Runs a poppler tool (pdftotext, pdftoppm, pdffonts) and returns its output.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(tool).args(args).output().unwrap_or_else(|error| {
        panic!("{tool} is needed for this test (poppler-utils; scripts/test.sh installs it): {error}")
    });
    assert!(output.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// How many pixels of a PNG are not (nearly) white, and how many there are.
pub fn ink(png: &Path) -> (usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let pixels = buffer[..info.buffer_size()].chunks(channels);
    let total = (info.width * info.height) as usize;
    let dark = pixels.filter(|pixel| pixel.iter().take(3).any(|value| *value < 200)).count();
    (dark, total)
}
