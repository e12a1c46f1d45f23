//! A suggestion's reasons in words: the catalog's templates filled in with
//! the customer's facts ("late fee $35.00 12 days ago · no waiver in 12
//! months · customer 6 years"). A reason about a fact the customer has no
//! value for, or a count of none, is left out.

use super::catalog::{Action, Format, Part};
use super::condition::format_number;
use super::facts::{FactValue, Facts};
use crate::domain::{Currency, Money};

/// The reasons `action` gives for this customer.
pub fn reasons(action: &Action, facts: &Facts, currency: Currency) -> Vec<String> {
    action
        .reasons
        .iter()
        .filter_map(|template| {
            let mut out = String::new();
            for part in &template.parts {
                match part {
                    Part::Text(text) => out.push_str(text),
                    Part::Fact(id, format) => {
                        let value = facts.get(*id)?;
                        if matches!(value, FactValue::Number(n) if *n == 0.0) {
                            return None;
                        }
                        out.push_str(&shown(value, *format, currency));
                    }
                }
            }
            Some(out)
        })
        .collect()
}

fn shown(value: &FactValue, format: Format, currency: Currency) -> String {
    match (value, format) {
        (FactValue::Number(n), Format::Money) => Money::new(n.round() as i64, currency).to_string(),
        (FactValue::Number(n), Format::Percent) => format!("{:.0}%", n * 100.0),
        (FactValue::Number(months), Format::Years) => match *months as i64 {
            m if m < 24 => format!("{m} months"),
            m => format!("{} years", m / 12),
        },
        (FactValue::Number(n), Format::Plain) => format_number(*n),
        (FactValue::Bool(b), _) => b.to_string(),
        (FactValue::Text(t), _) => t.clone(),
    }
}
