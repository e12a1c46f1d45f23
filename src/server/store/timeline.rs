//! Timeline pages, a customer's own or a whole account's: newest first, keyed
//! by (time, id) so a page boundary never skips or repeats an event, even
//! when many events share a timestamp.

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::domain::{Channel, CustomerId, EventId, EventKind, TimelineEvent};
use sqlx::any::AnyRow;

/// A position in a timeline: the last event of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub at_ms: i64,
    pub id: i64,
}

impl Cursor {
    /// The opaque text form handed to clients: `<at_ms>.<id>`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.at_ms, self.id)
    }

    /// Reads `at_ms.id`, each 1 to 18 digits (the contract's pattern).
    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, id) = text.split_once('.')?;
        let number =
            |part: &str| (1..=18).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
        if !(number(at) && number(id)) {
            return None;
        }
        Some(Cursor {
            at_ms: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// What page to read.
#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    pub before: Option<Cursor>,
    pub limit: u32,
    pub channel: Option<Channel>,
    pub kind: Option<EventKind>,
}

const EVENT_COLUMNS: &str =
    "id, customer_id, at_ms, channel, kind, topic, summary, detail, agent, outcome, amount_minor, currency";

impl Store {
    /// One page of a customer's own events and the cursor of the next, if
    /// there is more.
    pub async fn timeline(
        &self,
        customer: CustomerId,
        filter: &TimelineFilter,
    ) -> StoreResult<(Vec<TimelineEvent>, Option<Cursor>)> {
        self.page("customer_id", customer, filter).await
    }

    /// One page of the whole account of `organisation`: its own events and
    /// every contact's events for it, on every channel.
    pub async fn account_timeline(
        &self,
        organisation: CustomerId,
        filter: &TimelineFilter,
    ) -> StoreResult<(Vec<TimelineEvent>, Option<Cursor>)> {
        self.page("organisation_id", organisation, filter).await
    }

    /// A page of the events whose `column` (one of the two indexed owners)
    /// is `owner`.
    async fn page(
        &self,
        column: &str,
        owner: CustomerId,
        filter: &TimelineFilter,
    ) -> StoreResult<(Vec<TimelineEvent>, Option<Cursor>)> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {column} = $1");
        let mut n = 1;
        let mut next = || {
            n += 1;
            n
        };
        if filter.before.is_some() {
            let (a, b, c) = (next(), next(), next());
            sql += &format!(" AND (at_ms < ${a} OR (at_ms = ${b} AND id < ${c}))");
        }
        if filter.channel.is_some() {
            sql += &format!(" AND channel = ${}", next());
        }
        if filter.kind.is_some() {
            sql += &format!(" AND kind = ${}", next());
        }
        sql += &format!(" ORDER BY at_ms DESC, id DESC LIMIT ${}", next());

        let mut query = sqlx::query(&sql).bind(owner.0);
        if let Some(c) = filter.before {
            query = query.bind(c.at_ms).bind(c.at_ms).bind(c.id);
        }
        if let Some(channel) = filter.channel {
            query = query.bind(channel.as_str());
        }
        if let Some(kind) = filter.kind {
            query = query.bind(kind.as_str());
        }
        let limit = filter.limit.max(1) as usize;
        let rows = query.bind(limit as i64 + 1).fetch_all(self.pool()).await?;
        let mut events = rows
            .iter()
            .map(event_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let more = events.len() > limit;
        events.truncate(limit);
        let cursor = more.then(|| events.last()).flatten().map(|e| Cursor {
            at_ms: e.at.timestamp_millis(),
            id: e.id.0,
        });
        Ok((events, cursor))
    }
}

pub(super) fn event_from_row(row: &AnyRow) -> StoreResult<TimelineEvent> {
    let amount = match (
        col::<Option<i64>>(row, "amount_minor")?,
        col::<Option<String>>(row, "currency")?,
    ) {
        (Some(minor), Some(currency)) => Some(rows::money(minor, &currency)?),
        _ => None,
    };
    Ok(TimelineEvent {
        id: EventId(col(row, "id")?),
        customer_id: CustomerId(col(row, "customer_id")?),
        at: rows::time(col(row, "at_ms")?)?,
        channel: rows::parsed(&col::<String>(row, "channel")?, "channel", Channel::parse)?,
        kind: rows::parsed(&col::<String>(row, "kind")?, "event kind", EventKind::parse)?,
        topic: col(row, "topic")?,
        summary: col(row, "summary")?,
        detail: col(row, "detail")?,
        agent: col(row, "agent")?,
        outcome: col(row, "outcome")?,
        amount,
    })
}
