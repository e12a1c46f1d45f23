//! The reference backend, `switchboard serve`: the axum HTTP API (the `/v1`
//! router here, the handlers in `routes/`, the idempotent write path in
//! `write_path.rs`) over the store, the suggestion rules, the live floor, and
//! demo data generation.

pub mod access;
pub mod clock;
pub mod decide;
mod decision_log;
mod error;
mod extract;
pub mod fanout;
pub mod floor;
pub mod import;
pub mod metrics;
pub mod openapi;
mod routes;
pub mod seed;
pub mod sqlite_lock;
mod state;
pub mod store;
pub mod suggest;
pub mod transport;
mod view_log;
mod write_path;
mod write_stall;

pub use state::{AppState, StartError};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use routes::{
    call_control, customers, decisions, events, floor as floor_routes, imports, meta, newcomers,
    organisations, records,
};
use tokio::net::TcpListener;

/// The `/v1` router with `/metrics`.
pub fn router(state: AppState) -> Router {
    api_router(Router::new().route("/metrics", get(meta::metrics)), state)
}

/// The `/v1` router added to `router`.
fn api_router(router: Router<AppState>, state: AppState) -> Router {
    metrics::install();
    let spec = openapi::document();
    router
        .route("/healthz", get(meta::health))
        .route("/readyz", get(meta::ready))
        .route(
            "/v1/openapi.json",
            get(move || async move { ([("content-type", "application/json")], spec.clone()) }),
        )
        .route("/v1/me", get(meta::me))
        .route("/v1/refdata", get(meta::refdata))
        .route("/v1/customers/lookup", get(customers::lookup))
        .route("/v1/customers/search", get(customers::search))
        .route("/v1/customers/{id}", get(customers::customer))
        .route("/v1/customers/{id}/timeline", get(customers::timeline))
        .route(
            "/v1/customers/{id}/suggestions",
            get(customers::suggestions),
        )
        .route("/v1/organisations/{id}", get(organisations::organisation))
        .route(
            "/v1/organisations/{id}/timeline",
            get(organisations::timeline),
        )
        .route("/v1/actions", get(decisions::actions))
        .route("/v1/decisions/funnel", get(decisions::funnel))
        .route("/v1/decisions/models", get(decisions::models))
        .route("/v1/audit", get(records::audit))
        .route("/v1/customers", post(newcomers::post_customer))
        .route("/v1/customers/{id}/phones", post(newcomers::post_phone))
        .route(
            "/v1/customers/{source}/{source_id}",
            put(imports::put_customer),
        )
        .route("/v1/events:batch", post(imports::post_events))
        .route("/v1/interactions", post(records::post_interaction))
        .route("/v1/interactions/{id}", get(records::interaction))
        .route("/v1/escalations", post(records::post_escalation))
        .route("/v1/fee-waivers", post(records::post_fee_waiver))
        .route("/v1/calls", post(floor_routes::post_call))
        .route("/v1/calls/{call_id}/hold", post(call_control::hold))
        .route("/v1/calls/{call_id}/resume", post(call_control::resume))
        .route("/v1/calls/{call_id}/hang_up", post(call_control::hang_up))
        .route("/v1/calls/{call_id}/transfer", post(call_control::transfer))
        .route("/v1/agents/me/state", put(floor_routes::put_my_state))
        .route("/v1/agents/{id}/state", put(floor_routes::put_agent_state))
        .route("/v1/agents/board", get(floor_routes::agent_board))
        .route("/v1/queues", get(floor_routes::queues))
        .route("/v1/queues/{id}/staffing", get(floor_routes::staffing))
        .route("/v1/approvals", get(floor_routes::approvals))
        .route("/v1/approvals/{kind}/{id}", post(floor_routes::decide))
        .route("/v1/events", get(events::events))
        .fallback(meta::not_found)
        .method_not_allowed_fallback(meta::method_not_allowed)
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
    let replayed = response
        .headers()
        .contains_key(crate::api::IDEMPOTENT_REPLAYED);
    metrics::request(
        method.as_str(),
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
        replayed,
    );
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1e3,
        "request"
    );
    response
}

/// Floor events are kept this long for desks resuming their stream.
const KEEP_FLOOR_EVENTS_MS: i64 = 48 * 3600 * 1000;

async fn purge(store: &store::Store) {
    match store.purge_old_keys().await {
        Ok(n) => tracing::info!(purged = n, "expired idempotency keys purged"),
        Err(e) => tracing::warn!(error = %e, "could not purge idempotency keys"),
    }
    if store.backend() == store::Backend::Postgres {
        let before = chrono::Utc::now().timestamp_millis() - KEEP_FLOOR_EVENTS_MS;
        match store.purge_floor_log(before).await {
            Ok(n) => tracing::info!(purged = n, "old floor events purged"),
            Err(e) => tracing::warn!(error = %e, "could not purge old floor events"),
        }
    }
}

/// Serves until `shutdown` resolves. The leader purges expired idempotency
/// keys at start and hourly.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_apart(listener, None, state, shutdown).await
}

/// Agent-state intervals kept while the database fails (about a day of a
/// 500-agent floor's changes) before the oldest are given up.
const MAX_UNSAVED_INTERVALS: usize = 100_000;

/// `serve`, with `/metrics` on `metrics` (plain HTTP, no token) instead of
/// beside the API when it is given.
pub async fn serve_apart(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Expired idempotency keys and old floor events go hourly, done by the
    // leader (on SQLite, the one server).
    let (store, replica) = (state.store.clone(), state.replica.clone());
    let purger = tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if replica.is_leader() {
                purge(&store).await;
            }
        }
    });
    // The floor's clock: wrap-up limits and throttled statistics; and the
    // agent-state intervals closed, recorded by the leader (whose floor
    // mirrors every replica's), kept to retry while the database fails.
    let (floor, replica, store) = (
        state.floor.clone(),
        state.replica.clone(),
        state.store.clone(),
    );
    let ticker = tokio::spawn(async move {
        let mut second = tokio::time::interval(std::time::Duration::from_secs(1));
        second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut unsaved = Vec::new();
        loop {
            second.tick().await;
            let leader = replica.is_leader();
            floor.tick(chrono::Utc::now().timestamp_millis(), leader);
            let closed = floor.take_intervals();
            if leader {
                unsaved.extend(closed);
            }
            if unsaved.is_empty() {
                continue;
            }
            match store.record_state_intervals(&unsaved).await {
                Ok(()) => unsaved.clear(),
                Err(e) => {
                    tracing::warn!(error = %e, kept = unsaved.len(), "cannot record agent-state intervals; will retry");
                    if unsaved.len() > MAX_UNSAVED_INTERVALS {
                        let dropped = unsaved.len() - MAX_UNSAVED_INTERVALS;
                        unsaved.drain(..dropped);
                        tracing::error!(
                            dropped,
                            "agent-state intervals dropped: the database has been failing too long"
                        );
                    }
                }
            }
        }
    });
    let limits = state.limits.clone();
    let app = match metrics {
        None => router(state),
        Some(listener) => {
            let alone = Router::new()
                .route("/metrics", get(meta::metrics))
                .with_state(state.clone());
            let plain = transport::Limits {
                tls: None,
                ..limits.clone()
            };
            tokio::spawn(transport::serve(
                listener,
                alone,
                plain,
                std::future::pending(),
            ));
            api_router(Router::new(), state)
        }
    };
    let served = transport::serve(listener, app, limits, shutdown).await;
    purger.abort();
    ticker.abort();
    served
}
