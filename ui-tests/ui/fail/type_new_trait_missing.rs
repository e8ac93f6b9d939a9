//! A plugin declared `type = AlertChannel` must implement `AlertChannelPlugin`.

use floe_registry::prelude::*;

#[floe_plugin(type = AlertChannel, name = "slack", version = "1.0.0")]
#[derive(Default)]
struct Slack;

fn main() {}
