//! Scrutiny's domain core: what a crime is counted as, what a measure means,
//! which months a period covers and how a change is written.
//!
//! This crate does no I/O, reads no clock and knows no database or HTTP type.
//! Definitions (classification, outcomes, plans) are data files compiled in
//! from `definitions/` and parsed here; the store answers counts through the
//! [`measure::CountSource`] trait.

pub mod change;
pub mod definitions;
pub mod disclosure;
pub mod error;
pub mod flags;
pub mod governance;
pub mod measure;
pub mod month;
pub mod narrative;
pub mod panel;
pub mod period;
pub mod records;
pub mod report;
pub mod returns;
pub mod survey;
pub mod term;

pub use error::{Error, ErrorKind};
pub use month::YearMonth;
pub use period::{Period, PeriodKind};
