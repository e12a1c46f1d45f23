//! How the cache opening, saved writes, the outbox and the link change the
//! desk, and the needs-attention list's keys. Called from `tui::update`.

use crate::tui::action::{Effect, LocalReady};
use crate::tui::forms::restore::restore_drafts;
use crate::tui::keymap::Command;
use crate::tui::offline::model::{LocalCache, OutboxView};
use crate::tui::search::pop::pop;
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Level, Overlay};
use crate::tui::workspace::update::reload_customer;
use chrono::{DateTime, Utc};

pub fn local_opened(state: &mut AppState, opened: Result<LocalReady, String>) -> Vec<Effect> {
    match opened {
        Ok(ready) => {
            state.local = LocalCache::Ready;
            // Customers seen on earlier days can be found while offline too.
            for c in &ready.known {
                state.known.remember(c);
            }
            let kept = ready.drafts.len();
            for d in ready.drafts {
                if !state.kept_drafts.iter().any(|k| k.key() == d.key()) {
                    state.kept_drafts.push(d);
                }
            }
            if let Some(message) = ready.message {
                state.notify(Level::Warning, message);
            } else if kept > 0 {
                let names: Vec<String> = state
                    .kept_drafts
                    .iter()
                    .map(|d| format!("{} ({})", d.customer.name, d.kind.title()))
                    .collect();
                state.notify(
                    Level::Info,
                    format!("Unsent from last time: {}", names.join(", ")),
                );
            }
            // First on the home list, so enter opens the latest of them.
            for d in &state.kept_drafts {
                state.recent.retain(|c| c.id != d.customer.id);
                state.recent.insert(0, d.customer.clone());
            }
            restore_drafts(state);
            // The codes again, now through the cache: kept there for a start
            // without the server, or served from there in one.
            let mut effects = vec![Effect::LoadRefData];
            // Started offline: the caller to pop can be found now. Else a
            // customer loaded before the cache opened is fetched again, so
            // the cache holds them too.
            effects.extend(match state.pop_on_start.take() {
                Some(number) => pop(state, &number),
                None => reload_customer(state),
            });
            return effects;
        }
        Err(message) => {
            state.local = LocalCache::Without(message.clone());
            state.notify(Level::Warning, message);
        }
    }
    match state.pop_on_start.take() {
        Some(number) => pop(state, &number),
        None => vec![],
    }
}

/// A confirmed write is durable on this desk: the form closes (kept in
/// `sent` until the server answers) and the agent is told it is saved.
pub fn saved(state: &mut AppState, key: &str, waiting: usize) -> Vec<Effect> {
    let Some(index) = state.drafts.iter().position(|f| f.sending_under(key)) else {
        return vec![];
    };
    let form = state.drafts.remove(index);
    if let Some(view) = state.customer.as_mut() {
        if view.id == form.customer && view.form == Some(form.kind) {
            view.form = None;
        }
    }
    let title = form.kind.title();
    state.sent.push(form);
    state.outbox.waiting = state.outbox.waiting.max(waiting);
    let text = match &state.connection {
        Connection::Online | Connection::Connecting => {
            format!("Saved on this desk: {title}; sending…")
        }
        Connection::Degraded(_) | Connection::Offline(_) => {
            format!("Saved on this desk: {title}. {waiting} waiting; sent when the server answers")
        }
    };
    state.notify(Level::Success, text);
    vec![]
}

pub fn outbox(state: &mut AppState, view: OutboxView) -> Vec<Effect> {
    let new_attention = view
        .attention
        .iter()
        .filter(|a| !state.outbox.attention.iter().any(|b| b.seq == a.seq))
        .count();
    state.outbox = view;
    if let Some(Overlay::Attention { selected, .. }) = &mut state.overlay {
        *selected = (*selected).min(state.outbox.attention.len().saturating_sub(1));
    }
    if new_attention > 0 && state.notice.is_none() {
        state.notify(
            Level::Error,
            format!(
                "{new_attention} saved write(s) refused by the server: press {} to review",
                attention_key(state)
            ),
        );
    }
    vec![]
}

pub fn link(
    state: &mut AppState,
    connection: Connection,
    retry_at: Option<DateTime<Utc>>,
) -> Vec<Effect> {
    state.connection = connection;
    state.retry_at = retry_at;
    vec![]
}

/// The key that opens the needs-attention list, for messages.
fn attention_key(state: &AppState) -> String {
    let mode = state.mode_without_overlay();
    state
        .keymap
        .key_for(mode, Command::NeedsAttention)
        .unwrap_or_else(|| ": needs attention".to_string())
}

pub fn open_attention(state: &mut AppState) -> Vec<Effect> {
    if state.outbox.attention.is_empty() {
        state.notify(
            Level::Info,
            "Nothing needs attention: every saved write was accepted",
        );
        return vec![];
    }
    state.overlay = Some(Overlay::Attention {
        selected: 0,
        armed: None,
    });
    vec![]
}

/// Enter on an entry: send it again under a new key.
pub fn resend(state: &mut AppState, selected: usize) -> Vec<Effect> {
    let Some(entry) = state.outbox.attention.get(selected) else {
        return vec![];
    };
    let key = entry.entry.idempotency_key.clone();
    let new_key = state.new_key();
    state.outbox.attention.remove(selected);
    state.outbox.waiting += 1;
    state.overlay = None;
    state.notify(Level::Info, "Sending it again");
    vec![Effect::Resend { key, new_key }]
}

/// Dismiss on an entry: the first press asks, the second drops it.
pub fn dismiss(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::Attention { selected, armed }) = &mut state.overlay else {
        return vec![];
    };
    let Some(entry) = state.outbox.attention.get(*selected) else {
        return vec![];
    };
    let (seq, key) = (entry.seq, entry.entry.idempotency_key.clone());
    if *armed != Some(seq) {
        *armed = Some(seq);
        state.notify(
            Level::Warning,
            "Dismiss this write for good? It will not be sent. Press dismiss again to confirm",
        );
        return vec![];
    }
    *armed = None;
    state.outbox.attention.retain(|a| a.seq != seq);
    if state.outbox.attention.is_empty() {
        state.overlay = None;
    }
    state.notify(Level::Info, "Dismissed");
    vec![Effect::Dismiss { key }]
}
