//! What an error shows with its causes, and the typed cause under a plugin's error.

/// The messages of `err` and of every cause under it, joined with `": "` (the
/// registry's [`floe_registry::ErrorChain`]): what floe-cli's `error::chain` prints. A
/// failed startup or shutdown already shows its hook failure's whole chain.
pub fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    floe_registry::ErrorChain(err).to_string()
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
