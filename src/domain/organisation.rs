//! Business customers. An organisation is a party like a person: it has a
//! customer id, a profile, fees (the late-payment charges on its invoices),
//! events and decisions. The people who call for it are contacts: persons
//! with a role at one or more organisations. What only an account has
//! (tier, key-account manager, terms, invoices, orders, rebates) is here.

use super::timeline::labelled_enum;
use super::{AgentId, AgentState, CustomerId, Fee, FeeId, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// A person, or an organisation that buys from us.
    PartyKind {
        Person => "person", "Person",
        Organisation => "organisation", "Organisation",
    }
);

labelled_enum!(
    /// How an account is looked after, closest first.
    Tier {
        KeyAccount => "key_account", "Key account",
        Managed => "managed", "Managed",
        Standard => "standard", "Standard",
    }
);

labelled_enum!(
    /// What a contact does for the organisation they call for.
    ContactRole {
        DecisionMaker => "decision_maker", "Decision maker",
        Purchaser => "purchaser", "Purchaser",
        User => "user", "User",
        Finance => "finance", "Finance",
        Technical => "technical", "Technical",
    }
);

labelled_enum!(
    /// Where an order stands.
    OrderStatus {
        Open => "open", "Open",
        Shipped => "shipped", "Shipped",
        Delayed => "delayed", "Delayed",
        Delivered => "delivered", "Delivered",
    }
);

/// The agent who looks after a key account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountManager {
    pub agent_id: AgentId,
    pub name: String,
    /// Their state on the floor when the server read this (the desk does
    /// not show it from a saved copy, where it would be stale).
    #[serde(default)]
    pub state: Option<AgentState>,
}

/// An organisation a contact acts for, with their role there: what the
/// header of a business caller shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Affiliation {
    pub organisation_id: CustomerId,
    pub organisation: String,
    pub tier: Tier,
    pub role: ContactRole,
    /// What the role may commit the organisation to (ordering up to this).
    pub authority: Option<Money>,
    pub key_account_manager: Option<AccountManager>,
    /// When this contact last called for this organisation (the chooser
    /// offers it first).
    pub last_chosen: Option<chrono::DateTime<chrono::Utc>>,
    /// The organisation's outstanding charges (late-payment charges on its
    /// invoices): what the contact may ask to have waived.
    #[serde(default)]
    pub charges: Vec<Fee>,
    /// What the organisation buys from us a year: with the tier, it sets an
    /// agent's authority over its charges.
    #[serde(default)]
    pub annual_revenue: Option<Money>,
}

/// A contact at an organisation, as its account page lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrganisationContact {
    pub contact_id: CustomerId,
    pub name: String,
    pub role: ContactRole,
    pub authority: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub amount: Money,
    /// The late-payment charge on it: a fee of the organisation, waived as
    /// any fee is.
    pub late_fee: Option<FeeId>,
}

impl Invoice {
    /// Days past due on `today`, or when it was paid; `None` when not late.
    pub fn days_late(&self, today: NaiveDate) -> Option<i64> {
        let settled = self.paid_on.unwrap_or(today);
        let days = (settled - self.due_on).num_days();
        (days > 0).then_some(days)
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.paid_on.is_none() && self.days_late(today).is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Order {
    pub id: i64,
    pub number: String,
    pub description: String,
    pub placed_on: NaiveDate,
    pub promised_on: NaiveDate,
    pub delivered_on: Option<NaiveDate>,
    pub status: OrderStatus,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rebate {
    pub id: i64,
    pub description: String,
    pub amount: Money,
    pub due_on: NaiveDate,
}

/// What only an account has: the account pane and the account's decisions
/// read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: CustomerId,
    pub name: String,
    pub account_number: String,
    pub industry: String,
    pub size_band: String,
    pub address: String,
    pub tier: Tier,
    pub key_account_manager: Option<AccountManager>,
    /// Revenue with us over the last twelve months.
    pub annual_revenue: Money,
    /// Our margin on it, in basis points (1,850 = 18.5%).
    pub margin_bp: i64,
    pub lifetime_value: Money,
    pub payment_terms_days: i64,
    pub credit_limit: Money,
    pub renewal_on: NaiveDate,
    pub contacts: Vec<OrganisationContact>,
    /// Unpaid invoices and those paid in the last year, newest due first.
    pub invoices: Vec<Invoice>,
    /// Orders not yet delivered and those delivered in the last 90 days,
    /// newest first.
    pub orders: Vec<Order>,
    pub rebates: Vec<Rebate>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn invoice(due: (i32, u32, u32), paid: Option<(i32, u32, u32)>) -> Invoice {
        let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        Invoice {
            id: 1,
            number: "INV-1".into(),
            issued_on: day((2026, 1, 1)),
            due_on: day(due),
            paid_on: paid.map(day),
            amount: Money::new(10_000, Currency::USD),
            late_fee: None,
        }
    }

    #[test]
    fn days_late_counts_to_payment_or_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
        let open = invoice((2026, 3, 1), None);
        assert_eq!(open.days_late(today), Some(30));
        assert!(open.is_overdue(today));
        let paid_late = invoice((2026, 3, 1), Some((2026, 3, 11)));
        assert_eq!(paid_late.days_late(today), Some(10));
        assert!(!paid_late.is_overdue(today));
        let on_time = invoice((2026, 3, 1), Some((2026, 2, 27)));
        assert_eq!(on_time.days_late(today), None);
        let not_due = invoice((2026, 4, 30), None);
        assert!(!not_due.is_overdue(today));
    }
}
