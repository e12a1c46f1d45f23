//! One call as the ACD reported it: at most one event of each kind (holds and
//! resumes numbered by `seq`), kept in any order of arrival, and the facts
//! derived from all of them by their times. No I/O; the statistics are
//! computed from these facts.

use crate::domain::{AgentId, CallEventKind, CustomerId};
use std::collections::BTreeMap;

/// A stored event of a call: when it happened and the agent it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub at_ms: i64,
    pub agent: Option<AgentId>,
}

/// The customer a call's number matched, as the floor shows them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KnownCaller {
    /// For the agent board.
    pub name: String,
    /// They are, or call for, a key account: a figure of its own on the
    /// queue board.
    pub key_account: bool,
}

/// Everything known about one call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub queue: String,
    /// The first event of each kind; later duplicates are ignored.
    pub offered: Option<Seen>,
    pub answered: Option<Seen>,
    pub ended: Option<Seen>,
    pub abandoned: Option<Seen>,
    /// After-call work of the agent, once it is over, in milliseconds.
    pub wrap_ms: Option<i64>,
    /// The caller's number and the customer it matched, from the first event
    /// that had them.
    pub caller: Option<String>,
    pub customer: Option<CustomerId>,
    pub customer_name: Option<String>,
    /// The caller is, or calls for, a key account.
    pub key_account: bool,
    /// The agent the call has been popped to.
    pub popped: Option<AgentId>,
    /// Holds by their number: when held and when resumed.
    pub holds: BTreeMap<u32, (Option<i64>, Option<i64>)>,
}

/// What the events of a call add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFacts {
    /// When the call arrived: the offered event, or the earliest other event
    /// while `offered` has not been reported.
    pub offered_at: i64,
    pub answered_at: Option<i64>,
    pub abandoned_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub wrap_ms: Option<i64>,
}

impl CallFacts {
    /// Still in the queue: neither answered, abandoned nor ended.
    pub fn waiting(&self) -> bool {
        self.answered_at.is_none() && self.abandoned_at.is_none() && self.ended_at.is_none()
    }

    /// Talk (hold included, as the trade counts handle time: talk + hold +
    /// after-call work) plus wrap-up, once both are over.
    pub fn handle_ms(&self) -> Option<i64> {
        let talk = self.ended_at? - self.answered_at?;
        Some(talk.max(0) + self.wrap_ms?.max(0))
    }
}

impl Call {
    pub fn new(queue: &str) -> Call {
        Call {
            queue: queue.to_string(),
            offered: None,
            answered: None,
            ended: None,
            abandoned: None,
            wrap_ms: None,
            caller: None,
            customer: None,
            customer_name: None,
            key_account: false,
            popped: None,
            holds: BTreeMap::new(),
        }
    }

    /// Records an event; `false` (and no change) when one of this kind is
    /// already known.
    pub fn record(&mut self, kind: CallEventKind, seen: Seen) -> bool {
        self.record_nth(kind, 0, seen)
    }

    /// Records the `seq`th event of its kind (holds and resumes; the others
    /// happen once, whatever their number); `false` (and no change) when it
    /// is already known.
    pub fn record_nth(&mut self, kind: CallEventKind, seq: u32, seen: Seen) -> bool {
        let slot = match kind {
            CallEventKind::Offered => &mut self.offered,
            CallEventKind::Answered => &mut self.answered,
            CallEventKind::Ended => &mut self.ended,
            CallEventKind::Abandoned => &mut self.abandoned,
            CallEventKind::Held | CallEventKind::Resumed => {
                let hold = self.holds.entry(seq).or_default();
                let end = match kind {
                    CallEventKind::Held => &mut hold.0,
                    _ => &mut hold.1,
                };
                if end.is_some() {
                    return false;
                }
                *end = Some(seen.at_ms);
                return true;
            }
        };
        if slot.is_some() {
            return false;
        }
        *slot = Some(seen);
        true
    }

    /// Since when the caller is on hold, if they are now.
    pub fn on_hold_since(&self) -> Option<i64> {
        if self.ended.is_some() || self.abandoned.is_some() {
            return None;
        }
        self.holds
            .values()
            .filter_map(|(held, resumed)| held.filter(|_| resumed.is_none()))
            .max()
    }

    /// The number the next hold gets.
    pub fn next_hold(&self) -> u32 {
        self.holds.keys().next_back().map_or(0, |n| n + 1)
    }

    /// The number of the hold the caller is on now, if they are.
    pub fn open_hold(&self) -> Option<u32> {
        self.on_hold_since()?;
        self.holds
            .iter()
            .rev()
            .find(|(_, (held, resumed))| held.is_some() && resumed.is_none())
            .map(|(n, _)| *n)
    }

    /// Time on hold so far: each hold until it was resumed, the call ended,
    /// or (still on hold) `now_ms`.
    pub fn hold_ms(&self, now_ms: i64) -> i64 {
        let until = self.ended.map_or(now_ms, |e| e.at_ms);
        self.holds
            .values()
            .filter_map(|(held, resumed)| Some((resumed.unwrap_or(until) - (*held)?).max(0)))
            .sum()
    }

    /// The agent handling (or offered) the call: the answering agent, else the
    /// one named by a later event, else the one it was offered to.
    pub fn agent(&self) -> Option<AgentId> {
        [self.answered, self.ended, self.offered]
            .iter()
            .flatten()
            .find_map(|s| s.agent)
    }

    /// The facts by event time. Answered and abandoned exclude each other; if
    /// the ACD reports both, the earlier one is what happened.
    pub fn facts(&self) -> CallFacts {
        let offered_at = self
            .offered
            .or_else(|| {
                [self.answered, self.abandoned, self.ended]
                    .into_iter()
                    .flatten()
                    .min_by_key(|s| s.at_ms)
            })
            .map(|s| s.at_ms)
            .unwrap_or(0);
        let (answered_at, abandoned_at) = match (self.answered, self.abandoned) {
            (Some(a), Some(b)) if b.at_ms < a.at_ms => (None, Some(b.at_ms)),
            (a, Some(_)) if a.is_some() => (a.map(|s| s.at_ms), None),
            (a, b) => (a.map(|s| s.at_ms), b.map(|s| s.at_ms)),
        };
        CallFacts {
            offered_at,
            answered_at: answered_at.map(|t| t.max(offered_at)),
            abandoned_at: abandoned_at.map(|t| t.max(offered_at)),
            ended_at: self.ended.map(|s| s.at_ms.max(offered_at)),
            wrap_ms: self.wrap_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Seen {
        Seen {
            at_ms: ms,
            agent: None,
        }
    }

    #[test]
    fn events_in_any_order_give_the_same_facts() {
        let events = [
            (CallEventKind::Offered, at(1_000)),
            (CallEventKind::Answered, at(6_000)),
            (CallEventKind::Ended, at(66_000)),
        ];
        let mut forward = Call::new("billing");
        let mut backward = Call::new("billing");
        for (kind, seen) in events {
            assert!(forward.record(kind, seen));
        }
        for (kind, seen) in events.iter().rev() {
            assert!(backward.record(*kind, *seen));
        }
        assert_eq!(forward.facts(), backward.facts());
        assert!(
            !forward.record(CallEventKind::Answered, at(9_000)),
            "duplicate"
        );
        let f = forward.facts();
        assert_eq!(
            (f.offered_at, f.answered_at, f.ended_at),
            (1_000, Some(6_000), Some(66_000))
        );
        assert!(!f.waiting());
        assert_eq!(f.handle_ms(), None, "wrap-up not over yet");
        forward.wrap_ms = Some(30_000);
        assert_eq!(forward.facts().handle_ms(), Some(90_000));
    }

    #[test]
    fn an_end_before_its_answer_is_not_waiting_and_not_yet_answered() {
        let mut c = Call::new("tech");
        c.record(CallEventKind::Offered, at(0));
        c.record(CallEventKind::Ended, at(50_000));
        let f = c.facts();
        assert!(!f.waiting());
        assert_eq!(f.answered_at, None);
        c.record(CallEventKind::Answered, at(10_000));
        assert_eq!(c.facts().answered_at, Some(10_000));
    }

    #[test]
    fn holds_are_numbered_and_count_in_the_handle_time() {
        let mut c = Call::new("billing");
        c.record(CallEventKind::Offered, at(0));
        c.record(CallEventKind::Answered, at(5_000));
        assert!(c.record_nth(CallEventKind::Held, 0, at(20_000)));
        assert!(
            !c.record_nth(CallEventKind::Held, 0, at(21_000)),
            "duplicate"
        );
        assert_eq!(c.on_hold_since(), Some(20_000));
        assert_eq!(c.hold_ms(50_000), 30_000, "still on hold");
        c.record_nth(CallEventKind::Resumed, 0, at(50_000));
        assert_eq!(c.on_hold_since(), None);
        // A second hold, which the call's end cuts short.
        c.record_nth(CallEventKind::Held, 1, at(60_000));
        assert_eq!(c.on_hold_since(), Some(60_000));
        c.record(CallEventKind::Ended, at(70_000));
        assert_eq!(c.on_hold_since(), None);
        assert_eq!(c.hold_ms(999_000), 40_000);
        c.wrap_ms = Some(10_000);
        // Handle: 65 s from answer to end (40 s of it on hold) + 10 s wrap-up.
        assert_eq!(c.facts().handle_ms(), Some(75_000));
    }

    #[test]
    fn the_earlier_of_answer_and_abandon_wins() {
        let mut c = Call::new("tech");
        c.record(CallEventKind::Offered, at(0));
        c.record(CallEventKind::Abandoned, at(5_000));
        c.record(CallEventKind::Answered, at(7_000));
        let f = c.facts();
        assert_eq!((f.answered_at, f.abandoned_at), (None, Some(5_000)));
        let mut d = Call::new("tech");
        d.record(CallEventKind::Answered, at(3_000));
        d.record(CallEventKind::Abandoned, at(5_000));
        let f = d.facts();
        assert_eq!(
            (f.offered_at, f.answered_at, f.abandoned_at),
            (3_000, Some(3_000), None)
        );
    }
}
