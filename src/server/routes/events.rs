//! The event stream, `GET /v1/events`: server-sent events of the live floor,
//! each client reading from its own cursor in the hub and told to resync when
//! it missed events. On replicas a cursor older than the hub's ring (a desk
//! resuming after a while, or on another replica) is replayed from the
//! shared event log first.

use crate::api::*;
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{bearer_token, Caller};
use crate::server::floor::hub::{Audience, Batch, Published, Viewer};
use crate::server::floor::Floor;
use crate::server::metrics;
use crate::server::state::AppState;
use crate::server::store::Store;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// Keep-alive comment interval on the event stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Events replayed from the shared log at once.
const REPLAY_BATCH: i64 = 256;
/// How often an open stream's token is looked at again while it is quiet.
const ACCESS_CHECK: Duration = Duration::from_secs(5);

#[utoipa::path(get, path = "/v1/events", tag = "floor", security(("bearer" = [])),
    params(("Last-Event-ID" = Option<String>, Header, description = "Resume after this event id", pattern = "^[0-9]{1,19}$")),
    responses((status = 200, description = "`text/event-stream` of `contact_offered`, \
        `queue_stats`, `agent_state`, `approval_requested`, `approval_decided`, `call_command` \
        (to `system` tokens: a `CallCommand` for the ACD to carry out) and `resync` \
        events, each with a numeric id and a JSON payload", content_type = "text/event-stream"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    Caller(caller): Caller,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last = match headers.get("last-event-id") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .map(str::trim)
                .filter(|v| (1..=19).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request("Last-Event-ID must be an event id (a number)")
                        .with_field("Last-Event-ID")
                })?,
        ),
    };
    let floor = state.floor.clone();
    let viewer = Viewer {
        agent: caller.id,
        role: caller.role,
    };
    let cursor = last.unwrap_or_else(|| floor.hub().latest());
    let wake = floor.hub().subscribe();
    // The token it was opened with, to look at again while it is open.
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .unwrap_or_default()
        .to_string();
    let stream = futures::stream::unfold(
        Subscriber {
            floor,
            viewer,
            cursor,
            wake,
            ready: VecDeque::new(),
            store: state.store.clone(),
            token,
            next_check: tokio::time::Instant::now() + ACCESS_CHECK,
            opened_ms: chrono::Utc::now().timestamp_millis(),
            _open: metrics::StreamOpen::open(),
        },
        |mut s| async move { s.next().await.map(|event| (Ok(event), s)) },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive")))
}

/// One client of the event stream: a cursor and the events ready to send.
struct Subscriber {
    floor: Floor,
    viewer: Viewer,
    cursor: u64,
    wake: tokio::sync::watch::Receiver<u64>,
    ready: VecDeque<Arc<Published>>,
    store: Store,
    token: String,
    /// When the token is next looked at again.
    next_check: tokio::time::Instant,
    /// When the stream opened: events published since are live, and how
    /// late they are sent is measured.
    opened_ms: i64,
    _open: metrics::StreamOpen,
}

impl Subscriber {
    /// The next event for this client; `None` when the server stops or the
    /// token it was opened with is refused now (revoked, rotated, or the
    /// agent disabled), which ends the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if tokio::time::Instant::now() >= self.next_check {
                self.next_check = tokio::time::Instant::now() + ACCESS_CHECK;
                // A database hiccup keeps the stream; only a refusal ends it.
                if let Ok(None) = self.store.agent_by_token(&self.token).await {
                    tracing::info!(
                        agent = self.viewer.agent.0,
                        "event stream closed: access withdrawn"
                    );
                    return None;
                }
            }
            if let Some(p) = self.ready.pop_front() {
                let now = chrono::Utc::now().timestamp_millis();
                if p.at_ms >= self.opened_ms {
                    metrics::delivered((now - p.at_ms) as f64 / 1000.0);
                }
                return Some(
                    Event::default()
                        .id(p.id.to_string())
                        .event(&p.name)
                        .data(&p.data),
                );
            }
            self.wake.borrow_and_update();
            match self.floor.hub().after(self.cursor, &self.viewer) {
                Batch::Resync(_) if self.floor.hub().relayed() && self.replay().await => {}
                // Another replica has read further: wait for this one.
                Batch::Ahead(_) if self.in_the_log().await => self.wait().await?,
                Batch::Resync(at) | Batch::Ahead(at) => {
                    self.cursor = at;
                    let (name, data) = FloorEvent::Resync(Resync {
                        reason: "events were missed; fetch the boards and approvals again".into(),
                    })
                    .to_sse();
                    return Some(Event::default().id(at.to_string()).event(name).data(data));
                }
                Batch::Events(events, cursor) if cursor != self.cursor => {
                    self.cursor = cursor;
                    self.ready.extend(events);
                }
                Batch::Events(..) => self.wait().await?,
            }
        }
    }

    /// Until the hub has more, or the token is due to be looked at again;
    /// `None` when the server stops.
    async fn wait(&mut self) -> Option<()> {
        tokio::select! {
            changed = self.wake.changed() => changed.ok(),
            () = tokio::time::sleep_until(self.next_check) => Some(()),
        }
    }

    /// Whether the shared log has reached the cursor (a replica ahead of
    /// this one gave it), not an id from a log since emptied or replaced.
    async fn in_the_log(&self) -> bool {
        matches!(self.store.floor_log_latest().await, Ok(latest) if latest >= self.cursor)
    }

    /// Reads the events after the cursor from the shared log; false when
    /// the log no longer has them all (or cannot be read): then it resyncs.
    async fn replay(&mut self) -> bool {
        let Ok(Some(oldest)) = self.store.floor_log_oldest().await else {
            return false;
        };
        if self.cursor + 1 < oldest {
            return false;
        }
        let Ok(events) = self
            .store
            .floor_events_after(self.cursor, REPLAY_BATCH)
            .await
        else {
            return false;
        };
        let Some(last) = events.last() else {
            return false;
        };
        self.cursor = last.id;
        for e in events {
            match Audience::from_row(&e.audience, e.agent) {
                Some(audience) if self.viewer.sees(audience) => {
                    self.ready.push_back(Arc::new(Published {
                        id: e.id,
                        audience,
                        name: e.name,
                        data: e.data,
                        at_ms: e.at_ms,
                    }))
                }
                _ => {}
            }
        }
        true
    }
}
