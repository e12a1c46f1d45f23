//! Fee waivers: checking each fee against the data, applying a waiver within
//! the agent's limit or storing it for a supervisor, with its timeline event and
//! audit entry.

use super::customers::fee_from_row;
use super::db::{col, Backend, StoreResult};
use super::refdata::code_label;
use super::requests::{clip, too_long, WriteOutcome};
use super::tx::{audit, timeline_event, Ctx, TimelineRow, Tx};
use crate::api::limits::{MAX_FEES, MAX_NOTES};
use crate::api::{NewFeeWaiver, WaiverDecision};
use crate::domain::{Channel, EventKind, FeeWaiver, Money, WaiverId, WaiverStatus};

pub(super) async fn waive(
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
