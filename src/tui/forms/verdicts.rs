//! The wrap-up's suggestion verdicts: one row per suggestion the agent
//! answers (accepted, declined, not offered), each naming the decision that
//! showed it. The rows are the suggestions on screen, under the decision on
//! screen, and every suggestion the agent acted on that no row answers: a
//! write (a waiver, say) reloads the customer into a new decision, and the
//! acceptance still belongs to the decision the agent acted on.

use crate::domain::{ActionCode, DecisionId, Suggestion, SuggestionOutcome, SuggestionVerdict};
use crate::tui::list::step;

/// A suggestion the agent acted on during this contact, with the decision
/// that showed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Acted {
    pub action: ActionCode,
    pub title: String,
    pub decision: Option<DecisionId>,
}

/// One suggestion the wrap-up answers.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRow {
    pub action: ActionCode,
    pub title: String,
    pub verdict: SuggestionVerdict,
    /// The decision that showed it: its outcome names this one.
    pub decision: Option<DecisionId>,
    /// Shown by an earlier decision than the one on screen.
    pub earlier: bool,
}

impl VerdictRow {
    /// What the form says after the title of a row from an earlier decision.
    pub fn mark(&self) -> &'static str {
        match (self.earlier, self.verdict) {
            (false, _) => "",
            (true, SuggestionVerdict::Accepted) => " (acted on earlier)",
            (true, _) => " (shown earlier)",
        }
    }
}

/// What the agent did with each suggestion, each row under its decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdicts {
    pub rows: Vec<VerdictRow>,
    pub cursor: usize,
}

/// The verdicts an agent gives; `ignored` is the server's, for what the
/// wrap-up did not mention.
const AGENT_VERDICTS: [SuggestionVerdict; 3] = [
    SuggestionVerdict::Accepted,
    SuggestionVerdict::Declined,
    SuggestionVerdict::NotOffered,
];

impl Verdicts {
    pub fn new(rows: Vec<VerdictRow>) -> Verdicts {
        Verdicts { rows, cursor: 0 }
    }

    /// The wrap-up's rows: the suggestions `decision` shows (accepted when
    /// the agent acted on them under it, else not offered), then each
    /// suggestion in `acted` that no row answers, accepted, under the
    /// decision that showed it.
    pub fn for_wrap_up(
        shown: &[Suggestion],
        decision: Option<DecisionId>,
        acted: &[Acted],
    ) -> Verdicts {
        let acted_here = |action: &ActionCode| {
            acted
                .iter()
                .any(|a| a.action == *action && a.decision == decision)
        };
        let mut rows: Vec<VerdictRow> = shown
            .iter()
            .map(|s| VerdictRow {
                action: s.action.clone(),
                title: s.title.clone(),
                verdict: if acted_here(&s.action) {
                    SuggestionVerdict::Accepted
                } else {
                    SuggestionVerdict::NotOffered
                },
                decision,
                earlier: false,
            })
            .collect();
        for a in acted {
            let answered = rows
                .iter()
                .any(|r| r.action == a.action && r.decision == a.decision);
            if !answered {
                rows.push(VerdictRow {
                    action: a.action.clone(),
                    title: a.title.clone(),
                    verdict: SuggestionVerdict::Accepted,
                    decision: a.decision,
                    earlier: true,
                });
            }
        }
        Verdicts::new(rows)
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor = step(self.cursor, delta, self.rows.len());
    }

    /// Cycles the verdict under the cursor: accepted → declined → not offered.
    pub fn cycle(&mut self, forward: bool) {
        let all = AGENT_VERDICTS;
        if let Some(row) = self.rows.get_mut(self.cursor) {
            let i = all.iter().position(|v| *v == row.verdict).unwrap_or(0);
            let next = if forward {
                (i + 1) % all.len()
            } else {
                (i + all.len() - 1) % all.len()
            };
            row.verdict = all[next];
        }
    }

    /// What the wrap-up sends: each row's verdict, naming its own decision.
    pub fn outcomes(&self) -> Vec<SuggestionOutcome> {
        self.rows
            .iter()
            .map(|r| SuggestionOutcome {
                action: r.action.clone(),
                verdict: r.verdict,
                decision_id: r.decision,
            })
            .collect()
    }

    /// The row an outcome came from.
    pub fn row_of(&self, outcome: &SuggestionOutcome) -> Option<&VerdictRow> {
        self.rows
            .iter()
            .find(|r| r.action == outcome.action && r.decision == outcome.decision_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Opens;
    use crate::tui::testkit::suggestion;

    fn acted(code: &str, decision: i64) -> Acted {
        Acted {
            action: ActionCode::new(code),
            title: format!("Do {code}"),
            decision: Some(DecisionId(decision)),
        }
    }

    fn summary(v: &Verdicts) -> Vec<(&str, SuggestionVerdict, Option<i64>, bool)> {
        v.rows
            .iter()
            .map(|r| {
                (
                    r.action.as_str(),
                    r.verdict,
                    r.decision.map(|d| d.0),
                    r.earlier,
                )
            })
            .collect()
    }

    #[test]
    fn verdicts_cycle_both_ways() {
        let shown = [suggestion("waive_late_fee", Opens::Waiver, "Waive", &[])];
        let mut v = Verdicts::for_wrap_up(&shown, None, &[]);
        assert_eq!(v.rows[0].verdict, SuggestionVerdict::NotOffered);
        v.cycle(true);
        assert_eq!(v.rows[0].verdict, SuggestionVerdict::Accepted);
        v.cycle(false);
        v.cycle(false);
        assert_eq!(v.rows[0].verdict, SuggestionVerdict::Declined);
    }

    #[test]
    fn an_acted_on_suggestion_no_longer_shown_is_answered_under_its_own_decision() {
        use SuggestionVerdict::{Accepted, NotOffered};
        let shown = [
            suggestion("autopay", Opens::Offer, "Offer autopay", &[]),
            suggestion("tip", Opens::Info, "Mention the app", &[]),
        ];
        let v = Verdicts::for_wrap_up(
            &shown,
            Some(DecisionId(8)),
            &[acted("waive_late_fee", 7), acted("tip", 8)],
        );
        assert_eq!(
            summary(&v),
            [
                ("autopay", NotOffered, Some(8), false),
                ("tip", Accepted, Some(8), false),
                ("waive_late_fee", Accepted, Some(7), true),
            ]
        );
        assert_eq!(v.rows[2].mark(), " (acted on earlier)");
        let outcomes = v.outcomes();
        assert_eq!(outcomes[2].decision_id, Some(DecisionId(7)));
        assert_eq!(
            v.row_of(&outcomes[2]).map(|r| r.title.as_str()),
            Some("Do waive_late_fee")
        );
    }

    #[test]
    fn acted_on_under_an_earlier_decision_that_shows_it_again_is_not_accepted_twice() {
        use SuggestionVerdict::{Accepted, NotOffered};
        let shown = [suggestion("waive_late_fee", Opens::Waiver, "Waive", &[])];
        let v = Verdicts::for_wrap_up(&shown, Some(DecisionId(8)), &[acted("waive_late_fee", 7)]);
        assert_eq!(
            summary(&v),
            [
                ("waive_late_fee", NotOffered, Some(8), false),
                ("waive_late_fee", Accepted, Some(7), true),
            ],
            "the acceptance belongs to decision 7; decision 8 showed it again"
        );
    }
}
