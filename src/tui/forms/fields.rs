//! The fee picker of the waiver form: tick fees, edit each amount, checked
//! against what is outstanding. (The wrap-up's suggestion verdicts are in
//! `verdicts`.)

use crate::api::WaiverItem;
use crate::domain::{Fee, Money};
use crate::tui::edit::Edit;
use crate::tui::input::TextInput;
use crate::tui::list::step;

/// One outstanding fee in the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct FeeLine {
    pub fee: Fee,
    pub selected: bool,
    /// The amount to waive, as typed (defaults to the outstanding amount).
    pub amount: TextInput,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeePicker {
    pub lines: Vec<FeeLine>,
    pub cursor: usize,
}

impl FeePicker {
    pub fn new(lines: Vec<FeeLine>) -> FeePicker {
        FeePicker { lines, cursor: 0 }
    }

    pub fn toggle(&mut self) {
        if let Some(line) = self.lines.get_mut(self.cursor) {
            line.selected = !line.selected;
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor = step(self.cursor, delta, self.lines.len());
    }

    /// Typing edits the amount of the fee under the cursor (digits and a point).
    pub fn type_text(&mut self, text: &str) {
        if let Some(line) = self.lines.get_mut(self.cursor) {
            line.amount.insert(
                &text
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect::<String>(),
            );
            line.selected = true;
        }
    }

    /// An editing key on the amount of the fee under the cursor.
    pub fn edit(&mut self, edit: Edit) -> bool {
        self.lines
            .get_mut(self.cursor)
            .is_some_and(|line| line.amount.apply(edit))
    }

    /// The amount typed for one line, checked against what is outstanding.
    pub fn amount(line: &FeeLine) -> Result<Money, String> {
        let currency = line.fee.outstanding.currency;
        let amount =
            Money::parse_decimal(&line.amount.text, currency).map_err(|e| e.to_string())?;
        if amount.minor_units <= 0 {
            return Err("the amount must be more than zero".to_string());
        }
        if amount.minor_units > line.fee.outstanding.minor_units {
            return Err(format!("at most {} is outstanding", line.fee.outstanding));
        }
        Ok(amount)
    }

    /// The selected fees as request items, or the first problem, naming the fee.
    pub fn items(&self) -> Result<Vec<WaiverItem>, String> {
        self.lines
            .iter()
            .filter(|l| l.selected)
            .map(|l| {
                FeePicker::amount(l)
                    .map(|amount| WaiverItem {
                        fee_id: l.fee.id,
                        amount,
                    })
                    .map_err(|m| {
                        let charged = l.fee.charged_at.format("%-d %b");
                        format!("{} of {charged}: {m}", l.fee.kind.label())
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, FeeId, FeeKind};

    fn line(outstanding: i64) -> FeeLine {
        let usd = |m| Money::new(m, Currency::USD);
        FeeLine {
            fee: Fee {
                id: FeeId(7),
                kind: FeeKind::LatePayment,
                charged_at: chrono::DateTime::from_timestamp(1_762_905_600, 0).unwrap_or_default(),
                amount: usd(outstanding),
                outstanding: usd(outstanding),
                waiver_pending: false,
            },
            selected: true,
            amount: TextInput::with(&usd(outstanding).decimal()),
        }
    }

    #[test]
    fn amounts_default_to_outstanding_and_cannot_exceed_it() {
        let mut picker = FeePicker::new(vec![line(3500)]);
        assert_eq!(picker.items().map(|i| i[0].amount.minor_units), Ok(3500));
        picker.lines[0].amount = TextInput::with("35.01");
        assert_eq!(
            picker.items(),
            Err("Late payment fee of 12 Nov: at most $35.00 is outstanding".to_string())
        );
        picker.lines[0].amount = TextInput::default();
        picker.type_text("1x0.5");
        assert_eq!(picker.items().map(|i| i[0].amount.minor_units), Ok(1050));
        picker.lines[0].amount = TextInput::with("0");
        assert!(picker.items().is_err());
        picker.toggle();
        assert_eq!(picker.items(), Ok(vec![]));
    }
}
