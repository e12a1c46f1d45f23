//! How the local cache and its outbox change the desk: the cache opening (or
//! the desk running without one), drafts from the last session offered back,
//! writes saved on this desk before the server has them, the link state the
//! outbox sync sees, and the needs-attention list. Called from `update`; no I/O.

use super::action::{Effect, LocalReady, OutboxView};
use super::forms::draft::{self, Draft};
use super::forms::{Form, FormKind, Stage};
use super::state::{AppState, Connection, Level, LocalCache, Overlay};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

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
                Some(number) => super::update::pop(state, &number),
                None => super::update::reload_customer(state),
            });
            return effects;
        }
        Err(message) => {
            state.local = LocalCache::Without(message.clone());
            state.notify(Level::Warning, message);
        }
    }
    match state.pop_on_start.take() {
        Some(number) => super::update::pop(state, &number),
        None => vec![],
    }
}

/// Offers back the kept drafts of the open customer once their profile and
/// the codes are here: the form opens with what was typed.
pub fn restore_drafts(state: &mut AppState) {
    let (Some(view), Some(refdata)) = (state.customer.as_ref(), state.refdata.as_ref()) else {
        return;
    };
    let Some(profile) = view.profile.as_ref() else {
        return;
    };
    let id = view.id;
    let mine: Vec<Draft> = state
        .kept_drafts
        .iter()
        .filter(|d| d.customer.id == id)
        .cloned()
        .collect();
    if mine.is_empty() {
        return;
    }
    state.kept_drafts.retain(|d| d.customer.id != id);
    let mut restored = None;
    let mut dropped = 0;
    for d in mine {
        if state
            .drafts
            .iter()
            .any(|f| f.customer == id && f.kind == d.kind)
        {
            continue;
        }
        let suggestions = view.suggestions.as_deref().unwrap_or_default();
        let mut form = match d.kind {
            FormKind::Log => Form::log(id, refdata, suggestions, &view.acted, state.now),
            FormKind::Escalate => Form::escalate(id, refdata, None, &view.events, state.now),
            FormKind::Waive => Form::waive(profile, refdata, None, state.now),
            FormKind::QuickLog => continue,
        };
        dropped += form.apply_draft(&d);
        restored = Some((d.kind, d.opened_at));
        state.drafts.push(form);
    }
    let Some((kind, opened_at)) = restored else {
        return;
    };
    if let Some(view) = state.customer.as_mut() {
        view.form = Some(kind);
    }
    let at = state.zone.format(opened_at, "%H:%M");
    let note = if dropped > 0 {
        format!(" ({dropped} value(s) no longer fit and were left out)")
    } else {
        String::new()
    };
    state.notify(
        Level::Info,
        format!("Restored your unsent {} from {at}{note}", kind.title()),
    );
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
        .key_for(mode, super::keymap::Command::NeedsAttention)
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
    state.outbox.attention.remove(selected);
    state.outbox.waiting += 1;
    state.overlay = None;
    state.notify(Level::Info, "Sending it again");
    vec![Effect::Resend { key }]
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

/// The drafts as they should be on disk now: every open form with something
/// typed (not those confirmed: the outbox has them) and the drafts kept from
/// the last session that are not open yet.
pub fn drafts_to_keep(state: &AppState) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for form in &state.drafts {
        if !form.dirty
            || form.kind == FormKind::QuickLog
            || matches!(form.stage, Stage::Sending { .. })
        {
            continue;
        }
        let summary = super::update::summary_for(state, form.customer, None);
        if let Ok(json) = serde_json::to_value(form.to_draft(&summary)) {
            out.insert(draft::key(form.customer, form.kind), json);
        }
    }
    for kept in &state.kept_drafts {
        if let Ok(json) = serde_json::to_value(kept) {
            out.entry(kept.key()).or_insert(json);
        }
    }
    out
}

/// Keeps the drafts on disk in step with the forms: `changes` gives what to
/// save and remove since the last call (nothing when nothing changed).
#[derive(Debug, Default)]
pub struct DraftSaver {
    on_disk: BTreeMap<String, serde_json::Value>,
}

impl DraftSaver {
    pub fn changes(&mut self, state: &AppState) -> Option<Effect> {
        if state.local != LocalCache::Ready {
            return None;
        }
        let now = drafts_to_keep(state);
        let save: Vec<(String, serde_json::Value)> = now
            .iter()
            .filter(|(k, v)| self.on_disk.get(*k) != Some(v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let remove: Vec<String> = self
            .on_disk
            .keys()
            .filter(|k| !now.contains_key(*k))
            .cloned()
            .collect();
        self.on_disk = now;
        if save.is_empty() && remove.is_empty() {
            return None;
        }
        Some(Effect::SaveDrafts { save, remove })
    }
}
