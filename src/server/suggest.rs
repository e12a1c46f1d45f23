//! One decision end to end, as the suggestions route (and the read-path
//! bench) makes it: the customer's recent past and the learned evidence for
//! their context read, the decision made with Thompson sampling over the
//! learned posteriors, each shown suggestion's evidence added in words, and
//! the answer and the record for the decision log.

use super::decide::catalog::Catalog;
use super::decide::facts::Contact;
use super::decide::learn::{self, context::Context, posterior::Decay};
use super::decide::{self, present, rank::Scorer, Case, Status};
use super::store::{DecisionRecord, Store, StoreResult};
use crate::api::Suggestions;
use crate::domain::{AgentId, Customer};

/// A decision: what the desk is sent, and what the log keeps.
pub struct Made {
    pub answer: Suggestions,
    pub record: DecisionRecord,
}

/// Decides for `customer` on `contact` now, by the store's clock.
pub async fn suggest(
    store: &Store,
    catalog: &Catalog,
    decay: &Decay,
    customer: &Customer,
    agent: AgentId,
    contact: &Contact,
    explain: bool,
) -> StoreResult<Made> {
    let now = store.now();
    let history = store
        .history(customer.id, customer.account_id(None), now)
        .await?;
    let case = Case::new(customer, &history, contact, now);
    let context = Context::of(&case.facts);
    let evidence = store
        .evidence(&context.chain(), decay, now.timestamp_millis())
        .await?;
    // Seeded by who and when, so a run on a simulated clock repeats.
    let seed =
        (customer.id.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ now.timestamp_millis() as u64;
    let mut scorer = Scorer::new(
        seed,
        catalog.settings.control_share,
        learn::posteriors(catalog, &context, &evidence),
    );
    let mut decision = decide::decide(catalog, case, &mut scorer, decide::new_id(now), now);
    let min = catalog.settings.min_responses;
    for item in decision.items.iter_mut() {
        if matches!(item.status, Status::Shown(_)) {
            let action = &catalog.actions[item.action];
            item.reasons
                .push(learn::evidence_words(action, &context, &evidence, min));
        }
    }
    let answer = Suggestions {
        customer_id: customer.id,
        generated_at: now,
        decision_id: decision.id,
        control: decision.control,
        suggestions: present::suggestions(catalog, &decision, customer),
        not_shown: if explain {
            present::not_shown(catalog, &decision)
        } else {
            vec![]
        },
    };
    let record = present::record(catalog, &decision, customer, agent, contact, context.cell());
    Ok(Made { answer, record })
}
