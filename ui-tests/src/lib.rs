//! The rules of `#[floe_plugin]` and `#[floe_config]`, pinned with trybuild; nothing
//! to link here.
//!
//! - `ui/fail/<rule>.rs`: one mistake each, named after the rule it breaks
//!   (`name_uppercase`, `version_two_parts`, `api_version_newer_minor`,
//!   `missing_trait_impl`, ...), with the compiler's output beside it in
//!   `<rule>.stderr`: one error per mistake, on the offending token, saying what is
//!   wrong and what to write instead. `many_errors_reported_together` shows that all
//!   mistakes of one attribute come out in one compile. The `floe_config_*` cases are
//!   the rules of `#[floe_config]` (`floe_config_argument_unknown`,
//!   `floe_config_derives_repeated`, ...).
//! - `ui/pass/*.rs`: the shapes that must keep compiling, each checking its
//!   descriptor at run time (every key, the defaults, type-prefixed dependencies,
//!   nested configs with secrets, enums, a renamed crate path, every plugin type), and
//!   `floe_config_every_shape`: the attribute gives the schema serde's and schemars'
//!   own derives give.
//!
//! Run with `cargo test -p floe-ui-tests`; after a deliberate message change,
//! regenerate with `TRYBUILD=overwrite cargo test -p floe-ui-tests` and read every
//! changed `.stderr`.
