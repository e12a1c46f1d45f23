//! Plays a simulated population against a server's decision service, over
//! the `/v1` API like a desk: each contact asks for suggestions, the customer
//! accepts each shown one with their hidden chance ([`population`]), and the
//! wrap-up is logged with the outcomes, which is all the server learns from.
//!
//! The score of a decision is the value its shown suggestions are expected
//! to earn under the hidden chances (value × the catalog's lever, the
//! business's own weight), so luck does not blur the comparison. Each contact
//! is scored three ways against an oracle that knows the hidden chances and
//! picks the best slate the policies allow: what the server showed
//! (learning, or priors for its control group), and what ranking by the
//! catalog's priors would have shown. Contact policies are checked from the
//! outside: consent, group caps and suppression after declines.
//!
//! [`population`]: super::population

use super::population::{appeal, Person};
use crate::api::{Client, NewInteraction, Suggestions, SuggestionsQuery};
use crate::domain::{ActionCode, Channel, CustomerId, SuggestionOutcome, SuggestionVerdict};
use crate::server::decide::catalog::Catalog;
use crate::server::decide::rank::shows;
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// The channel every simulated contact comes in on.
const CHANNEL: Channel = Channel::Voice;

const DAY_MS: i64 = 86_400_000;

/// How a run goes.
#[derive(Debug, Clone)]
pub struct Options {
    pub contacts: usize,
    /// Contacts per row of the report.
    pub window: usize,
    /// The contact after which the two swapped actions trade appeal.
    pub change_at: usize,
    /// Simulated time between contacts.
    pub step_ms: i64,
    pub seed: u64,
}

/// Expected value earned, and what the oracle would have earned.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub earned: f64,
    pub oracle: f64,
}

impl Score {
    pub fn share(&self) -> Option<f64> {
        (self.oracle > 0.0).then(|| self.earned / self.oracle)
    }

    fn add(&mut self, earned: f64, oracle: f64) {
        self.earned += earned;
        self.oracle += oracle;
    }
}

/// One row of the report: the window's contacts and the run so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// Contacts played by the end of this window.
    pub upto: usize,
    /// The server's decisions outside the control group.
    pub learned: Score,
    pub learned_so_far: Score,
    /// The same contacts ranked by the catalog's priors.
    pub priors: Score,
    pub priors_so_far: Score,
    /// The server's control group (ranked by priors, a small share).
    pub control: Score,
    pub violations: usize,
}

/// The whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub windows: Vec<Window>,
    /// Over every contact: the expected value of what was shown (control
    /// group included), and of the priors' slate; what off-policy estimates
    /// from the log should come close to.
    pub logged_truth: Score,
    pub priors_truth: Score,
    pub violations: Vec<String>,
    pub control_decisions: usize,
}

/// What the simulator remembers of a customer's answers, to check the
/// server's policies from outside.
#[derive(Default)]
struct Answers {
    /// (group, when) of offers accepted or declined.
    offers: Vec<(usize, i64)>,
    /// (action, when) of declines.
    declines: Vec<(usize, i64)>,
}

/// Plays `opts.contacts` contacts among `people`, moving the server's clock
/// with `advance` (milliseconds) before each.
pub async fn run(
    client: &Client,
    catalog: &Catalog,
    people: &BTreeMap<CustomerId, Person>,
    opts: &Options,
    mut now_ms: i64,
    advance: &dyn Fn(i64),
) -> anyhow::Result<Report> {
    let ids: Vec<CustomerId> = people.keys().copied().collect();
    anyhow::ensure!(!ids.is_empty(), "the population is empty");
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut answers: BTreeMap<CustomerId, Answers> = BTreeMap::new();
    let mut report = Report {
        windows: Vec::new(),
        logged_truth: Score::default(),
        priors_truth: Score::default(),
        violations: Vec::new(),
        control_decisions: 0,
    };
    let mut window = blank(0);
    let (mut learned_so_far, mut priors_so_far) = (Score::default(), Score::default());
    for contact in 1..=opts.contacts {
        advance(opts.step_ms);
        now_ms += opts.step_ms;
        let id = ids[rng.gen_range(0..ids.len())];
        let Some(person) = people.get(&id) else {
            continue;
        };
        let changed = contact > opts.change_at;
        let query = SuggestionsQuery {
            channel: Some(CHANNEL),
            queue: None,
            explain: Some(true),
            acting_for: None,
        };
        let decision = client.suggestions(id, &query).await?;
        let mine = answers.entry(id).or_default();
        for problem in broken_policies(catalog, &decision, person, mine, now_ms) {
            window.violations += 1;
            report
                .violations
                .push(format!("contact {contact}, customer {id}: {problem}"));
        }
        let scores = score(catalog, &decision, person, changed);
        if decision.control {
            report.control_decisions += 1;
            window.control.add(scores.shown, scores.oracle);
        } else {
            window.learned.add(scores.shown, scores.oracle);
            learned_so_far.add(scores.shown, scores.oracle);
        }
        report.logged_truth.add(scores.shown, scores.oracle);
        report.priors_truth.add(scores.priors, scores.oracle);
        window.priors.add(scores.priors, scores.oracle);
        priors_so_far.add(scores.priors, scores.oracle);

        let outcomes = answers_to(&decision, person, changed, &mut rng);
        for o in &outcomes {
            let Some(index) = catalog.position(o.action.as_str()) else {
                continue;
            };
            let action = &catalog.actions[index];
            if catalog.group(action).cap.is_some() {
                mine.offers.push((action.group, now_ms));
            }
            if o.verdict != SuggestionVerdict::Accepted {
                mine.declines.push((index, now_ms));
            }
        }
        let wrap_up = NewInteraction::resolved(id, "general.info", outcomes);
        let key = format!("sim-{}-{contact}", opts.seed);
        client.log_interaction(&key, &wrap_up).await?;

        if contact % opts.window == 0 || contact == opts.contacts {
            window.upto = contact;
            window.learned_so_far = learned_so_far;
            window.priors_so_far = priors_so_far;
            report
                .windows
                .push(std::mem::replace(&mut window, blank(contact)));
        }
    }
    Ok(report)
}

/// The customer's answer to each suggestion shown: accepted with their
/// hidden chance, else declined, under the decision that showed it.
fn answers_to(
    decision: &Suggestions,
    person: &Person,
    changed: bool,
    rng: &mut ChaCha8Rng,
) -> Vec<SuggestionOutcome> {
    decision
        .suggestions
        .iter()
        .map(|s| SuggestionOutcome {
            action: ActionCode::new(s.action.as_str()),
            verdict: match rng.gen_bool(appeal(s.action.as_str(), person, changed)) {
                true => SuggestionVerdict::Accepted,
                false => SuggestionVerdict::Declined,
            },
            decision_id: Some(decision.decision_id),
        })
        .collect()
}

/// Contacts handled before the demo opens, so the decisions board and the
/// models have something to show: `contacts` calls, each to one of
/// `customers` at random, answered as the population would, and wrapped up
/// through `client` (a colleague's desk) on the server's own clock. Returns
/// how many were logged.
pub async fn warm_up(
    client: &Client,
    customers: &[CustomerId],
    contacts: usize,
    seed: u64,
) -> anyhow::Result<usize> {
    anyhow::ensure!(!customers.is_empty(), "no customers to call");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let query = SuggestionsQuery {
        channel: Some(CHANNEL),
        ..Default::default()
    };
    for n in 0..contacts {
        let id = customers[rng.gen_range(0..customers.len())];
        let person = Person::of(&client.customer(id).await?, chrono::Utc::now().date_naive());
        let decision = client.suggestions(id, &query).await?;
        let outcomes = answers_to(&decision, &person, false, &mut rng);
        let wrap_up = NewInteraction::resolved(id, "general.info", outcomes);
        client
            .log_interaction(&format!("warm-up-{seed}-{n}"), &wrap_up)
            .await?;
    }
    Ok(contacts)
}

fn blank(upto: usize) -> Window {
    Window {
        upto,
        learned: Score::default(),
        learned_so_far: Score::default(),
        priors: Score::default(),
        priors_so_far: Score::default(),
        control: Score::default(),
        violations: 0,
    }
}

/// One contact's expected value: as shown, as the priors would have shown,
/// and the oracle's.
struct Scores {
    shown: f64,
    priors: f64,
    oracle: f64,
}

/// Scores a decision: the slate it showed, the priors' slate and the
/// oracle's, over the actions the policies allowed (shown, or kept back only
/// by the ranking).
fn score(catalog: &Catalog, decision: &Suggestions, person: &Person, changed: bool) -> Scores {
    let shown_now = decision
        .suggestions
        .iter()
        .map(|s| (s.action.as_str(), s.value, true));
    let held_back = decision
        .not_shown
        .iter()
        .filter(|n| n.eligible && matches!(n.rule_kind.as_str(), "one at a time" | "outranked"))
        .map(|n| (n.action.as_str(), n.value, false));
    let (mut codes, mut worth, mut priors, mut was_shown) = (vec![], vec![], vec![], vec![]);
    for (code, value, shown) in shown_now.chain(held_back) {
        let Some(action) = catalog.action(code) else {
            continue;
        };
        let value = value.map_or(0.0, |v| v.minor_units as f64) * action.lever;
        codes.push(code);
        worth.push(appeal(code, person, changed) * value);
        priors.push(action.prior * value);
        was_shown.push(shown);
    }
    let max = catalog.settings.max_shown;
    let sum_of = |mask: &[bool]| -> f64 {
        mask.iter()
            .zip(&worth)
            .filter(|(s, _)| **s)
            .map(|(_, w)| w)
            .sum()
    };
    Scores {
        shown: sum_of(&was_shown),
        priors: sum_of(&shows(catalog, &codes, &priors, max)),
        oracle: sum_of(&shows(catalog, &codes, &worth, max)),
    }
}

/// What the decision showed that the catalog's policies forbid, by what the
/// simulator itself has seen: consent, group caps, and suppression after
/// declines.
fn broken_policies(
    catalog: &Catalog,
    decision: &Suggestions,
    person: &Person,
    mine: &Answers,
    now_ms: i64,
) -> Vec<String> {
    let mut problems = Vec::new();
    for s in &decision.suggestions {
        let Some(index) = catalog.position(s.action.as_str()) else {
            problems.push(format!("{} is not in the catalog", s.action));
            continue;
        };
        let action = &catalog.actions[index];
        let group = catalog.group(action);
        if group.consent.is_some() && !person.marketing_channels.contains(&CHANNEL) {
            problems.push(format!(
                "{} shown without consent by {}",
                action.code,
                CHANNEL.as_str()
            ));
        }
        if let Some(cap) = group.cap {
            let since = now_ms - i64::from(cap.days) * DAY_MS;
            let offered = mine
                .offers
                .iter()
                .filter(|(g, at)| *g == action.group && *at > since)
                .count();
            if offered >= cap.times as usize {
                problems.push(format!("{} shown past the {} cap", action.code, group.name));
            }
        }
        if group.limited {
            let rule = catalog.suppression.declined;
            let window = now_ms - i64::from(rule.within_days) * DAY_MS;
            let declines: Vec<i64> = mine
                .declines
                .iter()
                .filter(|(a, _)| *a == index)
                .map(|(_, at)| *at)
                .collect();
            let recent = declines.iter().filter(|at| **at > window).count();
            let last = declines.iter().max().copied().unwrap_or(i64::MIN);
            if rule.times > 0
                && recent >= rule.times as usize
                && now_ms - last < i64::from(rule.suppress_days) * DAY_MS
            {
                problems.push(format!(
                    "{} shown while suppressed after declines",
                    action.code
                ));
            }
        }
    }
    problems
}

/// The day the population's tenure is measured on.
pub fn today(now_ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}
