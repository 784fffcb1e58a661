//! Handler tests through `router()` without a socket, one module per concern.

mod util;

mod auth;
mod documents;
mod forms;
mod matrix;
mod panel;
mod papers;
mod portal;
mod records;
mod workflow;
