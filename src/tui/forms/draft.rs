//! A form as a draft on disk: what the agent typed, field by field, so the next
//! start can offer it back after a crash, kill -9, SIGHUP or a lost SSH session.
//! Restoring builds the form afresh from the customer and the codes and puts the
//! typed values back; a value that no longer fits (a fee since paid, a code since
//! retired) is dropped and counted, so the desk can say so.

use super::model::{Field, Form, FormKind};
use crate::api::CustomerSummary;
use crate::domain::{ActionCode, CustomerId, DecisionId, FeeId, SuggestionVerdict};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Who it is for, so the desk can list it before the customer is loaded.
    pub customer: CustomerSummary,
    pub kind: FormKind,
    /// When the form was opened: the after-call-work timer goes on from there.
    pub opened_at: DateTime<Utc>,
    /// Field label -> what was in it.
    pub fields: BTreeMap<String, DraftValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DraftValue {
    /// A pick list: the chosen code, or what was typed to narrow it.
    Choice {
        code: Option<String>,
        filter: String,
    },
    Text {
        text: String,
    },
    Fees {
        lines: Vec<FeeDraft>,
    },
    Verdicts {
        rows: Vec<(ActionCode, SuggestionVerdict)>,
        /// The decision that showed them (drafts from before it: none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decision: Option<DecisionId>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeDraft {
    pub fee: FeeId,
    pub selected: bool,
    pub amount: String,
}

/// The cache key of the draft of `kind` for `customer`.
pub fn key(customer: CustomerId, kind: FormKind) -> String {
    format!("form:{}:{}", kind.as_str(), customer.0)
}

impl Draft {
    pub fn key(&self) -> String {
        key(self.customer.id, self.kind)
    }
}

impl Form {
    /// The draft of this form; `customer` is its summary.
    pub fn to_draft(&self, customer: &CustomerSummary) -> Draft {
        let fields = self
            .fields
            .iter()
            .map(|(label, field)| (label.to_string(), value_of(field)))
            .collect();
        Draft {
            customer: customer.clone(),
            kind: self.kind,
            opened_at: self.opened_at,
            fields,
        }
    }

    /// Puts a draft's values into this (fresh) form. Returns how many values no
    /// longer fit and were left out.
    pub fn apply_draft(&mut self, draft: &Draft) -> usize {
        let mut dropped = 0;
        for (label, field) in &mut self.fields {
            if let Some(value) = draft.fields.get(*label) {
                if !restore(field, value) {
                    dropped += 1;
                }
            }
        }
        self.opened_at = draft.opened_at;
        self.dirty = true;
        dropped
    }
}

fn value_of(field: &Field) -> DraftValue {
    match field {
        Field::Choice(c) => DraftValue::Choice {
            code: c.selected().map(|(code, _)| code.clone()),
            filter: c.filter.clone(),
        },
        Field::Text(t) => DraftValue::Text {
            text: t.text.clone(),
        },
        Field::Notes(n) => DraftValue::Text { text: n.text() },
        Field::Fees(p) => DraftValue::Fees {
            lines: p
                .lines
                .iter()
                .map(|l| FeeDraft {
                    fee: l.fee.id,
                    selected: l.selected,
                    amount: l.amount.text.clone(),
                })
                .collect(),
        },
        Field::Verdicts(v) => DraftValue::Verdicts {
            rows: v
                .rows
                .iter()
                .map(|(a, _, verdict)| (a.clone(), *verdict))
                .collect(),
            decision: v.decision,
        },
    }
}

/// Restores one field; false when the saved value no longer fits it.
fn restore(field: &mut Field, value: &DraftValue) -> bool {
    match (field, value) {
        (Field::Choice(c), DraftValue::Choice { code, filter }) => match code {
            Some(code) => {
                let fits = c.options.iter().any(|(o, _)| o == code);
                *c = c.clone().with_selected(code);
                fits
            }
            None => {
                c.filter = filter.clone();
                c.highlighted = 0;
                c.picked = false;
                true
            }
        },
        (Field::Text(t), DraftValue::Text { text }) => {
            t.text = text.clone();
            true
        }
        (Field::Notes(n), DraftValue::Text { text }) => {
            n.reset_to(text);
            true
        }
        (Field::Fees(p), DraftValue::Fees { lines }) => {
            let mut all_fit = true;
            for saved in lines {
                match p.lines.iter_mut().find(|l| l.fee.id == saved.fee) {
                    Some(line) => {
                        line.selected = saved.selected;
                        line.amount.text = saved.amount.clone();
                    }
                    None => all_fit &= !saved.selected,
                }
            }
            all_fit
        }
        (Field::Verdicts(v), DraftValue::Verdicts { rows, decision }) => {
            // The verdicts answer the decision the agent saw when typing them.
            if decision.is_some() {
                v.decision = *decision;
            }
            for (action, verdict) in rows {
                if let Some(row) = v.rows.iter_mut().find(|r| r.0 == *action) {
                    row.2 = *verdict;
                }
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{Field, Form, DISPOSITION, NOTES, REASON};
    use super::super::tests::refdata;
    use super::*;
    use crate::domain::Segment;

    fn summary(id: i64) -> CustomerSummary {
        CustomerSummary {
            id: CustomerId(id),
            name: "Maria Garcia".into(),
            account_number: "AC00000001".into(),
            phones: vec![],
            emails: vec![],
            segment: Segment::Standard,
        }
    }

    #[test]
    fn a_draft_round_trips_through_json_into_a_fresh_form() {
        let refdata = refdata();
        let now = Utc::now();
        let mut form = Form::log(CustomerId(1), &refdata, &[], None, &[], now);
        for (label, field) in &mut form.fields {
            match (*label, field) {
                (NOTES, Field::Notes(n)) => {
                    n.insert_str("Customer moved house\nnew address");
                }
                (DISPOSITION, Field::Choice(c)) => {
                    c.filter = "late".into();
                }
                _ => {}
            }
        }
        let draft = form.to_draft(&summary(1));
        let json = serde_json::to_value(&draft).unwrap();
        let back: Draft = serde_json::from_value(json).unwrap();
        assert_eq!(back, draft);

        let mut fresh = Form::log(CustomerId(1), &refdata, &[], None, &[], now);
        assert_eq!(fresh.apply_draft(&back), 0);
        assert_eq!(fresh.to_draft(&summary(1)), draft);
        assert!(fresh.dirty, "a restored draft asks before it is discarded");
    }

    #[test]
    fn a_retired_code_is_counted_not_restored() {
        let refdata = refdata();
        let form = Form::escalate(CustomerId(1), &refdata, None, &[], Utc::now());
        let mut draft = form.to_draft(&summary(1));
        draft.fields.insert(
            REASON.to_string(),
            DraftValue::Choice {
                code: Some("no-longer-a-code".into()),
                filter: String::new(),
            },
        );
        let mut fresh = Form::escalate(CustomerId(1), &refdata, None, &[], Utc::now());
        assert_eq!(fresh.apply_draft(&draft), 1);
        assert!(matches!(fresh.field(REASON), Some(Field::Choice(c)) if c.selected().is_none()));
    }
}
