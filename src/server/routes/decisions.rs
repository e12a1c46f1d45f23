//! The decision service's reads: the catalog in words (`GET /v1/actions`),
//! the funnel (`GET /v1/decisions/funnel`) and what the models learned
//! (`GET /v1/decisions/models`), the last two for supervisors.

use crate::api::*;

use crate::server::decide::learn::report;
use crate::server::decide::present;
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{ApiQuery, Caller};
use crate::server::state::AppState;
use axum::extract::State;
use axum::Json;

#[utoipa::path(get, path = "/v1/actions", tag = "decisions", security(("bearer" = [])),
    responses((status = 200, body = Actions), (status = 401, body = ErrorBody)))]
pub async fn actions(State(state): State<AppState>, _: Caller) -> ApiResult<Json<Actions>> {
    Ok(Json(Actions {
        actions: present::actions(&state.catalog),
    }))
}

#[utoipa::path(get, path = "/v1/decisions/funnel", tag = "decisions", security(("bearer" = [])),
    params(FunnelQuery),
    responses((status = 200, body = Funnel), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "`from` after `to`, or an action not in the catalog",
            body = ErrorBody)))]
pub async fn funnel(
    State(state): State<AppState>,
    _supervisor: Caller,
    ApiQuery(q): ApiQuery<FunnelQuery>,
) -> ApiResult<Json<Funnel>> {
    if let (Some(from), Some(to)) = (q.from, q.to) {
        if from > to {
            return Err(ApiError::refused("from", "`from` is after `to`"));
        }
    }
    if let Some(code) = &q.action {
        if state.catalog.action(code).is_none() {
            let known = state.catalog.actions.iter().map(|a| a.code.as_str());
            let message = crate::configfile::unknown("action", code, known);
            return Err(ApiError::refused("action", message));
        }
    }
    let now = state.store.now();
    Ok(Json(state.store.funnel(&q, &state.catalog, now).await?))
}

#[utoipa::path(get, path = "/v1/decisions/models", tag = "decisions", security(("bearer" = [])),
    responses((status = 200, body = Models), (status = 403, body = ErrorBody)))]
pub async fn models(State(state): State<AppState>, _supervisor: Caller) -> ApiResult<Json<Models>> {
    let now = state.store.now();
    let now_ms = now.timestamp_millis();
    let evidence = state.store.predictor_evidence(&state.decay, now_ms).await?;
    let since = now_ms - AUC_DAYS * 86_400_000;
    let scored = state.store.scored_answers(since).await?;
    Ok(Json(Models {
        generated_at: now,
        half_life_days: state.decay.half_life_days,
        min_responses: state.catalog.settings.min_responses,
        actions: report::models(&state.catalog, &evidence, &scored),
    }))
}

/// The models' AUC is over this many days of answers.
const AUC_DAYS: i64 = 30;
