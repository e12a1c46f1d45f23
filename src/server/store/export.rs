//! What the desks recorded, read out for the CRM and the data warehouse in
//! order of a key that only grows (an id, or a time in ms), between the
//! caller's cursor and a horizon: every record up to the horizon is
//! committed, so the next export, from it, misses nothing written during
//! this one and repeats nothing. Rows stream from the database; memory does
//! not grow with the export.

use super::db::{Backend, Store, StoreResult};
use futures::{Stream, StreamExt};
use sqlx::Row;

/// How a column is written out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Col {
    Int,
    Float,
    Text,
    /// Epoch ms in the database, RFC 3339 UTC out.
    Time,
}

/// One kind of record that can be exported.
pub struct ExportKind {
    pub name: &'static str,
    /// `FROM …` (and joins) of the query.
    from: &'static str,
    /// The key the cursor is on: an id, or a time in ms.
    key: &'static str,
    /// For an id key, the time the row was written (ms), which bounds the
    /// horizon; `None` when the key is that time itself.
    written_at: Option<&'static str>,
    /// Output name, SQL expression and kind of each column.
    pub columns: &'static [(&'static str, &'static str, Col)],
}

/// Everything `switchboard export` can write.
pub const KINDS: &[ExportKind] = &[
    ExportKind {
        name: "interactions",
        from: "FROM interactions",
        key: "id",
        written_at: Some("created_at_ms"),
        columns: &[
            ("id", "id", Col::Int),
            ("created_at", "created_at_ms", Col::Time),
            ("customer_id", "customer_id", Col::Int),
            ("agent_id", "agent_id", Col::Int),
            ("channel", "channel", Col::Text),
            ("disposition_code", "disposition_code", Col::Text),
            ("outcome", "outcome", Col::Text),
            ("tags", "tags", Col::Text),
            ("notes", "notes", Col::Text),
            ("follow_up_at", "follow_up_at_ms", Col::Time),
            ("organisation_id", "organisation_id", Col::Int),
            ("tone_flagged", "tone_flagged", Col::Int),
        ],
    },
    ExportKind {
        name: "suggestion-outcomes",
        from: "FROM suggestion_outcomes",
        key: "at_ms",
        written_at: None,
        columns: &[
            ("interaction_id", "interaction_id", Col::Int),
            ("at", "at_ms", Col::Time),
            ("customer_id", "customer_id", Col::Int),
            ("decision_id", "decision_id", Col::Int),
            ("action", "action", Col::Text),
            ("verdict", "verdict", Col::Text),
        ],
    },
    ExportKind {
        name: "decisions",
        from: "FROM decision_items i JOIN decisions d ON d.id = i.decision_id",
        key: "d.at_ms",
        written_at: None,
        columns: &[
            ("decision_id", "d.id", Col::Int),
            ("at", "d.at_ms", Col::Time),
            ("customer_id", "d.customer_id", Col::Int),
            ("agent_id", "d.agent_id", Col::Int),
            ("channel", "d.channel", Col::Text),
            ("queue", "d.queue", Col::Text),
            ("control", "d.control", Col::Int),
            ("segment", "d.segment", Col::Text),
            ("action", "i.action", Col::Text),
            ("status", "i.status", Col::Text),
            ("position", "i.position", Col::Int),
            ("rule", "i.rule", Col::Text),
            ("propensity", "i.propensity", Col::Float),
            ("show_probability", "i.show_probability", Col::Float),
            ("value_minor", "i.value_minor", Col::Int),
            ("currency", "i.currency", Col::Text),
        ],
    },
    ExportKind {
        name: "escalations",
        from: "FROM escalations",
        key: "id",
        written_at: Some("created_at_ms"),
        columns: &[
            ("id", "id", Col::Int),
            ("created_at", "created_at_ms", Col::Time),
            ("customer_id", "customer_id", Col::Int),
            ("agent_id", "agent_id", Col::Int),
            ("target_code", "target_code", Col::Text),
            ("priority", "priority", Col::Text),
            ("reason_code", "reason_code", Col::Text),
            ("summary", "summary", Col::Text),
            ("status", "status", Col::Text),
        ],
    },
    ExportKind {
        name: "waivers",
        from: "FROM fee_waivers",
        key: "id",
        written_at: Some("created_at_ms"),
        columns: &[
            ("id", "id", Col::Int),
            ("request_id", "COALESCE(request_id, id)", Col::Int),
            ("created_at", "created_at_ms", Col::Time),
            ("customer_id", "customer_id", Col::Int),
            ("fee_id", "fee_id", Col::Int),
            ("agent_id", "agent_id", Col::Int),
            ("amount_minor", "amount_minor", Col::Int),
            ("currency", "currency", Col::Text),
            ("reason_code", "reason_code", Col::Text),
            ("note", "note", Col::Text),
            ("status", "status", Col::Text),
        ],
    },
    ExportKind {
        name: "approvals",
        from: "FROM approval_decisions",
        key: "decided_at_ms",
        written_at: None,
        columns: &[
            ("kind", "kind", Col::Text),
            ("item_id", "item_id", Col::Int),
            ("decided_at", "decided_at_ms", Col::Time),
            ("decision", "decision", Col::Text),
            ("note", "note", Col::Text),
            ("decided_by", "decided_by", Col::Int),
        ],
    },
    ExportKind {
        name: "agent-states",
        from: "FROM agent_state_intervals",
        key: "id",
        written_at: Some("recorded_at_ms"),
        columns: &[
            ("id", "id", Col::Int),
            ("agent_id", "agent_id", Col::Int),
            ("state", "state", Col::Text),
            ("reason", "reason", Col::Text),
            ("started_at", "started_ms", Col::Time),
            ("ended_at", "ended_ms", Col::Time),
            ("seconds", "(ended_ms - started_ms) / 1000", Col::Int),
        ],
    },
    ExportKind {
        name: "call-events",
        from: "FROM call_events",
        key: "received_at_ms",
        written_at: None,
        columns: &[
            ("call_id", "call_id", Col::Text),
            ("kind", "kind", Col::Text),
            ("seq", "seq", Col::Int),
            ("queue", "queue", Col::Text),
            ("caller", "caller", Col::Text),
            ("customer_id", "customer_id", Col::Int),
            ("agent_id", "agent_id", Col::Int),
            ("occurred_at", "occurred_at_ms", Col::Time),
            ("received_at", "received_at_ms", Col::Time),
        ],
    },
];

/// The export kind named `name`.
pub fn kind(name: &str) -> Option<&'static ExportKind> {
    KINDS.iter().find(|k| k.name == name)
}

/// One value of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Store {
    /// The key up to which every record of `kind` is committed: records
    /// written `settle_ms` ago or earlier.
    pub async fn export_horizon(&self, kind: &ExportKind, settle_ms: i64) -> StoreResult<i64> {
        let cutoff = self.now().timestamp_millis() - settle_ms;
        match kind.written_at {
            None => Ok(cutoff),
            Some(at) => {
                let sql = format!(
                    "SELECT COALESCE(MAX({}), 0) {} WHERE {at} <= $1",
                    kind.key, kind.from
                );
                Ok(sqlx::query_scalar(&sql)
                    .bind(cutoff)
                    .fetch_one(self.pool())
                    .await?)
            }
        }
    }

    /// The query `export_rows` runs for `kind`.
    pub fn export_sql(&self, kind: &ExportKind) -> String {
        let columns: Vec<String> = kind
            .columns
            .iter()
            .map(|(_, expr, col)| match (col, self.backend()) {
                (Col::Float, Backend::Postgres) => format!("CAST({expr} AS DOUBLE PRECISION)"),
                _ => expr.to_string(),
            })
            .collect();
        format!(
            "SELECT {} {} WHERE {key} > $1 AND {key} <= $2 ORDER BY {key}",
            columns.join(", "),
            kind.from,
            key = kind.key
        )
    }

    /// Records of `kind` (through `sql`, from `export_sql`) with a key
    /// above `after` and up to `upto`, in key order, as they come from the
    /// database.
    pub fn export_rows<'a>(
        &'a self,
        kind: &'static ExportKind,
        sql: &'a str,
        after: i64,
        upto: i64,
    ) -> impl Stream<Item = StoreResult<Vec<Cell>>> + 'a {
        sqlx::query(sql)
            .bind(after)
            .bind(upto)
            .fetch(self.pool())
            .map(move |row| {
                let row = row?;
                kind.columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, _, col))| cell(&row, i, *col))
                    .collect()
            })
    }
}

fn cell(row: &sqlx::any::AnyRow, i: usize, col: Col) -> StoreResult<Cell> {
    Ok(match col {
        Col::Int | Col::Time => row
            .try_get::<Option<i64>, _>(i)?
            .map_or(Cell::Null, Cell::Int),
        Col::Float => row
            .try_get::<Option<f64>, _>(i)?
            .map_or(Cell::Null, Cell::Float),
        Col::Text => row
            .try_get::<Option<String>, _>(i)?
            .map_or(Cell::Null, Cell::Text),
    })
}
