//! The decision service: for one customer and one contact, every action in
//! the catalog is eligible or not (its conditions over the facts), allowed
//! or not (the contact policies), and ranked by priority = propensity x
//! context weight x value x lever; the best are shown, at most one of an
//! exclusive group. Every step says why in words, and the whole decision is
//! kept so outcomes can be joined to it. Pure: the store reads the history,
//! the route stores the decision.

pub mod account;
pub mod catalog;
pub mod condition;
pub mod evaluate;
pub mod expr;
pub mod facts;
pub mod learn;
pub mod policy;
pub mod present;
pub mod rank;
#[cfg(test)]
mod testkit;
pub mod words;

use crate::domain::{Customer, DecisionId, Money};
use catalog::Catalog;
use chrono::{DateTime, Utc};
use facts::{Contact, Facts, History};
use rank::Scorer;

/// What became of one action in a decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Shown at this place (0 first).
    Shown(usize),
    /// Eligible, but a policy (or the ranking) kept it back.
    Suppressed(String),
    /// Its conditions do not hold.
    Ineligible(String),
}

/// One action's part in a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index into the catalog's actions.
    pub action: usize,
    pub status: Status,
    /// The propensity the ranking used.
    pub propensity: f64,
    /// For a shown item, the policy's chance of showing it, for honest
    /// evaluation: 1/N by geometric resampling (`rank`), so 1/chance is
    /// unbiased; 0 for an item not shown.
    pub show_probability: f64,
    pub value: Option<Money>,
    pub priority: f64,
    pub reasons: Vec<String>,
}

/// Everything decided for one contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: DecisionId,
    pub at: DateTime<Utc>,
    /// Ranked by the catalog's priors alone (the control group).
    pub control: bool,
    pub facts: Facts,
    pub items: Vec<Item>,
}

impl Decision {
    /// What was shown, in order.
    pub fn shown(&self) -> Vec<&Item> {
        let mut shown: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| matches!(i.status, Status::Shown(_)))
            .collect();
        shown.sort_by_key(|i| match i.status {
            Status::Shown(place) => place,
            _ => usize::MAX,
        });
        shown
    }
}

/// Who and what a decision is for: the customer, their recent past, the
/// contact, and the facts computed from them.
pub struct Case<'a> {
    pub customer: &'a Customer,
    pub history: &'a History,
    pub contact: &'a Contact,
    pub facts: Facts,
}

impl<'a> Case<'a> {
    pub fn new(
        customer: &'a Customer,
        history: &'a History,
        contact: &'a Contact,
        now: DateTime<Utc>,
    ) -> Case<'a> {
        Case {
            customer,
            history,
            contact,
            facts: facts::compute(customer, history, contact, now),
        }
    }
}

/// Decides for the case now.
pub fn decide(
    catalog: &Catalog,
    case: Case<'_>,
    scorer: &mut Scorer,
    id: DecisionId,
    now: DateTime<Utc>,
) -> Decision {
    let Case {
        customer,
        history,
        contact,
        facts,
    } = case;
    let mut items = Vec::with_capacity(catalog.actions.len());
    let mut candidates = Vec::new();
    for (index, action) in catalog.actions.iter().enumerate() {
        let item = |status: Status| Item {
            action: index,
            status,
            propensity: 0.0,
            show_probability: 0.0,
            value: None,
            priority: 0.0,
            reasons: vec![],
        };
        if let Some(why) = eligibility(action, &facts) {
            items.push(item(Status::Ineligible(why)));
            continue;
        }
        let value = action
            .value
            .eval(&facts)
            .filter(|v| *v >= 0.0)
            .map(|v| Money::new(v.round() as i64, customer.balance.currency));
        let Some(value) = value else {
            let why = "not eligible: its value cannot be worked out for them".to_string();
            items.push(item(Status::Ineligible(why)));
            continue;
        };
        let mut it = item(Status::Suppressed(String::new()));
        it.value = Some(value);
        it.reasons = words::reasons(action, &facts, customer.balance.currency);
        match policy::stops(catalog, action, customer, contact, history, now) {
            Some(rule) => {
                it.status = Status::Suppressed(rule);
                items.push(it);
            }
            None => candidates.push(it),
        }
    }
    let control = scorer.control();
    let ranked = rank::rank(catalog, contact, &mut candidates, scorer, control);
    items.extend(ranked);
    Decision {
        id,
        at: now,
        control,
        facts,
        items,
    }
}

/// A new decision's id: the time in milliseconds and 16 random bits, so ids
/// from any server are unique and sort by time.
pub fn new_id(now: DateTime<Utc>) -> DecisionId {
    let random = u64::from(rand::random::<u16>());
    let ms = now.timestamp_millis().max(0) as u64;
    DecisionId(((ms << 16) | random) as i64)
}

/// `None` when the action's conditions hold; else the first that does not,
/// in words.
pub fn eligibility(action: &catalog::Action, facts: &Facts) -> Option<String> {
    if let Some(why) = action.when.iter().find_map(|c| c.why_not(facts)) {
        return Some(format!("not eligible: {why}"));
    }
    if !action.when_any.is_empty() && !action.when_any.iter().any(|c| c.holds(facts)) {
        let options: Vec<String> = action.when_any.iter().map(|c| c.words()).collect();
        return Some(format!("not eligible: needs one of {}", options.join("; ")));
    }
    None
}

#[cfg(test)]
#[path = "trigger_tests.rs"]
mod trigger_tests;
