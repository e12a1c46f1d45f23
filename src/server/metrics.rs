//! Prometheus metrics at `GET /metrics` (no token; `serve --metrics-listen`
//! moves them to an address of their own), through the `metrics` crate and
//! its Prometheus exporter. Names follow OpenTelemetry's semantic
//! conventions as Prometheus spells them (`http.server.request.duration` in
//! seconds is `http_server_request_duration_seconds`, attributes with `_`
//! for `.`); what is ours is under `switchboard_`.

use super::store::PoolUse;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// How long requests take, by method, route template and status.
const REQUEST_DURATION: &str = "http_server_request_duration_seconds";
/// From 0.5 ms to 10 s.
const REQUEST_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Event streams (`GET /v1/events`) open now.
const EVENT_STREAMS: &str = "switchboard_event_streams";
/// From an event's publication to its send on a live stream.
const DELIVERY_LAG: &str = "switchboard_event_delivery_lag_seconds";
const LAG_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Writes answered from their idempotency key: an outbox sending again.
const REPLAYS: &str = "switchboard_outbox_replays_total";
/// Suggestions shown, by action.
const DECISIONS: &str = "switchboard_decisions_total";
/// What the agent did with a suggestion, by action and outcome.
const OUTCOMES: &str = "switchboard_decision_outcomes_total";
/// The database pool's connections, by state (`idle`, `used`).
const POOL: &str = "db_client_connection_count";

/// The process's recorder, installed on first use (`None` if another
/// recorder was installed first: then metrics are not kept).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.into()), REQUEST_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full(DELIVERY_LAG.into()), LAG_BUCKETS)
                });
            match builder.and_then(|b| b.install_recorder()) {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics are not kept");
                    None
                }
            }
        })
        .as_ref()
}

/// Starts keeping metrics (before the first request).
pub fn install() {
    handle();
}

/// One request answered.
pub fn request(method: &str, route: &str, status: u16, seconds: f64, replayed: bool) {
    metrics::histogram!(REQUEST_DURATION,
        "http_request_method" => method.to_string(),
        "http_route" => route.to_string(),
        "http_response_status_code" => status.to_string())
    .record(seconds);
    if replayed {
        metrics::counter!(REPLAYS, "http_route" => route.to_string()).increment(1);
    }
}

/// Counts an open event stream while it lives.
pub struct StreamOpen(());

impl StreamOpen {
    pub fn open() -> StreamOpen {
        metrics::gauge!(EVENT_STREAMS).increment(1.0);
        StreamOpen(())
    }
}

impl Drop for StreamOpen {
    fn drop(&mut self) {
        metrics::gauge!(EVENT_STREAMS).decrement(1.0);
    }
}

/// An event sent on a live stream `seconds` after it was published.
pub fn delivered(seconds: f64) {
    metrics::histogram!(DELIVERY_LAG).record(seconds.max(0.0));
}

/// A suggestion shown.
pub fn decided(action: &str) {
    metrics::counter!(DECISIONS, "action" => action.to_string()).increment(1);
}

/// What became of a suggestion.
pub fn outcome(action: &str, outcome: &str) {
    metrics::counter!(OUTCOMES, "action" => action.to_string(), "outcome" => outcome.to_string())
        .increment(1);
}

/// Everything kept, in the Prometheus text format, with the pool's use now.
pub fn render(pool: PoolUse) -> String {
    metrics::gauge!(POOL, "state" => "idle").set(pool.idle as f64);
    metrics::gauge!(POOL, "state" => "used").set(pool.used as f64);
    handle().map(PrometheusHandle::render).unwrap_or_default()
}
