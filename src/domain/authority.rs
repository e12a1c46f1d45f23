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
    if asked.amount.currency != currency || currency != ask.currency {
        let reason = format!("fee {id} is in {currency}, not {}", asked.amount.currency);
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
mod tests {
    use super::*;

    const MARIA: CustomerId = CustomerId(1);
    const ROBERT: CustomerId = CustomerId(2);

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    /// An open fee of Maria's with `outstanding` cents owed, asked for `amount`.
    fn open_fee(id: i64, amount: Money, outstanding: i64) -> AskedFee {
        AskedFee {
            fee_id: FeeId(id),
            amount,
            on_file: Some(FeeOnFile {
                customer: MARIA,
                outstanding: usd(outstanding),
                status: FeeStatus::Open,
            }),
        }
    }

    /// Maria's waiver of `fees` by an agent with a $50.00 limit.
    fn decide(fees: &[AskedFee]) -> WaiverVerdict {
        decide_waiver(&WaiverAsk {
            customer: MARIA,
            currency: Currency::USD,
            limit: usd(5_000),
            account: None,
            fees,
            waived: Waived::default(),
            rules: CumulativeRules::default(),
        })
    }

    fn standing(tier: Tier, annual_revenue: i64) -> Standing {
        Standing {
            tier,
            annual_revenue: Some(usd(annual_revenue)),
        }
    }

    #[test]
    fn an_accounts_value_caps_the_scaled_limit_but_never_below_the_agents_own() {
        let limit = usd(5_000);
        let on = |tier, revenue| limit_on(limit, Some(&standing(tier, revenue)));
        assert_eq!(on(Tier::KeyAccount, 100_000_000), usd(50_000));
        assert_eq!(on(Tier::KeyAccount, 2_000_000), usd(20_000));
        assert_eq!(on(Tier::KeyAccount, 100_000), usd(5_000));
        // Billed in euros: the tier alone.
        let euros = Standing {
            tier: Tier::Managed,
            annual_revenue: Some(Money::new(100, Currency::EUR)),
        };
        assert_eq!(limit_on(limit, Some(&euros)), usd(15_000));
        assert_eq!(limit_on(limit, None), limit);
    }

    #[test]
    fn a_business_accounts_tier_scales_the_agents_limit() {
        let charge = [open_fee(1, usd(45_000), 45_000)];
        let on = |account| {
            decide_waiver(&WaiverAsk {
                customer: MARIA,
                currency: Currency::USD,
                limit: usd(5_000),
                account,
                fees: &charge,
                waived: Waived::default(),
                rules: CumulativeRules::default(),
            })
        };
        // $450 within ten times $50 for a key account…
        assert_eq!(
            on(Some(standing(Tier::KeyAccount, 100_000_000))),
            applied(45_000, "Waived $450.00.")
        );
        // …above three times $50 for a managed one, above $50 for a person,
        // and above 1% of a small key account's $20,000 a year.
        for (account, words) in [
            (
                Some(standing(Tier::Managed, 100_000_000)),
                "above your limit for a managed account of $150.00",
            ),
            (None, "above your limit of $50.00"),
            (
                Some(standing(Tier::KeyAccount, 2_000_000)),
                "above your limit for a key account (1% of its $20,000.00 a year) of $200.00",
            ),
        ] {
            let WaiverVerdict::Pending { reason, .. } = on(account) else {
                panic!("{account:?} waits");
            };
            assert!(reason.contains(words), "{reason}");
        }
    }

    fn applied(total: i64, reason: &str) -> WaiverVerdict {
        WaiverVerdict::Apply {
            total: usd(total),
            reason: reason.into(),
        }
    }

    #[test]
    fn within_the_limit_it_is_applied() {
        assert_eq!(
            decide(&[open_fee(7, usd(3_500), 3_500)]),
            applied(3_500, "Waived $35.00.")
        );
    }

    #[test]
    fn exactly_at_the_limit_it_is_applied() {
        let fees = [
            open_fee(7, usd(2_000), 2_500),
            open_fee(8, usd(3_000), 3_000),
        ];
        assert_eq!(decide(&fees), applied(5_000, "Waived $50.00."));
    }

    #[test]
    fn above_the_limit_it_waits_for_a_supervisor() {
        let fees = [
            open_fee(7, usd(2_001), 2_500),
            open_fee(8, usd(3_000), 3_000),
        ];
        assert_eq!(
            decide(&fees),
            WaiverVerdict::Pending {
                total: usd(5_001),
                reason: "$50.01 is above your limit of $50.00: sent to a supervisor for \
                         approval. Nothing is waived until it is approved."
                    .into()
            }
        );
    }

    #[test]
    fn a_limit_in_another_currency_covers_nothing() {
        let fees = [open_fee(7, usd(100), 100)];
        let verdict = decide_waiver(&WaiverAsk {
            customer: MARIA,
            currency: Currency::USD,
            limit: Money::new(1_000_000, Currency::GBP),
            account: None,
            fees: &fees,
            waived: Waived::default(),
            rules: CumulativeRules::default(),
        });
        assert!(
            matches!(verdict, WaiverVerdict::Pending { total, .. } if total == usd(100)),
            "{verdict:?}"
        );
    }

    #[test]
    fn more_than_is_outstanding_is_refused() {
        assert_eq!(
            decide(&[open_fee(7, usd(3_600), 3_500)]),
            refused(
                "fees[0].amount",
                "$36.00 is more than the $35.00 still outstanding on fee 7"
            )
        );
    }

    #[test]
    fn a_fee_with_nothing_to_waive_is_refused_and_says_why() {
        for (status, reason) in [
            (FeeStatus::Waived, "fee 7 has already been waived"),
            (FeeStatus::Paid, "fee 7 has already been paid"),
            (
                FeeStatus::AwaitingApproval,
                "a waiver of fee 7 is already waiting for approval",
            ),
        ] {
            let mut fee = open_fee(7, usd(100), 0);
            if let Some(on_file) = &mut fee.on_file {
                on_file.status = status;
            }
            assert_eq!(decide(&[fee]), refused("fees[0].fee_id", reason));
        }
    }

    #[test]
    fn another_customers_fee_is_refused() {
        let mut fee = open_fee(7, usd(100), 100);
        if let Some(on_file) = &mut fee.on_file {
            on_file.customer = ROBERT;
        }
        assert_eq!(
            decide(&[open_fee(6, usd(100), 100), fee]),
            refused("fees[1].fee_id", "fee 7 belongs to another customer")
        );
    }

    #[test]
    fn requests_that_do_not_fit_the_data_are_invalid() {
        let missing = AskedFee {
            on_file: None,
            ..open_fee(9, usd(100), 100)
        };
        let pounds = open_fee(7, Money::new(100, Currency::GBP), 100);
        let cases = [
            (
                vec![open_fee(7, usd(100), 100), open_fee(7, usd(100), 100)],
                ("fees[1].fee_id", "fee 7 is listed twice", false),
            ),
            (
                vec![open_fee(7, usd(0), 100)],
                (
                    "fees[0].amount.minor_units",
                    "the amount to waive must be positive",
                    false,
                ),
            ),
            (vec![missing], ("fees[0].fee_id", "no fee with id 9", true)),
            (
                vec![pounds],
                ("fees[0].amount.currency", "fee 7 is in USD, not GBP", false),
            ),
            (
                vec![open_fee(7, usd(i64::MAX), i64::MAX), open_fee(8, usd(1), 1)],
                ("fees", "the amounts are too large to add up", false),
            ),
        ];
        for (fees, (field, reason, not_found)) in cases {
            assert_eq!(decide(&fees), invalid(field, reason, not_found));
        }
    }

    #[test]
    fn a_fee_in_another_currency_than_the_customers_is_invalid() {
        let fees = [open_fee(7, usd(100), 100)];
        let verdict = decide_waiver(&WaiverAsk {
            customer: MARIA,
            currency: Currency::EUR,
            limit: usd(5_000),
            account: None,
            fees: &fees,
            waived: Waived::default(),
            rules: CumulativeRules::default(),
        });
        assert_eq!(
            verdict,
            invalid("fees[0].amount.currency", "fee 7 is in USD, not USD", false)
        );
    }

    #[test]
    fn the_first_fault_in_the_order_asked_is_the_answer() {
        let mut theirs = open_fee(7, usd(100), 100);
        if let Some(on_file) = &mut theirs.on_file {
            on_file.customer = ROBERT;
        }
        // A refusal of the first fee comes before a malformed second one…
        assert_eq!(
            decide(&[theirs.clone(), open_fee(7, usd(0), 100)]),
            refused("fees[0].fee_id", "fee 7 belongs to another customer")
        );
        // …and for one fee, ownership is checked before the currency, the
        // status before the amount.
        theirs.amount = Money::new(100, Currency::GBP);
        assert_eq!(
            decide(std::slice::from_ref(&theirs)),
            refused("fees[0].fee_id", "fee 7 belongs to another customer")
        );
        let paid = AskedFee {
            on_file: Some(FeeOnFile {
                customer: MARIA,
                outstanding: usd(0),
                status: FeeStatus::Paid,
            }),
            ..open_fee(8, usd(100), 0)
        };
        assert_eq!(
            decide(&[paid]),
            refused("fees[0].fee_id", "fee 8 has already been paid")
        );
    }

    #[test]
    fn a_limit_in_another_currency_is_never_compared() {
        let eur = Money::new(3_500, Currency::EUR);
        let fee = AskedFee {
            fee_id: FeeId(7),
            amount: eur,
            on_file: Some(FeeOnFile {
                customer: MARIA,
                outstanding: eur,
                status: FeeStatus::Open,
            }),
        };
        let verdict = decide_waiver(&WaiverAsk {
            customer: MARIA,
            currency: Currency::EUR,
            limit: usd(5_000),
            account: None,
            fees: &[fee],
            waived: Waived::default(),
            rules: CumulativeRules::default(),
        });
        let WaiverVerdict::Pending { total, reason } = verdict else {
            panic!("a supervisor decides: {verdict:?}");
        };
        assert_eq!(total, eur);
        assert!(reason.starts_with("your limit is set in USD, and this waiver is in EUR"));
        assert!(!reason.contains("above"), "{reason}");
        assert_eq!(against_limit(eur, usd(5_000)), LimitCheck::OtherCurrency);
        assert_eq!(
            against_limit(usd(3_500), usd(5_000)),
            LimitCheck::Within { spare: usd(1_500) }
        );
        assert_eq!(against_limit(usd(5_001), usd(5_000)), LimitCheck::Above);
    }

    #[test]
    fn four_eyes_and_the_approvers_own_limit() {
        let usd = |m| Money::new(m, Currency::USD);
        let ask = ApprovalAsk {
            requested_by: AgentId(7),
            decider: AgentId(2),
            decider_limit: usd(50_000),
            total: Some(usd(12_000)),
            approve: true,
        };
        assert_eq!(may_decide(&ask), Ok(()));
        // The one who asked never decides, approving or denying, a waiver
        // or an escalation.
        for (approve, total) in [(true, Some(usd(100))), (false, None)] {
            let own = ApprovalAsk {
                requested_by: AgentId(2),
                approve,
                total,
                ..ask.clone()
            };
            let why = may_decide(&own).expect_err("four eyes");
            assert!(why.contains("another supervisor"), "{why}");
        }
        // Above the approver's limit: it waits for a higher one; denying is
        // still theirs to do.
        let big = ApprovalAsk {
            total: Some(usd(60_000)),
            ..ask.clone()
        };
        let why = may_decide(&big).expect_err("above");
        assert_eq!(
            why,
            "$600.00 is above your limit of $500.00: it waits for a supervisor whose limit covers it"
        );
        assert_eq!(
            may_decide(&ApprovalAsk {
                approve: false,
                ..big
            }),
            Ok(())
        );
        // Never compared across currencies.
        let euros = ApprovalAsk {
            total: Some(Money::new(3_500, Currency::EUR)),
            ..ask
        };
        let why = may_decide(&euros).expect_err("other currency");
        assert!(why.contains("a supervisor with a limit in EUR"), "{why}");
    }

    #[test]
    fn authority_is_cumulative_per_customer_per_day_and_per_hour() {
        // $50.00 limit; a $30.00 fee.
        let fee = |waived: Waived| {
            let fees = [AskedFee {
                fee_id: FeeId(1),
                amount: usd(3_000),
                on_file: Some(FeeOnFile {
                    customer: MARIA,
                    outstanding: usd(3_000),
                    status: FeeStatus::Open,
                }),
            }];
            decide_waiver(&WaiverAsk {
                customer: MARIA,
                currency: Currency::USD,
                limit: usd(5_000),
                account: None,
                fees: &fees,
                waived,
                rules: CumulativeRules::default(),
            })
        };
        let reason = |v: WaiverVerdict| match v {
            WaiverVerdict::Pending { reason, .. } => reason,
            other => panic!("not pending: {other:?}"),
        };
        assert!(matches!(
            fee(Waived::default()),
            WaiverVerdict::Apply { .. }
        ));
        // $20.00 already for Maria this month: $50.00 in all still fits...
        let fits = Waived {
            for_customer: 2_000,
            today: 2_000,
            last_hour: 1,
        };
        assert!(matches!(fee(fits), WaiverVerdict::Apply { .. }));
        // ...$20.01 does not: the split that beat per-request limits.
        let split = reason(fee(Waived {
            for_customer: 2_001,
            ..fits
        }));
        assert!(
            split.starts_with(
                "with the $20.01 you waived for this customer in the last 30 days, $30.00 \
                 would pass your limit of $50.00 per customer over 30 days"
            ),
            "{split}"
        );
        // The day across customers: five limits, $250.00.
        let day = reason(fee(Waived {
            today: 22_001,
            ..Waived::default()
        }));
        assert!(
            day.contains("would pass your daily total of $250.00"),
            "{day}"
        );
        // Ten in the last hour: the eleventh waits, however small.
        let hour = reason(fee(Waived {
            last_hour: 10,
            ..Waived::default()
        }));
        assert!(hour.contains("10 waivers in the last hour"), "{hour}");
    }
}
