//! The context a propensity is learned in: ten predictors binned from the
//! facts (segment, tenure, churn risk, value, channel, queue, recent
//! contacts, recent declines, an open complaint, the last life event). A
//! decision's context is one *cell*, written `segment=gold|tenure=6y+|…`
//! and stored with it. Learning keeps evidence for the whole catalog at
//! three depths of a back-off chain (everyone → segment → segment and churn
//! → segment, churn and tenure) and for each predictor's bins alone, which
//! is what the models report reads to say which predictors separate
//! acceptors from the rest.

use crate::server::decide::facts::{FactValue, Facts};

/// A predictor: its name in a cell, what its bins mean in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Predictor {
    pub name: &'static str,
    /// (bin, words after "customers": "with 6+ years of tenure").
    pub bins: &'static [(&'static str, &'static str)],
}

pub const PREDICTORS: &[Predictor] = &[
    Predictor {
        name: "segment",
        bins: &[
            ("premier", "premier"),
            ("gold", "gold"),
            ("silver", "silver"),
            ("standard", "standard"),
        ],
    },
    Predictor {
        name: "tenure",
        bins: &[
            ("<1y", "in their first year"),
            ("1-3y", "with 1-3 years of tenure"),
            ("3-6y", "with 3-6 years of tenure"),
            ("6y+", "with 6+ years of tenure"),
        ],
    },
    Predictor {
        name: "churn",
        bins: &[
            ("low", "at low churn risk"),
            ("medium", "at medium churn risk"),
            ("high", "at high churn risk"),
        ],
    },
    Predictor {
        name: "value",
        bins: &[
            ("<2k", "worth under 2,000"),
            ("2k-10k", "worth 2,000-10,000"),
            ("10k+", "worth over 10,000"),
        ],
    },
    Predictor {
        name: "channel",
        bins: &[
            ("voice", "on the phone"),
            ("chat", "on chat"),
            ("email", "by e-mail"),
            ("other", "on other channels"),
        ],
    },
    Predictor {
        name: "queue",
        bins: &[
            ("none", "outside a queue"),
            ("general", "in the general queue"),
            ("billing", "in the billing queue"),
            ("tech", "in the tech queue"),
            ("retention", "in the retention queue"),
            ("premier", "in the premier queue"),
            ("other", "in other queues"),
        ],
    },
    Predictor {
        name: "contacts",
        bins: &[
            ("0", "with no other contact this week"),
            ("1-2", "with 1-2 contacts this week"),
            ("3+", "with 3+ contacts this week"),
        ],
    },
    Predictor {
        name: "declines",
        bins: &[
            ("0", "who declined nothing this month"),
            ("1+", "who declined a suggestion this month"),
        ],
    },
    Predictor {
        name: "complaint",
        bins: &[
            ("no", "without an open complaint"),
            ("yes", "with an open complaint"),
        ],
    },
    Predictor {
        name: "life",
        bins: &[
            ("none", "with no life event on record"),
            ("<30d", "with a life event this month"),
            ("30-90d", "with a life event 1-3 months ago"),
            ("90d+", "with a life event over 3 months ago"),
        ],
    },
];

/// The back-off chain, coarse to fine, after the catalog-wide cell.
const CHAIN: [&str; 3] = ["segment", "churn", "tenure"];

/// The cell of everyone: evidence for an action over all contexts.
pub const EVERYONE: &str = "*";

/// The context of a decision: one bin per predictor, in `PREDICTORS` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    bins: Vec<&'static str>,
}

impl Context {
    /// The context of `facts` (which include the contact's channel and queue).
    pub fn of(facts: &Facts) -> Context {
        let number = |name: &str| match facts.by_name(name) {
            Some(FactValue::Number(n)) => Some(*n),
            _ => None,
        };
        let text = |name: &str| match facts.by_name(name) {
            Some(FactValue::Text(t)) => Some(t.as_str()),
            _ => None,
        };
        let band = |n: Option<f64>, edges: &[f64], bins: &'static [(&'static str, &str)]| {
            let n = n.unwrap_or(0.0);
            let at = edges.iter().take_while(|edge| n >= **edge).count();
            bins[at.min(bins.len() - 1)].0
        };
        let named = |value: Option<&str>, bins: &'static [(&'static str, &str)], default| {
            bins.iter()
                .map(|(bin, _)| *bin)
                .find(|bin| Some(*bin) == value)
                .unwrap_or(default)
        };
        let p = |name| predictor(name).map_or(&[][..], |p| p.bins);
        let life = match number("days_since_life_event") {
            None => "none",
            Some(d) => band(Some(d), &[30.0, 90.0], &p("life")[1..]),
        };
        Context {
            bins: vec![
                named(text("segment"), p("segment"), "standard"),
                band(number("tenure_months"), &[12.0, 36.0, 72.0], p("tenure")),
                band(number("churn_risk"), &[0.35, 0.6], p("churn")),
                band(
                    number("lifetime_value"),
                    &[200_000.0, 1_000_000.0],
                    p("value"),
                ),
                named(text("channel"), p("channel"), "other"),
                match text("queue") {
                    None => "none",
                    queue => named(queue, p("queue"), "other"),
                },
                band(number("contacts_7d"), &[1.0, 3.0], p("contacts")),
                band(number("declines_30d"), &[1.0], p("declines")),
                band(number("open_complaints"), &[1.0], p("complaint")),
                life,
            ],
        }
    }

    /// The cell as stored with a decision.
    pub fn cell(&self) -> String {
        PREDICTORS
            .iter()
            .zip(&self.bins)
            .map(|(p, bin)| format!("{}={bin}", p.name))
            .collect::<Vec<_>>()
            .join("|")
    }

    /// A stored cell read back; `None` for one this version cannot read
    /// (its outcome then teaches nothing rather than the wrong thing).
    pub fn parse(cell: &str) -> Option<Context> {
        let parts: Vec<&str> = cell.split('|').collect();
        if parts.len() != PREDICTORS.len() {
            return None;
        }
        let bins = PREDICTORS
            .iter()
            .zip(parts)
            .map(|(p, part)| {
                let bin = part.strip_prefix(p.name)?.strip_prefix('=')?;
                p.bins.iter().map(|(b, _)| *b).find(|b| *b == bin)
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Context { bins })
    }

    fn bin(&self, name: &str) -> &'static str {
        PREDICTORS
            .iter()
            .position(|p| p.name == name)
            .and_then(|i| self.bins.get(i).copied())
            .unwrap_or("")
    }

    /// The back-off chain's cells, coarse to fine, starting with everyone.
    pub fn chain(&self) -> Vec<String> {
        let mut cells = vec![EVERYONE.to_string()];
        let mut key = String::new();
        for name in CHAIN {
            if !key.is_empty() {
                key.push('|');
            }
            key.push_str(&format!("{name}={}", self.bin(name)));
            cells.push(key.clone());
        }
        cells
    }

    /// Every cell an outcome in this context adds evidence to: the chain,
    /// and each predictor's bin alone.
    pub fn cells(&self) -> Vec<String> {
        let mut cells = self.chain();
        for (p, bin) in PREDICTORS.iter().zip(&self.bins) {
            let single = format!("{}={bin}", p.name);
            if !cells.contains(&single) {
                cells.push(single);
            }
        }
        cells
    }
}

pub fn predictor(name: &str) -> Option<&'static Predictor> {
    PREDICTORS.iter().find(|p| p.name == name)
}

/// The customers a cell of the chain holds, in words: "gold customers at
/// high churn risk with 6+ years of tenure"; "customers" for everyone.
pub fn describe(cell: &str) -> String {
    let mut segment = String::new();
    let mut rest = Vec::new();
    for part in cell.split('|').filter(|p| *p != EVERYONE) {
        let Some((name, bin)) = part.split_once('=') else {
            continue;
        };
        let Some(words) = predictor(name)
            .and_then(|p| p.bins.iter().find(|(b, _)| *b == bin))
            .map(|(_, w)| *w)
        else {
            continue;
        };
        if name == "segment" {
            segment = format!("{words} ");
        } else {
            rest.push(words);
        }
    }
    let mut text = format!("{segment}customers");
    for words in rest {
        text.push(' ');
        text.push_str(words);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, FactValue)]) -> Facts {
        Facts::from_pairs(pairs.iter().cloned())
    }

    #[test]
    fn facts_fall_into_their_bins_and_the_cell_reads_back() {
        let f = facts(&[
            ("segment", FactValue::Text("gold".into())),
            ("tenure_months", FactValue::Number(80.0)),
            ("churn_risk", FactValue::Number(0.6)),
            ("lifetime_value", FactValue::Number(1_850_000.0)),
            ("channel", FactValue::Text("voice".into())),
            ("queue", FactValue::Text("billing".into())),
            ("contacts_7d", FactValue::Number(3.0)),
            ("declines_30d", FactValue::Number(0.0)),
            ("open_complaints", FactValue::Number(0.0)),
            ("days_since_life_event", FactValue::Number(12.0)),
        ]);
        let c = Context::of(&f);
        let cell = c.cell();
        assert_eq!(
            cell,
            "segment=gold|tenure=6y+|churn=high|value=10k+|channel=voice|queue=billing|\
             contacts=3+|declines=0|complaint=no|life=<30d"
        );
        assert_eq!(Context::parse(&cell), Some(c.clone()));
        assert_eq!(
            c.chain(),
            [
                "*",
                "segment=gold",
                "segment=gold|churn=high",
                "segment=gold|churn=high|tenure=6y+"
            ]
        );
        assert_eq!(c.cells().len(), 3 + PREDICTORS.len());
        assert_eq!(
            describe("segment=gold|churn=high|tenure=6y+"),
            "gold customers at high churn risk with 6+ years of tenure"
        );
        assert_eq!(describe(EVERYONE), "customers");
    }

    #[test]
    fn missing_facts_take_the_lowest_bin_and_odd_cells_are_refused() {
        let c = Context::of(&facts(&[]));
        assert_eq!(
            c.cell(),
            "segment=standard|tenure=<1y|churn=low|value=<2k|channel=other|queue=none|\
             contacts=0|declines=0|complaint=no|life=none"
        );
        assert_eq!(Context::parse("segment=gold"), None);
        assert_eq!(
            Context::parse(&c.cell().replace("churn=low", "churn=wild")),
            None
        );
    }
}
