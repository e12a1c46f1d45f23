//! Runs effects on tokio tasks and sends their results back as actions. This is
//! where server data enters the desk, so it is sanitised here, once.

use super::action::{Action, Effect, Failure, Outcome};
use super::forms::Request;
use super::sanitize::Sanitize;
use super::update::{classify_pop, SEARCH_LIMIT};
use crate::api::{Client, ClientError};
use crate::domain::Money;
use tokio::sync::mpsc::UnboundedSender;

pub struct Runner {
    client: Option<Client>,
    results: UnboundedSender<Action>,
}

fn failure(e: ClientError) -> Failure {
    match e {
        ClientError::Transport(m) => Failure::Unreachable(m),
        ClientError::Api { status, body } if status.as_u16() == 401 => {
            Failure::Unauthenticated(super::sanitize::clean_line(&body.message))
        }
        ClientError::Api { status, body } if status.as_u16() == 409 || status.is_server_error() => {
            Failure::Retry(super::sanitize::clean_line(&body.message))
        }
        ClientError::Api { body, .. } => {
            Failure::Refused(super::sanitize::clean_line(&body.message))
        }
        ClientError::Protocol { status, .. } => {
            Failure::Retry(format!("the server gave an unexpected answer ({status})"))
        }
    }
}

impl Runner {
    pub fn new(results: UnboundedSender<Action>) -> Runner {
        Runner {
            client: None,
            results,
        }
    }

    pub fn run(&mut self, effect: Effect) {
        if let Effect::SignIn { server, token } = &effect {
            self.client = Client::new(server, &token.0).ok();
        }
        let Some(client) = self.client.clone() else {
            let _ = self.results.send(Action::SignedIn(Err(Failure::Unreachable(
                "no server configured".into(),
            ))));
            return;
        };
        let results = self.results.clone();
        tokio::spawn(async move {
            let action = perform(&client, effect).await;
            // The desk may be shutting down; then nobody needs the answer.
            let _ = results.send(action);
        });
    }
}

async fn perform(client: &Client, effect: Effect) -> Action {
    match effect {
        Effect::SignIn { .. } => {
            let reply = client.me().await.map(Sanitize::sanitize).map_err(failure);
            match &reply {
                Ok(agent) => tracing::info!(agent = %agent.id, server = client.base(), "signed in"),
                Err(e) => {
                    tracing::warn!(server = client.base(), failure = e.kind(), "sign-in failed")
                }
            }
            Action::SignedIn(reply)
        }
        Effect::Search { request, query } => Action::SearchResults {
            request,
            reply: client
                .search(&query, SEARCH_LIMIT)
                .await
                .map(|r| r.hits.sanitize())
                .map_err(failure),
        },
        Effect::Lookup { request, query } => Action::PopResults {
            request,
            reply: client
                .lookup(&classify_pop(&query))
                .await
                .map(|r| r.matches.sanitize())
                .map_err(failure),
            query,
        },
        Effect::LoadCustomer { request, id } => Action::CustomerLoaded {
            request,
            id,
            reply: client
                .customer(id)
                .await
                .map(Sanitize::sanitize)
                .map_err(failure),
        },
        Effect::LoadTimeline {
            request,
            id,
            query,
            append,
        } => Action::TimelineLoaded {
            request,
            id,
            append,
            reply: client
                .timeline(id, &query)
                .await
                .map(|mut page| {
                    page.events = page.events.sanitize();
                    page
                })
                .map_err(failure),
        },
        Effect::LoadRefData => Action::RefDataLoaded(
            client
                .refdata()
                .await
                .map(Sanitize::sanitize)
                .map_err(failure),
        ),
        Effect::Submit { key, request } => {
            // The key and the kind only: the body holds customer data.
            let reply = submit(client, &key, &request).await.map_err(failure);
            match &reply {
                Ok(outcome) => {
                    tracing::info!(%key, pending = outcome.pending, "submission answered")
                }
                Err(e) => tracing::warn!(%key, failure = e.kind(), "submission not accepted"),
            }
            Action::Submitted { reply, key }
        }
        Effect::LoadSuggestions { request, id } => Action::SuggestionsLoaded {
            request,
            id,
            reply: client
                .suggestions(id)
                .await
                .map(|s| s.suggestions.sanitize())
                .map_err(failure),
        },
    }
}

/// Sends a form's request; the answer in the agent's words.
async fn submit(client: &Client, key: &str, request: &Request) -> Result<Outcome, ClientError> {
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
                    super::sanitize::clean_line(&written.body.target_code),
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
