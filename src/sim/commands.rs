//! The simulator's ear for `call_command` events: a task follows the event
//! stream as the simulator's `system` token, resuming from the last event
//! id after a drop, and hands each command to the simulation through a
//! channel, which it drains once a step.

use crate::api::{CallCommand, Client, FloorEvent};
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How long to wait before following the stream again after it failed.
const RETRY: Duration = Duration::from_secs(1);

/// The listening task; dropping it stops the task.
pub struct Listening(JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts following the stream, until the `Listening` is dropped.
pub fn listen(client: Client) -> (mpsc::UnboundedReceiver<CallCommand>, Listening) {
    let (tx, rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        let mut last: Option<u64> = None;
        loop {
            match client.events(last).await {
                Ok(stream) => {
                    let mut stream = Box::pin(stream);
                    while let Some(next) = stream.next().await {
                        let Ok((id, event)) = next else { break };
                        last = Some(id);
                        if let FloorEvent::CallCommand(command) = event {
                            if tx.send(command).is_err() {
                                return;
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "simulator: cannot follow the event stream"),
            }
            if tx.is_closed() {
                return;
            }
            tokio::time::sleep(RETRY).await;
        }
    });
    (rx, Listening(task))
}
