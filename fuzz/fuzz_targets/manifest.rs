//! Feeds arbitrary bytes, read as UTF-8, to the `floe` CLI's manifest reader: nothing
//! may panic; text either parses or gives a syntax error with its location.

#![no_main]

use libfuzzer_sys::fuzz_target;

// The CLI is a binary crate: compile its manifest reader here, from its one source file.
#[allow(dead_code)]
#[path = "../../floe-cli/src/manifest.rs"]
mod manifest;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match manifest::parse(text) {
            Ok(_) | Err(manifest::ReadError::Syntax { .. }) | Err(manifest::ReadError::Unreadable(_)) => {}
        }
    }
});
