//! The confirm step's words: what a write will do, in sentences an agent
//! reads at a glance (names, not codes), and, a key away, the exact request
//! as it goes on the wire.

use super::model::{Field, Form, FEES, SUGGESTIONS};
use crate::api::{NewEscalation, NewFeeWaiver, NewInteraction, Write};
use crate::domain::{Customer, InteractionOutcome, Money, Priority, RefData};

/// What the write will do, one sentence a line (notes and summaries keep
/// their own line breaks).
pub fn sentences(
    write: &Write,
    form: &Form,
    refdata: &RefData,
    customer: &Customer,
) -> Vec<String> {
    match write {
        Write::Interaction(w) => interaction(w, form, refdata, customer),
        Write::Escalation(w) => escalation(w, refdata, customer),
        Write::FeeWaiver(w) => waiver(w, form, refdata, customer),
        Write::Decision(d) => vec![format!(
            "{} {} {}.",
            d.decision.decision.label(),
            d.kind.label().to_lowercase(),
            d.id
        )],
        Write::NewCustomer(w) => vec![match &w.name {
            Some(name) => format!("New customer {name}, on {}.", w.phone),
            None => format!("A record of the number {} alone.", w.phone),
        }],
        Write::AddPhone(w) => vec![format!("Add {} to {}.", w.phone.phone, customer.name)],
    }
}

/// Exactly what will be sent, one field a line (`name: value`, nested values
/// as compact JSON).
pub fn wire(write: &Write) -> Vec<String> {
    let body = write
        .content_json()
        .and_then(|b| serde_json::from_slice(&b));
    let Ok(serde_json::Value::Object(fields)) = body else {
        return vec![];
    };
    fields
        .iter()
        .map(|(name, value)| match value {
            serde_json::Value::String(s) => format!("{name}: {s}"),
            other => format!("{name}: {other}"),
        })
        .collect()
}

fn interaction(
    w: &NewInteraction,
    form: &Form,
    refdata: &RefData,
    customer: &Customer,
) -> Vec<String> {
    let disposition = refdata
        .dispositions
        .iter()
        .find(|d| d.code == w.disposition_code)
        .map_or(w.disposition_code.clone(), |d| {
            format!("{} › {}", d.category, d.label)
        });
    let outcome = InteractionOutcome::parse(w.outcome.as_str()).map_or("", |o| o.label());
    let calling_for = form
        .account
        .as_ref()
        .map(|a| format!(" for {}", a.name))
        .unwrap_or_default();
    let mut out = vec![format!(
        "Log a {} contact with {}{calling_for}: {disposition}, {}.",
        w.channel.label().to_lowercase(),
        customer.name,
        outcome.to_lowercase()
    )];
    if w.tone_flagged {
        out.push("Tone flagged: curt or unhappy (the account team sees it).".to_string());
    }
    if !w.notes.is_empty() {
        out.push(format!("Notes: {}", w.notes));
    }
    if !w.tags.is_empty() {
        out.push(format!("Tags: {}.", w.tags.join(", ")));
    }
    if let Some(at) = w.follow_up_at {
        let zone: chrono_tz::Tz = customer.time_zone.parse().unwrap_or(chrono_tz::UTC);
        out.push(format!(
            "Follow up on {} their time ({}).",
            at.with_timezone(&zone).format("%a %-d %b at %H:%M"),
            customer.time_zone
        ));
    }
    let verdicts = match form.field(SUGGESTIONS) {
        Some(Field::Verdicts(v)) => Some(v),
        _ => None,
    };
    for outcome in &w.suggestion_outcomes {
        let row = verdicts.and_then(|v| v.row_of(outcome));
        let title = row.map_or(outcome.action.as_str(), |r| r.title.as_str());
        let mark = row.map_or("", |r| r.mark());
        out.push(format!(
            "Suggestion \"{title}\"{mark}: {}.",
            outcome.verdict.label().to_lowercase()
        ));
    }
    out
}

fn escalation(w: &NewEscalation, refdata: &RefData, customer: &Customer) -> Vec<String> {
    let target = refdata
        .escalation_targets
        .iter()
        .find(|t| t.code == w.target_code)
        .map_or(w.target_code.as_str(), |t| t.label.as_str());
    let reason = refdata
        .escalation_reasons
        .iter()
        .find(|r| r.code == w.reason_code)
        .map_or(w.reason_code.as_str(), |r| r.label.as_str());
    let priority = Priority::parse(w.priority.as_str()).map_or("", |p| p.label());
    vec![
        format!(
            "Escalate {} to {target}, {} priority, because: {}.",
            customer.name,
            priority.to_lowercase(),
            reason.to_lowercase()
        ),
        format!("Summary: {}", w.summary),
    ]
}

fn waiver(w: &NewFeeWaiver, form: &Form, refdata: &RefData, customer: &Customer) -> Vec<String> {
    let lines = match form.field(FEES) {
        Some(Field::Fees(picker)) => picker.lines.as_slice(),
        _ => &[],
    };
    let whose = form.account.as_ref().map_or(&customer.name, |a| &a.name);
    // An account's charges say whose they are: the caller is not the payer.
    let to = form
        .account
        .as_ref()
        .map(|a| format!(" to {}", a.name))
        .unwrap_or_default();
    let mut out: Vec<String> = w
        .fees
        .iter()
        .map(|item| {
            let fee = lines
                .iter()
                .map(|line| &line.fee)
                .find(|f| f.id == item.fee_id);
            match fee {
                Some(f) => format!(
                    "Waive {} of the {} charged {}{to}.",
                    item.amount,
                    f.kind.label().to_lowercase(),
                    f.charged_at.format("%-d %b %Y")
                ),
                None => format!("Waive {} of a fee.", item.amount),
            }
        })
        .collect();
    if let Some(total) = Money::sum(w.fees.iter().map(|f| f.amount)).filter(|_| w.fees.len() > 1) {
        out.push(format!("In all {total} for {whose}."));
    }
    let reason = refdata
        .waiver_reasons
        .iter()
        .find(|r| r.code == w.reason_code)
        .map_or(w.reason_code.as_str(), |r| r.label.as_str());
    out.push(format!("Reason: {reason}."));
    if !w.note.is_empty() {
        out.push(format!("Note: {}", w.note));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::forms::tests::{customer, refdata};

    #[test]
    fn the_confirm_step_reads_as_sentences_with_names_not_codes() {
        let (refdata, customer) = (refdata(), customer());
        let now = chrono::Utc::now();
        let form = Form::log(customer.id, &refdata, &[], None, &[], now);
        let write = Write::Interaction(NewInteraction {
            customer_id: customer.id,
            channel: crate::domain::Channel::Voice,
            disposition_code: "billing.late_fee".into(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: "told her about autopay".into(),
            suggestion_outcomes: vec![],
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        });
        let said = sentences(&write, &form, &refdata, &customer);
        assert_eq!(
            said,
            [
                "Log a voice contact with Maria Gonzalez: Billing › Late fee explained, resolved.",
                "Notes: told her about autopay"
            ]
        );
        assert!(!said.join(" ").contains("billing.late_fee"));
        assert!(!said.join(" ").contains("null"));
        assert!(wire(&write).contains(&"disposition_code: billing.late_fee".to_string()));
    }

    #[test]
    fn a_waiver_names_each_fee_and_the_reason() {
        let (refdata, customer) = (refdata(), customer());
        let fee = &customer.outstanding_fees[0];
        let write = Write::FeeWaiver(NewFeeWaiver {
            customer_id: customer.id,
            fees: vec![crate::api::WaiverItem {
                fee_id: fee.id,
                amount: fee.outstanding,
            }],
            reason_code: "goodwill".into(),
            note: String::new(),
        });
        let form = Form::waive(&customer, None, &refdata, None, chrono::Utc::now());
        let said = sentences(&write, &form, &refdata, &customer);
        assert!(
            said[0].starts_with("Waive $35.00 of the late payment fee charged"),
            "{said:?}"
        );
        assert_eq!(said[1], "Reason: Goodwill gesture.");
    }
}
