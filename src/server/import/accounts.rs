//! The business layouts: an organisation's account (its tier and terms, on
//! a customer of the same source who becomes an organisation) and a
//! contact's role at one (both customers of the same source). Checked as
//! the other layouts are: a bad field rejects its row, never the file.

use super::records::{clip, id, optional_text, Rejected, Row};
use crate::domain::{ContactRole, Tier};
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
    let renewal = row.required("renewal_on")?;
    let renewal_on = NaiveDate::parse_from_str(renewal, "%Y-%m-%d").map_err(|_| {
        Rejected::new(
            "renewal_on",
            format!(
                "renewal_on \"{}\" is not a date (YYYY-MM-DD)",
                clip(renewal)
            ),
        )
    })?;
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
}
