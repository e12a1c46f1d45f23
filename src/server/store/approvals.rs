//! Approvals: fee waivers above the asking agent's limit and open escalations
//! wait for a supervisor. Listing them, and deciding one (inside the write path
//! of `writes.rs`, so a decision carries an idempotency key): approving a
//! waiver applies it, denying records the note; either way the customer's
//! timeline and the audit log say who decided what. Who may decide is
//! `domain::authority::may_decide` (four eyes, the approver's own limit).

use super::db::{col, Backend, Store, StoreResult};
use super::requests::{clip, too_long, WriteOutcome};
use super::rows;
use super::tx::{audit, timeline_event, Ctx, TimelineRow, Tx};
use crate::api::limits::MAX_NOTES;
use crate::api::DecisionWrite;
use crate::api::{Approval, ApprovalContext, ApprovalDecision, ApprovalKind, Decision, WaiverItem};
use crate::domain::authority;
use crate::domain::{
    AgentId, Channel, CustomerId, EscalationStatus, EventKind, FeeId, Money, Segment, WaiverStatus,
};
use chrono::NaiveDate;

/// The customer columns of an approval whose table is aliased `request`, for
/// [`context`]. `$2` is the applied waiver status and `$3` a year in ms.
fn context_columns(request: &str) -> String {
    format!(
        "c.name AS customer_name, c.segment, c.ltv_minor, c.currency AS customer_currency, \
         c.customer_since, c.churn_risk, (SELECT COUNT(*) FROM fee_waivers p \
         WHERE p.customer_id = c.id AND p.status = $2 \
         AND p.created_at_ms >= {request}.created_at_ms - $3) AS waivers_last_year"
    )
}

const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

/// An escalation's approval from its row (its summary as the note), or a
/// waiver request's from its first waiver's row, with no fees yet.
fn approval(r: &sqlx::any::AnyRow, kind: ApprovalKind) -> StoreResult<Approval> {
    Ok(Approval {
        kind,
        id: col(r, "id")?,
        customer_id: CustomerId(col(r, "customer_id")?),
        customer_name: col(r, "customer_name")?,
        agent_id: AgentId(col(r, "agent_id")?),
        agent_name: col(r, "agent_name")?,
        amount: None,
        fees: Vec::new(),
        reason_code: col(r, "reason_code")?,
        note: col(r, "note")?,
        requested_at: rows::time(col(r, "created_at_ms")?)?,
        context: context(r)?,
    })
}

/// One approval per waiver request, from its pending waivers' rows (with
/// `request_id`), in the order their first rows come: every fee listed, the
/// amount their total.
fn waiver_approvals(rows_of: &[sqlx::any::AnyRow]) -> StoreResult<Vec<Approval>> {
    let mut requests: Vec<Approval> = Vec::new();
    for r in rows_of {
        let request: i64 = col(r, "request_id")?;
        let fee = WaiverItem {
            fee_id: FeeId(col(r, "fee_id")?),
            amount: rows::money(col(r, "amount_minor")?, &col::<String>(r, "currency")?)?,
        };
        let at = match requests.iter().position(|a| a.id == request) {
            Some(at) => at,
            None => {
                let mut first = approval(r, ApprovalKind::FeeWaiver)?;
                first.id = request;
                requests.push(first);
                requests.len() - 1
            }
        };
        let approval = &mut requests[at];
        approval.amount = match approval.amount {
            None => Some(fee.amount),
            Some(total) => Some(total.checked_add(fee.amount).ok_or_else(|| {
                super::db::StoreError::Corrupt(format!(
                    "waiver request {request} mixes currencies or overflows"
                ))
            })?),
        };
        approval.fees.push(fee);
    }
    Ok(requests)
}

/// Who the customer of an approval row is.
fn context(r: &sqlx::any::AnyRow) -> StoreResult<ApprovalContext> {
    let currency: String = col(r, "customer_currency")?;
    let since: String = col(r, "customer_since")?;
    Ok(ApprovalContext {
        segment: rows::parsed(&col::<String>(r, "segment")?, "segment", Segment::parse)?,
        lifetime_value: rows::money(col(r, "ltv_minor")?, &currency)?,
        customer_since: NaiveDate::parse_from_str(&since, "%Y-%m-%d")
            .map_err(|_| super::db::StoreError::Corrupt(format!("customer_since `{since}`")))?,
        churn_risk: col(r, "churn_risk")?,
        waivers_last_year: u32::try_from(col::<i64>(r, "waivers_last_year")?).unwrap_or(u32::MAX),
    })
}

impl Store {
    /// Everything waiting for a supervisor, oldest first.
    pub async fn pending_approvals(&self) -> StoreResult<Vec<Approval>> {
        let waivers = sqlx::query(&format!(
            "SELECT w.id, COALESCE(w.request_id, w.id) AS request_id, w.customer_id, w.agent_id, \
             a.name AS agent_name, w.fee_id, w.amount_minor, w.currency, w.reason_code, w.note, \
             w.created_at_ms, {} \
             FROM fee_waivers w JOIN customers c ON c.id = w.customer_id \
             JOIN agents a ON a.id = w.agent_id WHERE w.status = $1 ORDER BY w.created_at_ms, w.id",
            context_columns("w")
        ))
        .bind(WaiverStatus::PendingApproval.as_str())
        .bind(WaiverStatus::Applied.as_str())
        .bind(YEAR_MS)
        .fetch_all(self.pool())
        .await?;
        let escalations = sqlx::query(&format!(
            "SELECT e.id, e.customer_id, e.agent_id, a.name AS agent_name, e.reason_code, \
             e.summary AS note, e.created_at_ms, {} FROM escalations e \
             JOIN customers c ON c.id = e.customer_id JOIN agents a ON a.id = e.agent_id \
             WHERE e.status = $1 ORDER BY e.created_at_ms, e.id",
            context_columns("e")
        ))
        .bind(EscalationStatus::Open.as_str())
        .bind(WaiverStatus::Applied.as_str())
        .bind(YEAR_MS)
        .fetch_all(self.pool())
        .await?;
        let mut all = waiver_approvals(&waivers)?;
        for r in &escalations {
            all.push(approval(r, ApprovalKind::Escalation)?);
        }
        all.sort_by_key(|a| (a.requested_at, a.id));
        Ok(all)
    }
}

/// What a decision is about, read from its row.
struct Item {
    customer: CustomerId,
    customer_name: String,
    requested_by: AgentId,
    /// Still waiting for a decision.
    pending: bool,
    /// A waiver request's fees and amounts (none for an escalation).
    fees: Vec<(FeeId, Money)>,
}

impl Item {
    /// A waiver request's total; `None` for an escalation (or amounts that
    /// cannot be added, which the store never writes).
    fn total(&self) -> Option<Money> {
        Money::sum(self.fees.iter().map(|(_, amount)| *amount))
    }
}

/// Decides `d`; returns the outcome and the customer it concerns.
pub(super) async fn decide(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    d: &DecisionWrite,
) -> StoreResult<(WriteOutcome, Option<CustomerId>)> {
    if too_long(&d.decision.note, MAX_NOTES) {
        let message = format!("a note is limited to {MAX_NOTES} characters");
        return Ok((WriteOutcome::invalid("note", message), None));
    }
    let Some(item) = item(tx, ctx.backend, d).await? else {
        let message = format!("no {} with id {}", d.kind.label().to_lowercase(), d.id);
        return Ok((WriteOutcome::missing("id", message), None));
    };
    let refused = |reason: String| {
        Ok((
            WriteOutcome::Refused {
                field: "id".into(),
                reason,
            },
            Some(item.customer),
        ))
    };
    if !item.pending {
        return refused(already_decided(tx, d).await?);
    }
    let approve = d.decision.decision == Decision::Approve;
    let ask = authority::ApprovalAsk {
        requested_by: item.requested_by,
        decider: ctx.agent.id,
        decider_limit: ctx.agent.waiver_limit,
        total: item.total(),
        approve,
    };
    if let Err(reason) = authority::may_decide(&ask) {
        return refused(reason);
    }
    for &(fee, amount) in item.fees.iter().filter(|_| approve) {
        let applied = sqlx::query(
            "UPDATE fees SET outstanding_minor = outstanding_minor - $1 \
             WHERE id = $2 AND outstanding_minor >= $3",
        )
        .bind(amount.minor_units)
        .bind(fee.0)
        .bind(amount.minor_units)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if applied != 1 {
            return refused(format!(
                "fee {fee} no longer has {amount} outstanding (paid or waived meanwhile); \
                 deny this waiver instead"
            ));
        }
        sqlx::query("UPDATE customers SET balance_minor = balance_minor - $1 WHERE id = $2")
            .bind(amount.minor_units)
            .bind(item.customer.0)
            .execute(&mut **tx)
            .await?;
    }
    let (table, from, to) = match (d.kind, approve) {
        (ApprovalKind::FeeWaiver, true) => (
            "fee_waivers",
            WaiverStatus::PendingApproval.as_str(),
            WaiverStatus::Applied.as_str(),
        ),
        (ApprovalKind::FeeWaiver, false) => (
            "fee_waivers",
            WaiverStatus::PendingApproval.as_str(),
            WaiverStatus::Denied.as_str(),
        ),
        (ApprovalKind::Escalation, _) => (
            "escalations",
            EscalationStatus::Open.as_str(),
            EscalationStatus::Closed.as_str(),
        ),
    };
    // A waiver request's waivers change together.
    let which = match d.kind {
        ApprovalKind::FeeWaiver => "request_id",
        ApprovalKind::Escalation => "id",
    };
    let changed = sqlx::query(&format!(
        "UPDATE {table} SET status = $1 WHERE {which} = $2 AND status = $3"
    ))
    .bind(to)
    .bind(d.id)
    .bind(from)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != item.fees.len().max(1) as u64 {
        return refused(already_decided(tx, d).await?);
    }
    sqlx::query(
        "INSERT INTO approval_decisions (kind, item_id, decision, note, decided_by, decided_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(d.kind.as_str())
    .bind(d.id)
    .bind(d.decision.decision.as_str())
    .bind(d.decision.note.as_str())
    .bind(ctx.agent.id.0)
    .bind(ctx.now.timestamp_millis())
    .execute(&mut **tx)
    .await?;
    let verb = if approve { "approved" } else { "denied" };
    let what = match (item.total(), item.fees.len()) {
        (Some(total), 1) => format!("Fee waiver of {total}"),
        (Some(total), n) => format!("Fee waiver of {total} ({n} fees)"),
        (None, _) => format!("Escalation {}", d.id),
    };
    let summary = format!("{what} {verb} by {}", ctx.agent.name);
    let (channel, kind) = match d.kind {
        ApprovalKind::FeeWaiver => (Channel::Billing, EventKind::Waiver),
        ApprovalKind::Escalation => (Channel::Voice, EventKind::Escalation),
    };
    timeline_event(
        tx,
        TimelineRow {
            customer: item.customer,
            at: ctx.now,
            channel,
            kind,
            topic: None,
            summary: &summary,
            detail: Some(d.decision.note.as_str()).filter(|n| !n.is_empty()),
            agent: &ctx.agent.name,
            outcome: to,
            amount: item.total().filter(|_| approve),
        },
    )
    .await?;
    let detail = format!("{} {}: {summary}", d.kind.as_str(), d.id);
    audit(tx, ctx, "approval", item.customer, verb, &detail).await?;
    let decision = ApprovalDecision {
        kind: d.kind,
        id: d.id,
        decision: d.decision.decision,
        note: d.decision.note.clone(),
        customer_id: item.customer,
        requested_by: item.requested_by,
        decided_by: ctx.agent.id,
        decided_at: ctx.now,
        message: format!(
            "{what} for {} {verb} by {}.",
            clip(&item.customer_name),
            clip(&ctx.agent.name)
        ),
    };
    Ok((WriteOutcome::ApprovalDecided(decision), Some(item.customer)))
}

/// Reads (and on PostgreSQL locks) the item a decision is about: an
/// escalation, or every waiver of a request.
async fn item(tx: &mut Tx, backend: Backend, d: &DecisionWrite) -> StoreResult<Option<Item>> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql = match d.kind {
        ApprovalKind::FeeWaiver => {
            "SELECT customer_id, agent_id, status, fee_id, amount_minor, currency, \
             (SELECT name FROM customers c WHERE c.id = customer_id) AS customer_name \
             FROM fee_waivers WHERE request_id = $1 ORDER BY id"
        }
        ApprovalKind::Escalation => {
            "SELECT customer_id, agent_id, status, \
             (SELECT name FROM customers c WHERE c.id = customer_id) AS customer_name \
             FROM escalations WHERE id = $1"
        }
    };
    let found = sqlx::query(&format!("{sql}{lock}"))
        .bind(d.id)
        .fetch_all(&mut **tx)
        .await?;
    let Some(row) = found.first() else {
        return Ok(None);
    };
    let mut fees = Vec::new();
    let mut pending = true;
    for r in &found {
        let status: String = col(r, "status")?;
        match d.kind {
            ApprovalKind::FeeWaiver => {
                pending &= status == WaiverStatus::PendingApproval.as_str();
                fees.push((
                    FeeId(col(r, "fee_id")?),
                    rows::money(col(r, "amount_minor")?, &col::<String>(r, "currency")?)?,
                ));
            }
            ApprovalKind::Escalation => pending &= status == EscalationStatus::Open.as_str(),
        }
    }
    Ok(Some(Item {
        customer: CustomerId(col(row, "customer_id")?),
        customer_name: col(row, "customer_name")?,
        requested_by: AgentId(col(row, "agent_id")?),
        pending,
        fees,
    }))
}

/// Says who decided an item already, and how.
async fn already_decided(tx: &mut Tx, d: &DecisionWrite) -> StoreResult<String> {
    let row = sqlx::query(
        "SELECT d.decision, a.name FROM approval_decisions d JOIN agents a ON a.id = d.decided_by \
         WHERE d.kind = $1 AND d.item_id = $2",
    )
    .bind(d.kind.as_str())
    .bind(d.id)
    .fetch_optional(&mut **tx)
    .await?;
    let what = format!("{} {}", d.kind.label().to_lowercase(), d.id);
    Ok(match row {
        Some(r) => {
            let decision: String = col(&r, "decision")?;
            let verb = if decision == Decision::Approve.as_str() {
                "approved"
            } else {
                "denied"
            };
            let name: String = col(&r, "name")?;
            format!("{what} was already {verb} by {}", clip(&name))
        }
        None => format!("{what} is no longer waiting for approval"),
    })
}
