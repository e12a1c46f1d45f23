//! A one-line text input (search, filters, the palette, prompts, sign-in,
//! the forms' short fields), edited with the keys of [`Edit`]. Plain data;
//! the cursor is a char index, and undo keeps each edit's text before it.

use crate::tui::edit::{word_end, word_start, Edit};

/// How many undo steps a one-line input keeps.
const HISTORY: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    /// Chars before the cursor; past the end means at the end.
    cursor: Option<usize>,
    undo: Vec<String>,
    redo: Vec<String>,
    /// All of the text is selected: typing replaces it.
    selected: bool,
}

impl TextInput {
    pub fn with(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            ..TextInput::default()
        }
    }

    /// Selects all of the text, so what is typed next replaces it.
    pub fn select_all(&mut self) {
        self.selected = !self.text.is_empty();
        self.cursor = None;
    }

    /// Whether all of the text is selected.
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// The cursor, in chars from the start.
    pub fn cursor(&self) -> usize {
        let len = self.text.chars().count();
        self.cursor.map_or(len, |c| c.min(len))
    }

    /// Inserts at the cursor.
    pub fn insert(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.remember();
        if std::mem::take(&mut self.selected) {
            self.text.clear();
            self.cursor = None;
        }
        let at = self.byte_at(self.cursor());
        self.text.insert_str(at, s);
        self.cursor = Some(self.cursor() + s.chars().count());
    }

    pub fn backspace(&mut self) {
        self.apply(Edit::DeleteBack);
    }

    /// Applies an editing key; true when the text changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let deletes = matches!(
            edit,
            Edit::DeleteBack | Edit::DeleteForward | Edit::DeleteWord | Edit::ClearLine
        );
        if std::mem::take(&mut self.selected) && deletes {
            self.remember();
            self.text.clear();
            self.cursor = None;
            return true;
        }
        let chars: Vec<char> = self.text.chars().collect();
        let at = self.cursor();
        let (text, cursor): (Option<String>, usize) = match edit {
            Edit::Left => (None, at.saturating_sub(1)),
            Edit::Right => (None, (at + 1).min(chars.len())),
            Edit::WordLeft => (None, word_start(&chars, at)),
            Edit::WordRight => (None, word_end(&chars, at)),
            Edit::LineStart => (None, 0),
            Edit::LineEnd => (None, chars.len()),
            Edit::DeleteBack if at > 0 => (Some(cut(&chars, at - 1..at)), at - 1),
            Edit::DeleteForward if at < chars.len() => (Some(cut(&chars, at..at + 1)), at),
            Edit::DeleteWord if at > 0 => {
                let from = word_start(&chars, at);
                (Some(cut(&chars, from..at)), from)
            }
            Edit::ClearLine if !chars.is_empty() => (Some(String::new()), 0),
            Edit::Undo => return self.step(true),
            Edit::Redo => return self.step(false),
            Edit::DeleteBack | Edit::DeleteForward | Edit::DeleteWord | Edit::ClearLine => {
                return false
            }
        };
        let changed = text.is_some();
        if let Some(text) = text {
            self.remember();
            self.text = text;
        }
        self.cursor = Some(cursor);
        changed
    }

    /// The text before the cursor (where the terminal's cursor goes).
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.byte_at(self.cursor())]
    }

    /// The text with the cursor shown: `_` at the end, `|` inside.
    pub fn shown(&self) -> String {
        let at = self.cursor();
        if at >= self.text.chars().count() {
            return format!("{}_", self.text);
        }
        let byte = self.byte_at(at);
        format!("{}|{}", &self.text[..byte], &self.text[byte..])
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn remember(&mut self) {
        if self.undo.len() == HISTORY {
            self.undo.remove(0);
        }
        self.undo.push(self.text.clone());
        self.redo.clear();
    }

    fn step(&mut self, back: bool) -> bool {
        let (from, to) = if back {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(text) = from.pop() else {
            return false;
        };
        to.push(std::mem::replace(&mut self.text, text));
        self.cursor = None;
        true
    }
}

/// `chars` without the range.
fn cut(chars: &[char], range: std::ops::Range<usize>) -> String {
    chars[..range.start]
        .iter()
        .chain(&chars[range.end..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_moves_by_chars_and_words_and_typing_goes_there() {
        let mut t = TextInput::with("maria gonzález");
        assert_eq!(t.cursor(), 14);
        t.apply(Edit::WordLeft);
        assert_eq!(t.cursor(), 6);
        t.insert("x");
        assert_eq!(t.text, "maria xgonzález");
        assert_eq!(t.shown(), "maria x|gonzález");
        t.apply(Edit::LineStart);
        t.apply(Edit::Right);
        t.apply(Edit::DeleteForward);
        assert_eq!(t.text, "mria xgonzález");
        t.apply(Edit::LineEnd);
        assert_eq!(t.shown(), "mria xgonzález_");
    }

    #[test]
    fn typing_replaces_a_selected_text_and_a_move_keeps_it() {
        let mut t = TextInput::with("oliver bennp");
        t.select_all();
        t.insert("w");
        assert_eq!(t.text, "w");
        let mut t = TextInput::with("oliver");
        t.select_all();
        t.apply(Edit::LineStart);
        t.insert("x");
        assert_eq!(t.text, "xoliver", "a move ends the selection");
        let mut t = TextInput::with("oliver");
        t.select_all();
        assert!(t.apply(Edit::DeleteBack));
        assert_eq!(t.text, "");
    }

    #[test]
    fn word_delete_clear_and_undo_redo() {
        let mut t = TextInput::with("oliver bennett");
        assert!(t.apply(Edit::DeleteWord));
        assert_eq!(t.text, "oliver ");
        assert!(t.apply(Edit::ClearLine));
        assert_eq!(t.text, "");
        assert!(!t.apply(Edit::ClearLine), "nothing left to clear");
        assert!(t.apply(Edit::Undo));
        assert_eq!(t.text, "oliver ");
        assert!(t.apply(Edit::Undo));
        assert_eq!(t.text, "oliver bennett");
        assert!(!t.apply(Edit::Undo));
        assert!(t.apply(Edit::Redo));
        assert_eq!(t.text, "oliver ");
        t.insert("b");
        assert!(!t.apply(Edit::Redo), "typing drops what was undone");
    }
}
