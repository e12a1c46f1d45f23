//! The agent's forms: log the interaction (wrap-up), escalate, waive fees,
//! and the one-line quick log. `model` is a form as data and the request it
//! builds; `update` how keys and replies change it; `draft` and `restore` keep
//! what was typed across crashes and restarts; `verdicts` is what the wrap-up
//! says of each suggestion, under the decision that showed it.

pub mod choice;
pub mod draft;
pub mod editing;
pub mod fields;
pub mod model;
pub mod quick_log;
pub mod restore;
pub mod review;
pub mod update;
pub mod verdicts;

#[cfg(test)]
pub(crate) mod tests;
