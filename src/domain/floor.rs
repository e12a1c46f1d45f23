//! The live floor as plain data: call events from the ACD, agent states, queue
//! statistics and staffing advice. The server computes these; the desk and the
//! supervisor board show them.

use super::timeline::labelled_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// What happened to a call, as the ACD reports it. `held` and
    /// `resumed` may happen several times a call, numbered by `seq`.
    CallEventKind {
        Offered => "offered", "Offered",
        Answered => "answered", "Answered",
        Ended => "ended", "Ended",
        Abandoned => "abandoned", "Abandoned",
        Held => "held", "Held",
        Resumed => "resumed", "Resumed",
    }
);

labelled_enum!(
    /// Where an agent is. `offline` agents have not set a state since the server
    /// started; `on_contact` and `wrap_up` are set by calls, not by the agent.
    AgentState {
        Offline => "offline", "Offline",
        Available => "available", "Available",
        NotReady => "not_ready", "Not ready",
        OnContact => "on_contact", "On contact",
        WrapUp => "wrap_up", "Wrap-up",
    }
);

labelled_enum!(
    /// What a desk asks the ACD to do with a call (`call_command` events).
    CallAction {
        Hold => "hold", "Hold",
        Resume => "resume", "Resume",
        HangUp => "hang_up", "Hang up",
        Transfer => "transfer", "Transfer",
    }
);

labelled_enum!(
    /// The states a person (or the simulator) may set; calls set the others.
    SettableState {
        Available => "available", "Available",
        NotReady => "not_ready", "Not ready",
    }
);

impl From<SettableState> for AgentState {
    fn from(state: SettableState) -> Self {
        match state {
            SettableState::Available => AgentState::Available,
            SettableState::NotReady => AgentState::NotReady,
        }
    }
}

/// Counts and times for one queue over one period.
///
/// Service level is `answered_within / (answered + abandoned_after)`: calls
/// answered within the queue's target seconds, over every call that was answered
/// plus every caller who hung up after waiting longer than the target. Callers
/// who hung up within the target (short abandons) and calls still waiting are
/// left out. `None` when that denominator is zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PeriodStats {
    /// Calls offered (arrived) in the period.
    pub offered: u32,
    /// Of those, answered.
    pub answered: u32,
    /// Of those, abandoned.
    pub abandoned: u32,
    /// Answered within the target seconds.
    pub answered_within: u32,
    /// Abandoned after waiting longer than the target seconds.
    pub abandoned_after: u32,
    /// Service level in percent (see the type's doc).
    pub service_level_pct: Option<f64>,
    /// Average speed of answer over answered calls, seconds.
    pub asa_s: Option<f64>,
    /// Average handle time (talk + wrap-up) over calls whose handling is over,
    /// seconds.
    pub aht_s: Option<f64>,
    /// abandoned / offered, percent.
    pub abandon_rate_pct: Option<f64>,
}

/// A queue's recent history one minute at a time, for sparklines: entry `i`
/// of each list is the minute starting `i` minutes after `start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MinuteSeries {
    /// Start of the first minute.
    pub start: DateTime<Utc>,
    pub offered: Vec<u32>,
    pub answered: Vec<u32>,
    pub abandoned: Vec<u32>,
}

/// How many agents are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgentsByState {
    pub available: u32,
    pub not_ready: u32,
    pub on_contact: u32,
    pub wrap_up: u32,
}

impl AgentsByState {
    pub fn add(&mut self, state: AgentState) {
        match state {
            AgentState::Available => self.available += 1,
            AgentState::NotReady => self.not_ready += 1,
            AgentState::OnContact => self.on_contact += 1,
            AgentState::WrapUp => self.wrap_up += 1,
            AgentState::Offline => {}
        }
    }

    /// Agents signed in and working (every state but offline).
    pub fn on_shift(&self) -> u32 {
        self.available + self.not_ready + self.on_contact + self.wrap_up
    }
}

/// Erlang C staffing for one interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Staffing {
    pub calls_per_interval: f64,
    pub interval_s: u32,
    pub aht_s: f64,
    pub target_pct: f64,
    pub target_s: u32,
    /// Offered load in Erlangs (calls × AHT / interval).
    pub traffic_erlangs: f64,
    /// The fewest agents that meet the target; `None` when no staffing up to
    /// the search limit does.
    pub agents_needed: Option<u32>,
    /// Agents the prediction below is for (those on shift, or `agents_needed`).
    pub agents: u32,
    /// Predicted service level with `agents`, percent; 0 when the queue cannot
    /// keep up (agents ≤ traffic).
    pub predicted_service_level_pct: f64,
    /// Predicted average speed of answer with `agents`, seconds; `None` when
    /// the queue cannot keep up and waits grow without bound.
    pub predicted_asa_s: Option<f64>,
    /// The agents taking calls who serve this queue, each shared among the
    /// queues they serve in proportion to those queues' traffic (equally
    /// when none has any); `agents` is this rounded so that the queues'
    /// counts add up to the agents taking calls.
    #[serde(default)]
    pub agents_serving: f64,
    /// Callers' mean patience, seconds: time waited by every caller today
    /// (answered, abandoned or still waiting) over the calls abandoned;
    /// `None` until five calls have been abandoned today.
    #[serde(default)]
    pub patience_s: Option<f64>,
    /// Erlang A (callers hang up after `patience_s` on average) for the same
    /// demand and agents; `None` while the patience is not known.
    #[serde(default)]
    pub erlang_a: Option<ErlangA>,
}

impl Staffing {
    /// The agents the queue needs by the model that fits it: Erlang A when
    /// callers' patience is known, else Erlang C. `None` when no staffing
    /// up to the search limit meets the target.
    pub fn advised_agents(&self) -> Option<u32> {
        match &self.erlang_a {
            Some(a) => a.agents_needed,
            None => self.agents_needed,
        }
    }
}

/// Erlang A's advice and prediction for a queue (see `Staffing`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErlangA {
    /// The fewest agents that meet the target.
    pub agents_needed: Option<u32>,
    /// Predicted service level with `Staffing.agents`, percent (answered
    /// within the target over answered plus abandoned after it).
    pub predicted_service_level_pct: f64,
    /// Predicted mean wait of answered callers, seconds.
    pub predicted_asa_s: Option<f64>,
    /// Predicted share of callers who hang up, percent.
    pub predicted_abandon_pct: f64,
}

/// The floor against what its queues need together: the sum of each
/// queue's advised agents (as if none were shared) against the agents on
/// shift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FloorStaffing {
    /// Agents the queues need together; `None` when some queue's target
    /// cannot be met by any staffing.
    pub agents_needed: Option<u32>,
    /// Agents signed in and working (every state but offline).
    pub on_shift: u32,
    /// How many more the queues need than are on shift (0 when enough).
    pub short_by: u32,
}
