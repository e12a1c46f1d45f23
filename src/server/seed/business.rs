//! The industrial-supplier world beside the consumers: organisations that
//! buy from us, the people who call for them with their roles, and each
//! account's invoices (paid on time, late, or later and later), orders and
//! deliveries, rebates and renewal. Every account is in the US and pays in
//! dollars; about one in ten is a key account, looked after by one of the
//! simulated agents.
//!
//! Two fixed accounts come first, for tests and the demo: Harbor Industrial
//! Supply, a key account whose payments are slipping and whose engineer and
//! purchaser both called this week, with a finance director disputing a
//! late-payment charge; and Lakeside Fabrication, for whom one of Harbor's
//! contacts also buys (a caller acting for two organisations).

use super::batch::Batch;
use super::builder::{base_customer, Builder};
use super::draw::{days_before, pick, pick_weighted, DAY_MS};
use super::generate::{full_name, random_emails, random_phones};
use super::tables::REGIONS;
use crate::domain::{
    AgentId, Channel, ContactRole, Currency, CustomerId, EventKind, Money, Order, OrderStatus,
    Rebate, Segment, Tier,
};
use crate::server::store::{NewEvent, NewInvoice, NewOrganisation};
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub const HARBOR_NAME: &str = "Harbor Industrial Supply";
pub const HARBOR_ACCOUNT: &str = "HIS00001";
pub const LAKESIDE_NAME: &str = "Lakeside Fabrication";
/// Harbor's finance director, who calls about the late charge.
pub const HELEN_NAME: &str = "Helen Marsh";
pub const HELEN_PHONE: &str = "+13125550160";
pub const DIEGO_NAME: &str = "Diego Alvarez";
pub const DIEGO_PHONE: &str = "+13125550161";
pub const TOM_NAME: &str = "Tom Brennan";
pub const TOM_PHONE: &str = "+13125550162";
pub const KAREN_NAME: &str = "Karen Liu";
pub const KAREN_PHONE: &str = "+13125550163";
/// Buys for Lakeside and uses Harbor's equipment: acts for both.
pub const SAM_NAME: &str = "Sam Okafor";
pub const SAM_PHONE: &str = "+13125550164";
/// Harbor's late-payment charge still owed, on its overdue invoice.
pub const HARBOR_LATE_CHARGE_MINOR: i64 = 45_000;
/// Customers the fixed accounts add: two organisations and five contacts.
pub const FIXED_PARTIES: u64 = 7;
/// Organisations at most, the fixed ones included.
pub const ORGANISATIONS: u64 = 200;

/// Parties (organisations and contacts) added to `batch` from `first` on;
/// the accounts to add once they are written.
pub(super) struct World {
    pub(super) organisations: Vec<NewOrganisation>,
    pub(super) next_id: i64,
}

/// The fixed accounts, then `random` more, from id `first` on, the key
/// accounts looked after by `managers` in turn.
pub(super) fn build(
    seed: u64,
    first: i64,
    random: u64,
    anchor: NaiveDate,
    managers: &[AgentId],
    batch: &mut Batch,
) -> World {
    let mut world = World {
        organisations: Vec::new(),
        next_id: first,
    };
    fixed(anchor, managers.first().copied(), batch, &mut world);
    for n in 0..random {
        let manager = (!managers.is_empty()).then(|| managers[n as usize % managers.len()]);
        random_account(seed, anchor, manager, n % 10 == 9, batch, &mut world);
    }
    world
}

impl World {
    fn take_id(&mut self) -> CustomerId {
        self.next_id += 1;
        CustomerId(self.next_id - 1)
    }
}

/// The organisation's own customer row: its value, since when, and its
/// fees and billing events through `Builder`.
fn organisation_row(
    id: CustomerId,
    name: &str,
    account: String,
    tier: Tier,
    lifetime_minor: i64,
    since: NaiveDate,
) -> crate::server::store::NewCustomer {
    let mut row = base_customer(id, name, Currency::USD, since);
    row.account_number = account;
    row.segment = match tier {
        Tier::KeyAccount => Segment::Premier,
        Tier::Managed => Segment::Gold,
        Tier::Standard => Segment::Silver,
    };
    row.lifetime_value = Money::new(lifetime_minor, Currency::USD);
    row.time_zone = "America/Chicago".into();
    row.marketing_channels = vec![Channel::Email];
    row
}

/// A contact: a person with their own phone and e-mail.
fn contact_row(
    id: CustomerId,
    name: &str,
    phone: String,
    email: String,
    since: NaiveDate,
) -> crate::server::store::NewCustomer {
    let mut row = base_customer(id, name, Currency::USD, since);
    row.time_zone = "America/Chicago".into();
    row.phones = vec![phone];
    row.emails = vec![email];
    row.marketing_channels = vec![Channel::Email];
    row
}

/// What a contact raised: (days before the anchor, hour UTC, channel, kind,
/// summary, detail).
type Raised = (i64, i64, Channel, EventKind, &'static str, &'static str);

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn with_amount(mut event: NewEvent, amount: Money) -> NewEvent {
    event.amount = Some(amount);
    event
}

/// Monthly invoices, the newest issued `anchor` − 40 days (so due before
/// `anchor` on terms up to 40 days); `late[i]`
/// is how many days after due invoice i (oldest first) was paid, `None`
/// while unpaid.
fn monthly_invoices(
    anchor: NaiveDate,
    terms_days: i64,
    amounts: &[i64],
    late: &[Option<i64>],
    prefix: &str,
) -> Vec<NewInvoice> {
    let n = amounts.len().min(late.len());
    (0..n)
        .map(|i| {
            let months_back = (n - 1 - i) as i64;
            let issued_on = anchor - chrono::Duration::days(40 + 30 * months_back);
            let due_on = issued_on + chrono::Duration::days(terms_days);
            NewInvoice {
                number: format!("{prefix}-{:04}", i + 1),
                issued_on,
                due_on,
                paid_on: late[i].map(|days| due_on + chrono::Duration::days(days)),
                amount: usd(amounts[i]),
                late_charge: None,
            }
        })
        .collect()
}

fn fixed(anchor: NaiveDate, manager: Option<AgentId>, batch: &mut Batch, world: &mut World) {
    let harbor = world.take_id();
    let lakeside = world.take_id();
    let since = days_before(anchor, 9 * 365);
    let people = [
        (
            HELEN_NAME,
            HELEN_PHONE,
            "helen.marsh@harborindustrial.example",
        ),
        (
            DIEGO_NAME,
            DIEGO_PHONE,
            "diego.alvarez@harborindustrial.example",
        ),
        (TOM_NAME, TOM_PHONE, "tom.brennan@harborindustrial.example"),
        (
            KAREN_NAME,
            KAREN_PHONE,
            "karen.liu@harborindustrial.example",
        ),
        (SAM_NAME, SAM_PHONE, "sam@okaforconsulting.example"),
    ];
    let ids: Vec<CustomerId> = people.iter().map(|_| world.take_id()).collect();
    let [helen, diego, tom, karen, sam] = [ids[0], ids[1], ids[2], ids[3], ids[4]];
    let rng = super::draw::customer_rng(0, harbor);

    // Harbor's own record: payments later and later, the last two unpaid.
    let mut b = Builder::new(rng, harbor, Currency::USD, since, anchor, batch);
    // In whole dollars.
    let amounts: Vec<i64> = [
        152_400, 149_800, 161_250, 158_900, 155_300, 163_700, 159_100, 166_400, 162_800, 170_200,
        168_500, 171_900,
    ]
    .iter()
    .map(|dollars| dollars * 100)
    .collect();
    let late = [
        Some(0),
        Some(0),
        Some(2),
        Some(1),
        Some(5),
        Some(8),
        Some(12),
        Some(15),
        Some(21),
        Some(27),
        None,
        None,
    ];
    let mut invoices = monthly_invoices(anchor, 30, &amounts, &late, "HIS");
    if let Some(overdue) = invoices.get_mut(10) {
        let charged = super::draw::midnight_ms(overdue.due_on + chrono::Duration::days(15));
        overdue.late_charge = Some((usd(HARBOR_LATE_CHARGE_MINOR), charged));
    }
    for invoice in &invoices {
        let issued = super::draw::midnight_ms(invoice.issued_on) + 9 * 3_600_000;
        let event = b.profile.event(
            issued,
            Channel::Billing,
            EventKind::Purchase,
            format!("Invoice {} issued", invoice.number),
        );
        b.push(with_amount(event, invoice.amount));
        if let Some(paid) = invoice.paid_on {
            let at = super::draw::midnight_ms(paid) + 14 * 3_600_000;
            let event = b.profile.event(
                at,
                Channel::Billing,
                EventKind::Payment,
                format!("Invoice {} paid by wire", invoice.number),
            );
            b.push(with_amount(event, invoice.amount));
        }
    }
    b.finish(
        organisation_row(
            harbor,
            HARBOR_NAME,
            HARBOR_ACCOUNT.into(),
            Tier::KeyAccount,
            9_200_000 * 100,
            since,
        ),
        0,
    );

    // The people, each with what they raised.
    // (who, e-mail, the topic of what they raise, what they raised)
    let script: [(CustomerId, &str, &str, &[Raised]); 5] = [
        (
            helen,
            people[0].2,
            "billing.dispute",
            &[(
                9,
                15,
                Channel::Email,
                EventKind::Complaint,
                "Disputed the late-payment charge on invoice HIS-0011",
                "Says the delay was our delivery, not their payment run.",
            )],
        ),
        (
            diego,
            people[1].2,
            "orders.status",
            &[
                (
                    20,
                    16,
                    Channel::Voice,
                    EventKind::Contact,
                    "Placed the quarterly order for bearings and seals",
                    "",
                ),
                (
                    1,
                    17,
                    Channel::Voice,
                    EventKind::Contact,
                    "Chasing order HO-2291: promised five days ago",
                    "Line 3 is waiting on the seals.",
                ),
            ],
        ),
        (
            tom,
            people[2].2,
            "technical.fault",
            &[
                (
                    40,
                    13,
                    Channel::Voice,
                    EventKind::Contact,
                    "Conveyor controller fault reported",
                    "Fixed by a firmware update.",
                ),
                (
                    2,
                    14,
                    Channel::Voice,
                    EventKind::Complaint,
                    "Conveyor controller faulting again after the update",
                    "Third time this quarter; asked for an engineer on site.",
                ),
            ],
        ),
        (
            karen,
            people[3].2,
            "account.review",
            &[(
                60,
                18,
                Channel::Field,
                EventKind::Contact,
                "Account review with the key-account manager",
                "Renewal talks to start next quarter.",
            )],
        ),
        (
            sam,
            people[4].2,
            "orders.quote",
            &[(
                6,
                11,
                Channel::Email,
                EventKind::Contact,
                "Asked for a quote for Lakeside: 40 stainless brackets",
                "",
            )],
        ),
    ];
    for (i, (id, email, topic, events)) in script.into_iter().enumerate() {
        let rng = super::draw::customer_rng(0, id);
        let mut b = Builder::new(rng, id, Currency::USD, since, anchor, batch);
        for &(days, hour, channel, kind, summary, detail) in events {
            let at = b.day_at(days, hour);
            let mut event = b.profile.event(at, channel, kind, summary.into());
            event.topic = Some(topic.into());
            if !detail.is_empty() {
                event.detail = Some(detail.into());
            }
            b.push(event);
        }
        b.finish(
            contact_row(id, people[i].0, people[i].1.into(), email.into(), since),
            0,
        );
    }

    let order = |number: &str,
                 what: &str,
                 placed: i64,
                 promised: i64,
                 delivered: Option<i64>,
                 status,
                 minor| Order {
        id: 0,
        number: number.into(),
        description: what.into(),
        placed_on: anchor - chrono::Duration::days(placed),
        promised_on: anchor - chrono::Duration::days(promised),
        delivered_on: delivered.map(|d| anchor - chrono::Duration::days(d)),
        status,
        amount: usd(minor),
    };
    // Lakeside: a managed account Sam buys for.
    let rng = super::draw::customer_rng(0, lakeside);
    let b = Builder::new(rng, lakeside, Currency::USD, since, anchor, batch);
    b.finish(
        organisation_row(
            lakeside,
            LAKESIDE_NAME,
            "LKF00001".into(),
            Tier::Managed,
            640_000 * 100,
            since,
        ),
        0,
    );
    world.organisations.push(NewOrganisation {
        id: lakeside,
        industry: "Metal fabrication".into(),
        size_band: "50-249".into(),
        address: "88 Shoreline Rd, Racine, WI 53403".into(),
        tier: Tier::Managed,
        key_account_manager: None,
        annual_revenue: usd(212_000 * 100),
        margin_bp: 2_200,
        payment_terms_days: 45,
        credit_limit: usd(40_000 * 100),
        renewal_on: anchor + chrono::Duration::days(200),
        contacts: vec![(sam, ContactRole::Purchaser, Some(usd(20_000 * 100)))],
        invoices: monthly_invoices(
            anchor,
            45,
            &[17_200 * 100, 18_050 * 100, 16_900 * 100],
            &[Some(0), Some(0), None],
            "LKF",
        ),
        orders: vec![],
        rebates: vec![],
    });
    // After Lakeside: what Sam said is for Lakeside, the first to claim it.
    world.organisations.push(NewOrganisation {
        id: harbor,
        industry: "Industrial distribution".into(),
        size_band: "250-999".into(),
        address: "1200 Dockside Ave, Oakland, CA 94607".into(),
        tier: Tier::KeyAccount,
        key_account_manager: manager,
        annual_revenue: usd(1_940_250 * 100),
        margin_bp: 1_850,
        payment_terms_days: 30,
        credit_limit: usd(250_000 * 100),
        renewal_on: anchor + chrono::Duration::days(45),
        contacts: vec![
            (karen, ContactRole::DecisionMaker, Some(usd(500_000 * 100))),
            (diego, ContactRole::Purchaser, Some(usd(50_000 * 100))),
            (tom, ContactRole::Technical, None),
            (helen, ContactRole::Finance, None),
            (sam, ContactRole::User, None),
        ],
        invoices,
        orders: vec![
            order(
                "HO-2291",
                "Bearings and seals, quarterly",
                20,
                5,
                None,
                OrderStatus::Delayed,
                48_250 * 100,
            ),
            order(
                "HO-2304",
                "Conveyor belt, 40 m",
                8,
                -6,
                None,
                OrderStatus::Shipped,
                12_900 * 100,
            ),
            order(
                "HO-2310",
                "Hydraulic hoses",
                2,
                -12,
                None,
                OrderStatus::Open,
                6_480 * 100,
            ),
            order(
                "HO-2270",
                "Pallet racking",
                45,
                30,
                Some(33),
                OrderStatus::Delivered,
                88_000 * 100,
            ),
        ],
        rebates: vec![Rebate {
            id: 0,
            description: "Volume rebate, this quarter".into(),
            amount: usd(12_500 * 100),
            due_on: anchor + chrono::Duration::days(20),
        }],
    });
}

const PREFIXES: &[&str] = &[
    "Apex",
    "Beacon",
    "Cedar",
    "Delta",
    "Granite",
    "Ironwood",
    "Keystone",
    "Meridian",
    "Northgate",
    "Pioneer",
    "Redline",
    "Summit",
    "Tristate",
    "Union",
    "Westfield",
];
const TRADES: &[(&str, &str)] = &[
    ("Fasteners", "Industrial fasteners"),
    ("Plastics", "Plastics moulding"),
    ("Hydraulics", "Hydraulic systems"),
    ("Packaging", "Packaging"),
    ("Metals", "Metal fabrication"),
    ("Electrical", "Electrical contracting"),
    ("Tooling", "Machine tooling"),
    ("Logistics", "Warehousing and logistics"),
];
const SUFFIXES: &[&str] = &["Inc.", "Co.", "LLC", "Corp."];
const ROLES: &[(ContactRole, u32)] = &[
    (ContactRole::Purchaser, 30),
    (ContactRole::User, 25),
    (ContactRole::Technical, 20),
    (ContactRole::Finance, 15),
    (ContactRole::DecisionMaker, 10),
];
const CONTACT_TOPICS: &[(Channel, EventKind, &str, &str)] = &[
    (
        Channel::Voice,
        EventKind::Contact,
        "orders.status",
        "Asked where an order is",
    ),
    (
        Channel::Email,
        EventKind::Contact,
        "billing.invoice",
        "Asked for a copy of an invoice",
    ),
    (
        Channel::Voice,
        EventKind::Contact,
        "technical.fault",
        "Reported a technical fault",
    ),
    (
        Channel::Email,
        EventKind::Contact,
        "orders.quote",
        "Requested a quote",
    ),
    (
        Channel::Voice,
        EventKind::Complaint,
        "orders.late",
        "Complained about a late delivery",
    ),
    (
        Channel::Chat,
        EventKind::Contact,
        "billing.terms",
        "Asked about payment terms",
    ),
];

/// How an account pays: on time, late now and then, or later and later.
fn lateness(rng: &mut ChaCha8Rng, months: usize) -> Vec<Option<i64>> {
    let pattern = rng.gen_range(0..3);
    (0..months)
        .map(|i| {
            let days = match pattern {
                0 => 0,
                1 => {
                    if rng.gen_bool(0.3) {
                        rng.gen_range(1..20)
                    } else {
                        0
                    }
                }
                _ => (i as i64 * 3 + rng.gen_range(0..4)).max(0),
            };
            // The newest invoice is unpaid for one account in four.
            (!(i + 1 == months && rng.gen_bool(0.25))).then_some(days)
        })
        .collect()
}

fn random_account(
    seed: u64,
    anchor: NaiveDate,
    manager: Option<AgentId>,
    key: bool,
    batch: &mut Batch,
    world: &mut World,
) {
    let id = world.take_id();
    let mut rng = super::draw::customer_rng(seed, id);
    let (trade, industry) = *pick(&mut rng, TRADES);
    let size_band = *pick(&mut rng, &["10-49", "50-249", "250-999", "1000+"]);
    let name = format!(
        "{} {trade} {}",
        pick(&mut rng, PREFIXES),
        pick(&mut rng, SUFFIXES)
    );
    let tier = if key {
        Tier::KeyAccount
    } else if rng.gen_bool(0.3) {
        Tier::Managed
    } else {
        Tier::Standard
    };
    let revenue = match tier {
        Tier::KeyAccount => rng.gen_range(800_000..3_000_000),
        Tier::Managed => rng.gen_range(150_000..800_000),
        Tier::Standard => rng.gen_range(10_000..150_000),
    } * 100;
    let since = days_before(anchor, rng.gen_range(365..12 * 365));
    let monthly = revenue / 12;
    let amounts: Vec<i64> = (0..12)
        .map(|_| monthly * rng.gen_range(85..115) / 100 / 100 * 100)
        .collect();
    let late = lateness(&mut rng, 12);
    let terms = *pick(&mut rng, &[30, 45, 60]);
    let invoices = monthly_invoices(anchor, terms, &amounts, &late, &format!("INV{}", id.0));
    let region = &REGIONS[0].0;
    let people = rng.gen_range(2..=10);
    let mut contacts = Vec::with_capacity(people);
    let mut person_rows = Vec::with_capacity(people);
    for _ in 0..people {
        let contact = world.take_id();
        let names = *pick_weighted(&mut rng, region.names);
        let (given, given_latin) = *pick(&mut rng, names.given);
        let (family, family_latin) = *pick(&mut rng, names.family);
        let role = *pick_weighted(&mut rng, ROLES);
        let authority = match role {
            ContactRole::DecisionMaker => Some(usd(revenue / 4 / 100 * 100)),
            ContactRole::Purchaser => Some(usd(monthly / 100 * 100)),
            _ => None,
        };
        contacts.push((contact, role, authority));
        let mut row = contact_row(
            contact,
            &full_name(names, given, family),
            String::new(),
            String::new(),
            since,
        );
        row.phones = random_phones(&mut rng, region, contact);
        row.emails = random_emails(&mut rng, given_latin, family_latin, contact);
        let calls = rng.gen_range(0..5);
        person_rows.push((row, calls, rng.gen::<u64>()));
    }
    let orders = random_orders(&mut rng, anchor, monthly, id);
    let rebates = if tier == Tier::KeyAccount {
        vec![Rebate {
            id: 0,
            description: "Volume rebate, this quarter".into(),
            amount: usd(revenue / 100 / 100 * 100),
            due_on: anchor + chrono::Duration::days(rng.gen_range(5..90)),
        }]
    } else {
        vec![]
    };
    let b = Builder::new(rng, id, Currency::USD, since, anchor, batch);
    b.finish(
        organisation_row(
            id,
            &name,
            format!("BA{:06}", id.0),
            tier,
            revenue * expected_years(id),
            since,
        ),
        0,
    );
    for (row, calls, stream) in person_rows {
        let contact = row.id;
        let mut b = Builder::new(
            <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(stream),
            contact,
            Currency::USD,
            since,
            anchor,
            batch,
        );
        for _ in 0..calls {
            let (channel, kind, topic, summary) = *pick(&mut b.rng, CONTACT_TOPICS);
            let at = b.profile.anchor_ms - b.rng.gen_range(DAY_MS..180 * DAY_MS);
            let mut event = b.profile.event(at, channel, kind, summary.into());
            event.topic = Some(topic.into());
            b.push(event);
        }
        b.finish(row, 0);
    }
    world.organisations.push(NewOrganisation {
        id,
        industry: industry.into(),
        size_band: size_band.into(),
        address: format!("{} Commerce Park, Chicago, IL", 100 + id.0 % 900),
        tier,
        key_account_manager: if key { manager } else { None },
        annual_revenue: usd(revenue),
        margin_bp: 1_200 + (id.0 % 15) * 100,
        payment_terms_days: terms,
        credit_limit: usd(revenue / 6 / 100 * 100),
        renewal_on: anchor + chrono::Duration::days(id.0 % 365),
        contacts,
        invoices,
        orders,
        rebates,
    });
}

/// Expected years with us, for a lifetime value: 3 to 8.
fn expected_years(id: CustomerId) -> i64 {
    3 + id.0 % 6
}

/// One to four recent orders: some delivered, some on their way, about one
/// in five past its promised day.
fn random_orders(
    rng: &mut ChaCha8Rng,
    anchor: NaiveDate,
    monthly: i64,
    id: CustomerId,
) -> Vec<Order> {
    (0..rng.gen_range(1..=4))
        .map(|n| {
            let placed = rng.gen_range(1..60);
            let promised = placed - rng.gen_range(7..21);
            let (status, delivered) = match rng.gen_range(0..5) {
                0 if promised > 0 => (OrderStatus::Delayed, None),
                1 | 2 if promised > 0 => (
                    OrderStatus::Delivered,
                    Some(promised + rng.gen_range(-2..3)),
                ),
                1 | 2 => (OrderStatus::Shipped, None),
                _ => (OrderStatus::Open, None),
            };
            Order {
                id: 0,
                number: format!("SO{}-{}", id.0, n + 1),
                description: (*pick(rng, ORDER_ITEMS)).into(),
                placed_on: anchor - chrono::Duration::days(placed),
                promised_on: anchor - chrono::Duration::days(promised),
                delivered_on: delivered.map(|d: i64| anchor - chrono::Duration::days(d.max(0))),
                status,
                amount: usd(monthly * rng.gen_range(10..60) / 100 / 100 * 100),
            }
        })
        .collect()
}

const ORDER_ITEMS: &[&str] = &[
    "Bearings and seals",
    "Hydraulic hoses",
    "Stainless fasteners",
    "Replacement motors",
    "Safety equipment",
    "Conveyor parts",
];
