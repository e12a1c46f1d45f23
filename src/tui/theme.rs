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
//! to xterm-256 or the 16 ANSI colours, and none at all under `NO_COLOR`,
//! where the `mono` theme is always used.

use crate::config::{line_col, ConfigError};
use ratatui::style::{Color, Modifier, Style};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

const TOP_KEYS: [&str; 3] = ["inherits", "palette", "styles"];
const FIELDS: [&str; 3] = ["fg", "bg", "modifiers"];
const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("reverse", Modifier::REVERSED),
    ("underline", Modifier::UNDERLINED),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
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
    Ansi16,
    Ansi256,
    TrueColor,
}

impl ColorDepth {
    /// From environment variables, read through `env` so it can be tested:
    /// `NO_COLOR` (non-empty) or `TERM=dumb` -> None; `COLORTERM` truecolor or
    /// 24bit -> TrueColor; a `TERM` containing `256color` -> Ansi256; else Ansi16.
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
        } else {
            ColorDepth::Ansi16
        }
    }

    /// [`ColorDepth::detect`] on this process's environment.
    pub fn from_env() -> ColorDepth {
        ColorDepth::detect(&|key| std::env::var(key).ok())
    }
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
    let chain = read_chain(name, user_dir, errors);
    let merged = merge(chain, errors);
    Theme {
        name: name.to_string(),
        styles: resolve(&merged),
    }
}

// ---------------------------------------------------------------- files ---

/// One theme file's text and where it came from.
struct Source {
    name: String,
    path: String,
    text: String,
    user: bool,
}

impl Source {
    fn error(&self, at: usize, message: String) -> ConfigError {
        let (line, column) = line_col(&self.text, at);
        ConfigError {
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }
}

fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_shipped(name: &str) -> bool {
    SHIPPED.iter().any(|(shipped, _)| *shipped == name)
}

/// The user's file for `name` if there is one (unless `shipped_only`), else
/// the shipped one.
fn find(
    name: &str,
    user_dir: Option<&Path>,
    shipped_only: bool,
    errors: &mut Vec<ConfigError>,
) -> Option<Source> {
    if !is_theme_name(name) {
        return None;
    }
    let user_dir = user_dir.filter(|_| !shipped_only);
    let user_file = user_dir.and_then(|dir| read(&dir.join(format!("{name}.toml")), errors));
    let (path, text, user) = match user_file {
        Some((path, text)) => (path, text, true),
        None => {
            let (_, text) = SHIPPED.iter().find(|(shipped, _)| *shipped == name)?;
            (format!("themes/{name}.toml"), text.to_string(), false)
        }
    };
    let name = name.to_string();
    Some(Source {
        name,
        path,
        text,
        user,
    })
}

/// A file's path and text; None if it does not exist or cannot be read.
fn read(path: &Path, errors: &mut Vec<ConfigError>) -> Option<(String, String)> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some((path.display().to_string(), text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            errors.push(whole_file(path, format!("cannot read: {e}")));
            None
        }
    }
}

fn whole_file(path: &Path, message: String) -> ConfigError {
    ConfigError {
        path: path.display().to_string(),
        line: 1,
        column: 1,
        message,
    }
}

/// The theme and its ancestors, child first.
fn read_chain(name: &str, user_dir: Option<&Path>, errors: &mut Vec<ConfigError>) -> Vec<Layer> {
    let Some(source) = find(name, user_dir, false, errors) else {
        let path = match user_dir {
            Some(dir) => dir.join(format!("{name}.toml")),
            None => PathBuf::from(format!("themes/{name}.toml")),
        };
        errors.push(whole_file(&path, unknown("theme", name, &names(user_dir))));
        return Vec::new();
    };
    let mut chain = vec![parse(source, errors)];
    while let Some(parent) = next_parent(&chain, user_dir, errors) {
        chain.push(parse(parent, errors));
    }
    chain
}

/// The file the last layer inherits; None at the root or on an error.
fn next_parent(
    chain: &[Layer],
    user_dir: Option<&Path>,
    errors: &mut Vec<ConfigError>,
) -> Option<Source> {
    let child = chain.last()?;
    let (name, at) = child.parsed.inherits.as_ref()?;
    let shipped_only = child.source.user && *name == child.source.name && is_shipped(name);
    let Some(parent) = find(name, user_dir, shipped_only, errors) else {
        let message = unknown("theme", name, &names(user_dir));
        errors.push(child.source.error(*at, message));
        return None;
    };
    let seen = |layer: &Layer| layer.source.name == parent.name && layer.source.user == parent.user;
    if chain.iter().any(seen) {
        let mut cycle: Vec<&str> = chain
            .iter()
            .map(|layer| layer.source.name.as_str())
            .collect();
        cycle.push(name);
        let message = format!("inheritance cycle: {}", cycle.join(" -> "));
        errors.push(child.source.error(*at, message));
        return None;
    }
    Some(parent)
}

// -------------------------------------------------------------- parsing ---

// serde_spanned's protocol, which toml 0.8 uses to hand out spans (it is
// what `toml::Spanned` asks for). Spelled out here because `Spanned` rejects a
// table that has no span of its own (`[styles.title]` makes `styles` one);
// the line:column tests fail if the protocol changes.
const SPANNED: &str = "$__serde_spanned_private_Spanned";
const SPANNED_FIELDS: &[&str] = &[
    "$__serde_spanned_private_start",
    "$__serde_spanned_private_end",
    "$__serde_spanned_private_value",
];

/// A TOML key and the byte offset where it starts.
struct Key {
    text: String,
    at: usize,
}

/// A TOML value and the byte offset where it starts (0 for a table made by
/// a dotted name, which has no place of its own).
struct Node {
    value: Value,
    at: usize,
}

enum Value {
    Str(String),
    Int(i64),
    /// Booleans, floats and anything else no theme field accepts.
    Other(String),
    List(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

/// A key is read as a (string) node.
impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        let node = Node::deserialize(deserializer)?;
        let text = describe(&node.value);
        Ok(Key { text, at: node.at })
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_struct(SPANNED, SPANNED_FIELDS, NodeVisitor)
    }
}

/// The value inside a spanned value.
struct Bare;

impl<'de> DeserializeSeed<'de> for Bare {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer
            .deserialize_any(NodeVisitor)
            .map(|node| node.value)
    }
}

struct NodeVisitor;

impl NodeVisitor {
    fn node<E>(value: Value) -> Result<Node, E> {
        Ok(Node { value, at: 0 })
    }
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a TOML value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Self::node(Value::Str(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Self::node(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Self::node(Value::Other(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Self::node(Value::Other(v.to_string()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Self::node(Value::Other(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Self::node(Value::List(items))
    }
    /// Either a spanned value (start, end, value) or a table without a span.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            if key.text == SPANNED_FIELDS[0] {
                let at = map.next_value()?;
                map.next_entry::<IgnoredAny, IgnoredAny>()?;
                map.next_key::<IgnoredAny>()?;
                let value = map.next_value_seed(Bare)?;
                return Ok(Node { value, at });
            }
            entries.push((key, map.next_value()?));
        }
        Self::node(Value::Table(entries))
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Str(text) | Value::Other(text) => text.clone(),
        Value::Int(n) => n.to_string(),
        Value::List(_) => "[...]".to_string(),
        Value::Table(_) => "{...}".to_string(),
    }
}

/// A colour as written: a colour, or a palette name resolved after merging.
#[derive(Debug, Clone)]
enum Paint {
    Color(Color),
    Palette(String),
}

#[derive(Debug, Clone, Default)]
struct StyleSpec {
    fg: Option<Paint>,
    bg: Option<Paint>,
    modifiers: Option<Modifier>,
}

impl StyleSpec {
    fn patch(&mut self, child: StyleSpec) {
        self.fg = child.fg.or(self.fg.take());
        self.bg = child.bg.or(self.bg.take());
        self.modifiers = child.modifiers.or(self.modifiers);
    }

    fn apply(&self, parent: Style, palette: &BTreeMap<String, Color>) -> Style {
        let paint = |paint: &Option<Paint>| match paint {
            Some(Paint::Color(color)) => Some(*color),
            Some(Paint::Palette(name)) => palette.get(name).copied(),
            None => None,
        };
        let mut style = parent;
        style.fg = paint(&self.fg).or(parent.fg);
        style.bg = paint(&self.bg).or(parent.bg);
        style.add_modifier = self.modifiers.unwrap_or(parent.add_modifier);
        style
    }
}

/// What one file says.
#[derive(Default)]
struct Parsed {
    inherits: Option<(String, usize)>,
    palette: BTreeMap<String, Color>,
    styles: BTreeMap<&'static str, StyleSpec>,
    /// Palette names used by styles, checked once the ancestors are known.
    references: Vec<(String, usize)>,
}

struct Layer {
    source: Source,
    parsed: Parsed,
}

fn parse(source: Source, errors: &mut Vec<ConfigError>) -> Layer {
    let mut parser = Parser {
        source: &source,
        errors,
        parsed: Parsed::default(),
    };
    parser.document();
    let parsed = parser.parsed;
    Layer { source, parsed }
}

struct Parser<'a> {
    source: &'a Source,
    errors: &'a mut Vec<ConfigError>,
    parsed: Parsed,
}

impl Parser<'_> {
    fn error(&mut self, at: usize, message: String) {
        let error = self.source.error(at, message);
        self.errors.push(error);
    }

    fn document(&mut self) {
        let root = match toml::from_str::<Node>(&self.source.text) {
            Ok(Node {
                value: Value::Table(entries),
                ..
            }) => entries,
            Ok(_) => Vec::new(),
            Err(e) => {
                return self.error(
                    e.span().map_or(0, |span| span.start),
                    e.message().trim().replace('\n', "; "),
                )
            }
        };
        for (key, value) in root {
            match key.text.as_str() {
                "inherits" => self.inherits(value),
                "palette" => self.palette(value),
                "styles" => self.styles(value),
                other => self.error(key.at, unknown("key", other, &TOP_KEYS)),
            }
        }
    }

    fn table(&mut self, value: Node, what: &str) -> Option<Vec<(Key, Node)>> {
        let at = value.at;
        match value.value {
            Value::Table(entries) => Some(entries),
            _ => {
                self.error(at, format!("{what} must be a table"));
                None
            }
        }
    }

    fn inherits(&mut self, value: Node) {
        let at = value.at;
        match value.value {
            Value::Str(name) => self.parsed.inherits = Some((name, at)),
            _ => self.error(at, "`inherits` must be a theme name in quotes".into()),
        }
    }

    fn palette(&mut self, value: Node) {
        for (key, value) in self.table(value, "`palette`").unwrap_or_default() {
            let name = &key.text;
            if !is_palette_name(name) {
                let message = format!("palette name `{name}` must start with a letter");
                self.error(key.at, message);
            } else if parse_color(name).is_some() {
                let message = format!("palette name `{name}` is already a colour; choose another");
                self.error(key.at, message);
            } else {
                // A bad colour is reported here, not again where it is used.
                let color = self.color(&value).unwrap_or(Color::Reset);
                self.parsed.palette.insert(name.clone(), color);
            }
        }
    }

    fn styles(&mut self, value: Node) {
        for (key, value) in self.table(value, "`styles`").unwrap_or_default() {
            self.style(None, key, value);
        }
    }

    /// One style (`key` under `parent`), in either spelling: a quoted dotted
    /// key, or nested tables (`[styles.timeline.kind]` then `fee.fg = ...`).
    fn style(&mut self, parent: Option<&str>, key: Key, value: Node) {
        let full = match parent {
            Some(parent) => format!("{parent}.{}", key.text),
            None => key.text.clone(),
        };
        let Some(name) = STYLE_NAMES.iter().copied().find(|name| *name == full) else {
            return self.error(key.at, unknown("style", &full, STYLE_NAMES));
        };
        let mut spec = StyleSpec::default();
        for (key, value) in self
            .table(value, &format!("style `{name}`"))
            .unwrap_or_default()
        {
            match key.text.as_str() {
                "fg" => spec.fg = self.paint(&value),
                "bg" => spec.bg = self.paint(&value),
                "modifiers" => spec.modifiers = self.modifiers(value),
                // A child style; `board.ok = "red"` is one, but not a table.
                _ if matches!(value.value, Value::Table(_)) || is_style(name, &key.text) => {
                    self.style(Some(name), key, value)
                }
                other => self.error(key.at, unknown("style field", other, &FIELDS)),
            }
        }
        self.parsed.styles.entry(name).or_default().patch(spec);
    }

    /// A colour, or a palette name to look up once the ancestors are known.
    fn paint(&mut self, value: &Node) -> Option<Paint> {
        match &value.value {
            Value::Str(text) if parse_color(text).is_none() && is_palette_name(text) => {
                self.parsed.references.push((text.clone(), value.at));
                Some(Paint::Palette(text.clone()))
            }
            _ => self.color(value).map(Paint::Color),
        }
    }

    fn color(&mut self, value: &Node) -> Option<Color> {
        let color = match &value.value {
            Value::Str(text) => parse_color(text),
            Value::Int(n) => u8::try_from(*n).ok().map(Color::Indexed),
            _ => None,
        };
        if color.is_none() {
            let shown = describe(&value.value);
            let message = format!("`{shown}` is not a colour: use an ANSI name, #rrggbb or 0-255");
            self.error(value.at, message);
        }
        color
    }

    fn modifiers(&mut self, value: Node) -> Option<Modifier> {
        let at = value.at;
        let Value::List(items) = value.value else {
            self.error(at, "`modifiers` must be a list, e.g. [\"bold\"]".into());
            return None;
        };
        let names = MODIFIERS.map(|(name, _)| name);
        let mut all = Modifier::empty();
        for item in items {
            let shown = describe(&item.value);
            match MODIFIERS.iter().find(|(name, _)| *name == shown) {
                Some((_, modifier)) => all |= *modifier,
                None => self.error(item.at, unknown("modifier", &shown, &names)),
            }
        }
        Some(all)
    }
}

fn is_style(parent: &str, child: &str) -> bool {
    STYLE_NAMES.contains(&format!("{parent}.{child}").as_str())
}

fn is_palette_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An ANSI name, `#rrggbb`, 0-255, or `default`/`reset`.
fn parse_color(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        return parse_hex(hex);
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().map(Color::Indexed);
    }
    let name = match text {
        "default" | "reset" => return Some(Color::Reset),
        "gray" | "grey" => "white",
        "dark_gray" | "dark_grey" => "bright_black",
        name => name,
    };
    ANSI.iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, color, _)| *color)
}

fn parse_hex(hex: &str) -> Option<Color> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
    Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?))
}

// ------------------------------------------------------------ resolving ---

#[derive(Default)]
struct Merged {
    palette: BTreeMap<String, Color>,
    styles: BTreeMap<&'static str, StyleSpec>,
}

/// Applies the chain root first, checking each file's palette references
/// against its own palette and its ancestors'.
fn merge(chain: Vec<Layer>, errors: &mut Vec<ConfigError>) -> Merged {
    let mut merged = Merged::default();
    for layer in chain.into_iter().rev() {
        merged.palette.extend(layer.parsed.palette);
        for (name, at) in &layer.parsed.references {
            if !merged.palette.contains_key(name) {
                let known = merged.palette.keys().map(String::as_str);
                let candidates: Vec<&str> = known.chain(ANSI.map(|(name, ..)| name)).collect();
                let message = unknown("colour or palette entry", name, &candidates);
                errors.push(layer.source.error(*at, message));
            }
        }
        for (name, spec) in layer.parsed.styles {
            merged.styles.entry(name).or_default().patch(spec);
        }
    }
    merged
}

/// A style for every name, parents before children.
fn resolve(merged: &Merged) -> BTreeMap<&'static str, Style> {
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
                out.fg = style.fg.and_then(rgb_of).map(|rgb| nearest_16(rgb, out.bg));
            }
        }
    }
    out
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
            rgb_of(color).map_or(color, |rgb| nearest_16(rgb, None))
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

fn nearest_16(rgb: [u8; 3], avoid: Option<Color>) -> Color {
    ANSI.iter()
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

// ------------------------------------------------------------- messages ---

/// "unknown style `x` (did you mean `y`?)", listing short candidate lists.
fn unknown<S: AsRef<str>>(what: &str, name: &str, candidates: &[S]) -> String {
    let candidates: Vec<&str> = candidates.iter().map(AsRef::as_ref).collect();
    let hint = match did_you_mean(name, &candidates) {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None if candidates.len() <= 5 => format!(" (use {})", or_list(&candidates)),
        None => String::new(),
    };
    format!("unknown {what} `{name}`{hint}")
}

fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

fn did_you_mean<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let limit = 1 + wanted.chars().count() / 4;
    candidates
        .iter()
        .map(|candidate| {
            (
                edit_distance(&wanted, &candidate.to_lowercase()),
                *candidate,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// Edit distance counting a swap of two neighbours as one edit (optimal
/// string alignment), so `blod` is one edit from `bold`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d: Vec<Vec<usize>> = (0..=a.len())
        .map(|i| (0..=b.len()).map(|j| if i == 0 { j } else { i }).collect())
        .collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> String {
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, text).expect("write theme");
        path.display().to_string()
    }

    fn shown(errors: &[ConfigError]) -> Vec<String> {
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

    #[test]
    fn every_error_in_a_file_is_reported_with_its_position() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "inherits = \"defualt\"\n\
                    pallete = 1\n\
                    [palette]\n\
                    red = \"#ff0000\"\n\
                    sea = \"#12345\"\n\
                    accent = \"cyan\"\n\
                    [styles]\n\
                    \"timeline.kind.fe\" = { fg = \"red\" }\n\
                    title = { fg = 300, bg = true, modifiers = [\"blod\", \"shiny\"], fgg = 1 }\n\
                    [styles.timeline.kind]\n\
                    fee = { fg = \"accnt\", bg = \"sea\" }\n\
                    [styles.board]\n\
                    ok = \"red\"\n";
        let path = write(dir.path(), "bad", text);
        let expected: Vec<String> = [
            "1:12: unknown theme `defualt` (did you mean `default`?)",
            "2:1: unknown key `pallete` (did you mean `palette`?)",
            "4:1: palette name `red` is already a colour; choose another",
            "5:7: `#12345` is not a colour: use an ANSI name, #rrggbb or 0-255",
            "8:1: unknown style `timeline.kind.fe` (did you mean `timeline.kind.fee`?)",
            "9:16: `300` is not a colour: use an ANSI name, #rrggbb or 0-255",
            "9:26: `true` is not a colour: use an ANSI name, #rrggbb or 0-255",
            "9:45: unknown modifier `blod` (did you mean `bold`?)",
            "9:53: unknown modifier `shiny` (use bold, reverse, underline, dim or italic)",
            "9:63: unknown style field `fgg` (did you mean `fg`?)",
            "11:14: unknown colour or palette entry `accnt` (did you mean `accent`?)",
            "13:6: style `board.ok` must be a table",
        ]
        .iter()
        .map(|error| format!("{path}:{error}"))
        .collect();
        assert_eq!(shown(&check("bad", Some(dir.path()))), expected);
        let (theme, errors) = load("bad", Some(dir.path()), ColorDepth::Ansi16);
        assert_eq!(shown(&errors), expected);
        assert_eq!(theme, Theme::default());
    }

    #[test]
    fn inheritance_cycles_and_unknown_themes_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a", "inherits = \"b\"\n");
        let b = write(dir.path(), "b", "# b\ninherits = \"a\"\n");
        let c = write(dir.path(), "c", "inherits = \"c\"\n");
        let cycle = format!("{b}:2:12: inheritance cycle: a -> b -> a");
        assert_eq!(shown(&check("a", Some(dir.path()))), [cycle]);
        let cycle = format!("{c}:1:12: inheritance cycle: c -> c");
        assert_eq!(shown(&check("c", Some(dir.path()))), [cycle]);
        let (theme, errors) = load("dusky", Some(dir.path()), ColorDepth::Ansi256);
        let dusky = dir.path().join("dusky.toml").display().to_string();
        let unknown = format!("{dusky}:1:1: unknown theme `dusky` (did you mean `dusk`?)");
        assert_eq!(shown(&errors), [unknown]);
        assert_eq!(theme.name(), "default");
    }

    #[test]
    fn broken_toml_and_wrong_types_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "broken", "[styles\n");
        let (theme, errors) = load("broken", Some(dir.path()), ColorDepth::Ansi16);
        let error = format!("{path}:1:8: invalid table header; expected `.`, `]`");
        assert_eq!((theme.name(), shown(&errors)), ("default", vec![error]));
        let text =
            "inherits = 1\npalette = []\n[styles]\ntitle = { modifiers = \"bold\" }\nhint = 3\n";
        let path = write(dir.path(), "wrong", text);
        let expected: Vec<String> = [
            "1:12: `inherits` must be a theme name in quotes",
            "2:11: `palette` must be a table",
            "4:23: `modifiers` must be a list, e.g. [\"bold\"]",
            "5:8: style `hint` must be a table",
        ]
        .iter()
        .map(|error| format!("{path}:{error}"))
        .collect();
        assert_eq!(shown(&check("wrong", Some(dir.path()))), expected);
    }
}
