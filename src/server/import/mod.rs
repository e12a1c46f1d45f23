//! Loading a company's own records: the file readers (`reader`: CSV with a
//! header row, JSON Lines, a row at a time) and the record layouts with
//! their checks (`records`; the business accounts and contacts' roles in
//! `accounts`), shared by `switchboard import` and the store's
//! upserts keyed by the source system's ids (`store/imports.rs`).

pub mod accounts;
pub mod reader;
pub mod records;
