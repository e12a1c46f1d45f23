//! The facts the suggestion rules weigh, read from the timeline in one place.

use super::db::{col, Store, StoreResult};
use crate::domain::{CustomerId, EventKind, SuggestedAction, SuggestionVerdict, WaiverStatus};
use chrono::{DateTime, Duration, Utc};

/// Recent patterns in a customer's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// Contacts in the last 7 days, by topic (`None` = no topic), most first.
    pub contacts_7d: Vec<(Option<String>, i64)>,
    /// Fee waivers applied in the last 12 months.
    pub waivers_12m: i64,
    /// Complaints still open.
    pub open_complaints: i64,
    /// Marketing offers made in the last 30 days (the contact-frequency cap).
    pub offers_30d: i64,
}

impl Store {
    pub async fn signals(&self, id: CustomerId, now: DateTime<Utc>) -> StoreResult<Signals> {
        let ms = |d: Duration| (now - d).timestamp_millis();
        let contacts = sqlx::query(
            "SELECT topic, COUNT(*) AS n FROM events \
             WHERE customer_id = $1 AND kind = $2 AND at_ms >= $3 \
             GROUP BY topic ORDER BY n DESC, topic",
        )
        .bind(id.0)
        .bind(EventKind::Contact.as_str())
        .bind(ms(Duration::days(7)))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((col(r, "topic")?, col(r, "n")?)))
        .collect::<StoreResult<Vec<_>>>()?;
        let waivers_12m = self
            .count_events(
                id,
                EventKind::Waiver,
                ms(Duration::days(365)),
                Some(WaiverStatus::Applied.as_str()),
            )
            .await?;
        let open_complaints = self
            .count_events(id, EventKind::Complaint, i64::MIN, Some("open"))
            .await?;
        // Offers on the timeline, plus retention offers the desk recorded as
        // accepted suggestions.
        let desk_offers: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM suggestion_outcomes \
             WHERE customer_id = $1 AND action = $2 AND verdict = $3 AND at_ms >= $4",
        )
        .bind(id.0)
        .bind(SuggestedAction::RetentionOffer.as_str())
        .bind(SuggestionVerdict::Accepted.as_str())
        .bind(ms(Duration::days(30)))
        .fetch_one(self.pool())
        .await?;
        let offers_30d = self
            .count_events(id, EventKind::Offer, ms(Duration::days(30)), None)
            .await?
            + desk_offers;
        Ok(Signals {
            contacts_7d: contacts,
            waivers_12m,
            open_complaints,
            offers_30d,
        })
    }

    /// Events of `kind` since `since_ms`, optionally only with this outcome (a
    /// waiver event without an outcome counts as applied).
    async fn count_events(
        &self,
        id: CustomerId,
        kind: EventKind,
        since_ms: i64,
        outcome: Option<&str>,
    ) -> StoreResult<i64> {
        let outcome_filter = if outcome.is_some() {
            " AND (outcome = $4 OR (outcome IS NULL AND kind = 'waiver'))"
        } else {
            ""
        };
        let sql = format!(
            "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND kind = $2 AND at_ms >= $3{outcome_filter}"
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql)
            .bind(id.0)
            .bind(kind.as_str())
            .bind(since_ms);
        if let Some(outcome) = outcome {
            query = query.bind(outcome);
        }
        Ok(query.fetch_one(self.pool()).await?)
    }
}
