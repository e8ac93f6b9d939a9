//! Feeds arbitrary text, read as Rust tokens, to both attributes' expansion
//! (`floe-registry-codegen`, the library behind `#[floe_plugin]` and `#[floe_config]`):
//! whatever the tokens, the expansion returns tokens (the item and `compile_error!`s),
//! never a panic.
//!
//! The input is `ARGS` or `ARGS|ITEM`: without a `|`, the item is a plain plugin
//! struct, so most runs exercise the attribute arguments.

#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use proc_macro2::TokenStream;

const PLAIN_ITEM: &str = "#[derive(Default)] pub struct Fuzzed { #[config] config: ConfigCell<C> }";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (args, item) = text.split_once('|').unwrap_or((text, PLAIN_ITEM));
    // Text that does not lex as Rust tokens never reaches an attribute.
    let (Ok(args), Ok(item)) = (TokenStream::from_str(args), TokenStream::from_str(item)) else {
        return;
    };
    let plugin = floe_registry_codegen::floe_plugin(args.clone(), item.clone());
    let config = floe_registry_codegen::floe_config(args, item);
    // Every expansion is itself valid token text.
    assert!(TokenStream::from_str(&plugin.to_string()).is_ok());
    assert!(TokenStream::from_str(&config.to_string()).is_ok());
});
