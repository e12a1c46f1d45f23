//! Talking to the server for the desk: a client error in the agent's words,
//! and sending one confirmed write with its idempotency key. Used by the
//! effect runner (straight sends) and the outbox sync (replays).

use crate::api::{Client, ClientError, Write, WriteAnswer};
use crate::domain::{Money, WaiverStatus};
use crate::tui::action::{Failure, Outcome};
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

/// Sends a confirmed write; the answer in the agent's words.
pub async fn submit(client: &Client, key: &str, write: &Write) -> Result<Outcome, ClientError> {
    let answer = client.write(key, write).await?.body;
    let done = |message: String| Outcome {
        message,
        pending: false,
    };
    Ok(match answer {
        WriteAnswer::Interaction(logged) => done(format!("Interaction logged (#{})", logged.id)),
        WriteAnswer::Escalation(escalated) => done(format!(
            "Escalated to {} (#{})",
            clean_line(&escalated.target_code),
            escalated.id
        )),
        WriteAnswer::FeeWaiver(decision) => {
            let pending = decision.status == WaiverStatus::PendingApproval;
            let total = Money::sum(decision.waivers.iter().map(|w| w.amount));
            let total = total.map(|t| t.to_string()).unwrap_or_default();
            // Short enough to read whole on an 80-column status line.
            let message = if pending {
                format!("Pending approval: {total} sent to a supervisor; nothing waived yet")
            } else {
                format!("Waived {total}")
            };
            Outcome { message, pending }
        }
        WriteAnswer::Decision(decided) => done(clean_line(&decided.message)),
        WriteAnswer::Customer(customer) => match write {
            Write::AddPhone(w) => done(format!(
                "{} added to {}",
                clean_line(&w.phone.phone),
                clean_line(&customer.name)
            )),
            _ => done(format!(
                "Saved {} ({})",
                clean_line(&customer.name),
                clean_line(&customer.account_number)
            )),
        },
    })
}
