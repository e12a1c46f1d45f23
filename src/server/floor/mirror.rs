//! The changes of the floor one replica tells the others, so that every
//! replica's floor (a cache of the shared event log) agrees: a call event,
//! an agent's change of state, and a logged interaction ending a wrap-up.
//! Each carries the time it was made at, so every replica computes the same
//! times in state.

use super::KnownCaller;
use crate::api::CallEvent;
use crate::domain::{AgentId, AgentState};
use crate::server::store::FloorAgent;
use serde::{Deserialize, Serialize};

/// The event name floor changes carry in the shared log.
pub const INPUT_EVENT: &str = "floor_input";

/// One change of the floor, as made on the replica that took it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "input", rename_all = "snake_case")]
pub enum FloorInput {
    Call {
        event: CallEvent,
        agent: Option<FloorAgent>,
        caller: Option<KnownCaller>,
        now_ms: i64,
    },
    State {
        agent: FloorAgent,
        state: AgentState,
        reason: Option<String>,
        now_ms: i64,
    },
    Logged {
        agent: AgentId,
        now_ms: i64,
    },
}
