//! Typed ids, so a fee id can never be passed where a customer id is meant.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = i64)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A customer of the company.
    CustomerId,
    /// One event on a customer's timeline.
    EventId,
    /// A fee charged to a customer.
    FeeId,
    /// An agent or supervisor who signs in to the desk.
    AgentId,
    /// A logged interaction (wrap-up record).
    InteractionId,
    /// An escalation.
    EscalationId,
    /// A fee waiver.
    WaiverId,
    /// One decision: the suggestions shown for one contact, and why.
    DecisionId,
);
