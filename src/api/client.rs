//! The reqwest client for `/v1`. Every call returns either the decoded body or a
//! `ClientError` that keeps the server's error shape, so callers can show the
//! server's own reason ("above the fee's outstanding amount") to the agent.

use super::*;
use crate::domain::{Customer, CustomerId, RefData};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
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

/// A signed-in connection to one server.
#[derive(Clone)]
pub struct Client {
    base: String,
    token: String,
    http: reqwest::Client,
}

/// Never prints the token.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// `base` is the server's root, e.g. `http://127.0.0.1:7878`.
    pub fn new(base: &str, token: &str) -> Result<Client, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        Ok(Client {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            http,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
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

    pub async fn suggestions(&self, id: CustomerId) -> Result<Suggestions, ClientError> {
        self.get(&format!("/v1/customers/{id}/suggestions"), &())
            .await
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

    async fn get<Q: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T, ClientError> {
        let request = self.request(Method::GET, path).query(query);
        let (status, _, body) = send(request).await?;
        decode(status, &body)
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        body: &B,
    ) -> Result<Written<T>, ClientError> {
        let request = self
            .request(Method::POST, path)
            .header(IDEMPOTENCY_KEY, key)
            .json(body);
        let (status, replayed, bytes) = send(request).await?;
        Ok(Written {
            body: decode(status, &bytes)?,
            status,
            replayed,
        })
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
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
