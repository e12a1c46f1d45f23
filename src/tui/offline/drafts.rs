//! Keeping drafts on disk in step with the forms: what should be saved now,
//! and the changes since the last save.

use crate::tui::action::Effect;
use crate::tui::forms::draft;
use crate::tui::forms::model::{FormKind, Stage};
use crate::tui::offline::model::LocalCache;
use crate::tui::state::AppState;
use crate::tui::workspace::update::summary_for;
use std::collections::BTreeMap;

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
        let summary = summary_for(state, form.customer, None);
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
