//! `switchboard export`: what the desks recorded (interactions, suggestion
//! outcomes, decisions, escalations, waivers, approvals, call events) as
//! CSV or JSON Lines, for the CRM and the data warehouse. A nightly job
//! keeps the cursor it is given (`--cursor-file`) and passes it back
//! (`--since`): each run takes only what is new, and misses nothing written
//! during the last one. Money stays in minor units with its currency, times
//! in UTC.

use crate::server::store::export::{self, Cell, Col, ExportKind};
use crate::server::store::Backend;
use anyhow::Context;
use futures::StreamExt;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Database URL (see `switchboard serve --help`).
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
    /// What to export: interactions, suggestion-outcomes, decisions,
    /// escalations, waivers, approvals, agent-states or call-events.
    what: String,
    /// `jsonl` (one JSON object a line) or `csv` (with a header row).
    #[arg(long, default_value = "jsonl")]
    format: String,
    /// Only what is newer than this cursor (from the last run); without
    /// it, everything.
    #[arg(long, value_name = "CURSOR")]
    since: Option<String>,
    /// Read the cursor from this file (when there is no --since) and write
    /// the next one to it once the export is complete.
    #[arg(long, value_name = "FILE")]
    cursor_file: Option<PathBuf>,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Leave out what was written in the last this many seconds, so that
    /// every record up to the cursor has committed (default: 0 on SQLite,
    /// which commits one write at a time; 65 on PostgreSQL, where a write
    /// left unfinished for 60 s can no longer complete).
    #[arg(long, value_name = "SECONDS")]
    settle_seconds: Option<u32>,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let kind = export::kind(&args.what).with_context(|| {
        let names: Vec<&str> = export::KINDS.iter().map(|k| k.name).collect();
        format!(
            "cannot export `{}`: choose one of {}",
            args.what,
            names.join(", ")
        )
    })?;
    let csv = match args.format.as_str() {
        "csv" => true,
        "jsonl" => false,
        other => anyhow::bail!("--format must be jsonl or csv (got `{other}`)"),
    };
    let since = match (&args.since, &args.cursor_file) {
        (Some(cursor), _) => Some(cursor.clone()),
        (None, Some(file)) if file.exists() => Some(
            std::fs::read_to_string(file)
                .with_context(|| format!("--cursor-file: cannot read {}", file.display()))?
                .trim()
                .to_string(),
        ),
        _ => None,
    };
    let after = match &since {
        None => i64::MIN,
        Some(cursor) => parse_cursor(kind, cursor)?,
    };
    let url = super::resolve_db(args.db)?;
    let store = super::open_store(&url).await?;
    let settle = args.settle_seconds.map_or(
        match store.backend() {
            Backend::Sqlite => 0,
            Backend::Postgres => 65_000,
        },
        |s| i64::from(s) * 1000,
    );
    let upto = store.export_horizon(kind, settle).await?.max(after);
    let sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("--out: cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let buffered = std::io::BufWriter::with_capacity(1 << 16, sink);
    let mut out = match csv {
        true => {
            let mut writer = csv::Writer::from_writer(buffered);
            writer.write_record(kind.columns.iter().map(|(name, _, _)| *name))?;
            Out::Csv(Box::new(writer))
        }
        false => Out::Json(buffered),
    };
    let sql = store.export_sql(kind);
    let mut rows = std::pin::pin!(store.export_rows(kind, &sql, after, upto));
    let mut count = 0u64;
    while let Some(row) = rows.next().await {
        let row = row?;
        match &mut out {
            Out::Csv(writer) => writer.write_record(
                kind.columns
                    .iter()
                    .zip(&row)
                    .map(|((_, _, col), cell)| text_of(cell, *col).unwrap_or_default()),
            )?,
            Out::Json(writer) => write_json(writer, kind, &row)?,
        }
        count += 1;
    }
    match out {
        Out::Csv(mut writer) => writer.flush(),
        Out::Json(mut writer) => writer.flush(),
    }
    .context("writing the export")?;
    let next = format!("{}:{upto}", kind.name);
    if let Some(file) = &args.cursor_file {
        let partial = file.with_extension("partial");
        std::fs::write(&partial, format!("{next}\n"))
            .and_then(|()| std::fs::rename(&partial, file))
            .with_context(|| format!("--cursor-file: cannot write {}", file.display()))?;
    }
    eprintln!(
        "exported {count} rows of {}; next cursor: {next}",
        kind.name
    );
    store.close().await;
    Ok(())
}

/// Where the rows go.
enum Out {
    Csv(Box<csv::Writer<std::io::BufWriter<Box<dyn Write>>>>),
    Json(std::io::BufWriter<Box<dyn Write>>),
}

/// The key in a cursor from an earlier export of the same kind.
fn parse_cursor(kind: &ExportKind, cursor: &str) -> anyhow::Result<i64> {
    cursor
        .strip_prefix(kind.name)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|key| key.parse::<i64>().ok())
        .with_context(|| {
            format!(
                "--since: `{cursor}` is not a cursor for `{}` (it looks like `{}:12345`)",
                kind.name, kind.name
            )
        })
}

fn text_of(cell: &Cell, col: Col) -> Option<String> {
    match (cell, col) {
        (Cell::Null, _) => None,
        (Cell::Int(ms), Col::Time) => chrono::DateTime::from_timestamp_millis(*ms)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        (Cell::Int(n), _) => Some(n.to_string()),
        (Cell::Float(f), _) => Some(f.to_string()),
        (Cell::Text(t), _) => Some(t.clone()),
    }
}

fn write_json(out: &mut impl Write, kind: &ExportKind, row: &[Cell]) -> anyhow::Result<()> {
    let mut object = serde_json::Map::with_capacity(row.len());
    for ((name, _, col), cell) in kind.columns.iter().zip(row) {
        let value = match (cell, col) {
            (Cell::Null, _) => serde_json::Value::Null,
            (Cell::Int(n), Col::Int) => serde_json::Value::from(*n),
            (Cell::Float(f), _) => serde_json::Value::from(*f),
            _ => text_of(cell, *col).map_or(serde_json::Value::Null, serde_json::Value::from),
        };
        object.insert((*name).to_string(), value);
    }
    serde_json::to_writer(&mut *out, &object)?;
    out.write_all(b"\n")?;
    Ok(())
}
