//! Settings: command-line flags win over the environment (`SWITCHBOARD_SERVER`,
//! `SWITCHBOARD_TOKEN`, `SWITCHBOARD_DB`), which wins over
//! `$XDG_CONFIG_HOME/switchboard/config.toml`, which wins over defaults. Clap
//! handles the first two; this module reads the file and the default paths.

use crate::configfile::{self, Checker, ConfigError, Entry, Node, Table};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `config.toml`. Unknown keys are errors, so a typo is not silently ignored.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// The server the desk talks to, e.g. `http://127.0.0.1:7878`; several,
    /// separated by commas, to fail over between replicas.
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
    pub snippets: BTreeMap<String, String>,
    /// How long the desk's cached customer data is served, e.g. "24h", "90m",
    /// "30s" (default 24h).
    pub cache_ttl: Option<String>,
    /// The desk cache's in-memory page cache in MiB (default 32).
    pub cache_memory_mb: Option<u64>,
    /// Most customers the desk cache keeps; the least recently used go first
    /// (default 10000).
    pub cache_max_customers: Option<usize>,
    /// Whether a call's pop takes the screen while a form is open: `true`
    /// for `pop = "over_forms"`; by default (`"when_free"`) it is announced
    /// and waits for the agent's key.
    pub pop_over_forms: bool,
    /// Where each setting was written, for problems found in a value after
    /// loading (a duration the desk cannot read, a snippet's placeholders).
    places: Places,
}

/// The keys `config.toml` may have.
const KEYS: [&str; 12] = [
    "server",
    "token",
    "db",
    "listen",
    "default_country_code",
    "keymap",
    "theme",
    "snippets",
    "cache_ttl",
    "cache_memory_mb",
    "cache_max_customers",
    "pop",
];

/// The file's name and the place of each setting's value, by key
/// (`cache_ttl`, `snippets.greeting`).
#[derive(Debug, Clone, Default)]
struct Places {
    path: String,
    at: BTreeMap<String, (usize, usize)>,
}

impl ConfigFile {
    /// A problem with the value of `key` (`cache_ttl`, or `snippets.NAME` for
    /// a snippet), placed where the value was written.
    pub fn error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        let (line, column) = self.places.at.get(key).copied().unwrap_or((1, 1));
        ConfigError {
            path: self.places.path.clone(),
            line,
            column,
            message: message.into(),
        }
    }
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

/// Where `demo` leaves its server address and tokens:
/// `$XDG_STATE_HOME/switchboard/demo` (`None` without a home).
pub fn demo_dir() -> Option<PathBuf> {
    xdg_dir("XDG_STATE_HOME", ".local/state").map(|d| d.join("switchboard").join("demo"))
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

/// Reads the config file; a missing file is an empty config. A file with any
/// problem is refused as a whole, with every problem in it.
pub fn load(path: &Path) -> Result<ConfigFile, Vec<ConfigError>> {
    let Some(text) = configfile::read(path).map_err(|e| vec![e])? else {
        return Ok(ConfigFile::default());
    };
    let mut checker = Checker::new(path.display().to_string(), text);
    let config = checker
        .parse()
        .map(|root| settings(&mut checker, &root))
        .unwrap_or_default();
    if config.token.is_some() && !is_private(path) {
        checker.report(
            0,
            "holds a token but others can read it; run `chmod 600` on it",
        );
    }
    match checker.has_errors() {
        true => Err(checker.into_errors()),
        false => Ok(config),
    }
}

/// `server`: one URL, or several to fail over between, as a list of URLs or
/// as text with commas; kept as that text (`Client::new` splits it).
fn servers(checker: &mut Checker, node: &Node) -> Option<String> {
    let wrong = "`server` must be a URL in quotes, or a list of them";
    let Some(items) = node.as_list() else {
        return checker.text(node, wrong).map(str::to_string);
    };
    let urls: Vec<&str> = items
        .iter()
        .filter_map(|item| checker.text(item, wrong))
        .collect();
    if urls.is_empty() {
        checker.report(node.at, "`server` lists no URL");
        return None;
    }
    Some(urls.join(","))
}

/// The settings in the file's top table, every problem reported.
fn settings(checker: &mut Checker, root: &Table) -> ConfigFile {
    let mut config = ConfigFile::default();
    config.places.path = checker.path().to_string();
    for entry in &root.entries {
        let key = entry.key.as_str();
        let text = |checker: &mut Checker| {
            let wrong = format!("`{key}` must be text in quotes");
            checker.text(&entry.node, &wrong).map(str::to_string)
        };
        let count = "must be a whole number of 0 or more";
        match key {
            "server" => config.server = servers(checker, &entry.node),
            "token" => config.token = text(checker),
            "db" => config.db = text(checker),
            "listen" => config.listen = text(checker),
            "default_country_code" => config.default_country_code = text(checker),
            "keymap" => config.keymap = text(checker),
            "theme" => config.theme = text(checker),
            "cache_ttl" => config.cache_ttl = text(checker),
            "cache_memory_mb" => {
                config.cache_memory_mb = checker.number(&entry.node, &format!("`{key}` {count}"))
            }
            "cache_max_customers" => {
                config.cache_max_customers =
                    checker.number(&entry.node, &format!("`{key}` {count}"))
            }
            "snippets" => config.snippets = snippets(checker, entry, &mut config.places),
            "pop" => match text(checker).as_deref() {
                Some("over_forms") => config.pop_over_forms = true,
                Some("when_free") | None => {}
                Some(_) => checker.report(
                    entry.node.at,
                    "`pop` must be \"when_free\" (a call waits while a form is open) or \"over_forms\"",
                ),
            },
            other => {
                checker.unknown(entry.key_at, "key", other, KEYS);
                continue;
            }
        }
        let place = checker.line_col(entry.node.at);
        config.places.at.insert(key.to_string(), place);
    }
    config
}

/// `[snippets]`: name = template.
fn snippets(checker: &mut Checker, entry: &Entry, places: &mut Places) -> BTreeMap<String, String> {
    let wrong = "`snippets` must be a table of name = \"text\"";
    let Some(table) = checker.table(&entry.node, wrong) else {
        return BTreeMap::new();
    };
    let mut snippets = BTreeMap::new();
    for snippet in &table.entries {
        let name = &snippet.key;
        let wrong = format!("snippet `{name}` must be text in quotes");
        if let Some(template) = checker.text(&snippet.node, &wrong) {
            snippets.insert(name.clone(), template.to_string());
            let place = checker.line_col(snippet.node.at);
            places.at.insert(format!("snippets.{name}"), place);
        }
    }
    snippets
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

    fn shown(errors: &[ConfigError]) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "db = \"sqlite://x.db\"\nlisen = \"x\"\n", 0o600);
        let errors = load(&path).expect_err("unknown key");
        assert_eq!((errors[0].line, errors[0].column), (2, 1));
        let expected = "config.toml:2:1: unknown key `lisen` (did you mean `listen`?)";
        assert!(errors[0].to_string().ends_with(expected), "{errors:?}");
    }

    #[test]
    fn several_servers_are_a_list_or_text_with_commas() {
        let dir = tempfile::tempdir().expect("tempdir");
        let listed = "server = [\"http://a:7878\", \"http://b:7878\"]\n";
        let path = write(dir.path(), listed, 0o600);
        let config = load(&path).expect("a list of servers");
        assert_eq!(
            config.server.as_deref(),
            Some("http://a:7878,http://b:7878")
        );
        let path = write(dir.path(), "server = [\"http://a:7878\", 7]\n", 0o600);
        let at = format!(
            "{}:1:28: `server` must be a URL in quotes, or a list of them",
            path.display()
        );
        assert_eq!(shown(&load(&path).expect_err("not a URL")), [at]);
        let path = write(dir.path(), "server = []\n", 0o600);
        let at = format!("{}:1:10: `server` lists no URL", path.display());
        assert_eq!(shown(&load(&path).expect_err("empty")), [at]);
    }

    #[test]
    fn every_problem_is_reported_at_once_where_it_was_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "server = 7878\ncache_memory_mb = -1\ncache_max_customers = \"many\"\n\
                    [snippets]\nhello = \"Hi {customer.first_name}\"\nbye = []\n\
                    [themes]\n";
        let path = write(dir.path(), text, 0o600);
        let at = |place: &str| format!("{}:{place}", path.display());
        let expected = [
            at("1:10: `server` must be a URL in quotes, or a list of them"),
            at("2:19: `cache_memory_mb` must be a whole number of 0 or more"),
            at("3:23: `cache_max_customers` must be a whole number of 0 or more"),
            at("6:7: snippet `bye` must be text in quotes"),
            at("7:2: unknown key `themes` (did you mean `theme`?)"),
        ];
        assert_eq!(shown(&load(&path).expect_err("wrong kinds")), expected);
    }

    #[test]
    fn a_value_found_wrong_later_is_placed_where_it_was_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "cache_ttl = \"2w\"\n[snippets]\nhello = \"Hi {x}\"\n";
        let path = write(dir.path(), text, 0o600);
        let config = load(&path).expect("valid");
        assert_eq!(config.snippets["hello"], "Hi {x}");
        let ttl = config.error("cache_ttl", "cache_ttl: bad");
        assert_eq!(
            ttl.to_string(),
            format!("{}:1:13: cache_ttl: bad", path.display())
        );
        let snippet = config.error("snippets.hello", "bad");
        assert_eq!((snippet.line, snippet.column), (3, 9));
    }

    #[test]
    fn a_token_needs_a_private_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "token = \"sb_x\"\n", 0o644);
        let errors = shown(&load(&path).expect_err("public"));
        let expected =
            "config.toml:1:1: holds a token but others can read it; run `chmod 600` on it";
        assert!(errors[0].ends_with(expected), "{errors:?}");
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
