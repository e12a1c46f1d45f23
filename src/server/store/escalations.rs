//! Escalations: recording one for a supervisor, with its timeline event and
//! audit entry.

use super::db::StoreResult;
use super::refdata::code_label;
use super::requests::{clip, too_long, WriteOutcome};
use super::tx::{audit, timeline_event, Ctx, TimelineRow, Tx};
use crate::api::limits::MAX_SUMMARY;
use crate::api::NewEscalation;
use crate::domain::{Escalation, EscalationId, EscalationStatus, EventKind};

pub(super) async fn escalate(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    r: &NewEscalation,
) -> StoreResult<WriteOutcome> {
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
