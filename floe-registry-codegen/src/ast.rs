//! The model between parsing and generation.

use proc_macro2::Span;
use syn::{Ident, LitStr, Path, Type};

/// Errors gathered across all passes, reported together.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error underlining all of `tokens` (first to last), or the whole attribute
    /// when there are none.
    pub(crate) fn over(
        &mut self,
        tokens: &proc_macro2::TokenStream,
        message: impl std::fmt::Display,
    ) {
        if tokens.is_empty() {
            self.at(Span::call_site(), message);
        } else {
            self.push(syn::Error::new_spanned(tokens, message));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The messages gathered so far, in order (for tests).
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|e| e.into_iter().map(|e| e.to_string()))
            .collect()
    }

    pub(crate) fn into_compile_error(self) -> proc_macro2::TokenStream {
        self.0
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}

/// The attribute's arguments as written, each with its token for error spans.
#[derive(Default)]
pub(crate) struct Args {
    /// The whole argument list, to span errors about a key that is not there.
    pub(crate) tokens: proc_macro2::TokenStream,
    /// Every key written, valid value or not: a key with a bad value is not "missing".
    pub(crate) given: Vec<String>,
    pub(crate) plugin_type: Option<Ident>,
    pub(crate) name: Option<LitStr>,
    pub(crate) version: Option<LitStr>,
    pub(crate) floe_api_version: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) dependencies: Option<Vec<LitStr>>,
    pub(crate) config: Option<Type>,
    pub(crate) krate: Option<Path>,
}

/// A validated plugin, ready to generate.
pub(crate) struct Plugin {
    /// The `PluginType` variant, spanned on the user's `type` value.
    pub(crate) variant: Ident,
    pub(crate) name: LitStr,
    /// `None`: the crate's `CARGO_PKG_VERSION` (already checked).
    pub(crate) version: Option<LitStr>,
    /// The declared API version and its numbers; `None`: the platform's.
    pub(crate) api: Option<(LitStr, u32, u32)>,
    pub(crate) description: String,
    pub(crate) dependencies: Vec<String>,
    pub(crate) config: Option<Type>,
    pub(crate) krate: Path,
}

/// `#[floe_config(...)]`'s arguments.
#[derive(Default)]
pub(crate) struct ConfigArgs {
    /// `crate = path`: how floe-registry is reached; `None`: `::floe_registry`.
    pub(crate) krate: Option<Path>,
    /// `serialize`: also derive `Serialize`.
    pub(crate) serialize: bool,
}
