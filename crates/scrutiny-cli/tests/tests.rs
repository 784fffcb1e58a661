//! End-to-end tests of the `scrutiny` binary, one module per concern.

mod util;

mod bad_input;
mod browser;
mod golden;
mod governance_import;
mod paper;
mod papers;
mod portal;
mod real_data;
mod survey;
mod term;
