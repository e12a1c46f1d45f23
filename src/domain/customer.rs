//! The customer profile the desk shows in its header, and the fees they owe.

use super::{Affiliation, Channel, CustomerId, FeeId, Money, PartyKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The customer's value segment, highest first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Premier,
    Gold,
    Silver,
    Standard,
}

impl Segment {
    pub const ALL: [Segment; 4] = [
        Segment::Premier,
        Segment::Gold,
        Segment::Silver,
        Segment::Standard,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Segment::Premier => "premier",
            Segment::Gold => "gold",
            Segment::Silver => "silver",
            Segment::Standard => "standard",
        }
    }

    pub fn parse(s: &str) -> Option<Segment> {
        Segment::ALL.into_iter().find(|seg| seg.as_str() == s)
    }

    /// The top segment gets senior handling when something goes wrong.
    pub fn is_top(&self) -> bool {
        *self == Segment::Premier
    }
}

/// Who the customer is and where they stand, as the agent sees it in the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    /// E.164, e.g. `+14155550134`.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub account_number: String,
    pub segment: Segment,
    pub lifetime_value: Money,
    pub customer_since: NaiveDate,
    /// Probability (0–1) that the customer leaves in the next months.
    pub churn_risk: f64,
    /// BCP-47 language tag, e.g. `en`, `es`, `zh`.
    pub language: String,
    /// IANA time zone, e.g. `America/Los_Angeles`.
    pub time_zone: String,
    /// The channels on which the customer agreed to be offered products
    /// and services: marketing consent is given per channel. Empty: none.
    #[serde(default)]
    pub marketing_channels: Vec<Channel>,
    /// What the customer owes now (positive) or is owed (negative).
    pub balance: Money,
    pub outstanding_fees: Vec<Fee>,
    /// A person, or an organisation (whose account details are at
    /// `/v1/organisations/{id}`).
    #[serde(default = "a_person")]
    pub kind: PartyKind,
    /// The organisations this person calls for, with their role at each;
    /// the one chosen last comes first. Empty for consumers.
    #[serde(default)]
    pub acts_for: Vec<Affiliation>,
}

fn a_person() -> PartyKind {
    PartyKind::Person
}

impl Customer {
    /// The organisation this person is calling for: `chosen` when they act
    /// for it, else the one they called for last (listed first).
    pub fn affiliation(&self, chosen: Option<CustomerId>) -> Option<&Affiliation> {
        chosen
            .and_then(|id| self.acts_for.iter().find(|a| a.organisation_id == id))
            .or_else(|| self.acts_for.first())
    }

    /// The business account this customer is about: itself when it is an
    /// organisation, else the one it is calling for ([`Customer::affiliation`]);
    /// `None` for a consumer.
    pub fn account_id(&self, chosen: Option<CustomerId>) -> Option<CustomerId> {
        match self.kind {
            PartyKind::Organisation => Some(self.id),
            PartyKind::Person => self.affiliation(chosen).map(|a| a.organisation_id),
        }
    }

    /// Puts `organisation` first among those this person acts for (the
    /// one they say they are calling for); false when they hold no role
    /// there.
    pub fn calling_for(&mut self, organisation: CustomerId) -> bool {
        let Some(at) = self
            .acts_for
            .iter()
            .position(|a| a.organisation_id == organisation)
        else {
            return false;
        };
        let chosen = self.acts_for.remove(at);
        self.acts_for.insert(0, chosen);
        true
    }

    /// Whether they agreed to marketing on `channel`.
    pub fn marketing_consent_on(&self, channel: Channel) -> bool {
        self.marketing_channels.contains(&channel)
    }
}

/// What a fee was charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    LatePayment,
    Overdraft,
    ReturnedPayment,
    Service,
}

impl FeeKind {
    pub const ALL: [FeeKind; 4] = [
        FeeKind::LatePayment,
        FeeKind::Overdraft,
        FeeKind::ReturnedPayment,
        FeeKind::Service,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            FeeKind::LatePayment => "late_payment",
            FeeKind::Overdraft => "overdraft",
            FeeKind::ReturnedPayment => "returned_payment",
            FeeKind::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<FeeKind> {
        FeeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(&self) -> &'static str {
        match self {
            FeeKind::LatePayment => "Late payment fee",
            FeeKind::Overdraft => "Overdraft fee",
            FeeKind::ReturnedPayment => "Returned payment fee",
            FeeKind::Service => "Service fee",
        }
    }
}

/// A fee charged to the customer and how much of it is still owed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Fee {
    pub id: FeeId,
    pub kind: FeeKind,
    pub charged_at: DateTime<Utc>,
    pub amount: Money,
    pub outstanding: Money,
    /// A waiver of it waits for a supervisor.
    #[serde(default)]
    pub waiver_pending: bool,
}
