//! `switchboard` with no verb: the terminal desk. Server and token come from
//! SWITCHBOARD_SERVER / SWITCHBOARD_TOKEN, then the config file (only when it is
//! private), then the sign-in screen; a token is never taken on the command line.

use crate::config;
use crate::tui::glyphs::Glyphs;
use crate::tui::local::LocalConfig;
use crate::tui::run::{self, Start};
use crate::tui::sanitize::clean_line;
use crate::tui::state::AppState;
use crate::tui::{keymap, theme};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args, Default)]
#[group(skip)]
pub struct Args {
    /// Start on this caller: a phone number (any format), e-mail or account.
    #[arg(long, value_name = "NUMBER")]
    pop: Option<String>,
    /// Base keymap: default or vim (your keymap.toml merges over it).
    #[arg(long, value_name = "NAME")]
    keymap: Option<String>,
    /// Theme: default, high-contrast, mono, dusk, or one in your themes folder.
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
}

/// Whether the desk can run here: both ends of the terminal are a terminal.
pub fn have_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    if !have_terminal() {
        anyhow::bail!(
            "the desk needs a terminal. To try the API without one, run `switchboard demo` \
             and use the printed address and tokens."
        );
    }
    open(args, None).await
}

/// What `demo` opens its desk with, over the environment and config: its own
/// server, the token to sign in with, and where it wrote its tokens (help
/// shows it).
pub struct DemoSignIn {
    pub server: String,
    pub token: String,
    pub tokens_file: Option<PathBuf>,
}

/// Opens the desk, signed in to `demo`'s server when given.
pub async fn open(args: Args, demo: Option<DemoSignIn>) -> anyhow::Result<()> {
    let mut config_errors = Vec::new();
    let file = super::read_config().unwrap_or_else(|errors| {
        config_errors.extend(errors.iter().map(ToString::to_string));
        config::ConfigFile::default()
    });
    let local = local_config(&file, &mut config_errors);
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (server, token, tokens_file) = match demo {
        Some(demo) => (demo.server, Some(demo.token), demo.tokens_file),
        None => (
            env("SWITCHBOARD_SERVER")
                .or(file.server)
                .unwrap_or_default(),
            env("SWITCHBOARD_TOKEN").or(file.token),
            None,
        ),
    };
    let dir = config::config_dir();
    let keymap_name = args
        .keymap
        .or(file.keymap)
        .unwrap_or_else(|| "default".into());
    let user_keymap = dir.as_ref().map(|d| d.join("keymap.toml"));
    let (keymap, keymap_errors) = keymap::load(&keymap_name, user_keymap.as_deref());
    let theme_name = args
        .theme
        .or(file.theme)
        .unwrap_or_else(|| "default".into());
    let depth = theme::ColorDepth::from_env();
    let themes_dir = dir.as_ref().map(|d| d.join("themes"));
    let (theme, theme_errors) = theme::load(&theme_name, themes_dir.as_deref(), depth);
    config_errors.extend(
        keymap_errors
            .iter()
            .chain(&theme_errors)
            .map(ToString::to_string),
    );
    for error in &config_errors {
        tracing::warn!(%error, "configuration problem; defaults in use");
    }
    let now = crate::tui::clock::to_minute(chrono::Utc::now());
    let glyphs = Glyphs::detect(&|name| std::env::var(name).ok());
    let snippets = file.snippets.clone().into_iter().collect();
    let mut state = AppState::new(Arc::new(keymap), glyphs, server, now);
    state.snippets = snippets;
    state.pop_over_forms = file.pop_over_forms;
    state.config_errors = config_errors;
    state.pop_on_start = args.pop;
    state.tokens_file = tokens_file.map(|path| clean_line(&path.display().to_string()));
    let exit = run::run(Start {
        state,
        theme,
        token,
        local,
    })
    .await?;
    // When the terminal went away there is nobody to tell; the log says it.
    tracing::info!(?exit, "desk closed");
    Ok(())
}

/// The local cache's place and limits from the config file; a bad value is
/// reported and the default used.
fn local_config(file: &config::ConfigFile, errors: &mut Vec<String>) -> LocalConfig {
    let mut local = LocalConfig::default();
    if let Some(ttl) = &file.cache_ttl {
        match config::parse_duration(ttl) {
            Ok(ttl) => local.options.customer_ttl = ttl,
            Err(e) => errors.push(
                file.error("cache_ttl", format!("cache_ttl: {e}"))
                    .to_string(),
            ),
        }
    }
    if let Some(mb) = file.cache_memory_mb {
        local.options.capacity_bytes = mb.clamp(1, 1024) * 1024 * 1024;
    }
    if let Some(n) = file.cache_max_customers {
        local.options.max_customers = n.max(1);
    }
    local
}
