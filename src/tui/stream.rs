//! Following the floor's event stream: one task for the desk's life that
//! reads `GET /v1/events`, hands each event (sanitised) to the desk, and when
//! the stream drops reconnects with backoff, asking for what it missed with
//! `Last-Event-ID` (of several replicas, from the next one that answers,
//! which the title bar then names).

use super::action::Action;
use super::sanitize::Sanitize;
use crate::api::Client;
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

pub async fn follow(client: Client, results: UnboundedSender<Action>) {
    let mut last_id: Option<u64> = None;
    let mut backoff = FIRST_BACKOFF;
    loop {
        match client.events(last_id).await {
            Ok(mut events) => {
                tracing::info!(?last_id, server = client.base(), "event stream connected");
                let server = crate::tui::sanitize::clean_line(client.base());
                if results.send(Action::ServerInUse(server)).is_err() {
                    return;
                }
                while let Some(item) = events.next().await {
                    match item {
                        Ok((id, event)) => {
                            last_id = Some(id);
                            backoff = FIRST_BACKOFF;
                            if results.send(Action::Floor(event.sanitize())).is_err() {
                                return;
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "event stream broke");
                            break;
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "event stream not available"),
        }
        if results.send(Action::FloorStreamDown).is_err() {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}
