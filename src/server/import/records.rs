//! The import's record layouts, one per kind, read from a row of named text
//! fields (a CSV line under its header, or a JSON Lines object) and checked
//! as the API checks what desks send: a bad field rejects its row with the
//! field's name and why, never the file.

use crate::domain::{phone, text, Channel, Currency, EventKind, FeeKind, Money, Segment};
use chrono::NaiveDate;

/// One input row: its fields by name, as text.
#[derive(Debug, Default)]
pub struct Row {
    fields: Vec<(String, String)>,
}

impl Row {
    pub fn new(fields: Vec<(String, String)>) -> Row {
        Row { fields }
    }

    /// The field's text, trimmed; `None` when absent or empty.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn required(&self, name: &str) -> Result<&str, Rejected> {
        self.get(name)
            .ok_or_else(|| Rejected::new(name, format!("{name} is missing")))
    }
}

/// Why a row was not imported: the field at fault and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub field: String,
    pub why: String,
}

impl Rejected {
    pub fn new(field: &str, why: impl Into<String>) -> Rejected {
        Rejected {
            field: field.to_string(),
            why: why.into(),
        }
    }
}

/// A customer as the source system has it.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    pub source_id: String,
    pub name: String,
    /// `None`: the source's id, prefixed, stands for it.
    pub account_number: Option<String>,
    /// E.164, normalised as lookup normalises.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub segment: Segment,
    pub lifetime_value: Money,
    pub customer_since: NaiveDate,
    pub churn_risk: f64,
    pub language: String,
    pub time_zone: String,
    /// The channels the customer agreed to be offered things on.
    pub marketing_channels: Vec<Channel>,
    pub balance: Money,
}

/// A timeline event (a call, an order, a bill, a life event …).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub source_id: String,
    /// The source's id of the customer it belongs to.
    pub customer: String,
    pub at_ms: i64,
    pub channel: Channel,
    pub kind: EventKind,
    pub topic: Option<String>,
    pub summary: String,
    pub detail: Option<String>,
    pub agent: Option<String>,
    pub outcome: Option<String>,
    pub amount: Option<Money>,
}

/// A fee charged, with what is still owed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeeRecord {
    pub source_id: String,
    pub customer: String,
    pub kind: FeeKind,
    pub charged_at_ms: i64,
    pub amount: Money,
    pub outstanding: Money,
}

/// Longest text a free-text field may hold.
const MAX_TEXT: usize = 4_000;
/// Most phones, and most e-mail addresses, of one customer.
pub const MAX_CONTACTS: usize = 10;
/// Longest id, name or code.
const MAX_SHORT: usize = 200;

/// A customer from `row`; national numbers are read with calling code `cc`.
pub fn customer(row: &Row, cc: &str, today: NaiveDate) -> Result<CustomerRecord, Rejected> {
    let currency = currency(row)?;
    for field in ["phones", "emails"] {
        if list(row, field).count() > MAX_CONTACTS {
            return Err(Rejected::new(
                field,
                format!("at most {MAX_CONTACTS} {field}"),
            ));
        }
    }
    let phones = list(row, "phones")
        .map(|p| {
            phone::to_e164(p, cc).map_err(|e| match e {
                phone::PhoneError::BadLength(_) => Rejected::new(
                    "phones",
                    format!("phone \"{}\" has too few or too many digits", clip(p)),
                ),
                phone::PhoneError::BadCharacter(_) => Rejected::new(
                    "phones",
                    format!(
                        "phone \"{}\" has characters that are not part of a number",
                        clip(p)
                    ),
                ),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let emails = list(row, "emails")
        .map(|e| match text::is_plausible_email(e) {
            true => Ok(e.to_string()),
            false => Err(Rejected::new(
                "emails",
                format!("\"{}\" is not an e-mail address", clip(e)),
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let segment = match row.get("segment") {
        None => Segment::Standard,
        Some(s) => Segment::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
            Rejected::new(
                "segment",
                format!(
                    "unknown segment \"{}\" (premier, gold, silver or standard)",
                    clip(s)
                ),
            )
        })?,
    };
    let churn_risk = match row.get("churn_risk") {
        None => 0.0,
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|r| (0.0..=1.0).contains(r))
            .ok_or_else(|| {
                Rejected::new(
                    "churn_risk",
                    format!("churn_risk \"{}\" is not a number from 0 to 1", clip(v)),
                )
            })?,
    };
    let time_zone = row.get("time_zone").unwrap_or("UTC");
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Rejected::new(
            "time_zone",
            format!(
                "unknown time zone \"{}\" (an IANA name, e.g. America/New_York)",
                clip(time_zone)
            ),
        ));
    }
    let language = row.get("language").unwrap_or("en");
    if !(2..=8).contains(&language.len())
        || !language
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-')
    {
        return Err(Rejected::new(
            "language",
            format!(
                "language \"{}\" is not a language code (en, es, pt-BR)",
                clip(language)
            ),
        ));
    }
    let marketing_channels = list(row, "marketing_channels")
        .map(|c| channel_named("marketing_channels", c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CustomerRecord {
        source_id: id(row, "source_id")?,
        name: short_text(row, "name")?,
        account_number: row
            .get("account_number")
            .map(|_| id(row, "account_number"))
            .transpose()?,
        phones,
        emails,
        segment,
        lifetime_value: money(row, "lifetime_value_minor", currency)?
            .unwrap_or(Money::new(0, currency)),
        customer_since: match row.get("customer_since") {
            None => today,
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                Rejected::new(
                    "customer_since",
                    format!("customer_since \"{}\" is not a date (YYYY-MM-DD)", clip(d)),
                )
            })?,
        },
        churn_risk,
        language: language.to_string(),
        time_zone: time_zone.to_string(),
        marketing_channels,
        balance: money(row, "balance_minor", currency)?.unwrap_or(Money::new(0, currency)),
    })
}

/// A timeline event from `row`.
pub fn event(row: &Row) -> Result<EventRecord, Rejected> {
    let kind = row.required("kind")?;
    let kind = EventKind::parse(kind)
        .ok_or_else(|| Rejected::new("kind", format!("unknown event kind \"{}\"", clip(kind))))?;
    let amount = match row.get("amount_minor") {
        None => None,
        Some(_) => money(row, "amount_minor", currency(row)?)?,
    };
    Ok(EventRecord {
        source_id: id(row, "source_id")?,
        customer: id(row, "customer_id")?,
        at_ms: time(row, "at")?,
        channel: channel_named("channel", row.required("channel")?)?,
        kind,
        topic: optional_text(row, "topic", MAX_SHORT)?,
        summary: long_text(row, "summary")?,
        detail: optional_text(row, "detail", MAX_TEXT)?,
        agent: optional_text(row, "agent", MAX_SHORT)?,
        outcome: optional_text(row, "outcome", MAX_SHORT)?,
        amount,
    })
}

/// A fee from `row`.
pub fn fee(row: &Row) -> Result<FeeRecord, Rejected> {
    let kind = row.required("kind")?;
    let kind = FeeKind::parse(kind)
        .ok_or_else(|| Rejected::new("kind", format!("unknown fee kind \"{}\"", clip(kind))))?;
    let currency = currency(row)?;
    let amount = money(row, "amount_minor", currency)?
        .ok_or_else(|| Rejected::new("amount_minor", "amount_minor is missing"))?;
    if amount.minor_units <= 0 {
        return Err(Rejected::new(
            "amount_minor",
            "amount_minor must be above 0",
        ));
    }
    let outstanding = money(row, "outstanding_minor", currency)?.unwrap_or(amount);
    if outstanding.minor_units < 0 || outstanding.minor_units > amount.minor_units {
        return Err(Rejected::new(
            "outstanding_minor",
            "outstanding_minor must be from 0 to amount_minor",
        ));
    }
    Ok(FeeRecord {
        source_id: id(row, "source_id")?,
        customer: id(row, "customer_id")?,
        kind,
        charged_at_ms: time(row, "charged_at")?,
        amount,
        outstanding,
    })
}

/// A value quoted back in a report: at most 40 characters, control
/// characters shown as `?` (the report goes to terminals).
pub(super) fn clip(s: &str) -> String {
    let shown: String = s
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    crate::domain::text::clip(&shown, 40)
}

/// `;`-separated items of a field (none when absent).
fn list<'r>(row: &'r Row, name: &str) -> impl Iterator<Item = &'r str> {
    row.get(name)
        .into_iter()
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

pub(super) fn id(row: &Row, name: &str) -> Result<String, Rejected> {
    let v = row.required(name)?;
    if v.len() > MAX_SHORT || v.chars().any(char::is_control) {
        return Err(Rejected::new(
            name,
            format!("{name} must be at most {MAX_SHORT} characters, none a control character"),
        ));
    }
    Ok(v.to_string())
}

pub(super) fn short_text(row: &Row, name: &str) -> Result<String, Rejected> {
    let v = row.required(name)?;
    checked_text(name, v, MAX_SHORT)
}

fn long_text(row: &Row, name: &str) -> Result<String, Rejected> {
    let v = row.required(name)?;
    checked_text(name, v, MAX_TEXT)
}

pub(super) fn optional_text(row: &Row, name: &str, max: usize) -> Result<Option<String>, Rejected> {
    row.get(name)
        .map(|v| checked_text(name, v, max))
        .transpose()
}

fn checked_text(name: &str, v: &str, max: usize) -> Result<String, Rejected> {
    if v.chars().count() > max {
        return Err(Rejected::new(
            name,
            format!("{name} is longer than {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Rejected::new(
            name,
            format!("{name} holds a control character"),
        ));
    }
    Ok(v.to_string())
}

pub(super) fn currency(row: &Row) -> Result<Currency, Rejected> {
    match row.get("currency") {
        None => Ok(Currency::USD),
        Some(c) => Currency::parse(&c.to_ascii_uppercase())
            .ok_or_else(|| Rejected::new("currency", format!("unknown currency \"{}\"", clip(c)))),
    }
}

/// Integer minor units in `currency`; `None` when absent.
pub(super) fn money(row: &Row, name: &str, currency: Currency) -> Result<Option<Money>, Rejected> {
    row.get(name)
        .map(|v| {
            v.parse::<i64>()
                .map(|minor| Money::new(minor, currency))
                .map_err(|_| {
                    Rejected::new(
                        name,
                        format!(
                            "{name} \"{}\" is not a whole number of minor units",
                            clip(v)
                        ),
                    )
                })
        })
        .transpose()
}

/// A UTC instant in RFC 3339, as epoch milliseconds.
fn time(row: &Row, name: &str) -> Result<i64, Rejected> {
    let v = row.required(name)?;
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            Rejected::new(
                name,
                format!(
                    "{name} \"{}\" is not a time (RFC 3339, e.g. 2026-03-01T14:05:00Z)",
                    clip(v)
                ),
            )
        })
}

fn channel_named(field: &str, name: &str) -> Result<Channel, Rejected> {
    Channel::parse(&name.to_ascii_lowercase())
        .ok_or_else(|| Rejected::new(field, format!("unknown channel \"{}\"", clip(name))))
}
