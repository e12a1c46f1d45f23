//! Themes: how each part of the desk looks, looked up by style name.
//!
//! A theme is a TOML file: an optional `inherits = "NAME"`, a `[palette]` of
//! named colours and a `[styles]` table from dotted style names (see
//! [`STYLE_NAMES`]) to `{ fg, bg, modifiers }`. A style, and each field a style
//! leaves unset, comes from its parent: `timeline.kind.fee` -> `timeline.kind`
//! -> `timeline` -> `base`. A theme that inherits patches its parent field by
//! field, and its palette entries recolour the parent's styles too.
//!
//! Shipped themes (`themes/*.toml`) are compiled in. User themes live in
//! `$XDG_CONFIG_HOME/switchboard/themes/NAME.toml`; one named like a shipped
//! theme replaces it (and may still inherit the shipped one by its name).
//!
//! Loading never fails: every error in every file of the chain is reported
//! with file, line and column, and the shipped `default` theme is used
//! instead. Colours are fitted to the terminal ([`ColorDepth`]): 24-bit down
//! to xterm-256, the 16 ANSI colours or the first 8 (bright ones become
//! normal and bold), and none at all under `NO_COLOR`, where the `mono` theme
//! is always used.

use crate::configfile::ConfigError;
use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod file;

/// Every style name the views use, a family to a line. To add one, add it
/// here (its parent must be listed too: the tests check) and, where it should
/// look different from its parent, give it a look in the shipped themes.
#[rustfmt::skip]
pub const STYLE_NAMES: &[&str] = &[
    "base", "title", "border", "border.focused", "selection", "muted",
    "header", "header.name", "header.label", "header.value",
    "status", "status.online", "status.degraded", "status.offline",
    "hint", "hint.key",
    "error", "warning", "success", "info",
    "money", "money.negative", "money.positive",
    "search", "search.match", "search.exact",
    "timeline", "timeline.time", "timeline.channel", "timeline.summary", "timeline.expanded",
    "timeline.kind", "timeline.kind.fee", "timeline.kind.complaint", "timeline.kind.payment",
    "timeline.kind.offer", "timeline.kind.escalation", "timeline.kind.waiver",
    "suggestion", "suggestion.title", "suggestion.reason", "suggestion.key", "suggestion.score",
    "badge", "badge.segment", "badge.consent",
    "palette", "palette.input", "palette.item",
    "help", "help.key", "help.description",
    "form", "form.label", "form.input", "form.error",
    "board", "board.ok", "board.breach", "board.header", "board.spark",
    "chooser", "chooser.item",
];

/// The themes compiled into the binary.
const SHIPPED: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
    ("dusk", include_str!("../../themes/dusk.toml")),
];

/// The 16 ANSI colours in index order: name, colour and xterm's RGB. Also
/// accepted: `gray`/`grey` (= white, 7) and `dark_gray`/`dark_grey` (= 8).
#[rustfmt::skip]
const ANSI: [(&str, Color, [u8; 3]); 16] = [
    ("black", Color::Black, [0, 0, 0]),
    ("red", Color::Red, [205, 0, 0]),
    ("green", Color::Green, [0, 205, 0]),
    ("yellow", Color::Yellow, [205, 205, 0]),
    ("blue", Color::Blue, [0, 0, 238]),
    ("magenta", Color::Magenta, [205, 0, 205]),
    ("cyan", Color::Cyan, [0, 205, 205]),
    ("white", Color::Gray, [229, 229, 229]),
    ("bright_black", Color::DarkGray, [127, 127, 127]),
    ("bright_red", Color::LightRed, [255, 0, 0]),
    ("bright_green", Color::LightGreen, [0, 255, 0]),
    ("bright_yellow", Color::LightYellow, [255, 255, 0]),
    ("bright_blue", Color::LightBlue, [92, 92, 255]),
    ("bright_magenta", Color::LightMagenta, [255, 0, 255]),
    ("bright_cyan", Color::LightCyan, [0, 255, 255]),
    ("bright_white", Color::White, [255, 255, 255]),
];

/// Channel levels of the xterm-256 6x6x6 colour cube (indexes 16-231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// A loaded theme: a resolved style for every name in [`STYLE_NAMES`].
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    styles: BTreeMap<&'static str, Style>,
}

impl Theme {
    /// The theme's name (`mono` under `NO_COLOR`, `default` after an error).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style for `name`. A name not listed falls back to its nearest
    /// listed parent (`timeline.kind.refund` -> `timeline.kind`), else `base`.
    pub fn style(&self, name: &str) -> Style {
        let mut key = name;
        loop {
            if let Some(style) = self.styles.get(key) {
                return *style;
            }
            match key.rsplit_once('.') {
                Some((parent, _)) => key = parent,
                None => return self.styles.get("base").copied().unwrap_or_default(),
            }
        }
    }

    fn fit(mut self, depth: ColorDepth) -> Theme {
        for style in self.styles.values_mut() {
            *style = fit(*style, depth);
        }
        self
    }
}

/// The shipped `default` theme in 16 colours (handy in tests and previews).
impl Default for Theme {
    fn default() -> Theme {
        load("default", None, ColorDepth::Ansi16).0
    }
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    None,
    /// The first 8 ANSI colours (SGR 30–37 and 40–47) and nothing brighter.
    Ansi8,
    Ansi16,
    Ansi256,
    TrueColor,
}

impl ColorDepth {
    /// From environment variables, read through `env` so it can be tested:
    /// `NO_COLOR` (non-empty) or `TERM=dumb` -> None; `COLORTERM` truecolor or
    /// 24bit -> TrueColor; a `TERM` containing `256color` -> Ansi256; a `TERM`
    /// of a terminal with 8 colours and no bright ones ([`eight_colours`])
    /// -> Ansi8; else Ansi16 (xterm, the Linux console, screen and tmux all
    /// know the bright colours whatever their terminfo says).
    pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> ColorDepth {
        let var = |key: &str| env(key).filter(|value| !value.is_empty());
        let term = var("TERM").unwrap_or_default();
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if var("NO_COLOR").is_some() || term == "dumb" {
            ColorDepth::None
        } else if colorterm == "truecolor" || colorterm == "24bit" {
            ColorDepth::TrueColor
        } else if term.contains("256color") {
            ColorDepth::Ansi256
        } else if eight_colours(&term) {
            ColorDepth::Ansi8
        } else {
            ColorDepth::Ansi16
        }
    }

    /// [`ColorDepth::detect`] on this process's environment.
    pub fn from_env() -> ColorDepth {
        ColorDepth::detect(&|key| std::env::var(key).ok())
    }
}

/// Terminals that know the 8 colours of SGR 30–37 and not the bright ones
/// (90–97): the DEC VT family and what emulates it (`vt100`, `vt220`…),
/// `ansi` (the PC console's ANSI.SYS), BSD's `cons25`, Sun's console, and any
/// `*-8color` entry.
fn eight_colours(term: &str) -> bool {
    let vt = term
        .strip_prefix("vt")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    vt || term.starts_with("ansi")
        || term.starts_with("cons25")
        || term.starts_with("sun")
        || term.ends_with("-8color")
}

/// `$XDG_CONFIG_HOME/switchboard/themes` (or `~/.config/…`).
pub fn user_dir() -> Option<PathBuf> {
    crate::config::config_path().and_then(|path| path.parent().map(|dir| dir.join("themes")))
}

/// Loads theme `name`, fitted to `depth`. Never fails: on any error the
/// errors are returned with the shipped `default` theme (`mono` when depth is
/// None, which also selects `mono` whatever `name` was asked for).
pub fn load(name: &str, user_dir: Option<&Path>, depth: ColorDepth) -> (Theme, Vec<ConfigError>) {
    let (wanted, fallback) = match depth {
        ColorDepth::None => ("mono", "mono"),
        _ => (name, "default"),
    };
    let mut errors = Vec::new();
    let mut theme = build(wanted, user_dir, &mut errors);
    if !errors.is_empty() {
        theme = build(fallback, None, &mut errors);
    }
    sort(&mut errors);
    (theme.fit(depth), errors)
}

/// Every error in theme `name` and the themes it inherits, for `check-config`.
pub fn check(name: &str, user_dir: Option<&Path>) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    build(name, user_dir, &mut errors);
    sort(&mut errors);
    errors
}

/// The themes available: shipped ones and `*.toml` in the user directory.
pub fn names(user_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = SHIPPED.iter().map(|(name, _)| name.to_string()).collect();
    if let Some(entries) = user_dir.and_then(|dir| std::fs::read_dir(dir).ok()) {
        names.extend(entries.filter_map(|entry| theme_stem(&entry.ok()?.path())));
    }
    names.sort();
    names.dedup();
    names
}

fn theme_stem(path: &Path) -> Option<String> {
    if path.extension()? != "toml" {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    is_theme_name(stem).then(|| stem.to_string())
}

fn sort(errors: &mut [ConfigError]) {
    errors.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}

fn build(name: &str, user_dir: Option<&Path>, errors: &mut Vec<ConfigError>) -> Theme {
    let chain = file::read_chain(name, user_dir, errors);
    let merged = file::merge(chain, errors);
    Theme {
        name: name.to_string(),
        styles: resolve(&merged),
    }
}

fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

// ------------------------------------------------------------ resolving ---

/// A style for every name, parents before children.
fn resolve(merged: &file::Merged) -> BTreeMap<&'static str, Style> {
    let mut order = STYLE_NAMES.to_vec();
    order.sort_by_key(|name| (*name != "base", name.matches('.').count()));
    let mut styles = BTreeMap::new();
    for name in order {
        let parent = parent_of(name)
            .and_then(|parent| styles.get(parent).copied())
            .unwrap_or_default();
        let style = match merged.styles.get(name) {
            Some(spec) => spec.apply(parent, &merged.palette),
            None => parent,
        };
        styles.insert(name, style);
    }
    styles
}

fn parent_of(name: &str) -> Option<&str> {
    match name.rsplit_once('.') {
        Some((parent, _)) => Some(parent),
        None => (name != "base").then_some("base"),
    }
}

// ------------------------------------------------------ colour fitting ---

fn fit(style: Style, depth: ColorDepth) -> Style {
    let mut out = style;
    match depth {
        ColorDepth::TrueColor => {}
        ColorDepth::None => {
            out.fg = None;
            out.bg = None;
            out.underline_color = None;
        }
        ColorDepth::Ansi256 => {
            out.fg = style.fg.map(to_256);
            out.bg = style.bg.map(to_256);
        }
        ColorDepth::Ansi16 => {
            out.fg = style.fg.map(to_16);
            out.bg = style.bg.map(to_16);
            // Two colours that were different must not become one.
            if out.fg.is_some() && out.fg == out.bg && style.fg != style.bg {
                out.fg = style
                    .fg
                    .and_then(rgb_of)
                    .map(|rgb| nearest(rgb, 16, out.bg));
            }
        }
        ColorDepth::Ansi8 => {
            let fg = style.fg.map(to_16);
            out.fg = fg.map(to_8);
            out.bg = style.bg.map(to_16).map(to_8);
            // Bold is how an 8-colour terminal shows a bright colour.
            if fg.is_some_and(|c| ansi_index(c).is_some_and(|i| i > 8)) {
                out.add_modifier |= Modifier::BOLD;
            }
            if out.fg.is_some() && out.fg == out.bg && style.fg != style.bg {
                out.fg = style.fg.and_then(rgb_of).map(|rgb| nearest(rgb, 8, out.bg));
            }
        }
    }
    out
}

/// One of the 16 ANSI colours as one of the first 8: a bright colour as its
/// normal one, and bright black (a dimmed grey) as white rather than black,
/// so that it stays readable on a dark screen.
fn to_8(color: Color) -> Color {
    match ansi_index(color) {
        Some(8) => Color::Gray,
        Some(i) if i > 8 => ANSI[i - 8].1,
        _ => color,
    }
}

/// The index (0–15) of one of the 16 ANSI colours.
fn ansi_index(color: Color) -> Option<usize> {
    ANSI.iter().position(|(_, c, _)| *c == color)
}

fn to_256(color: Color) -> Color {
    match color {
        Color::Rgb(r, g, b) => Color::Indexed(rgb_to_256([r, g, b])),
        other => other,
    }
}

fn to_16(color: Color) -> Color {
    match color {
        Color::Indexed(n) if n < 16 => ANSI[usize::from(n)].1,
        Color::Indexed(_) | Color::Rgb(..) => {
            rgb_of(color).map_or(color, |rgb| nearest(rgb, 16, None))
        }
        other => other,
    }
}

/// The nearest xterm-256 colour from the cube and the grey ramp (16-255; the
/// first 16 depend on the terminal's palette).
fn rgb_to_256(rgb: [u8; 3]) -> u8 {
    let level = |v: u8| {
        (0..6u8)
            .min_by_key(|&i| CUBE[usize::from(i)].abs_diff(v))
            .unwrap_or(0)
    };
    let [r, g, b] = rgb.map(level);
    let cube = 16 + 36 * r + 6 * g + b;
    let average = rgb.iter().map(|&v| u16::from(v)).sum::<u16>() / 3;
    let grey = 232 + (average.saturating_sub(3) / 10).min(23) as u8;
    if distance(rgb, index_rgb(grey)) < distance(rgb, index_rgb(cube)) {
        grey
    } else {
        cube
    }
}

fn index_rgb(index: u8) -> [u8; 3] {
    match index {
        0..=15 => ANSI[usize::from(index)].2,
        16..=231 => {
            let i = usize::from(index - 16);
            [CUBE[i / 36], CUBE[i / 6 % 6], CUBE[i % 6]]
        }
        _ => [8 + 10 * (index - 232); 3],
    }
}

fn rgb_of(color: Color) -> Option<[u8; 3]> {
    match color {
        Color::Rgb(r, g, b) => Some([r, g, b]),
        Color::Indexed(n) => Some(index_rgb(n)),
        named => ANSI
            .iter()
            .find(|(_, c, _)| *c == named)
            .map(|(.., rgb)| *rgb),
    }
}

/// The nearest of the first `count` ANSI colours, other than `avoid`.
fn nearest(rgb: [u8; 3], count: usize, avoid: Option<Color>) -> Color {
    ANSI[..count]
        .iter()
        .filter(|(_, color, _)| Some(*color) != avoid)
        .min_by_key(|(.., candidate)| distance(rgb, *candidate))
        .map_or(Color::Reset, |(_, color, _)| *color)
}

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(&x, y)| u32::from(x.abs_diff(y)).pow(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn write(dir: &Path, name: &str, text: &str) -> String {
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, text).expect("write theme");
        path.display().to_string()
    }

    pub(super) fn shown(errors: &[ConfigError]) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    fn colors(theme: &Theme) -> Vec<Color> {
        let styles = STYLE_NAMES.iter().map(|name| theme.style(name));
        styles
            .flat_map(|style| style.fg.into_iter().chain(style.bg))
            .collect()
    }

    /// User theme `mine`, loaded in 24-bit colour; it must have no errors.
    fn mine(text: &str) -> Theme {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "mine", text);
        let (theme, errors) = load("mine", Some(dir.path()), ColorDepth::TrueColor);
        assert_eq!(shown(&errors), Vec::<String>::new());
        theme
    }

    #[test]
    fn every_shipped_theme_parses_without_errors() {
        for (name, _) in SHIPPED {
            assert_eq!(shown(&check(name, None)), Vec::<String>::new(), "{name}");
            assert_eq!(load(name, None, ColorDepth::TrueColor).0.name(), name);
        }
    }

    #[test]
    fn every_style_name_is_unique_and_has_a_listed_parent() {
        for (i, name) in STYLE_NAMES.iter().enumerate() {
            assert!(!STYLE_NAMES[..i].contains(name), "{name} twice");
            let parent = parent_of(name).unwrap_or("base");
            assert!(STYLE_NAMES.contains(&parent), "{name} needs {parent}");
        }
    }

    #[test]
    fn default_uses_only_the_eight_basic_colours() {
        let (theme, _) = load("default", None, ColorDepth::TrueColor);
        for color in colors(&theme) {
            assert!(ANSI[..8].iter().any(|(_, c, _)| *c == color), "{color:?}");
        }
    }

    #[test]
    fn mono_has_no_colour_at_all() {
        let (theme, _) = load("mono", None, ColorDepth::TrueColor);
        assert!(colors(&theme).iter().all(|c| *c == Color::Reset));
        let (theme, errors) = load("dusk", None, ColorDepth::None);
        assert!(errors.is_empty());
        assert_eq!(theme.name(), "mono");
        assert_eq!(colors(&theme), []);
    }

    #[test]
    fn states_never_rely_on_colour_alone() {
        let states = [
            "selection",
            "error",
            "status.offline",
            "board.breach",
            "search.match",
        ];
        for (name, _) in SHIPPED {
            let (theme, _) = load(name, None, ColorDepth::TrueColor);
            for state in states.into_iter().chain(["border.focused"]) {
                let modifiers = theme.style(state).add_modifier;
                assert!(!modifiers.is_empty(), "{name}: {state} has no modifier");
            }
        }
    }

    #[test]
    fn high_contrast_is_bright_and_dims_nothing() {
        let (theme, _) = load("high-contrast", None, ColorDepth::Ansi16);
        for name in STYLE_NAMES {
            assert!(
                !theme.style(name).add_modifier.contains(Modifier::DIM),
                "{name}"
            );
        }
        assert_eq!(theme.style("base").bg, Some(Color::Black));
        assert_eq!(theme.style("error").fg, Some(Color::LightRed));
    }

    #[test]
    fn dotted_names_fall_back_to_their_parent_field_by_field() {
        let theme = mine(
            "[styles]\nbase = { fg = \"white\" }\n\
             \"timeline.kind\" = { fg = \"red\", modifiers = [\"bold\"] }\n\
             \"timeline.kind.fee\" = { bg = \"blue\" }\n",
        );
        let fee = theme.style("timeline.kind.fee");
        assert_eq!((fee.fg, fee.bg), (Some(Color::Red), Some(Color::Blue)));
        assert_eq!(fee.add_modifier, Modifier::BOLD);
        assert_eq!(
            theme.style("timeline.kind.refund"),
            theme.style("timeline.kind")
        );
        assert_eq!(theme.style("timeline.time").fg, Some(Color::Gray));
        assert_eq!(theme.style("no.such.style"), theme.style("base"));
        assert_eq!(theme.style(""), theme.style("base"));
    }

    #[test]
    fn nested_tables_spell_the_same_names() {
        let theme = mine(
            "[styles.timeline.kind]\nfg = 208\nfee.fg = \"#102030\"\n\
             [styles]\nboard.ok.bg = \"1\"\n",
        );
        assert_eq!(theme.style("timeline.kind").fg, Some(Color::Indexed(208)));
        assert_eq!(
            theme.style("timeline.kind.fee").fg,
            Some(Color::Rgb(16, 32, 48))
        );
        assert_eq!(theme.style("board.ok").bg, Some(Color::Indexed(1)));
    }

    #[test]
    fn palette_names_resolve() {
        let theme = mine(
            "[palette]\nink = \"#000080\"\nsea = 33\n\
             [styles]\nbase = { fg = \"ink\", bg = \"sea\" }\n",
        );
        let value = theme.style("header.value");
        let expected = (Some(Color::Rgb(0, 0, 128)), Some(Color::Indexed(33)));
        assert_eq!((value.fg, value.bg), expected);
    }

    #[test]
    fn inheriting_patches_the_parent_and_its_palette_recolours_it() {
        let theme = mine(
            "inherits = \"default\"\n[palette]\naccent = \"#ff8800\"\n\
             [styles]\nmuted = { modifiers = [] }\n",
        );
        assert_eq!(theme.name(), "mine");
        let title = theme.style("title");
        assert_eq!(title.fg, Some(Color::Rgb(255, 136, 0)));
        assert_eq!(title.add_modifier, Modifier::BOLD);
        assert_eq!(theme.style("muted").add_modifier, Modifier::empty());
        assert_eq!(theme.style("error").fg, Some(Color::Red));
    }

    #[test]
    fn a_user_theme_replaces_a_shipped_one_and_may_build_on_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "inherits = \"default\"\n[styles]\ntitle = { fg = \"reset\" }\n";
        write(dir.path(), "default", text);
        let (theme, errors) = load("default", Some(dir.path()), ColorDepth::Ansi16);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(theme.style("title").fg, Some(Color::Reset));
        assert_eq!(theme.style("error").fg, Some(Color::Red));
        write(dir.path(), "mine", "");
        std::fs::write(dir.path().join("notes.txt"), "").expect("write");
        let expected = ["default", "dusk", "high-contrast", "mine", "mono"];
        assert_eq!(names(Some(dir.path())), expected);
    }

    #[test]
    fn colours_fit_the_terminal() {
        assert_eq!(rgb_to_256([255, 0, 0]), 196);
        assert_eq!(rgb_to_256([0, 0, 0]), 16);
        assert_eq!(rgb_to_256([128, 128, 128]), 244);
        assert_eq!(rgb_to_256([0x1c, 0x1b, 0x29]), 234);
        assert_eq!(rgb_to_256([95, 135, 175]), 67);
        assert_eq!(to_16(Color::Rgb(255, 0, 0)), Color::LightRed);
        assert_eq!(to_16(Color::Rgb(190, 10, 10)), Color::Red);
        assert_eq!(to_16(Color::Rgb(0x1c, 0x1b, 0x29)), Color::Black);
        assert_eq!(to_16(Color::Indexed(196)), Color::LightRed);
        assert_eq!(to_16(Color::Indexed(4)), Color::Blue);
        assert_eq!(to_16(Color::Indexed(250)), Color::Gray);
        assert_eq!(to_256(Color::Cyan), Color::Cyan);
        // Near-black on black would vanish in 16 colours: the text moves off black.
        let style = Style::new()
            .fg(Color::Rgb(40, 40, 40))
            .bg(Color::Rgb(0, 0, 0));
        let fitted = fit(style, ColorDepth::Ansi16);
        assert_eq!(
            (fitted.fg, fitted.bg),
            (Some(Color::DarkGray), Some(Color::Black))
        );
    }

    #[test]
    fn a_24_bit_theme_stays_readable_in_every_depth() {
        for depth in [
            ColorDepth::TrueColor,
            ColorDepth::Ansi256,
            ColorDepth::Ansi16,
        ] {
            let (theme, _) = load("dusk", None, depth);
            for name in STYLE_NAMES {
                let style = theme.style(name);
                assert!(
                    style.fg.is_none() || style.fg != style.bg,
                    "{depth:?} {name}"
                );
                let rgb = matches!(style.fg, Some(Color::Rgb(..)));
                assert!(depth == ColorDepth::TrueColor || !rgb, "{depth:?} {name}");
            }
        }
        let base = |depth| load("dusk", None, depth).0.style("base");
        assert_eq!(base(ColorDepth::Ansi256).bg, Some(Color::Indexed(234)));
        let base = base(ColorDepth::Ansi16);
        assert_eq!((base.fg, base.bg), (Some(Color::Gray), Some(Color::Black)));
    }

    #[test]
    fn eight_colours_are_the_first_eight_and_bright_is_bold() {
        let fitted = |fg, bg| {
            let style = fit(Style::new().fg(fg).bg(bg), ColorDepth::Ansi8);
            (
                style.fg,
                style.bg,
                style.add_modifier.contains(Modifier::BOLD),
            )
        };
        let red = Some(Color::Red);
        assert_eq!(fitted(Color::LightRed, Color::Blue).0, red);
        assert!(fitted(Color::LightRed, Color::Blue).2, "bright is bold");
        assert!(!fitted(Color::Red, Color::Blue).2);
        assert_eq!(fitted(Color::Red, Color::LightBlue).1, Some(Color::Blue));
        assert_eq!(fitted(Color::Rgb(255, 0, 0), Color::Black).0, red);
        assert_eq!(
            fitted(Color::Indexed(250), Color::Black).0,
            Some(Color::Gray)
        );
        // Dimmed grey stays readable on a dark screen.
        assert_eq!(fitted(Color::DarkGray, Color::Black).0, Some(Color::Gray));
        // Different colours stay different.
        let (fg, bg, _) = fitted(Color::LightBlue, Color::Blue);
        assert!(fg != bg, "{fg:?} on {bg:?}");
        for (name, _) in SHIPPED {
            let (theme, _) = load(name, None, ColorDepth::Ansi8);
            for color in colors(&theme) {
                let first_eight = ANSI[..8].iter().any(|(_, c, _)| *c == color);
                assert!(first_eight || color == Color::Reset, "{name}: {color:?}");
            }
        }
    }

    #[test]
    fn terminals_without_bright_colours_are_told_apart() {
        let depth = |term: &str| {
            let env = |key: &str| (key == "TERM").then(|| term.to_string());
            ColorDepth::detect(&env)
        };
        for term in [
            "vt100",
            "vt220",
            "ansi",
            "cons25",
            "sun-color",
            "xterm-8color",
        ] {
            assert_eq!(depth(term), ColorDepth::Ansi8, "{term}");
        }
        for term in ["xterm-16color", "xterm", "linux", "screen", "tmux", "vte"] {
            assert_eq!(depth(term), ColorDepth::Ansi16, "{term}");
        }
        assert_eq!(depth("xterm-88color"), ColorDepth::Ansi16);
    }

    #[test]
    fn colour_depth_comes_from_the_environment() {
        let cases: [(&[(&str, &str)], ColorDepth); 8] = [
            (
                &[("TERM", "xterm-256color"), ("NO_COLOR", "1")],
                ColorDepth::None,
            ),
            (&[("TERM", "xterm"), ("NO_COLOR", "")], ColorDepth::Ansi16),
            (&[("TERM", "dumb")], ColorDepth::None),
            (
                &[("TERM", "xterm"), ("COLORTERM", "truecolor")],
                ColorDepth::TrueColor,
            ),
            (&[("COLORTERM", "24BIT")], ColorDepth::TrueColor),
            (&[("TERM", "screen-256color")], ColorDepth::Ansi256),
            (&[("TERM", "linux")], ColorDepth::Ansi16),
            (&[], ColorDepth::Ansi16),
        ];
        for (vars, expected) in cases {
            let env = |key: &str| {
                let found = vars.iter().find(|(k, _)| *k == key);
                found.map(|(_, value)| value.to_string())
            };
            assert_eq!(ColorDepth::detect(&env), expected, "{vars:?}");
        }
    }
}
