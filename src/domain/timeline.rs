//! The unified timeline: everything that happened with a customer on any channel.

use super::{CustomerId, EventId, Money};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Generates a string-backed enum with `ALL`, `as_str`, `parse` and `label`.
macro_rules! labelled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $wire:literal, $label:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name used on the wire and in storage.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $wire),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// A short label for people.
            pub fn label(&self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum!(
    /// Where an event happened.
    Channel {
        Voice => "voice", "Voice",
        Email => "email", "Email",
        Chat => "chat", "Chat",
        Sms => "sms", "SMS",
        Web => "web", "Web",
        Store => "store", "Store",
        Billing => "billing", "Billing",
        Order => "order", "Order",
        Field => "field", "Field",
    }
);

impl Channel {
    /// The channels a contact with a customer happens on, and consent to
    /// marketing is given for.
    pub const CONTACT: &'static [Channel] = &[
        Channel::Voice,
        Channel::Email,
        Channel::Chat,
        Channel::Sms,
        Channel::Web,
        Channel::Store,
    ];
}

labelled_enum!(
    /// What kind of thing happened.
    EventKind {
        Contact => "contact", "Contact",
        Purchase => "purchase", "Purchase",
        Payment => "payment", "Payment",
        Fee => "fee", "Fee",
        Complaint => "complaint", "Complaint",
        Escalation => "escalation", "Escalation",
        Offer => "offer", "Offer",
        LifeEvent => "life_event", "Life event",
        Waiver => "waiver", "Waiver",
        Note => "note", "Note",
    }
);

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimelineEvent {
    pub id: EventId,
    pub customer_id: CustomerId,
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub kind: EventKind,
    /// What the contact or event was about, e.g. `billing`, `delivery`.
    pub topic: Option<String>,
    pub summary: String,
    pub detail: Option<String>,
    /// The agent who handled it, if a person did.
    pub agent: Option<String>,
    /// How it ended: `resolved`, `open`, `accepted`, `declined`, …
    pub outcome: Option<String>,
    pub amount: Option<Money>,
}
