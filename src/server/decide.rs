//! Next best actions, first version: readable rules over the customer's profile
//! and recent history. Each suggestion says why it is shown. Marketing actions
//! respect consent and a contact-frequency cap; service actions are not limited.

use super::store::Signals;
use crate::domain::{Customer, FeeKind, Money, SuggestedAction, Suggestion};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// Contacts within 7 days that call for an escalation.
const REPEAT_CONTACTS: i64 = 3;
/// Churn risk from which a retention offer is worth making.
const CHURN_THRESHOLD: f64 = 0.6;
/// At most this many marketing offers per customer in 30 days.
const OFFERS_PER_30_DAYS: i64 = 1;
/// Tenure needed before a late fee is waived as goodwill.
const WAIVER_MIN_TENURE_DAYS: i64 = 183;

/// The ranked suggestions for `customer` now, best first.
pub fn suggest(customer: &Customer, signals: &Signals, now: DateTime<Utc>) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = [
        waive_late_fee(customer, signals, now),
        escalate(customer, signals),
        retention_offer(customer, signals),
        senior_handoff(customer, signals),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

fn suggestion(
    action: SuggestedAction,
    title: String,
    reasons: Vec<String>,
    score: f64,
    value: Option<Money>,
    parameters: BTreeMap<String, String>,
) -> Suggestion {
    Suggestion {
        action,
        title,
        reasons,
        // Three decimals: enough to rank, and stable to read.
        score: (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
        value,
        parameters,
    }
}

/// A bonus for valuable customers, so their service actions rank higher.
fn segment_weight(customer: &Customer) -> f64 {
    match customer.segment {
        crate::domain::Segment::Premier => 0.15,
        crate::domain::Segment::Gold => 0.1,
        crate::domain::Segment::Silver => 0.05,
        crate::domain::Segment::Standard => 0.0,
    }
}

fn waive_late_fee(
    customer: &Customer,
    signals: &Signals,
    now: DateTime<Utc>,
) -> Option<Suggestion> {
    let fee = customer
        .outstanding_fees
        .iter()
        .filter(|f| f.kind == FeeKind::LatePayment)
        .max_by_key(|f| f.charged_at)?;
    if signals.waivers_12m > 0 {
        return None;
    }
    let tenure = now.date_naive() - customer.customer_since;
    if tenure < Duration::days(WAIVER_MIN_TENURE_DAYS) {
        return None;
    }
    let days_ago = (now - fee.charged_at).num_days().max(0);
    let reasons = vec![
        format!(
            "Late payment fee of {} charged {days_ago} days ago is outstanding",
            fee.outstanding
        ),
        "No fee waived in the last 12 months".to_string(),
        format!(
            "Customer for {} ({})",
            tenure_words(tenure.num_days()),
            customer.segment.as_str()
        ),
    ];
    let parameters = BTreeMap::from([
        ("fee_id".to_string(), fee.id.to_string()),
        (
            "amount_minor".to_string(),
            fee.outstanding.minor_units.to_string(),
        ),
        ("currency".to_string(), fee.outstanding.currency.to_string()),
    ]);
    Some(suggestion(
        SuggestedAction::WaiveFee,
        "Waive the late fee".to_string(),
        reasons,
        0.6 + segment_weight(customer),
        Some(fee.outstanding),
        parameters,
    ))
}

fn escalate(customer: &Customer, signals: &Signals) -> Option<Suggestion> {
    let mut reasons = Vec::new();
    let mut score: f64 = 0.0;
    let contacts: i64 = signals.contacts_7d.iter().map(|(_, n)| n).sum();
    if contacts >= REPEAT_CONTACTS {
        let about = match signals.contacts_7d.first() {
            Some((Some(topic), n)) if *n * 2 > contacts => format!(", most about {topic}"),
            _ => String::new(),
        };
        reasons.push(format!("{contacts} contacts in 7 days{about}"));
        score = 0.7;
    }
    if signals.open_complaints > 0 && customer.segment.is_top() {
        reasons.push(format!(
            "Open complaint from a {} customer",
            customer.segment.as_str()
        ));
        score = score.max(0.75);
    }
    if reasons.is_empty() {
        return None;
    }
    Some(suggestion(
        SuggestedAction::Escalate,
        "Escalate to tier 2".to_string(),
        reasons,
        score + segment_weight(customer),
        None,
        BTreeMap::from([("target_code".to_string(), "tier2".to_string())]),
    ))
}

fn retention_offer(customer: &Customer, signals: &Signals) -> Option<Suggestion> {
    let action = SuggestedAction::RetentionOffer;
    if customer.churn_risk < CHURN_THRESHOLD
        || (action.is_marketing() && !customer.marketing_consent)
        || signals.offers_30d >= OFFERS_PER_30_DAYS
    {
        return None;
    }
    // Money stays integral: the risk as basis points, then integer arithmetic.
    let risk_bp = (customer.churn_risk.clamp(0.0, 1.0) * 10_000.0).round() as i128;
    let at_risk = Money::new(
        i64::try_from(i128::from(customer.lifetime_value.minor_units) * risk_bp / 10_000)
            .unwrap_or(i64::MAX),
        customer.lifetime_value.currency,
    );
    Some(suggestion(
        action,
        "Make a retention offer".to_string(),
        vec![
            format!("Churn risk {:.0}%", customer.churn_risk * 100.0),
            format!("Lifetime value {}", customer.lifetime_value),
            "Marketing consent given; no offer in the last 30 days".to_string(),
        ],
        0.4 + customer.churn_risk * 0.3,
        Some(at_risk),
        BTreeMap::new(),
    ))
}

fn senior_handoff(customer: &Customer, signals: &Signals) -> Option<Suggestion> {
    if !(customer.segment.is_top() && signals.open_complaints > 0) {
        return None;
    }
    let complaints = match signals.open_complaints {
        1 => "An open complaint".to_string(),
        n => format!("{n} open complaints"),
    };
    Some(suggestion(
        SuggestedAction::SeniorHandoff,
        "Hand to a senior agent".to_string(),
        vec![
            format!("{} customer", capitalise(customer.segment.as_str())),
            complaints,
        ],
        0.85 + segment_weight(customer),
        Some(customer.lifetime_value),
        BTreeMap::from([("target_code".to_string(), "senior".to_string())]),
    ))
}

fn tenure_words(days: i64) -> String {
    match days / 365 {
        0 => format!("{} months", days / 30),
        1 => "1 year".to_string(),
        years => format!("{years} years"),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, CustomerId, Fee, FeeId, Segment};
    use chrono::NaiveDate;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("valid time")
    }

    fn customer() -> Customer {
        let usd = |m| Money::new(m, Currency::USD);
        Customer {
            id: CustomerId(1),
            name: "Test".into(),
            phones: vec![],
            emails: vec![],
            account_number: "AC1".into(),
            segment: Segment::Gold,
            lifetime_value: usd(1_000_000),
            customer_since: NaiveDate::from_ymd_opt(2018, 1, 1).expect("date"),
            churn_risk: 0.2,
            language: "en".into(),
            time_zone: "UTC".into(),
            marketing_consent: true,
            balance: usd(3500),
            outstanding_fees: vec![Fee {
                id: FeeId(7),
                kind: FeeKind::LatePayment,
                charged_at: now() - Duration::days(10),
                amount: usd(3500),
                outstanding: usd(3500),
                waiver_pending: false,
            }],
        }
    }

    fn actions(list: &[Suggestion]) -> Vec<SuggestedAction> {
        list.iter().map(|s| s.action).collect()
    }

    #[test]
    fn late_fee_waiver_needs_tenure_and_no_recent_waiver() {
        let c = customer();
        let list = suggest(&c, &Signals::default(), now());
        assert_eq!(actions(&list), [SuggestedAction::WaiveFee]);
        assert_eq!(list[0].parameters["fee_id"], "7");
        assert!(
            list[0].reasons[0].contains("$35.00"),
            "{:?}",
            list[0].reasons
        );
        let waived = Signals {
            waivers_12m: 1,
            ..Signals::default()
        };
        assert!(suggest(&c, &waived, now()).is_empty());
        let new = Customer {
            customer_since: (now() - Duration::days(90)).date_naive(),
            ..c
        };
        assert!(suggest(&new, &Signals::default(), now()).is_empty());
    }

    #[test]
    fn repeat_contacts_suggest_escalation_with_the_topic() {
        let c = Customer {
            outstanding_fees: vec![],
            ..customer()
        };
        let s = Signals {
            contacts_7d: vec![(Some("billing".into()), 3)],
            ..Signals::default()
        };
        let list = suggest(&c, &s, now());
        assert_eq!(actions(&list), [SuggestedAction::Escalate]);
        assert_eq!(
            list[0].reasons,
            ["3 contacts in 7 days, most about billing"]
        );
        let two = Signals {
            contacts_7d: vec![(None, 2)],
            ..Signals::default()
        };
        assert!(suggest(&c, &two, now()).is_empty());
    }

    #[test]
    fn retention_offers_need_consent_and_respect_the_cap() {
        let c = Customer {
            outstanding_fees: vec![],
            churn_risk: 0.7,
            ..customer()
        };
        assert_eq!(
            actions(&suggest(&c, &Signals::default(), now())),
            [SuggestedAction::RetentionOffer]
        );
        let no_consent = Customer {
            marketing_consent: false,
            ..c.clone()
        };
        assert!(suggest(&no_consent, &Signals::default(), now()).is_empty());
        let capped = Signals {
            offers_30d: 1,
            ..Signals::default()
        };
        assert!(suggest(&c, &capped, now()).is_empty());
    }

    #[test]
    fn top_segment_complaints_go_to_a_senior_agent_first() {
        let c = Customer {
            outstanding_fees: vec![],
            segment: Segment::Premier,
            ..customer()
        };
        let s = Signals {
            open_complaints: 1,
            ..Signals::default()
        };
        let list = suggest(&c, &s, now());
        assert_eq!(
            actions(&list),
            [SuggestedAction::SeniorHandoff, SuggestedAction::Escalate]
        );
        assert!(list[1].reasons[0].contains("premier"));
        let gold = Customer {
            segment: Segment::Gold,
            ..c
        };
        assert!(suggest(&gold, &s, now()).is_empty());
    }
}
