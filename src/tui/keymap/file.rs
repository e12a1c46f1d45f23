//! Keymap files: the shipped ones and the user's, read with the shared
//! settings-file checker, every problem reported with its place, and laid
//! over each other (see the parent module for the rules).

use super::{clash, parse_keys, Binding, Command, KeyChord, Keymap, Mode};
use crate::configfile::{self, Checker, ConfigError, Node, Table};
use std::collections::HashMap;
use std::path::Path;

/// The shipped keymaps: name, path used in messages, text.
pub(super) const SHIPPED: [(&str, &str, &str); 2] = [
    (
        "default",
        "keymaps/default.toml",
        include_str!("../../../keymaps/default.toml"),
    ),
    (
        "vim",
        "keymaps/vim.toml",
        include_str!("../../../keymaps/vim.toml"),
    ),
];

/// Loads the `base` keymap (or the user file's `base`) with the user file
/// merged over it. Never fails: problems are returned, and a user file with
/// problems is left out. An unknown base name falls back to `default`.
pub fn load(base: &str, user_file: Option<&Path>) -> (Keymap, Vec<ConfigError>) {
    let (user, mut errors) = match user_file {
        Some(path) => read_user(path),
        None => (None, Vec::new()),
    };
    let user_ok = errors.is_empty();
    let name = user.as_ref().and_then(|u| u.base).unwrap_or(base);
    let (path, text) = shipped(name).unwrap_or_else(|| {
        let unknown = configfile::unknown("keymap", name, shipped_names());
        let message = format!("{unknown}; using default");
        errors.push(ConfigError::whole_file("keymaps", message));
        (SHIPPED[0].1, SHIPPED[0].2)
    });
    let (base_file, base_errors) = parse_file(path, text);
    errors.extend(base_errors);
    let mut keymap = Keymap {
        tables: HashMap::new(),
    };
    keymap.merge(&base_file);
    if let Some(user) = user.filter(|_| user_ok) {
        keymap.merge(&user);
    }
    (keymap, errors)
}

/// Every problem `load` would report, for `switchboard check-config`.
pub fn check(base: &str, user_file: Option<&Path>) -> Vec<ConfigError> {
    load(base, user_file).1
}

impl Keymap {
    /// Lays `file` over this keymap: its entries go first and replace the
    /// entries they clash with; `none` entries only remove.
    fn merge(&mut self, file: &ParsedFile) {
        for (mode, entries) in &file.tables {
            let table = self.tables.entry(*mode).or_default();
            table.retain(|b| !entries.iter().any(|e| clash(&e.keys, &b.keys)));
            let added = entries.iter().filter_map(|e| {
                e.command.map(|command| Binding {
                    keys: e.keys.clone(),
                    command,
                })
            });
            let kept = std::mem::take(table);
            *table = added.chain(kept).collect();
        }
    }
}

fn shipped(name: &str) -> Option<(&'static str, &'static str)> {
    SHIPPED
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, path, text)| (*path, *text))
}

fn shipped_names() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(name, _, _)| *name)
}

/// Reads and checks the user file; a missing file is no file.
fn read_user(path: &Path) -> (Option<ParsedFile>, Vec<ConfigError>) {
    match configfile::read(path) {
        Ok(Some(text)) => {
            let (file, errors) = parse_file(&path.display().to_string(), &text);
            (Some(file), errors)
        }
        Ok(None) => (None, Vec::new()),
        Err(error) => (None, vec![error]),
    }
}

/// A checked keymap file. Entries with errors are left out.
#[derive(Default)]
pub(super) struct ParsedFile {
    base: Option<&'static str>,
    tables: Vec<(Mode, Vec<FileBinding>)>,
}

/// One checked binding; `command` is `None` for `"none"`.
struct FileBinding {
    keys: Vec<KeyChord>,
    written: String,
    line: usize,
    command: Option<Command>,
}

pub(super) fn parse_file(path: &str, text: &str) -> (ParsedFile, Vec<ConfigError>) {
    let mut checker = Checker::new(path, text);
    let mut file = ParsedFile::default();
    for entry in checker.parse().unwrap_or_default().entries {
        let name = entry.key.as_str();
        if name == "base" {
            file.base = check_base(&mut checker, &entry.node);
            continue;
        }
        let Some(mode) = Mode::parse(name) else {
            let tables = Mode::ALL.iter().map(Mode::name);
            checker.unknown(entry.key_at, "table", name, tables);
            continue;
        };
        match entry.node.as_table() {
            Some(table) => {
                let bindings = check_table(&mut checker, mode, table);
                file.tables.push((mode, bindings));
            }
            None => checker.report(
                entry.key_at,
                format!("`{name}` must be a table of bindings, like [{name}]"),
            ),
        }
    }
    (file, checker.into_errors())
}

fn check_base(checker: &mut Checker, value: &Node) -> Option<&'static str> {
    let name = checker.text(value, "`base` must be a keymap name, like \"vim\"")?;
    let found = shipped_names().find(|n| *n == name);
    if found.is_none() {
        checker.unknown(value.at, "keymap", name, shipped_names());
    }
    found
}

fn check_table(checker: &mut Checker, mode: Mode, table: &Table) -> Vec<FileBinding> {
    let mut bindings: Vec<FileBinding> = Vec::new();
    for entry in &table.entries {
        let keys = parse_keys(&entry.key).map_err(|m| checker.report(entry.key_at, m));
        let command = check_action(checker, &entry.node);
        let (Ok(keys), Some(command)) = (keys, command) else {
            continue;
        };
        let binding = FileBinding {
            keys,
            written: entry.key.clone(),
            line: checker.line_col(entry.key_at).0,
            command,
        };
        match conflict(mode, &bindings, &binding) {
            Some(message) => checker.report(entry.key_at, message),
            None => bindings.push(binding),
        }
    }
    bindings
}

/// The action of one binding: `Some(None)` for "none", `None` when in error.
fn check_action(checker: &mut Checker, value: &Node) -> Option<Option<Command>> {
    let name = checker.text(value, "the action must be a string, like \"quit\"")?;
    if name == "none" {
        return Some(None);
    }
    let command = Command::parse(name);
    if command.is_none() {
        let names = Command::ALL.iter().map(Command::name).chain(["none"]);
        checker.unknown(value.at, "action", name, names);
    }
    command.map(Some)
}

/// Why `binding` cannot join those already accepted in `mode`'s table.
fn conflict(mode: Mode, accepted: &[FileBinding], binding: &FileBinding) -> Option<String> {
    let written = &binding.written;
    if mode.takes_text() && binding.keys.first().is_some_and(KeyChord::is_printable) {
        return Some(format!(
            "`{written}` would swallow typing in the {} table; bind a key with ctrl or alt, or a key that does not type",
            mode.name()
        ));
    }
    let other = accepted.iter().find(|e| clash(&e.keys, &binding.keys))?;
    let (theirs, line) = (&other.written, other.line);
    Some(match other.keys == binding.keys {
        true => format!("`{written}` is the same key as `{theirs}` on line {line}"),
        false => format!(
            "`{written}` clashes with `{theirs}` on line {line}: a key cannot also start a sequence"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::tests::expect;
    use crate::tui::keymap::Command as C;
    use std::path::PathBuf;

    fn user_file(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join("keymap.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn errors_for(text: &str) -> (String, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = user_file(&dir, text);
        let errors = check("default", Some(&path));
        let shown = errors.iter().map(ToString::to_string).collect();
        (path.display().to_string(), shown)
    }

    #[test]
    fn shipped_keymaps_have_no_errors() {
        for (name, path, text) in SHIPPED {
            let (_, errors) = parse_file(path, text);
            assert!(errors.is_empty(), "{name}: {errors:?}");
            assert!(check(name, None).is_empty());
        }
    }

    #[test]
    fn user_file_merges_over_its_base() {
        let dir = tempfile::tempdir().unwrap();
        let text = "base = \"vim\"\n[global]\n\"ctrl-q\" = \"quit\"\n\"q\" = \"none\"\n\
                    \"g\" = \"refresh\"\n[customer]\n\"ctrl-e\" = \"escalate\"\n";
        let path = user_file(&dir, text);
        let (map, errors) = load("default", Some(&path));
        assert!(errors.is_empty(), "{errors:?}");
        expect(
            &map,
            &[
                (Mode::Home, "q", None),
                (Mode::Home, "ctrl-q", Some(C::Quit)),
                (Mode::Home, "g", Some(C::Refresh)),
                (Mode::Home, "j", Some(C::Next)),
                (Mode::Customer, "ctrl-e", Some(C::Escalate)),
                (Mode::Customer, "e", Some(C::Escalate)),
            ],
        );
        assert_eq!(map.key_for(Mode::Home, C::Quit).as_deref(), Some("ctrl-q"));
    }

    #[test]
    fn missing_user_file_is_the_base() {
        let dir = tempfile::tempdir().unwrap();
        let (map, errors) = load("default", Some(&dir.path().join("absent.toml")));
        assert!(errors.is_empty());
        expect(&map, &[(Mode::Home, "q", Some(C::Quit))]);
    }

    #[test]
    fn broken_user_file_returns_errors_and_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = user_file(&dir, "[global]\n\"ctrl-q\" = \"quit\"\n\"q\" = \"nope\"\n");
        let (map, errors) = load("default", Some(&path));
        assert_eq!(errors.len(), 1);
        expect(
            &map,
            &[
                (Mode::Home, "ctrl-q", None),
                (Mode::Home, "q", Some(C::Quit)),
            ],
        );
    }

    #[test]
    fn every_mistake_is_reported_with_its_place() {
        let text = r#"base = "vin"
palette = "submit"
[costumer]
"x" = "quit"

[home]
"ctlr-s" = "quit"
"x" = "comand_palette"
"ctrl-i" = "help"
"ctrl-s" = "submit"
"Ctrl-S" = "submit"
"shift-tab" = "prev"
"backtab" = "next"
"g" = "top"
"g g" = "bottom"
"y" = 3
"z" = "frobnicate"

[search]
"x" = "quit"
"ctrl-x" = "quit"
"#;
        let (path, errors) = errors_for(text);
        let expected = [
            "1:8: unknown keymap `vin` (did you mean `vim`?)",
            "2:1: `palette` must be a table of bindings, like [palette]",
            "3:2: unknown table `costumer` (did you mean `customer`?)",
            "7:1: unknown modifier `ctlr` in `ctlr-s` (did you mean `ctrl`?)",
            "8:7: unknown action `comand_palette` (did you mean `command_palette`?)",
            "9:1: ctrl-i cannot be told apart from tab in a terminal; bind tab instead",
            "11:1: `Ctrl-S` is the same key as `ctrl-s` on line 10",
            "13:1: `backtab` is the same key as `shift-tab` on line 12",
            "15:1: `g g` clashes with `g` on line 14: a key cannot also start a sequence",
            "16:7: the action must be a string, like \"quit\"",
            "17:7: unknown action `frobnicate`",
            "20:1: `x` would swallow typing in the search table; \
             bind a key with ctrl or alt, or a key that does not type",
        ];
        let expected: Vec<String> = expected.iter().map(|e| format!("{path}:{e}")).collect();
        assert_eq!(errors, expected);
    }

    #[test]
    fn syntax_errors_name_the_place() {
        let (path, errors) = errors_for("[home]\n\"q\" = \"quit\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with(&format!("{path}:2:")), "{errors:?}");
    }

    #[test]
    fn unknown_base_name_falls_back_to_default() {
        let (map, errors) = load("vin", None);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let message = "keymaps:1:1: unknown keymap `vin` (did you mean `vim`?); using default";
        assert_eq!(shown, [message]);
        expect(&map, &[(Mode::Home, "q", Some(C::Quit))]);
    }
}
