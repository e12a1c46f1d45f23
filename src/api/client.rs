//! The reqwest client for `/v1`. Every call returns either the decoded body or a
//! `ClientError` that keeps the server's error shape, so callers can show the
//! server's own reason ("above the fee's outstanding amount") to the agent.

use super::sse::{SseMessage, SseParser};
use super::*;
use crate::domain::{Customer, CustomerId, Organisation, RefData};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Why a call did not produce the expected body.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error in the `/v1` shape.
    #[error("{status}: {}", body.message)]
    Api { status: StatusCode, body: ErrorBody },
    /// The server could not be reached or the connection broke.
    #[error("cannot reach the server: {0}")]
    Transport(String),
    /// The server answered something that is not the `/v1` contract.
    #[error("unexpected answer from the server ({status}): {detail}")]
    Protocol { status: StatusCode, detail: String },
}

impl ClientError {
    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Api { status, .. } | ClientError::Protocol { status, .. } => Some(*status),
            ClientError::Transport(_) => None,
        }
    }
}

/// A response body plus whether it was replayed for a reused idempotency key.
#[derive(Debug, Clone)]
pub struct Written<T> {
    pub body: T,
    pub status: StatusCode,
    pub replayed: bool,
}

/// The live events of `GET /v1/events`, each with its id; owns its
/// connection, so it can be moved to a task of its own.
pub type EventStream =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<(u64, FloorEvent), ClientError>> + Send>>;

/// A signed-in connection to a server, or to the first of several replicas
/// that answers: a request the server in use cannot be reached for goes to
/// the next (safe for writes, whose idempotency keys the replicas share).
#[derive(Clone)]
pub struct Client {
    bases: Arc<[String]>,
    /// The index in `bases` of the server in use, shared by every clone.
    current: Arc<AtomicUsize>,
    token: String,
    http: reqwest::Client,
    /// For the event stream: no overall timeout, only one between reads
    /// (the server sends a keep-alive every 15 s).
    stream_http: reqwest::Client,
}

/// Never prints the token.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base())
            .finish_non_exhaustive()
    }
}

/// Certificate authorities this process trusts beside the built-in roots
/// (`--ca FILE`, for a server whose certificate a private CA signed).
static TRUSTED_CAS: std::sync::OnceLock<Vec<reqwest::Certificate>> = std::sync::OnceLock::new();

/// Trusts the CA certificates in the PEM file at `path` for every client
/// this process makes from now on. Says which file and why when it cannot.
pub fn trust_ca_file(path: &std::path::Path) -> Result<(), String> {
    let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("{}: not a PEM certificate bundle ({e})", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate in it", path.display()));
    }
    TRUSTED_CAS
        .set(certs)
        .map_err(|_| "a CA file was already given".to_string())
}

impl Client {
    /// `base` is the server's root, e.g. `http://127.0.0.1:7878`, or several
    /// replicas' roots separated by commas, tried in turn.
    pub fn new(base: &str, token: &str) -> Result<Client, ClientError> {
        let bases: Vec<String> = base
            .split(',')
            .map(|b| b.trim().trim_end_matches('/').to_string())
            .filter(|b| !b.is_empty())
            .collect();
        if bases.is_empty() {
            return Err(ClientError::Transport("no server address given".into()));
        }
        let trusting = |mut builder: reqwest::ClientBuilder| {
            for ca in TRUSTED_CAS.get().into_iter().flatten() {
                builder = builder.add_root_certificate(ca.clone());
            }
            builder
        };
        let http = trusting(reqwest::Client::builder())
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let stream_http = trusting(reqwest::Client::builder())
            .connect_timeout(Duration::from_secs(3))
            .read_timeout(Duration::from_secs(45))
            .build()
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        Ok(Client {
            bases: bases.into(),
            current: Arc::new(AtomicUsize::new(0)),
            token: token.to_string(),
            http,
            stream_http,
        })
    }

    /// The server in use now.
    pub fn base(&self) -> &str {
        &self.bases[self.current.load(Ordering::Acquire) % self.bases.len()]
    }

    /// Sends the request `build` makes for a server root, moving on to the
    /// next server each time one cannot be reached; the last failure when
    /// none can.
    async fn exchange<R, F>(
        &self,
        build: impl Fn(&str) -> reqwest::RequestBuilder,
        send: impl Fn(reqwest::RequestBuilder) -> F,
    ) -> Result<R, ClientError>
    where
        F: std::future::Future<Output = Result<R, ClientError>>,
    {
        let mut tries = self.bases.len();
        loop {
            let at = self.current.load(Ordering::Acquire) % self.bases.len();
            match send(build(&self.bases[at])).await {
                Err(ClientError::Transport(e)) if tries > 1 => {
                    tries -= 1;
                    let next = (at + 1) % self.bases.len();
                    // Only the first to see this server fail moves on.
                    let _ = self.current.compare_exchange(
                        at,
                        next,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    );
                    tracing::warn!(
                        from = %self.bases[at],
                        to = %self.bases[next],
                        error = %e,
                        "server unreachable; failing over"
                    );
                }
                answer => return answer,
            }
        }
    }

    pub async fn me(&self) -> Result<Me, ClientError> {
        self.get("/v1/me", &()).await
    }

    pub async fn refdata(&self) -> Result<RefData, ClientError> {
        self.get("/v1/refdata", &()).await
    }

    pub async fn lookup(&self, query: &LookupQuery) -> Result<LookupResult, ClientError> {
        self.get("/v1/customers/lookup", query).await
    }

    pub async fn search(&self, q: &str, limit: u32) -> Result<SearchResults, ClientError> {
        let query = SearchQuery {
            q: q.to_string(),
            limit: Some(limit),
        };
        self.get("/v1/customers/search", &query).await
    }

    pub async fn customer(&self, id: CustomerId) -> Result<Customer, ClientError> {
        self.get(&format!("/v1/customers/{id}"), &()).await
    }

    pub async fn timeline(
        &self,
        id: CustomerId,
        query: &TimelineQuery,
    ) -> Result<TimelinePage, ClientError> {
        self.get(&format!("/v1/customers/{id}/timeline"), query)
            .await
    }

    /// The account of an organisation (`id` is its customer id).
    pub async fn organisation(&self, id: CustomerId) -> Result<Organisation, ClientError> {
        self.get(&format!("/v1/organisations/{id}"), &()).await
    }

    /// A page of the whole account's timeline: every contact's events for it.
    pub async fn account_timeline(
        &self,
        id: CustomerId,
        query: &TimelineQuery,
    ) -> Result<TimelinePage, ClientError> {
        self.get(&format!("/v1/organisations/{id}/timeline"), query)
            .await
    }

    pub async fn suggestions(
        &self,
        id: CustomerId,
        query: &SuggestionsQuery,
    ) -> Result<Suggestions, ClientError> {
        self.get(&format!("/v1/customers/{id}/suggestions"), query)
            .await
    }

    /// The action catalog, in words.
    pub async fn actions(&self) -> Result<Actions, ClientError> {
        self.get("/v1/actions", &()).await
    }

    /// What became of the decisions in a period (supervisors).
    pub async fn funnel(&self, query: &FunnelQuery) -> Result<Funnel, ClientError> {
        self.get("/v1/decisions/funnel", query).await
    }

    /// What the decision models learned (supervisors).
    pub async fn models(&self) -> Result<Models, ClientError> {
        self.get("/v1/decisions/models", &()).await
    }

    pub async fn audit(&self, query: &AuditQuery) -> Result<AuditLog, ClientError> {
        self.get("/v1/audit", query).await
    }

    pub async fn interaction(
        &self,
        id: crate::domain::InteractionId,
    ) -> Result<crate::domain::Interaction, ClientError> {
        self.get(&format!("/v1/interactions/{id}"), &()).await
    }

    pub async fn log_interaction(
        &self,
        key: &str,
        body: &NewInteraction,
    ) -> Result<Written<InteractionCreated>, ClientError> {
        self.post("/v1/interactions", key, body).await
    }

    pub async fn escalate(
        &self,
        key: &str,
        body: &NewEscalation,
    ) -> Result<Written<EscalationCreated>, ClientError> {
        self.post("/v1/escalations", key, body).await
    }

    pub async fn waive_fees(
        &self,
        key: &str,
        body: &NewFeeWaiver,
    ) -> Result<Written<WaiverDecision>, ClientError> {
        self.post("/v1/fee-waivers", key, body).await
    }

    /// Sends any write under its idempotency key, to its route.
    pub async fn write(
        &self,
        key: &str,
        write: &Write,
    ) -> Result<Written<WriteAnswer>, ClientError> {
        fn answer<T>(w: Written<T>, f: fn(T) -> WriteAnswer) -> Written<WriteAnswer> {
            Written {
                body: f(w.body),
                status: w.status,
                replayed: w.replayed,
            }
        }
        Ok(match write {
            Write::Interaction(body) => answer(
                self.log_interaction(key, body).await?,
                WriteAnswer::Interaction,
            ),
            Write::Escalation(body) => {
                answer(self.escalate(key, body).await?, WriteAnswer::Escalation)
            }
            Write::FeeWaiver(body) => {
                answer(self.waive_fees(key, body).await?, WriteAnswer::FeeWaiver)
            }
            Write::Decision(d) => answer(
                self.decide(key, d.kind, d.id, &d.decision).await?,
                WriteAnswer::Decision,
            ),
            Write::NewCustomer(body) => answer(
                self.post("/v1/customers", key, body).await?,
                WriteAnswer::Customer,
            ),
            Write::AddPhone(w) => answer(
                self.post(&write.path(), key, &w.phone).await?,
                WriteAnswer::Customer,
            ),
        })
    }

    /// Reports a call event (ACDs and the simulator: a `system` token).
    pub async fn post_call(&self, event: &NewCallEvent) -> Result<Written<CallEvent>, ClientError> {
        let build = |base: &str| self.request(base, Method::POST, "/v1/calls").json(event);
        written(self.exchange(build, send).await?)
    }

    /// Asks the ACD to hold, resume or hang up a call the caller is on.
    pub async fn control_call(
        &self,
        call_id: &str,
        action: crate::domain::CallAction,
    ) -> Result<CallCommand, ClientError> {
        let call = form_urlencoded::byte_serialize(call_id.as_bytes()).collect::<String>();
        let path = format!("/v1/calls/{call}/{}", action.as_str());
        let build = |base: &str| self.request(base, Method::POST, &path);
        let (status, _, bytes) = self.exchange(build, send).await?;
        decode(status, &bytes)
    }

    /// Asks the ACD to hand the caller on to an agent or a queue.
    pub async fn transfer_call(
        &self,
        call_id: &str,
        transfer: &NewTransfer,
    ) -> Result<CallCommand, ClientError> {
        let call = form_urlencoded::byte_serialize(call_id.as_bytes()).collect::<String>();
        let path = format!("/v1/calls/{call}/transfer");
        let build = |base: &str| self.request(base, Method::POST, &path).json(transfer);
        let (status, _, bytes) = self.exchange(build, send).await?;
        decode(status, &bytes)
    }

    /// Sets the caller's own state: available, or not ready with a reason.
    pub async fn set_state(&self, state: &NewAgentState) -> Result<AgentStatus, ClientError> {
        self.put("/v1/agents/me/state", state).await
    }

    /// Sets another agent's state (a `system` token: the simulator's agents).
    pub async fn set_agent_state(
        &self,
        agent: crate::domain::AgentId,
        state: &NewAgentState,
    ) -> Result<AgentStatus, ClientError> {
        self.put(&format!("/v1/agents/{agent}/state"), state).await
    }

    pub async fn queues(&self) -> Result<QueueBoard, ClientError> {
        self.get("/v1/queues", &()).await
    }

    pub async fn agent_board(&self) -> Result<AgentBoard, ClientError> {
        self.get("/v1/agents/board", &()).await
    }

    pub async fn staffing(
        &self,
        queue: &str,
        query: &StaffingQuery,
    ) -> Result<crate::domain::Staffing, ClientError> {
        let queue = form_urlencoded::byte_serialize(queue.as_bytes()).collect::<String>();
        self.get(&format!("/v1/queues/{queue}/staffing"), query)
            .await
    }

    pub async fn approvals(&self) -> Result<Approvals, ClientError> {
        self.get("/v1/approvals", &()).await
    }

    pub async fn decide(
        &self,
        key: &str,
        kind: ApprovalKind,
        id: i64,
        decision: &NewDecision,
    ) -> Result<Written<ApprovalDecision>, ClientError> {
        self.post(
            &format!("/v1/approvals/{}/{id}", kind.as_str()),
            key,
            decision,
        )
        .await
    }

    /// The live event stream, resuming after `last_event_id` when given. Ends
    /// when the connection does; reconnect with the last id received.
    pub async fn events(&self, last_event_id: Option<u64>) -> Result<EventStream, ClientError> {
        let build = |base: &str| {
            let request = self
                .stream_http
                .get(format!("{base}/v1/events"))
                .bearer_auth(&self.token)
                .header(reqwest::header::ACCEPT, "text/event-stream");
            match last_event_id {
                Some(id) => request.header("last-event-id", id.to_string()),
                None => request,
            }
        };
        let response = self
            .exchange(build, |request| async move {
                request
                    .send()
                    .await
                    .map_err(|e| ClientError::Transport(e.to_string()))
            })
            .await?;
        let status = response.status();
        if !status.is_success() {
            let body = response
                .bytes()
                .await
                .map_err(|e| ClientError::Transport(e.to_string()))?;
            return Err(decode::<()>(status, &body)
                .err()
                .unwrap_or(ClientError::Protocol {
                    status,
                    detail: "an error status with a success body".into(),
                }));
        }
        let state = (Some(response), SseParser::new(), VecDeque::new());
        Ok(Box::pin(futures::stream::unfold(
            state,
            |(mut response, mut parser, mut ready)| async move {
                loop {
                    if let Some(message) = ready.pop_front() {
                        return Some((event_of(message), (response, parser, ready)));
                    }
                    match response.as_mut()?.chunk().await {
                        Ok(Some(bytes)) => ready.extend(parser.push(&bytes)),
                        Ok(None) => return None,
                        // Report the break once; the next poll ends the stream.
                        Err(e) => {
                            let error = ClientError::Transport(e.to_string());
                            return Some((Err(error), (None, parser, ready)));
                        }
                    }
                }
            },
        )))
    }

    async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let (status, _, bytes) = self
            .exchange(
                |base| self.request(base, Method::PUT, path).json(body),
                send,
            )
            .await?;
        decode(status, &bytes)
    }

    async fn get<Q: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T, ClientError> {
        let (status, _, body) = self
            .exchange(
                |base| self.request(base, Method::GET, path).query(query),
                send,
            )
            .await?;
        decode(status, &body)
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        body: &B,
    ) -> Result<Written<T>, ClientError> {
        let build = |base: &str| {
            self.request(base, Method::POST, path)
                .header(IDEMPOTENCY_KEY, key)
                .json(body)
        };
        written(self.exchange(build, send).await?)
    }

    fn request(&self, base: &str, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{base}{path}"))
            .bearer_auth(&self.token)
    }
}

async fn send(
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, bool, bytes::Bytes), ClientError> {
    let response = request
        .send()
        .await
        .map_err(|e| ClientError::Transport(e.to_string()))?;
    let status = response.status();
    let replayed = response.headers().contains_key(IDEMPOTENT_REPLAYED);
    let body = response
        .bytes()
        .await
        .map_err(|e| ClientError::Transport(e.to_string()))?;
    Ok((status, replayed, body))
}

fn written<T: DeserializeOwned>(
    (status, replayed, bytes): (StatusCode, bool, bytes::Bytes),
) -> Result<Written<T>, ClientError> {
    Ok(Written {
        body: decode(status, &bytes)?,
        status,
        replayed,
    })
}

/// An SSE message as a typed event with its numeric id.
fn event_of(message: SseMessage) -> Result<(u64, FloorEvent), ClientError> {
    let protocol = |detail: String| ClientError::Protocol {
        status: StatusCode::OK,
        detail,
    };
    let id = message
        .id
        .as_deref()
        .and_then(|id| id.parse::<u64>().ok())
        .ok_or_else(|| protocol(format!("event without a numeric id: {:?}", message.id)))?;
    let event = FloorEvent::from_sse(&message.event, &message.data)
        .map_err(|e| protocol(format!("event `{}`: {e}", message.event)))?;
    Ok((id, event))
}

fn decode<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, ClientError> {
    if status.is_success() {
        return serde_json::from_slice(body).map_err(|e| ClientError::Protocol {
            status,
            detail: e.to_string(),
        });
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(body) => Err(ClientError::Api { status, body }),
        Err(_) => Err(ClientError::Protocol {
            status,
            detail: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
        }),
    }
}
