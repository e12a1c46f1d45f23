//! The business layouts: an organisation's account (its tier and terms, on
//! a customer of the same source who becomes an organisation), a contact's
//! role at one (both customers of the same source), and an account's
//! invoices and orders (each keyed by the account and its own number). Checked as
//! the other layouts are: a bad field rejects its row, never the file.

use super::records::{clip, currency, id, money, optional_text, short_text, Rejected, Row};
use crate::domain::{ContactRole, Money, Order, OrderStatus, Tier};
use crate::server::store::NewInvoice;
use chrono::NaiveDate;

/// Longest industry, size band or address.
const MAX_ACCOUNT_TEXT: usize = 200;

/// An organisation's account. Amounts are minor units of the currency its
/// customer row was imported in.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationRecord {
    /// The source's id of the organisation's customer row.
    pub source_id: String,
    pub tier: Tier,
    pub industry: String,
    pub size_band: String,
    pub address: String,
    pub annual_revenue_minor: i64,
    /// Margin in basis points (0 to 10,000).
    pub margin_bp: i64,
    pub payment_terms_days: i64,
    pub credit_limit_minor: i64,
    pub renewal_on: NaiveDate,
    /// The name of the agent who looks after it (an agent already added).
    pub key_account_manager: Option<String>,
}

/// A contact's role at an organisation, with what it may commit it to.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleRecord {
    /// The source's ids of the person and of the organisation.
    pub contact: String,
    pub organisation: String,
    pub role: ContactRole,
    /// Minor units of the organisation's currency; `None`: no authority.
    pub authority_minor: Option<i64>,
}

/// An organisation's account from `row`.
pub fn organisation(row: &Row) -> Result<OrganisationRecord, Rejected> {
    let tier = row.required("tier")?;
    let tier = Tier::parse(&tier.to_ascii_lowercase()).ok_or_else(|| {
        Rejected::new(
            "tier",
            format!(
                "unknown tier \"{}\" (key_account, managed or standard)",
                clip(tier)
            ),
        )
    })?;
    let renewal_on = date(row, "renewal_on")?.ok_or_else(|| missing("renewal_on"))?;
    let text = |name| optional_text(row, name, MAX_ACCOUNT_TEXT).map(Option::unwrap_or_default);
    Ok(OrganisationRecord {
        source_id: id(row, "source_id")?,
        tier,
        industry: text("industry")?,
        size_band: text("size_band")?,
        address: text("address")?,
        annual_revenue_minor: whole(row, "annual_revenue_minor", 0, i64::MAX)?.unwrap_or(0),
        margin_bp: whole(row, "margin_bp", 0, 10_000)?.unwrap_or(0),
        payment_terms_days: whole(row, "payment_terms_days", 0, 365)?.unwrap_or(30),
        credit_limit_minor: whole(row, "credit_limit_minor", 0, i64::MAX)?.unwrap_or(0),
        renewal_on,
        key_account_manager: optional_text(row, "key_account_manager", MAX_ACCOUNT_TEXT)?,
    })
}

/// A contact's role from `row`.
pub fn role(row: &Row) -> Result<RoleRecord, Rejected> {
    let role = row.required("role")?;
    let role = ContactRole::parse(&role.to_ascii_lowercase()).ok_or_else(|| {
        Rejected::new(
            "role",
            format!(
                "unknown role \"{}\" (decision_maker, purchaser, user, finance or technical)",
                clip(role)
            ),
        )
    })?;
    let contact = id(row, "contact_id")?;
    let organisation = id(row, "organisation_id")?;
    if contact == organisation {
        return Err(Rejected::new(
            "organisation_id",
            "a contact cannot act for themselves",
        ));
    }
    Ok(RoleRecord {
        contact,
        organisation,
        role,
        authority_minor: whole(row, "authority_minor", 0, i64::MAX)?,
    })
}

/// An invoice of an account: the organisation's source id, and the invoice
/// as the store loads one (its number, with the organisation, is its key).
#[derive(Debug, Clone)]
pub struct InvoiceRecord {
    pub organisation: String,
    pub invoice: NewInvoice,
}

/// An order an account placed: the organisation's source id, and the order
/// (its id is the store's to give; its number, with the organisation, is its
/// key).
#[derive(Debug, Clone)]
pub struct OrderRecord {
    pub organisation: String,
    pub order: Order,
}

/// An invoice from `row`.
pub fn invoice(row: &Row) -> Result<InvoiceRecord, Rejected> {
    let issued_on = date(row, "issued_on")?.ok_or_else(|| missing("issued_on"))?;
    let due_on = date(row, "due_on")?.ok_or_else(|| missing("due_on"))?;
    if due_on < issued_on {
        return Err(Rejected::new("due_on", "due_on is before issued_on"));
    }
    Ok(InvoiceRecord {
        organisation: id(row, "organisation_id")?,
        invoice: NewInvoice {
            number: id(row, "number")?,
            issued_on,
            due_on,
            paid_on: date(row, "paid_on")?,
            amount: positive(row)?,
            late_charge: None,
        },
    })
}

/// An order from `row`.
pub fn order(row: &Row) -> Result<OrderRecord, Rejected> {
    let status = row.required("status")?;
    let status = OrderStatus::parse(&status.to_ascii_lowercase()).ok_or_else(|| {
        Rejected::new(
            "status",
            format!(
                "unknown status \"{}\" (open, shipped, delayed or delivered)",
                clip(status)
            ),
        )
    })?;
    Ok(OrderRecord {
        organisation: id(row, "organisation_id")?,
        order: Order {
            id: 0,
            number: id(row, "number")?,
            description: short_text(row, "description")?,
            placed_on: date(row, "placed_on")?.ok_or_else(|| missing("placed_on"))?,
            promised_on: date(row, "promised_on")?.ok_or_else(|| missing("promised_on"))?,
            delivered_on: date(row, "delivered_on")?,
            status,
            amount: positive(row)?,
        },
    })
}

fn missing(name: &str) -> Rejected {
    Rejected::new(name, format!("{name} is missing"))
}

/// `amount_minor`, above 0, in the row's `currency`.
fn positive(row: &Row) -> Result<Money, Rejected> {
    let amount =
        money(row, "amount_minor", currency(row)?)?.ok_or_else(|| missing("amount_minor"))?;
    if amount.minor_units <= 0 {
        return Err(Rejected::new(
            "amount_minor",
            "amount_minor must be above 0",
        ));
    }
    Ok(amount)
}

/// A date (YYYY-MM-DD); `None` when absent.
fn date(row: &Row, name: &str) -> Result<Option<NaiveDate>, Rejected> {
    row.get(name)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                Rejected::new(
                    name,
                    format!("{name} \"{}\" is not a date (YYYY-MM-DD)", clip(v)),
                )
            })
        })
        .transpose()
}

/// A whole number from `low` to `high`; `None` when absent.
fn whole(row: &Row, name: &str, low: i64, high: i64) -> Result<Option<i64>, Rejected> {
    row.get(name)
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|n| (low..=high).contains(n))
                .ok_or_else(|| {
                    Rejected::new(
                        name,
                        match high {
                            i64::MAX => format!(
                                "{name} \"{}\" is not a whole number of at least {low}",
                                clip(v)
                            ),
                            _ => format!(
                                "{name} \"{}\" is not a whole number from {low} to {high}",
                                clip(v)
                            ),
                        },
                    )
                })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[(&str, &str)]) -> Row {
        Row::new(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn an_account_needs_a_known_tier_and_a_renewal_date_and_defaults_the_rest() {
        let ok = organisation(&row(&[
            ("source_id", "B-1"),
            ("tier", "Key_Account"),
            ("renewal_on", "2027-03-31"),
        ]))
        .expect("valid");
        assert_eq!(ok.tier, Tier::KeyAccount);
        assert_eq!((ok.payment_terms_days, ok.margin_bp), (30, 0));
        let bad = organisation(&row(&[
            ("source_id", "B-1"),
            ("tier", "gold"),
            ("renewal_on", "2027-03-31"),
        ]))
        .expect_err("tier");
        assert_eq!(bad.field, "tier");
        let bad = organisation(&row(&[
            ("source_id", "B-1"),
            ("tier", "managed"),
            ("renewal_on", "2027-03-31"),
            ("margin_bp", "12000"),
        ]))
        .expect_err("margin");
        assert!(bad.why.contains("from 0 to 10000"), "{}", bad.why);
    }

    #[test]
    fn a_role_names_two_different_customers_and_a_known_role() {
        let ok = role(&row(&[
            ("contact_id", "C-1"),
            ("organisation_id", "B-1"),
            ("role", "purchaser"),
            ("authority_minor", "500000"),
        ]))
        .expect("valid");
        assert_eq!(ok.authority_minor, Some(500_000));
        let same = role(&row(&[
            ("contact_id", "B-1"),
            ("organisation_id", "B-1"),
            ("role", "user"),
        ]))
        .expect_err("self");
        assert_eq!(same.field, "organisation_id");
        let unknown = role(&row(&[
            ("contact_id", "C-1"),
            ("organisation_id", "B-1"),
            ("role", "boss"),
        ]))
        .expect_err("role");
        assert!(unknown.why.contains("unknown role \"boss\""));
    }

    #[test]
    fn invoices_and_orders_need_their_dates_in_order_a_known_status_and_an_amount() {
        let invoice_row = |due: &str, amount: &str| {
            row(&[
                ("organisation_id", "B-1"),
                ("number", "INV-1"),
                ("issued_on", "2026-10-01"),
                ("due_on", due),
                ("amount_minor", amount),
                ("currency", "eur"),
            ])
        };
        let ok = invoice(&invoice_row("2026-10-31", "1200")).expect("valid");
        assert_eq!(
            (
                ok.invoice.amount.minor_units,
                ok.invoice.amount.currency.as_str()
            ),
            (1200, "EUR")
        );
        assert_eq!(
            invoice(&invoice_row("2026-09-30", "1200"))
                .expect_err("order")
                .field,
            "due_on"
        );
        assert_eq!(
            invoice(&invoice_row("2026-10-31", "0"))
                .expect_err("zero")
                .field,
            "amount_minor"
        );
        let shipped = order(&row(&[
            ("organisation_id", "B-1"),
            ("number", "SO-1"),
            ("description", "Pallets"),
            ("placed_on", "2026-11-01"),
            ("promised_on", "2026-11-08"),
            ("status", "lost"),
            ("amount_minor", "500"),
        ]))
        .expect_err("status");
        assert!(
            shipped.why.contains("unknown status \"lost\""),
            "{}",
            shipped.why
        );
    }
}
