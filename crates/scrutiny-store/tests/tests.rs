//! Integration tests of the store, one module per concern.

#[macro_use]
mod governance;
mod decisions;
mod import;
mod inspections;
mod panel;
mod papers;
mod store;
