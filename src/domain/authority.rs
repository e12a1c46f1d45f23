//! Authority over fee waivers, as a pure rule: from what an agent asks to waive
//! and what is on file for each fee, whether the waiver is applied now (within
//! the agent's limit), waits for a supervisor (above it), or is refused, each
//! with its reason in words; and who may decide what waits (four eyes: never
//! the one who asked, and an approval within the approver's own limit). The
//! store gathers the data and persists the verdict; it never decides
//! authority itself. No I/O here.

use super::{AgentId, Currency, CustomerId, FeeId, Money, Tier};

/// How many times their own limit an agent may waive of a business
/// account's charges: the account's worth weighs in the decision. The same
/// factor scales the per-account and the day's totals that waiver is
/// checked against.
pub fn tier_factor(tier: Tier) -> i64 {
    match tier {
        Tier::KeyAccount => 10,
        Tier::Managed => 3,
        Tier::Standard => 1,
    }
}

/// A business account as authority weighs it: its tier, and what it is
/// worth to us a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub tier: Tier,
    /// `None` when not known: the tier alone weighs.
    pub annual_revenue: Option<Money>,
}

/// The most an agent's scaled limit may reach, as a share of the account's
/// annual revenue (basis points): a key account worth little a year does not
/// get ten times the limit. Never below the agent's own limit.
pub const REVENUE_SHARE_BP: i64 = 100;

/// An agent's `limit` on the charges of business account `account` (their
/// own for a person): scaled by its tier, capped by its value. An account
/// billed in another currency than the limit's is weighed by its tier alone.
pub fn limit_on(limit: Money, account: Option<&Standing>) -> Money {
    let Some(a) = account else { return limit };
    let scaled = limit.minor_units.saturating_mul(tier_factor(a.tier));
    let by_value = value_cap(limit, a).unwrap_or(scaled);
    Money::new(scaled.min(by_value), limit.currency)
}

/// The revenue share's cap in the limit's currency, never below the limit.
fn value_cap(limit: Money, a: &Standing) -> Option<i64> {
    let revenue = a.annual_revenue.filter(|r| r.currency == limit.currency)?;
    Some((revenue.minor_units.saturating_mul(REVENUE_SHARE_BP) / 10_000).max(limit.minor_units))
}

/// The agent's limit for this waiver.
fn limit_for(ask: &WaiverAsk<'_>) -> Money {
    limit_on(ask.limit, ask.account.as_ref())
}

/// " for a key account" when the tier scaled the limit, and what capped it
/// when the account's value did.
fn limit_words(ask: &WaiverAsk<'_>) -> String {
    let Some(a) = &ask.account else {
        return String::new();
    };
    let tier = match a.tier {
        Tier::KeyAccount => " for a key account",
        Tier::Managed => " for a managed account",
        Tier::Standard => return String::new(),
    };
    let scaled = ask.limit.minor_units.saturating_mul(tier_factor(a.tier));
    match value_cap(ask.limit, a) {
        Some(cap) if cap < scaled => match a.annual_revenue {
            Some(revenue) => format!("{tier} (1% of its {revenue} a year)"),
            None => tier.to_string(),
        },
        _ => tier.to_string(),
    }
}

/// A waiver an agent asks for, with what the store found for each fee.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiverAsk<'a> {
    /// The customer the waiver is for.
    pub customer: CustomerId,
    /// The customer's currency: every fee waived must be in it.
    pub currency: Currency,
    /// The asking agent's limit on one waiver.
    pub limit: Money,
    /// The business account whose charges these are; `None` for a person.
    /// Its tier scales the agent's authority and its value caps it
    /// ([`limit_on`]).
    pub account: Option<Standing>,
    /// The fees, in the order asked.
    pub fees: &'a [AskedFee],
    /// What the agent has already waived, for the cumulative rules.
    pub waived: Waived,
    pub rules: CumulativeRules,
}

/// What the asking agent has already waived (applied, in their limit's
/// currency), as the store counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Waived {
    /// For this customer over the last `rules.window_days`, minor units.
    pub for_customer: i64,
    /// For anyone since midnight UTC, minor units.
    pub today: i64,
    /// How many waivers they applied in the last hour.
    pub last_hour: u32,
}

/// Authority is cumulative: an agent's limit covers what they waive for one
/// customer over a rolling window, a day's waivers across customers are
/// capped at a multiple of it, and many waivers in an hour go to a
/// supervisor whatever their size. `serve` sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CumulativeRules {
    pub window_days: u32,
    /// A day's total across customers, in multiples of the agent's limit.
    pub daily_limits: u32,
    /// Waivers applied in an hour before the next one needs a supervisor.
    pub per_hour: u32,
}

impl Default for CumulativeRules {
    fn default() -> Self {
        CumulativeRules {
            window_days: 30,
            daily_limits: 5,
            per_hour: 10,
        }
    }
}

/// One fee asked to be waived: how much, and the fee as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AskedFee {
    pub fee_id: FeeId,
    pub amount: Money,
    /// `None` when there is no fee with that id.
    pub on_file: Option<FeeOnFile>,
}

/// A fee as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeOnFile {
    /// Whose fee it is.
    pub customer: CustomerId,
    /// What is still owed, in the fee's currency.
    pub outstanding: Money,
    pub status: FeeStatus,
}

/// Where a fee stands, as far as waiving it goes; the first that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeStatus {
    /// A waiver of it is waiting for a supervisor.
    AwaitingApproval,
    /// Something is still owed on it.
    Open,
    /// Nothing is owed, and a waiver of it was applied.
    Waived,
    /// Nothing is owed, and it was never waived.
    Paid,
}

/// What becomes of a waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiverVerdict {
    /// Within the agent's limit: waive `total` now.
    Apply { total: Money, reason: String },
    /// Above the agent's limit: keep it for a supervisor; nothing is waived yet.
    Pending { total: Money, reason: String },
    /// A rule refuses it; `field` names the part of the request at fault.
    Refused { field: String, reason: String },
    /// The request does not fit the data (a fee named twice, a fee that does
    /// not exist, an amount in another currency): nothing can be decided.
    Invalid {
        field: String,
        reason: String,
        /// The request names something that does not exist.
        not_found: bool,
    },
}

/// Decides a waiver. Fees are checked in the order asked and the first fault
/// is the answer; then the total decides between applying it and asking a
/// supervisor.
pub fn decide_waiver(ask: &WaiverAsk<'_>) -> WaiverVerdict {
    for (i, asked) in ask.fees.iter().enumerate() {
        if let Some(fault) = fault(ask, i, asked) {
            return fault;
        }
    }
    // Every fee is in the customer's currency (checked above).
    let Some(total) = Money::sum(ask.fees.iter().map(|f| f.amount)) else {
        return invalid("fees", "the amounts are too large to add up", false);
    };
    let limit = limit_for(ask);
    let why = match against_limit(total, limit) {
        LimitCheck::Within { .. } => match cumulative(ask, total) {
            None => {
                return WaiverVerdict::Apply {
                    total,
                    reason: format!("Waived {total}."),
                }
            }
            Some(why) => why,
        },
        LimitCheck::Above => format!("{total} is above your limit{} of {limit}", limit_words(ask)),
        LimitCheck::OtherCurrency => format!(
            "your limit is set in {}, and this waiver is in {}",
            limit.currency, total.currency
        ),
    };
    WaiverVerdict::Pending {
        total,
        reason: format!(
            "{why}: sent to a supervisor for approval. Nothing is waived until it is approved."
        ),
    }
}

/// Which cumulative total a waiver within the agent's limit would pass, if
/// any, in words.
fn cumulative(ask: &WaiverAsk<'_>, total: Money) -> Option<String> {
    let (limit, rules, waived) = (limit_for(ask), ask.rules, ask.waived);
    let money = |minor: i64| Money::new(minor, limit.currency);
    let over = |already: i64, cap: i64| {
        already
            .checked_add(total.minor_units)
            .is_none_or(|sum| sum > cap)
    };
    if over(waived.for_customer, limit.minor_units) {
        return Some(format!(
            "with the {} you waived for this customer in the last {} days, {total} would pass \
             your limit of {limit} per customer over {} days",
            money(waived.for_customer),
            rules.window_days,
            rules.window_days
        ));
    }
    let daily = limit
        .minor_units
        .saturating_mul(i64::from(rules.daily_limits));
    if over(waived.today, daily) {
        return Some(format!(
            "with the {} you waived today, {total} would pass your daily total of {}",
            money(waived.today),
            money(daily)
        ));
    }
    if waived.last_hour >= rules.per_hour {
        return Some(format!(
            "you applied {} waivers in the last hour, the most before a supervisor looks",
            waived.last_hour
        ));
    }
    None
}

/// A waiver's total against one limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitCheck {
    /// Within it, with this much to spare.
    Within {
        spare: Money,
    },
    Above,
    /// The limit is in another currency: amounts in two currencies are never
    /// compared, so it goes to a supervisor.
    OtherCurrency,
}

/// Whether `total` is within `limit`.
pub fn against_limit(total: Money, limit: Money) -> LimitCheck {
    if total.currency != limit.currency {
        return LimitCheck::OtherCurrency;
    }
    match limit.minor_units.checked_sub(total.minor_units) {
        Some(spare) if spare >= 0 => LimitCheck::Within {
            spare: Money::new(spare, limit.currency),
        },
        _ => LimitCheck::Above,
    }
}

/// A supervisor about to decide something that waits for approval.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalAsk {
    /// Who asked for it.
    pub requested_by: AgentId,
    /// Who is deciding, and their own limit.
    pub decider: AgentId,
    pub decider_limit: Money,
    /// A waiver's total (none for an escalation).
    pub total: Option<Money>,
    /// Approving (else denying).
    pub approve: bool,
}

/// Whether the decider may decide: four eyes (the one who asked never
/// decides, a waiver or an escalation alike) and, to approve a waiver, a
/// limit of their own that covers its total in its currency. Denying needs
/// no limit. The reason says who can decide instead.
pub fn may_decide(ask: &ApprovalAsk) -> Result<(), String> {
    if ask.requested_by == ask.decider {
        return Err(
            "you asked for this yourself: another supervisor must decide it (four eyes)".into(),
        );
    }
    let (true, Some(total)) = (ask.approve, ask.total) else {
        return Ok(());
    };
    let limit = ask.decider_limit;
    match against_limit(total, limit) {
        LimitCheck::Within { .. } => Ok(()),
        LimitCheck::Above => Err(format!(
            "{total} is above your limit of {limit}: it waits for a supervisor whose limit covers it"
        )),
        LimitCheck::OtherCurrency => Err(format!(
            "{total} is in {}, your limit of {limit} in {}: a supervisor with a limit in {} \
             must approve it",
            total.currency, limit.currency, total.currency
        )),
    }
}

/// What is wrong with the `i`th fee asked, if anything.
fn fault(ask: &WaiverAsk<'_>, i: usize, asked: &AskedFee) -> Option<WaiverVerdict> {
    let field = format!("fees[{i}]");
    let id = asked.fee_id;
    if ask.fees[..i].iter().any(|earlier| earlier.fee_id == id) {
        let reason = format!("fee {id} is listed twice");
        return Some(invalid(format!("{field}.fee_id"), reason, false));
    }
    if asked.amount.minor_units <= 0 {
        let reason = "the amount to waive must be positive";
        return Some(invalid(
            format!("{field}.amount.minor_units"),
            reason,
            false,
        ));
    }
    let Some(fee) = &asked.on_file else {
        let reason = format!("no fee with id {id}");
        return Some(invalid(format!("{field}.fee_id"), reason, true));
    };
    if fee.customer != ask.customer {
        let reason = format!("fee {id} belongs to another customer");
        return Some(refused(format!("{field}.fee_id"), reason));
    }
    let currency = fee.outstanding.currency;
    let reason = if asked.amount.currency != currency {
        Some(format!(
            "fee {id} is in {currency}, not {}",
            asked.amount.currency
        ))
    } else if currency != ask.currency {
        Some(format!(
            "fee {id} is in {currency}, but the customer's account is in {}",
            ask.currency
        ))
    } else {
        None
    };
    if let Some(reason) = reason {
        return Some(invalid(format!("{field}.amount.currency"), reason, false));
    }
    let nothing_to_waive = match fee.status {
        FeeStatus::Open => None,
        FeeStatus::AwaitingApproval => Some(format!(
            "a waiver of fee {id} is already waiting for approval"
        )),
        FeeStatus::Waived => Some(format!("fee {id} has already been waived")),
        FeeStatus::Paid => Some(format!("fee {id} has already been paid")),
    };
    if let Some(reason) = nothing_to_waive {
        return Some(refused(format!("{field}.fee_id"), reason));
    }
    if asked.amount.minor_units > fee.outstanding.minor_units {
        let reason = format!(
            "{} is more than the {} still outstanding on fee {id}",
            asked.amount, fee.outstanding
        );
        return Some(refused(format!("{field}.amount"), reason));
    }
    None
}

fn refused(field: impl Into<String>, reason: impl Into<String>) -> WaiverVerdict {
    WaiverVerdict::Refused {
        field: field.into(),
        reason: reason.into(),
    }
}

fn invalid(field: impl Into<String>, reason: impl Into<String>, not_found: bool) -> WaiverVerdict {
    WaiverVerdict::Invalid {
        field: field.into(),
        reason: reason.into(),
        not_found,
    }
}

#[cfg(test)]
#[path = "authority_tests.rs"]
mod tests;
