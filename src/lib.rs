//! Switchboard: a terminal agent desktop for contact centers, and its reference
//! backend. See DESIGN.md (in ../shared) for the map of the parts.

pub mod api;
pub mod cache;
pub mod commands;
pub mod config;
pub mod configfile;
pub mod domain;
pub mod logging;
pub mod server;
pub mod sim;
pub mod tui;
