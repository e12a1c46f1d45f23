//! The account-level facts of a business customer: what the store reads of
//! the organisation a contact calls for (or that the customer is), and the
//! signals the account actions are written over: overdue invoices and how
//! late, whether payments are slipping, how many people at the company got
//! in touch lately, complaints and technical cases across the account,
//! curt contacts flagged at wrap-up, late-payment charges still owed, the
//! renewal, and whether the key-account manager is free. Pure.

use crate::domain::{AgentState, Customer, CustomerId, Fee, FeeKind, Invoice, Tier};
use chrono::{DateTime, NaiveDate, Utc};

/// What the store reads of the account for a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountHistory {
    pub organisation: CustomerId,
    pub tier: Tier,
    pub lifetime_value_minor: i64,
    pub renewal_on: NaiveDate,
    /// The unpaid invoices and those paid in the last year, as the
    /// account shows them.
    pub invoices: Vec<Invoice>,
    /// Distinct people (not the organisation) with a contact or complaint
    /// on the account in the last 30 days.
    pub contacts_30d: i64,
    /// Complaints, and events on a `technical…` topic, across the account
    /// in the last 90 days.
    pub complaints_90d: i64,
    pub technical_90d: i64,
    /// Contacts on the account whose tone the agent flagged at wrap-up in
    /// the last 90 days.
    pub tone_flags_90d: i64,
}

/// The signals of an account now, for one contact (or the organisation).
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    pub tier: Tier,
    pub value_minor: i64,
    pub overdue_invoices: usize,
    pub overdue_minor: i64,
    /// Days the oldest overdue invoice is past due (0: none).
    pub days_overdue: i64,
    /// `None` with fewer than six settled invoices.
    pub payment_delay_trend: Option<f64>,
    pub contacts_30d: i64,
    pub complaints_90d: i64,
    pub technical_90d: i64,
    pub renewal_in_days: i64,
    pub tone_flags_90d: i64,
    /// The newest late-payment charge still owed with no waiver waiting, in
    /// minor units (0: none), and how many wait for a supervisor.
    pub charge_minor: i64,
    pub charges_pending: usize,
    /// `None` when the account has no manager (or `customer` is the
    /// organisation itself).
    pub kam_available: Option<bool>,
}

/// The signals of `account` for `customer` now.
pub fn signals(account: &AccountHistory, customer: &Customer, now: DateTime<Utc>) -> Signals {
    let today = now.date_naive();
    let overdue: Vec<&Invoice> = account
        .invoices
        .iter()
        .filter(|i| i.is_overdue(today))
        .collect();
    // The manager of the organisation this contact calls for, as the
    // server saw the floor when it read the profile.
    let manager = customer
        .acts_for
        .iter()
        .find(|a| a.organisation_id == account.organisation)
        .and_then(|a| a.key_account_manager.as_ref());
    let late_charges = charges(account, customer)
        .iter()
        .filter(|f| f.kind == FeeKind::LatePayment);
    let (pending, open): (Vec<&Fee>, Vec<&Fee>) = late_charges.partition(|f| f.waiver_pending);
    Signals {
        tier: account.tier,
        value_minor: account.lifetime_value_minor,
        overdue_invoices: overdue.len(),
        overdue_minor: overdue.iter().map(|i| i.amount.minor_units).sum(),
        days_overdue: overdue
            .iter()
            .filter_map(|i| i.days_late(today))
            .max()
            .unwrap_or(0),
        payment_delay_trend: delay_trend(&account.invoices),
        contacts_30d: account.contacts_30d,
        complaints_90d: account.complaints_90d,
        technical_90d: account.technical_90d,
        renewal_in_days: (account.renewal_on - today).num_days(),
        tone_flags_90d: account.tone_flags_90d,
        charge_minor: open
            .iter()
            .max_by_key(|f| f.charged_at)
            .map_or(0, |f| f.outstanding.minor_units),
        charges_pending: pending.len(),
        kam_available: manager.map(|m| m.state == Some(AgentState::Available)),
    }
}

/// The account's outstanding charges as `customer` sees them: its own
/// fees when it is the organisation, else those of the organisation it
/// calls for.
fn charges<'a>(account: &AccountHistory, customer: &'a Customer) -> &'a [Fee] {
    if customer.id == account.organisation {
        return &customer.outstanding_fees;
    }
    customer
        .acts_for
        .iter()
        .find(|a| a.organisation_id == account.organisation)
        .map_or(&[], |a| &a.charges)
}

/// Mean days late of the last three settled invoices (by due date) less
/// that of the three before them, in whole days; `None` with fewer than six
/// settled.
fn delay_trend(invoices: &[Invoice]) -> Option<f64> {
    let mut settled: Vec<(NaiveDate, NaiveDate)> = invoices
        .iter()
        .filter_map(|i| i.paid_on.map(|paid| (i.due_on, paid)))
        .collect();
    settled.sort();
    let late: Vec<f64> = settled
        .iter()
        .map(|(due, paid)| (*paid - *due).num_days().max(0) as f64)
        .collect();
    if late.len() < 6 {
        return None;
    }
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let n = late.len();
    Some((mean(&late[n - 3..]) - mean(&late[n - 6..n - 3])).round())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, Money};

    #[test]
    fn slipping_payments_show_as_a_rising_trend() {
        let due = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).expect("date");
        // Listed newest first, as the account lists them.
        let invoice = |(day, late): (u32, i64)| Invoice {
            id: 1,
            number: String::new(),
            issued_on: due(1),
            due_on: due(day),
            paid_on: Some(due(day) + chrono::Duration::days(late)),
            amount: Money::new(100, Currency::USD),
            late_fee: None,
        };
        let slipping: Vec<_> = [(6, 20), (5, 15), (4, 10), (3, 4), (2, 2), (1, 0)]
            .into_iter()
            .map(invoice)
            .collect();
        assert_eq!(delay_trend(&slipping), Some(13.0));
        let steady: Vec<_> = (1..=6).map(|day| invoice((day, 3))).collect();
        assert_eq!(delay_trend(&steady), Some(0.0));
        assert_eq!(delay_trend(&slipping[..5]), None);
    }
}
