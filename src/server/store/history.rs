//! What a decision needs from a customer's past, read in four queries: the
//! last year of their timeline, late fees of 90 days, open escalations, and
//! their answers to suggestions (and what was shown) from the decision log.

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::domain::{CustomerId, EscalationStatus, EventKind, FeeKind, SuggestionVerdict};
use crate::server::decide::facts::{History, PastEvent, PastResponse, PastShown};
use chrono::{DateTime, Duration, Utc};

impl Store {
    /// What the decision needs of a customer's past (and of the business
    /// `account` they are or call for, if any), its reads issued at once.
    pub async fn history(
        &self,
        id: CustomerId,
        account: Option<CustomerId>,
        now: DateTime<Utc>,
    ) -> StoreResult<History> {
        let ms = |days: i64| (now - Duration::days(days)).timestamp_millis();
        // A year of events, but contacts only of the last 90 days: no fact
        // looks further back at them, and a busy business contact has
        // hundreds a year.
        let events = async {
            sqlx::query(
                "SELECT at_ms, kind, topic, outcome, summary, amount_minor FROM events \
                 WHERE customer_id = $1 AND at_ms >= $2 AND (at_ms >= $3 OR kind <> $4) \
                 ORDER BY at_ms DESC",
            )
            .bind(id.0)
            .bind(ms(365))
            .bind(ms(90))
            .bind(EventKind::Contact.as_str())
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(PastEvent {
                    at: rows::time(col(r, "at_ms")?)?,
                    kind: rows::parsed(&col::<String>(r, "kind")?, "event kind", EventKind::parse)?,
                    topic: col(r, "topic")?,
                    outcome: col(r, "outcome")?,
                    summary: col(r, "summary")?,
                    amount_minor: col(r, "amount_minor")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()
        };
        let late_fees_90d = async {
            sqlx::query_scalar::<_, i64>(
                "SELECT charged_at_ms FROM fees WHERE customer_id = $1 AND kind = $2 AND charged_at_ms >= $3",
            )
            .bind(id.0)
            .bind(FeeKind::LatePayment.as_str())
            .bind(ms(90))
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(rows::time)
            .collect::<StoreResult<Vec<_>>>()
        };
        let open_escalations = async {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM escalations WHERE customer_id = $1 AND status = $2",
            )
            .bind(id.0)
            .bind(EscalationStatus::Open.as_str())
            .fetch_one(self.pool())
            .await?)
        };
        let responses = async {
            sqlx::query(
                "SELECT action, verdict, at_ms FROM suggestion_outcomes \
                 WHERE customer_id = $1 AND at_ms >= $2",
            )
            .bind(id.0)
            .bind(ms(90))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(PastResponse {
                    action: col(r, "action")?,
                    at: rows::time(col(r, "at_ms")?)?,
                    verdict: rows::parsed(
                        &col::<String>(r, "verdict")?,
                        "verdict",
                        SuggestionVerdict::parse,
                    )?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()
        };
        let shown = async {
            sqlx::query(
                "SELECT i.action, d.at_ms FROM decisions d \
                 JOIN decision_items i ON i.decision_id = d.id \
                 WHERE d.customer_id = $1 AND d.at_ms >= $2 AND i.status = 'shown'",
            )
            .bind(id.0)
            .bind(ms(30))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(PastShown {
                    action: col(r, "action")?,
                    at: rows::time(col(r, "at_ms")?)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()
        };
        let (events, late_fees_90d, open_escalations, responses, shown, account) = tokio::try_join!(
            events,
            late_fees_90d,
            open_escalations,
            responses,
            shown,
            async {
                match account {
                    Some(organisation) => self.account_history(organisation, now).await,
                    None => Ok(None),
                }
            }
        )?;
        Ok(History {
            events,
            late_fees_90d,
            open_escalations,
            responses,
            shown,
            account,
        })
    }
}
