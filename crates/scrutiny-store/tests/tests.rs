//! Integration tests of the store, one module per concern.

mod governance;
mod store;
