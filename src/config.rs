//! Settings: command-line flags win over the environment (`SWITCHBOARD_SERVER`,
//! `SWITCHBOARD_TOKEN`, `SWITCHBOARD_DB`), which wins over
//! `$XDG_CONFIG_HOME/switchboard/config.toml`, which wins over defaults. Clap
//! handles the first two; this module reads the file and the default paths.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `config.toml`. Unknown keys are errors, so a typo is not silently ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The server the desk talks to, e.g. `http://127.0.0.1:7878`.
    pub server: Option<String>,
    /// The agent's token. Only read when the file is private (mode 0600).
    pub token: Option<String>,
    /// Database URL for `serve`, `seed` and `agent add`.
    pub db: Option<String>,
    /// Address `serve` listens on.
    pub listen: Option<String>,
    /// Calling code used for national phone numbers (default "1").
    pub default_country_code: Option<String>,
    /// The desk's base keymap: `default` or `vim`.
    pub keymap: Option<String>,
    /// The desk's theme, e.g. `default`, `high-contrast`, `mono`, `dusk`.
    pub theme: Option<String>,
    /// Note snippets for the wrap-up form: name = template with placeholders
    /// such as `{customer.first_name}`.
    #[serde(default)]
    pub snippets: std::collections::BTreeMap<String, String>,
    /// How long the desk's cached customer data is served, e.g. "24h", "90m",
    /// "30s" (default 24h).
    pub cache_ttl: Option<String>,
    /// The desk cache's in-memory page cache in MiB (default 32).
    pub cache_memory_mb: Option<u64>,
    /// Most customers the desk cache keeps; the least recently used go first
    /// (default 10000).
    pub cache_max_customers: Option<usize>,
}

/// A duration written as a number and a unit: `30s`, `90m`, `24h`, `7d`.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as \"24h\" or \"90m\""))?;
    let seconds = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 60 * 60,
        "d" => 24 * 60 * 60,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use s, m, h or d"
            ))
        }
    };
    Ok(std::time::Duration::from_secs(n.saturating_mul(seconds)))
}

/// A problem with a settings file, naming the file and position.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    fn whole_file(path: &Path, message: String) -> ConfigError {
        ConfigError {
            path: path.display().to_string(),
            line: 1,
            column: 1,
            message,
        }
    }
}

/// `$XDG_CONFIG_HOME/switchboard/config.toml` (or `~/.config/…`).
pub fn config_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

/// `$XDG_CONFIG_HOME/switchboard`, where the config, keymap and themes live.
pub fn config_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("switchboard"))
}

/// Where the server keeps its database by default.
pub fn default_db_url() -> String {
    let dir = xdg_dir("XDG_DATA_HOME", ".local/share")
        .map(|d| d.join("switchboard"))
        .unwrap_or_else(|| PathBuf::from("."));
    format!("sqlite://{}", dir.join("switchboard.db").display())
}

/// The root of the desks' local caches: `$XDG_CACHE_HOME/switchboard` (each
/// server and agent has its own directory below it, see `cache::cache_dir`).
pub fn cache_root() -> PathBuf {
    xdg_dir("XDG_CACHE_HOME", ".cache")
        .map(|d| d.join("switchboard"))
        .unwrap_or_else(|| {
            let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            std::env::temp_dir().join(format!("switchboard-cache-{user}"))
        })
}

/// Where logs go: `$XDG_STATE_HOME/switchboard/logs`.
pub fn log_dir() -> PathBuf {
    xdg_dir("XDG_STATE_HOME", ".local/state")
        .map(|d| d.join("switchboard").join("logs"))
        .unwrap_or_else(|| {
            // No home: a folder of this user's own in the temp directory.
            let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            std::env::temp_dir().join(format!("switchboard-logs-{user}"))
        })
}

fn xdg_dir(var: &str, home_relative: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => std::env::var_os("HOME").map(|home| PathBuf::from(home).join(home_relative)),
    }
}

#[cfg(test)]
mod duration_tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_take_a_unit_and_say_what_is_wrong() {
        assert_eq!(parse_duration("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration(" 90m "), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert!(parse_duration("24").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("h").unwrap_err().contains("not a duration"));
        assert!(parse_duration("2w").unwrap_err().contains("\"w\""));
    }
}

/// Reads the config file; a missing file is an empty config.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
        Err(e) => return Err(ConfigError::whole_file(path, format!("cannot read: {e}"))),
    };
    let config: ConfigFile = toml::from_str(&text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_col(&text, span.start))
            .unwrap_or((1, 1));
        ConfigError {
            path: path.display().to_string(),
            line,
            column,
            message: e.message().to_string(),
        }
    })?;
    if config.token.is_some() && !is_private(path) {
        return Err(ConfigError::whole_file(
            path,
            "holds a token but others can read it; run `chmod 600` on it".into(),
        ));
    }
    Ok(config)
}

#[cfg(unix)]
fn is_private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o077 == 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_private(_: &Path) -> bool {
    true
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, text: &str, mode: u32) -> PathBuf {
        let path = dir.join("config.toml");
        let mut f = std::fs::File::create(&path).expect("create");
        f.write_all(text.as_bytes()).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        path
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "db = \"sqlite://x.db\"\nlisen = \"x\"\n", 0o600);
        let err = load(&path).expect_err("unknown key");
        assert_eq!((err.line, err.column), (2, 1));
        assert!(
            err.to_string()
                .contains("config.toml:2:1: unknown field `lisen`"),
            "{err}"
        );
    }

    #[test]
    fn a_token_needs_a_private_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "token = \"sb_x\"\n", 0o644);
        assert!(load(&path)
            .expect_err("public")
            .to_string()
            .contains("chmod 600"));
        let path = write(dir.path(), "token = \"sb_x\"\n", 0o600);
        assert_eq!(load(&path).expect("private").token.as_deref(), Some("sb_x"));
    }

    #[test]
    fn a_missing_file_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(load(&dir.path().join("none.toml"))
            .expect("missing")
            .db
            .is_none());
    }
}
