//! What agents write: interaction logs (and reading one back), escalations and
//! fee waivers, each through the idempotent write path; and the audit log of
//! those writes, for supervisors.

use crate::api::Write;
use crate::api::*;
use crate::domain::{Escalation, Interaction};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{bounded, ApiJson, ApiQuery, Caller, IdempotencyKey};
use crate::server::metrics;
use crate::server::state::AppState;
use crate::server::write_path::write;
use axum::extract::State;
use axum::response::Response;
use axum::Json;

#[utoipa::path(get, path = "/v1/interactions/{id}", tag = "writes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interaction id", minimum = 1)),
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
    params(IdempotencyKey),
    responses((status = 201, body = Interaction), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_interaction(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(mut body): ApiJson<NewInteraction>,
) -> ApiResult<Response> {
    // Outcomes name actions of the catalog; an alias (an older desk's code)
    // is kept under the action's code.
    for (i, outcome) in body.suggestion_outcomes.iter_mut().enumerate() {
        let Some(action) = state.catalog.action(outcome.action.as_str()) else {
            return Err(ApiError::refused(
                &format!("suggestion_outcomes[{i}].action"),
                format!(
                    "unknown action `{}`; GET /v1/actions lists them",
                    crate::domain::text::clip(outcome.action.as_str(), 40)
                ),
            ));
        };
        outcome.action = crate::domain::ActionCode::new(&action.code);
    }
    let answered = body
        .suggestion_outcomes
        .iter()
        .filter_map(|o| o.decision_id);
    state.decisions.settled(answered).await;
    let outcomes = body.suggestion_outcomes.clone();
    let response = write(&state, caller, key, Write::Interaction(body)).await?;
    if !response.headers().contains_key(IDEMPOTENT_REPLAYED) {
        for o in &outcomes {
            metrics::outcome(o.action.as_str(), o.verdict.as_str());
        }
    }
    Ok(response)
}

#[utoipa::path(post, path = "/v1/escalations", tag = "writes", security(("bearer" = [])),
    request_body = NewEscalation,
    params(IdempotencyKey),
    responses((status = 201, body = Escalation), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_escalation(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<NewEscalation>,
) -> ApiResult<Response> {
    write(&state, caller, key, Write::Escalation(body)).await
}

#[utoipa::path(post, path = "/v1/fee-waivers", tag = "writes", security(("bearer" = [])),
    request_body = NewFeeWaiver,
    params(IdempotencyKey),
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
    write(&state, caller, key, Write::FeeWaiver(body)).await
}

#[utoipa::path(get, path = "/v1/audit", tag = "agents", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditLog), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    _supervisor: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditLog>> {
    let limit = bounded(q.limit, 100, 500, "limit")?;
    if q.customer_id.is_some_and(|id| id.0 < 1) {
        return Err(
            ApiError::bad_request("`customer_id` must be a positive integer")
                .with_field("customer_id"),
        );
    }
    let entries = match q.kind.unwrap_or_default() {
        AuditKind::Write => state.store.audit_log(q.customer_id, limit).await?,
        AuditKind::View => state.store.view_log(q.customer_id, limit).await?,
    };
    Ok(Json(AuditLog { entries }))
}
