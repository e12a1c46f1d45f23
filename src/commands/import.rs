//! `switchboard import`: a company's customers, its business accounts (with
//! their contacts' roles, invoices and orders), fees and timeline events from the files its CRM
//! exports (layouts in the README),
//! streamed in batches so memory does not grow with the file. Each record
//! carries the source system's id, so running it again changes nothing and a
//! changed row updates its record. A bad row never stops the rest: it is
//! reported by file, line, field and why, and the import exits non-zero for
//! it only with `--strict`.

use crate::server::import::accounts;
use crate::server::import::reader::{self, Numbered};
use crate::server::import::records::{self, Rejected, Row};
use crate::server::store::{Applied, Refusals, Store};
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Database URL (see `switchboard serve --help`).
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
    /// The source system's name: with each record's own id, the key a
    /// second import finds it by (letters, digits, `-` and `_`).
    #[arg(long, default_value = "crm")]
    source: String,
    /// Customers (`.csv` with a header row, or `.jsonl`).
    #[arg(long, value_name = "FILE")]
    customers: Option<PathBuf>,
    /// Business accounts (tier and terms), each on a customer of the same
    /// source, who becomes an organisation.
    #[arg(long, value_name = "FILE")]
    organisations: Option<PathBuf>,
    /// Contacts' roles at organisations (both customers of the same source).
    #[arg(long, value_name = "FILE")]
    roles: Option<PathBuf>,
    /// Invoices of business accounts (an organisation's source id and the
    /// invoice's number are its key).
    #[arg(long, value_name = "FILE")]
    invoices: Option<PathBuf>,
    /// Orders business accounts placed (keyed as invoices are).
    #[arg(long, value_name = "FILE")]
    orders: Option<PathBuf>,
    /// Fees and balances, each on a customer of the same source.
    #[arg(long, value_name = "FILE")]
    fees: Option<PathBuf>,
    /// Timeline events of every channel and kind (life events too).
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,
    /// Write every rejected row here as well (`file:line: why`).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Exit non-zero when any row was rejected.
    #[arg(long)]
    strict: bool,
    /// Calling code for national phone numbers, e.g. 1 or 44.
    #[arg(long, default_value = "1")]
    default_country_code: String,
}

/// Rows validated and written at once: one transaction each.
const BATCH: usize = 2_000;

/// What kind of record a file holds.
#[derive(Clone, Copy)]
enum Kind {
    Customers,
    Organisations,
    Roles,
    Invoices,
    Orders,
    Fees,
    Events,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let source = args.source.trim();
    if source.is_empty()
        || source.len() > 40
        || !source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        anyhow::bail!("--source must be 1 to 40 letters, digits, `-` or `_` (got `{source}`)");
    }
    let files: Vec<(Kind, &PathBuf)> = [
        (Kind::Customers, &args.customers),
        (Kind::Organisations, &args.organisations),
        (Kind::Roles, &args.roles),
        (Kind::Invoices, &args.invoices),
        (Kind::Orders, &args.orders),
        (Kind::Fees, &args.fees),
        (Kind::Events, &args.events),
    ]
    .into_iter()
    .filter_map(|(kind, file)| file.as_ref().map(|f| (kind, f)))
    .collect();
    if files.is_empty() {
        anyhow::bail!("nothing to import: give --customers, --organisations, --roles, --invoices, --orders, --fees or --events (or several)");
    }
    let url = super::resolve_db(args.db)?;
    let store = super::open_store(&url).await?;
    let mut report = match &args.report {
        Some(path) => Some(
            std::fs::File::create(path)
                .with_context(|| format!("--report: cannot write {}", path.display()))?,
        ),
        None => None,
    };
    let mut rejected_in_all = 0;
    for (kind, path) in files {
        let started = Instant::now();
        let rows = reader::rows(path).map_err(anyhow::Error::msg)?;
        let mut import = FileImport {
            store: &store,
            source,
            kind,
            path,
            cc: &args.default_country_code,
            applied: Applied::default(),
            rejected: Vec::new(),
            read: 0,
        };
        import.run(rows).await?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{}: {} rows in {seconds:.1}s ({:.0}/s): {} created, {} updated, {} unchanged, {} rejected",
            path.display(),
            import.read,
            import.read as f64 / seconds.max(1e-9),
            import.applied.created,
            import.applied.updated,
            import.applied.unchanged,
            import.rejected.len()
        );
        import.rejected.sort_by_key(|(line, _)| *line);
        for (_, line) in &import.rejected {
            eprintln!("{line}");
            if let Some(file) = report.as_mut() {
                writeln!(file, "{line}").context("--report: cannot write")?;
            }
        }
        rejected_in_all += import.rejected.len();
    }
    store.refresh_search_statistics().await?;
    store.close().await;
    if args.strict && rejected_in_all > 0 {
        anyhow::bail!("{rejected_in_all} rows were rejected (--strict)");
    }
    Ok(())
}

/// One file on its way in.
struct FileImport<'a> {
    store: &'a Store,
    source: &'a str,
    kind: Kind,
    path: &'a Path,
    cc: &'a str,
    applied: Applied,
    /// The line and `file:line: why` of each rejected row.
    rejected: Vec<(u64, String)>,
    read: u64,
}

impl FileImport<'_> {
    async fn run(&mut self, rows: Box<dyn Iterator<Item = Numbered>>) -> anyhow::Result<()> {
        let mut batch = Vec::with_capacity(BATCH);
        let mut batches = 0u64;
        for row in rows {
            self.read += 1;
            batch.push(row);
            if batch.len() == BATCH {
                self.batch(std::mem::take(&mut batch)).await?;
                batches += 1;
                // As the tables grow (after 1, 2, 4, 8 … batches), the
                // planner is told, so lookups keep using their indexes.
                if batches.is_power_of_two() {
                    self.store.analyze_imported().await?;
                }
            }
        }
        self.batch(batch).await?;
        self.store.analyze_imported().await?;
        Ok(())
    }

    /// Validates a batch, writes what is valid, and notes what is not.
    async fn batch(&mut self, rows: Vec<Numbered>) -> anyhow::Result<()> {
        let today = chrono::Utc::now().date_naive();
        let mut lines = Vec::new();
        let (mut customers, mut fees, mut events) = (Vec::new(), Vec::new(), Vec::new());
        let (mut organisations, mut roles) = (Vec::new(), Vec::new());
        let (mut invoices, mut orders) = (Vec::new(), Vec::new());
        for (line, row) in rows {
            let row: Result<Row, Rejected> = row.map_err(|why| Rejected::new("", why));
            let checked = row.and_then(|row| match self.kind {
                Kind::Customers => {
                    records::customer(&row, self.cc, today).map(|r| customers.push(r))
                }
                Kind::Organisations => accounts::organisation(&row).map(|r| organisations.push(r)),
                Kind::Roles => accounts::role(&row).map(|r| roles.push(r)),
                Kind::Invoices => accounts::invoice(&row).map(|r| invoices.push(r)),
                Kind::Orders => accounts::order(&row).map(|r| orders.push(r)),
                Kind::Fees => records::fee(&row).map(|r| fees.push(r)),
                Kind::Events => records::event(&row).map(|r| events.push(r)),
            });
            match checked {
                Ok(()) => lines.push(line),
                Err(rejected) => self.reject(line, &rejected),
            }
        }
        let (applied, refused): (Applied, Refusals) = match self.kind {
            Kind::Customers => self.store.import_customers(self.source, &customers).await,
            Kind::Organisations => {
                self.store
                    .import_organisations(self.source, &organisations)
                    .await
            }
            Kind::Roles => self.store.import_roles(self.source, &roles).await,
            Kind::Invoices => self.store.import_invoices(self.source, &invoices).await,
            Kind::Orders => self.store.import_orders(self.source, &orders).await,
            Kind::Fees => self.store.import_fees(self.source, &fees).await,
            Kind::Events => self.store.import_events(self.source, &events).await,
        }
        .with_context(|| format!("{}: writing a batch", self.path.display()))?;
        self.applied.add(applied);
        for (index, rejected) in refused {
            self.reject(lines[index], &rejected);
        }
        Ok(())
    }

    fn reject(&mut self, line: u64, rejected: &Rejected) {
        let file = self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        self.rejected
            .push((line, format!("{file}:{line}: {}", rejected.why)));
    }
}
