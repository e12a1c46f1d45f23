//! A pick list narrowed by typing: the disposition, reason, target, priority and
//! outcome fields of the forms, and the overlays' choosers. Typing filters
//! with fuzzy-matcher ("late fe" finds "Billing › Late fee explained"); up and
//! down move; the highlighted option is the value once the agent has typed,
//! moved or pressed enter (or the form chose a default on purpose), so a
//! required code is never sent without the agent's say, and enter always
//! takes what is highlighted.

use super::super::fuzzy;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// (code sent to the server, label shown).
    pub options: Vec<(String, String)>,
    pub filter: String,
    /// Index into `visible()`.
    pub highlighted: usize,
    /// Whether there is a value yet (see the module comment).
    pub picked: bool,
}

impl Choice {
    pub fn new(options: Vec<(String, String)>) -> Choice {
        Choice {
            options,
            filter: String::new(),
            highlighted: 0,
            picked: false,
        }
    }

    /// Starts on the option with this code, if there is one.
    pub fn with_selected(mut self, code: &str) -> Choice {
        if let Some(i) = self.options.iter().position(|(c, _)| c == code) {
            // `highlighted` indexes the visible options: show them all.
            self.filter.clear();
            self.highlighted = i;
            self.picked = true;
        }
        self
    }

    /// Indices into `options` that match the filter, best first.
    pub fn visible(&self) -> Vec<usize> {
        let items: Vec<(usize, String)> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, (_, label))| (i, label.clone()))
            .collect();
        fuzzy::rank(&items, &self.filter)
    }

    /// The chosen (code, label), if the filter leaves any option.
    pub fn selected(&self) -> Option<&(String, String)> {
        if !self.picked {
            return None;
        }
        let visible = self.visible();
        visible
            .get(self.highlighted.min(visible.len().saturating_sub(1)))
            .and_then(|&i| self.options.get(i))
    }

    pub fn type_text(&mut self, text: &str) {
        self.filter.push_str(text);
        self.highlighted = 0;
        self.picked = true;
    }

    pub fn backspace(&mut self) {
        self.filter.pop();
        self.highlighted = 0;
        // Erasing everything typed leaves nothing chosen, not the first option.
        if self.filter.is_empty() {
            self.picked = false;
        }
    }

    /// Enter: what is highlighted becomes the value (if the filter leaves
    /// any option).
    pub fn pick(&mut self) -> Option<&(String, String)> {
        self.picked = true;
        self.selected()
    }

    /// Drops what was typed: nothing is chosen again.
    pub fn clear(&mut self) {
        self.filter.clear();
        self.highlighted = 0;
        self.picked = false;
    }

    pub fn move_by(&mut self, delta: isize) {
        self.picked = true;
        self.highlighted = crate::tui::list::step(self.highlighted, delta, self.visible().len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dispositions() -> Choice {
        Choice::new(vec![
            (
                "billing.late_fee".into(),
                "Billing › Late fee explained".into(),
            ),
            ("billing.dispute".into(), "Billing › Charge disputed".into()),
            ("orders.status".into(), "Orders › Order status".into()),
        ])
    }

    #[test]
    fn typing_narrows_and_the_best_match_is_chosen() {
        let mut c = dispositions();
        c.type_text("late fe");
        assert_eq!(c.selected().map(|s| s.0.as_str()), Some("billing.late_fee"));
        c.backspace();
        c.type_text("zzzz");
        assert_eq!(c.selected(), None);
    }

    #[test]
    fn nothing_is_chosen_until_the_agent_picks() {
        let mut c = dispositions();
        assert_eq!(c.selected(), None);
        c.move_by(0);
        assert_eq!(c.selected().map(|s| s.0.as_str()), Some("billing.late_fee"));
        let mut typed = dispositions();
        typed.type_text("o");
        typed.backspace();
        assert_eq!(
            typed.selected(),
            None,
            "typing then erasing chooses nothing"
        );
        let mut filtered = dispositions();
        filtered.type_text("bill");
        let chosen = filtered.with_selected("orders.status");
        assert_eq!(
            chosen.selected().map(|s| s.0.as_str()),
            Some("orders.status")
        );
    }

    #[test]
    fn moving_stays_in_bounds() {
        let mut c = dispositions().with_selected("orders.status");
        assert_eq!(c.selected().map(|s| s.0.as_str()), Some("orders.status"));
        c.move_by(5);
        assert_eq!(c.highlighted, 2);
        c.move_by(-9);
        assert_eq!(c.selected().map(|s| s.0.as_str()), Some("billing.late_fee"));
    }
}
