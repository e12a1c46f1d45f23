//! The waiver rule's cases: within, at and above the limit, the cumulative
//! totals, currencies, fees not waivable, four eyes, and an account's standing.

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

/// An open fee of `amount` on file for Robert, not the customer asking.
fn roberts_fee(id: i64, amount: Money) -> AskedFee {
    let mut fee = open_fee(id, amount, 100);
    if let Some(on_file) = &mut fee.on_file {
        on_file.customer = ROBERT;
    }
    fee
}

#[test]
fn another_customers_fee_is_refused() {
    let fee = roberts_fee(7, usd(100));
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
        invalid(
            "fees[0].amount.currency",
            "fee 7 is in USD, but the customer's account is in EUR",
            false
        )
    );
}

#[test]
fn the_first_fault_in_the_order_asked_is_the_answer() {
    let mut theirs = roberts_fee(7, usd(100));
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
