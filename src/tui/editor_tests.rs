//! Unit tests of the multi-line editor.

use super::*;

fn typed(text: &str) -> TextArea {
    let mut t = TextArea::default();
    text.chars().for_each(|c| t.insert_char(c));
    t
}

fn at(text: &str, cursor: (usize, usize)) -> TextArea {
    let mut t = TextArea::new(text);
    t.cursor = cursor;
    t
}

#[test]
fn new_text_and_is_empty() {
    let t = TextArea::new("one\r\ntwo\x07\n");
    assert_eq!(t.text(), "one\ntwo\n");
    assert_eq!(t.cursor(), (2, 0));
    assert_eq!(t.len(), 8);
    assert!(!t.is_empty());
    assert!(TextArea::new("").is_empty());
    assert!(TextArea::default().is_empty());
    assert_eq!(TextArea::default().text(), "");
}

#[test]
fn default_survives_every_operation() {
    let mut t = TextArea::default();
    t.backspace();
    t.delete();
    t.move_left();
    t.move_right();
    t.move_up();
    t.move_down();
    t.move_word_left();
    t.move_word_right();
    t.home();
    t.end();
    assert!(!t.undo());
    assert_eq!(t.wrap(10).rows, vec![String::new()]);
    t.insert_char('a');
    assert_eq!(t.text(), "a");
}

#[test]
fn insert_char_at_cursor() {
    let mut t = at("ac", (0, 1));
    t.insert_char('b');
    assert_eq!(t.text(), "abc");
    assert_eq!(t.cursor(), (0, 2));
    t.insert_char('\x1b');
    t.insert_char('\r');
    assert_eq!(t.text(), "abc");
    t.insert_char('\n');
    assert_eq!(t.text(), "ab\nc");
    assert_eq!(t.cursor(), (1, 0));
}

#[test]
fn newline_splits_the_line() {
    let mut t = at("hello world", (0, 5));
    t.newline();
    assert_eq!(t.text(), "hello\n world");
    assert_eq!(t.cursor(), (1, 0));
}

#[test]
fn backspace_deletes_and_joins_lines() {
    let mut t = at("ab\ncd", (1, 1));
    t.backspace();
    assert_eq!((t.text().as_str(), t.cursor()), ("ab\nd", (1, 0)));
    t.backspace();
    assert_eq!((t.text().as_str(), t.cursor()), ("abd", (0, 2)));
    t.cursor = (0, 0);
    t.backspace();
    assert_eq!(t.text(), "abd");
}

#[test]
fn delete_removes_and_joins_next_line() {
    let mut t = at("ab\ncd", (0, 1));
    t.delete();
    assert_eq!((t.text().as_str(), t.cursor()), ("a\ncd", (0, 1)));
    t.delete();
    assert_eq!((t.text().as_str(), t.cursor()), ("acd", (0, 1)));
    t.end();
    t.delete();
    assert_eq!(t.text(), "acd");
}

#[test]
fn left_and_right_cross_line_ends() {
    let mut t = at("ab\ncd", (1, 0));
    t.move_left();
    assert_eq!(t.cursor(), (0, 2));
    t.move_right();
    assert_eq!(t.cursor(), (1, 0));
    t.cursor = (0, 0);
    t.move_left();
    assert_eq!(t.cursor(), (0, 0));
    t.cursor = (1, 2);
    t.move_right();
    assert_eq!(t.cursor(), (1, 2));
}

#[test]
fn up_and_down_keep_the_preferred_column() {
    let mut t = at("long line\nab\nanother line", (0, 7));
    t.move_down();
    assert_eq!(t.cursor(), (1, 2));
    t.move_down();
    assert_eq!(t.cursor(), (2, 7));
    t.move_up();
    t.move_up();
    assert_eq!(t.cursor(), (0, 7));
    t.move_up();
    assert_eq!(t.cursor(), (0, 0));
    t.cursor = (2, 3);
    t.move_down();
    assert_eq!(t.cursor(), (2, 12));
}

#[test]
fn other_moves_forget_the_preferred_column() {
    let mut t = at("long line\nab\nanother line", (0, 7));
    t.move_down();
    t.move_left();
    t.move_down();
    assert_eq!(t.cursor(), (2, 1));
}

#[test]
fn home_and_end() {
    let mut t = at("ab\ncdef", (1, 2));
    t.home();
    assert_eq!(t.cursor(), (1, 0));
    t.end();
    assert_eq!(t.cursor(), (1, 4));
}

#[test]
fn word_moves() {
    let mut t = at("call back, tomorrow\nnext", (0, 0));
    t.move_word_right();
    assert_eq!(t.cursor(), (0, 4));
    t.move_word_right();
    assert_eq!(t.cursor(), (0, 9));
    t.move_word_right();
    assert_eq!(t.cursor(), (0, 19));
    t.move_word_right();
    assert_eq!(t.cursor(), (1, 0));
    t.move_word_left();
    assert_eq!(t.cursor(), (0, 19));
    t.move_word_left();
    assert_eq!(t.cursor(), (0, 11));
    t.move_word_left();
    assert_eq!(t.cursor(), (0, 5));
    t.cursor = (0, 7);
    t.move_word_left();
    assert_eq!(t.cursor(), (0, 5));
}

#[test]
fn typing_coalesces_until_a_space() {
    let mut t = typed("hello world");
    assert!(t.undo());
    assert_eq!(t.text(), "hello ");
    assert!(t.undo());
    assert_eq!(t.text(), "");
    assert!(!t.undo());
    assert!(t.redo());
    assert_eq!((t.text().as_str(), t.cursor()), ("hello ", (0, 6)));
    assert!(t.redo());
    assert_eq!(t.text(), "hello world");
    assert!(!t.redo());
}

#[test]
fn a_cursor_move_or_other_edit_ends_the_step() {
    let mut t = typed("ab");
    t.move_left();
    t.move_right();
    t.insert_char('c');
    t.newline();
    t.insert_char('d');
    t.backspace();
    t.backspace();
    assert_eq!(t.text(), "abc");
    assert!(t.undo());
    assert_eq!(t.text(), "abc\nd");
    assert!(t.undo());
    assert_eq!(t.text(), "abc\n");
    assert!(t.undo());
    assert_eq!(t.text(), "abc");
    assert!(t.undo());
    assert_eq!(t.text(), "ab");
}

#[test]
fn consecutive_deletes_are_one_step() {
    let mut t = TextArea::new("abcdef");
    t.backspace();
    t.backspace();
    t.home();
    t.delete();
    t.delete();
    assert_eq!(t.text(), "cd");
    assert!(t.undo());
    assert_eq!(t.text(), "abcd");
    assert!(t.undo());
    assert_eq!(t.text(), "abcdef");
}

#[test]
fn a_new_edit_clears_redo() {
    let mut t = typed("ab");
    assert!(t.undo());
    t.insert_char('x');
    assert!(!t.redo());
    assert_eq!(t.text(), "x");
}

#[test]
fn history_is_bounded() {
    let mut t = TextArea::default();
    for _ in 0..HISTORY + 50 {
        t.newline();
    }
    let mut steps = 0;
    while t.undo() {
        steps += 1;
    }
    assert_eq!(steps, HISTORY);
    assert_eq!(t.len(), 50);
}

#[test]
fn paste_with_newlines_is_one_step() {
    let mut t = at("[]", (0, 1));
    assert!(!t.insert_str("one\r\ntwo\x00\nthree"));
    assert_eq!(t.text(), "[one\ntwo\nthree]");
    assert_eq!(t.cursor(), (2, 5));
    assert!(t.undo());
    assert_eq!((t.text().as_str(), t.cursor()), ("[]", (0, 1)));
}

#[test]
fn paste_without_newline_stays_on_the_line() {
    let mut t = at("ad", (0, 1));
    t.insert_str("bc");
    assert_eq!((t.text().as_str(), t.cursor()), ("abcd", (0, 3)));
}

#[test]
fn limit_cuts_insertions() {
    let mut t = TextArea::new("ab").with_limit(5);
    assert!(t.insert_str("c\ndef"));
    assert_eq!(t.text(), "abc\nd");
    t.insert_char('x');
    t.newline();
    assert_eq!(t.text(), "abc\nd");
    assert!(t.insert_str("y"));
    t.backspace();
    t.insert_char('z');
    assert_eq!(t.text(), "abc\nz");
    assert!(!t.insert_str(""));
}

#[test]
fn limit_keeps_longer_existing_text() {
    let mut t = TextArea::new("abcdef").with_limit(3);
    assert!(t.insert_str("x"));
    assert_eq!(t.text(), "abcdef");
}

#[test]
fn wrap_at_word_boundaries() {
    let w = TextArea::new("the quick brown fox").wrap(10);
    assert_eq!(w.rows, vec!["the quick", "brown fox"]);
    assert_eq!(w.cursor, (1, 9));
}

#[test]
fn wrap_keeps_lines_apart() {
    let w = TextArea::new("ab\n\ncd").wrap(10);
    assert_eq!(w.rows, vec!["ab", "", "cd"]);
    assert_eq!(w.cursor, (2, 2));
}

#[test]
fn cursor_position_after_wrap() {
    let w = at("hello world", (0, 7)).wrap(5);
    assert_eq!(w.rows, vec!["hello", "world"]);
    assert_eq!(w.cursor, (1, 1));
    assert_eq!(at("hello world", (0, 5)).wrap(5).cursor, (1, 0));
    assert_eq!(at("ab\nhello world", (1, 3)).wrap(5).cursor, (1, 3));
}

#[test]
fn cursor_at_the_edge_opens_a_row() {
    let w = TextArea::new("hello").wrap(5);
    assert_eq!(w.rows, vec!["hello", ""]);
    assert_eq!(w.cursor, (1, 0));
    let w = at("hello\nab", (1, 1)).wrap(5);
    assert_eq!(w.rows, vec!["hello", "ab"]);
    assert_eq!(w.cursor, (1, 1));
}

#[test]
fn wrap_cjk_by_cells_without_splitting_wide_chars() {
    let w = TextArea::new("王秀英王秀英").wrap(5);
    assert_eq!(w.rows, vec!["王秀", "英王", "秀英"]);
    assert_eq!(w.cursor, (2, 4));
    let w = TextArea::new("ab王").wrap(3);
    assert_eq!(w.rows, vec!["ab", "王"]);
    assert_eq!(w.cursor, (1, 2));
    let w = TextArea::new("note 😀😀").wrap(8);
    assert_eq!(w.rows, vec!["note 😀", "😀"]);
}

#[test]
fn wrap_hard_breaks_a_long_word() {
    let word = "a".repeat(300);
    let w = TextArea::new(&format!("x {word} y")).wrap(80);
    let widths: Vec<usize> = w.rows.iter().map(|r| r.chars().count()).collect();
    assert_eq!(widths, vec![1, 80, 80, 80, 62]);
    assert_eq!(w.rows[1], "a".repeat(80));
    assert_eq!(w.rows[4], format!("{} y", "a".repeat(60)));
    assert_eq!(w.cursor, (4, 62));
}

#[test]
fn wrap_narrow_and_zero_widths() {
    let t = TextArea::new("王 a\nb");
    assert_eq!(t.wrap(0), Wrapped::default());
    let w = t.wrap(1);
    assert_eq!(w.rows, vec!["王", "a", "b", ""]);
    assert_eq!(w.cursor, (3, 0));
}

#[test]
fn wrap_of_nothing_is_one_empty_row() {
    let w = TextArea::new("").wrap(20);
    assert_eq!(w.rows, vec![""]);
    assert_eq!(w.cursor, (0, 0));
}
