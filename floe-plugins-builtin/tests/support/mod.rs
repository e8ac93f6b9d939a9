//! Test helpers of the built-ins, one module per purpose. A test file declares
//! `mod support;` and uses the modules it needs; cargo does not compile this folder as
//! a test of its own.

#![allow(dead_code)]

pub mod alerts;
pub mod canary;
pub mod config_errors;
pub mod deadline;
pub mod error_chain;
pub mod http_fake;
pub mod python_env;
pub mod registry;
pub mod schema;
