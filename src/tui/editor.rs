//! The multi-line text area behind the wrap-up notes of the interaction log
//! form: plain data changed by pure methods, with coalescing undo/redo, an
//! optional length limit, and word wrap measured in terminal cells for the
//! view. Nothing here does I/O.

use crate::tui::edit::{word_end, word_start, Edit};
use std::collections::VecDeque;
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// How many undo steps are kept; the oldest are dropped first.
const HISTORY: usize = 200;

/// Editable text and its cursor. The text is lines of chars (never holding
/// `'\n'` or other control characters); the cursor is (line, column), both
/// counted in chars.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextArea {
    lines: Vec<Vec<char>>,
    cursor: (usize, usize),
    /// The column up/down moves aim for, kept while passing shorter lines.
    goal_col: Option<usize>,
    /// Most chars (newlines included) that insertions may grow the text to.
    limit: Option<usize>,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    /// The kind of the last edit, while later edits may still join its step.
    last_edit: Option<EditKind>,
}

/// The text laid out for a given width: one string per display row, and the
/// cursor as (display row, display column in cells).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wrapped {
    pub rows: Vec<String>,
    pub cursor: (usize, usize),
}

/// One undo step: the text and cursor before (or, for redo, after) an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    text: String,
    cursor: (usize, usize),
}

/// Edits of the same kind in a row share one undo step, except `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Typing,
    Backspace,
    Delete,
    Other,
}

impl TextArea {
    /// A text area holding `text` ('\r' and other control characters dropped),
    /// with the cursor at its end, no limit and no history.
    pub fn new(text: &str) -> Self {
        let lines = split_lines(text);
        let last = lines.len().saturating_sub(1);
        let end = lines.last().map_or(0, Vec::len);
        Self {
            lines,
            cursor: (last, end),
            ..Self::default()
        }
    }

    /// Limits insertions to `chars` chars in all (a newline counts as one).
    /// Text already present is kept even when it is longer: nothing typed is
    /// lost, it only cannot grow.
    pub fn with_limit(mut self, chars: usize) -> Self {
        self.limit = Some(chars);
        self
    }

    /// Replaces the whole text (cursor at the end, no history), keeping the
    /// limit: a restored draft.
    pub fn reset_to(&mut self, text: &str) {
        *self = TextArea {
            limit: self.limit,
            ..TextArea::new(text)
        };
    }

    /// The text, lines joined with '\n'.
    pub fn text(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(|l| l.iter().collect()).collect();
        lines.join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(Vec::is_empty)
    }

    /// The length in chars, newlines included (what the limit counts).
    pub fn len(&self) -> usize {
        let chars: usize = self.lines.iter().map(Vec::len).sum();
        chars + self.lines.len().saturating_sub(1)
    }

    /// The cursor as (line, column), both in chars.
    pub fn cursor(&self) -> (usize, usize) {
        self.cursor
    }

    /// Types one char at the cursor. '\n' starts a new line; other control
    /// characters and chars past the limit are ignored.
    pub fn insert_char(&mut self, c: char) {
        if c == '\n' {
            self.newline();
            return;
        }
        if c.is_control() || self.room() == 0 {
            return;
        }
        self.record(EditKind::Typing);
        self.splice(&[c]);
        if c.is_whitespace() {
            // A typed word and the space after it are one undo step.
            self.last_edit = None;
        }
    }

    /// Pastes `text` at the cursor as one undo step. '\r' and any other
    /// control characters except '\n' are dropped. Returns whether text was
    /// cut to keep within the limit.
    pub fn insert_str(&mut self, text: &str) -> bool {
        let chars: Vec<char> = text
            .chars()
            .filter(|&c| c == '\n' || !c.is_control())
            .collect();
        let room = self.room();
        let cut = chars.len() > room;
        let kept = chars.get(..room).unwrap_or(&chars);
        if !kept.is_empty() {
            self.record(EditKind::Other);
            self.splice(kept);
        }
        cut
    }

    /// Splits the line at the cursor.
    pub fn newline(&mut self) {
        if self.room() == 0 {
            return;
        }
        self.record(EditKind::Other);
        self.splice(&['\n']);
    }

    /// Deletes the char before the cursor; at column 0, joins the line to
    /// the one above.
    pub fn backspace(&mut self) {
        let (row, col) = self.cursor;
        if col > 0 {
            self.record(EditKind::Backspace);
            self.remove_at(row, col - 1);
            self.cursor = (row, col - 1);
        } else if row > 0 {
            self.record(EditKind::Backspace);
            self.join_with_next(row - 1);
        }
    }

    /// Deletes the char under the cursor; at the end of a line, joins the
    /// next line to it.
    pub fn delete(&mut self) {
        let (row, col) = self.cursor;
        if col < self.line_len(row) {
            self.record(EditKind::Delete);
            self.remove_at(row, col);
        } else if row + 1 < self.lines.len() {
            self.record(EditKind::Delete);
            self.join_with_next(row);
        }
    }

    /// One char left, to the end of the line above from column 0.
    pub fn move_left(&mut self) {
        let (row, col) = self.cursor;
        let to = if col > 0 {
            (row, col - 1)
        } else if row > 0 {
            (row - 1, self.line_len(row - 1))
        } else {
            (row, col)
        };
        self.move_to(to);
    }

    /// One char right, to the start of the line below from a line's end.
    pub fn move_right(&mut self) {
        let (row, col) = self.cursor;
        let to = if col < self.line_len(row) {
            (row, col + 1)
        } else if row + 1 < self.lines.len() {
            (row + 1, 0)
        } else {
            (row, col)
        };
        self.move_to(to);
    }

    /// One line up, aiming for the column the up/down moves started from;
    /// on the first line, to its start.
    pub fn move_up(&mut self) {
        let (row, col) = self.cursor;
        if row == 0 {
            self.move_to((0, 0));
            return;
        }
        let goal = self.goal_col.unwrap_or(col);
        self.move_to((row - 1, goal.min(self.line_len(row - 1))));
        self.goal_col = Some(goal);
    }

    /// One line down, aiming for the column the up/down moves started from;
    /// on the last line, to its end.
    pub fn move_down(&mut self) {
        let (row, col) = self.cursor;
        if row + 1 >= self.lines.len() {
            self.move_to((row, self.line_len(row)));
            return;
        }
        let goal = self.goal_col.unwrap_or(col);
        self.move_to((row + 1, goal.min(self.line_len(row + 1))));
        self.goal_col = Some(goal);
    }

    /// To the start of the line.
    pub fn home(&mut self) {
        self.move_to((self.cursor.0, 0));
    }

    /// To the end of the line.
    pub fn end(&mut self) {
        let row = self.cursor.0;
        self.move_to((row, self.line_len(row)));
    }

    /// To the start of this or the previous word; from column 0, to the end
    /// of the line above.
    pub fn move_word_left(&mut self) {
        let (row, col) = self.cursor;
        if col == 0 {
            self.move_left();
        } else {
            self.move_to((row, word_start(self.line(row), col)));
        }
    }

    /// To the end of this or the next word; from a line's end, to the start
    /// of the line below.
    pub fn move_word_right(&mut self) {
        let (row, col) = self.cursor;
        if col >= self.line_len(row) {
            self.move_right();
        } else {
            self.move_to((row, word_end(self.line(row), col)));
        }
    }

    /// Deletes back to the start of this or the previous word; at column 0,
    /// joins the line to the one above.
    pub fn delete_word(&mut self) {
        let (row, col) = self.cursor;
        if col == 0 {
            self.backspace();
            return;
        }
        let from = word_start(self.line(row), col);
        self.record(EditKind::Other);
        if let Some(line) = self.lines.get_mut(row) {
            line.drain(from..col);
        }
        self.cursor = (row, from);
    }

    /// Empties the line the cursor is on.
    pub fn clear_line(&mut self) {
        let row = self.cursor.0;
        if self.line_len(row) == 0 {
            return;
        }
        self.record(EditKind::Other);
        if let Some(line) = self.lines.get_mut(row) {
            line.clear();
        }
        self.cursor = (row, 0);
    }

    /// Applies an editing key from the keymap's `[text]` table; true when
    /// the text changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let before = self.lines.clone();
        match edit {
            Edit::Left => self.move_left(),
            Edit::Right => self.move_right(),
            Edit::WordLeft => self.move_word_left(),
            Edit::WordRight => self.move_word_right(),
            Edit::LineStart => self.home(),
            Edit::LineEnd => self.end(),
            Edit::DeleteBack => self.backspace(),
            Edit::DeleteForward => self.delete(),
            Edit::DeleteWord => self.delete_word(),
            Edit::ClearLine => self.clear_line(),
            Edit::Undo => return self.undo(),
            Edit::Redo => return self.redo(),
        }
        self.lines != before
    }

    /// Takes back the last undo step. Returns false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(before) = self.undo.pop_back() else {
            return false;
        };
        self.redo.push(self.snapshot());
        self.restore(&before);
        true
    }

    /// Does again the last step undone. Returns false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(after) = self.redo.pop() else {
            return false;
        };
        self.push_undo();
        self.restore(&after);
        true
    }

    /// Lays the text out in rows at most `width` cells wide, breaking after
    /// spaces and around wide (CJK, emoji) chars where possible and inside
    /// longer words otherwise; a wide char is never split, and a row wider
    /// than `width` happens only when one char is. Spaces at a break hang
    /// off the row's end and are not drawn. A cursor that would sit at the
    /// right edge goes to the start of the next row, which is added empty at
    /// the end of a line. Width 0 gives no rows.
    pub fn wrap(&self, width: usize) -> Wrapped {
        let mut out = Wrapped::default();
        if width == 0 {
            return out;
        }
        let empty = [Vec::new()];
        let lines = if self.lines.is_empty() {
            &empty[..]
        } else {
            &self.lines[..]
        };
        for (row, line) in lines.iter().enumerate() {
            let segments = segments(line, width);
            let first_row = out.rows.len();
            out.rows
                .extend(segments.iter().map(|s| render(line, s.clone())));
            if row == self.cursor.0 {
                let (down, col) = cursor_in_line(line, &segments, self.cursor.1, width);
                if down >= segments.len() {
                    out.rows.push(String::new());
                }
                out.cursor = (first_row + down, col);
            }
        }
        out
    }

    /// How many more chars the limit allows.
    fn room(&self) -> usize {
        self.limit
            .map_or(usize::MAX, |limit| limit.saturating_sub(self.len()))
    }

    fn line(&self, row: usize) -> &[char] {
        self.lines.get(row).map_or(&[], Vec::as_slice)
    }

    fn line_len(&self, row: usize) -> usize {
        self.line(row).len()
    }

    /// Inserts `chars` (which may hold '\n') at the cursor and moves the
    /// cursor past them.
    fn splice(&mut self, chars: &[char]) {
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let row = self.cursor.0.min(self.lines.len() - 1);
        let col = self.cursor.1.min(self.line_len(row));
        let mut pieces = chars.split(|&c| c == '\n');
        let first = pieces.next().unwrap_or_default();
        let mut added: Vec<Vec<char>> = pieces.map(<[char]>::to_vec).collect();
        let Some(line) = self.lines.get_mut(row) else {
            return;
        };
        let tail = line.split_off(col);
        line.extend_from_slice(first);
        let last_row = row + added.len();
        self.cursor = match added.last_mut() {
            Some(last) => {
                let end = (last_row, last.len());
                last.extend(tail);
                end
            }
            None => {
                let end = (row, line.len());
                line.extend(tail);
                end
            }
        };
        self.lines.splice(row + 1..row + 1, added);
    }

    fn remove_at(&mut self, row: usize, col: usize) {
        if let Some(line) = self.lines.get_mut(row) {
            if col < line.len() {
                line.remove(col);
            }
        }
    }

    /// Appends line `row + 1` to line `row`; the cursor goes to the join.
    fn join_with_next(&mut self, row: usize) {
        if row + 1 >= self.lines.len() {
            return;
        }
        let next = self.lines.remove(row + 1);
        if let Some(line) = self.lines.get_mut(row) {
            self.cursor = (row, line.len());
            line.extend(next);
        }
    }

    /// A cursor move: it ends the current undo step and the up/down goal.
    fn move_to(&mut self, to: (usize, usize)) {
        self.cursor = to;
        self.goal_col = None;
        self.last_edit = None;
    }

    /// Called before an edit: saves the undo step unless the edit continues
    /// the previous one of the same kind.
    fn record(&mut self, kind: EditKind) {
        self.goal_col = None;
        self.redo.clear();
        let continues = kind != EditKind::Other && self.last_edit == Some(kind);
        self.last_edit = Some(kind);
        if !continues {
            self.push_undo();
        }
    }

    fn push_undo(&mut self) {
        self.undo.push_back(self.snapshot());
        if self.undo.len() > HISTORY {
            self.undo.pop_front();
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text(),
            cursor: self.cursor,
        }
    }

    fn restore(&mut self, snapshot: &Snapshot) {
        self.lines = split_lines(&snapshot.text);
        let row = snapshot.cursor.0.min(self.lines.len().saturating_sub(1));
        self.move_to((row, snapshot.cursor.1.min(self.line_len(row))));
    }
}

/// Lines of `text` split at '\n', with control characters dropped.
fn split_lines(text: &str) -> Vec<Vec<char>> {
    text.split('\n')
        .map(|line| line.chars().filter(|c| !c.is_control()).collect())
        .collect()
}

/// Display cells of one char; zero for combining marks.
fn cell_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

fn cells(chars: &[char]) -> usize {
    chars.iter().map(|&c| cell_width(c)).sum()
}

/// The display rows of one line as char ranges covering it; an empty line
/// is one empty row.
fn segments(line: &[char], width: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < line.len() {
        let end = row_end(line, start, width).max(start + 1);
        out.push(start..end);
        start = end;
    }
    if out.is_empty() {
        out.push(0..0);
    }
    out
}

/// Where the row starting at `start` ends: as many chars as fit, taken back
/// to the last break opportunity, with the spaces at a break hanging on.
fn row_end(line: &[char], start: usize, width: usize) -> usize {
    let fit = fit_end(line, start, width);
    match line.get(fit) {
        None => line.len(),
        Some(' ') => {
            fit + line
                .get(fit..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&c| c == ' ')
                .count()
        }
        Some(_) => (start + 1..=fit)
            .rev()
            .find(|&i| can_break_before(line, i))
            .unwrap_or(fit),
    }
}

/// The end of the longest run from `start` that fits in `width` cells, and
/// at least one char.
fn fit_end(line: &[char], start: usize, width: usize) -> usize {
    let mut used = 0;
    let mut end = start;
    for &c in line.get(start..).unwrap_or_default() {
        let w = cell_width(c);
        if used + w > width && end > start {
            break;
        }
        used += w;
        end += 1;
    }
    end
}

/// A row may end before `line[i]` after a space, or next to a wide char.
fn can_break_before(line: &[char], i: usize) -> bool {
    let prev = i.checked_sub(1).and_then(|p| line.get(p));
    let (Some(&prev), Some(&next)) = (prev, line.get(i)) else {
        return false;
    };
    prev == ' ' || cell_width(prev) > 1 || cell_width(next) > 1
}

/// The drawn text of one row: hanging spaces are not drawn.
fn render(line: &[char], range: Range<usize>) -> String {
    let row: String = line.get(range).unwrap_or_default().iter().collect();
    row.trim_end_matches(' ').to_string()
}

/// The cursor's (row within the line, cell column) for char column `col`.
/// A cursor at or past the right edge goes to the start of the next row.
fn cursor_in_line(
    line: &[char],
    segments: &[Range<usize>],
    col: usize,
    width: usize,
) -> (usize, usize) {
    let index = segments
        .iter()
        .position(|s| col < s.end)
        .unwrap_or(segments.len().saturating_sub(1));
    let start = segments.get(index).map_or(0, |s| s.start);
    let used = cells(line.get(start..col).unwrap_or_default());
    if used >= width {
        (index + 1, 0)
    } else {
        (index, used)
    }
}

#[cfg(test)]
#[path = "editor_tests.rs"]
mod tests;
