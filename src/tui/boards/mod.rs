//! The supervisor's desk: the queue board, the agent board, the approvals
//! waiting for a decision and the decisions board (the suggestion funnel),
//! loaded when a board opens and the first three kept live by the floor's
//! event stream. `model` is the data and its selectors (`decisions` the
//! funnel's), `update` how keys, replies and events change it. No I/O.

pub mod decisions;
pub mod model;
pub mod update;
