//! The command palette: every command by name, and the quick log typed
//! there (`log latefee told her about autopay`).

pub mod model;
pub mod update;
