//! `switchboard cache stats|purge|verify|recover`: looking after the desks' local
//! caches under `$XDG_CACHE_HOME/switchboard` from the command line. `--server`
//! and `--agent` pick one cache; without them a verb acts on every cache found.
//! `stats`, `purge` and `verify` never rebuild or move aside a cache they cannot
//! read (that is the desk's job when it opens one); they say so and leave it.

use super::say;
use crate::cache::{self, Cache, CacheError, CacheOptions, FoundCache, RecoverReport};
use crate::config;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Show what each cache holds, its size on disk, and any moved-aside copies.
    #[command(after_help = "Examples:\n  switchboard cache stats\n  \
                            switchboard cache stats --server http://127.0.0.1:7878 --agent 3")]
    Stats(Select),
    /// Drop cached server data; never drafts, queued writes or needs-attention.
    ///
    /// Removes the cached copies of server data (profiles, timelines,
    /// suggestions, reference data), which the desk fetches again. Drafts, queued
    /// writes (the outbox) and the needs-attention list are never purged.
    #[command(after_help = "Examples:\n  switchboard cache purge\n  \
                            switchboard cache purge --server http://127.0.0.1:7878 --agent 3")]
    Purge(Select),
    /// Check every stored value; exit non-zero when any does not read back.
    ///
    /// Lists each problem with the cache directory, tree and key.
    #[command(
        after_help = "Example:\n  switchboard cache verify --server http://127.0.0.1:7878 --agent 3"
    )]
    Verify(Select),
    /// Bring back drafts and queued writes from a moved-aside copy.
    ///
    /// Queues the copy's writes again in the live cache (with their idempotency
    /// keys, so the server applies each once), puts back its needs-attention
    /// entries and restores its drafts, each only once however often this runs.
    /// The copy itself is left as it is.
    #[command(
        after_help = "Example (the path as `switchboard cache stats` lists it):\n  \
                      switchboard cache recover ~/.cache/switchboard/127.0.0.1_7878-1a2b3c4d/3.corrupt-20261122T093000Z \\\n    \
                      --server http://127.0.0.1:7878 --agent 3"
    )]
    Recover(RecoverArgs),
}

/// Which cache: both flags, or neither for every cache under the root.
#[derive(clap::Args)]
pub struct Select {
    /// The server URL the desk uses (with --agent), e.g. http://127.0.0.1:7878.
    #[arg(long, value_name = "URL", requires = "agent")]
    server: Option<String>,
    /// The agent id the desk signs in as (with --server), e.g. 3.
    #[arg(long, value_name = "ID", requires = "server")]
    agent: Option<String>,
}

#[derive(clap::Args)]
pub struct RecoverArgs {
    /// The moved-aside copy to recover from.
    path: PathBuf,
    /// The server URL of the cache to recover into.
    #[arg(long, value_name = "URL")]
    server: String,
    /// The agent id of the cache to recover into.
    #[arg(long, value_name = "ID")]
    agent: String,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    // Opening a cache blocks on file I/O (and on sled's lock for up to a second).
    tokio::task::spawn_blocking(move || {
        let root = config::cache_root();
        match command {
            Command::Stats(select) => stats(&root, &select),
            Command::Purge(select) => purge(&root, &select),
            Command::Verify(select) => verify(&root, &select),
            Command::Recover(args) => recover(&root, &args),
        }
    })
    .await
    .context("the cache command stopped unexpectedly")?
}

/// The caches `select` names: the one of `--server`/`--agent`, or every cache
/// under `root`.
fn targets(root: &Path, select: &Select) -> anyhow::Result<Vec<FoundCache>> {
    let (Some(server), Some(agent)) = (&select.server, &select.agent) else {
        return Ok(cache::find_caches(root)?);
    };
    let path = cache::cache_dir(root, server, agent);
    let moved_aside = cache::moved_aside_copies(&path)?;
    if !path.exists() && moved_aside.is_empty() {
        anyhow::bail!(
            "there is no cache of agent {agent:?} for {server} (looked in {})",
            path.display()
        );
    }
    Ok(vec![FoundCache {
        server_dir: cache::server_slug(server),
        agent_dir: cache::agent_slug(agent),
        path,
        moved_aside,
    }])
}

fn label(found: &FoundCache) -> String {
    format!("{}/{}", found.server_dir, found.agent_dir)
}

/// Opens an existing cache without changing it, or says why not.
fn open(dir: &Path) -> anyhow::Result<Cache> {
    Cache::open_existing(dir, CacheOptions::default()).map_err(|e| explain(e, dir))
}

/// A held lock means a desk is running: say so in the CLI's words.
fn explain(e: CacheError, dir: &Path) -> anyhow::Error {
    if e.is_locked() {
        anyhow::anyhow!(
            "a desk is using this cache ({}); close it first",
            dir.display()
        )
    } else {
        e.into()
    }
}

/// Runs `f` on every live cache in `targets`, printing to stderr why any one
/// could not be opened or handled; returns how many failed.
fn each_live(
    targets: &[FoundCache],
    mut f: impl FnMut(&FoundCache, &Cache) -> anyhow::Result<()>,
) -> usize {
    let mut failed = 0;
    for found in targets.iter().filter(|f| f.path.exists()) {
        if let Err(e) = open(&found.path).and_then(|cache| f(found, &cache)) {
            eprintln!("{}: {e:#}", label(found));
            failed += 1;
        }
    }
    failed
}

fn failures(failed: usize) -> anyhow::Result<()> {
    match failed {
        0 => Ok(()),
        n => anyhow::bail!("{n} cache(s) could not be read (see above)"),
    }
}

fn stats(root: &Path, select: &Select) -> anyhow::Result<()> {
    let targets = targets(root, select)?;
    if targets.is_empty() {
        say(&format!("No caches under {}.", root.display()));
        return Ok(());
    }
    let mut rows = vec![[
        "server",
        "agent",
        "customers",
        "drafts",
        "outbox",
        "attention",
        "on disk",
    ]
    .map(String::from)];
    let failed = each_live(&targets, |found, cache| {
        let s = cache.stats()?;
        rows.push([
            found.server_dir.clone(),
            found.agent_dir.clone(),
            s.customers.to_string(),
            s.drafts.to_string(),
            s.outbox.to_string(),
            s.attention.to_string(),
            human_size(s.size_on_disk),
        ]);
        Ok(())
    });
    say(&format!("Caches under {}:", root.display()));
    for line in table(&rows) {
        say(&line);
    }
    let copies: Vec<_> = targets
        .iter()
        .flat_map(|found| found.moved_aside.iter().map(move |p| (found, p)))
        .collect();
    if !copies.is_empty() {
        say("");
        say(
            "Moved-aside copies (`switchboard cache recover PATH --server URL --agent ID` \
             brings back their drafts and queued writes):",
        );
        for (found, path) in copies {
            say(&format!("  {}: {}", label(found), path.display()));
        }
    }
    failures(failed)
}

fn purge(root: &Path, select: &Select) -> anyhow::Result<()> {
    let targets = targets(root, select)?;
    if targets.is_empty() {
        say(&format!("No caches under {}.", root.display()));
        return Ok(());
    }
    let failed = each_live(&targets, |found, cache| {
        let removed = cache.purge_all()?;
        let kept = cache.stats()?;
        say(&format!(
            "{}: removed {removed} cached record(s) of server data; kept {} draft(s), \
             {} queued write(s) and {} needing attention (never purged).",
            label(found),
            kept.drafts,
            kept.outbox,
            kept.attention
        ));
        Ok(())
    });
    failures(failed)
}

fn verify(root: &Path, select: &Select) -> anyhow::Result<()> {
    let targets = targets(root, select)?;
    if targets.is_empty() {
        say(&format!("No caches under {}.", root.display()));
        return Ok(());
    }
    let mut problems = 0;
    let failed = each_live(&targets, |found, cache| {
        let found_problems = cache.verify();
        if found_problems.is_empty() {
            say(&format!("{}: no problems", label(found)));
        } else {
            say(&format!(
                "{}: {} problem(s) in {}:",
                label(found),
                found_problems.len(),
                found.path.display()
            ));
            for problem in &found_problems {
                say(&format!("  {problem}"));
            }
            problems += found_problems.len();
        }
        Ok(())
    });
    failures(failed)?;
    match problems {
        0 => Ok(()),
        n => anyhow::bail!("{n} problem(s) found"),
    }
}

fn recover(root: &Path, args: &RecoverArgs) -> anyhow::Result<()> {
    let dir = cache::cache_dir(root, &args.server, &args.agent);
    belongs_to(&args.path, &dir)?;
    let opened = Cache::open(root, &args.server, &args.agent, CacheOptions::default())
        .map_err(|e| explain(e, &dir))?;
    if let Some(message) = opened.outcome.message() {
        say(&message);
    }
    let report = opened.cache.recover_from(&args.path)?;
    print_report(&report, opened.cache.dir());
    match report.problems.len() {
        0 => Ok(()),
        n => anyhow::bail!(
            "{n} value(s) in {} could not be read (listed above)",
            args.path.display()
        ),
    }
}

/// Refuses a moved-aside copy of another agent's (or server's) cache: its queued
/// writes were confirmed by that agent and must not be sent as this one.
fn belongs_to(copy: &Path, dir: &Path) -> anyhow::Result<()> {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let copy_name = name(Some(copy));
    let Some(base) = cache::moved_aside_from(&copy_name) else {
        return Ok(());
    };
    let copy_server = name(copy.parent());
    let (server, agent) = (name(dir.parent()), name(Some(dir)));
    if base != agent || copy_server != server {
        anyhow::bail!(
            "{} is a moved-aside copy of the cache {copy_server}/{base}, not of {server}/{agent}; \
             its queued writes belong to that agent and server",
            copy.display()
        );
    }
    Ok(())
}

fn print_report(report: &RecoverReport, into: &Path) {
    say(&format!(
        "Recovered from {} (opened {}) into {}:",
        report.source.display(),
        report.opened,
        into.display()
    ));
    say(&format!(
        "  {} queued write(s) requeued; the desk sends them when it reaches the server",
        report.outbox_requeued
    ));
    say(&format!(
        "  {} back on the needs-attention list",
        report.attention_restored
    ));
    say(&format!("  {} draft(s) restored", report.drafts_restored));
    say(&format!(
        "  {} already here or recovered before (skipped)",
        report.already_present
    ));
    for key in &report.draft_conflicts {
        say(&format!(
            "  draft {key:?} not restored: this cache holds a newer one (the old one stays in the copy)"
        ));
    }
    for problem in &report.problems {
        say(&format!("  cannot read: {problem}"));
    }
    say("The moved-aside copy is left as it was; delete it when you no longer need it.");
}

/// Lines of `rows` in aligned columns: the first two left-aligned, the rest
/// (numbers) right-aligned.
fn table<const N: usize>(rows: &[[String; N]]) -> Vec<String> {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    if i < 2 {
                        format!("{cell:<w$}")
                    } else {
                        format!("{cell:>w$}")
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

/// Bytes in binary units, e.g. `812 B`, `1.4 MiB`.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }

    #[test]
    fn a_copy_of_another_agents_cache_is_refused() {
        let live = Path::new("/c/host-1/alice");
        assert!(belongs_to(Path::new("/c/host-1/alice.corrupt-20261122T093000Z"), live).is_ok());
        assert!(belongs_to(Path::new("/backup/some-copy"), live).is_ok());
        let err = belongs_to(Path::new("/c/host-1/bob.corrupt-20261122T093000Z"), live)
            .unwrap_err()
            .to_string();
        assert!(err.contains("host-1/bob, not of host-1/alice"), "{err}");
        assert!(belongs_to(Path::new("/c/host-2/alice.corrupt-20261122T093000Z"), live).is_err());
    }
}
