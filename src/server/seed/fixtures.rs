//! Fixed customers, added (ids 1 to [`COUNT`], in the order below) at the
//! start of the first seed into an empty database, so tests and the demo can
//! rely on them. Times are relative to the seed's anchor (midnight UTC).

use super::batch::Batch;
use super::builder::{base_customer, Builder, Scripted};
use super::draw::{customer_rng, days_before};
use super::generate::MAX_EVENTS;
use crate::domain::{Channel, Currency, CustomerId, EventKind, FeeKind, Money, Segment};
use crate::server::store::NewCustomer;
use chrono::NaiveDate;

/// How many fixed customers there are.
pub const COUNT: u64 = 13;

/// 1. Gold, a customer for over six years, churn risk 0.7, marketing consent; a
///    $35.00 late payment fee charged ten days ago, no waiver in the last twelve
///    months, and three voice/chat contacts about billing in the last seven
///    days: waive the fee, escalate and a retention offer should all fire.
pub const MARIA_ID: CustomerId = CustomerId(1);
pub const MARIA_NAME: &str = "Maria Gonzalez";
pub const MARIA_EMAIL: &str = "maria.gonzalez@example.com";
pub const MARIA_ACCOUNT: &str = "AC00000001";
pub const MARIA_LATE_FEE_MINOR: i64 = 3_500;
/// Maria's and Robert's phone: a lookup finds both.
pub const GONZALEZ_PHONE: &str = "+14155550134";

/// 2. Maria's household: the same phone, his own e-mail and account. He
///    moved house twelve days ago: update the contact details.
pub const ROBERT_ID: CustomerId = CustomerId(2);
pub const ROBERT_NAME: &str = "Robert Gonzalez";
pub const ROBERT_EMAIL: &str = "robert.gonzalez@example.com";
pub const ROBERT_ACCOUNT: &str = "AC00000002";

/// 3. Premier, in the UK (GBP), with an open complaint: senior hand-off and
///    escalate. The e-mail is stored in mixed case on purpose.
pub const OLIVER_ID: CustomerId = CustomerId(3);
pub const OLIVER_NAME: &str = "Oliver Bennett";
pub const OLIVER_PHONE: &str = "+442079460018";
pub const OLIVER_EMAIL: &str = "Oliver.Bennett@Example.co.uk";
pub const OLIVER_ACCOUNT: &str = "AC00000003";

/// 4. A Chinese name, language `zh`, living in Shanghai; a few events.
pub const WANG_ID: CustomerId = CustomerId(4);
pub const WANG_NAME: &str = "王秀英";
pub const WANG_PHONE: &str = "+14155550188";
pub const WANG_ACCOUNT: &str = "AC00000004";

/// 5. A heavy history: exactly `PRIYA_EVENTS` events.
pub const PRIYA_ID: CustomerId = CustomerId(5);
pub const PRIYA_NAME: &str = "Priya Raman";
pub const PRIYA_PHONE: &str = "+14155550177";
pub const PRIYA_ACCOUNT: &str = "AC00000005";
pub const PRIYA_EVENTS: usize = MAX_EVENTS;

/// 6–11. Hostile text, in names and in their notes: a very long name, emoji,
/// right-to-left text, a right-to-left override, ANSI colours, an OSC title
/// change, bells and a C1 control.
pub const LONG_NAME_ID: CustomerId = CustomerId(6);
pub const LONG_NAME_CHARS: usize = 300;
pub const LONG_NAME_PHONE: &str = "+14155550101";
pub const EMOJI_ID: CustomerId = CustomerId(7);
pub const EMOJI_NAME: &str = "Zoë 🚀 Starr";
pub const EMOJI_PHONE: &str = "+14155550102";
pub const ARABIC_ID: CustomerId = CustomerId(8);
pub const ARABIC_NAME: &str = "محمد العلي";
pub const ARABIC_PHONE: &str = "+447700900456";
pub const RLO_ID: CustomerId = CustomerId(9);
pub const RLO_NAME: &str = "Amir \u{202E}rimA Haddad";
pub const RLO_PHONE: &str = "+14155550104";
pub const ANSI_ID: CustomerId = CustomerId(10);
pub const ANSI_NAME: &str = "\u{1b}[31mRed\u{1b}[0m Alert";
pub const ANSI_PHONE: &str = "+14155550105";
pub const OSC_ID: CustomerId = CustomerId(11);
pub const OSC_NAME: &str = "\u{1b}]0;pwned\u{7}Oscar \u{9b}1mBell\u{7}";
pub const OSC_PHONE: &str = "+14155550106";

/// 12. An overdraft fee of $750.00 still owed: above an agent's authority, so a
///     waiver needs a supervisor.
pub const BIG_FEE_ID: CustomerId = CustomerId(12);
pub const BIG_FEE_NAME: &str = "Dana Whitfield";
pub const BIG_FEE_PHONE: &str = "+12125550199";
pub const BIG_FEE_ACCOUNT: &str = "AC00000012";
pub const BIG_FEE_MINOR: i64 = 75_000;

/// 13. Churn risk 0.72 but no marketing consent: no retention offer.
pub const NO_CONSENT_ID: CustomerId = CustomerId(13);
pub const NO_CONSENT_NAME: &str = "Samuel Okafor";
pub const NO_CONSENT_PHONE: &str = "+13125550142";
pub const NO_CONSENT_ACCOUNT: &str = "AC00000013";

/// Fixture 6's name: exactly `LONG_NAME_CHARS` characters.
pub fn long_name() -> String {
    const WORDS: &str =
        "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Senior, Duke of Somewhere Rather Long, ";
    WORDS.chars().cycle().take(LONG_NAME_CHARS).collect()
}

/// Adds all fixed customers to `batch`, ids 1 to `COUNT`.
pub(super) fn build(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    maria(seed, anchor, batch);
    robert(seed, anchor, batch);
    oliver(seed, anchor, batch);
    wang(seed, anchor, batch);
    priya(seed, anchor, batch);
    hostile(seed, anchor, batch);
    big_fee(seed, anchor, batch);
    no_consent(seed, anchor, batch);
}

fn builder<'a>(
    seed: u64,
    id: CustomerId,
    currency: Currency,
    since: NaiveDate,
    anchor: NaiveDate,
    batch: &'a mut Batch,
) -> Builder<'a> {
    Builder::new(customer_rng(seed, id), id, currency, since, anchor, batch)
}

const MARIA_CONTACTS: &[Scripted] = &[
    (
        5,
        17,
        Channel::Voice,
        "Asked why a late payment fee was charged",
        "Says the payment left her bank on time; callback promised.",
        "Tom Becker",
    ),
    (
        3,
        20,
        Channel::Chat,
        "Chased the late fee query on chat",
        "Still waiting for the callback promised on the phone.",
        "Grace Liu",
    ),
    (
        1,
        16,
        Channel::Voice,
        "Third contact this week about the late fee",
        "Frustrated; mentioned looking at other providers.",
        "Marcus Reed",
    ),
];

fn maria(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 6 * 365 + 120);
    let mut b = builder(seed, MARIA_ID, Currency::USD, since, anchor, batch);
    // Ordinary years ending 400 days ago: no waiver or open case in the last year.
    b.history(45, b.profile.since_ms, b.day_at(400, 0));
    b.charge(
        FeeKind::LatePayment,
        MARIA_LATE_FEE_MINOR,
        b.day_at(10, 9),
        true,
    );
    b.scripted(
        EventKind::Contact,
        "billing",
        Some("follow_up"),
        MARIA_CONTACTS,
    );
    let customer = NewCustomer {
        segment: Segment::Gold,
        lifetime_value: Money::new(1_850_000, Currency::USD),
        churn_risk: 0.7,
        time_zone: "America/Los_Angeles".into(),
        phones: vec![GONZALEZ_PHONE.into()],
        emails: vec![MARIA_EMAIL.into()],
        ..base_customer(MARIA_ID, MARIA_NAME, Currency::USD, since)
    };
    b.finish(customer, 8_950);
}

const ROBERT_MOVE: &[Scripted] = &[(
    12,
    15,
    Channel::Web,
    "Moved to a new address",
    "Changed the service address online; the billing address is still the old one.",
    "Grace Liu",
)];

fn robert(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 4 * 365 + 30);
    let mut b = builder(seed, ROBERT_ID, Currency::USD, since, anchor, batch);
    b.history(25, b.profile.since_ms, b.day_at(20, 0));
    b.scripted(EventKind::LifeEvent, "life.moved", None, ROBERT_MOVE);
    let customer = NewCustomer {
        segment: Segment::Silver,
        lifetime_value: Money::new(420_000, Currency::USD),
        churn_risk: 0.25,
        time_zone: "America/Los_Angeles".into(),
        phones: vec![GONZALEZ_PHONE.into(), "+16285550111".into()],
        emails: vec![ROBERT_EMAIL.into()],
        ..base_customer(ROBERT_ID, ROBERT_NAME, Currency::USD, since)
    };
    b.finish(customer, 4_200);
}

const OLIVER_COMPLAINT: &[Scripted] = &[(
    4,
    10,
    Channel::Email,
    "Formal complaint: engineer missed two appointments",
    "Took two days off work for visits that never happened; wants compensation.",
    "Aisha Khan",
)];
const OLIVER_CHASE: &[Scripted] = &[(
    2,
    11,
    Channel::Voice,
    "Chased the complaint about the missed appointments",
    "Asked for a senior manager to call back.",
    "Sam O'Neill",
)];

fn oliver(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 9 * 365 + 200);
    let mut b = builder(seed, OLIVER_ID, Currency::GBP, since, anchor, batch);
    b.history(60, b.profile.since_ms, b.day_at(30, 0));
    b.scripted(
        EventKind::Complaint,
        "technical",
        Some("open"),
        OLIVER_COMPLAINT,
    );
    b.scripted(
        EventKind::Contact,
        "technical",
        Some("follow_up"),
        OLIVER_CHASE,
    );
    let customer = NewCustomer {
        segment: Segment::Premier,
        lifetime_value: Money::new(6_200_000, Currency::GBP),
        churn_risk: 0.35,
        time_zone: "Europe/London".into(),
        phones: vec![OLIVER_PHONE.into(), "+447700900123".into()],
        emails: vec![OLIVER_EMAIL.into()],
        ..base_customer(OLIVER_ID, OLIVER_NAME, Currency::GBP, since)
    };
    b.finish(customer, 6_400);
}

const WANG_NOTE: &[Scripted] = &[(
    1,
    2,
    Channel::Chat,
    "希望用中文沟通 (prefers to be served in Mandarin)",
    "客户下个月回美国。Back in the US next month.",
    "Grace Liu",
)];

fn wang(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 3 * 365 + 45);
    let mut b = builder(seed, WANG_ID, Currency::USD, since, anchor, batch);
    b.history(6, b.profile.since_ms, b.day_at(2, 0));
    b.scripted(EventKind::Note, "account", None, WANG_NOTE);
    let customer = NewCustomer {
        segment: Segment::Silver,
        lifetime_value: Money::new(310_000, Currency::USD),
        language: "zh".into(),
        time_zone: "Asia/Shanghai".into(),
        phones: vec![WANG_PHONE.into()],
        emails: vec!["wang.xiuying@example.com".into()],
        ..base_customer(WANG_ID, WANG_NAME, Currency::USD, since)
    };
    b.finish(customer, 0);
}

fn priya(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 12 * 365);
    let mut b = builder(seed, PRIYA_ID, Currency::USD, since, anchor, batch);
    b.history(PRIYA_EVENTS, b.profile.since_ms, b.day_at(1, 0));
    let customer = NewCustomer {
        segment: Segment::Gold,
        lifetime_value: Money::new(1_400_000, Currency::USD),
        time_zone: "America/Los_Angeles".into(),
        phones: vec![PRIYA_PHONE.into()],
        emails: vec!["priya.raman@example.com".into()],
        ..base_customer(PRIYA_ID, PRIYA_NAME, Currency::USD, since)
    };
    b.finish(customer, 12_000);
}

/// Notes whose text tries to drive the terminal: colours, a screen clear, a
/// title change, bells, a C1 CSI, a DCS string, bidi overrides, and an agent
/// name with an escape sequence.
const HOSTILE_NOTES: &[Scripted] = &[
    (
        3,
        15,
        Channel::Chat,
        "\u{1b}[31mRed\u{1b}[0m Alert: customer pasted coloured text",
        "\u{1b}[2J\u{1b}[HIf the screen just cleared, escape codes got through.",
        "Grace Liu",
    ),
    (
        2,
        15,
        Channel::Email,
        "Title change \u{1b}]0;pwned\u{7}attempt",
        "Bell\u{7}\u{7}, a C1 CSI \u{9b}31m and a DCS \u{1b}P1$r\u{1b}\\ string.",
        "Tom Becker",
    ),
    (
        1,
        15,
        Channel::Voice,
        "Refund form \u{202E}fdp.exe\u{202C} received",
        "محمد العلي كتب: \u{202E}مرحبا\u{202C} (mixed-direction text)",
        "\u{1b}[7mInverse\u{1b}[27m Agent",
    ),
];

/// A hostile record: who, and where they live.
struct Hostile<'n> {
    id: CustomerId,
    name: &'n str,
    phone: &'static str,
    currency: Currency,
    language: &'static str,
    time_zone: &'static str,
}

fn hostile(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let long_name = long_name();
    let us = |id, name, phone| Hostile {
        id,
        name,
        phone,
        currency: Currency::USD,
        language: "en",
        time_zone: "America/Chicago",
    };
    let records = [
        us(LONG_NAME_ID, &long_name, LONG_NAME_PHONE),
        us(EMOJI_ID, EMOJI_NAME, EMOJI_PHONE),
        Hostile {
            id: ARABIC_ID,
            name: ARABIC_NAME,
            phone: ARABIC_PHONE,
            currency: Currency::GBP,
            language: "ar",
            time_zone: "Europe/London",
        },
        us(RLO_ID, RLO_NAME, RLO_PHONE),
        us(ANSI_ID, ANSI_NAME, ANSI_PHONE),
        us(OSC_ID, OSC_NAME, OSC_PHONE),
    ];
    for record in records {
        hostile_customer(seed, anchor, batch, record);
    }
}

fn hostile_customer(seed: u64, anchor: NaiveDate, batch: &mut Batch, h: Hostile<'_>) {
    let since = days_before(anchor, 2 * 365);
    let mut b = builder(seed, h.id, h.currency, since, anchor, batch);
    b.history(5, b.profile.since_ms, b.day_at(5, 0));
    b.scripted(EventKind::Note, "account", None, HOSTILE_NOTES);
    let customer = NewCustomer {
        language: h.language.into(),
        time_zone: h.time_zone.into(),
        phones: vec![h.phone.into()],
        ..base_customer(h.id, h.name, h.currency, since)
    };
    b.finish(customer, 0);
}

const BIG_FEE_DISPUTE: &[Scripted] = &[(
    1,
    15,
    Channel::Voice,
    "Disputes the overdraft fee",
    "Says the card payment should have been declined, not charged a fee.",
    "Hannah Brooks",
)];

fn big_fee(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 3 * 365 + 10);
    let mut b = builder(seed, BIG_FEE_ID, Currency::USD, since, anchor, batch);
    b.history(15, b.profile.since_ms, b.day_at(30, 0));
    b.charge(FeeKind::Overdraft, BIG_FEE_MINOR, b.day_at(3, 14), true);
    b.scripted(
        EventKind::Contact,
        "billing",
        Some("follow_up"),
        BIG_FEE_DISPUTE,
    );
    let customer = NewCustomer {
        churn_risk: 0.3,
        phones: vec![BIG_FEE_PHONE.into()],
        emails: vec!["dana.whitfield@example.com".into()],
        ..base_customer(BIG_FEE_ID, BIG_FEE_NAME, Currency::USD, since)
    };
    b.finish(customer, 12_000);
}

const NO_CONSENT_CALL: &[Scripted] = &[(
    2,
    18,
    Channel::Voice,
    "Asked how to end the contract early",
    "Quoted the early termination charge; customer is comparing providers.",
    "Omar Haddad",
)];
const NO_CONSENT_NOTE: &[Scripted] = &[(
    2,
    18,
    Channel::Voice,
    "Opted out of all marketing by phone and e-mail",
    "Do not offer promotions; service calls only.",
    "Omar Haddad",
)];

fn no_consent(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
    let since = days_before(anchor, 5 * 365 + 60);
    let mut b = builder(seed, NO_CONSENT_ID, Currency::USD, since, anchor, batch);
    b.history(30, b.profile.since_ms, b.day_at(14, 0));
    b.scripted(
        EventKind::Contact,
        "cancellation",
        Some("follow_up"),
        NO_CONSENT_CALL,
    );
    b.scripted(EventKind::Note, "account", None, NO_CONSENT_NOTE);
    let customer = NewCustomer {
        segment: Segment::Silver,
        lifetime_value: Money::new(380_000, Currency::USD),
        churn_risk: 0.72,
        marketing_channels: vec![],
        time_zone: "America/Chicago".into(),
        phones: vec![NO_CONSENT_PHONE.into()],
        emails: vec!["samuel.okafor@example.com".into()],
        ..base_customer(NO_CONSENT_ID, NO_CONSENT_NAME, Currency::USD, since)
    };
    b.finish(customer, 7_500);
}
