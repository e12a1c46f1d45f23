//! The `/v1` handlers, one file per area. Reads go straight to the store;
//! writes go through the idempotent write path (`write_path.rs`). Each
//! handler carries its OpenAPI description, so the served contract is
//! generated from this code.

pub mod call_control;
pub mod customers;
pub mod decisions;
pub mod events;
pub mod floor;
pub mod imports;
pub mod meta;
pub mod newcomers;
pub mod organisations;
pub mod records;
