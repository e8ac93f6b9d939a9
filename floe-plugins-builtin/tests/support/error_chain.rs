//! What an error shows with its causes, and the typed cause under a plugin's error.

/// The messages of `err` and of every source under it, joined with `": "`: what a
/// chain-walking reporter (`{:#}`, anyhow) prints.
pub fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        text = format!("{text}: {cause}");
        next = cause.source();
    }
    text
}

/// The message of the typed error under a plugin's error, after checking that the
/// plugin's own message is `context` and does not repeat it.
pub fn typed_cause(err: &floe_registry::PluginError, context: &str) -> String {
    assert_eq!(
        err.to_string(),
        context,
        "the plugin error states its context"
    );
    std::error::Error::source(err)
        .expect("the typed error is the source")
        .to_string()
}
