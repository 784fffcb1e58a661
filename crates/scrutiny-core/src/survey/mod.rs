//! Surveys: the PCC's residents' survey and the force's victim
//! satisfaction returns. Definitions as data (`definition`, `victim`),
//! statistics (`stats`), redaction of comments (`redact`) and the analysis
//! of responses (`analysis`). Reading files is scrutiny-ingest's job.

pub mod analysis;
pub mod definition;
pub mod redact;
pub mod stats;
pub mod victim;

pub use analysis::{Answer, Respondent, SurveyReport, analyse};
pub use definition::{PostcodeAreas, Survey};
pub use victim::{PartlyRule, VictimResponse, VictimSatisfaction, VictimSatisfactionReport};
