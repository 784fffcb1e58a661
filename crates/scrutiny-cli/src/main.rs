//! The `scrutiny` command: import force extracts and open data into a store,
//! compute a plan's figures from records, generate synthetic forces, and run
//! the demo. Arguments are parsed in `args`, resolved and run in `commands`.

mod args;
mod commands;
mod governance;
mod survey;
mod term;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc keeps freed memory for reuse, so an import's large, short-lived
/// tables do not fault fresh pages in again and again (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
