//! `switchboard check-config`: every problem in config.toml, the keymap and
//! the theme the desk would use, or in an action catalog, one
//! `file:line:col: message` a line; `--facts` lists what a catalog's
//! conditions and value expressions can name.

use crate::configfile::ConfigError;
use crate::server::decide::catalog::Catalog;
use crate::server::decide::facts::{FactType, FACTS};
use crate::tui::{keymap, snippets, theme};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Check this action catalog (TOML) instead of the desk's files: its
    /// syntax, conditions, value expressions, and the disposition and
    /// escalation codes it names against the default reference data.
    #[arg(long, value_name = "FILE")]
    actions: Option<PathBuf>,
    /// List the facts an action catalog can name, with their types.
    #[arg(long, conflicts_with = "actions")]
    facts: bool,
}

/// Prints every problem found and returns how many there were.
pub fn run(args: Args) -> usize {
    if args.facts {
        for (name, kind, meaning) in FACTS {
            let kind = match kind {
                FactType::Number => "number",
                FactType::Bool => "bool",
                FactType::Text => "text",
            };
            super::say(&format!("{name:<36} {kind:<7} {meaning}"));
        }
        return 0;
    }
    let errors = match &args.actions {
        Some(path) => actions(path),
        None => desk(),
    };
    for error in &errors {
        super::say(&error.to_string());
    }
    if errors.is_empty() {
        super::say(match args.actions {
            Some(_) => "Action catalog OK.",
            None => "Configuration OK.",
        });
    }
    errors.len()
}

/// Every problem in an action catalog file.
fn actions(path: &std::path::Path) -> Vec<ConfigError> {
    match Catalog::read(Some(path)) {
        Ok(catalog) => catalog.check_codes(&crate::server::store::default_refdata()),
        Err(errors) => errors,
    }
}

/// Every problem in the files the desk reads.
fn desk() -> Vec<ConfigError> {
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
    errors
}
