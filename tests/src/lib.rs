//! Shared helpers of the integration tests (the tests live in `tests/`).
