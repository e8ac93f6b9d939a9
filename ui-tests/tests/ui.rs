//! The compile-time rules of `#[floe_plugin]` and `#[floe_config]`, one case per rule under `ui/fail/`
//! (with the compiler's output pinned beside each), and the shapes that must keep
//! compiling under `ui/pass/`.
//!
//! Regenerate the `.stderr` files after a deliberate message change with
//! `TRYBUILD=overwrite cargo test -p floe-ui-tests`, then read every one of them.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
