//! The decision funnel, counted from the decision log: per action, how often
//! it was eligible, suppressed (by which kind of rule), shown, and how the
//! shown ones were answered, with the acceptance per day.

use super::db::{col, Store, StoreResult};
use crate::api::{Difference, Funnel, FunnelQuery, FunnelRow, Lift, Rate, RuleCount};
use crate::domain::{ActionCode, ActionKind, Currency, Money, SuggestionVerdict};
use crate::server::decide::catalog::Catalog;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::BTreeMap;

/// The longest period the per-day series covers.
const MAX_DAYS: i64 = 60;
const DAY_MS: i64 = 86_400_000;

#[derive(Default)]
struct Counts {
    eligible: i64,
    suppressed: BTreeMap<String, i64>,
    shown: i64,
    verdicts: BTreeMap<String, i64>,
    value: BTreeMap<String, i64>,
    /// day number -> (accepted, answers)
    days: BTreeMap<i64, (i64, i64)>,
}

impl Store {
    pub async fn funnel(
        &self,
        q: &FunnelQuery,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> StoreResult<Funnel> {
        let to = q.to.unwrap_or(now);
        let from = q.from.unwrap_or(to - Duration::days(30));
        let (from_ms, to_ms) = (from.timestamp_millis(), to.timestamp_millis());
        let segment = q.segment.map(|s| s.as_str().to_string());
        // Both filters are optional: `$3 IS NULL OR …` keeps one statement.
        let scope = "d.at_ms >= $1 AND d.at_ms <= $2 AND ($3 IS NULL OR d.segment = $3)";
        let decisions: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM decisions d WHERE {scope}"))
                .bind(from_ms)
                .bind(to_ms)
                .bind(segment.as_deref())
                .fetch_one(self.pool())
                .await?;
        let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
        let items = sqlx::query(&format!(
            "SELECT i.action, i.status, i.rule_kind, COUNT(*) AS n FROM decision_items i \
             JOIN decisions d ON d.id = i.decision_id WHERE {scope} AND ($4 IS NULL OR i.action = $4) \
             GROUP BY i.action, i.status, i.rule_kind"
        ))
        .bind(from_ms)
        .bind(to_ms)
        .bind(segment.as_deref())
        .bind(q.action.as_deref())
        .fetch_all(self.pool())
        .await?;
        for r in &items {
            let c = counts
                .entry(canonical(catalog, &col::<String>(r, "action")?))
                .or_default();
            let n: i64 = col(r, "n")?;
            c.eligible += n;
            match col::<String>(r, "status")?.as_str() {
                "shown" => c.shown += n,
                _ => {
                    let rule: Option<String> = col(r, "rule_kind")?;
                    *c.suppressed
                        .entry(rule.unwrap_or_else(|| "other".into()))
                        .or_default() += n;
                }
            }
        }
        let outcomes = sqlx::query(&format!(
            "SELECT o.action, o.verdict, i.currency, d.at_ms / {DAY_MS} AS day, COUNT(*) AS n, \
             CAST(SUM(i.value_minor) AS BIGINT) AS value FROM suggestion_outcomes o \
             JOIN decisions d ON d.id = o.decision_id \
             LEFT JOIN decision_items i ON i.decision_id = o.decision_id AND i.action = o.action \
             WHERE {scope} AND ($4 IS NULL OR o.action = $4) \
             GROUP BY o.action, o.verdict, i.currency, d.at_ms / {DAY_MS}"
        ))
        .bind(from_ms)
        .bind(to_ms)
        .bind(segment.as_deref())
        .bind(q.action.as_deref())
        .fetch_all(self.pool())
        .await?;
        for r in &outcomes {
            let c = counts
                .entry(canonical(catalog, &col::<String>(r, "action")?))
                .or_default();
            let verdict: String = col(r, "verdict")?;
            let n: i64 = col(r, "n")?;
            *c.verdicts.entry(verdict.clone()).or_default() += n;
            let day: i64 = col(r, "day")?;
            let accepted = verdict == SuggestionVerdict::Accepted.as_str();
            let answered = accepted
                || verdict == SuggestionVerdict::Declined.as_str()
                || verdict == SuggestionVerdict::Ignored.as_str();
            if answered {
                let d = c.days.entry(day).or_default();
                d.0 += if accepted { n } else { 0 };
                d.1 += n;
            }
            if accepted {
                if let (Some(currency), Some(value)) = (
                    col::<Option<String>>(r, "currency")?,
                    col::<Option<i64>>(r, "value")?,
                ) {
                    *c.value.entry(currency).or_default() += value;
                }
            }
        }
        let first_day = (from_ms.max(to_ms - MAX_DAYS * DAY_MS)) / DAY_MS;
        let last_day = to_ms / DAY_MS;
        let days: Vec<NaiveDate> = (first_day..=last_day)
            .filter_map(|d| DateTime::from_timestamp_millis(d * DAY_MS).map(|t| t.date_naive()))
            .collect();
        let actions = catalog
            .actions
            .iter()
            .filter(|a| {
                q.action
                    .as_deref()
                    .is_none_or(|code| a.code == code || a.aliases.iter().any(|x| x == code))
            })
            .map(|a| {
                let c = counts.remove(&a.code).unwrap_or_default();
                row(a.code.as_str(), &a.name, a.kind, c, first_day..=last_day)
            })
            .collect();
        let lift = self.lift(from_ms, to_ms, segment.as_deref()).await?;
        Ok(Funnel {
            from,
            to,
            segment: q.segment,
            decisions,
            days,
            actions,
            lift,
        })
    }

    /// Learning against the control group: acceptance of what was shown,
    /// and the value accepted per decision (minor units of every currency
    /// counted at par), each with the difference's 95% interval.
    async fn lift(&self, from_ms: i64, to_ms: i64, segment: Option<&str>) -> StoreResult<Lift> {
        let scope = "d.at_ms >= $1 AND d.at_ms <= $2 AND ($3 IS NULL OR d.segment = $3)";
        let per_decision = sqlx::query(&format!(
            "SELECT d.id, d.control, \
             CAST(SUM(CASE WHEN o.verdict = 'accepted' THEN 1 ELSE 0 END) AS BIGINT) AS accepted, \
             CAST(SUM(CASE WHEN o.verdict IN ('accepted', 'declined', 'ignored') THEN 1 ELSE 0 END) AS BIGINT) AS answered, \
             CAST(SUM(CASE WHEN o.verdict = 'accepted' THEN i.value_minor ELSE 0 END) AS BIGINT) AS value \
             FROM decisions d \
             LEFT JOIN suggestion_outcomes o ON o.decision_id = d.id \
             LEFT JOIN decision_items i ON i.decision_id = o.decision_id AND i.action = o.action \
             WHERE {scope} GROUP BY d.id, d.control"
        ))
        .bind(from_ms)
        .bind(to_ms)
        .bind(segment)
        .fetch_all(self.pool())
        .await?;
        let mut arms = [Arm::default(), Arm::default()];
        for r in &per_decision {
            let control: i64 = col(r, "control")?;
            let arm = &mut arms[usize::from(control != 0)];
            arm.decisions += 1;
            arm.accepted += col::<Option<i64>>(r, "accepted")?.unwrap_or(0);
            arm.answered += col::<Option<i64>>(r, "answered")?.unwrap_or(0);
            arm.values
                .push(col::<Option<i64>>(r, "value")?.unwrap_or(0) as f64);
        }
        let [learned, control] = arms;
        Ok(Lift {
            learned_decisions: learned.decisions,
            control_decisions: control.decisions,
            acceptance: Difference::of_rates(
                (learned.accepted, learned.answered),
                (control.accepted, control.answered),
            ),
            value_per_decision: Difference::of_means(&learned.values, &control.values),
        })
    }
}

/// One arm of the lift: decisions, answers, and each decision's value.
#[derive(Default)]
struct Arm {
    decisions: i64,
    accepted: i64,
    answered: i64,
    values: Vec<f64>,
}

/// An action's code as the catalog names it now (an alias becomes its code).
fn canonical(catalog: &Catalog, code: &str) -> String {
    catalog
        .action(code)
        .map_or_else(|| code.to_string(), |a| a.code.clone())
}

fn row(
    code: &str,
    name: &str,
    kind: ActionKind,
    c: Counts,
    days: std::ops::RangeInclusive<i64>,
) -> FunnelRow {
    let v = |verdict: SuggestionVerdict| c.verdicts.get(verdict.as_str()).copied().unwrap_or(0);
    let (accepted, declined, ignored) = (
        v(SuggestionVerdict::Accepted),
        v(SuggestionVerdict::Declined),
        v(SuggestionVerdict::Ignored),
    );
    let mut suppressed_by: Vec<RuleCount> = c
        .suppressed
        .iter()
        .map(|(rule, count)| RuleCount {
            rule: rule.clone(),
            count: *count,
        })
        .collect();
    suppressed_by.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
    FunnelRow {
        action: ActionCode::new(code),
        name: name.to_string(),
        kind,
        eligible: c.eligible,
        suppressed: c.suppressed.values().sum(),
        suppressed_by,
        shown: c.shown,
        accepted,
        declined,
        ignored,
        not_offered: v(SuggestionVerdict::NotOffered),
        acceptance: Rate::wilson(accepted, accepted + declined + ignored),
        value_accepted: c
            .value
            .iter()
            .filter_map(|(currency, minor)| Some(Money::new(*minor, Currency::parse(currency)?)))
            .collect(),
        per_day: days
            .map(|d| {
                c.days
                    .get(&d)
                    .and_then(|(a, n)| (*n > 0).then(|| *a as f64 / *n as f64))
            })
            .collect(),
    }
}
