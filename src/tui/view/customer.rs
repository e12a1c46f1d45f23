//! The customer workspace: a header with who they are and where they stand, the
//! "last time" line, the unified timeline (newest first, filterable, one event
//! expandable) and the ranked suggestions with their reasons and digit keys.

use super::super::layout;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::super::workspace::model::visible_events;
use super::super::workspace::model::{CustomerView, Focus};
use super::{block, fitted, list_row, suggestions};
use crate::domain::{Affiliation, AgentState, Channel, Customer, EventKind, Tier, TimelineEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(view) = &state.customer else {
        return;
    };
    let areas = layout::customer(area);
    header(state, view, theme, frame, areas.header);
    last_time(state, view, theme, frame, areas.last_time);
    if let Some(form) = state.active_form() {
        let below = areas.timeline.y;
        let rest = Rect::new(
            area.x,
            below,
            area.width,
            (area.y + area.height).saturating_sub(below),
        );
        super::form::draw(state, form, theme, frame, rest);
        return;
    }
    if view.expanded && view.focus == Focus::Suggestions {
        suggestions::expanded(state, view, theme, frame, areas.timeline);
    } else if view.expanded {
        expanded(state, view, theme, frame, areas.timeline);
    } else {
        timeline(state, view, theme, frame, areas.timeline);
    }
    suggestions::panel(state, view, theme, frame, areas.suggestions);
}

/// The customer on a small terminal: who they are and the timeline.
pub fn draw_compact(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(view) = &state.customer else {
        return;
    };
    let (top, rest) = layout::customer_compact(area);
    header(state, view, theme, frame, top);
    timeline(state, view, theme, frame, rest);
}

fn header(state: &AppState, view: &CustomerView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let g = &state.glyphs;
    let width = area.width as usize;
    let Some(c) = &view.profile else {
        // Until the profile is here: the name the desk already knows.
        let name = state
            .recent
            .iter()
            .find(|c| c.id == view.id)
            .map_or(String::new(), |c| c.name.clone());
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(" "),
                fitted(
                    state,
                    &name,
                    width.saturating_sub(2),
                    theme.style("header.name"),
                ),
            ])),
            area,
        );
        return;
    };
    let sep = format!(" {} ", g.separator);
    let first = Line::from(vec![
        Span::raw(" "),
        fitted(
            state,
            &c.name,
            width.saturating_sub(48).clamp(12, 60),
            theme.style("header.name"),
        ),
        Span::styled(
            format!(" [{}]", c.segment.as_str().to_uppercase()),
            theme.style("badge.segment"),
        ),
        Span::styled(
            format!(" {}", c.account_number),
            theme.style("header.value"),
        ),
        Span::styled(
            format!("{sep}since {}", c.customer_since.format("%Y-%m")),
            theme.style("header.label"),
        ),
    ]);
    let fees: i64 = c
        .outstanding_fees
        .iter()
        .map(|f| f.outstanding.minor_units)
        .sum();
    let fee_text = match c.outstanding_fees.len() {
        0 => "no fees due".to_string(),
        n => format!(
            "fees {} ({n})",
            crate::domain::Money::new(fees, c.balance.currency)
        ),
    };
    let balance_style = if c.balance.minor_units > 0 {
        "money.negative"
    } else {
        "money.positive"
    };
    let second = match view.affiliation() {
        // A business caller: who they are to the account, before their own figures.
        Some(a) => {
            // A saved copy's "free" or "busy" is stale: said only when fresh.
            let mut a = a.clone();
            if view.cached_at.is_some() {
                if let Some(manager) = &mut a.key_account_manager {
                    manager.state = None;
                }
            }
            business_line(&a, c.acts_for.len(), &sep, width, state, theme)
        }
        None => Line::from(vec![
            Span::styled(" LTV ", theme.style("header.label")),
            Span::styled(c.lifetime_value.to_string(), theme.style("header.value")),
            Span::styled(format!("{sep}churn "), theme.style("header.label")),
            Span::styled(
                churn_words(c),
                theme.style(if c.churn_risk >= 0.6 {
                    "warning"
                } else {
                    "header.value"
                }),
            ),
            Span::styled(format!("{sep}balance "), theme.style("header.label")),
            Span::styled(c.balance.to_string(), theme.style(balance_style)),
            Span::styled(
                format!("{sep}{fee_text}"),
                theme.style(if fees > 0 { "warning" } else { "muted" }),
            ),
        ]),
    };
    let local = local_time(state, c);
    let consent = marketing_consent(c);
    let contact = [c.phones.first(), c.emails.first()]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(&sep);
    // Why this customer is on screen comes first: it is what the agent checks.
    let context = view
        .context
        .as_ref()
        .map(|ctx| format!("{ctx}{sep}"))
        .unwrap_or_default();
    let third_text = format!(
        " {context}{}{sep}{local}{sep}{consent}{sep}{contact}",
        c.language
    );
    // Data from the local cache says how old it is, at the line's end: when
    // the server's copy replaces it, only the mark is redrawn, not the line.
    let age = view
        .cached_at
        .map(|at| format!(" [saved copy, {}]", age_words(state.now - at)))
        .unwrap_or_default();
    let text = g.fit(&third_text, width.saturating_sub(age.len()));
    let gap = width.saturating_sub(text.width() + age.len());
    let third = Line::from(vec![
        Span::styled(text, theme.style("header.label")),
        Span::raw(" ".repeat(gap)),
        Span::styled(age, theme.style("warning")),
    ]);
    frame.render_widget(
        Paragraph::new(vec![first, second, third]).style(theme.style("header")),
        area,
    );
}

/// A business caller's second header line: their role and authority at the
/// organisation they call for, its tier (in words, not only colour), its
/// key-account manager and whether they are free now, and how many other
/// organisations they act for.
fn business_line<'a>(
    a: &Affiliation,
    organisations: usize,
    sep: &str,
    width: usize,
    state: &AppState,
    theme: &Theme,
) -> Line<'a> {
    let mut text = format!(" {} at {}", a.role.label(), a.organisation);
    if let Some(limit) = a.authority {
        text += &format!(" (up to {limit})");
    }
    text += &format!("{sep}{}", a.tier.label());
    if let Some(m) = &a.key_account_manager {
        text += &format!("{sep}KAM {}", m.name);
        match m.state {
            Some(AgentState::Available) => text += " (free)",
            Some(AgentState::Offline) => text += " (offline)",
            Some(_) => text += " (busy)",
            None => {}
        }
    }
    // How many others, and the key that picks: kept whole at the end, the
    // rest of the line giving way first on a narrow screen.
    let mut others = String::new();
    if organisations > 1 {
        others = format!("{sep}+{} more", organisations - 1);
        let key = state.keymap.key_for(
            crate::tui::keymap::Mode::Customer,
            crate::tui::keymap::Command::ActingFor,
        );
        if let Some(key) = key {
            others += &format!(" ({key}: which)");
        }
    }
    let others = state.glyphs.fit(&others, width);
    let text = state
        .glyphs
        .fit(&text, width.saturating_sub(others.width()))
        + &others;
    let style = if a.tier == Tier::KeyAccount {
        "badge.segment"
    } else {
        "header.value"
    };
    Line::from(Span::styled(text, theme.style(style)))
}

/// How old a saved copy is, in words: "just now", "12 min old", "3 h old".
fn age_words(age: chrono::TimeDelta) -> String {
    match age.num_minutes() {
        m if m < 1 => "just now".to_string(),
        m if m < 60 => format!("{m} min old"),
        m if m < 48 * 60 => format!("{} h old", m / 60),
        m => format!("{} days old", m / (24 * 60)),
    }
}

fn churn_words(c: &Customer) -> String {
    let pct = (c.churn_risk * 100.0).round() as i64;
    let word = match c.churn_risk {
        r if r >= 0.6 => "high",
        r if r >= 0.3 => "medium",
        _ => "low",
    };
    format!("{pct}% {word}")
}

/// The customer's local time, from their IANA zone.
fn local_time(state: &AppState, c: &Customer) -> String {
    match c.time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => format!(
            "their time {} ({})",
            state.now.with_timezone(&tz).format("%a %H:%M"),
            c.time_zone
        ),
        Err(_) => format!("their time unknown ({})", c.time_zone),
    }
}

fn last_time(state: &AppState, view: &CustomerView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let g = &state.glyphs;
    let text = match &view.last_contact {
        Some(e) => format!(
            " Last time: {} {} {} {} {}{}",
            state.zone.format(e.at, "%Y-%m-%d %H:%M"),
            g.separator,
            e.channel.label(),
            g.separator,
            e.summary,
            e.outcome
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default()
        ),
        None if view.timeline_loaded => " Last time: no earlier contact on record".to_string(),
        None => " Last time: loading…".to_string(),
    };
    let drafts: Vec<&str> = state
        .drafts
        .iter()
        .filter(|f| f.customer == view.id && view.form != Some(f.kind))
        .map(|f| f.kind.title())
        .collect();
    let text = if drafts.is_empty() {
        text
    } else {
        format!(" Draft: {} {}{text}", drafts.join(", "), g.separator)
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            g.fit(&text, area.width as usize),
            theme.style("info"),
        )),
        area,
    );
}

fn timeline_title(view: &CustomerView, shown: usize) -> String {
    let channel = view.channel.map_or("all", |c| c.label());
    let kind = view.kind.map_or("all", |k| k.label());
    let more = if view.next_before.is_some() { "+" } else { "" };
    let whose = match view.account {
        Some(_) => "Whole account",
        None => "Timeline",
    };
    let mut title = format!("{whose} {shown}{more} · channel {channel} · kind {kind}");
    if !view.text_filter.text.is_empty() || view.editing_filter {
        let typed = match view.editing_filter {
            true => view.text_filter.shown(),
            false => view.text_filter.text.clone(),
        };
        title.push_str(&format!(" · filter \"{typed}\""));
    }
    title
}

fn timeline(state: &AppState, view: &CustomerView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let visible = visible_events(view);
    let title = timeline_title(view, visible.len()).replace('·', state.glyphs.separator);
    let b = block(state, theme, &title, view.focus == Focus::Timeline);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let width = inner.width as usize;
    let summary_w = width.saturating_sub(2 + 17 + 8 + 11);
    let lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(view.offset)
        .take(inner.height as usize)
        .map(|(row, &i)| {
            let e = &view.events[i];
            list_row(
                state,
                theme,
                row == view.selected && view.focus == Focus::Timeline,
                vec![
                    fitted(
                        state,
                        &state.zone.format(e.at, "%Y-%m-%d %H:%M "),
                        17,
                        theme.style("timeline.time"),
                    ),
                    fitted(state, e.channel.label(), 8, theme.style("timeline.channel")),
                    fitted(state, e.kind.label(), 11, theme.style(kind_style(e.kind))),
                    // The last column is not padded: trailing blanks cost
                    // drawing time and bytes for nothing.
                    Span::styled(
                        state.glyphs.fit(&whose_summary(view, e), summary_w),
                        theme.style("timeline.summary"),
                    ),
                ],
            )
        })
        .collect();
    if lines.is_empty() {
        // Loading is said on the status line; the box stays empty meanwhile.
        let text = if !view.timeline_loaded || view.loading_more {
            ""
        } else {
            "No events match."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.style("muted"))),
            inner,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// On the whole account's timeline each event says whose it is (a
/// contact's name; none for the organisation's own), so what the engineer
/// reported yesterday is not asked of the purchaser again.
fn whose_summary(view: &CustomerView, e: &TimelineEvent) -> String {
    let who = view
        .account
        .and(view.organisation.as_ref())
        .and_then(|org| {
            org.contacts
                .iter()
                .find(|c| c.contact_id == e.customer_id)
                .map(|c| c.name.as_str())
        });
    match who {
        Some(name) => format!("{name}: {}", event_summary(e)),
        None => event_summary(e),
    }
}

fn event_summary(e: &TimelineEvent) -> String {
    match (&e.amount, &e.outcome) {
        (Some(m), Some(o)) => format!("{} · {m} · {o}", e.summary),
        (Some(m), None) => format!("{} · {m}", e.summary),
        (None, Some(o)) => format!("{} · {o}", e.summary),
        (None, None) => e.summary.clone(),
    }
}

fn kind_style(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Fee => "timeline.kind.fee",
        EventKind::Complaint => "timeline.kind.complaint",
        EventKind::Payment => "timeline.kind.payment",
        EventKind::Offer => "timeline.kind.offer",
        EventKind::Escalation => "timeline.kind.escalation",
        EventKind::Waiver => "timeline.kind.waiver",
        _ => "timeline.kind",
    }
}

fn expanded(state: &AppState, view: &CustomerView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block(state, theme, "Event", true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let visible = visible_events(view);
    let Some(e) = visible.get(view.selected).and_then(|&i| view.events.get(i)) else {
        return;
    };
    let g = &state.glyphs;
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<9}"), theme.style("header.label")),
            Span::styled(
                g.show(&value).into_owned(),
                theme.style("timeline.expanded"),
            ),
        ])
    };
    let mut lines = vec![
        field(
            "When",
            format!(
                "{} (UTC {})",
                state.zone.format(e.at, "%Y-%m-%d %H:%M %Z"),
                e.at.format("%H:%M")
            ),
        ),
        field("Channel", e.channel.label().to_string()),
        field("Kind", e.kind.label().to_string()),
        field("Summary", e.summary.clone()),
    ];
    let optional = [
        ("Topic", e.topic.clone()),
        ("Agent", e.agent.clone()),
        ("Outcome", e.outcome.clone()),
        ("Amount", e.amount.map(|m| m.to_string())),
    ];
    for (label, value) in optional {
        if let Some(v) = value {
            lines.push(field(label, v));
        }
    }
    if let Some(detail) = &e.detail {
        lines.push(Line::from(""));
        lines.extend(detail.lines().map(|l| Line::from(g.show(l).into_owned())));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Marketing consent in a few words: `yes` on every contact channel, `NO` on
/// none, else the channels it is missing on (`not by Voice/SMS`).
fn marketing_consent(c: &Customer) -> String {
    let missing: Vec<&str> = Channel::CONTACT
        .iter()
        .filter(|ch| !c.marketing_consent_on(**ch))
        .map(Channel::label)
        .collect();
    if missing.is_empty() {
        "marketing: yes".to_string()
    } else if c.marketing_channels.is_empty() {
        "marketing: NO".to_string()
    } else {
        format!("marketing: not by {}", missing.join("/"))
    }
}
