//! Colour escapes for terminals of 16 or 8 colours. Crossterm writes every
//! colour, even the 16 named ones, in 256-colour syntax (`ESC[38;5;6m`, also
//! inside combined sequences such as `ESC[38;5;6;48;5;0m`); a terminal that
//! knows only the ANSI colours shows those wrong or not at all. [`Rewriter`]
//! turns colours 0–15 into the codes every such terminal knows: foreground
//! 30–37 and 90–97, background 40–47 and 100–107, or at 8 colours 30–37 and
//! 40–47 alone (the theme has already moved bright colours to normal ones).
//! Everything else passes through unchanged, byte for byte.

const ESC: u8 = 0x1b;

/// A sequence longer than this is not one the backend writes: it is passed
/// on as it is rather than held.
const LONGEST: usize = 64;

/// Rewrites a stream of terminal output; an escape sequence split across
/// writes is held until its end arrives.
#[derive(Debug, Default)]
pub struct Rewriter {
    /// Whether the terminal knows the bright codes (90–97, 100–107).
    bright: bool,
    /// The start of an escape sequence whose end has not arrived yet.
    pending: Vec<u8>,
}

impl Rewriter {
    /// For a terminal of 16 colours (`bright`) or 8.
    pub fn new(bright: bool) -> Rewriter {
        Rewriter {
            bright,
            pending: Vec::new(),
        }
    }

    /// Appends to `out` what `input` becomes.
    pub fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            if self.pending.is_empty() {
                // Plain text up to the next escape goes straight through.
                let plain = input.iter().position(|&b| b == ESC).unwrap_or(input.len());
                out.extend_from_slice(&input[..plain]);
                input = &input[plain..];
                if let Some((&esc, rest)) = input.split_first() {
                    self.pending.push(esc);
                    input = rest;
                }
                continue;
            }
            let Some((&byte, rest)) = input.split_first() else {
                break;
            };
            match self.step(byte) {
                Step::Hold => input = rest,
                Step::Done => {
                    self.finish(out);
                    input = rest;
                }
                // Not part of a sequence we rewrite: what was held goes out
                // as it came, and this byte is looked at afresh.
                Step::Release => out.append(&mut self.pending),
            }
        }
    }

    /// What `byte` does to the held sequence.
    fn step(&mut self, byte: u8) -> Step {
        let in_csi = self.pending.len() >= 2;
        let step = match byte {
            b'[' if !in_csi => Step::Hold,
            // Parameters and intermediates of a control sequence.
            0x20..=0x3f if in_csi && self.pending.len() < LONGEST => Step::Hold,
            // Its final byte.
            0x40..=0x7e if in_csi => Step::Done,
            _ => return Step::Release,
        };
        self.pending.push(byte);
        step
    }

    /// A whole control sequence is held: out it goes, rewritten if it sets
    /// colours.
    fn finish(&mut self, out: &mut Vec<u8>) {
        let sequence = std::mem::take(&mut self.pending);
        match rewrite_sgr(&sequence, self.bright) {
            Some(rewritten) => out.extend_from_slice(rewritten.as_bytes()),
            None => out.extend_from_slice(&sequence),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Step {
    Hold,
    Done,
    Release,
}

/// `ESC [ params m` with its colours 0–15 in 16-colour codes, or `None` when
/// the sequence is not a colour setting or has nothing to change.
fn rewrite_sgr(sequence: &[u8], bright: bool) -> Option<String> {
    let params = sequence.strip_prefix(b"\x1b[")?.strip_suffix(b"m")?;
    let params = std::str::from_utf8(params).ok()?;
    if !params.bytes().all(|b| b.is_ascii_digit() || b == b';') {
        return None;
    }
    let numbers: Vec<u16> = params
        .split(';')
        .map(|p| if p.is_empty() { Ok(0) } else { p.parse() })
        .collect::<Result<_, _>>()
        .ok()?;
    let mut codes = Vec::with_capacity(numbers.len());
    let mut changed = false;
    let mut rest = numbers.as_slice();
    while let Some((&first, after)) = rest.split_first() {
        let (taken, code) = match (first, after) {
            (38 | 48, [5, n, ..]) if *n < 16 => (3, Some(ansi_code(first, *n, bright))),
            // 256-colour and 24-bit colours (and the underline colour) keep
            // their parameters together.
            (38 | 48 | 58, [5, _, ..]) => (3, None),
            (38 | 48 | 58, [2, _, _, _, ..]) => (5, None),
            _ => (1, None),
        };
        match code {
            Some(code) => {
                codes.push(code);
                changed = true;
            }
            None => codes.extend_from_slice(&rest[..taken]),
        }
        rest = &rest[taken..];
    }
    if !changed {
        return None;
    }
    let codes: Vec<String> = codes.iter().map(u16::to_string).collect();
    Some(format!("\x1b[{}m", codes.join(";")))
}

/// The 16-colour code for colour `n` (0–15) as foreground (`38`) or
/// background (`48`); without `bright`, colours 8–15 become 0–7.
fn ansi_code(kind: u16, n: u16, bright: bool) -> u16 {
    let normal = if kind == 38 { 30 } else { 40 };
    match n {
        0..=7 => normal + n,
        _ if bright => normal + 60 + n - 8,
        _ => normal + n - 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(bright: bool, chunks: &[&str]) -> String {
        let mut rewriter = Rewriter::new(bright);
        let mut out = Vec::new();
        for chunk in chunks {
            rewriter.feed(chunk.as_bytes(), &mut out);
        }
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn named_colours_become_ansi_codes() {
        let cases = [
            ("\x1b[38;5;6m", "\x1b[36m"),
            ("\x1b[38;5;0m", "\x1b[30m"),
            ("\x1b[38;5;9m", "\x1b[91m"),
            ("\x1b[38;5;15m", "\x1b[97m"),
            ("\x1b[48;5;4m", "\x1b[44m"),
            ("\x1b[48;5;8m", "\x1b[100m"),
            ("\x1b[38;5;6;48;5;0m", "\x1b[36;40m"),
            ("\x1b[1;38;5;11;48;5;12m", "\x1b[1;93;104m"),
        ];
        for (from, to) in cases {
            assert_eq!(rewritten(true, &[from]), to, "{from:?}");
        }
    }

    #[test]
    fn at_eight_colours_bright_ones_become_normal() {
        assert_eq!(rewritten(false, &["\x1b[38;5;9m"]), "\x1b[31m");
        assert_eq!(rewritten(false, &["\x1b[38;5;3;48;5;15m"]), "\x1b[33;47m");
    }

    #[test]
    fn everything_else_passes_through_byte_for_byte() {
        let unchanged = [
            "plain text, no escapes",
            "\x1b[39m\x1b[49m\x1b[0m",
            "\x1b[38;5;196m",
            "\x1b[48;2;10;20;30m",
            "\x1b[58;5;3m",
            "\x1b[?25l\x1b[?1049h\x1b[2J\x1b[5;10H",
            "\x1b]0;title\x07",
            "\x1b7\x1b8",
            "caf\u{e9} \u{2502} \u{4e2d}",
            "\x1b[38;5;99999m",
        ];
        for text in unchanged {
            assert_eq!(rewritten(true, &[text]), text, "{text:?}");
        }
        // A 24-bit colour's parameters are not read as a colour index.
        assert_eq!(
            rewritten(true, &["\x1b[38;2;5;5;5;38;5;1m"]),
            "\x1b[38;2;5;5;5;31m"
        );
    }

    #[test]
    fn a_sequence_split_across_writes_is_held_until_it_ends() {
        let chunks = ["ab\x1b", "[38;", "5;", "6", "mcd\x1b[48;5;1", "m"];
        assert_eq!(rewritten(true, &chunks), "ab\x1b[36mcd\x1b[41m");
        let mut rewriter = Rewriter::new(true);
        let mut out = Vec::new();
        rewriter.feed(b"x\x1b[38;5", &mut out);
        assert_eq!(out, b"x", "the unfinished sequence is held");
    }

    #[test]
    fn what_is_not_a_sequence_is_released_as_it_came() {
        assert_eq!(rewritten(true, &["\x1b\x1b[38;5;2m"]), "\x1b\x1b[32m");
        assert_eq!(rewritten(true, &["\x1b[38\x1b[38;5;2m"]), "\x1b[38\x1b[32m");
        let long = format!("\x1b[{}m", "1;".repeat(40));
        assert_eq!(rewritten(true, &[&long]), long);
    }
}
