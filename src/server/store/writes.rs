//! The writes: the three an agent makes (interaction logs, escalations and fee
//! waivers) and a supervisor's decision on an approval (`approvals.rs`). Each runs in one transaction that checks the request against the
//! data, records it, adds its timeline event and audit entry, and stores the
//! response with the idempotency key. A refused waiver leaves only its audit
//! entry (and the stored refusal, so a retry gets the same answer).

use super::{
    approvals, col, customers::fee_from_row, idempotency, rows, Backend, Store, StoreError,
    StoreResult,
};
use crate::api::limits::{MAX_FEES, MAX_NOTES, MAX_SUMMARY, MAX_TAG, MAX_TAGS};
use crate::api::{
    ApprovalDecision, ApprovalKind, NewDecision, NewEscalation, NewFeeWaiver, NewInteraction,
    WaiverDecision,
};
use crate::domain::{
    Agent, Channel, CustomerId, Escalation, EscalationId, EscalationStatus, EventKind, FeeWaiver,
    Interaction, InteractionId, InteractionOutcome, Money, SuggestedAction, SuggestionOutcome,
    SuggestionVerdict, WaiverId, WaiverStatus,
};
use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

pub(super) type Tx = Transaction<'static, Any>;

/// A write as the agent sent it.
#[derive(Debug, Clone)]
pub enum WriteRequest {
    Interaction(NewInteraction),
    Escalation(NewEscalation),
    FeeWaiver(NewFeeWaiver),
    Decision(DecisionRequest),
}

/// A supervisor's decision on the approval `kind`/`id`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DecisionRequest {
    pub kind: ApprovalKind,
    pub id: i64,
    pub decision: NewDecision,
}

/// What became of a write.
#[derive(Debug, Clone)]
pub enum WriteOutcome {
    InteractionRecorded(Interaction),
    EscalationRecorded(Escalation),
    /// Applied, or stored as pending approval: `decision.status` says which.
    WaiverDecided(WaiverDecision),
    ApprovalDecided(ApprovalDecision),
    /// A rule refused it; the refusal is audited and kept with the key.
    Refused {
        field: String,
        reason: String,
    },
    /// The request names something that does not exist or is not allowed; nothing
    /// is stored and the key is released.
    Invalid {
        field: String,
        message: String,
        not_found: bool,
    },
}

impl WriteOutcome {
    pub(super) fn invalid(field: impl Into<String>, message: impl Into<String>) -> WriteOutcome {
        WriteOutcome::Invalid {
            field: field.into(),
            message: message.into(),
            not_found: false,
        }
    }

    pub(super) fn missing(field: impl Into<String>, message: impl Into<String>) -> WriteOutcome {
        WriteOutcome::Invalid {
            field: field.into(),
            message: message.into(),
            not_found: true,
        }
    }
}

/// Who is writing, under which key, and when.
pub(super) struct Ctx<'a> {
    pub agent: &'a Agent,
    pub key: &'a str,
    pub now: DateTime<Utc>,
    pub backend: Backend,
}

/// A response ready to send and to store with the key.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

impl Store {
    /// Runs `request` for `agent` under the idempotency `key` it claimed with
    /// `token`; `render` turns the outcome into the response stored with the key.
    pub async fn write(
        &self,
        agent: &Agent,
        key: &str,
        token: i64,
        request: &WriteRequest,
        render: impl Fn(&WriteOutcome) -> StoredResponse,
    ) -> StoreResult<(WriteOutcome, StoredResponse)> {
        let ctx = Ctx {
            agent,
            key,
            now: Utc::now(),
            backend: self.backend(),
        };
        let mut tx = self.begin_write().await?;
        let (outcome, customer) = match request {
            WriteRequest::Decision(d) => approvals::decide(&mut tx.tx, &ctx, d).await?,
            WriteRequest::Interaction(r) => {
                match customer_currency(&mut tx.tx, r.customer_id).await? {
                    None => (no_customer(r.customer_id), None),
                    Some(_) => (
                        log_interaction(&mut tx.tx, &ctx, r).await?,
                        Some(r.customer_id),
                    ),
                }
            }
            WriteRequest::Escalation(r) => {
                match customer_currency(&mut tx.tx, r.customer_id).await? {
                    None => (no_customer(r.customer_id), None),
                    Some(_) => (escalate(&mut tx.tx, &ctx, r).await?, Some(r.customer_id)),
                }
            }
            WriteRequest::FeeWaiver(r) => match customer_currency(&mut tx.tx, r.customer_id).await?
            {
                None => (no_customer(r.customer_id), None),
                Some(currency) => (
                    waive(&mut tx.tx, &ctx, r, &currency).await?,
                    Some(r.customer_id),
                ),
            },
        };
        let response = render(&outcome);
        match &outcome {
            // Nothing is kept: the transaction rolls back when dropped.
            WriteOutcome::Invalid { .. } => return Ok((outcome, response)),
            WriteOutcome::Refused { reason, .. } => {
                // A rule may refuse after earlier changes in this transaction
                // (one fee of several changed meanwhile): undo them all, and keep
                // only the audit entry and the stored refusal.
                drop(tx);
                tx = self.begin_write().await?;
                // Every refusal concerns a known customer (a decision refuses
                // only after it has found its item); audit entries name one.
                if let Some(customer) = customer {
                    audit(
                        &mut tx.tx,
                        &ctx,
                        request.action_name(),
                        customer,
                        "refused",
                        reason,
                    )
                    .await?;
                }
            }
            _ => {}
        }
        idempotency::complete(
            &mut tx.tx,
            agent.id,
            key,
            token,
            response.status,
            &response.body,
        )
        .await?;
        tx.commit().await?;
        Ok((outcome, response))
    }
}

fn no_customer(id: CustomerId) -> WriteOutcome {
    WriteOutcome::missing("customer_id", format!("no customer with id {id}"))
}

impl WriteRequest {
    /// The write's name in the audit log and in idempotency fingerprints.
    pub fn action_name(&self) -> &'static str {
        match self {
            WriteRequest::Interaction(_) => "interaction",
            WriteRequest::Escalation(_) => "escalation",
            WriteRequest::FeeWaiver(_) => "fee_waiver",
            WriteRequest::Decision(_) => "approval",
        }
    }
}

async fn customer_currency(tx: &mut Tx, id: CustomerId) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT currency FROM customers WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The label of a code in a reference list, or `None` when it is not in it.
async fn disposition_label(tx: &mut Tx, code: &str) -> StoreResult<Option<(String, String)>> {
    let row = sqlx::query("SELECT category, label FROM dispositions WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok((col(&r, "category")?, col(&r, "label")?)))
        .transpose()
}

async fn code_label(tx: &mut Tx, list: &str, code: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT label FROM ref_codes WHERE list = $1 AND code = $2")
            .bind(list)
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The disposition that closes a customer's open complaints.
const COMPLAINT_RESOLVED: &str = "complaint.resolved";

pub(super) fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

async fn log_interaction(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    r: &NewInteraction,
) -> StoreResult<WriteOutcome> {
    let Some((category, label)) = disposition_label(tx, &r.disposition_code).await? else {
        return Ok(WriteOutcome::missing(
            "disposition_code",
            format!("unknown disposition code `{}`", clip(&r.disposition_code)),
        ));
    };
    if too_long(&r.notes, MAX_NOTES) {
        return Ok(WriteOutcome::invalid(
            "notes",
            format!("notes are limited to {MAX_NOTES} characters"),
        ));
    }
    if r.tags.len() > MAX_TAGS {
        return Ok(WriteOutcome::invalid(
            "tags",
            format!("at most {MAX_TAGS} tags"),
        ));
    }
    if let Some(i) = r
        .tags
        .iter()
        .position(|t| t.trim().is_empty() || too_long(t, MAX_TAG))
    {
        return Ok(WriteOutcome::invalid(
            format!("tags[{i}]"),
            format!("a tag must be 1 to {MAX_TAG} characters"),
        ));
    }
    if r.suggestion_outcomes.len() > 20 {
        return Ok(WriteOutcome::invalid(
            "suggestion_outcomes",
            "at most 20 suggestion outcomes",
        ));
    }
    let tags = serde_json::to_string(&r.tags).unwrap_or_else(|_| "[]".into());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO interactions (customer_id, agent_id, channel, disposition_code, outcome, \
         tags, notes, follow_up_at_ms, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
    )
    .bind(r.customer_id.0)
    .bind(ctx.agent.id.0)
    .bind(r.channel.as_str())
    .bind(r.disposition_code.as_str())
    .bind(r.outcome.as_str())
    .bind(tags)
    .bind(r.notes.as_str())
    .bind(r.follow_up_at.map(|t| t.timestamp_millis()))
    .bind(ctx.now.timestamp_millis())
    .fetch_one(&mut **tx)
    .await?;
    for s in &r.suggestion_outcomes {
        sqlx::query(
            "INSERT INTO suggestion_outcomes (interaction_id, customer_id, action, verdict, at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(r.customer_id.0)
        .bind(s.action.as_str())
        .bind(s.verdict.as_str())
        .bind(ctx.now.timestamp_millis())
        .execute(&mut **tx)
        .await?;
    }
    if r.disposition_code == COMPLAINT_RESOLVED {
        // The complaint is settled: it no longer counts as open.
        sqlx::query(
            "UPDATE events SET outcome = 'resolved' \
             WHERE customer_id = $1 AND kind = $2 AND outcome = 'open'",
        )
        .bind(r.customer_id.0)
        .bind(EventKind::Complaint.as_str())
        .execute(&mut **tx)
        .await?;
    }
    let summary = format!("{category} › {label}");
    timeline_event(
        tx,
        TimelineRow {
            customer: r.customer_id,
            at: ctx.now,
            channel: r.channel,
            kind: EventKind::Contact,
            topic: Some(category.to_lowercase()),
            summary: &summary,
            detail: Some(r.notes.as_str()).filter(|n| !n.is_empty()),
            agent: &ctx.agent.name,
            outcome: r.outcome.as_str(),
            amount: None,
        },
    )
    .await?;
    let detail = format!("interaction {id}: {summary} ({})", r.outcome.as_str());
    audit(tx, ctx, "interaction", r.customer_id, "recorded", &detail).await?;
    Ok(WriteOutcome::InteractionRecorded(Interaction {
        id: InteractionId(id),
        customer_id: r.customer_id,
        agent_id: ctx.agent.id,
        channel: r.channel,
        disposition_code: r.disposition_code.clone(),
        outcome: r.outcome,
        tags: r.tags.clone(),
        notes: r.notes.clone(),
        suggestion_outcomes: r.suggestion_outcomes.clone(),
        follow_up_at: r.follow_up_at,
        created_at: ctx.now,
    }))
}

async fn escalate(tx: &mut Tx, ctx: &Ctx<'_>, r: &NewEscalation) -> StoreResult<WriteOutcome> {
    let Some(target) = code_label(tx, "escalation_target", &r.target_code).await? else {
        return Ok(WriteOutcome::missing(
            "target_code",
            format!("unknown escalation target `{}`", clip(&r.target_code)),
        ));
    };
    let Some(reason) = code_label(tx, "escalation_reason", &r.reason_code).await? else {
        return Ok(WriteOutcome::missing(
            "reason_code",
            format!("unknown escalation reason `{}`", clip(&r.reason_code)),
        ));
    };
    if r.summary.trim().is_empty() || too_long(&r.summary, MAX_SUMMARY) {
        return Ok(WriteOutcome::invalid(
            "summary",
            format!("a summary of 1 to {MAX_SUMMARY} characters is required"),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO escalations (customer_id, agent_id, target_code, priority, reason_code, \
         summary, status, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.customer_id.0)
    .bind(ctx.agent.id.0)
    .bind(r.target_code.as_str())
    .bind(r.priority.as_str())
    .bind(r.reason_code.as_str())
    .bind(r.summary.as_str())
    .bind(EscalationStatus::Open.as_str())
    .bind(ctx.now.timestamp_millis())
    .fetch_one(&mut **tx)
    .await?;
    let summary = format!(
        "Escalated to {target}: {reason} ({} priority)",
        r.priority.as_str()
    );
    timeline_event(
        tx,
        TimelineRow {
            customer: r.customer_id,
            at: ctx.now,
            channel: r.channel,
            kind: EventKind::Escalation,
            topic: None,
            summary: &summary,
            detail: Some(r.summary.as_str()),
            agent: &ctx.agent.name,
            outcome: EscalationStatus::Open.as_str(),
            amount: None,
        },
    )
    .await?;
    let detail = format!("escalation {id}: {summary}");
    audit(tx, ctx, "escalation", r.customer_id, "recorded", &detail).await?;
    Ok(WriteOutcome::EscalationRecorded(Escalation {
        id: EscalationId(id),
        customer_id: r.customer_id,
        agent_id: ctx.agent.id,
        target_code: r.target_code.clone(),
        priority: r.priority,
        reason_code: r.reason_code.clone(),
        summary: r.summary.clone(),
        status: EscalationStatus::Open,
        created_at: ctx.now,
    }))
}

async fn waive(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    r: &NewFeeWaiver,
    customer_currency: &str,
) -> StoreResult<WriteOutcome> {
    if code_label(tx, "waiver_reason", &r.reason_code)
        .await?
        .is_none()
    {
        return Ok(WriteOutcome::missing(
            "reason_code",
            format!("unknown waiver reason `{}`", clip(&r.reason_code)),
        ));
    }
    if r.fees.is_empty() || r.fees.len() > MAX_FEES {
        return Ok(WriteOutcome::invalid(
            "fees",
            format!("name 1 to {MAX_FEES} fees to waive"),
        ));
    }
    if too_long(&r.note, MAX_NOTES) {
        return Ok(WriteOutcome::invalid(
            "note",
            format!("a note is limited to {MAX_NOTES} characters"),
        ));
    }
    for (i, item) in r.fees.iter().enumerate() {
        let field = format!("fees[{i}]");
        if r.fees[..i]
            .iter()
            .any(|earlier| earlier.fee_id == item.fee_id)
        {
            return Ok(WriteOutcome::invalid(
                format!("{field}.fee_id"),
                format!("fee {} is listed twice", item.fee_id),
            ));
        }
        if item.amount.minor_units <= 0 {
            return Ok(WriteOutcome::invalid(
                format!("{field}.amount.minor_units"),
                "the amount to waive must be positive",
            ));
        }
        // PostgreSQL: lock the fee, so two waivers of it (applied or pending)
        // are decided one after the other. SQLite writers are already serial.
        let lock = match ctx.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let row = sqlx::query(&format!(
            "SELECT id, customer_id, kind, charged_at_ms, amount_minor, outstanding_minor, currency \
             FROM fees WHERE id = $1{lock}"
        ))
        .bind(item.fee_id.0)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(row) = row else {
            return Ok(WriteOutcome::missing(
                format!("{field}.fee_id"),
                format!("no fee with id {}", item.fee_id),
            ));
        };
        let fee = fee_from_row(&row)?;
        if col::<i64>(&row, "customer_id")? != r.customer_id.0 {
            return Ok(WriteOutcome::Refused {
                field: format!("{field}.fee_id"),
                reason: format!("fee {} belongs to another customer", item.fee_id),
            });
        }
        if item.amount.currency != fee.amount.currency
            || fee.amount.currency.as_str() != customer_currency
        {
            return Ok(WriteOutcome::invalid(
                format!("{field}.amount.currency"),
                format!(
                    "fee {} is in {}, not {}",
                    fee.id, fee.amount.currency, item.amount.currency
                ),
            ));
        }
        if let Some(reason) = nothing_to_waive(tx, &fee).await? {
            return Ok(WriteOutcome::Refused {
                field: format!("{field}.fee_id"),
                reason,
            });
        }
        if item.amount.minor_units > fee.outstanding.minor_units {
            return Ok(WriteOutcome::Refused {
                field: format!("{field}.amount"),
                reason: format!(
                    "{} is more than the {} still outstanding on fee {}",
                    item.amount, fee.outstanding, fee.id
                ),
            });
        }
    }
    // Every fee is in the customer's currency (checked above).
    let Some(total) = Money::sum(r.fees.iter().map(|f| f.amount)) else {
        return Ok(WriteOutcome::invalid(
            "fees",
            "the amounts are too large to add up",
        ));
    };
    let limit = ctx.agent.waiver_limit;
    let within_authority =
        total.currency == limit.currency && total.minor_units <= limit.minor_units;
    let status = if within_authority {
        WaiverStatus::Applied
    } else {
        WaiverStatus::PendingApproval
    };
    let mut waivers = Vec::with_capacity(r.fees.len());
    for item in &r.fees {
        if within_authority {
            let applied = sqlx::query(
                "UPDATE fees SET outstanding_minor = outstanding_minor - $1 \
                 WHERE id = $2 AND outstanding_minor >= $3",
            )
            .bind(item.amount.minor_units)
            .bind(item.fee_id.0)
            .bind(item.amount.minor_units)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if applied != 1 {
                return Ok(WriteOutcome::Refused {
                    field: "fees".into(),
                    reason: format!(
                        "fee {} changed while this waiver was being made",
                        item.fee_id
                    ),
                });
            }
            sqlx::query("UPDATE customers SET balance_minor = balance_minor - $1 WHERE id = $2")
                .bind(item.amount.minor_units)
                .bind(r.customer_id.0)
                .execute(&mut **tx)
                .await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO fee_waivers (customer_id, fee_id, agent_id, amount_minor, currency, \
             reason_code, note, status, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(r.customer_id.0)
        .bind(item.fee_id.0)
        .bind(ctx.agent.id.0)
        .bind(item.amount.minor_units)
        .bind(item.amount.currency.as_str())
        .bind(r.reason_code.as_str())
        .bind(r.note.as_str())
        .bind(status.as_str())
        .bind(ctx.now.timestamp_millis())
        .fetch_one(&mut **tx)
        .await?;
        waivers.push(FeeWaiver {
            id: WaiverId(id),
            customer_id: r.customer_id,
            fee_id: item.fee_id,
            agent_id: ctx.agent.id,
            amount: item.amount,
            reason_code: r.reason_code.clone(),
            note: r.note.clone(),
            status,
            created_at: ctx.now,
        });
    }
    let fee_list = r
        .fees
        .iter()
        .map(|f| f.fee_id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let (summary, message) = if within_authority {
        (
            format!("Fee waiver of {total} applied (fee {fee_list})"),
            format!("Waived {total}."),
        )
    } else {
        (
            format!("Fee waiver of {total} requested, pending approval (fee {fee_list})"),
            format!(
                "{total} is above your limit of {limit}: sent to a supervisor for approval. \
                 Nothing is waived until it is approved."
            ),
        )
    };
    timeline_event(
        tx,
        TimelineRow {
            customer: r.customer_id,
            at: ctx.now,
            channel: Channel::Billing,
            kind: EventKind::Waiver,
            topic: Some("billing".into()),
            summary: &summary,
            detail: Some(r.note.as_str()).filter(|n| !n.is_empty()),
            agent: &ctx.agent.name,
            outcome: status.as_str(),
            amount: Some(total),
        },
    )
    .await?;
    audit(
        tx,
        ctx,
        "fee_waiver",
        r.customer_id,
        status.as_str(),
        &summary,
    )
    .await?;
    Ok(WriteOutcome::WaiverDecided(WaiverDecision {
        status,
        message,
        waivers,
        waiver_limit: limit,
    }))
}

/// Why a fee cannot be waived at all, if it cannot.
async fn nothing_to_waive(tx: &mut Tx, fee: &crate::domain::Fee) -> StoreResult<Option<String>> {
    let pending: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM fee_waivers WHERE fee_id = $1 AND status = $2")
            .bind(fee.id.0)
            .bind(WaiverStatus::PendingApproval.as_str())
            .fetch_one(&mut **tx)
            .await?;
    if pending > 0 {
        return Ok(Some(format!(
            "a waiver of fee {} is already waiting for approval",
            fee.id
        )));
    }
    if fee.outstanding.minor_units > 0 {
        return Ok(None);
    }
    let waived: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM fee_waivers WHERE fee_id = $1 AND status = $2")
            .bind(fee.id.0)
            .bind(WaiverStatus::Applied.as_str())
            .fetch_one(&mut **tx)
            .await?;
    Ok(Some(if waived > 0 {
        format!("fee {} has already been waived", fee.id)
    } else {
        format!("fee {} has already been paid", fee.id)
    }))
}

pub(super) struct TimelineRow<'a> {
    pub customer: CustomerId,
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub kind: EventKind,
    pub topic: Option<String>,
    pub summary: &'a str,
    pub detail: Option<&'a str>,
    pub agent: &'a str,
    pub outcome: &'a str,
    pub amount: Option<Money>,
}

pub(super) async fn timeline_event(tx: &mut Tx, e: TimelineRow<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO events (customer_id, at_ms, channel, kind, topic, summary, detail, agent, \
         outcome, amount_minor, currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(e.customer.0)
    .bind(e.at.timestamp_millis())
    .bind(e.channel.as_str())
    .bind(e.kind.as_str())
    .bind(e.topic)
    .bind(e.summary)
    .bind(e.detail)
    .bind(e.agent)
    .bind(e.outcome)
    .bind(e.amount.map(|m| m.minor_units))
    .bind(e.amount.map(|m| m.currency.as_str().to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn audit(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    action: &str,
    customer: CustomerId,
    outcome: &str,
    detail: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit (at_ms, agent_id, action, customer_id, outcome, detail, idempotency_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ctx.now.timestamp_millis())
    .bind(ctx.agent.id.0)
    .bind(action)
    .bind(customer.0)
    .bind(outcome)
    .bind(detail)
    .bind(ctx.key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A user-supplied code, shortened for an error message.
pub(super) fn clip(s: &str) -> String {
    crate::domain::text::clip(s, 40)
}

impl Store {
    /// A logged interaction with the suggestion outcomes recorded with it.
    pub async fn interaction(&self, id: InteractionId) -> StoreResult<Option<Interaction>> {
        let row = sqlx::query(
            "SELECT id, customer_id, agent_id, channel, disposition_code, outcome, tags, notes, \
             follow_up_at_ms, created_at_ms FROM interactions WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let outcomes = sqlx::query(
            "SELECT action, verdict FROM suggestion_outcomes WHERE interaction_id = $1 ORDER BY action",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SuggestionOutcome {
                action: rows::parsed(&col::<String>(r, "action")?, "action", SuggestedAction::parse)?,
                verdict: rows::parsed(&col::<String>(r, "verdict")?, "verdict", SuggestionVerdict::parse)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let tags: String = col(&row, "tags")?;
        Ok(Some(Interaction {
            id,
            customer_id: CustomerId(col(&row, "customer_id")?),
            agent_id: crate::domain::AgentId(col(&row, "agent_id")?),
            channel: rows::parsed(&col::<String>(&row, "channel")?, "channel", Channel::parse)?,
            disposition_code: col(&row, "disposition_code")?,
            outcome: rows::parsed(
                &col::<String>(&row, "outcome")?,
                "outcome",
                InteractionOutcome::parse,
            )?,
            tags: serde_json::from_str(&tags)
                .map_err(|e| StoreError::Corrupt(format!("tags: {e}")))?,
            notes: col(&row, "notes")?,
            suggestion_outcomes: outcomes,
            follow_up_at: col::<Option<i64>>(&row, "follow_up_at_ms")?
                .map(rows::time)
                .transpose()?,
            created_at: rows::time(col(&row, "created_at_ms")?)?,
        }))
    }
}
