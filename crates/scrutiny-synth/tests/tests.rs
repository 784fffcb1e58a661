//! Integration tests of scrutiny-synth, in one binary.

mod determinism; // the same profile and options give the same bytes
mod errors;
mod national; // the national profile writes valid extracts, one folder per force
mod seed_2024; // the seed-2024 records reproduce the papers' figures, counted independently
mod util; // generating and reading back extracts, checking the format rules // unknown profiles and options that do not apply are refused
