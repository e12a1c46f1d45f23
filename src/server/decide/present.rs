//! A decision as the desk and the log see it: the shown items as
//! [`Suggestion`]s with what acting on them needs (the fee, the target, the
//! disposition), the rest as [`NotShown`] with their rule, and the record
//! the decision log keeps.

use super::catalog::{Action, Catalog};
use super::facts::Contact;
use super::{Decision, Item, Status};
use crate::api::{ActionInfo, NotShown};
use crate::domain::{ActionCode, AgentId, Customer, Suggestion};
use crate::server::store::{DecisionRecord, ItemRecord};
use std::collections::BTreeMap;

/// The shown items, best first.
pub fn suggestions(catalog: &Catalog, decision: &Decision, customer: &Customer) -> Vec<Suggestion> {
    decision
        .shown()
        .into_iter()
        .map(|item| suggestion(&catalog.actions[item.action], item, customer))
        .collect()
}

fn suggestion(action: &Action, item: &Item, customer: &Customer) -> Suggestion {
    let mut parameters = BTreeMap::new();
    if let Some(kind) = action.fee {
        let newest = |fees: &[crate::domain::Fee]| {
            fees.iter()
                .filter(|f| f.kind == kind && !f.waiver_pending)
                .max_by_key(|f| f.charged_at)
                .cloned()
        };
        // The customer's own fee, else one of the account they call for
        // (the organisation they spoke for last, as the decision read it).
        let own = newest(&customer.outstanding_fees);
        let account = customer.affiliation(None).filter(|_| own.is_none());
        let fee = own.or_else(|| account.and_then(|a| newest(&a.charges)));
        if let Some(account) = account.filter(|_| fee.is_some()) {
            parameters.insert(
                "account_id".to_string(),
                account.organisation_id.to_string(),
            );
        }
        if let Some(fee) = fee {
            parameters.insert("fee_id".to_string(), fee.id.to_string());
            parameters.insert(
                "amount_minor".to_string(),
                fee.outstanding.minor_units.to_string(),
            );
            parameters.insert("currency".to_string(), fee.outstanding.currency.to_string());
        }
    }
    if let Some(target) = &action.target {
        parameters.insert("target_code".to_string(), target.clone());
    }
    if let Some(disposition) = &action.disposition {
        parameters.insert("disposition_code".to_string(), disposition.clone());
    }
    Suggestion {
        action: ActionCode::new(&action.code),
        title: action.name.clone(),
        kind: action.kind,
        opens: action.opens,
        reasons: item.reasons.clone(),
        propensity: round3(item.propensity),
        value: item.value,
        value_means: action.value_means.clone(),
        priority: round3(item.priority),
        parameters,
    }
}

/// Every action not shown, with the rule that stopped it (`explain=true`).
pub fn not_shown(catalog: &Catalog, decision: &Decision) -> Vec<NotShown> {
    decision
        .items
        .iter()
        .filter_map(|item| {
            let (eligible, rule) = match &item.status {
                Status::Shown(_) => return None,
                Status::Suppressed(rule) => (true, rule.clone()),
                Status::Ineligible(_) => (false, String::new()),
            };
            let action = &catalog.actions[item.action];
            let (rule, rule_kind) = match &item.status {
                Status::Ineligible(why) => (why.clone(), "not eligible".to_string()),
                _ => (rule.clone(), rule_kind(&rule)),
            };
            Some(NotShown {
                action: ActionCode::new(&action.code),
                name: action.name.clone(),
                eligible,
                rule,
                rule_kind,
                value: item.value,
            })
        })
        .collect()
}

/// What the decision log keeps of a decision: the eligible actions.
pub fn record(
    catalog: &Catalog,
    decision: &Decision,
    customer: &Customer,
    agent: AgentId,
    contact: &Contact,
    cell: String,
) -> DecisionRecord {
    let facts: BTreeMap<&str, serde_json::Value> = decision
        .facts
        .pairs()
        .into_iter()
        .map(|(name, value)| (name, fact_json(value)))
        .collect();
    let items = decision
        .items
        .iter()
        .filter(|i| !matches!(i.status, Status::Ineligible(_)))
        .map(|item| {
            let (shown, position, rule) = match &item.status {
                Status::Shown(p) => (true, Some(*p as i64), None),
                Status::Suppressed(rule) => (false, None, Some(rule.clone())),
                Status::Ineligible(_) => (false, None, None),
            };
            ItemRecord {
                action: catalog.actions[item.action].code.clone(),
                shown,
                position,
                rule_kind: rule.as_deref().map(rule_kind),
                rule,
                propensity: item.propensity,
                show_probability: item.show_probability,
                priority: item.priority,
                value_minor: item.value.map(|v| v.minor_units),
                currency: item.value.map(|v| v.currency.to_string()),
            }
        })
        .collect();
    DecisionRecord {
        id: decision.id,
        customer_id: customer.id,
        agent_id: agent,
        at_ms: decision.at.timestamp_millis(),
        channel: contact.channel.clone(),
        queue: contact.queue.clone(),
        control: decision.control,
        segment: customer.segment.as_str().to_string(),
        facts: serde_json::to_string(&facts).unwrap_or_default(),
        cell,
        items,
    }
}

/// The kind of a suppression rule, for counting: the words before its `:`.
fn rule_kind(rule: &str) -> String {
    let head = rule.split(':').next().unwrap_or(rule);
    match head {
        h if h.starts_with("one ") => "one at a time".to_string(),
        h if h.starts_with("suppressed") && rule.contains("declined") => {
            "suppressed: declined".to_string()
        }
        h if h.starts_with("suppressed") => "suppressed: no answer".to_string(),
        h => h.to_string(),
    }
}

fn fact_json(value: super::facts::FactValue) -> serde_json::Value {
    use super::facts::FactValue;
    match value {
        FactValue::Number(n) => serde_json::json!(n),
        FactValue::Bool(b) => serde_json::json!(b),
        FactValue::Text(t) => serde_json::json!(t),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The catalog in words: `GET /v1/actions`.
pub fn actions(catalog: &Catalog) -> Vec<ActionInfo> {
    catalog
        .actions
        .iter()
        .map(|a| {
            let group = catalog.group(a);
            let mut eligibility: Vec<String> = a.when.iter().map(|c| c.words()).collect();
            if !a.when_any.is_empty() {
                let any: Vec<String> = a.when_any.iter().map(|c| c.words()).collect();
                eligibility.push(format!("any of: {}", any.join("; ")));
            }
            let mut policies = Vec::new();
            if let Some(purpose) = &group.consent {
                policies.push(format!("needs {purpose} consent"));
            }
            if let Some(cap) = group.cap {
                policies.push(format!(
                    "at most {} {} offer(s) in {} days",
                    cap.times, group.name, cap.days
                ));
            }
            if group.exclusive {
                policies.push(format!("one {} action at a time", group.name));
            }
            if group.limited {
                policies.push("suppressed after repeated declines or no answer".to_string());
            }
            if a.outbound {
                policies.push("not in quiet hours".to_string());
            }
            ActionInfo {
                code: ActionCode::new(&a.code),
                name: a.name.clone(),
                kind: a.kind,
                opens: a.opens,
                group: group.name.clone(),
                eligibility,
                value: a.value_text.clone(),
                value_means: a.value_means.clone(),
                prior: a.prior,
                lever: a.lever,
                policies,
            }
        })
        .collect()
}
