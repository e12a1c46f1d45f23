//! The terminal desk: plain state, a pure `update`, pure views, and effects run
//! on tokio tasks whose results come back as actions. Each feature is a folder
//! with a `model` (its data and selectors) and an `update` (how actions change
//! it); `update.rs` routes to them. See ARCHITECTURE.md for the map.

pub mod action;
pub mod boards;
pub mod clock;
pub mod edit;
pub mod editor;
pub mod effects;
pub mod floor;
pub mod forms;
pub mod fuzzy;
pub mod glyphs;
pub mod help;
pub mod ids;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod local;
pub mod nav;
pub mod offline;
pub mod overlays;
pub mod palette;
pub mod remote;
pub mod run;
pub mod sanitize;
pub mod search;
pub mod session;
pub mod snippets;
pub mod state;
pub mod stream;
pub mod terminal;
#[cfg(test)]
pub mod testkit;
pub mod theme;
pub mod typing;
pub mod update;
pub mod view;
pub mod workspace;
