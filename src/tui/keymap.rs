//! Keymaps: the only place raw keys become named commands.
//!
//! A keymap is TOML with one table per [`Mode`], each entry `"key" = "action"`.
//! Keys are written `ctrl-s`, `alt-x`, `shift-tab`, `f5`, `enter`, `esc`,
//! `space`, `tab`, `backspace`, `delete`, `insert`, arrows, `home`, `end`,
//! `pageup`, `pagedown`, `f1`–`f12` or a single character (`G` is shift-g);
//! a sequence is written with spaces, `"g g"`. Actions are [`Command`] names.
//!
//! `keymaps/default.toml` and `keymaps/vim.toml` are compiled in. The user file
//! (`$XDG_CONFIG_HOME/switchboard/keymap.toml`) merges over a base, table by
//! table: a user entry replaces base entries for the same key or a sequence it
//! clashes with, and the action `"none"` removes a binding. A top-level
//! `base = "vim"` in the user file picks the base; it wins over the caller's.
//! A user file with any error is ignored as a whole (its errors are returned and
//! the base is used alone), so the desk always starts with working keys.
//!
//! `global` applies in every mode unless the mode's own table binds the same
//! first key. Text-input modes ([`Mode::takes_text`]) must leave plain printable
//! characters to typing: their tables cannot bind them (validation rejects it),
//! and global bindings on them do not apply there, so `q` types q in a search.
//!
//! Validation reports every problem at once as `file:line:col: message`
//! (see [`crate::configfile`]); reading and merging the files is in `file`.

use crate::configfile;
use crate::tui::edit::Edit;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::fmt;

mod file;

pub use file::{check, load};

macro_rules! commands {
    ($($variant:ident => $name:literal, $description:literal;)*) => {
        /// A named thing a key can do. The names are the keymap's action names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $($variant,)*
        }

        impl Command {
            /// Every command, in help-overlay order.
            pub const ALL: &'static [Command] = &[$(Command::$variant,)*];

            /// The snake_case name used in keymap files.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)*
                }
            }

            /// One short sentence for the help overlay and the command palette.
            pub fn description(&self) -> &'static str {
                match self {
                    $(Command::$variant => $description,)*
                }
            }
        }
    };
}

commands! {
    Quit => "quit", "Quit Switchboard";
    Help => "help", "Show the keys for this screen";
    CommandPalette => "command_palette", "Open the command palette";
    Search => "search", "Search for a customer";
    Pop => "pop", "Pop a caller by number, e-mail or account";
    Open => "open", "Open the selected item";
    Back => "back", "Go back to the previous screen";
    Next => "next", "Move to the next item";
    Prev => "prev", "Move to the previous item";
    PageDown => "page_down", "Move down one page";
    PageUp => "page_up", "Move up one page";
    Top => "top", "Jump to the first item";
    Bottom => "bottom", "Jump to the last item";
    FocusNext => "focus_next", "Move focus to the next pane or field";
    FocusPrev => "focus_prev", "Move focus to the previous pane or field";
    FilterChannel => "filter_channel", "Filter the timeline by channel";
    FilterKind => "filter_kind", "Filter the timeline by kind of event";
    FilterText => "filter_text", "Filter the timeline or board by text";
    ClearFilter => "clear_filter", "Clear the timeline or board filters";
    Expand => "expand", "Expand or collapse the selected event";
    AccountTimeline => "account_timeline", "Timeline: this person, or their organisation's whole account";
    Account => "account", "The business account: overdue invoices, orders, rebates, renewal";
    ActingFor => "acting_for", "Business caller: choose the organisation they are calling for";
    WhyNot => "why_not", "Why not? What was not suggested for this customer, and why";
    Suggestion1 => "suggestion_1", "Act on suggestion 1";
    Suggestion2 => "suggestion_2", "Act on suggestion 2";
    Suggestion3 => "suggestion_3", "Act on suggestion 3";
    Suggestion4 => "suggestion_4", "Act on suggestion 4";
    Suggestion5 => "suggestion_5", "Act on suggestion 5";
    Suggestion6 => "suggestion_6", "Act on suggestion 6";
    Suggestion7 => "suggestion_7", "Act on suggestion 7";
    Suggestion8 => "suggestion_8", "Act on suggestion 8";
    Suggestion9 => "suggestion_9", "Act on suggestion 9";
    LogInteraction => "log_interaction", "Log this interaction";
    Escalate => "escalate", "Escalate this case";
    WaiveFee => "waive_fee", "Waive a fee for this customer";
    Submit => "submit", "Submit the form or confirm the choice";
    Cancel => "cancel", "Cancel and close without saving";
    QueueBoard => "queue_board", "Show the queue board";
    AgentBoard => "agent_board", "Show the agent board";
    Approvals => "approvals", "Show the approvals waiting for you";
    DecisionsBoard => "decisions_board", "Show the decisions board (the funnel)";
    Approve => "approve", "Approve the selected request, with a note";
    Deny => "deny", "Deny the selected request, with a note";
    Sort => "sort", "Change the order of the board";
    NextSegment => "next_segment", "Decisions: the next customer segment";
    SetState => "set_state", "Change your agent state";
    Hold => "hold", "Hold the caller, or take them off hold";
    Transfer => "transfer", "Transfer the caller, with a note";
    HangUp => "hang_up", "Hang up the call (asks first)";
    GoToCall => "go_to_call", "Show the caller of your call";
    Refresh => "refresh", "Refresh from the server";
    Redraw => "redraw", "Clear the terminal and draw it all again";
    CursorLeft => "cursor_left", "Move the cursor one character left";
    CursorRight => "cursor_right", "Move the cursor one character right";
    WordLeft => "word_left", "Move the cursor to the start of the word";
    WordRight => "word_right", "Move the cursor to the end of the word";
    LineStart => "line_start", "Move the cursor to the start of the line";
    LineEnd => "line_end", "Move the cursor to the end of the line";
    DeleteBack => "delete_back", "Delete the character before the cursor";
    DeleteForward => "delete_forward", "Delete the character under the cursor";
    DeleteWord => "delete_word", "Delete the word before the cursor";
    ClearLine => "clear_line", "Clear the line";
    Undo => "undo", "Undo the last change to the text";
    Redo => "redo", "Redo what was undone";
    Snippet => "snippet", "Insert a note snippet";
    ShowWire => "show_wire", "Show exactly what will be sent, or the summary again";
    NeedsAttention => "needs_attention", "Show saved writes the server refused";
    Dismiss => "dismiss", "Dismiss the refused write (press twice)";
}

impl Command {
    /// The command named `name` in a keymap file.
    pub fn parse(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The editing key this command is, for the text field that has focus.
    pub fn edit(&self) -> Option<Edit> {
        Some(match self {
            Command::CursorLeft => Edit::Left,
            Command::CursorRight => Edit::Right,
            Command::WordLeft => Edit::WordLeft,
            Command::WordRight => Edit::WordRight,
            Command::LineStart => Edit::LineStart,
            Command::LineEnd => Edit::LineEnd,
            Command::DeleteBack => Edit::DeleteBack,
            Command::DeleteForward => Edit::DeleteForward,
            Command::DeleteWord => Edit::DeleteWord,
            Command::ClearLine => Edit::ClearLine,
            Command::Undo => Edit::Undo,
            Command::Redo => Edit::Redo,
            _ => return None,
        })
    }

    /// For `suggestion_1`…`suggestion_9`, the suggestion's number (1-based).
    pub fn suggestion_number(&self) -> Option<u8> {
        self.name().strip_prefix("suggestion_")?.parse().ok()
    }
}

/// A keymap table: the screen or overlay that decides what keys mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Global,
    Home,
    Search,
    Customer,
    TimelineFilter,
    Palette,
    Help,
    Chooser,
    Form,
    Board,
    BoardFilter,
    /// The editing keys of every text field: consulted after the mode's own
    /// table, before `global`, wherever the agent types.
    Text,
}

impl Mode {
    /// Every table, in file order.
    pub const ALL: &'static [Mode] = &[
        Mode::Global,
        Mode::Home,
        Mode::Search,
        Mode::Customer,
        Mode::TimelineFilter,
        Mode::Palette,
        Mode::Help,
        Mode::Chooser,
        Mode::Form,
        Mode::Board,
        Mode::BoardFilter,
        Mode::Text,
    ];

    /// The table name in keymap files.
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Home => "home",
            Mode::Search => "search",
            Mode::Customer => "customer",
            Mode::TimelineFilter => "timeline_filter",
            Mode::Palette => "palette",
            Mode::Help => "help",
            Mode::Chooser => "chooser",
            Mode::Form => "form",
            Mode::Board => "board",
            Mode::BoardFilter => "board_filter",
            Mode::Text => "text",
        }
    }

    /// The mode whose table is called `name`.
    pub fn parse(name: &str) -> Option<Mode> {
        Mode::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// Whether typing goes into a text field, so plain characters are text.
    pub fn takes_text(&self) -> bool {
        matches!(
            self,
            Mode::Search
                | Mode::TimelineFilter
                | Mode::BoardFilter
                | Mode::Palette
                | Mode::Form
                | Mode::Text
        )
    }
}

/// One key press with its modifiers, normalised so equal presses compare equal:
/// characters carry their case and never SHIFT, ctrl letters are lower case,
/// and back-tab is `Tab` with SHIFT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// Key names other than single characters and `f1`–`f12`; the first spelling
/// of a code is the one shown.
const NAMED_KEYS: [(&str, KeyCode); 17] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("space", KeyCode::Char(' ')),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

/// Control characters a terminal sends for both a ctrl-letter and a named key.
const TWINS: [(char, KeyCode); 4] = [
    ('i', KeyCode::Tab),
    ('m', KeyCode::Enter),
    ('[', KeyCode::Esc),
    ('h', KeyCode::Backspace),
];

const MODIFIERS: [(&str, KeyModifiers); 3] = [
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
];

impl KeyChord {
    /// Reads one key in keymap notation, e.g. `ctrl-s`, `G`, `shift-tab`.
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        while rest.chars().count() > 1 {
            let Some((prefix, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) else {
                break;
            };
            modifiers |= modifier(prefix).ok_or_else(|| {
                let hint = configfile::hint(prefix, MODIFIERS.map(|(name, _)| name));
                format!("unknown modifier `{prefix}` in `{text}`{hint}")
            })?;
            rest = tail;
        }
        let code = key_code(rest)?;
        KeyChord::normalise(code, modifiers, text)
    }

    /// The chord for a key event from the terminal.
    pub fn from_event(event: &KeyEvent) -> KeyChord {
        let wanted = KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT;
        KeyChord::canonical(event.code, event.modifiers & wanted)
    }

    /// Whether this is a plain character that a text field would take as typing.
    pub fn is_printable(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    fn canonical(code: KeyCode, mut modifiers: KeyModifiers) -> KeyChord {
        let code = match code {
            KeyCode::BackTab => {
                modifiers |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            KeyCode::Char(c) => {
                modifiers -= KeyModifiers::SHIFT;
                match modifiers.contains(KeyModifiers::CONTROL) {
                    true => KeyCode::Char(c.to_ascii_lowercase()),
                    false => KeyCode::Char(c),
                }
            }
            other => other,
        };
        KeyChord { code, modifiers }
    }

    fn normalise(code: KeyCode, modifiers: KeyModifiers, text: &str) -> Result<KeyChord, String> {
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                if !c.is_ascii_alphabetic() {
                    return Err(format!(
                        "`{text}`: shift only goes with letters; write the character it types instead"
                    ));
                }
                KeyCode::Char(c.to_ascii_uppercase())
            }
            other => other,
        };
        let chord = KeyChord::canonical(code, modifiers);
        match chord.twin() {
            Some(twin) => Err(format!(
                "{chord} cannot be told apart from {twin} in a terminal; bind {twin} instead"
            )),
            None => Ok(chord),
        }
    }

    /// The named key a terminal sends the same bytes for, if any.
    fn twin(&self) -> Option<KeyChord> {
        let KeyCode::Char(c) = self.code else {
            return None;
        };
        if !self.modifiers.contains(KeyModifiers::CONTROL) {
            return None;
        }
        let (_, code) = TWINS.iter().find(|(letter, _)| *letter == c)?;
        Some(KeyChord {
            code: *code,
            modifiers: self.modifiers - KeyModifiers::CONTROL,
        })
    }
}

fn modifier(name: &str) -> Option<KeyModifiers> {
    let name = name.to_ascii_lowercase();
    MODIFIERS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

fn key_code(name: &str) -> Result<KeyCode, String> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        if (1..=12).contains(&n) {
            return Ok(KeyCode::F(n));
        }
    }
    NAMED_KEYS
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, code)| *code)
        .ok_or_else(|| {
            let names = NAMED_KEYS.iter().map(|(n, _)| *n);
            configfile::unknown("key", name, names)
        })
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, flag) in MODIFIERS {
            if self.modifiers.contains(flag) {
                write!(f, "{name}-")?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED_KEYS.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{}", format!("{code:?}").to_ascii_lowercase()),
            },
        }
    }
}

/// Reads a key or a space-separated sequence of keys.
fn parse_keys(text: &str) -> Result<Vec<KeyChord>, String> {
    let keys = text
        .split_whitespace()
        .map(KeyChord::parse)
        .collect::<Result<Vec<_>, _>>()?;
    match keys.is_empty() {
        true => Err("empty key; write `space` for the space bar".to_string()),
        false => Ok(keys),
    }
}

fn keys_text(keys: &[KeyChord]) -> String {
    let words: Vec<String> = keys.iter().map(KeyChord::to_string).collect();
    words.join(" ")
}

/// What a key press means, given the keys pressed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Run this command; the caller clears its pending keys.
    Command(Command),
    /// The keys so far start a sequence; the caller keeps this key pending.
    Pending,
    /// Nothing is bound; the caller clears its pending keys (and a text field
    /// may take the key as typing).
    Unbound,
}

#[derive(Debug, Clone)]
struct Binding {
    keys: Vec<KeyChord>,
    command: Command,
}

/// The active key bindings, one table per mode.
#[derive(Debug, Clone)]
pub struct Keymap {
    tables: HashMap<Mode, Vec<Binding>>,
}

impl Keymap {
    /// What `key` means in `mode` after the `pending` keys of a sequence.
    pub fn resolve(&self, mode: Mode, pending: &[KeyChord], key: KeyChord) -> Resolution {
        let mut keys = pending.to_vec();
        keys.push(key);
        let mut prefix = false;
        for binding in self.effective(mode) {
            if binding.keys == keys {
                return Resolution::Command(binding.command);
            }
            prefix |= binding.keys.starts_with(&keys);
        }
        match prefix {
            true => Resolution::Pending,
            false => Resolution::Unbound,
        }
    }

    /// Every binding that applies in `mode`: its own table, then global ones.
    pub fn bindings(&self, mode: Mode) -> Vec<(String, Command)> {
        self.effective(mode)
            .map(|b| (keys_text(&b.keys), b.command))
            .collect()
    }

    /// The first key bound to `command` in `mode`, for hints and the palette.
    pub fn key_for(&self, mode: Mode, command: Command) -> Option<String> {
        self.effective(mode)
            .find(|b| b.command == command)
            .map(|b| keys_text(&b.keys))
    }

    fn table(&self, mode: Mode) -> &[Binding] {
        self.tables.get(&mode).map_or(&[], Vec::as_slice)
    }

    /// What applies in `mode`, first match wins: its own table; where the
    /// agent types, the `[text]` table; then `global`, whose plain printable
    /// keys are left to typing there.
    fn effective(&self, mode: Mode) -> impl Iterator<Item = &Binding> + '_ {
        let own = self.table(mode);
        let text = match mode {
            Mode::Text | Mode::Global => &[],
            m if m.takes_text() => self.table(Mode::Text),
            _ => &[],
        };
        let global = match mode {
            Mode::Global => &[],
            _ => self.table(Mode::Global),
        };
        let bound =
            |table: &[Binding], key: Option<&KeyChord>| table.iter().any(|b| b.keys.first() == key);
        let editing = text.iter().filter(move |t| !bound(own, t.keys.first()));
        let inherited = global.iter().filter(move |g| {
            let first = g.keys.first();
            let typing = mode.takes_text() && first.is_some_and(KeyChord::is_printable);
            !typing && !bound(own, first) && !bound(text, first)
        });
        own.iter().chain(editing).chain(inherited)
    }
}

/// Two key lists clash when they are equal or one starts the other.
fn clash(a: &[KeyChord], b: &[KeyChord]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;
    use Command as C;

    fn key(text: &str) -> KeyChord {
        KeyChord::parse(text).unwrap()
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyChord {
        KeyChord::from_event(&KeyEvent::new_with_kind(
            code,
            modifiers,
            KeyEventKind::Press,
        ))
    }

    pub(super) fn press(map: &Keymap, mode: Mode, keys: &str) -> Resolution {
        let chords: Vec<KeyChord> = keys.split_whitespace().map(key).collect();
        let (last, pending) = chords.split_last().unwrap();
        map.resolve(mode, pending, *last)
    }

    /// Checks `(mode, keys, command or None for unbound)` cases.
    pub(super) fn expect(map: &Keymap, cases: &[(Mode, &str, Option<Command>)]) {
        for (mode, keys, want) in cases {
            let want = want.map_or(Resolution::Unbound, Resolution::Command);
            assert_eq!(press(map, *mode, keys), want, "{mode:?} {keys}");
        }
    }

    #[test]
    fn every_command_is_bound_in_every_shipped_keymap() {
        for (name, _, _) in file::SHIPPED {
            let (map, _) = load(name, None);
            for command in Command::ALL {
                let bound = Mode::ALL
                    .iter()
                    .any(|m| map.key_for(*m, *command).is_some());
                assert!(bound, "{name} does not bind {}", command.name());
            }
        }
    }

    #[test]
    fn names_round_trip_and_describe() {
        for command in Command::ALL {
            assert_eq!(Command::parse(command.name()), Some(*command));
            assert!(!command.description().is_empty());
        }
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.name()), Some(*mode));
        }
        assert_eq!(Command::parse("command_palette"), Some(C::CommandPalette));
        assert_eq!(C::CommandPalette.description(), "Open the command palette");
        assert_eq!(C::Suggestion7.suggestion_number(), Some(7));
        assert_eq!(C::Quit.suggestion_number(), None);
        assert!(Mode::Search.takes_text() && !Mode::Customer.takes_text());
    }

    #[test]
    fn chords_parse_normalise_and_display() {
        let cases = [
            ("ctrl-s", "ctrl-s"),
            ("Ctrl-S", "ctrl-s"),
            ("ctrl-shift-s", "ctrl-s"),
            ("alt-x", "alt-x"),
            ("shift-tab", "shift-tab"),
            ("backtab", "shift-tab"),
            ("shift-g", "G"),
            ("space", "space"),
            ("F5", "f5"),
            ("PageDown", "pagedown"),
            ("ctrl--", "ctrl--"),
            ("-", "-"),
        ];
        for (text, shown) in cases {
            assert_eq!(key(text).to_string(), shown, "{text}");
        }
        let (none, shift) = (KeyModifiers::NONE, KeyModifiers::SHIFT);
        assert_eq!(event(KeyCode::Char('G'), shift), key("G"));
        assert_eq!(event(KeyCode::BackTab, shift), key("shift-tab"));
        assert_eq!(event(KeyCode::BackTab, none), key("shift-tab"));
        assert_eq!(
            event(KeyCode::Char('S'), KeyModifiers::CONTROL),
            key("ctrl-s")
        );
        assert_eq!(event(KeyCode::Char(' '), none), key("space"));
        assert_eq!(event(KeyCode::F(5), none), key("f5"));
    }

    #[test]
    fn bad_chords_are_errors_not_panics() {
        let twin = |k: &str, t: &str| {
            format!("{k} cannot be told apart from {t} in a terminal; bind {t} instead")
        };
        let cases = [
            (
                "ctlr-s",
                "unknown modifier `ctlr` in `ctlr-s` (did you mean `ctrl`?)".to_string(),
            ),
            (
                "pagdown",
                "unknown key `pagdown` (did you mean `pagedown`?)".to_string(),
            ),
            ("f13", "unknown key `f13`".to_string()),
            ("ctrl-m", twin("ctrl-m", "enter")),
            ("ctrl-[", twin("ctrl-[", "esc")),
            ("ctrl-alt-h", twin("ctrl-alt-h", "alt-backspace")),
            (
                "shift-1",
                "`shift-1`: shift only goes with letters; write the character it types instead"
                    .to_string(),
            ),
        ];
        for (text, message) in cases {
            assert_eq!(KeyChord::parse(text).unwrap_err(), message);
        }
        for text in [
            "",
            "--",
            "ctrl-",
            "é-",
            "shift-é",
            "f0",
            "f99999",
            "ctrl-ctrl",
        ] {
            assert!(KeyChord::parse(text).is_err(), "{text}");
        }
        let empty = "empty key; write `space` for the space bar";
        assert_eq!(parse_keys("   ").unwrap_err(), empty);
    }

    #[test]
    fn resolution_uses_mode_then_global_and_spares_typing() {
        let (map, _) = load("default", None);
        expect(
            &map,
            &[
                (Mode::Customer, "1", Some(C::Suggestion1)),
                (Mode::Customer, "/", Some(C::FilterText)),
                (Mode::Home, "/", Some(C::Search)),
                (Mode::Home, "q", Some(C::Quit)),
                (Mode::Help, "q", Some(C::Back)),
                (Mode::Form, "ctrl-s", Some(C::Submit)),
                (Mode::Home, "ctrl-s", None),
                (Mode::Board, "f5", Some(C::Refresh)),
                (Mode::Search, "q", None),
                (Mode::Palette, "?", None),
                (Mode::Search, "ctrl-c", Some(C::Quit)),
                (Mode::Search, "esc", Some(C::Cancel)),
            ],
        );
        assert!(map.bindings(Mode::Search).iter().all(|(k, _)| k != "q"));
    }

    #[test]
    fn sequences_wait_for_the_next_key() {
        let (map, _) = load("vim", None);
        assert_eq!(press(&map, Mode::Home, "g"), Resolution::Pending);
        expect(
            &map,
            &[
                (Mode::Home, "g g", Some(C::Top)),
                (Mode::Home, "g x", None),
                (Mode::Customer, "z a", Some(C::Expand)),
                (Mode::Search, "g", None),
            ],
        );
        let shift_g = event(KeyCode::Char('G'), KeyModifiers::SHIFT);
        let bottom = Resolution::Command(C::Bottom);
        assert_eq!(map.resolve(Mode::Board, &[], shift_g), bottom);
    }

    #[test]
    fn bindings_and_hints_put_the_mode_first() {
        let (map, _) = load("default", None);
        let bindings = map.bindings(Mode::Customer);
        assert_eq!(bindings.first(), Some(&("1".to_string(), C::Suggestion1)));
        assert!(bindings.contains(&("ctrl-c".to_string(), C::Quit)));
        assert!(!bindings.contains(&("/".to_string(), C::Search)));
        assert_eq!(map.key_for(Mode::Customer, C::Expand).as_deref(), Some("x"));
        assert_eq!(
            map.key_for(Mode::Search, C::Quit).as_deref(),
            Some("ctrl-c")
        );
        assert_eq!(map.key_for(Mode::Search, C::Escalate), None);
        let (vim, _) = load("vim", None);
        assert_eq!(vim.key_for(Mode::Home, C::Top).as_deref(), Some("g g"));
    }
}
