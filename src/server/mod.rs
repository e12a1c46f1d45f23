//! The reference backend, `switchboard serve`: the axum HTTP API over the store,
//! the suggestion rules, the live floor, and demo data generation.

pub mod decide;
mod error;
mod extract;
pub mod floor;
pub mod openapi;
mod routes;
pub mod seed;
pub mod store;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use floor::{Floor, FloorConfig};
use std::net::SocketAddr;
use store::Store;
use tokio::net::TcpListener;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Calling code for national phone numbers, e.g. "1" or "44".
    pub default_country_code: String,
    pub floor: Floor,
}

impl AppState {
    /// The state over `store`, with the floor rebuilt from today's call events.
    pub async fn new(
        store: Store,
        default_country_code: String,
        config: FloorConfig,
    ) -> store::StoreResult<AppState> {
        let floor = Floor::new(config, store.refdata().await?.queues);
        let now = chrono::Utc::now().timestamp_millis();
        let midnight = now - now.rem_euclid(24 * 3600 * 1000);
        let events = store.call_events_since(midnight).await?;
        floor.restore(&events);
        tracing::info!(
            events = events.len(),
            "floor rebuilt from today's call events"
        );
        Ok(AppState {
            store,
            default_country_code,
            floor,
        })
    }
}

/// The `/v1` router.
pub fn router(state: AppState) -> Router {
    let spec = openapi::document();
    Router::new()
        .route("/healthz", get(routes::health))
        .route(
            "/v1/openapi.json",
            get(move || async move { ([("content-type", "application/json")], spec.clone()) }),
        )
        .route("/v1/me", get(routes::me))
        .route("/v1/refdata", get(routes::refdata))
        .route("/v1/customers/lookup", get(routes::lookup))
        .route("/v1/customers/search", get(routes::search))
        .route("/v1/customers/{id}", get(routes::customer))
        .route("/v1/customers/{id}/timeline", get(routes::timeline))
        .route("/v1/customers/{id}/suggestions", get(routes::suggestions))
        .route("/v1/audit", get(routes::audit))
        .route("/v1/interactions", post(routes::post_interaction))
        .route("/v1/interactions/{id}", get(routes::interaction))
        .route("/v1/escalations", post(routes::post_escalation))
        .route("/v1/fee-waivers", post(routes::post_fee_waiver))
        .route("/v1/calls", post(floor::routes::post_call))
        .route("/v1/agents/me/state", put(floor::routes::put_my_state))
        .route("/v1/agents/{id}/state", put(floor::routes::put_agent_state))
        .route("/v1/agents/board", get(floor::routes::agent_board))
        .route("/v1/queues", get(floor::routes::queues))
        .route("/v1/queues/{id}/staffing", get(floor::routes::staffing))
        .route("/v1/approvals", get(floor::routes::approvals))
        .route("/v1/approvals/{kind}/{id}", post(floor::routes::decide))
        .route("/v1/events", get(floor::routes::events))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}

/// Logs each request by its route template (`/v1/customers/{id}`), never the
/// concrete path or query, which can carry phone numbers and e-mail addresses.
async fn log_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(unmatched)".to_string());
    let method = request.method().clone();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1e3,
        "request"
    );
    response
}

/// Serves until `shutdown` resolves. Purges expired idempotency keys at start.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Expired idempotency keys go at start and then daily.
    let store = state.store.clone();
    let purger = tokio::spawn(async move {
        let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            daily.tick().await;
            match store.purge_old_keys().await {
                Ok(n) => tracing::info!(purged = n, "expired idempotency keys purged"),
                Err(e) => tracing::warn!(error = %e, "could not purge idempotency keys"),
            }
        }
    });
    // The floor's clock: wrap-up limits and throttled statistics.
    let floor = state.floor.clone();
    let ticker = tokio::spawn(async move {
        let mut second = tokio::time::interval(std::time::Duration::from_secs(1));
        second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            second.tick().await;
            floor.tick(chrono::Utc::now().timestamp_millis());
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    purger.abort();
    ticker.abort();
    served
}
