//! The `switchboard` command: the desk (default), the reference server, the
//! one-command demo, and small admin verbs.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use switchboard::commands;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "A terminal agent desktop for contact centers, and its reference backend.",
    after_help = "Examples:\n  switchboard demo                      # server + demo data + desk, one command\n  \
                  switchboard serve --db sqlite://sb.db  # run the backend\n  \
                  SWITCHBOARD_SERVER=http://127.0.0.1:7878 SWITCHBOARD_TOKEN=… switchboard --pop 4155550134"
)]
struct Cli {
    #[command(flatten)]
    desk: commands::desk::Args,
    /// Log level or filter (overrides RUST_LOG), e.g. `debug` or `switchboard=trace`.
    #[arg(long, global = true, value_name = "FILTER")]
    log_level: Option<String>,
    /// A PEM file of certificate authorities to trust beside the built-in
    /// roots, for a server on https:// whose certificate a private CA signed.
    #[arg(long, global = true, env = "SWITCHBOARD_CA", value_name = "FILE")]
    ca: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the reference backend: the /v1 API over SQLite or PostgreSQL.
    #[command(
        after_help = "Examples:\n  switchboard serve --listen 127.0.0.1:7878 --db sqlite:///var/lib/switchboard/sb.db\n  \
                            switchboard serve --db postgres://switchboard@db.internal/switchboard"
    )]
    Serve(commands::serve::Args),
    /// Start a server with generated demo data on 127.0.0.1 and open the desk.
    #[command(after_help = "Example:\n  switchboard demo --customers 5000")]
    Demo(commands::demo::Args),
    /// Load deterministic demo data into a database.
    #[command(
        after_help = "Example:\n  switchboard seed --db sqlite://sb.db --customers 100000 --seed 7"
    )]
    Seed(commands::seed::Args),
    /// Load customers, fees and timeline events from a CRM's files (CSV or
    /// JSON Lines); running it again changes only what changed.
    #[command(
        after_help = "Example:\n  switchboard import --db sqlite://sb.db --source crm --customers customers.csv \\\n      --fees fees.csv --events events.jsonl --report rejected.txt"
    )]
    Import(commands::import::Args),
    /// Write what the desks recorded as CSV or JSON Lines, from a cursor.
    #[command(
        after_help = "Example (nightly):\n  switchboard export interactions --db sqlite://sb.db --format csv \\\n      --cursor-file interactions.cursor --out interactions-$(date +%F).csv"
    )]
    Export(commands::export::Args),
    /// Play the ACD against a server: simulated calls, callers and agents.
    #[command(
        after_help = "Example:\n  SWITCHBOARD_TOKEN=sb_… switchboard simulate --server http://127.0.0.1:7878 --speed 10"
    )]
    Simulate(commands::simulate::Args),
    /// Manage agents and their tokens.
    #[command(subcommand)]
    Agent(commands::agent::Command),
    /// Look after the desks' local caches: stats, purge, verify, recover.
    #[command(subcommand)]
    Cache(commands::cache::Command),
    /// The decision service's tools: a simulated population to learn from.
    #[command(subcommand)]
    Decisions(commands::decisions::Command),
    /// Check config.toml, the keymap and the theme, or an action catalog;
    /// exit non-zero on errors.
    #[command(
        name = "check-config",
        after_help = "Examples:\n  switchboard check-config\n  switchboard check-config --actions my-actions.toml\n  switchboard check-config --facts"
    )]
    CheckConfig(commands::check_config::Args),
    /// Print the OpenAPI document of the /v1 API.
    #[command(after_help = "Example:\n  switchboard openapi > openapi.json")]
    Openapi,
}

fn main() -> ExitCode {
    // What this process creates (the SQLite database and its WAL, the logs,
    // the cache, the demo's tokens) is its user's alone: files 0600, folders
    // 0700, whatever the shell's umask.
    // SAFETY: umask(2) only sets this process's file-mode mask.
    unsafe {
        libc::umask(0o077);
    }
    let cli = Cli::parse();
    let process = match &cli.command {
        None => "desk",
        Some(Command::Serve(_)) => "serve",
        Some(Command::Demo(_)) => "demo",
        Some(Command::Seed(_)) => "seed",
        Some(Command::Import(_)) => "import",
        Some(Command::Export(_)) => "export",
        Some(Command::Simulate(_)) => "simulate",
        Some(Command::Agent(_)) => "agent",
        Some(Command::Cache(_)) => "cache",
        Some(Command::Decisions(_)) => "decisions",
        Some(Command::Openapi) => "openapi",
        Some(Command::CheckConfig(_)) => "check-config",
    };
    let _log = switchboard::logging::init(process, cli.log_level.as_deref());
    if let Some(ca) = &cli.ca {
        if let Err(e) = switchboard::api::trust_ca_file(ca) {
            commands::tell(&format!("switchboard: --ca {e}"));
            return ExitCode::FAILURE;
        }
    }
    // The desk runs on one thread: many desks share a host, and its work is
    // waiting on the terminal and the network. The other verbs use every core.
    let mut builder = match cli.command {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(_) => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            commands::tell(&format!("switchboard: cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => commands::desk::run(cli.desk).await,
            Some(Command::Serve(args)) => commands::serve::run(args).await,
            Some(Command::Demo(args)) => commands::demo::run(args).await,
            Some(Command::Seed(args)) => commands::seed::run(args).await,
            Some(Command::Import(args)) => commands::import::run(args).await,
            Some(Command::Export(args)) => commands::export::run(args).await,
            Some(Command::Simulate(args)) => commands::simulate::run(args).await,
            Some(Command::Agent(cmd)) => commands::agent::run(cmd).await,
            Some(Command::Cache(cmd)) => commands::cache::run(cmd).await,
            Some(Command::Decisions(cmd)) => commands::decisions::run(cmd).await,
            Some(Command::CheckConfig(args)) => match commands::check_config::run(args) {
                0 => Ok(()),
                n => Err(anyhow::anyhow!("{n} configuration problem(s) found")),
            },
            Some(Command::Openapi) => {
                commands::say(&switchboard::server::openapi::document());
                Ok(())
            }
        }
    });
    // What was typed is already on disk (the desk waits for that before it
    // ends); a cache task still running must not hold the process, or a
    // hung-up desk would linger on a shared host.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Not eprintln!: after the desk, the terminal may be gone.
            commands::tell(&format!("switchboard: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Clap checks the whole command tree (unique names, groups) here rather
    /// than when a user first runs a verb.
    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
