//! Talking to the server for the desk: a client error in the agent's words,
//! and sending one confirmed write with its idempotency key. Used by the
//! effect runner (straight sends) and the outbox sync (replays).

use crate::api::{Client, ClientError};
use crate::domain::Money;
use crate::tui::action::{Failure, Outcome};
use crate::tui::forms::model::Request;
use crate::tui::sanitize::clean_line;

pub fn failure(e: ClientError) -> Failure {
    match e {
        ClientError::Transport(m) => Failure::Unreachable(m),
        ClientError::Api { status, body } if status.as_u16() == 401 => {
            Failure::Unauthenticated(clean_line(&body.message))
        }
        ClientError::Api { status, body } if status.as_u16() == 409 || status.is_server_error() => {
            Failure::Retry(clean_line(&body.message))
        }
        ClientError::Api { body, .. } => Failure::Refused(clean_line(&body.message)),
        ClientError::Protocol { status, .. } => {
            Failure::Retry(format!("the server gave an unexpected answer ({status})"))
        }
    }
}

/// Sends a form's request; the answer in the agent's words.
pub async fn submit(client: &Client, key: &str, request: &Request) -> Result<Outcome, ClientError> {
    Ok(match request {
        Request::Interaction(body) => {
            let written = client.log_interaction(key, body).await?;
            Outcome {
                message: format!("Interaction logged (#{})", written.body.id),
                pending: false,
            }
        }
        Request::Escalation(body) => {
            let written = client.escalate(key, body).await?;
            Outcome {
                message: format!(
                    "Escalated to {} (#{})",
                    clean_line(&written.body.target_code),
                    written.body.id
                ),
                pending: false,
            }
        }
        Request::Waiver(body) => {
            let written = client.waive_fees(key, body).await?;
            let pending = written.body.status == crate::domain::WaiverStatus::PendingApproval;
            let total = Money::sum(written.body.waivers.iter().map(|w| w.amount));
            let total = total.map(|t| t.to_string()).unwrap_or_default();
            // Short enough to read whole on an 80-column status line.
            let message = if pending {
                format!("Pending approval: {total} sent to a supervisor; nothing waived yet")
            } else {
                format!("Waived {total}")
            };
            Outcome { message, pending }
        }
    })
}
