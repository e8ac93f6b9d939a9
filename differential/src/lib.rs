//! Differential tests against floe as published on PyPI (floe-core and its plugin
//! packages 0.1.0a1): the same inputs go to published floe, run in the pinned
//! environment under `target/`, and to our Rust code, and the outputs must be equal.
//!
//! The harness is small and shared by every family of tests in `tests/`:
//! - [`reference`](mod@reference) runs a Python script of the test's own over a batch of inputs in the
//!   environment of the published packages (the one floe-python's tests use);
//! - [`seed`] generates inputs from a fixed seed, so a failure is reproduced by a rerun;
//! - [`configs`] generates plugin configs from a JSON Schema;
//! - [`compare`] compares outputs, consults the table of deliberate differences in
//!   `docs/deliberate-differences.md`, and fails with both sides' outputs for every
//!   difference that is not listed there.

pub mod compare;
pub mod configs;
pub mod reference;
pub mod seed;
