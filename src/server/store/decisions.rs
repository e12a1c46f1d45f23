//! The decision log: every decision with what was eligible, suppressed (by
//! which rule) and shown (where, with its propensity and chance of being
//! shown); outcomes joined to it, `ignored` inferred for what an
//! interaction did not mention; and the funnel counted from it.

use super::db::{col, Store, StoreResult};
use super::requests::WriteOutcome;
use super::tx::{Ctx, Tx};
use crate::domain::{CustomerId, DecisionId, SuggestionOutcome, SuggestionVerdict};
use crate::server::decide::evaluate::LoggedRow;

/// A decision as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    pub id: DecisionId,
    pub customer_id: CustomerId,
    pub agent_id: crate::domain::AgentId,
    pub at_ms: i64,
    pub channel: String,
    pub queue: Option<String>,
    pub control: bool,
    pub segment: String,
    /// The facts it was decided on, as JSON (for offline evaluation).
    pub facts: String,
    /// The context cell the learning uses.
    pub cell: String,
    /// The eligible actions (shown or suppressed).
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemRecord {
    pub action: String,
    pub shown: bool,
    pub position: Option<i64>,
    /// Why it was suppressed, in words; and the kind of rule (`consent`,
    /// `cap`, `suppressed`, `quiet hours`, `one at a time`, `outranked`).
    pub rule: Option<String>,
    pub rule_kind: Option<String>,
    pub propensity: f64,
    pub show_probability: f64,
    pub priority: f64,
    pub value_minor: Option<i64>,
    pub currency: Option<String>,
}

/// How long after a decision an interaction without a decision id is taken
/// to answer it (desks from before the decision service).
const ANSWERS_WITHIN_MS: i64 = 4 * 3600 * 1000;

impl Store {
    /// Stores a decision and its items.
    pub async fn save_decision(&self, d: &DecisionRecord) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO decisions (id, customer_id, agent_id, at_ms, channel, queue, control, \
             segment, facts, cell) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(d.id.0)
        .bind(d.customer_id.0)
        .bind(d.agent_id.0)
        .bind(d.at_ms)
        .bind(d.channel.as_str())
        .bind(d.queue.as_deref())
        .bind(i64::from(d.control))
        .bind(d.segment.as_str())
        .bind(d.facts.as_str())
        .bind(d.cell.as_str())
        .execute(&mut *tx.tx)
        .await?;
        for chunk in d.items.chunks(40) {
            let mut sql = String::from(
                "INSERT INTO decision_items (decision_id, action, status, position, rule, rule_kind, \
                 propensity, show_probability, priority, value_minor, currency) VALUES ",
            );
            for (i, _) in chunk.iter().enumerate() {
                let b = i * 11;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11
                ));
            }
            let mut q = sqlx::query(&sql);
            for it in chunk {
                q = q
                    .bind(d.id.0)
                    .bind(it.action.as_str())
                    .bind(if it.shown { "shown" } else { "suppressed" })
                    .bind(it.position)
                    .bind(it.rule.as_deref())
                    .bind(it.rule_kind.as_deref())
                    .bind(it.propensity)
                    .bind(it.show_probability)
                    .bind(it.priority)
                    .bind(it.value_minor)
                    .bind(it.currency.as_deref());
            }
            q.execute(&mut *tx.tx).await?;
        }
        tx.commit().await
    }
}

impl Store {
    /// Every allowed action of the decisions since `since_ms`, decision by
    /// decision, with whether it was accepted.
    pub async fn logged_decisions(&self, since_ms: i64) -> StoreResult<Vec<LoggedRow>> {
        // Every decision, with a row of nulls when the policies allowed
        // nothing: it earned nothing, and counts.
        let rows = sqlx::query(
            "SELECT d.id AS decision_id, d.customer_id, i.action, i.status, i.propensity, i.show_probability, \
             i.value_minor, o.verdict FROM decisions d \
             LEFT JOIN decision_items i ON i.decision_id = d.id \
             AND (i.status = 'shown' OR i.rule_kind IN ('one at a time', 'outranked')) \
             LEFT JOIN suggestion_outcomes o ON o.decision_id = i.decision_id AND o.action = i.action \
             WHERE d.at_ms >= $1 ORDER BY d.id, i.action",
        )
        .bind(since_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let decision = col(r, "decision_id")?;
                let Some(action) = col::<Option<String>>(r, "action")? else {
                    return Ok(LoggedRow::Empty { decision });
                };
                let status: String = col(r, "status")?;
                let verdict: Option<String> = col(r, "verdict")?;
                Ok(LoggedRow::Item {
                    decision,
                    customer: col(r, "customer_id")?,
                    action,
                    shown: status == "shown",
                    propensity: col(r, "propensity")?,
                    show_probability: col(r, "show_probability")?,
                    value_minor: col(r, "value_minor")?,
                    accepted: verdict.as_deref() == Some(SuggestionVerdict::Accepted.as_str()),
                })
            })
            .collect()
    }
}

/// Inside an interaction's write: the outcomes with their decision (the
/// customer's latest by this agent when the desk sent none), and `ignored`
/// for every suggestion a decision showed that the interaction does not
/// mention. Returns the outcomes to store, ignored ones included, or why
/// the request is refused (a decision that is not this customer's).
pub(super) async fn joined_outcomes(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    customer: CustomerId,
    sent: &[SuggestionOutcome],
) -> StoreResult<Result<Vec<SuggestionOutcome>, WriteOutcome>> {
    for (i, o) in sent.iter().enumerate() {
        let Some(decision) = o.decision_id else {
            continue;
        };
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM decisions WHERE id = $1")
                .bind(decision.0)
                .fetch_optional(&mut **tx)
                .await?;
        // A decision not in the log yet (it is kept off the answer's path)
        // is taken on trust; one made for someone else is refused.
        if owner.is_some_and(|owner| owner != customer.0) {
            return Ok(Err(WriteOutcome::invalid(
                format!("suggestion_outcomes[{i}].decision_id"),
                format!("decision {decision} was not made for customer {customer}"),
            )));
        }
    }
    let mut outcomes: Vec<SuggestionOutcome> = sent.to_vec();
    let mut decisions: Vec<DecisionId> = outcomes.iter().filter_map(|o| o.decision_id).collect();
    if decisions.is_empty() {
        let since = ctx.now.timestamp_millis() - ANSWERS_WITHIN_MS;
        let latest = sqlx::query_scalar::<_, i64>(
            "SELECT id FROM decisions WHERE customer_id = $1 AND agent_id = $2 AND at_ms >= $3 \
             ORDER BY at_ms DESC, id DESC LIMIT 1",
        )
        .bind(customer.0)
        .bind(ctx.agent.id.0)
        .bind(since)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = latest.map(DecisionId) {
            for o in &mut outcomes {
                o.decision_id = Some(id);
            }
            decisions.push(id);
        }
    }
    decisions.sort();
    decisions.dedup();
    for decision in decisions {
        let shown: Vec<String> = sqlx::query(
            "SELECT action FROM decision_items WHERE decision_id = $1 AND status = 'shown' \
             ORDER BY position",
        )
        .bind(decision.0)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| col(r, "action"))
        .collect::<StoreResult<_>>()?;
        for action in shown {
            let mentioned = outcomes
                .iter()
                .any(|o| o.decision_id == Some(decision) && o.action.as_str() == action);
            if !mentioned {
                outcomes.push(SuggestionOutcome {
                    action: crate::domain::ActionCode(action),
                    verdict: SuggestionVerdict::Ignored,
                    decision_id: Some(decision),
                });
            }
        }
    }
    Ok(Ok(outcomes))
}
