//! The terminal desk: plain state, a pure `update`, pure views, and effects run
//! on tokio tasks whose results come back as actions.

pub mod action;
pub mod boards;
pub mod editor;
pub mod effects;
pub mod floor;
pub mod forms;
pub mod fuzzy;
pub mod glyphs;
pub mod keymap;
pub mod layout;
pub mod local;
pub mod offline;
pub mod run;
pub mod sanitize;
pub mod snippets;
pub mod state;
pub mod stream;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;
