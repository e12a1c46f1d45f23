//! The event hub behind `GET /v1/events`: a bounded ring of the latest events
//! with consecutive numeric ids, each with its audience. Publishing never waits
//! for subscribers: each subscriber keeps only its cursor (the last id it has
//! seen), wakes on a watch channel, and copies what it may see from the ring,
//! so a slow client neither blocks others nor holds memory; one that falls
//! behind the ring is told to resync.

use crate::api::FloorEvent;
use crate::domain::{AgentId, Role};
use std::collections::VecDeque;
use std::sync::{Arc, RwLock};
use tokio::sync::watch;

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
}

/// Who is listening.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub agent: AgentId,
    pub role: Role,
}

impl Viewer {
    fn sees(&self, audience: Audience) -> bool {
        // System tokens (ACDs) post calls; they are not sent customers' names.
        let boss = self.role == Role::Supervisor;
        match audience {
            Audience::Agent(id) => id == self.agent,
            Audience::Supervisors => boss,
            Audience::SupervisorsAnd(id) => boss || id == self.agent,
            Audience::System => self.role == Role::System,
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
}

/// What a subscriber gets when it asks for events after its cursor.
pub enum Batch {
    /// Events after the cursor (possibly none visible to the viewer), and the
    /// new cursor.
    Events(Vec<Arc<Published>>, u64),
    /// The cursor is older than the ring (or from another run of the server):
    /// events were lost; continue from the given id.
    Resync(u64),
}

pub struct Hub {
    ring: RwLock<VecDeque<Arc<Published>>>,
    capacity: usize,
    latest: watch::Sender<u64>,
}

impl Hub {
    pub fn new(capacity: usize) -> Hub {
        Hub {
            ring: RwLock::new(VecDeque::with_capacity(capacity.min(1024))),
            capacity: capacity.max(1),
            latest: watch::Sender::new(0),
        }
    }

    /// Adds an event and wakes subscribers; returns its id.
    pub fn publish(&self, audience: Audience, event: &FloorEvent) -> u64 {
        let (name, data) = event.to_sse();
        let id = {
            let mut ring = self.ring.write().unwrap_or_else(|e| e.into_inner());
            let id = ring.back().map_or(1, |e| e.id + 1);
            ring.push_back(Arc::new(Published {
                id,
                audience,
                name,
                data,
            }));
            while ring.len() > self.capacity {
                ring.pop_front();
            }
            id
        };
        self.latest.send_replace(id);
        id
    }

    /// The id of the newest event (0 before the first).
    pub fn latest(&self) -> u64 {
        *self.latest.borrow()
    }

    /// Wakes when a newer event is published.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.latest.subscribe()
    }

    /// Up to `BATCH` events after `cursor` that `viewer` may see.
    pub fn after(&self, cursor: u64, viewer: &Viewer) -> Batch {
        let ring = self.ring.read().unwrap_or_else(|e| e.into_inner());
        let latest = ring.back().map_or(0, |e| e.id);
        let oldest = ring.front().map_or(latest + 1, |e| e.id);
        if cursor > latest || cursor + 1 < oldest {
            return Batch::Resync(latest);
        }
        let start = (cursor + 1 - oldest) as usize;
        let slice = ring.range(start..).take(BATCH);
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
}
