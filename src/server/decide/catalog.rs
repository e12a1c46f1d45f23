//! The action catalog as data: every action with its eligibility, value
//! model, policy group, prior and lever, the contact policies (consent,
//! caps, suppression after responses, quiet hours) and the context weights.
//! `actions.toml` ships inside the binary; `serve --actions FILE` replaces
//! it. Loading checks everything and names each mistake as file:line:col
//! (`check-config --actions FILE` prints them).

mod load;

use super::condition::Condition;
use super::expr::Expr;
use super::facts::{FactId, FactType};
use crate::configfile::ConfigError;
use crate::domain::{ActionKind, FeeKind, Opens, RefData};
use chrono::NaiveTime;

/// The catalog that ships with Switchboard.
pub const SHIPPED: &str = include_str!("actions.toml");
/// Where the shipped catalog lives in the source, for its messages.
pub const SHIPPED_PATH: &str = "src/server/decide/actions.toml";

#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// The file it was read from, for errors found after loading.
    pub path: String,
    pub settings: Settings,
    pub suppression: Suppression,
    /// No outbound contact between these hours, customer's time.
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
    pub groups: Vec<Group>,
    pub context: Vec<ContextWeight>,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Suggestions shown at most per contact (1-9: the desk's digit keys).
    pub max_shown: usize,
    /// Share of decisions ranked by priors alone (the control group).
    pub control_share: f64,
    /// Learned evidence halves in this many days.
    pub half_life_days: f64,
    /// How widely Thompson sampling explores: the posterior's variance is
    /// scaled by this before drawing (1 draws from the posterior itself).
    pub exploration: f64,
    /// Below this many responses a model says so instead of quoting a rate.
    pub min_responses: u32,
}

/// Responses that suppress an action for a while.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Suppression {
    pub declined: Rule,
    pub ignored: Rule,
}

/// `times` responses within `within_days` suppress for `suppress_days`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub times: u32,
    pub within_days: u32,
    pub suppress_days: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    /// The purpose the customer must have agreed to (`marketing`).
    pub consent: Option<String>,
    /// At most `times` offers in `days`.
    pub cap: Option<Cap>,
    /// At most one of the group shown at once.
    pub exclusive: bool,
    /// Subject to suppression after responses.
    pub limited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cap {
    pub times: u32,
    pub days: u32,
}

/// A contact of `dimension` = `value` weighs actions of `kind` by `weight`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextWeight {
    pub dimension: Dimension,
    pub value: String,
    pub applies_to: Weighs,
    pub weight: f64,
}

/// What a context weight raises or lowers: a kind of action, or one policy
/// group (by its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighs {
    Kind(ActionKind),
    Group(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Queue,
    Channel,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub code: String,
    /// Older codes for the same action (outcomes logged under them count).
    pub aliases: Vec<String>,
    pub name: String,
    pub kind: ActionKind,
    pub opens: Opens,
    /// Index into `Catalog::groups`.
    pub group: usize,
    /// All must hold.
    pub when: Vec<Condition>,
    /// At least one must hold (when given).
    pub when_any: Vec<Condition>,
    pub value: Expr,
    /// The value model as written.
    pub value_text: String,
    pub value_means: String,
    pub prior: f64,
    pub lever: f64,
    pub reasons: Vec<Template>,
    /// The fee a waiver is for.
    pub fee: Option<FeeKind>,
    /// The disposition an offer is logged with.
    pub disposition: Option<String>,
    /// Where an escalation or transfer goes.
    pub target: Option<String>,
    /// It is a contact made to the customer (quiet hours apply).
    pub outbound: bool,
    /// Where the action's `disposition` and `target` were written, for
    /// errors found later.
    pub disposition_at: Option<(usize, usize)>,
    pub target_at: Option<(usize, usize)>,
}

/// A reason with `{fact}` or `{fact:money|years|percent}` in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Fact(FactId, Format),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    Money,
    Years,
    Percent,
}

impl Catalog {
    /// The catalog that ships with Switchboard.
    pub fn shipped() -> Result<Catalog, Vec<ConfigError>> {
        Catalog::parse(SHIPPED_PATH, SHIPPED)
    }

    /// The catalog in the file at `path`, or the shipped one without a path.
    pub fn read(path: Option<&std::path::Path>) -> Result<Catalog, Vec<ConfigError>> {
        let Some(path) = path else {
            return Catalog::shipped();
        };
        let shown = path.display().to_string();
        match crate::configfile::read(path) {
            Ok(Some(text)) => Catalog::parse(&shown, &text),
            Ok(None) => Err(vec![ConfigError::whole_file(shown, "no such file")]),
            Err(e) => Err(vec![e]),
        }
    }

    /// [`Catalog::read`] for starting a server: every problem in one error.
    pub fn load(path: Option<&std::path::Path>) -> anyhow::Result<Catalog> {
        Catalog::read(path).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
            anyhow::anyhow!("the action catalog has problems:\n{}", lines.join("\n"))
        })
    }

    /// Reads a catalog file's text; `path` names it in errors.
    pub fn parse(path: &str, text: &str) -> Result<Catalog, Vec<ConfigError>> {
        load::parse(path, text)
    }

    /// The action with this code or alias.
    pub fn action(&self, code: &str) -> Option<&Action> {
        self.position(code).map(|i| &self.actions[i])
    }

    /// Where the action with this code or alias stands in `actions`.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.actions
            .iter()
            .position(|a| a.code == code || a.aliases.iter().any(|x| x == code))
    }

    pub fn group(&self, action: &Action) -> &Group {
        &self.groups[action.group]
    }

    /// The codes the catalog names that this server's reference data does
    /// not have (a disposition an offer logs, a target an escalation goes
    /// to), each placed where the catalog wrote it.
    pub fn check_codes(&self, refdata: &RefData) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        let mut missing = |code: &str, at: Option<(usize, usize)>, what: &str, known: Vec<&str>| {
            let (line, column) = at.unwrap_or((1, 1));
            errors.push(ConfigError {
                path: self.path.clone(),
                line,
                column,
                message: crate::configfile::unknown(what, code, known),
            });
        };
        let dispositions: Vec<&str> = refdata
            .dispositions
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        let targets: Vec<&str> = refdata
            .escalation_targets
            .iter()
            .map(|t| t.code.as_str())
            .collect();
        for a in &self.actions {
            if let Some(code) = a
                .disposition
                .as_deref()
                .filter(|c| !dispositions.contains(c))
            {
                missing(
                    code,
                    a.disposition_at,
                    "disposition code",
                    dispositions.clone(),
                );
            }
            if let Some(code) = a.target.as_deref().filter(|c| !targets.contains(c)) {
                missing(code, a.target_at, "escalation target", targets.clone());
            }
        }
        errors
    }
}

impl Template {
    /// Reads `text`; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("`{text}`: a `{{` is not closed"))?;
            let inside = &rest[open + 1..open + close];
            let (name, format) = inside.split_once(':').unwrap_or((inside, ""));
            let fact = FactId::named(name).ok_or_else(|| {
                crate::configfile::unknown("fact", name, super::facts::FACTS.iter().map(|f| f.0))
            })?;
            let format = match format {
                "" => Format::Plain,
                "money" => Format::Money,
                "years" => Format::Years,
                "percent" => Format::Percent,
                other => {
                    return Err(crate::configfile::unknown(
                        "format",
                        other,
                        ["money", "years", "percent"],
                    ))
                }
            };
            if format != Format::Plain && fact.kind() != FactType::Number {
                return Err(format!(
                    "`{name}` is not a number, so it has no `:{}`",
                    &inside[name.len() + 1..]
                ));
            }
            parts.push(Part::Fact(fact, format));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
