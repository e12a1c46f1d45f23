//! Untrusted text is made safe here, once, where it enters the desk (see
//! `domain::untrusted` for the rules). Views can then draw the text as it is.

use crate::api::{CustomerSummary, SearchHit};
pub use crate::domain::untrusted::{clean_line, clean_text};
use crate::domain::{Agent, Code, Customer, RefData, Suggestion, TimelineEvent};

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
        self
    }
}

impl Sanitize for Agent {
    fn sanitize(mut self) -> Self {
        self.name = clean_line(&self.name);
        self
    }
}

impl Sanitize for Code {
    fn sanitize(mut self) -> Self {
        self.code = clean_line(&self.code);
        self.label = clean_line(&self.label);
        self
    }
}

impl Sanitize for RefData {
    /// Codes and labels are shown in the forms' pick lists.
    fn sanitize(mut self) -> Self {
        for d in &mut self.dispositions {
            d.code = clean_line(&d.code);
            d.category = clean_line(&d.category);
            d.label = clean_line(&d.label);
        }
        for t in &mut self.escalation_targets {
            t.code = clean_line(&t.code);
            t.label = clean_line(&t.label);
        }
        for q in &mut self.queues {
            q.code = clean_line(&q.code);
            q.name = clean_line(&q.name);
        }
        self.escalation_reasons = self.escalation_reasons.sanitize();
        self.waiver_reasons = self.waiver_reasons.sanitize();
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

impl Sanitize for Suggestion {
    fn sanitize(mut self) -> Self {
        self.title = clean_line(&self.title);
        self.reasons = self.reasons.iter().map(|r| clean_line(r)).collect();
        self.parameters = self
            .parameters
            .into_iter()
            .map(|(k, v)| (clean_line(&k), clean_line(&v)))
            .collect();
        self
    }
}

impl<T: Sanitize> Sanitize for Vec<T> {
    fn sanitize(self) -> Self {
        self.into_iter().map(Sanitize::sanitize).collect()
    }
}
