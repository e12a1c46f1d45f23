//! Rows waiting to be written together through the store's bulk insert, and
//! the count of what was written.

use crate::domain::CustomerId;
use crate::server::store::{NewCustomer, NewEvent, NewFee, Store, StoreError};

/// A batch is written once it holds this many customers…
const BATCH_CUSTOMERS: usize = 2_000;
/// …or this many events.
const BATCH_EVENTS: usize = 80_000;

/// What was inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub customers: u64,
    pub events: u64,
    pub fees: u64,
    /// The id of the first customer added.
    pub first_id: CustomerId,
}

/// Rows waiting to be written together.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) customers: Vec<NewCustomer>,
    pub(super) fees: Vec<NewFee>,
    pub(super) events: Vec<NewEvent>,
}

impl Batch {
    pub(super) fn is_full(&self) -> bool {
        self.customers.len() >= BATCH_CUSTOMERS || self.events.len() >= BATCH_EVENTS
    }

    pub(super) async fn flush(
        &mut self,
        store: &Store,
        report: &mut SeedReport,
    ) -> Result<(), StoreError> {
        if self.customers.is_empty() {
            return Ok(());
        }
        store
            .bulk_insert(&self.customers, &self.fees, &self.events)
            .await?;
        report.customers += self.customers.len() as u64;
        report.fees += self.fees.len() as u64;
        report.events += self.events.len() as u64;
        self.customers.clear();
        self.fees.clear();
        self.events.clear();
        Ok(())
    }
}
