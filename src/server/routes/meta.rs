//! The service itself and the caller: liveness, readiness and metrics, who am I,
//! reference data, and the JSON answers for unknown routes and wrong methods.

use crate::api::*;
use crate::domain::RefData;
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::Caller;
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

/// Liveness: the process answers. It does not look at the database, so a
/// database outage does not get every replica restarted at once.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().as_str().into(),
    })
}

/// Readiness: the database answers and (on replicas) the listener for the
/// floor's events is connected; a load balancer sends desks only here.
#[utoipa::path(get, path = "/readyz", tag = "meta",
    responses((status = 200, body = Ready), (status = 503, body = ErrorBody)))]
pub async fn ready(State(state): State<AppState>) -> ApiResult<Json<Ready>> {
    state.store.ping().await?;
    if !state.replica.listening() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "not listening for the floor's events yet; desks here would miss them",
        ));
    }
    Ok(Json(Ready {
        status: "ready".into(),
        database: state.store.backend().as_str().into(),
        replica: state.replica.origin.clone(),
        leader: state.replica.is_leader(),
    }))
}

/// `GET /metrics`: Prometheus text, no token (`serve --metrics-listen` can
/// move it to an address of its own).
pub async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    let text = crate::server::metrics::render(state.store.pool_use());
    let kind = [(
        axum::http::header::CONTENT_TYPE,
        "text/plain; version=0.0.4",
    )];
    (kind, text)
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
