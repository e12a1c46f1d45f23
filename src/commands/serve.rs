//! `switchboard serve`: the reference backend on SQLite or PostgreSQL.

use crate::domain::authority::CumulativeRules;
use crate::server::decide::catalog::Catalog;
use crate::server::floor::FloorConfig;
use crate::server::transport::Limits;
use crate::server::{self, AppState};
use anyhow::Context;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// Database: sqlite://PATH (default, WAL) or postgres://USER@HOST/DB.
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
    /// Calling code for phone numbers written without one (1 = US/Canada, 44 = UK).
    #[arg(long, value_name = "CODE")]
    default_country_code: Option<String>,
    /// Seconds after a call ends before an agent who logged nothing is
    /// available again.
    #[arg(long, default_value_t = 120, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    wrap_up_limit: u64,
    /// Action catalog (TOML) to rank instead of the shipped one; check it
    /// first with `switchboard check-config --actions FILE`.
    #[arg(long, value_name = "FILE")]
    actions: Option<std::path::PathBuf>,
    /// Days over which an agent's waivers for one customer add up against
    /// their limit.
    #[arg(long, default_value_t = 30, value_name = "DAYS",
          value_parser = clap::value_parser!(u32).range(1..=366))]
    waiver_window_days: u32,
    /// An agent's waivers in a day, across customers, in multiples of their
    /// limit, before the next goes to a supervisor.
    #[arg(long, default_value_t = 5, value_name = "LIMITS",
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    daily_waiver_limits: u32,
    /// Waivers an agent may apply in an hour before the next, however small,
    /// goes to a supervisor.
    #[arg(long, default_value_t = 10, value_name = "COUNT",
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    waivers_per_hour: u32,
    /// Seconds a client has to send a request's headers; a keep-alive
    /// connection idle this long is closed too.
    #[arg(long, default_value_t = 10, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    header_timeout: u64,
    /// Seconds a client has to send a request's body (408 after).
    #[arg(long, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    body_timeout: u64,
    /// Seconds a response may wait for the client to read it; a client that
    /// stops reading (an event stream left open) is then cut off.
    #[arg(long, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    write_timeout: u64,
    /// Connections open at once; more are closed at once, with a log line.
    #[arg(long, default_value_t = 1024, value_name = "COUNT",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
    /// Serve https:// with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    /// Serve `/metrics` (Prometheus, no token, plain HTTP) on this address
    /// instead of beside the API.
    #[arg(long, value_name = "ADDR")]
    metrics_listen: Option<String>,
}

const DEFAULT_LISTEN: &str = "127.0.0.1:7878";

pub async fn run(args: Args) -> anyhow::Result<()> {
    let config = super::config_file()?;
    let db = super::resolve_db(args.db)?;
    let listen = args
        .listen
        .or(config.listen)
        .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
    let country = args
        .default_country_code
        .or(config.default_country_code)
        .unwrap_or_else(|| "1".to_string());
    if country.is_empty() || country.len() > 3 || !country.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!(
            "--default-country-code must be 1 to 3 digits, e.g. 1 or 44 (got `{country}`)"
        );
    }
    let catalog = Catalog::load(args.actions.as_deref())?;
    // Held until the server stops: one server per SQLite file.
    let _one_server = server::sqlite_lock::claim(&db)?;
    let store = super::open_store(&db)
        .await?
        .with_waiver_rules(CumulativeRules {
            window_days: args.waiver_window_days,
            daily_limits: args.daily_waiver_limits,
            per_hour: args.waivers_per_hour,
        });
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(server::transport::tls_config(cert, key)?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    super::say(&format!(
        "switchboard serve: listening on {scheme}://{addr} ({})",
        store.backend().as_str()
    ));
    let metrics = match &args.metrics_listen {
        Some(at) => {
            let listener = tokio::net::TcpListener::bind(at)
                .await
                .with_context(|| format!("--metrics-listen: cannot listen on {at}"))?;
            super::say(&format!(
                "metrics: http://{}/metrics",
                listener.local_addr()?
            ));
            Some(listener)
        }
        None => None,
    };
    super::say(&format!("API contract: {scheme}://{addr}/v1/openapi.json"));
    tracing::info!(%addr, backend = store.backend().as_str(), "serving");
    let config = FloorConfig {
        wrap_up_limit: std::time::Duration::from_secs(args.wrap_up_limit),
    };
    let mut state = AppState::new(store.clone(), country, config, catalog).await?;
    state.limits = Limits {
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        body_timeout: std::time::Duration::from_secs(args.body_timeout),
        write_timeout: std::time::Duration::from_secs(args.write_timeout),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        tls,
    };
    server::serve_apart(listener, metrics, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}
