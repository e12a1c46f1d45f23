//! The simulators: clients of the `/v1` API that play the outside world against
//! any server, over HTTP like a real ACD or a desk. They may read the action
//! catalog and rank a slate with the decision service's pure functions (to
//! score what a server showed against an oracle), but never reach into a
//! server's store or state.

pub mod calls;
pub mod commands;
pub mod decisions;
pub mod population;
