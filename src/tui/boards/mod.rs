//! The supervisor's desk: the queue board, the agent board and the approvals
//! waiting for a decision, loaded when a board opens and kept live by the
//! floor's event stream. `model` is the data and its selectors, `update` how
//! keys, replies and events change it. No I/O.

pub mod model;
pub mod update;
