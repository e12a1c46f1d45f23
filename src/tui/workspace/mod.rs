//! The customer workspace: the open customer's profile, timeline (pages,
//! filters, selection) and suggestions, loaded from the server (or the local
//! cache first) and kept current after writes.

pub mod model;
pub mod timeline;
pub mod update;
