//! The account overlay of a business customer: who looks after the account,
//! its terms and renewal, overdue invoices with days late and their
//! charges, orders not yet delivered (late ones marked in words), rebates,
//! and the people who call for it with their roles.

use super::super::state::AppState;
use super::super::theme::Theme;
use super::block;
use crate::domain::{OrderStatus, Organisation};
use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// A line of the overlay: a heading, or a row under one.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Heading(String),
    Item(String),
    Warning(String),
}

/// What the overlay says of `org` on `today`, top to bottom.
pub fn account_rows(org: &Organisation, today: NaiveDate, sep: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let manager = org
        .key_account_manager
        .as_ref()
        .map_or("no account manager".to_string(), |m| {
            format!("KAM {}", m.name)
        });
    rows.push(Row::Item(format!(
        "{}{sep}{}{sep}{}{sep}{}",
        org.tier.label(),
        manager,
        org.industry,
        org.size_band
    )));
    rows.push(Row::Item(format!(
        "revenue {} a year{sep}margin {}.{}%{sep}lifetime {}",
        org.annual_revenue,
        org.margin_bp / 100,
        org.margin_bp % 100 / 10,
        org.lifetime_value
    )));
    let renewal_in = (org.renewal_on - today).num_days();
    rows.push(Row::Item(format!(
        "terms {} days{sep}credit limit {}{sep}renews {} (in {renewal_in} days)",
        org.payment_terms_days, org.credit_limit, org.renewal_on
    )));
    let overdue: Vec<_> = org
        .invoices
        .iter()
        .filter(|i| i.is_overdue(today))
        .collect();
    rows.push(Row::Heading(format!(
        "Overdue invoices ({})",
        overdue.len()
    )));
    if overdue.is_empty() {
        rows.push(Row::Item("none".into()));
    }
    for i in overdue {
        let days = i.days_late(today).unwrap_or(0);
        let charge = match i.late_fee {
            Some(_) => " · late-payment charge",
            None => "",
        };
        rows.push(Row::Warning(format!(
            "{} {} due {}: {} late{charge}",
            i.number,
            i.amount,
            i.due_on,
            days_words(days)
        )));
    }
    let open: Vec<_> = org
        .orders
        .iter()
        .filter(|o| o.status != OrderStatus::Delivered)
        .collect();
    rows.push(Row::Heading(format!(
        "Orders not yet delivered ({})",
        open.len()
    )));
    if open.is_empty() {
        rows.push(Row::Item("none".into()));
    }
    for o in open {
        let late = (today - o.promised_on).num_days();
        let what = format!("{} {}{sep}{}", o.number, o.description, o.status.label());
        rows.push(if late > 0 {
            Row::Warning(format!(
                "{what}, {} late{sep}{}",
                days_words(late),
                o.amount
            ))
        } else {
            Row::Item(format!("{what}{sep}{}{sep}due {}", o.amount, o.promised_on))
        });
    }
    if !org.rebates.is_empty() {
        rows.push(Row::Heading("Rebates".into()));
        for r in &org.rebates {
            rows.push(Row::Item(format!(
                "{} {} due {}",
                r.description, r.amount, r.due_on
            )));
        }
    }
    rows.push(Row::Heading(format!("Contacts ({})", org.contacts.len())));
    for c in &org.contacts {
        let authority = c
            .authority
            .map_or(String::new(), |a| format!(" (up to {a})"));
        rows.push(Row::Item(format!(
            "{}{sep}{}{authority}",
            c.name,
            c.role.label()
        )));
    }
    rows
}

fn days_words(n: i64) -> String {
    match n {
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, scroll: usize) {
    let Some(org) = state
        .customer
        .as_ref()
        .and_then(|v| v.organisation.as_ref())
    else {
        return;
    };
    let title = format!("{} {} (esc closes)", org.name, org.account_number);
    let b = block(state, theme, &title, true);
    let inner = b.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(b, area);
    let sep = format!(" {} ", state.glyphs.separator);
    let today = state.now.date_naive();
    let width = inner.width as usize;
    let rows = account_rows(org, today, &sep);
    let first = scroll.min(rows.len().saturating_sub(inner.height as usize));
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(inner.height as usize)
        .map(|row| {
            let (text, style) = match row {
                Row::Heading(t) => (t, "help.key"),
                Row::Item(t) => (format!(" {t}"), "header.value"),
                Row::Warning(t) => (format!(" ! {t}"), "warning"),
            };
            Line::from(Span::styled(
                state.glyphs.fit(&text, width),
                theme.style(style),
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        ContactRole, Currency, CustomerId, FeeId, Invoice, Money, Order, OrganisationContact, Tier,
    };

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    #[test]
    fn overdue_invoices_and_late_orders_are_said_in_words() {
        let usd = |m| Money::new(m, Currency::USD);
        let invoice = |n: &str, due, paid| Invoice {
            id: 1,
            number: n.into(),
            issued_on: day(1),
            due_on: day(due),
            paid_on: paid,
            amount: usd(100_000),
            late_fee: (n == "A").then_some(FeeId(9)),
        };
        let order = |n: &str, promised| Order {
            id: 1,
            number: n.into(),
            description: "Seals".into(),
            placed_on: day(1),
            promised_on: day(promised),
            delivered_on: None,
            status: OrderStatus::Open,
            amount: usd(5_000),
        };
        let org = Organisation {
            id: CustomerId(1),
            name: "Harbor".into(),
            account_number: "H1".into(),
            industry: "Distribution".into(),
            size_band: "50-249".into(),
            address: "Dock 1".into(),
            tier: Tier::KeyAccount,
            key_account_manager: None,
            annual_revenue: usd(1_000_000),
            margin_bp: 1_850,
            lifetime_value: usd(5_000_000),
            payment_terms_days: 30,
            credit_limit: usd(100_000),
            renewal_on: day(30),
            contacts: vec![OrganisationContact {
                contact_id: CustomerId(2),
                name: "Helen".into(),
                role: ContactRole::Finance,
                authority: None,
            }],
            invoices: vec![
                invoice("A", 10, None),
                invoice("B", 10, Some(day(12))),
                invoice("C", 28, None),
            ],
            orders: vec![order("O1", 25), order("O2", 29)],
            rebates: vec![],
        };
        let rows = account_rows(&org, day(26), " · ");
        let warnings: Vec<&str> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Warning(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            warnings,
            [
                "A $1,000.00 due 2026-11-10: 16 days late · late-payment charge",
                "O1 Seals · Open, 1 day late · $50.00",
            ]
        );
        assert!(rows.contains(&Row::Heading("Overdue invoices (1)".into())));
        assert!(rows.contains(&Row::Item(
            "O2 Seals · Open · $50.00 · due 2026-11-29".into()
        )));
        assert!(rows
            .iter()
            .any(|r| matches!(r, Row::Item(t) if t.contains("margin 18.5%"))));
    }
}
