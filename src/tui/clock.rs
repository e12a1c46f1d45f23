//! The desk's clock: `now` moves by the second only while a timer on screen
//! counts seconds, and by the minute otherwise, so an idle desk redraws once
//! a minute at most.

use crate::tui::forms::update::showing;
use crate::tui::state::{AppState, Screen};
use chrono::{DateTime, Timelike, Utc};

/// The clock's tick: the form's after-call work, the agent's contact and the
/// boards' waits count seconds; everything else shows minutes.
pub fn tick(state: &mut AppState, now: DateTime<Utc>) {
    state.second = to_second(now);
    let board = matches!(state.screen, Screen::Board(_));
    state.now = if board || showing(state) || state.floor.timing() {
        to_second(now)
    } else {
        to_minute(now)
    };
}

/// `now` to the second.
fn to_second(now: DateTime<Utc>) -> DateTime<Utc> {
    now.with_nanosecond(0).unwrap_or(now)
}

/// `now` without seconds: clocks on screen change once a minute.
pub fn to_minute(now: DateTime<Utc>) -> DateTime<Utc> {
    now.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now)
}
