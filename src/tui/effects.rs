//! Runs effects on tokio tasks and sends their results back as actions. This is
//! where server data enters the desk, so it is sanitised here, once.

use super::action::{Action, Effect, Failure};
use super::sanitize::Sanitize;
use super::update::{classify_pop, SEARCH_LIMIT};
use crate::api::{Client, ClientError};
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
        ClientError::Api { body, .. } => {
            Failure::Refused(super::sanitize::clean_line(&body.message))
        }
        ClientError::Protocol { status, .. } => {
            Failure::Refused(format!("the server gave an unexpected answer ({status})"))
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
            self.client = Client::new(server, token).ok();
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
            Action::SignedIn(client.me().await.map(Sanitize::sanitize).map_err(failure))
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
