//! The editing keys every text field shares (the keymap's `[text]` table
//! names them) and where a word starts and ends, for one-line inputs and the
//! notes editor alike.

/// An editing key, as the keymap's `[text]` table binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    WordLeft,
    WordRight,
    LineStart,
    LineEnd,
    DeleteBack,
    DeleteForward,
    DeleteWord,
    ClearLine,
    Undo,
    Redo,
}

/// Where a word-left move from `col` lands: past the gap before it, then to
/// the start of the word.
pub fn word_start(line: &[char], col: usize) -> usize {
    let mut i = col.min(line.len());
    while i > 0 && line.get(i - 1).is_some_and(|&c| !is_word(c)) {
        i -= 1;
    }
    while i > 0 && line.get(i - 1).is_some_and(|&c| is_word(c)) {
        i -= 1;
    }
    i
}

/// Where a word-right move from `col` lands: past the gap after it, then to
/// the end of the word.
pub fn word_end(line: &[char], col: usize) -> usize {
    let mut i = col;
    while line.get(i).is_some_and(|&c| !is_word(c)) {
        i += 1;
    }
    while line.get(i).is_some_and(|&c| is_word(c)) {
        i += 1;
    }
    i
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
