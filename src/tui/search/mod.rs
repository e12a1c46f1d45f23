//! Finding a customer: search by name, number, e-mail or account (what the
//! desk already knows at once, the server's answer merged in), and the screen
//! pop of a typed or offered number (`pop`: and, for a number no one has,
//! the ways on).

pub mod model;
pub mod pop;
pub mod update;
