//! Nothing here: the cases are under `ui/`, run by `tests/ui.rs`.
