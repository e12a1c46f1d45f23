//! The verbs of the `switchboard` command, one module each, plus the settings
//! they share.

pub mod agent;
pub mod cache;
pub mod check_config;
pub mod decisions;
pub mod demo;
pub mod desk;
pub mod export;
pub mod import;
pub mod seed;
pub mod serve;
pub mod simulate;

use crate::config;
use crate::configfile::ConfigError;
use anyhow::Context;

/// Prints a line for the operator. A closed stdout (a pipe whose reader went
/// away) must not bring a running server down, so write errors are ignored.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Prints a line for the person at the terminal, on stderr. Nothing once the
/// desk has found the terminal gone, and a write error is ignored
/// (`eprintln!` would panic: stderr is that terminal).
pub fn tell(line: &str) {
    use std::io::Write;
    if !crate::tui::terminal::lost() {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// The database URL: flag or `SWITCHBOARD_DB` (via clap), else the config file,
/// else the default file in the data directory.
pub(crate) fn resolve_db(flag_or_env: Option<String>) -> anyhow::Result<String> {
    if let Some(url) = flag_or_env {
        return Ok(url);
    }
    Ok(config_file()?.db.unwrap_or_else(config::default_db_url))
}

/// The config file, or an empty one when there is none; a file with problems
/// stops the verb, naming every problem.
pub(crate) fn config_file() -> anyhow::Result<config::ConfigFile> {
    read_config().map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(lines.join("\n"))
    })
}

/// The config file (an empty one when there is none), or every problem in it.
pub(crate) fn read_config() -> Result<config::ConfigFile, Vec<ConfigError>> {
    match config::config_path() {
        Some(path) => config::load(&path),
        None => Ok(config::ConfigFile::default()),
    }
}

/// Opens the store, creating the SQLite file's folder when needed.
pub(crate) async fn open_store(url: &str) -> anyhow::Result<crate::server::store::Store> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
        }
    }
    crate::server::store::Store::open(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))
}

pub(crate) use crate::server::store::redact;
