//! The session: signing in (or starting offline as the agent this token last
//! signed in as), what the desk does once someone is signed in, and how failed
//! requests change the link state and the status line.

pub mod failure;
pub mod model;
pub mod update;
