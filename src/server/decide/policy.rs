//! Contact policies, enforced for every decision: consent for the group's
//! purpose on the contact's channel, frequency caps per group, suppression after responses (declined
//! twice, or shown without acceptance), and quiet hours for outbound
//! contacts in the customer's time zone. Each returns the rule that stopped
//! an action, in words.

use super::catalog::{Action, Catalog, Rule};
use super::facts::{Contact, History};
use crate::domain::{Customer, EventKind, SuggestionVerdict};
use chrono::{DateTime, Duration, Utc};

/// Why a policy stops `action` now, if one does.
pub fn stops(
    catalog: &Catalog,
    action: &Action,
    customer: &Customer,
    contact: &Contact,
    history: &History,
    now: DateTime<Utc>,
) -> Option<String> {
    let group = catalog.group(action);
    if group.consent.as_deref() == Some("marketing") && !contact.marketing_consent(customer) {
        return Some(match customer.marketing_channels.is_empty() {
            true => "consent: no marketing consent".to_string(),
            false => format!("consent: no marketing consent by {}", contact.channel),
        });
    }
    if let Some(cap) = group.cap {
        let since = now - Duration::days(i64::from(cap.days));
        let in_group = |code: &str| {
            catalog
                .action(code)
                .is_some_and(|a| catalog.group(a).name == group.name)
        };
        let offered = history
            .responses
            .iter()
            .filter(|r| r.at >= since && in_group(&r.action))
            .filter(|r| {
                matches!(
                    r.verdict,
                    SuggestionVerdict::Accepted | SuggestionVerdict::Declined
                )
            })
            .count()
            + history
                .events
                .iter()
                .filter(|e| e.kind == EventKind::Offer && e.at >= since)
                .filter(|e| e.topic.as_deref() == Some(group.name.as_str()))
                .count();
        if offered >= cap.times as usize {
            return Some(format!(
                "cap: {} {} offer(s) in {} days",
                cap.times, group.name, cap.days
            ));
        }
    }
    if group.limited {
        if let Some(rule) = suppressed(catalog, action, history, now) {
            return Some(rule);
        }
    }
    if action.outbound {
        if let Some((from, to)) = catalog.quiet_hours {
            let zone: chrono_tz::Tz = customer.time_zone.parse().unwrap_or(chrono_tz::UTC);
            let local = now.with_timezone(&zone).time();
            let quiet = if from <= to {
                local >= from && local < to
            } else {
                local >= from || local < to
            };
            if quiet {
                return Some(format!(
                    "quiet hours: {}-{} their time",
                    from.format("%H:%M"),
                    to.format("%H:%M")
                ));
            }
        }
    }
    None
}

/// Suppression after responses: declined too often, or shown too often
/// without being accepted.
fn suppressed(
    catalog: &Catalog,
    action: &Action,
    history: &History,
    now: DateTime<Utc>,
) -> Option<String> {
    let mine = |code: &str| catalog.action(code).is_some_and(|a| a.code == action.code);
    let declines: Vec<DateTime<Utc>> = history
        .responses
        .iter()
        .filter(|r| mine(&r.action) && r.verdict == SuggestionVerdict::Declined)
        .map(|r| r.at)
        .collect();
    if let Some(until) = suppressed_until(&declines, catalog.suppression.declined, now) {
        let Rule {
            times, within_days, ..
        } = catalog.suppression.declined;
        return Some(format!(
            "suppressed: declined {times} times in {within_days} days (until {})",
            until.format("%Y-%m-%d")
        ));
    }
    let accepted = history
        .responses
        .iter()
        .filter(|r| mine(&r.action) && r.verdict == SuggestionVerdict::Accepted)
        .map(|r| r.at)
        .max();
    let unanswered: Vec<DateTime<Utc>> = history
        .shown
        .iter()
        .filter(|s| mine(&s.action) && accepted.is_none_or(|a| s.at > a))
        .map(|s| s.at)
        .collect();
    if let Some(until) = suppressed_until(&unanswered, catalog.suppression.ignored, now) {
        let Rule {
            times, within_days, ..
        } = catalog.suppression.ignored;
        return Some(format!(
            "suppressed: shown {times} times in {within_days} days without acceptance (until {})",
            until.format("%Y-%m-%d")
        ));
    }
    None
}

/// When suppression by `rule` ends, if it holds now: `times` of `at` within
/// any `within_days`, the suppression running from the last of them.
fn suppressed_until(at: &[DateTime<Utc>], rule: Rule, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if rule.times == 0 {
        return None;
    }
    let mut sorted: Vec<DateTime<Utc>> = at.to_vec();
    sorted.sort();
    let times = rule.times as usize;
    let window = Duration::days(i64::from(rule.within_days));
    let suppress = Duration::days(i64::from(rule.suppress_days));
    sorted
        .windows(times)
        .filter(|w| w[times - 1] - w[0] <= window)
        .map(|w| w[times - 1] + suppress)
        .filter(|until| *until > now)
        .max()
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
