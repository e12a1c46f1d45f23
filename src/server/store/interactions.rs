//! Interaction logs: recording one (with its suggestion outcomes, its timeline
//! event and audit entry; the complaint-resolved disposition closes open
//! complaints) and reading one back.

use super::db::{col, Store, StoreError, StoreResult};
use super::decisions::joined_outcomes;
use super::organisations::account_of;
use super::refdata::disposition_label;
use super::requests::{clip, too_long, WriteOutcome};
use super::rows;
use super::tx::{audit, timeline_event, Ctx, TimelineRow, Tx};
use crate::api::limits::{MAX_FOLLOW_UP_DAYS, MAX_NOTES, MAX_TAG, MAX_TAGS};
use crate::api::NewInteraction;
use crate::domain::{
    ActionCode, Channel, CustomerId, DecisionId, EventKind, Interaction, InteractionId,
    InteractionOutcome, SuggestionOutcome, SuggestionVerdict,
};

/// The disposition that closes a customer's open complaints.
const COMPLAINT_RESOLVED: &str = "complaint.resolved";

pub(super) async fn log_interaction(
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
    if let Some(at) = r.follow_up_at {
        // A day back allows a write queued on a desk that was offline.
        let (earliest, latest) = (
            ctx.now - chrono::Duration::days(1),
            ctx.now + chrono::Duration::days(MAX_FOLLOW_UP_DAYS),
        );
        if at < earliest || at > latest {
            return Ok(WriteOutcome::invalid(
                "follow_up_at",
                format!(
                    "a follow-up must be at most a day past and {MAX_FOLLOW_UP_DAYS} days \
                     ahead (got {})",
                    at.format("%Y-%m-%d %H:%M UTC")
                ),
            ));
        }
    }
    if r.suggestion_outcomes.len() > 20 {
        return Ok(WriteOutcome::invalid(
            "suggestion_outcomes",
            "at most 20 suggestion outcomes",
        ));
    }
    if let Some(organisation) = r.acting_for {
        if !remember_organisation(tx, ctx, r.customer_id, organisation).await? {
            return Ok(WriteOutcome::invalid(
                "acting_for",
                format!(
                    "customer {} holds no role at organisation {}",
                    r.customer_id.0, organisation.0
                ),
            ));
        }
    }
    let tags = serde_json::to_string(&r.tags).unwrap_or_else(|_| "[]".into());
    let (id, organisation_id): (i64, Option<i64>) = sqlx::query_as(&format!(
        "INSERT INTO interactions (customer_id, agent_id, channel, disposition_code, outcome, \
         tags, notes, follow_up_at_ms, created_at_ms, tone_flagged, organisation_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, {}) RETURNING id, organisation_id",
        account_of(11, 12)
    ))
    .bind(r.customer_id.0)
    .bind(ctx.agent.id.0)
    .bind(r.channel.as_str())
    .bind(r.disposition_code.as_str())
    .bind(r.outcome.as_str())
    .bind(tags)
    .bind(r.notes.as_str())
    .bind(r.follow_up_at.map(|t| t.timestamp_millis()))
    .bind(ctx.now.timestamp_millis())
    .bind(i64::from(r.tone_flagged))
    .bind(r.customer_id.0)
    .bind(r.customer_id.0)
    .fetch_one(&mut **tx)
    .await?;
    let outcomes = match joined_outcomes(tx, ctx, r.customer_id, &r.suggestion_outcomes).await? {
        Ok(outcomes) => outcomes,
        Err(refused) => return Ok(refused),
    };
    for s in &outcomes {
        sqlx::query(
            "INSERT INTO suggestion_outcomes (interaction_id, customer_id, action, verdict, at_ms, \
             decision_id) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(r.customer_id.0)
        .bind(s.action.as_str())
        .bind(s.verdict.as_str())
        .bind(ctx.now.timestamp_millis())
        .bind(s.decision_id.map(|d| d.0))
        .execute(&mut **tx)
        .await?;
    }
    super::models::learn(tx, ctx, &outcomes).await?;
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
        suggestion_outcomes: outcomes,
        follow_up_at: r.follow_up_at,
        created_at: ctx.now,
        organisation_id: organisation_id.map(CustomerId),
        tone_flagged: r.tone_flagged,
    }))
}

/// Remembers that `contact` called for `organisation` now (the account
/// the rest of this write is logged against); false when they hold no
/// role there.
async fn remember_organisation(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    contact: CustomerId,
    organisation: CustomerId,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE contact_roles SET last_chosen_ms = $1 \
         WHERE contact_id = $2 AND organisation_id = $3",
    )
    .bind(ctx.now.timestamp_millis())
    .bind(contact.0)
    .bind(organisation.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

impl Store {
    /// A logged interaction with the suggestion outcomes recorded with it.
    pub async fn interaction(&self, id: InteractionId) -> StoreResult<Option<Interaction>> {
        let row = sqlx::query(
            "SELECT id, customer_id, agent_id, channel, disposition_code, outcome, tags, notes, \
             follow_up_at_ms, created_at_ms, organisation_id, tone_flagged FROM interactions \
             WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let outcomes = sqlx::query(
            "SELECT action, verdict, decision_id FROM suggestion_outcomes WHERE interaction_id = $1 \
             ORDER BY action",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SuggestionOutcome {
                action: ActionCode(col(r, "action")?),
                verdict: rows::parsed(
                    &col::<String>(r, "verdict")?,
                    "verdict",
                    SuggestionVerdict::parse,
                )?,
                decision_id: col::<Option<i64>>(r, "decision_id")?.map(DecisionId),
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
            organisation_id: col::<Option<i64>>(&row, "organisation_id")?.map(CustomerId),
            tone_flagged: col::<i64>(&row, "tone_flagged")? != 0,
        }))
    }
}
