//! Feeds arbitrary bytes, read as UTF-8, to the `floe` CLI's manifest reader: nothing
//! may panic; text either parses or gives a syntax error with its location.

#![no_main]

use libfuzzer_sys::fuzz_target;

use floe_cli::manifest;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match manifest::parse(text) {
            Ok(_) | Err(manifest::ReadError::Syntax { .. }) | Err(manifest::ReadError::Unreadable(_)) => {}
        }
    }
});
