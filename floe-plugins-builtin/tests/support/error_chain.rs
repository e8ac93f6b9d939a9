//! What an error shows with its causes, and the typed cause under a plugin's error.

/// The messages of `err` and of every cause under it, joined with `": "`: what
/// floe-cli's `error::chain` prints. A failed startup or shutdown shows its hook failure
/// in its own message and returns no `source()` (the registry says to match on its
/// `cause`), so the walk goes on from the hook failure's cause there.
pub fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = next_cause(err);
    while let Some(cause) = next {
        text = format!("{text}: {cause}");
        next = next_cause(cause);
    }
    text
}

fn next_cause<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a (dyn std::error::Error + 'static)> {
    use floe_registry::PluginError;
    match err.downcast_ref::<PluginError>() {
        Some(PluginError::Startup { cause, .. } | PluginError::Shutdown { cause, .. }) => {
            std::error::Error::source(cause)
        }
        _ => err.source(),
    }
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
