//! A simulated population for the decision service: customers whose chance
//! of accepting each action is hidden from the server and depends on who
//! they are (segment, churn risk, tenure), and which changes partway through
//! a run (two actions swap appeal). Pure: the driver in `sim::decisions`
//! plays it against a server.

use crate::domain::{Channel, Customer, Segment};
use chrono::NaiveDate;

/// What the hidden appeal depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub segment: Segment,
    pub churn_risk: f64,
    pub tenure_years: f64,
    /// The channels they agreed to marketing on.
    pub marketing_channels: Vec<Channel>,
}

impl Person {
    pub fn of(customer: &Customer, today: NaiveDate) -> Person {
        Person {
            segment: customer.segment,
            churn_risk: customer.churn_risk,
            tenure_years: (today - customer.customer_since).num_days().max(0) as f64 / 365.25,
            marketing_channels: customer.marketing_channels.clone(),
        }
    }
}

/// The pairs of actions whose appeal swaps when behaviour changes: one in
/// the shipped catalog, one in the choice world.
pub const SWAPPED: [(&str, &str); 2] = [
    ("plan_upgrade", "loyalty_reward"),
    ("offer_discount", "offer_add_on"),
];

/// The hidden chance that `person` accepts `action`; after the change each
/// pair of [`SWAPPED`] actions trade places.
pub fn appeal(action: &str, person: &Person, changed: bool) -> f64 {
    let swapped = SWAPPED.iter().find_map(|(a, b)| match action {
        x if x == *a => Some(*b),
        x if x == *b => Some(*a),
        _ => None,
    });
    let action = match (changed, swapped) {
        (true, Some(other)) => other,
        _ => action,
    };
    let valued = matches!(person.segment, Segment::Premier | Segment::Gold);
    let churn = person.churn_risk;
    let long = person.tenure_years >= 6.0;
    let p = match action {
        // Service: mostly welcome, as the priors say.
        "waive_late_fee" => 0.85,
        "waive_overdraft_fee" => 0.8,
        "payment_plan" => 0.3,
        "set_up_autopay" if person.tenure_years < 3.0 => 0.55,
        "set_up_autopay" => 0.15,
        "update_contact_details" => 0.9,
        // Escalation helps the valuable and the angry, and annoys the rest.
        "escalate" if valued || churn >= 0.6 => 0.6,
        "escalate" => 0.08,
        "senior_handoff" => 0.75,
        // Retention: the priors overrate a blanket offer to low-value
        // customers and underrate the loyalty discount.
        "retention_offer" if valued => 0.55,
        "retention_offer" => 0.1,
        "retention_loyalty_discount" => 0.5,
        "retention_second_chance" => 0.35,
        // Sales: upgrades sell to long-standing valuable customers, rewards
        // barely at all; after the change the reverse.
        "plan_upgrade" if valued && long => 0.45,
        "plan_upgrade" => 0.2,
        "add_on" if churn < 0.2 => 0.3,
        "add_on" => 0.05,
        "loyalty_reward" => 0.08,
        // Care: pleasant, rarely "accepted" as the priors expect.
        "thank_long_tenure" => 0.3,
        "birthday" | "new_baby" | "marriage" | "graduation" | "promotion" => 0.4,
        // Recovery.
        "apology_credit" => 0.7,
        "specialist_callback" if churn >= 0.4 => 0.7,
        "specialist_callback" => 0.25,
        "check_repeat_topic" => 0.5,
        "hold_offers_fix_first" => 0.6,
        // The choice world (src/sim/choice_actions.toml): every offer suits
        // someone, and the priors (all 0.3) know nothing of whom.
        "offer_upgrade" if valued && long => 0.55,
        "offer_upgrade" if valued => 0.25,
        "offer_upgrade" => 0.04,
        "offer_loyalty" if long && churn < 0.35 => 0.5,
        "offer_loyalty" => 0.06,
        "offer_bundle" if person.segment == Segment::Premier => 0.6,
        "offer_bundle" if person.segment == Segment::Silver => 0.2,
        "offer_bundle" => 0.05,
        "offer_discount" if churn >= 0.6 => 0.7,
        "offer_discount" if churn >= 0.35 => 0.35,
        "offer_discount" => 0.04,
        "offer_add_on" if person.tenure_years < 3.0 => 0.5,
        "offer_add_on" => 0.1,
        "offer_callback" if churn >= 0.35 => 0.5,
        "offer_callback" => 0.08,
        "offer_autopay" if !valued => 0.6,
        "offer_autopay" => 0.1,
        "offer_apology" => 0.3,
        _ => 0.2,
    };
    f64::clamp(p, 0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(segment: Segment, churn: f64, years: f64) -> Person {
        Person {
            segment,
            churn_risk: churn,
            tenure_years: years,
            marketing_channels: Channel::CONTACT.to_vec(),
        }
    }

    #[test]
    fn appeal_depends_on_who_and_the_swap_trades_two_actions() {
        let gold = person(Segment::Gold, 0.1, 8.0);
        let standard = person(Segment::Standard, 0.1, 8.0);
        assert!(appeal("escalate", &gold, false) > appeal("escalate", &standard, false));
        let before = appeal("plan_upgrade", &gold, false);
        assert_eq!(appeal("loyalty_reward", &gold, true), before);
        assert_eq!(
            appeal("plan_upgrade", &gold, true),
            appeal("loyalty_reward", &gold, false)
        );
        assert_eq!(
            appeal("escalate", &gold, true),
            appeal("escalate", &gold, false)
        );
    }
}
