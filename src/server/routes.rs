//! The `/v1` handlers. Reads go straight to the store; the writes share one
//! path through idempotency-key handling (`write`); the live floor's handlers
//! are in `floor/routes.rs`. Each handler carries its
//! OpenAPI description, so the served contract is generated from this code.

use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery, Caller, CustomerPath, IdempotencyKey};
use super::store::{Claim, Cursor, StoredResponse, TimelineFilter, WriteOutcome, WriteRequest};
use super::{decide, AppState};
use crate::api::*;
use crate::domain::{phone, text, Customer, Escalation, Interaction, RefData, Role};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};

#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().as_str().into(),
    }))
}

#[utoipa::path(get, path = "/v1/me", tag = "agents", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(Caller(agent): Caller) -> Json<Me> {
    Json(agent)
}

#[utoipa::path(get, path = "/v1/refdata", tag = "agents", security(("bearer" = [])),
    responses((status = 200, body = RefData), (status = 401, body = ErrorBody)))]
pub async fn refdata(State(state): State<AppState>, _: Caller) -> ApiResult<Json<RefData>> {
    Ok(Json(state.store.refdata().await?))
}

#[utoipa::path(get, path = "/v1/customers/lookup", tag = "customers", security(("bearer" = [])),
    params(LookupQuery),
    responses((status = 200, body = LookupResult), (status = 400, body = ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    _: Caller,
    ApiQuery(q): ApiQuery<LookupQuery>,
) -> ApiResult<Json<LookupResult>> {
    let store = &state.store;
    let (normalized, matches) = match (&q.phone, &q.email, &q.account) {
        (Some(p), None, None) => {
            let e164 = phone::to_e164(p, &state.default_country_code)
                .map_err(|e| ApiError::bad_request(e.to_string()).with_field("phone"))?;
            let found = store.lookup_phone(&e164).await?;
            (e164, found)
        }
        (None, Some(e), None) => {
            let email = text::normalize_email(e);
            if !is_plausible_email(&email) {
                return Err(ApiError::bad_request("not an e-mail address").with_field("email"));
            }
            let found = store.lookup_email(&email).await?;
            (email, found)
        }
        (None, None, Some(a)) => {
            let account = text::normalize_account(a);
            if account.is_empty() {
                return Err(ApiError::bad_request("empty account number").with_field("account"));
            }
            let found = store.lookup_account(&account).await?;
            (account, found)
        }
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of `phone`, `email` or `account`",
            ))
        }
    };
    Ok(Json(LookupResult {
        normalized,
        matches,
    }))
}

fn is_plausible_email(email: &str) -> bool {
    matches!(email.split_once('@'), Some((user, domain)) if !user.is_empty() && !domain.is_empty())
        && email.len() <= 254
}

/// Looks like an account number: letters then at least four digits, e.g. AC00000001.
fn looks_like_account(q: &str) -> bool {
    let a = text::normalize_account(q);
    let digits = a.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) && a.len() <= 32
}

#[utoipa::path(get, path = "/v1/customers/search", tag = "customers", security(("bearer" = [])),
    params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    _: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let limit = bounded(q.limit, 20, 100, "limit")? as usize;
    let query = q.q.trim();
    if query.is_empty() || query.chars().count() > 200 {
        return Err(ApiError::bad_request("`q` must be 1 to 200 characters").with_field("q"));
    }
    let store = &state.store;
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut exact = |found: Vec<CustomerSummary>, on: MatchedOn| {
        hits.extend(found.into_iter().map(|customer| SearchHit {
            customer,
            matched_on: on,
            exact: true,
        }))
    };
    if phone::looks_like_phone(query) {
        if let Ok(e164) = phone::to_e164(query, &state.default_country_code) {
            exact(store.lookup_phone(&e164).await?, MatchedOn::Phone);
        }
    } else if query.contains('@') {
        exact(
            store.lookup_email(&text::normalize_email(query)).await?,
            MatchedOn::Email,
        );
    } else if looks_like_account(query) {
        exact(
            store
                .lookup_account(&text::normalize_account(query))
                .await?,
            MatchedOn::Account,
        );
    }
    for hit in store.search_names(query, limit).await? {
        if !hits.iter().any(|h| h.customer.id == hit.customer.id) {
            hits.push(hit);
        }
    }
    hits.truncate(limit);
    Ok(Json(SearchResults { hits }))
}

#[utoipa::path(get, path = "/v1/customers/{id}", tag = "customers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Customer), (status = 404, body = ErrorBody)))]
pub async fn customer(
    State(state): State<AppState>,
    _: Caller,
    CustomerPath(id): CustomerPath,
) -> ApiResult<Json<Customer>> {
    state
        .store
        .customer(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no customer with id {id}")).with_field("id"))
}

#[utoipa::path(get, path = "/v1/customers/{id}/timeline", tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id"), TimelineQuery),
    responses((status = 200, body = TimelinePage), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    _: Caller,
    CustomerPath(id): CustomerPath,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<TimelinePage>> {
    let limit = bounded(q.limit, 50, 500, "limit")?;
    let before = match &q.before {
        None => None,
        Some(text) => Some(Cursor::decode(text).ok_or_else(|| {
            ApiError::bad_request("`before` is not a cursor from `next_before`")
                .with_field("before")
        })?),
    };
    if !state.store.customer_exists(id).await? {
        return Err(ApiError::not_found(format!("no customer with id {id}")).with_field("id"));
    }
    let filter = TimelineFilter {
        before,
        limit,
        channel: q.channel,
        kind: q.kind,
    };
    let (events, next) = state.store.timeline(id, &filter).await?;
    Ok(Json(TimelinePage {
        events,
        next_before: next.map(|c| c.encode()),
    }))
}

#[utoipa::path(get, path = "/v1/customers/{id}/suggestions", tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, body = Suggestions), (status = 404, body = ErrorBody)))]
pub async fn suggestions(
    State(state): State<AppState>,
    _: Caller,
    CustomerPath(id): CustomerPath,
) -> ApiResult<Json<Suggestions>> {
    let customer =
        state.store.customer(id).await?.ok_or_else(|| {
            ApiError::not_found(format!("no customer with id {id}")).with_field("id")
        })?;
    let now = chrono::Utc::now();
    let signals = state.store.signals(id, now).await?;
    Ok(Json(Suggestions {
        customer_id: id,
        generated_at: now,
        suggestions: decide::suggest(&customer, &signals, now),
    }))
}

#[utoipa::path(get, path = "/v1/audit", tag = "agents", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditLog), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    Caller(agent): Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditLog>> {
    if agent.role != Role::Supervisor {
        return Err(ApiError::forbidden(
            "only supervisors may read the audit log",
        ));
    }
    let limit = bounded(q.limit, 100, 500, "limit")?;
    Ok(Json(AuditLog {
        entries: state.store.audit_log(q.customer_id, limit).await?,
    }))
}

#[utoipa::path(get, path = "/v1/interactions/{id}", tag = "writes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interaction id")),
    responses((status = 200, body = Interaction), (status = 404, body = ErrorBody)))]
pub async fn interaction(
    State(state): State<AppState>,
    _: Caller,
    axum::extract::Path(raw): axum::extract::Path<String>,
) -> ApiResult<Json<Interaction>> {
    let id = raw
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(crate::domain::InteractionId)
        .ok_or_else(|| {
            ApiError::bad_request("not an interaction id (a positive integer)").with_field("id")
        })?;
    state
        .store
        .interaction(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no interaction with id {id}")).with_field("id"))
}

#[utoipa::path(post, path = "/v1/interactions", tag = "writes", security(("bearer" = [])),
    request_body = NewInteraction,
    params(("Idempotency-Key" = String, Header, description = "One key per submission")),
    responses((status = 201, body = Interaction), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_interaction(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<NewInteraction>,
) -> ApiResult<Response> {
    write(&state, caller, key, WriteRequest::Interaction(body)).await
}

#[utoipa::path(post, path = "/v1/escalations", tag = "writes", security(("bearer" = [])),
    request_body = NewEscalation,
    params(("Idempotency-Key" = String, Header, description = "One key per submission")),
    responses((status = 201, body = Escalation), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_escalation(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<NewEscalation>,
) -> ApiResult<Response> {
    write(&state, caller, key, WriteRequest::Escalation(body)).await
}

#[utoipa::path(post, path = "/v1/fee-waivers", tag = "writes", security(("bearer" = [])),
    request_body = NewFeeWaiver,
    params(("Idempotency-Key" = String, Header, description = "One key per submission")),
    responses(
        (status = 201, description = "Applied", body = WaiverDecision),
        (status = 202, description = "Above the agent's limit: pending approval", body = WaiverDecision),
        (status = 400, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, description = "Refused (e.g. above the outstanding amount)", body = ErrorBody)))]
pub async fn post_fee_waiver(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<NewFeeWaiver>,
) -> ApiResult<Response> {
    write(&state, caller, key, WriteRequest::FeeWaiver(body)).await
}

/// The shared write path: claim the key, replay or refuse a reused one, run the
/// write, and give the key back if nothing was recorded.
pub(super) async fn write(
    state: &AppState,
    Caller(agent): Caller,
    IdempotencyKey(key): IdempotencyKey,
    request: WriteRequest,
) -> ApiResult<Response> {
    let store = &state.store;
    let token = match store
        .claim_key(agent.id, &key, &fingerprint(&request))
        .await?
    {
        Claim::Fresh { token } => token,
        Claim::Replay { status, body } => return Ok(json_response(status, body, true)),
        Claim::Mismatch => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::KeyReused,
                "this Idempotency-Key was already used for a different request",
            )
            .with_field("Idempotency-Key"))
        }
        Claim::InFlight => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::InFlight,
                "a request with this Idempotency-Key is still being processed; retry shortly",
            )
            .with_field("Idempotency-Key"))
        }
    };
    match store.write(&agent, &key, token, &request, render).await {
        Ok((outcome, response)) => {
            if matches!(outcome, WriteOutcome::Invalid { .. }) {
                store.release_key(agent.id, &key, token).await?;
            }
            super::floor::routes::after_write(state, &agent, &outcome).await;
            Ok(json_response(response.status, response.body, false))
        }
        Err(e) => {
            if let Err(release) = store.release_key(agent.id, &key, token).await {
                tracing::error!(error = %release, "could not release idempotency key");
            }
            Err(e.into())
        }
    }
}

/// The request's identity for key reuse: a hash of its canonical JSON, so the
/// same request written with other spacing or field order is the same request.
fn fingerprint(request: &WriteRequest) -> String {
    let json = match request {
        WriteRequest::Interaction(r) => serde_json::to_vec(r),
        WriteRequest::Escalation(r) => serde_json::to_vec(r),
        WriteRequest::FeeWaiver(r) => serde_json::to_vec(r),
        WriteRequest::Decision(r) => serde_json::to_vec(r),
    };
    let mut hasher = Sha256::new();
    hasher.update(request.action_name().as_bytes());
    hasher.update(json.unwrap_or_default());
    text::hex(&hasher.finalize())
}

/// The response for an outcome, as sent now and replayed later.
fn render(outcome: &WriteOutcome) -> StoredResponse {
    let (status, body) = match outcome {
        WriteOutcome::InteractionRecorded(r) => (StatusCode::CREATED, serde_json::to_string(r)),
        WriteOutcome::EscalationRecorded(r) => (StatusCode::CREATED, serde_json::to_string(r)),
        WriteOutcome::ApprovalDecided(d) => (StatusCode::OK, serde_json::to_string(d)),
        WriteOutcome::WaiverDecided(d) => {
            let status = match d.status {
                crate::domain::WaiverStatus::Applied => StatusCode::CREATED,
                _ => StatusCode::ACCEPTED,
            };
            (status, serde_json::to_string(d))
        }
        WriteOutcome::Refused { field, reason } => {
            let e = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Refused,
                reason.clone(),
            )
            .with_field(field.clone());
            (e.status, serde_json::to_string(&e.body))
        }
        WriteOutcome::Invalid {
            field,
            message,
            not_found,
        } => {
            let status = if *not_found {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::BAD_REQUEST
            };
            let code = if *not_found {
                ErrorCode::NotFound
            } else {
                ErrorCode::BadRequest
            };
            let e = ApiError::new(status, code, message.clone()).with_field(field.clone());
            (e.status, serde_json::to_string(&e.body))
        }
    };
    StoredResponse {
        status: status.as_u16(),
        body: body.unwrap_or_else(|_| "{}".into()),
    }
}

pub(super) fn json_response(status: u16, body: String, replayed: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    response
}

/// A paging limit within 1..=max, defaulting to `default`.
pub(super) fn bounded(value: Option<u32>, default: u32, max: u32, field: &str) -> ApiResult<u32> {
    match value {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v),
        Some(_) => {
            Err(ApiError::bad_request(format!("`{field}` must be 1 to {max}")).with_field(field))
        }
    }
}

/// JSON 404 for unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such route; the API is described at /v1/openapi.json")
}

/// JSON 405 for a known route with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "this route does not accept that method",
    )
}
