//! The event hub behind `GET /v1/events`: a bounded ring of the latest events
//! with increasing numeric ids, each with its audience. Publishing never waits
//! for subscribers: each subscriber keeps only its cursor (the last id it has
//! seen), wakes on a watch channel, and copies what it may see from the ring,
//! so a slow client neither blocks others nor holds memory; one that falls
//! behind the ring is told to resync.
//!
//! On one server the hub numbers events itself. Replicas on PostgreSQL
//! (`server::fanout`) relay what they publish to the database instead, and
//! every replica's hub takes events back from there, numbered by the
//! database, so an id means the same event on every replica.

use crate::api::FloorEvent;
use crate::domain::{AgentId, Role};
use std::collections::VecDeque;
use std::sync::{Arc, OnceLock, RwLock};
use tokio::sync::{mpsc, watch};

/// Events kept for replay.
pub const RING_SIZE: usize = 10_000;
/// Most events handed to a subscriber at once.
const BATCH: usize = 256;

/// Who may see an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// One agent only (a screen pop).
    Agent(AgentId),
    /// Supervisors.
    Supervisors,
    /// Supervisors and one agent (a decision on what the agent asked).
    SupervisorsAnd(AgentId),
    /// `system` tokens: the ACD, told what desks ask of calls.
    System,
    /// No one: a change of the floor, for the other replicas' floors.
    Replicas,
}

impl Audience {
    /// The audience as stored: a kind and the agent it names, if any.
    pub fn to_row(self) -> (&'static str, Option<i64>) {
        match self {
            Audience::Agent(id) => ("agent", Some(id.0)),
            Audience::Supervisors => ("supervisors", None),
            Audience::SupervisorsAnd(id) => ("supervisors_and", Some(id.0)),
            Audience::System => ("system", None),
            Audience::Replicas => ("replicas", None),
        }
    }

    /// The audience from its stored kind and agent; `None` when unknown.
    pub fn from_row(kind: &str, agent: Option<i64>) -> Option<Audience> {
        Some(match (kind, agent) {
            ("agent", Some(id)) => Audience::Agent(AgentId(id)),
            ("supervisors", _) => Audience::Supervisors,
            ("supervisors_and", Some(id)) => Audience::SupervisorsAnd(AgentId(id)),
            ("system", _) => Audience::System,
            ("replicas", _) => Audience::Replicas,
            _ => return None,
        })
    }
}

/// Who is listening.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub agent: AgentId,
    pub role: Role,
}

impl Viewer {
    pub fn sees(&self, audience: Audience) -> bool {
        // System tokens (ACDs) post calls; they are not sent customers' names.
        let boss = self.role == Role::Supervisor;
        match audience {
            Audience::Agent(id) => id == self.agent,
            Audience::Supervisors => boss,
            Audience::SupervisorsAnd(id) => boss || id == self.agent,
            Audience::System => self.role == Role::System,
            Audience::Replicas => false,
        }
    }
}

/// One published event, ready to send.
#[derive(Debug)]
pub struct Published {
    pub id: u64,
    pub audience: Audience,
    pub name: String,
    pub data: String,
    /// When it was published (UTC epoch ms).
    pub at_ms: i64,
}

/// An event on its way to the shared event log, not numbered yet.
#[derive(Debug)]
pub struct Outgoing {
    pub audience: Audience,
    pub name: String,
    pub data: String,
    /// When it was published (UTC epoch ms).
    pub at_ms: i64,
}

/// What a subscriber gets when it asks for events after its cursor.
pub enum Batch {
    /// Events after the cursor (possibly none visible to the viewer), and the
    /// new cursor.
    Events(Vec<Arc<Published>>, u64),
    /// The cursor is older than the ring (or from another run of the server):
    /// events were lost; continue from the given id.
    Resync(u64),
    /// On a replica: the cursor is ahead of this hub (another replica has
    /// read further, or the log is not the one the id came from); this hub's
    /// newest id.
    Ahead(u64),
}

pub struct Hub {
    ring: RwLock<Ring>,
    capacity: usize,
    latest: watch::Sender<u64>,
    /// Set on replicas: published events go to the shared log.
    relay: OnceLock<mpsc::UnboundedSender<Outgoing>>,
}

/// The events kept, and the id after which the ring is whole: every event
/// numbered above `whole_after` is in it (ids may skip numbers that carried
/// no event for desks).
struct Ring {
    events: VecDeque<Arc<Published>>,
    whole_after: u64,
}

impl Hub {
    pub fn new(capacity: usize) -> Hub {
        Hub {
            ring: RwLock::new(Ring {
                events: VecDeque::with_capacity(capacity.min(1024)),
                whole_after: 0,
            }),
            capacity: capacity.max(1),
            latest: watch::Sender::new(0),
            relay: OnceLock::new(),
        }
    }

    /// From now on, published events go to `relay` (the shared log) and
    /// come back numbered through `append`; the ring starts whole after
    /// `start`, the log's id when the replica began to follow it.
    pub fn relay_to(&self, relay: mpsc::UnboundedSender<Outgoing>, start: u64) {
        let mut ring = self.ring.write().unwrap_or_else(|e| e.into_inner());
        ring.events.clear();
        ring.whole_after = start;
        drop(ring);
        self.latest.send_replace(start);
        let _ = self.relay.set(relay);
    }

    /// Whether published events go to a shared log.
    pub fn relayed(&self) -> bool {
        self.relay.get().is_some()
    }

    /// Publishes an event: numbers it and wakes subscribers, or on a replica
    /// sends it to the shared log, from which `append` brings it back.
    pub fn publish(&self, audience: Audience, event: &FloorEvent) {
        let (name, data) = event.to_sse();
        let at_ms = chrono::Utc::now().timestamp_millis();
        if let Some(relay) = self.relay.get() {
            // The receiver lives as long as the server; if it is gone the
            // server is stopping.
            let _ = relay.send(Outgoing {
                audience,
                name,
                data,
                at_ms,
            });
            return;
        }
        let id = self.latest() + 1;
        self.append(id, audience, name, data, at_ms);
    }

    /// Sends a change of the floor to the other replicas through the log
    /// (nothing on a single server).
    pub fn share(&self, name: &str, data: String) {
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(Outgoing {
                audience: Audience::Replicas,
                name: name.to_string(),
                data,
                at_ms: chrono::Utc::now().timestamp_millis(),
            });
        }
    }

    /// Adds an event numbered `id` (above every id before it) and wakes
    /// subscribers. Events for no desk only move the latest id on.
    pub fn append(&self, id: u64, audience: Audience, name: String, data: String, at_ms: i64) {
        if audience != Audience::Replicas {
            let mut ring = self.ring.write().unwrap_or_else(|e| e.into_inner());
            ring.events.push_back(Arc::new(Published {
                id,
                audience,
                name,
                data,
                at_ms,
            }));
            while ring.events.len() > self.capacity {
                if let Some(gone) = ring.events.pop_front() {
                    ring.whole_after = gone.id;
                }
            }
        }
        self.latest.send_replace(id);
    }

    /// The id of the newest event (0 before the first).
    pub fn latest(&self) -> u64 {
        *self.latest.borrow()
    }

    /// Wakes when a newer event is published.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.latest.subscribe()
    }

    /// Up to `BATCH` events after `cursor` that `viewer` may see. A cursor
    /// ahead of this hub is from another run of a single server (resync);
    /// on a replica the caller asks the log whether it is real.
    pub fn after(&self, cursor: u64, viewer: &Viewer) -> Batch {
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
        let latest = self.latest();
        if cursor < ring.whole_after || (cursor > latest && !self.relayed()) {
            return Batch::Resync(latest);
        }
        if cursor > latest {
            return Batch::Ahead(latest);
        }
        let start = ring.events.partition_point(|e| e.id <= cursor);
        let slice = ring.events.range(start..).take(BATCH);
        let mut new_cursor = cursor;
        let mut visible = Vec::new();
        for event in slice {
            new_cursor = event.id;
            if viewer.sees(event.audience) {
                visible.push(event.clone());
            }
        }
        Batch::Events(visible, new_cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Resync;

    fn event(n: u64) -> FloorEvent {
        FloorEvent::Resync(Resync {
            reason: n.to_string(),
        })
    }

    fn ids(batch: Batch) -> (Vec<u64>, u64) {
        match batch {
            Batch::Events(events, cursor) => (events.iter().map(|e| e.id).collect(), cursor),
            Batch::Resync(at) => (vec![], at + 1_000_000),
            Batch::Ahead(at) => (vec![], at + 2_000_000),
        }
    }

    #[test]
    fn replay_routing_and_resync() {
        let hub = Hub::new(5);
        let agent = Viewer {
            agent: AgentId(7),
            role: Role::Agent,
        };
        let boss = Viewer {
            agent: AgentId(1),
            role: Role::Supervisor,
        };
        hub.publish(Audience::Agent(AgentId(7)), &event(1));
        hub.publish(Audience::Supervisors, &event(2));
        hub.publish(Audience::SupervisorsAnd(AgentId(7)), &event(3));
        hub.publish(Audience::Agent(AgentId(8)), &event(4));
        assert_eq!(ids(hub.after(0, &agent)), (vec![1, 3], 4));
        assert_eq!(ids(hub.after(0, &boss)), (vec![2, 3], 4));
        assert_eq!(ids(hub.after(2, &agent)), (vec![3], 4));
        assert_eq!(ids(hub.after(4, &agent)), (vec![], 4));
        for n in 5..=9 {
            hub.publish(Audience::Supervisors, &event(n));
        }
        // The ring holds 5..=9: cursor 4 is still whole, cursor 3 lost event 4.
        assert_eq!(ids(hub.after(4, &boss)), (vec![5, 6, 7, 8, 9], 9));
        assert!(matches!(hub.after(3, &boss), Batch::Resync(9)));
        // An id from the future (another run of the server) resyncs too.
        assert!(matches!(hub.after(50, &boss), Batch::Resync(9)));
        assert_eq!(hub.latest(), 9);
    }

    #[test]
    fn a_relayed_hub_takes_numbered_events_with_gaps_and_waits_for_the_future() {
        let hub = Hub::new(3);
        let (relay, mut sent) = mpsc::unbounded_channel();
        hub.relay_to(relay, 100);
        let boss = Viewer {
            agent: AgentId(1),
            role: Role::Supervisor,
        };
        // Publishing sends to the log and shows nothing until it comes back.
        hub.publish(Audience::Supervisors, &event(1));
        assert_eq!(
            sent.try_recv().map(|o| o.audience).ok(),
            Some(Audience::Supervisors)
        );
        assert_eq!(ids(hub.after(100, &boss)), (vec![], 100));
        let (name, data) = event(1).to_sse();
        hub.append(101, Audience::Supervisors, name.clone(), data.clone(), 0);
        hub.append(102, Audience::Replicas, name.clone(), data.clone(), 0);
        hub.append(105, Audience::Supervisors, name.clone(), data.clone(), 0);
        assert_eq!(ids(hub.after(100, &boss)), (vec![101, 105], 105));
        assert_eq!(ids(hub.after(101, &boss)), (vec![105], 105));
        assert_eq!(hub.latest(), 105);
        // A cursor another replica has already reached is not a resync.
        assert!(matches!(hub.after(107, &boss), Batch::Ahead(105)));
        // Before the ring began: the caller replays from the log.
        assert!(matches!(hub.after(99, &boss), Batch::Resync(105)));
        for id in 106..=108 {
            hub.append(id, Audience::Supervisors, name.clone(), data.clone(), 0);
        }
        // 105 was dropped from the ring of three: cursor 104 is no longer whole.
        assert!(matches!(hub.after(104, &boss), Batch::Resync(108)));
        assert_eq!(ids(hub.after(105, &boss)), (vec![106, 107, 108], 108));
    }
}
