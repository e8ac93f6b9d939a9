//! Alert channel plugins: deliver contract violation alerts (Slack, e-mail, ...).

use crate::PluginMetadata;
use crate::alert::{AlertDelivery, ContractViolationEvent};

/// A destination for contract violation alerts.
///
/// `send_alert` is async in floe. Here it is a blocking call: the registry runs no
/// async runtime, and [`AlertRouter`](crate::alert::AlertRouter) runs each channel on
/// its own thread under a timeout, so several channels deliver at once and a failing
/// or hanging one never delays the others past that timeout. A plugin with an async
/// client blocks on it inside `send_alert`.
///
/// ```
/// use std::collections::BTreeMap;
/// use std::sync::Arc;
/// use floe_registry::prelude::*;
/// use floe_registry::alert::*;
///
/// #[floe_plugin(type = AlertChannel, name = "log", version = "1.0.0")]
/// #[derive(Default)]
/// struct Log;
/// impl AlertChannelPlugin for Log {
///     fn send_alert(&self, _event: &ContractViolationEvent) -> bool { true }
///     fn validate_config(&self) -> Vec<String> { vec![] }
/// }
///
/// let channels: BTreeMap<String, Arc<dyn AlertChannelPlugin>> =
///     BTreeMap::from([("log".to_owned(), Arc::new(Log) as Arc<dyn AlertChannelPlugin>)]);
/// let router = AlertRouter::new(AlertConfig {
///     routing_rules: vec![AlertChannelRoutingRule::new("log", ViolationSeverity::Info)],
///     ..AlertConfig::default()
/// });
/// let event = ContractViolationEvent::new("orders", "1", ViolationType::Quality,
///     ViolationSeverity::Warning, "3 rows failed", "2026-05-02T10:00:00Z");
/// assert_eq!(router.route(&event, &channels)["log"], true);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = AlertChannel` but does not implement `AlertChannelPlugin`",
    label = "`type = AlertChannel` needs `impl AlertChannelPlugin for {Self}`",
    note = "add `impl AlertChannelPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = AlertChannel` in `#[floe_plugin(...)]` to that kind"
)]
pub trait AlertChannelPlugin: PluginMetadata {
    /// Delivers one alert; true when delivered. Fire and forget: no retry. Default:
    /// not delivered.
    fn send_alert(&self, event: &ContractViolationEvent) -> bool {
        let _ = event;
        false
    }

    /// The problems of the channel's own settings; empty when it can deliver.
    /// Default: one problem saying the method is not implemented.
    fn validate_config(&self) -> Vec<String> {
        vec![super::unsupported(self, "validate_config").to_string()]
    }

    lifecycle_hooks!();
}

impl AlertDelivery for dyn AlertChannelPlugin {
    fn deliver(&self, event: &ContractViolationEvent) -> bool {
        self.send_alert(event)
    }
}
