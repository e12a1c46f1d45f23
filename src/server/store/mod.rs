//! The store: one layer over SQLite and PostgreSQL through sqlx's `Any` driver.
//! Every query is written once with `$n` parameters, which both databases accept;
//! the few dialect differences live in `migrate.rs`. Times are stored as UTC epoch
//! milliseconds and money as integer minor units.
//!
//! This file opens the store and says what it offers; the handle is in `db.rs`,
//! and each other file holds one kind of data, or one write (`writes.rs`
//! dispatches them, `tx.rs` holds what they share).

mod account_imports;
mod agents;
mod approvals;
mod audit;
mod bulk;
mod call_commands;
mod calls;
mod customers;
mod db;
mod decisions;
mod escalations;
pub mod export;
mod floor_log;
mod funnel;
mod history;
mod idempotency;
mod imports;
mod interactions;
mod migrate;
mod models;
mod multirow;
mod name_index;
mod newcomers;
mod organisations;
mod refdata;
mod requests;
mod rows;
mod search;
mod similar;
mod skills;
mod state_intervals;
mod timeline;
mod tx;
mod views;
mod waivers;
mod writes;

pub use agents::{AccessChange, FloorAgent};
pub use bulk::{NewCustomer, NewEvent, NewFee};
pub use call_commands::{NewCommand, Transfer};
pub use db::{redact, Backend, PoolUse, Store, StoreError, StoreResult};
pub use decisions::{DecisionRecord, ItemRecord};
pub use floor_log::{LoggedEvent, NewLogEvent, CHANNEL as FLOOR_CHANNEL};
pub use idempotency::Claim;
pub use imports::{Applied, Refusals};
pub use organisations::{NewInvoice, NewOrganisation};
pub use refdata::defaults as default_refdata;
pub use requests::{StoredResponse, WriteOutcome};
pub use timeline::{Cursor, TimelineFilter};
pub use views::View;

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up
    /// to date.
    pub async fn open(url: &str) -> StoreResult<Store> {
        let store = Store::connect(url).await?;
        migrate::run(&store).await?;
        refdata::ensure_defaults(&store).await?;
        Ok(store)
    }
}
