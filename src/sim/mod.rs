//! The simulators: clients of the `/v1` API that play the outside world against
//! any server, over HTTP like a real ACD. Nothing here reaches into the server.

pub mod calls;
