//! Untrusted text made safe to show on a terminal: whole escape sequences (CSI,
//! OSC, DCS and the other string controls, in their 7-bit and 8-bit forms) are
//! removed; other C0/C1 controls and bidirectional overrides are replaced by a
//! visible U+FFFD so tampering shows instead of acting. The desk applies it where
//! data enters (`tui::sanitize`); the server uses it to index names as people
//! see them.

/// What a removed control is shown as.
pub const REPLACEMENT: char = '\u{FFFD}';

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';

/// Cleans text that may span lines (notes, details): keeps `\n`, turns tabs into
/// spaces.
pub fn clean_text(input: &str) -> String {
    clean(input, true)
}

/// Cleans single-line text (names, summaries): line breaks become spaces.
pub fn clean_line(input: &str) -> String {
    clean(input, false)
}

fn clean(input: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' => out.push(' '),
            '\r' => {}
            c if is_forbidden(c) => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// C0 and C1 controls, DEL, and the bidi embedding/override/isolate characters.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: a CSI, a string control (OSC, DCS, SOS, PM, APC), or a
/// two-character escape.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // nF escapes (ESC, intermediates 0x20–0x2F, final byte).
        Some(' '..='/') => {
            for c in chars.by_ref() {
                if !(' '..='/').contains(&c) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Parameters and intermediates up to the final byte 0x40–0x7E.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
    }
}

/// Up to BEL or ST (ESC \ or 0x9C). An unterminated string swallows the rest,
/// which is what a terminal would do with it too.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            BEL | '\u{9c}' => return,
            ESC => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(clean_line("\u{1b}[31mRed\u{1b}[0m Alert"), "Red Alert");
        assert_eq!(clean_line("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(
            clean_line("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"),
            "alinkb"
        );
        assert_eq!(clean_line("a\u{1b}P1$r\u{1b}\\b"), "ab");
        assert_eq!(clean_line("a\u{9b}2Jb"), "ab");
        assert_eq!(clean_line("a\u{9d}0;t\u{9c}b"), "ab");
        assert_eq!(clean_line("a\u{1b}(Bb"), "ab");
        assert_eq!(clean_line("a\u{1b}cb"), "ab");
        assert_eq!(clean_line("unterminated \u{1b}]0;title"), "unterminated ");
    }

    #[test]
    fn other_controls_and_bidi_overrides_are_replaced_visibly() {
        assert_eq!(clean_line("bell\u{7}!"), "bell\u{fffd}!");
        assert_eq!(clean_line("c1\u{85}x"), "c1\u{fffd}x");
        assert_eq!(clean_line("abc\u{202e}fed"), "abc\u{fffd}fed");
        assert_eq!(clean_line("del\u{7f}"), "del\u{fffd}");
        assert_eq!(clean_line("two\nlines\tand tab"), "two lines and tab");
        assert_eq!(clean_text("two\r\nlines"), "two\nlines");
        // Ordinary text of every script is kept.
        assert_eq!(clean_line("王秀英 محمد Zoë 🚀"), "王秀英 محمد Zoë 🚀");
    }
}
