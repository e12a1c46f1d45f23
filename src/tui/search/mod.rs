//! Finding a customer: search by name, number, e-mail or account (what the
//! desk already knows at once, the server's answer merged in), and the screen
//! pop of a typed or offered number (and, for a number no one has, the ways
//! on: `unknown`).

pub mod model;
pub mod unknown;
pub mod update;
