//! A misspelt new type gets a did-you-mean.

use floe_registry::prelude::*;

#[floe_plugin(type = Qualty, name = "gx", version = "1.0.0")]
#[derive(Default)]
struct Gx;

fn main() {}
