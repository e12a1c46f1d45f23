//! The agent's side of the live floor: the event stream's contact offers pop
//! the caller, the agent's own state (with the handle-time and wrap-up timers
//! the title bar shows), state changes from the keyboard with reason codes,
//! and supervisors' decisions on what the agent asked. No I/O.

pub mod calls;
pub mod model;
pub mod update;
