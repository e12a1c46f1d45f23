//! The reference tables random customers are drawn from, as pure data: segments,
//! event kinds and channels with their weights, what contacts are about, the
//! texts of events, agents, regions with their names and phone plans. Weights
//! are relative; order matters (the same seed draws the same rows).

use crate::domain::{Channel, Currency, EventKind, FeeKind, Segment};

/// Where customers live: currency, language, time zones, names and phone numbers.
pub(super) struct Region {
    pub(super) currency: Currency,
    pub(super) language: &'static str,
    pub(super) time_zones: &'static [(&'static str, u32)],
    pub(super) names: &'static [(&'static NameSet, u32)],
    pub(super) mobile: PhonePlan,
    pub(super) landline: PhonePlan,
}

/// Phone numbers of one kind: a prefix (country code and more) and a fixed number
/// of digits, at least `floor`.
pub(super) struct PhonePlan {
    pub(super) prefixes: &'static [&'static str],
    pub(super) digits: u32,
    pub(super) floor: u64,
}

/// Names of one language: (as written, in Latin letters for e-mail addresses).
pub(super) struct NameSet {
    pub(super) language: &'static str,
    pub(super) given: &'static [(&'static str, &'static str)],
    pub(super) family: &'static [(&'static str, &'static str)],
    /// Chinese order: family name first, no space.
    pub(super) family_first: bool,
}

pub(super) const SEGMENTS: &[(Segment, u32)] = &[
    (Segment::Premier, 5),
    (Segment::Gold, 15),
    (Segment::Silver, 30),
    (Segment::Standard, 50),
];

pub(super) const HISTORY_KINDS: &[(EventKind, u32)] = &[
    (EventKind::Contact, 36),
    (EventKind::Purchase, 17),
    (EventKind::Payment, 22),
    (EventKind::Fee, 4),
    (EventKind::Complaint, 3),
    (EventKind::Escalation, 2),
    (EventKind::Offer, 6),
    (EventKind::LifeEvent, 2),
    (EventKind::Note, 8),
];

pub(super) const FEE_KINDS: &[(FeeKind, u32)] = &[
    (FeeKind::LatePayment, 60),
    (FeeKind::Overdraft, 15),
    (FeeKind::ReturnedPayment, 15),
    (FeeKind::Service, 10),
];

pub(super) const CONTACT_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 45),
    (Channel::Chat, 20),
    (Channel::Email, 18),
    (Channel::Sms, 5),
    (Channel::Store, 6),
    (Channel::Field, 6),
];

/// Outcomes as the interaction log writes them.
pub(super) const CONTACT_OUTCOMES: &[(&str, u32)] =
    &[("resolved", 80), ("follow_up", 15), ("transferred", 5)];

pub(super) const COMPLAINT_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Email, 35),
    (Channel::Voice, 35),
    (Channel::Web, 20),
    (Channel::Store, 10),
];

pub(super) const ESCALATION_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 60),
    (Channel::Chat, 25),
    (Channel::Email, 15),
];

pub(super) const OFFER_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 35),
    (Channel::Email, 30),
    (Channel::Web, 20),
    (Channel::Sms, 15),
];

pub(super) const NOTE_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 50),
    (Channel::Chat, 20),
    (Channel::Store, 15),
    (Channel::Email, 15),
];

pub(super) const PURCHASE_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Web, 45),
    (Channel::Store, 30),
    (Channel::Order, 25),
];

/// (channel, summary)
pub(super) const PAYMENTS: &[((Channel, &str), u32)] = &[
    ((Channel::Billing, "Direct debit collected"), 60),
    ((Channel::Web, "Paid online by card"), 28),
    ((Channel::Voice, "Paid by card over the phone"), 7),
    ((Channel::Store, "Paid in store"), 5),
];

/// A contact: (summary, detail when resolved, detail when not).
pub(super) type ContactText = (&'static str, &'static str, &'static str);

/// What contacts are about.
pub(super) struct Topic {
    pub(super) name: &'static str,
    pub(super) contacts: &'static [ContactText],
    pub(super) complaints: &'static [&'static str],
    pub(super) escalations: &'static [&'static str],
}

const BILLING: Topic = Topic {
    name: "billing",
    contacts: &[
        (
            "Asked about a charge on the latest bill",
            "Explained each line of the bill; customer satisfied.",
            "Raised a billing query; callback promised within 48 hours.",
        ),
        (
            "Queried a late payment fee",
            "Explained the due date and how to set up reminders.",
            "Asked the billing team to review the fee.",
        ),
        (
            "Wanted to move the payment date to the 15th",
            "Payment date changed from the next cycle.",
            "The change needs a signed form; sent by e-mail.",
        ),
        (
            "Disputed a double charge",
            "Refund of the duplicate charge confirmed.",
            "Asked the customer to e-mail the bank statement.",
        ),
        (
            "Asked for a copy of last month's invoice",
            "Invoice sent again by e-mail.",
            "Invoice archive unavailable; a copy will follow by post.",
        ),
        (
            "Set up a direct debit",
            "Direct debit set up from the next bill.",
            "Mandate form sent for signature.",
        ),
    ],
    complaints: &[
        "Complaint: charged twice for the same month",
        "Complaint: price went up without notice",
    ],
    escalations: &[
        "Escalated a disputed charge to the billing team",
        "Escalated: refund promised last month never arrived",
    ],
};

const DELIVERY: Topic = Topic {
    name: "delivery",
    contacts: &[
        (
            "Asked where an order is",
            "Tracking shows delivery today; shared the link.",
            "The carrier has lost track of it; investigation opened.",
        ),
        (
            "Reported a parcel left at the wrong address",
            "A neighbour had it; customer collected it.",
            "Opened a claim with the carrier.",
        ),
        (
            "Rescheduled a delivery",
            "New delivery slot booked for Saturday morning.",
            "No slots this week; the carrier will call to arrange one.",
        ),
        (
            "Reported an item damaged on arrival",
            "Replacement sent by next-day courier.",
            "Customer will send photos of the damage.",
        ),
        (
            "Asked to change the delivery address",
            "Address changed before dispatch.",
            "Already dispatched; asked the carrier to redirect it.",
        ),
    ],
    complaints: &[
        "Complaint: third missed delivery",
        "Complaint: courier was rude at the door",
    ],
    escalations: &["Escalated a lost parcel to the logistics team"],
};

pub(super) const TECHNICAL: Topic = Topic {
    name: "technical",
    contacts: &[
        (
            "Internet connection drops in the evenings",
            "Reset the line remotely; speed back to normal.",
            "Raised a fault with the network team.",
        ),
        (
            "Could not sign in to the app",
            "Reset the password; customer signed in while on the call.",
            "Account locked; the security team will unlock it within a day.",
        ),
        (
            "Router keeps restarting",
            "Updated the router firmware; stable since.",
            "Replacement router ordered.",
        ),
        (
            "Asked for help setting up a new device",
            "Walked through the setup; working by the end of the call.",
            "Booked a technician visit.",
        ),
        (
            "No dial tone on the landline",
            "Fault cleared at the exchange.",
            "Booked an engineer for the line.",
        ),
    ],
    complaints: &[
        "Complaint: engineer did not turn up",
        "Complaint: outage lasted four days",
    ],
    escalations: &[
        "Escalated a repeated fault to tier 2",
        "Escalated: fault not fixed after three visits",
    ],
};

const ACCOUNT: Topic = Topic {
    name: "account",
    contacts: &[
        (
            "Updated the postal address",
            "Address updated and confirmed by e-mail.",
            "Waiting for proof of address.",
        ),
        (
            "Added an authorised user",
            "Identity checked; user added.",
            "Sent the form for the authorised user to sign.",
        ),
        (
            "Asked to reset the online password",
            "Reset link sent; customer signed in.",
            "Identity check failed; customer will call back with ID.",
        ),
        (
            "Changed the marketing preferences",
            "Preferences saved.",
            "Preference centre down; change logged for the back office.",
        ),
        (
            "Asked for a copy of the contract",
            "Contract sent by e-mail.",
            "Archive copy requested; it will follow by post.",
        ),
    ],
    complaints: &["Complaint: personal details were wrong on a letter"],
    escalations: &["Escalated a suspected account takeover to security"],
};

const CANCELLATION: Topic = Topic {
    name: "cancellation",
    contacts: &[
        (
            "Asked how to cancel the contract",
            "Explained the notice period; customer will think about it.",
            "Cancellation request logged; the retention team will call back.",
        ),
        (
            "Said a competitor offers a better price",
            "Customer decided to stay after a plan review.",
            "A price match needs approval; the retention team will call back.",
        ),
        (
            "Asked about the early termination charge",
            "Quoted the charge; customer will stay until the contract ends.",
            "Customer wants the charge in writing; letter requested.",
        ),
    ],
    complaints: &["Complaint: cancellation was not processed"],
    escalations: &["Escalated a cancellation request to the retention team"],
};

pub(super) const TOPICS: &[(&Topic, u32)] = &[
    (&BILLING, 32),
    (&TECHNICAL, 28),
    (&ACCOUNT, 18),
    (&DELIVERY, 15),
    (&CANCELLATION, 7),
];

/// Field visits, all technical.
pub(super) const FIELD_VISITS: &[ContactText] = &[
    (
        "Technician visit: replaced the router",
        "New router installed and tested.",
        "Router replaced but the line still drops; second visit booked.",
    ),
    (
        "Engineer installed a new line",
        "Line live and tested at the premises.",
        "Install incomplete: no access to the street cabinet.",
    ),
    (
        "Technician visit: no fault found at the premises",
        "Line tested end to end; no fault found.",
        "The fault comes and goes; monitoring the line for a week.",
    ),
    (
        "Engineer repaired the outside cable",
        "Cable spliced; service restored.",
        "Temporary repair; a permanent fix needs a road permit.",
    ),
];

pub(super) const ESCALATION_DETAILS: &[&str] = &[
    "Sent to tier 2 with the fault history.",
    "Passed to a supervisor.",
    "Sent to the complaints team.",
];

/// (item, lowest and highest price in whole currency units)
pub(super) const PURCHASES: &[(&str, i64, i64)] = &[
    ("a wireless router", 89, 149),
    ("a smart speaker", 49, 99),
    ("a laptop", 699, 1_499),
    ("a phone case", 15, 29),
    ("an extended warranty", 49, 129),
    ("a streaming add-on", 9, 15),
    ("a gift card", 25, 100),
    ("a smartphone", 299, 999),
    ("headphones", 39, 249),
    ("a premium plan upgrade", 10, 30),
];

/// (topic, offer)
pub(super) const OFFERS: &[(&str, &str)] = &[
    ("retention", "20% off the monthly plan for 12 months"),
    ("retention", "a loyalty discount on the next renewal"),
    ("sales", "a free upgrade to the faster broadband tier"),
    ("sales", "three months of the streaming add-on free"),
    ("sales", "a device upgrade at no extra cost"),
    ("sales", "free next-day delivery for a year"),
];

/// (topic, summary, detail, channel). The topics are the `life.*` ones the
/// decision service's facts read (`days_since_moved` and the rest).
pub(super) const LIFE_EVENTS: &[(&str, &str, &str, Channel)] = &[
    (
        "life.moved",
        "Moved to a new address",
        "Address updated; service moved to the new home.",
        Channel::Web,
    ),
    (
        "life.birthday",
        "Birthday",
        "Birthday greeting sent with a small voucher.",
        Channel::Email,
    ),
    (
        "life.new_baby",
        "New child in the household",
        "Added a dependent to the family plan.",
        Channel::Store,
    ),
    (
        "life.marriage",
        "Got married",
        "Changed surname on the account; asked about a joint plan.",
        Channel::Voice,
    ),
    (
        "life.graduation",
        "Graduated",
        "Finished university; student discount ends next month.",
        Channel::Chat,
    ),
    (
        "life.promotion",
        "Promoted at work",
        "Mentioned a new role with more travel.",
        Channel::Voice,
    ),
];

pub(super) const NOTES: &[&str] = &[
    "Prefers contact by e-mail.",
    "Hard of hearing: speak clearly and offer text relay.",
    "Asked not to be called before 10:00.",
    "Runs a small business; mentions a second account.",
    "Spouse is authorised to discuss the account.",
    "Asked for large-print bills.",
];

pub(super) const WAIVER_REASONS: &[&str] = &[
    "Goodwill: first late payment in years.",
    "Bank error confirmed.",
    "Customer hardship.",
    "Credit for a service outage.",
];

pub(super) const AGENTS: &[&str] = &[
    "Aisha Khan",
    "Tom Becker",
    "Lucía Romero",
    "Grace Liu",
    "Marcus Reed",
    "Fatima Zahra",
    "Noah Fischer",
    "Chloé Martin",
    "Sam O'Neill",
    "Priscilla Owusu",
    "Ken Watanabe",
    "Ingrid Larsen",
    "Diego Silva",
    "Hannah Brooks",
    "Omar Haddad",
    "Mia Kowalski",
];

/// The agents the call simulator plays (`sim::calls`), added once per
/// database: name, and the queues they serve as `agent add --queues` takes
/// them (a mix of specialists, agents shared by two queues, and one who
/// serves every queue).
pub(super) const SIMULATED_AGENTS: &[(&str, &str)] = &[
    // The first five are the key-account managers (`seed_business`), so
    // they serve the premier line, where key accounts' callers ring.
    ("Ava Brooks", "premier:3,general:1"),
    ("Ben Carter", "premier:2,billing:1"),
    ("Chloe Diaz", "premier:2,retention:1"),
    ("Dev Patel", "premier:1,tech:2"),
    ("Ella Fischer", "premier:1,general:2"),
    ("Finn Walsh", "general:3"),
    ("Grace Kim", "billing:3,general:1"),
    ("Hugo Moreau", "billing:2,retention:1"),
    ("Isla Novak", "tech:3"),
    ("Jon Reyes", "retention:3,billing:1"),
    ("Kira Sato", "general,billing,tech"),
    ("Leo Martins", ""),
];

/// Reserved for documentation (RFC 2606).
pub(super) const EMAIL_DOMAINS: &[&str] = &["example.com", "example.net", "example.org"];

pub(super) const REGIONS: &[(Region, u32)] = &[
    (
        Region {
            currency: Currency::USD,
            language: "en",
            time_zones: &[
                ("America/New_York", 40),
                ("America/Chicago", 25),
                ("America/Denver", 8),
                ("America/Los_Angeles", 22),
                ("America/Phoenix", 3),
                ("America/Anchorage", 1),
                ("Pacific/Honolulu", 1),
            ],
            names: &[
                (&ENGLISH, 62),
                (&SPANISH, 20),
                (&CHINESE, 8),
                (&ARABIC, 4),
                (&FRENCH, 2),
                (&GERMAN, 2),
                (&POLISH, 2),
            ],
            // Area codes of the fixtures (212, 312, 415, 628) are left out.
            mobile: PhonePlan {
                prefixes: &[
                    "+1206", "+1303", "+1305", "+1404", "+1503", "+1512", "+1617", "+1702",
                    "+1713", "+1718",
                ],
                digits: 7,
                floor: 2_000_000,
            },
            landline: PhonePlan {
                prefixes: &[
                    "+1201", "+1267", "+1310", "+1347", "+1469", "+1615", "+1720", "+1786", "+1917",
                ],
                digits: 7,
                floor: 2_000_000,
            },
        },
        50,
    ),
    (
        Region {
            currency: Currency::GBP,
            language: "en",
            time_zones: &[("Europe/London", 1)],
            names: &[
                (&ENGLISH, 75),
                (&POLISH, 8),
                (&ARABIC, 6),
                (&CHINESE, 4),
                (&PORTUGUESE, 3),
                (&FRENCH, 2),
                (&SPANISH, 2),
            ],
            // Not 020 or 07700 900: the fixtures use those.
            mobile: PhonePlan {
                prefixes: &["+4474", "+4475", "+4478"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+44161", "+44113", "+44117", "+44121"],
                digits: 7,
                floor: 2_000_000,
            },
        },
        15,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "fr",
            time_zones: &[("Europe/Paris", 1)],
            names: &[
                (&FRENCH, 82),
                (&ARABIC, 10),
                (&PORTUGUESE, 4),
                (&CHINESE, 2),
                (&ENGLISH, 2),
            ],
            mobile: PhonePlan {
                prefixes: &["+336", "+337"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+331", "+334"],
                digits: 8,
                floor: 0,
            },
        },
        9,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "de",
            time_zones: &[("Europe/Berlin", 1)],
            names: &[
                (&GERMAN, 80),
                (&POLISH, 8),
                (&ARABIC, 6),
                (&ENGLISH, 3),
                (&CHINESE, 3),
            ],
            mobile: PhonePlan {
                prefixes: &["+49151", "+49160", "+49170"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+4930", "+4989", "+4940"],
                digits: 8,
                floor: 0,
            },
        },
        9,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "es",
            time_zones: &[("Europe/Madrid", 1)],
            names: &[(&SPANISH, 86), (&ARABIC, 6), (&ENGLISH, 4), (&CHINESE, 4)],
            mobile: PhonePlan {
                prefixes: &["+346"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+3491", "+3493"],
                digits: 7,
                floor: 0,
            },
        },
        8,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "pt",
            time_zones: &[("Europe/Lisbon", 1)],
            names: &[(&PORTUGUESE, 88), (&SPANISH, 6), (&ENGLISH, 6)],
            mobile: PhonePlan {
                prefixes: &["+35191", "+35193", "+35196"],
                digits: 7,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+35121", "+35122"],
                digits: 7,
                floor: 0,
            },
        },
        4,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "en",
            time_zones: &[("Europe/Dublin", 1)],
            names: &[(&ENGLISH, 85), (&POLISH, 10), (&PORTUGUESE, 5)],
            mobile: PhonePlan {
                prefixes: &["+35383", "+35385", "+35387"],
                digits: 7,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+3531"],
                digits: 7,
                floor: 0,
            },
        },
        3,
    ),
];

const ENGLISH: NameSet = NameSet {
    language: "en",
    given: &[
        ("James", "james"),
        ("Mary", "mary"),
        ("John", "john"),
        ("Patricia", "patricia"),
        ("Michael", "michael"),
        ("Jennifer", "jennifer"),
        ("David", "david"),
        ("Linda", "linda"),
        ("Sarah", "sarah"),
        ("Emily", "emily"),
        ("Daniel", "daniel"),
        ("Olivia", "olivia"),
        ("Thomas", "thomas"),
        ("Jessica", "jessica"),
        ("Christopher", "christopher"),
        ("Hannah", "hannah"),
        ("Andrew", "andrew"),
        ("Grace", "grace"),
        ("Priya", "priya"),
        ("Arjun", "arjun"),
        ("Kwame", "kwame"),
        ("Aaliyah", "aaliyah"),
        ("Connor", "connor"),
        ("Siobhán", "siobhan"),
        ("Chloe", "chloe"),
        ("Zoë", "zoe"),
    ],
    family: &[
        ("Smith", "smith"),
        ("Johnson", "johnson"),
        ("Williams", "williams"),
        ("Brown", "brown"),
        ("Jones", "jones"),
        ("Miller", "miller"),
        ("Davis", "davis"),
        ("Wilson", "wilson"),
        ("Taylor", "taylor"),
        ("Anderson", "anderson"),
        ("Moore", "moore"),
        ("Clark", "clark"),
        ("Lewis", "lewis"),
        ("O'Brien", "obrien"),
        ("Walker", "walker"),
        ("Hall", "hall"),
        ("Young", "young"),
        ("King", "king"),
        ("Wright", "wright"),
        ("Evans", "evans"),
        ("Hughes", "hughes"),
        ("Patel", "patel"),
        ("Nguyen", "nguyen"),
        ("Kim", "kim"),
        ("Okafor", "okafor"),
        ("Mensah", "mensah"),
        ("Murphy", "murphy"),
        ("Bennett", "bennett"),
    ],
    family_first: false,
};

const SPANISH: NameSet = NameSet {
    language: "es",
    given: &[
        ("José", "jose"),
        ("María", "maria"),
        ("Lucía", "lucia"),
        ("Sofía", "sofia"),
        ("Ángel", "angel"),
        ("Javier", "javier"),
        ("Carmen", "carmen"),
        ("Alejandro", "alejandro"),
        ("Raúl", "raul"),
        ("Inés", "ines"),
        ("Andrés", "andres"),
        ("Mónica", "monica"),
        ("Jesús", "jesus"),
        ("Pilar", "pilar"),
        ("Diego", "diego"),
        ("Elena", "elena"),
    ],
    family: &[
        ("Álvarez", "alvarez"),
        ("Fernández", "fernandez"),
        ("Núñez", "nunez"),
        ("Peña", "pena"),
        ("Muñoz", "munoz"),
        ("García", "garcia"),
        ("Rodríguez", "rodriguez"),
        ("López", "lopez"),
        ("Martínez", "martinez"),
        ("Sánchez", "sanchez"),
        ("Gómez", "gomez"),
        ("Díaz", "diaz"),
        ("Ortega", "ortega"),
        ("Castillo", "castillo"),
        ("Ibáñez", "ibanez"),
        ("Gonzalez", "gonzalez"),
    ],
    family_first: false,
};

const FRENCH: NameSet = NameSet {
    language: "fr",
    given: &[
        ("François", "francois"),
        ("Hélène", "helene"),
        ("Jérôme", "jerome"),
        ("Céline", "celine"),
        ("Gaëlle", "gaelle"),
        ("Noël", "noel"),
        ("Amélie", "amelie"),
        ("Théo", "theo"),
        ("Léa", "lea"),
        ("Louis", "louis"),
        ("Camille", "camille"),
        ("Étienne", "etienne"),
        ("Chloé", "chloe"),
        ("Anaïs", "anais"),
    ],
    family: &[
        ("Dupré", "dupre"),
        ("Lefèvre", "lefevre"),
        ("Moreau", "moreau"),
        ("Girard", "girard"),
        ("Bélanger", "belanger"),
        ("Fournier", "fournier"),
        ("Rousseau", "rousseau"),
        ("Lemaître", "lemaitre"),
        ("Benoît", "benoit"),
        ("Mercier", "mercier"),
        ("Faure", "faure"),
        ("Gauthier", "gauthier"),
        ("Chevalier", "chevalier"),
    ],
    family_first: false,
};

const GERMAN: NameSet = NameSet {
    language: "de",
    given: &[
        ("Jürgen", "juergen"),
        ("Zoë", "zoe"),
        ("Björn", "bjoern"),
        ("Lena", "lena"),
        ("Günther", "guenther"),
        ("Jörg", "joerg"),
        ("Anna", "anna"),
        ("Lukas", "lukas"),
        ("Felix", "felix"),
        ("Sophie", "sophie"),
        ("Käthe", "kaethe"),
        ("Maximilian", "maximilian"),
        ("Mia", "mia"),
        ("Uwe", "uwe"),
        ("Ingrid", "ingrid"),
    ],
    family: &[
        ("Müller", "mueller"),
        ("Schäfer", "schaefer"),
        ("Weiß", "weiss"),
        ("Köhler", "koehler"),
        ("Groß", "gross"),
        ("Schröder", "schroeder"),
        ("Fischer", "fischer"),
        ("Becker", "becker"),
        ("Hoffmann", "hoffmann"),
        ("Wagner", "wagner"),
        ("Schulz", "schulz"),
        ("Krüger", "krueger"),
        ("Vogel", "vogel"),
        ("Zimmermann", "zimmermann"),
        ("Braun", "braun"),
    ],
    family_first: false,
};

const POLISH: NameSet = NameSet {
    language: "pl",
    given: &[
        ("Łukasz", "lukasz"),
        ("Małgorzata", "malgorzata"),
        ("Paweł", "pawel"),
        ("Agnieszka", "agnieszka"),
        ("Zofia", "zofia"),
        ("Krzysztof", "krzysztof"),
        ("Wojciech", "wojciech"),
        ("Katarzyna", "katarzyna"),
        ("Michał", "michal"),
        ("Joanna", "joanna"),
        ("Tomasz", "tomasz"),
        ("Ewa", "ewa"),
    ],
    family: &[
        ("Wójcik", "wojcik"),
        ("Nowak", "nowak"),
        ("Kowalczyk", "kowalczyk"),
        ("Mazur", "mazur"),
        ("Krawczyk", "krawczyk"),
        ("Zając", "zajac"),
        ("Król", "krol"),
        ("Wróbel", "wrobel"),
        ("Pawlak", "pawlak"),
        ("Michalak", "michalak"),
        ("Sikora", "sikora"),
        ("Baran", "baran"),
    ],
    family_first: false,
};

const PORTUGUESE: NameSet = NameSet {
    language: "pt",
    given: &[
        ("João", "joao"),
        ("Inês", "ines"),
        ("Tomás", "tomas"),
        ("Beatriz", "beatriz"),
        ("Gonçalo", "goncalo"),
        ("Mariana", "mariana"),
        ("Duarte", "duarte"),
        ("Leonor", "leonor"),
        ("Rui", "rui"),
        ("Conceição", "conceicao"),
    ],
    family: &[
        ("Gonçalves", "goncalves"),
        ("Araújo", "araujo"),
        ("Magalhães", "magalhaes"),
        ("Simões", "simoes"),
        ("Silva", "silva"),
        ("Santos", "santos"),
        ("Ferreira", "ferreira"),
        ("Pereira", "pereira"),
        ("Costa", "costa"),
        ("Rodrigues", "rodrigues"),
        ("Sousa", "sousa"),
        ("Fonseca", "fonseca"),
    ],
    family_first: false,
};

const CHINESE: NameSet = NameSet {
    language: "zh",
    given: &[
        ("秀英", "xiuying"),
        ("伟", "wei"),
        ("芳", "fang"),
        ("娜", "na"),
        ("敏", "min"),
        ("静", "jing"),
        ("强", "qiang"),
        ("磊", "lei"),
        ("洋", "yang"),
        ("婷", "ting"),
        ("军", "jun"),
        ("杰", "jie"),
        ("丽", "li"),
        ("涛", "tao"),
        ("明", "ming"),
        ("慧", "hui"),
    ],
    family: &[
        ("王", "wang"),
        ("李", "li"),
        ("张", "zhang"),
        ("刘", "liu"),
        ("陈", "chen"),
        ("杨", "yang"),
        ("黄", "huang"),
        ("赵", "zhao"),
        ("周", "zhou"),
        ("吴", "wu"),
        ("徐", "xu"),
        ("孙", "sun"),
    ],
    family_first: true,
};

const ARABIC: NameSet = NameSet {
    language: "ar",
    given: &[
        ("محمد", "mohammed"),
        ("أحمد", "ahmed"),
        ("فاطمة", "fatima"),
        ("عائشة", "aisha"),
        ("يوسف", "youssef"),
        ("مريم", "maryam"),
        ("عمر", "omar"),
        ("ليلى", "layla"),
        ("خالد", "khaled"),
        ("نور", "nour"),
        ("حسن", "hassan"),
        ("سارة", "sara"),
    ],
    family: &[
        ("العلي", "alali"),
        ("الحسن", "alhassan"),
        ("منصور", "mansour"),
        ("حداد", "haddad"),
        ("الخطيب", "alkhatib"),
        ("سعيد", "saeed"),
        ("الشامي", "alshami"),
        ("النجار", "alnajjar"),
        ("عباس", "abbas"),
    ],
    family_first: false,
};
