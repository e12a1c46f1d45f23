//! A form as a draft on disk: what the agent typed, field by field, so the next
//! start can offer it back after a crash, kill -9, SIGHUP or a lost SSH session.
//! Restoring builds the form afresh from the customer and the codes and puts the
//! typed values back; a value that no longer fits (a fee since paid, a code since
//! retired) is dropped and counted, so the desk can say so.

use super::model::{Field, Form, FormKind};
use super::verdicts::{VerdictRow, Verdicts};
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
        rows: Vec<VerdictDraft>,
        /// Drafts from before each row named its decision: the one decision
        /// of every row (none in older drafts still). No longer written.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decision: Option<DecisionId>,
    },
}

/// One verdict of the wrap-up. Drafts from before it stored `[action,
/// verdict]` pairs: serde reads a struct from a sequence in field order, so
/// those still read, the fields after the pair left at their default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictDraft {
    pub action: ActionCode,
    pub verdict: SuggestionVerdict,
    /// The decision that showed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionId>,
    /// Its title, so a row from an earlier decision comes back named.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
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
                .map(|r| VerdictDraft {
                    action: r.action.clone(),
                    verdict: r.verdict,
                    decision: r.decision,
                    title: r.title.clone(),
                })
                .collect(),
            decision: None,
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
            restore_verdicts(v, rows, *decision);
            true
        }
        _ => false,
    }
}

/// Puts saved verdicts back. Each answers the decision the agent saw when
/// giving it: it goes to the row of the same suggestion and decision, else
/// to the first row of that suggestion not yet restored (a restart made a
/// new decision), taking its decision along; one no row shows (acted on
/// under an earlier decision) comes back as a row of its own.
fn restore_verdicts(v: &mut Verdicts, rows: &[VerdictDraft], fallback: Option<DecisionId>) {
    let mut restored = vec![false; v.rows.len()];
    for saved in rows {
        let decision = saved.decision.or(fallback);
        let same = |r: &VerdictRow| r.action == saved.action;
        let found = (0..v.rows.len())
            .find(|&i| same(&v.rows[i]) && v.rows[i].decision == decision)
            .or_else(|| (0..v.rows.len()).find(|&i| same(&v.rows[i]) && !restored[i]));
        match found {
            Some(i) => {
                let row = &mut v.rows[i];
                row.verdict = saved.verdict;
                if decision.is_some() {
                    row.decision = decision;
                }
                restored[i] = true;
            }
            None if decision.is_some() => {
                let title = if saved.title.is_empty() {
                    saved.action.as_str().to_string()
                } else {
                    saved.title.clone()
                };
                v.rows.push(VerdictRow {
                    action: saved.action.clone(),
                    title,
                    verdict: saved.verdict,
                    decision,
                    earlier: true,
                });
                restored.push(true);
            }
            // Without a decision there is nothing it could answer.
            None => {}
        }
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

    /// The wrap-up over `shown` from `decision`, the agent having acted on
    /// `acted` (code, decision).
    fn wrap_up(shown: &[&str], decision: i64, acted: &[(&str, i64)]) -> Form {
        use crate::domain::Opens;
        use crate::tui::forms::verdicts::Acted;
        let shown: Vec<_> = shown
            .iter()
            .map(|code| crate::tui::testkit::suggestion(code, Opens::Offer, code, &[]))
            .collect();
        let acted: Vec<Acted> = acted
            .iter()
            .map(|(code, d)| Acted {
                action: ActionCode::new(code),
                title: format!("Title of {code}"),
                decision: Some(DecisionId(*d)),
            })
            .collect();
        let now = Utc::now();
        Form::log(
            CustomerId(1),
            &refdata(),
            &shown,
            Some(DecisionId(decision)),
            &acted,
            now,
        )
    }

    /// Each verdict row as (action, verdict, decision, title).
    fn rows(form: &Form) -> Vec<(String, SuggestionVerdict, Option<i64>, String)> {
        match form.field(super::super::model::SUGGESTIONS) {
            Some(Field::Verdicts(v)) => v
                .rows
                .iter()
                .map(|r| {
                    let action = r.action.as_str().to_string();
                    (action, r.verdict, r.decision.map(|d| d.0), r.title.clone())
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_wrap_up_draft_from_before_rows_named_their_decision_still_restores() {
        use SuggestionVerdict::{Accepted, Declined, NotOffered};
        let form = wrap_up(&["waive_late_fee", "autopay"], 9, &[]);
        let mut json = serde_json::to_value(form.to_draft(&summary(1))).unwrap();
        // As a desk of before wrote it: [action, verdict] pairs and one
        // decision for all of them (or, older still, none).
        json["fields"]["Suggestions"] = serde_json::json!({
            "type": "verdicts",
            "rows": [["waive_late_fee", "accepted"], ["autopay", "declined"]],
            "decision": 7,
        });
        let old: Draft = serde_json::from_value(json.clone()).unwrap();
        let mut fresh = wrap_up(&["waive_late_fee", "autopay"], 9, &[]);
        assert_eq!(fresh.apply_draft(&old), 0);
        assert_eq!(
            rows(&fresh),
            [
                (
                    "waive_late_fee".into(),
                    Accepted,
                    Some(7),
                    "waive_late_fee".into()
                ),
                ("autopay".into(), Declined, Some(7), "autopay".into()),
            ],
            "the verdicts answer the decision the agent saw"
        );
        let written = serde_json::to_value(fresh.to_draft(&summary(1))).unwrap();
        assert_eq!(
            written["fields"]["Suggestions"],
            serde_json::json!({"type": "verdicts", "rows": [
                {"action": "waive_late_fee", "verdict": "accepted", "decision": 7, "title": "waive_late_fee"},
                {"action": "autopay", "verdict": "declined", "decision": 7, "title": "autopay"},
            ]}),
            "written in the new shape"
        );

        json["fields"]["Suggestions"] = serde_json::json!({
            "type": "verdicts",
            "rows": [["autopay", "accepted"], ["retired_action", "declined"]],
        });
        let older: Draft = serde_json::from_value(json).unwrap();
        let mut fresh = wrap_up(&["waive_late_fee", "autopay"], 9, &[]);
        assert_eq!(fresh.apply_draft(&older), 0);
        assert_eq!(
            rows(&fresh),
            [
                (
                    "waive_late_fee".into(),
                    NotOffered,
                    Some(9),
                    "waive_late_fee".into()
                ),
                ("autopay".into(), Accepted, Some(9), "autopay".into()),
            ],
            "without a decision a verdict answers the one on screen"
        );
    }

    #[test]
    fn a_verdict_from_an_earlier_decision_comes_back_after_a_restart() {
        use SuggestionVerdict::{Accepted, NotOffered};
        // Acted on the waiver under decision 7; decision 8 no longer shows it.
        let form = wrap_up(&["autopay"], 8, &[("waive_late_fee", 7)]);
        let json = serde_json::to_value(form.to_draft(&summary(1))).unwrap();
        let draft: Draft = serde_json::from_value(json).unwrap();
        // After a restart the desk knows nothing of what was acted on, and
        // the customer's suggestions come from decision 9.
        let mut fresh = wrap_up(&["autopay"], 9, &[]);
        assert_eq!(fresh.apply_draft(&draft), 0);
        assert_eq!(
            rows(&fresh),
            [
                ("autopay".into(), NotOffered, Some(8), "autopay".into()),
                (
                    "waive_late_fee".into(),
                    Accepted,
                    Some(7),
                    "Title of waive_late_fee".into()
                ),
            ]
        );
    }

    #[test]
    fn verdicts_read_from_disk_are_cleaned() {
        use crate::tui::sanitize::Sanitize;
        let mut draft = wrap_up(&[], 8, &[("waive_late_fee", 7), ("bad\u{1b}[2Jcode", 7)])
            .to_draft(&summary(1));
        if let Some(DraftValue::Verdicts { rows, .. }) =
            draft.fields.get_mut(super::super::model::SUGGESTIONS)
        {
            rows[0].title = "Waive\u{1b}]0;owned\u{7} it".into();
        }
        let clean = draft.sanitize();
        let Some(DraftValue::Verdicts { rows, .. }) =
            clean.fields.get(super::super::model::SUGGESTIONS)
        else {
            panic!("verdicts");
        };
        assert_eq!(rows.len(), 1, "a code that is not clean text is left out");
        assert_eq!(rows[0].title, "Waive it");
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
