//! What the desk may draw on this terminal: Unicode box drawing and symbols on a
//! UTF-8 locale, ASCII otherwise (the desk's symbols get ASCII stand-ins, names
//! and text are spelt in ASCII: `Inés` → `Ines`, `王秀英` → `Wang Xiuying`),
//! and width-aware truncation so CJK and emoji never break alignment.

use crate::domain::romanize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The symbols the views use, in the terminal's character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    pub unicode: bool,
    pub ellipsis: &'static str,
    pub bullet: &'static str,
    pub pointer: &'static str,
    pub separator: &'static str,
    /// A bar chart's nine levels, from empty to full (sparklines).
    pub bars: [char; 9],
    /// A bar chart's mark for a moment without data.
    pub no_bar: char,
}

impl Glyphs {
    pub const UNICODE: Glyphs = Glyphs {
        unicode: true,
        ellipsis: "…",
        bullet: "•",
        pointer: "▶",
        separator: "·",
        bars: [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
        no_bar: '·',
    };

    pub const ASCII: Glyphs = Glyphs {
        unicode: false,
        ellipsis: "...",
        bullet: "*",
        pointer: ">",
        separator: "|",
        bars: [' ', '_', '.', ',', '-', '=', '+', '*', '#'],
        no_bar: ' ',
    };

    /// UTF-8 when LC_ALL, LC_CTYPE or LANG (the first one set) names UTF-8.
    pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> Glyphs {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|var| env(var).filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if locale.contains("utf-8") || locale.contains("utf8") {
            Glyphs::UNICODE
        } else {
            Glyphs::ASCII
        }
    }

    /// `text` as this terminal can show it: unchanged on UTF-8, else the
    /// desk's symbols become their ASCII stand-ins and everything else is
    /// spelt in ASCII (`Jesús` → `Jesus`, `王秀英` → `Wang Xiuying`).
    pub fn show<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.unicode || text.is_ascii() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut symbols = String::with_capacity(text.len());
        for c in text.chars() {
            match ascii_symbol(c) {
                Some(stand_in) => symbols.push_str(stand_in),
                None => symbols.push(c),
            }
        }
        std::borrow::Cow::Owned(romanize::to_ascii(&symbols))
    }

    /// `show`, then cut to `width` columns with an ellipsis when too long.
    pub fn fit(&self, text: &str, width: usize) -> String {
        let shown = self.show(text);
        if shown.width() <= width {
            return shown.into_owned();
        }
        let ellipsis_width = self.ellipsis.width();
        if width <= ellipsis_width {
            return truncate(&shown, width);
        }
        let mut out = truncate(&shown, width - ellipsis_width);
        out.push_str(self.ellipsis);
        out
    }
}

/// The ASCII stand-in of one of the desk's own symbols (those of
/// `Glyphs::UNICODE`, `›` between a category and its label, the arrows of
/// key hints).
fn ascii_symbol(c: char) -> Option<&'static str> {
    match c {
        '…' => Some(Glyphs::ASCII.ellipsis),
        '•' => Some(Glyphs::ASCII.bullet),
        '▶' | '›' => Some(Glyphs::ASCII.pointer),
        '·' => Some(Glyphs::ASCII.separator),
        '←' => Some("<-"),
        '→' => Some("->"),
        _ => None,
    }
}

/// The longest prefix of `text` that fits `width` columns (a wide character
/// that would straddle the edge is left out).
pub fn truncate(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// `text` padded with spaces to exactly `width` columns (cut first if longer).
pub fn pad(glyphs: &Glyphs, text: &str, width: usize) -> String {
    let mut out = glyphs.fit(text, width);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_their_real_width() {
        let g = Glyphs::UNICODE;
        assert_eq!(g.fit("王秀英王秀英", 7), "王秀英…");
        assert_eq!(pad(&g, "王秀英", 8).width(), 8);
        assert_eq!(pad(&g, "Zoë 🚀 Starr", 6), "Zoë … ");
        assert_eq!(pad(&g, "Zoë 🚀", 6), "Zoë 🚀");
        assert_eq!(pad(&g, "🚀🚀🚀", 5).width(), 5);
        assert_eq!(truncate("ab王", 3), "ab");
    }

    #[test]
    fn ascii_terminals_get_transliterations_and_ascii_symbols() {
        let env = |v: &str| (v == "LANG").then(|| "C".to_string());
        let g = Glyphs::detect(&env);
        assert_eq!(g, Glyphs::ASCII);
        assert_eq!(g.fit("Zoë Müller", 20), "Zoe Muller");
        assert_eq!(g.fit("Inés · Jesús", 20), "Ines | Jesus");
        assert_eq!(
            g.fit("Billing › Late fee explained", 40),
            "Billing > Late fee explained"
        );
        assert_eq!(g.fit("Loading…", 20), "Loading...");
        assert_eq!(g.fit("space or ←/→", 20), "space or <-/->");
        assert_eq!(g.fit("abcdefghij", 6), "abc...");
        let utf8 = |v: &str| (v == "LC_ALL").then(|| "en_US.UTF-8".to_string());
        assert_eq!(Glyphs::detect(&utf8), Glyphs::UNICODE);
    }

    #[test]
    fn every_unicode_symbol_has_its_ascii_stand_in() {
        let (u, a) = (Glyphs::UNICODE, Glyphs::ASCII);
        for (unicode, ascii) in [
            (u.ellipsis, a.ellipsis),
            (u.bullet, a.bullet),
            (u.pointer, a.pointer),
            (u.separator, a.separator),
        ] {
            assert_eq!(a.show(unicode), ascii);
        }
    }

    #[test]
    fn chinese_names_are_spelt_in_pinyin_and_still_fit_the_width() {
        let g = Glyphs::ASCII;
        assert_eq!(g.fit("王秀英", 20), "Wang Xiuying");
        assert_eq!(g.fit("王秀英", 8), "Wang ...");
        assert_eq!(pad(&g, "王秀英", 14), "Wang Xiuying  ");
        assert_eq!(pad(&g, "王秀英", 3), "Wan");
        assert!(!g.fit("Jesús 王秀英 محمد", 40).contains('?'));
    }
}
