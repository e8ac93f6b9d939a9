//! The parser, the compile-time checks and the code generator behind
//! `#[floe_plugin]` and `#[floe_config]`, on `proc_macro2` token streams.
//!
//! An implementation detail of `floe-registry`, with no stability promise: plugin
//! crates use the attributes through `floe_registry::prelude`. It is a plain library,
//! not a proc-macro crate, so that the fuzzer and unit tests can call it directly;
//! `floe-registry-macros` is the thin proc-macro shim over it.
//!
//! `#[floe_plugin]`: parse (`attr.rs`, `item.rs`) -> validate (`valid.rs`) -> generate
//! (`expand.rs`), or on any error the errors plus a stub (`fallback.rs`) so one
//! mistake is one error.
//!
//! `#[floe_config]`: parse (`config_attr.rs`) -> validate (`config_valid.rs`) ->
//! generate (`config_expand.rs`), which emits the errors beside the usual derives.
//!
//! Neither entry point panics, whatever tokens it is given: every problem becomes a
//! `compile_error!` in the returned tokens.
//!
//! ```
//! use std::str::FromStr;
//! use proc_macro2::TokenStream;
//!
//! let args = TokenStream::from_str(r#"type = Compute, name = "Bad Name""#).unwrap();
//! let item = TokenStream::from_str("#[derive(Default)] struct P;").unwrap();
//! let out = floe_registry_codegen::floe_plugin(args, item).to_string();
//! assert!(out.contains("compile_error"));
//! assert!(out.contains("Bad Name"));
//! ```

use proc_macro2::TokenStream;

mod ast;
mod attr;
mod config_attr;
mod config_expand;
mod config_valid;
mod expand;
mod fallback;
mod item;
mod valid;

/// Expands `#[floe_plugin(args)] input`: the item plus its registration, or the item,
/// every error found and a stub that keeps follow-on errors away.
pub fn floe_plugin(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = ast::Errors::default();
    let args = attr::parse(args, &mut errors);
    let krate = args.krate.clone();
    let item = match item::parse(input, &mut errors) {
        Ok(item) => item,
        // Not a struct or enum: give the item back untouched with the error.
        Err(original) => return fallback::unusable_item(original, errors),
    };
    match valid::validate(args, &item, &mut errors) {
        Some(plugin) if errors.is_empty() => expand::plugin(&plugin, &item),
        _ => fallback::with_errors(&item, krate, errors),
    }
}

/// Expands `#[floe_config(args)] input`: the item with floe-registry's serde and
/// schemars derives, and any errors beside them.
pub fn floe_config(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = ast::Errors::default();
    let args = config_attr::parse(args, &mut errors);
    match config_valid::item(input, &args, &mut errors) {
        Ok(item) => config_expand::config(&args, item, errors),
        // Not a struct or enum: give the item back untouched with the error.
        Err(original) => fallback::unusable_item(original, errors),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proc_macro2::TokenStream;

    fn tokens(text: &str) -> TokenStream {
        TokenStream::from_str(text).expect("test tokens lex")
    }

    #[test]
    fn generated_impls_are_marked_and_the_block_allows_generated_names() {
        let out = super::floe_plugin(
            tokens(r#"type = Compute, name = "duckdb", version = "1.0.0""#),
            tokens("#[derive(Default)] pub struct DuckDb;"),
        )
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(out.contains("# [automatically_derived] impl"), "{out}");
        assert!(out.contains("non_upper_case_globals"), "{out}");
        assert!(out.contains("# [doc (hidden)] # [allow"), "{out}");
    }

    #[test]
    fn the_stub_after_an_error_is_marked_too() {
        let out = super::floe_plugin(
            tokens(r#"type = Compute, name = "Bad Name""#),
            tokens("#[derive(Default)] pub struct P;"),
        )
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("# [automatically_derived] impl"), "{out}");
    }

    #[test]
    fn tokens_that_are_no_item_come_back_with_one_error() {
        let out = super::floe_plugin(tokens(r#"name = "x""#), tokens("fn f() {}")).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("fn f"), "{out}");
    }
}
