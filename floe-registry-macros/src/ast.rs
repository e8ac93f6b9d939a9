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

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
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
