//! Runs effects on tokio tasks and sends their results back as actions. This is
//! where server data enters the desk, so it is sanitised here, once. Reads go
//! through the local cache when there is one (the cached copy first, then the
//! server's; for suggestions the saved copy only when the server is slow or
//! gone, since a decision belongs to its contact); confirmed writes go into
//! its outbox.

use super::action::{Action, Effect, Failure};
use super::local::{self, signins, Local, LocalConfig};
use super::remote::{failure, submit};
use super::sanitize::Sanitize;
use super::search::model::{classify_pop, SEARCH_LIMIT};
use crate::api::Write;
use crate::api::{Client, FunnelQuery};
use crate::cache::OutboxEntry;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// How long a pop waits for the server's decision before showing the one
/// the local cache saved from an earlier contact.
const FRESH_DECISION_GRACE: std::time::Duration = std::time::Duration::from_millis(300);

pub struct Runner {
    client: Option<Client>,
    server: String,
    results: UnboundedSender<Action>,
    config: LocalConfig,
    /// The local cache, once open (shared with the task that opens it).
    local: Arc<Mutex<Option<Local>>>,
    /// The task following the event stream, once subscribed.
    stream: Option<tokio::task::JoinHandle<()>>,
}

/// A desk that closes lets go of the event stream at once, rather than when
/// the next event finds nobody listening (`demo`'s server waits for its
/// streams to end before it stops).
impl Drop for Runner {
    fn drop(&mut self) {
        if let Some(stream) = &self.stream {
            stream.abort();
        }
    }
}

impl Runner {
    pub fn new(results: UnboundedSender<Action>, config: LocalConfig) -> Runner {
        Runner {
            client: None,
            server: String::new(),
            results,
            config,
            local: Arc::new(Mutex::new(None)),
            stream: None,
        }
    }

    /// The local cache, if open.
    pub fn local(&self) -> Option<Local> {
        self.local.lock().ok().and_then(|l| l.clone())
    }

    /// Saves drafts and waits (up to two seconds) until they are durable: the
    /// last thing the desk does before it exits.
    pub async fn save_drafts_now(&self, effect: Effect) {
        let (Some(local), Effect::SaveDrafts { save, remove }) = (self.local(), effect) else {
            return;
        };
        let (done, durable) = tokio::sync::oneshot::channel();
        local.writer.drafts(save, remove, Some(done));
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), durable).await;
    }

    pub fn run(&mut self, effect: Effect) {
        if let Effect::SignIn { server, token } = &effect {
            self.client = Client::new(server, &token.0).ok();
            self.server = server.clone();
        }
        let Some(client) = self.client.clone() else {
            let _ = self.results.send(Action::SignedIn(Err(Failure::Unreachable(
                "no server configured".into(),
            ))));
            return;
        };
        let results = self.results.clone();
        let local = self.local();
        match effect {
            Effect::SignIn { server, token } => {
                let root = self.config.root.clone();
                tokio::spawn(async move {
                    let action = sign_in(&client, root, server, token.0).await;
                    let _ = results.send(action);
                });
            }
            Effect::OpenLocal { agent } => {
                if local.is_some() {
                    return;
                }
                let slot = self.local.clone();
                let (config, server) = (self.config.clone(), self.server.clone());
                tokio::spawn(async move {
                    let opened = local::open(config, server, agent, client, results.clone()).await;
                    let action = match opened {
                        Ok((local, ready)) => {
                            let sync = local.sync.clone();
                            if let Ok(mut slot) = slot.lock() {
                                *slot = Some(local);
                            }
                            // Whatever the last session queued goes out now.
                            sync.kick();
                            Ok(ready)
                        }
                        Err(message) => Err(message),
                    };
                    let _ = results.send(Action::LocalOpened(action));
                });
            }
            Effect::SaveDrafts { save, remove } => {
                if let Some(local) = local {
                    local.writer.drafts(save, remove, None);
                }
            }
            Effect::RetryNow => {
                if let Some(local) = local {
                    local.sync.link_trouble();
                }
            }
            Effect::Subscribe => {
                if self.stream.is_none() {
                    let follow = super::stream::follow(client, results);
                    self.stream = Some(tokio::spawn(follow));
                }
            }
            Effect::Resend { key, new_key } => resolve(local, key, Some(new_key)),
            Effect::Dismiss { key } => resolve(local, key, None),
            Effect::Submit {
                key,
                request,
                draft_key,
            } => {
                tokio::spawn(async move {
                    if let Some(action) = queue(local, &key, &request, draft_key).await {
                        let _ = results.send(action);
                        return;
                    }
                    let _ = results.send(send_now(&client, key, &request).await);
                });
            }
            effect => {
                tokio::spawn(async move {
                    let saved = local.as_ref().and_then(|l| cached(&l.cache, &effect));
                    let fresh = perform(&client, local.as_ref(), effect);
                    let action = match saved {
                        // A decision is made for this contact: a saved one is
                        // shown only when the server is slow to make it.
                        Some(hit @ Action::SuggestionsLoaded { .. }) => {
                            tokio::pin!(fresh);
                            tokio::select! {
                                action = &mut fresh => match action.as_ref().and_then(read_failure) {
                                    Some(Failure::Unreachable(_) | Failure::Retry(_)) => {
                                        let _ = results.send(hit);
                                        action
                                    }
                                    _ => action,
                                },
                                _ = tokio::time::sleep(FRESH_DECISION_GRACE) => {
                                    let _ = results.send(hit);
                                    fresh.await
                                }
                            }
                        }
                        Some(hit) => {
                            let _ = results.send(hit);
                            fresh.await
                        }
                        None => fresh.await,
                    };
                    let Some(action) = action else {
                        return;
                    };
                    if let (Some(local), Some(f)) = (local.as_ref(), read_failure(&action)) {
                        if matches!(f, Failure::Unreachable(_) | Failure::Retry(_)) {
                            local.sync.link_trouble();
                        }
                    }
                    // The desk may be shutting down; then nobody needs the answer.
                    let _ = results.send(action);
                });
            }
        }
    }
}

/// Takes a refused write off the needs-attention list, queueing it again under
/// `resend_as` when given (the old key holds the server's refusal).
fn resolve(local: Option<Local>, key: String, resend_as: Option<String>) {
    let Some(local) = local else { return };
    tokio::spawn(async move {
        let cache = local.cache.clone();
        let done = tokio::task::spawn_blocking(move || {
            let held = cache
                .attention()?
                .into_iter()
                .find(|a| a.entry.idempotency_key == key);
            let Some(held) = held else {
                return Ok(false);
            };
            if let Some(new_key) = resend_as {
                let mut entry = held.entry;
                entry.idempotency_key = new_key;
                cache.enqueue(entry)?;
            }
            cache.resolve_attention(held.seq)
        })
        .await;
        if !matches!(done, Ok(Ok(_))) {
            tracing::error!("a refused write could not be resolved");
        }
        local.sync.kick();
    });
}

/// Puts a confirmed write in the outbox: `Saved` once it is durable, or
/// `None` when there is no cache (or it failed) and it must go straight out.
async fn queue(
    local: Option<Local>,
    key: &str,
    request: &Write,
    draft_key: Option<String>,
) -> Option<Action> {
    let local = local?;
    let entry = OutboxEntry::new(key, request.clone());
    match local.writer.enqueue(entry, draft_key).await {
        Ok(waiting) => {
            local.sync.kick();
            Some(Action::Saved {
                key: key.to_string(),
                waiting,
            })
        }
        Err(e) => {
            tracing::error!(%key, error = %e, "a write could not be queued; sending it directly");
            None
        }
    }
}

/// Sends a write straight to the server (no local cache).
async fn send_now(client: &Client, key: String, request: &Write) -> Action {
    // The key and the kind only: the body holds customer data.
    let reply = submit(client, &key, request).await.map_err(failure);
    match &reply {
        Ok(outcome) => tracing::info!(%key, pending = outcome.pending, "submission answered"),
        Err(e) => tracing::warn!(%key, failure = e.kind(), "submission not accepted"),
    }
    Action::Submitted { reply, key }
}

/// The failure a read's answer carries, if any.
fn read_failure(action: &Action) -> Option<&Failure> {
    match action {
        Action::SearchResults { reply: Err(f), .. }
        | Action::PopResults { reply: Err(f), .. }
        | Action::CustomerLoaded { reply: Err(f), .. }
        | Action::TimelineLoaded { reply: Err(f), .. }
        | Action::SuggestionsLoaded { reply: Err(f), .. }
        | Action::OrganisationLoaded { reply: Err(f), .. }
        | Action::RefDataLoaded(Err(f))
        | Action::QueuesLoaded(Err(f))
        | Action::AgentBoardLoaded(Err(f))
        | Action::ApprovalsLoaded(Err(f))
        | Action::FunnelLoaded { reply: Err(f), .. }
        | Action::ModelsLoaded(Err(f)) => Some(f),
        _ => None,
    }
}

/// Runs a read (or sign-in, or state change); `None` for the effects the
/// runner handles itself.
async fn perform(client: &Client, local: Option<&Local>, effect: Effect) -> Option<Action> {
    let cache = local.map(|l| l.cache.as_ref());
    Some(match effect {
        Effect::Search { request, query } => Action::SearchResults {
            request,
            reply: client
                .search(&query, SEARCH_LIMIT)
                .await
                .map(|r| r.hits.sanitize())
                .map_err(failure),
        },
        Effect::Lookup { request, query } => {
            let lookup = classify_pop(&query);
            let mut reply = client
                .lookup(&lookup)
                .await
                .map(|r| r.matches.sanitize())
                .map_err(failure);
            // The server cannot answer: the customers saved on this desk can.
            if let (Some(local), Err(Failure::Unreachable(_) | Failure::Retry(_))) = (local, &reply)
            {
                let cache = local.cache.clone();
                let saved = tokio::task::spawn_blocking(move || local::find_saved(&cache, &lookup))
                    .await
                    .unwrap_or_default();
                if !saved.is_empty() {
                    reply = Ok(saved);
                }
            }
            Action::PopResults {
                request,
                reply,
                query,
            }
        }
        Effect::LoadCustomer { request, id } => {
            let reply = client.customer(id).await.map_err(failure);
            if let (Some(cache), Ok(profile)) = (cache, &reply) {
                keep(cache.put_customer(profile));
            }
            Action::CustomerLoaded {
                request,
                id,
                reply: reply.map(Sanitize::sanitize),
                cached_at: None,
            }
        }
        Effect::LoadTimeline {
            request,
            id,
            account,
            query,
            append,
        } => {
            let reply = match account {
                Some(org) => client.account_timeline(org, &query).await,
                None => client.timeline(id, &query).await,
            }
            .map_err(failure);
            let own_first_page = account.is_none() && is_first_page(&query);
            if let (Some(cache), Ok(page), true) = (cache, &reply, own_first_page) {
                keep(cache.put_timeline(id, page));
            }
            Action::TimelineLoaded {
                request,
                id,
                append,
                reply: reply.map(|mut page| {
                    page.events = page.events.sanitize();
                    page
                }),
            }
        }
        Effect::LoadRefData => {
            let reply = client.refdata().await.map_err(failure);
            if let (Some(cache), Ok(refdata)) = (cache, &reply) {
                keep(cache.put_refdata(refdata));
            }
            Action::RefDataLoaded(reply.map(Sanitize::sanitize))
        }
        Effect::LoadSuggestions { request, id, query } => {
            let reply = client.suggestions(id, &query).await.map_err(failure);
            if let (Some(cache), Ok(list)) = (cache, &reply) {
                keep(cache.put_suggestions(id, list));
            }
            Action::SuggestionsLoaded {
                request,
                id,
                reply: reply.map(Sanitize::sanitize),
            }
        }
        Effect::LoadOrganisation {
            request,
            id,
            organisation,
        } => Action::OrganisationLoaded {
            request,
            id,
            reply: client
                .organisation(organisation)
                .await
                .map(Sanitize::sanitize)
                .map_err(failure),
        },
        Effect::SetState(request) => Action::StateSet(
            client
                .set_state(&request)
                .await
                .map(Sanitize::sanitize)
                .map_err(failure),
        ),
        Effect::ControlCall { call_id, action } => {
            Action::CallCommanded(client.control_call(&call_id, action).await.map_err(failure))
        }
        Effect::WriteCustomer { key, write } => {
            Action::CustomerWritten(match client.write(&key, &write).await {
                Ok(written) => match written.body {
                    crate::api::WriteAnswer::Customer(c) => Ok(c.sanitize()),
                    _ => Err(Failure::Refused(
                        "the server answered something else".into(),
                    )),
                },
                Err(e) => Err(failure(e)),
            })
        }
        Effect::TransferCall { call_id, body } => {
            Action::CallCommanded(client.transfer_call(&call_id, &body).await.map_err(failure))
        }
        Effect::LoadQueues => Action::QueuesLoaded(
            client
                .queues()
                .await
                .map(Sanitize::sanitize)
                .map_err(failure),
        ),
        Effect::LoadAgentBoard => Action::AgentBoardLoaded(
            client
                .agent_board()
                .await
                .map(|mut board| {
                    board.agents = board.agents.sanitize();
                    board
                })
                .map_err(failure),
        ),
        Effect::LoadApprovals => Action::ApprovalsLoaded(
            client
                .approvals()
                .await
                .map(|a| a.approvals.sanitize())
                .map_err(failure),
        ),
        Effect::LoadModels => Action::ModelsLoaded(
            client
                .models()
                .await
                .map(Sanitize::sanitize)
                .map_err(failure),
        ),
        Effect::LoadFunnel { segment } => {
            let query = FunnelQuery {
                segment,
                ..Default::default()
            };
            Action::FunnelLoaded {
                segment,
                reply: client
                    .funnel(&query)
                    .await
                    .map(Sanitize::sanitize)
                    .map_err(failure),
            }
        }
        Effect::Decide {
            key,
            kind,
            id,
            body,
        } => {
            let reply = client.decide(&key, kind, id, &body).await;
            match &reply {
                Ok(_) => tracing::info!(%key, kind = kind.as_str(), id, "decision taken"),
                Err(e) => {
                    tracing::warn!(%key, kind = kind.as_str(), id, error = e.status().map(|s| s.as_u16()), "decision not taken")
                }
            }
            Action::Decided {
                key,
                reply: reply.map(|w| w.body.sanitize()).map_err(failure),
            }
        }
        // Handled by the runner itself.
        Effect::SignIn { .. }
        | Effect::Subscribe
        | Effect::Submit { .. }
        | Effect::OpenLocal { .. }
        | Effect::SaveDrafts { .. }
        | Effect::Resend { .. }
        | Effect::Dismiss { .. }
        | Effect::RetryNow => return None,
    })
}

/// Signs in, remembering who on this desk; when the server cannot be reached,
/// starts offline as whoever this desk last saw sign in with the token.
async fn sign_in(client: &Client, root: PathBuf, server: String, token: String) -> Action {
    let reply = client.me().await.map(Sanitize::sanitize).map_err(failure);
    match reply {
        Ok(agent) => {
            tracing::info!(agent = %agent.id, server = client.base(), "signed in");
            let me = agent.clone();
            let kept =
                tokio::task::spawn_blocking(move || signins::remember(&root, &server, &token, &me))
                    .await;
            if !matches!(kept, Ok(Ok(()))) {
                tracing::warn!("the sign-in could not be kept for an offline start");
            }
            Action::SignedIn(Ok(agent))
        }
        Err(failure @ (Failure::Unreachable(_) | Failure::Retry(_))) => {
            tracing::warn!(
                server = client.base(),
                failure = failure.kind(),
                "sign-in failed"
            );
            let recalled =
                tokio::task::spawn_blocking(move || signins::recall(&root, &server, &token)).await;
            match recalled {
                Ok(Some(agent)) => {
                    tracing::info!(agent = %agent.id, "starting offline");
                    Action::StartedOffline {
                        agent: agent.sanitize(),
                        reason: failure.text().to_string(),
                    }
                }
                _ => Action::SignedIn(Err(failure)),
            }
        }
        Err(failure) => {
            tracing::warn!(
                server = client.base(),
                failure = failure.kind(),
                "sign-in failed"
            );
            Action::SignedIn(Err(failure))
        }
    }
}

/// What the cache already holds for a read (expired data is not served), sent
/// before the server is asked so a known customer renders at once. Sanitised
/// like the server's copy.
pub fn cached(cache: &crate::cache::Cache, effect: &Effect) -> Option<Action> {
    match effect {
        Effect::LoadCustomer { request, id } => {
            let hit = cache.customer(*id).ok().flatten()?;
            Some(Action::CustomerLoaded {
                request: *request,
                id: *id,
                reply: Ok(hit.value.sanitize()),
                cached_at: Some(hit.stored_at),
            })
        }
        Effect::LoadTimeline {
            request,
            id,
            account: None,
            query,
            append: false,
        } if is_first_page(query) => {
            let mut hit = cache.timeline(*id).ok().flatten()?;
            hit.value.events = hit.value.events.sanitize();
            Some(Action::TimelineLoaded {
                request: *request,
                id: *id,
                append: false,
                reply: Ok(hit.value),
            })
        }
        Effect::LoadSuggestions { request, id, .. } => {
            let hit = cache.suggestions(*id).ok().flatten()?;
            Some(Action::SuggestionsLoaded {
                request: *request,
                id: *id,
                reply: Ok(hit.value.sanitize()),
            })
        }
        Effect::LoadRefData => {
            let hit = cache.refdata().ok().flatten()?;
            Some(Action::RefDataLoaded(Ok(hit.value.sanitize())))
        }
        _ => None,
    }
}

/// The unfiltered newest page: the one the cache keeps.
fn is_first_page(query: &crate::api::TimelineQuery) -> bool {
    query.before.is_none() && query.channel.is_none() && query.kind.is_none()
}

/// A cache write that failed only costs a later cache miss: logged, not shown.
fn keep(result: Result<(), crate::cache::CacheError>) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not keep a copy in the local cache");
    }
}
