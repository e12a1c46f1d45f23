//! Untrusted text is made safe here, once, where it enters the desk (see
//! `domain::untrusted` for the rules). Views can then draw the text as it is.

use crate::api::{CustomerSummary, NotShown, SearchHit, Suggestions};
pub use crate::domain::untrusted::{clean_line, clean_text};
use crate::domain::{
    ActionCode, Agent, Customer, Organisation, RefData, Suggestion, TimelineEvent,
};

/// Types that carry untrusted text and can clean it in place.
pub trait Sanitize {
    fn sanitize(self) -> Self;
}

fn line_opt(v: Option<String>) -> Option<String> {
    v.map(|s| clean_line(&s))
}

impl Sanitize for Customer {
    fn sanitize(mut self) -> Self {
        self.name = clean_line(&self.name);
        self.phones = self.phones.iter().map(|p| clean_line(p)).collect();
        self.emails = self.emails.iter().map(|e| clean_line(e)).collect();
        self.account_number = clean_line(&self.account_number);
        self.language = clean_line(&self.language);
        self.time_zone = clean_line(&self.time_zone);
        for a in &mut self.acts_for {
            a.organisation = clean_line(&a.organisation);
            if let Some(manager) = &mut a.key_account_manager {
                manager.name = clean_line(&manager.name);
            }
        }
        self
    }
}

impl Sanitize for Organisation {
    fn sanitize(mut self) -> Self {
        for text in [
            &mut self.name,
            &mut self.account_number,
            &mut self.industry,
            &mut self.size_band,
            &mut self.address,
        ] {
            *text = clean_line(text);
        }
        if let Some(manager) = &mut self.key_account_manager {
            manager.name = clean_line(&manager.name);
        }
        for c in &mut self.contacts {
            c.name = clean_line(&c.name);
        }
        for i in &mut self.invoices {
            i.number = clean_line(&i.number);
        }
        for o in &mut self.orders {
            o.number = clean_line(&o.number);
            o.description = clean_line(&o.description);
        }
        for r in &mut self.rebates {
            r.description = clean_line(&r.description);
        }
        self
    }
}

impl Sanitize for Agent {
    fn sanitize(mut self) -> Self {
        self.name = clean_line(&self.name);
        self
    }
}

/// Whether a code can be shown and sent back as it is.
fn clean_code(code: &str) -> bool {
    clean_line(code) == code
}

impl Sanitize for RefData {
    /// Labels are cleaned for the forms' pick lists. Codes are sent back to
    /// the server, so they are not changed: an entry whose code is not clean
    /// text is left out.
    fn sanitize(mut self) -> Self {
        self.dispositions.retain(|d| clean_code(&d.code));
        for d in &mut self.dispositions {
            d.category = clean_line(&d.category);
            d.label = clean_line(&d.label);
        }
        self.escalation_targets.retain(|t| clean_code(&t.code));
        for t in &mut self.escalation_targets {
            t.label = clean_line(&t.label);
        }
        self.queues.retain(|q| clean_code(&q.code));
        for q in &mut self.queues {
            q.name = clean_line(&q.name);
        }
        for list in [
            &mut self.escalation_reasons,
            &mut self.waiver_reasons,
            &mut self.not_ready_reasons,
        ] {
            list.retain(|c| clean_code(&c.code));
            for c in list.iter_mut() {
                c.label = clean_line(&c.label);
            }
        }
        self
    }
}

impl Sanitize for CustomerSummary {
    fn sanitize(mut self) -> Self {
        self.name = clean_line(&self.name);
        self.account_number = clean_line(&self.account_number);
        self.phones = self.phones.iter().map(|p| clean_line(p)).collect();
        self.emails = self.emails.iter().map(|e| clean_line(e)).collect();
        self
    }
}

impl Sanitize for SearchHit {
    fn sanitize(mut self) -> Self {
        self.customer = self.customer.sanitize();
        self
    }
}

impl Sanitize for TimelineEvent {
    fn sanitize(mut self) -> Self {
        self.summary = clean_line(&self.summary);
        self.detail = self.detail.map(|d| clean_text(&d));
        self.topic = line_opt(self.topic);
        self.agent = line_opt(self.agent);
        self.outcome = line_opt(self.outcome);
        self
    }
}

impl Sanitize for Suggestions {
    fn sanitize(mut self) -> Self {
        self.suggestions = self.suggestions.sanitize();
        self.not_shown = self.not_shown.sanitize();
        self
    }
}

impl Sanitize for Suggestion {
    fn sanitize(mut self) -> Self {
        self.action = ActionCode(clean_line(self.action.as_str()));
        self.title = clean_line(&self.title);
        self.value_means = clean_line(&self.value_means);
        self.reasons = self.reasons.iter().map(|r| clean_line(r)).collect();
        self.parameters = self
            .parameters
            .into_iter()
            .map(|(k, v)| (clean_line(&k), clean_line(&v)))
            .collect();
        self
    }
}

impl Sanitize for NotShown {
    fn sanitize(mut self) -> Self {
        self.action = ActionCode(clean_line(self.action.as_str()));
        self.name = clean_line(&self.name);
        self.rule = clean_line(&self.rule);
        self.rule_kind = clean_line(&self.rule_kind);
        self
    }
}

impl<T: Sanitize> Sanitize for Vec<T> {
    fn sanitize(self) -> Self {
        self.into_iter().map(Sanitize::sanitize).collect()
    }
}

/// A draft read back from the cache file: the agent's own text, but from disk,
/// so it is cleaned like anything else that enters the desk.
impl Sanitize for super::forms::draft::Draft {
    fn sanitize(mut self) -> Self {
        use super::forms::draft::DraftValue;
        self.customer = self.customer.sanitize();
        for value in self.fields.values_mut() {
            match value {
                DraftValue::Choice { code, filter } => {
                    *code = code.take().filter(|c| clean_code(c));
                    *filter = clean_line(filter);
                }
                DraftValue::Text { text } => *text = clean_text(text),
                DraftValue::Fees { lines } => {
                    for line in lines {
                        line.amount = clean_line(&line.amount);
                    }
                }
                DraftValue::Verdicts { rows, .. } => {
                    // Codes go back to the server unchanged, titles are shown.
                    rows.retain(|r| clean_code(r.action.as_str()));
                    for row in rows {
                        row.title = clean_line(&row.title);
                    }
                }
            }
        }
        self
    }
}

impl Sanitize for crate::api::AgentStatus {
    fn sanitize(mut self) -> Self {
        self.name = clean_line(&self.name);
        self.reason = line_opt(self.reason);
        self.queue = line_opt(self.queue);
        self.call_id = line_opt(self.call_id);
        self.customer_name = line_opt(self.customer_name);
        if let Some(after) = self.after_call.as_mut() {
            after.reason = line_opt(after.reason.take());
        }
        self.skills.retain(|s| clean_code(&s.queue));
        self
    }
}

impl Sanitize for crate::api::Approval {
    fn sanitize(mut self) -> Self {
        self.customer_name = clean_line(&self.customer_name);
        self.agent_name = clean_line(&self.agent_name);
        self.reason_code = clean_line(&self.reason_code);
        self.note = clean_text(&self.note);
        self
    }
}

impl Sanitize for crate::api::QueueBoard {
    fn sanitize(mut self) -> Self {
        for q in &mut self.queues {
            q.queue.code = clean_line(&q.queue.code);
            q.queue.name = clean_line(&q.queue.name);
        }
        self
    }
}

/// The decision funnel: action codes and names come from the server's
/// catalog file, rule kinds from its decision log.
impl Sanitize for crate::api::Funnel {
    fn sanitize(mut self) -> Self {
        for row in &mut self.actions {
            row.action = ActionCode(clean_line(row.action.as_str()));
            row.name = clean_line(&row.name);
            for rule in &mut row.suppressed_by {
                rule.rule = clean_line(&rule.rule);
            }
        }
        self
    }
}

/// What the models learned: names, the summary and the predictors' bins
/// are the server's words about its catalog.
impl Sanitize for crate::api::Models {
    fn sanitize(mut self) -> Self {
        for model in &mut self.actions {
            model.action = ActionCode(clean_line(model.action.as_str()));
            model.name = clean_line(&model.name);
            model.summary = clean_line(&model.summary);
            for split in &mut model.predictors {
                split.predictor = clean_line(&split.predictor);
                for bin in &mut split.bins {
                    bin.bin = clean_line(&bin.bin);
                    bin.words = clean_line(&bin.words);
                }
            }
        }
        self
    }
}

impl Sanitize for crate::api::ApprovalDecision {
    fn sanitize(mut self) -> Self {
        self.note = clean_text(&self.note);
        self.message = clean_line(&self.message);
        self
    }
}

/// Everything from the event stream: callers, queues, names, notes.
impl Sanitize for crate::api::FloorEvent {
    fn sanitize(self) -> Self {
        use crate::api::FloorEvent as E;
        match self {
            E::ContactOffered(mut o) => {
                o.call_id = clean_line(&o.call_id);
                o.queue = clean_line(&o.queue);
                o.caller = line_opt(o.caller);
                if let Some(t) = o.transfer.as_mut() {
                    t.from_agent_name = clean_line(&t.from_agent_name);
                    t.from_queue = clean_line(&t.from_queue);
                    t.to_queue = clean_line(&t.to_queue);
                    t.note = clean_line(&t.note);
                    t.notes = clean_text(&t.notes);
                }
                E::ContactOffered(o)
            }
            E::CallCommand(mut c) => {
                c.call_id = clean_line(&c.call_id);
                E::CallCommand(c)
            }
            E::QueueStats(board) => E::QueueStats(board.sanitize()),
            E::AgentState(status) => E::AgentState(status.sanitize()),
            E::ApprovalRequested(a) => E::ApprovalRequested(a.sanitize()),
            E::ApprovalDecided(d) => E::ApprovalDecided(d.sanitize()),
            E::Resync(mut r) => {
                r.reason = clean_line(&r.reason);
                E::Resync(r)
            }
        }
    }
}
