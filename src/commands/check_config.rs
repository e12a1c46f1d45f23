//! `switchboard check-config`: every problem in config.toml, the keymap and
//! the theme the desk would use, one `file:line:col: message` a line.

use crate::configfile::ConfigError;
use crate::tui::{keymap, snippets, theme};

/// Prints every problem found and returns how many there were.
pub fn run() -> usize {
    let mut errors: Vec<ConfigError> = Vec::new();
    let file = super::read_config().unwrap_or_else(|found| {
        errors.extend(found);
        crate::config::ConfigFile::default()
    });
    for (name, template) in &file.snippets {
        for unknown in snippets::check(template) {
            let message = format!("snippet `{name}` uses unknown placeholder {{{unknown}}}");
            errors.push(file.error(&format!("snippets.{name}"), message));
        }
    }
    let dir = crate::config::config_dir();
    let user_keymap = dir.as_ref().map(|d| d.join("keymap.toml"));
    let keymap_name = file.keymap.as_deref().unwrap_or("default");
    errors.extend(keymap::check(keymap_name, user_keymap.as_deref()));
    let themes_dir = dir.as_ref().map(|d| d.join("themes"));
    let theme_name = file.theme.as_deref().unwrap_or("default");
    errors.extend(theme::check(theme_name, themes_dir.as_deref()));
    for error in &errors {
        super::say(&error.to_string());
    }
    errors.len()
}
