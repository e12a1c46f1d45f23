//! Theme files: finding a theme and the themes it inherits, checking each
//! file with the shared settings-file checker (every problem reported with
//! its place), and merging them root first.

use super::{is_theme_name, names, ANSI, SHIPPED, STYLE_NAMES};
use crate::configfile::{self, Checker, ConfigError, Entry, Node, Value};
use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TOP_KEYS: [&str; 3] = ["inherits", "palette", "styles"];
const FIELDS: [&str; 3] = ["fg", "bg", "modifiers"];
const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("reverse", Modifier::REVERSED),
    ("underline", Modifier::UNDERLINED),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
];

/// One theme file and where it came from; its checker holds the problems
/// found in it until the chain is merged.
struct Source {
    name: String,
    user: bool,
    file: Checker,
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
    let (file, user) = match user_file {
        Some(file) => (file, true),
        None => {
            let (_, text) = SHIPPED.iter().find(|(shipped, _)| *shipped == name)?;
            (Checker::new(format!("themes/{name}.toml"), *text), false)
        }
    };
    let name = name.to_string();
    Some(Source { name, user, file })
}

/// A checker for the file at `path`; None if it does not exist or cannot be
/// read (which is reported).
fn read(path: &Path, errors: &mut Vec<ConfigError>) -> Option<Checker> {
    match configfile::read(path) {
        Ok(text) => text.map(|text| Checker::new(path.display().to_string(), text)),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// The theme and its ancestors, child first.
pub(super) fn read_chain(
    name: &str,
    user_dir: Option<&Path>,
    errors: &mut Vec<ConfigError>,
) -> Vec<Layer> {
    let Some(source) = find(name, user_dir, false, errors) else {
        let path = match user_dir {
            Some(dir) => dir.join(format!("{name}.toml")),
            None => PathBuf::from(format!("themes/{name}.toml")),
        };
        let themes = names(user_dir);
        let message = configfile::unknown("theme", name, themes.iter().map(String::as_str));
        errors.push(ConfigError::whole_file(path.display().to_string(), message));
        return Vec::new();
    };
    let mut chain = vec![parse(source)];
    while let Some(parent) = next_parent(&mut chain, user_dir, errors) {
        chain.push(parse(parent));
    }
    chain
}

/// The file the last layer inherits; None at the root or on an error (which
/// is reported in the last layer's file).
fn next_parent(
    chain: &mut [Layer],
    user_dir: Option<&Path>,
    errors: &mut Vec<ConfigError>,
) -> Option<Source> {
    let child = chain.last()?;
    let (name, at) = child.parsed.inherits.clone()?;
    let shipped_only = child.source.user && name == child.source.name && is_shipped(&name);
    let problem = match find(&name, user_dir, shipped_only, errors) {
        None => {
            let themes = names(user_dir);
            configfile::unknown("theme", &name, themes.iter().map(String::as_str))
        }
        Some(parent) => {
            let seen = |layer: &Layer| {
                layer.source.name == parent.name && layer.source.user == parent.user
            };
            if !chain.iter().any(seen) {
                return Some(parent);
            }
            let mut cycle: Vec<&str> = chain.iter().map(|l| l.source.name.as_str()).collect();
            cycle.push(&name);
            format!("inheritance cycle: {}", cycle.join(" -> "))
        }
    };
    chain.last_mut()?.source.file.report(at, problem);
    None
}

// -------------------------------------------------------------- parsing ---

/// A colour as written: a colour, or a palette name resolved after merging.
#[derive(Debug, Clone)]
enum Paint {
    Color(Color),
    Palette(String),
}

#[derive(Debug, Clone, Default)]
pub(super) struct StyleSpec {
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

    /// This style laid over `parent`, palette names looked up in `palette`.
    pub(super) fn apply(&self, parent: Style, palette: &BTreeMap<String, Color>) -> Style {
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

/// One file of a theme's chain, read.
pub(super) struct Layer {
    source: Source,
    parsed: Parsed,
}

fn parse(mut source: Source) -> Layer {
    let mut parser = Parser {
        file: &mut source.file,
        parsed: Parsed::default(),
    };
    parser.document();
    let parsed = parser.parsed;
    Layer { source, parsed }
}

struct Parser<'a> {
    file: &'a mut Checker,
    parsed: Parsed,
}

impl Parser<'_> {
    fn document(&mut self) {
        for entry in self.file.parse().unwrap_or_default().entries {
            match entry.key.as_str() {
                "inherits" => self.inherits(&entry.node),
                "palette" => self.palette(&entry.node),
                "styles" => self.styles(&entry.node),
                other => self.file.unknown(entry.key_at, "key", other, TOP_KEYS),
            }
        }
    }

    fn inherits(&mut self, value: &Node) {
        let wrong = "`inherits` must be a theme name in quotes";
        if let Some(name) = self.file.text(value, wrong) {
            self.parsed.inherits = Some((name.to_string(), value.at));
        }
    }

    fn palette(&mut self, value: &Node) {
        let Some(table) = self.file.table(value, "`palette` must be a table") else {
            return;
        };
        for entry in &table.entries {
            let name = &entry.key;
            if !is_palette_name(name) {
                let message = format!("palette name `{name}` must start with a letter");
                self.file.report(entry.key_at, message);
            } else if parse_color(name).is_some() {
                let message = format!("palette name `{name}` is already a colour; choose another");
                self.file.report(entry.key_at, message);
            } else {
                // A bad colour is reported here, not again where it is used.
                let color = self.color(&entry.node).unwrap_or(Color::Reset);
                self.parsed.palette.insert(name.clone(), color);
            }
        }
    }

    fn styles(&mut self, value: &Node) {
        if let Some(table) = self.file.table(value, "`styles` must be a table") {
            for entry in &table.entries {
                self.style(None, entry);
            }
        }
    }

    /// One style (`entry` under `parent`), in either spelling: a quoted dotted
    /// key, or nested tables (`[styles.timeline.kind]` then `fee.fg = ...`).
    fn style(&mut self, parent: Option<&str>, entry: &Entry) {
        let full = match parent {
            Some(parent) => format!("{parent}.{}", entry.key),
            None => entry.key.clone(),
        };
        let Some(name) = STYLE_NAMES.iter().copied().find(|name| *name == full) else {
            let styles = STYLE_NAMES.iter().copied();
            return self.file.unknown(entry.key_at, "style", &full, styles);
        };
        let wrong = format!("style `{name}` must be a table");
        let Some(table) = self.file.table(&entry.node, &wrong) else {
            return;
        };
        let mut spec = StyleSpec::default();
        for field in &table.entries {
            match field.key.as_str() {
                "fg" => spec.fg = self.paint(&field.node),
                "bg" => spec.bg = self.paint(&field.node),
                "modifiers" => spec.modifiers = self.modifiers(&field.node),
                // A child style; `board.ok = "red"` is one, but not a table.
                _ if field.node.as_table().is_some() || is_style(name, &field.key) => {
                    self.style(Some(name), field)
                }
                other => self
                    .file
                    .unknown(field.key_at, "style field", other, FIELDS),
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
            let shown = value.shown();
            let message = format!("`{shown}` is not a colour: use an ANSI name, #rrggbb or 0-255");
            self.file.report(value.at, message);
        }
        color
    }

    fn modifiers(&mut self, value: &Node) -> Option<Modifier> {
        let wrong = "`modifiers` must be a list, e.g. [\"bold\"]";
        let items = self.file.list(value, wrong)?;
        let mut all = Modifier::empty();
        for item in items {
            let shown = item.shown();
            match MODIFIERS.iter().find(|(name, _)| *name == shown) {
                Some((_, modifier)) => all |= *modifier,
                None => {
                    let names = MODIFIERS.map(|(name, _)| name);
                    self.file.unknown(item.at, "modifier", &shown, names);
                }
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

// -------------------------------------------------------------- merging ---

/// The chain's palettes and styles, laid over each other.
#[derive(Default)]
pub(super) struct Merged {
    pub(super) palette: BTreeMap<String, Color>,
    pub(super) styles: BTreeMap<&'static str, StyleSpec>,
}

/// Applies the chain root first, checking each file's palette references
/// against its own palette and its ancestors'; every file's problems end in
/// `errors`.
pub(super) fn merge(chain: Vec<Layer>, errors: &mut Vec<ConfigError>) -> Merged {
    let mut merged = Merged::default();
    for mut layer in chain.into_iter().rev() {
        merged.palette.extend(layer.parsed.palette);
        for (name, at) in &layer.parsed.references {
            if !merged.palette.contains_key(name) {
                let known = merged.palette.keys().map(String::as_str);
                let candidates = known.chain(ANSI.map(|(name, ..)| name));
                let file = &mut layer.source.file;
                file.unknown(*at, "colour or palette entry", name, candidates);
            }
        }
        for (name, spec) in layer.parsed.styles {
            merged.styles.entry(name).or_default().patch(spec);
        }
        errors.extend(layer.source.file.into_errors());
    }
    merged
}

#[cfg(test)]
mod tests {
    use crate::tui::theme::tests::{shown, write};
    use crate::tui::theme::{check, load, ColorDepth, Theme};

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
