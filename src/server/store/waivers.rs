//! Fee waivers: the store reads each fee asked for (locking it on PostgreSQL)
//! and where it stands, `domain::authority` decides, and the store records the
//! verdict: applies the waiver, or stores it for a supervisor, with its
//! timeline event and audit entry. A refusal or an invalid request changes
//! nothing here.

use super::customers::fee_from_row;
use super::db::{col, Backend, StoreResult};
use super::refdata::code_label;
use super::requests::{clip, too_long, WriteOutcome};
use super::rows;
use super::tx::{audit, timeline_event, Ctx, TimelineRow, Tx};
use crate::api::limits::{MAX_FEES, MAX_NOTES};
use crate::api::{NewFeeWaiver, WaiverDecision};
use crate::domain::authority::{
    self, AskedFee, FeeOnFile, FeeStatus, Standing, Waived, WaiverAsk, WaiverVerdict,
};
use crate::domain::{
    Channel, CustomerId, EventKind, Fee, FeeId, FeeWaiver, Money, Tier, WaiverId, WaiverStatus,
};

/// Waives the fees `r` names, or stores the waiver for a supervisor, for a
/// customer whose stored currency is `customer_currency`.
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
    let mut fees = Vec::with_capacity(r.fees.len());
    for item in &r.fees {
        fees.push(AskedFee {
            fee_id: item.fee_id,
            amount: item.amount,
            on_file: fee_on_file(tx, ctx.backend, item.fee_id).await?,
        });
    }
    let ask = WaiverAsk {
        customer: r.customer_id,
        currency: rows::currency(customer_currency)?,
        limit: ctx.agent.waiver_limit,
        account: account_standing(tx, r.customer_id).await?,
        fees: &fees,
        waived: waived(tx, ctx, r.customer_id).await?,
        rules: ctx.waiver_rules,
    };
    let (status, total, message) = match authority::decide_waiver(&ask) {
        WaiverVerdict::Apply { total, reason } => (WaiverStatus::Applied, total, reason),
        WaiverVerdict::Pending { total, reason } => (WaiverStatus::PendingApproval, total, reason),
        WaiverVerdict::Refused { field, reason } => {
            return Ok(WriteOutcome::Refused { field, reason })
        }
        WaiverVerdict::Invalid {
            field,
            reason,
            not_found,
        } => {
            return Ok(WriteOutcome::Invalid {
                field,
                message: reason,
                not_found,
            })
        }
    };
    record(tx, ctx, r, status, total, message).await
}

/// The standing (tier and yearly value) of the business account `customer`
/// is, if an organisation.
async fn account_standing(tx: &mut Tx, customer: CustomerId) -> StoreResult<Option<Standing>> {
    let row = sqlx::query(
        "SELECT o.tier, o.annual_revenue_minor, c.currency FROM organisations o \
         JOIN customers c ON c.id = o.customer_id WHERE o.customer_id = $1",
    )
    .bind(customer.0)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(Standing {
            tier: rows::parsed(&col::<String>(&r, "tier")?, "tier", Tier::parse)?,
            annual_revenue: Some(rows::money(
                col(&r, "annual_revenue_minor")?,
                &col::<String>(&r, "currency")?,
            )?),
        })
    })
    .transpose()
}

/// What the agent has already waived, applied and in their limit's currency:
/// for this customer over the rules' window, for anyone since midnight UTC,
/// and how many requests in the last hour. An approved waiver counts too:
/// the totals stay on the safe side. On PostgreSQL the agent's row is locked
/// first, so two waivers by one agent are counted one after the other
/// (SQLite writers are already serial).
async fn waived(tx: &mut Tx, ctx: &Ctx<'_>, customer: CustomerId) -> StoreResult<Waived> {
    if ctx.backend == Backend::Postgres {
        sqlx::query("SELECT id FROM agents WHERE id = $1 FOR UPDATE")
            .bind(ctx.agent.id.0)
            .fetch_optional(&mut **tx)
            .await?;
    }
    let now = ctx.now.timestamp_millis();
    let day_ms = 86_400_000;
    let window = now - i64::from(ctx.waiver_rules.window_days) * day_ms;
    let midnight = now - now.rem_euclid(day_ms);
    let row = sqlx::query(
        "SELECT \
         CAST(COALESCE(SUM(CASE WHEN customer_id = $4 AND created_at_ms >= $5 \
           THEN amount_minor ELSE 0 END), 0) AS BIGINT) AS for_customer, \
         CAST(COALESCE(SUM(CASE WHEN created_at_ms >= $6 THEN amount_minor ELSE 0 END), 0) \
           AS BIGINT) AS today, \
         COUNT(DISTINCT CASE WHEN created_at_ms >= $7 THEN COALESCE(request_id, id) END) \
           AS last_hour \
         FROM fee_waivers WHERE agent_id = $1 AND status = $2 AND currency = $3 \
         AND created_at_ms >= $8",
    )
    .bind(ctx.agent.id.0)
    .bind(WaiverStatus::Applied.as_str())
    .bind(ctx.agent.waiver_limit.currency.as_str())
    .bind(customer.0)
    .bind(window)
    .bind(midnight)
    .bind(now - 3_600_000)
    .bind(window.min(midnight))
    .fetch_one(&mut **tx)
    .await?;
    Ok(Waived {
        for_customer: col(&row, "for_customer")?,
        today: col(&row, "today")?,
        last_hour: u32::try_from(col::<i64>(&row, "last_hour")?).unwrap_or(u32::MAX),
    })
}

/// Records a decided waiver: applies it (within the agent's limit) or stores
/// it for a supervisor, with its timeline event and audit entry.
async fn record(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    r: &NewFeeWaiver,
    status: WaiverStatus,
    total: Money,
    message: String,
) -> StoreResult<WriteOutcome> {
    let applied_now = status == WaiverStatus::Applied;
    let mut waivers = Vec::with_capacity(r.fees.len());
    for item in &r.fees {
        if applied_now {
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
             reason_code, note, status, created_at_ms, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
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
        .bind(waivers.first().map(|w: &FeeWaiver| w.id.0))
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
    // The first waiver names the request its others belong to.
    if let Some(first) = waivers.first() {
        sqlx::query("UPDATE fee_waivers SET request_id = id WHERE id = $1")
            .bind(first.id.0)
            .execute(&mut **tx)
            .await?;
    }
    let fee_list = r
        .fees
        .iter()
        .map(|f| f.fee_id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let summary = if applied_now {
        format!("Fee waiver of {total} applied (fee {fee_list})")
    } else {
        format!("Fee waiver of {total} requested, pending approval (fee {fee_list})")
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
        waiver_limit: ctx.agent.waiver_limit,
    }))
}

/// The fee `id` as stored, or `None` when there is none. On PostgreSQL the fee
/// is locked, so two waivers of it (applied or pending) are decided one after
/// the other; SQLite writers are already serial.
async fn fee_on_file(tx: &mut Tx, backend: Backend, id: FeeId) -> StoreResult<Option<FeeOnFile>> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT id, customer_id, kind, charged_at_ms, amount_minor, outstanding_minor, currency \
         FROM fees WHERE id = $1{lock}"
    ))
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let fee = fee_from_row(&row)?;
    let customer = CustomerId(col(&row, "customer_id")?);
    Ok(Some(FeeOnFile {
        customer,
        outstanding: fee.outstanding,
        status: fee_status(tx, &fee).await?,
    }))
}

/// Where a fee stands: a waiver of it waiting for approval, something still
/// owed, or nothing owed (waived, or paid).
async fn fee_status(tx: &mut Tx, fee: &Fee) -> StoreResult<FeeStatus> {
    if waivers_of(tx, fee.id, WaiverStatus::PendingApproval).await? > 0 {
        return Ok(FeeStatus::AwaitingApproval);
    }
    if fee.outstanding.minor_units > 0 {
        return Ok(FeeStatus::Open);
    }
    let waived = waivers_of(tx, fee.id, WaiverStatus::Applied).await? > 0;
    Ok(if waived {
        FeeStatus::Waived
    } else {
        FeeStatus::Paid
    })
}

/// How many waivers of `fee` are in `status`.
async fn waivers_of(tx: &mut Tx, fee: FeeId, status: WaiverStatus) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM fee_waivers WHERE fee_id = $1 AND status = $2")
            .bind(fee.0)
            .bind(status.as_str())
            .fetch_one(&mut **tx)
            .await?,
    )
}
