//! Reading a catalog file with the shared settings-file checker: every
//! table and field checked, every mistake reported with its place, all of
//! them at once.

use super::*;
use crate::configfile::{Checker, Entry, Node, Table, Value};

const TOP: [&str; 6] = [
    "settings",
    "suppression",
    "quiet_hours",
    "groups",
    "context",
    "action",
];
const SETTINGS: [&str; 5] = [
    "max_shown",
    "control_share",
    "half_life_days",
    "exploration",
    "min_responses",
];
const GROUP: [&str; 4] = ["consent", "cap", "exclusive", "limited"];
const ACTION: [&str; 17] = [
    "code",
    "aliases",
    "name",
    "kind",
    "opens",
    "group",
    "when",
    "when_any",
    "value",
    "value_means",
    "prior",
    "lever",
    "reasons",
    "fee",
    "disposition",
    "target",
    "outbound",
];
const PURPOSES: [&str; 1] = ["marketing"];

pub(super) fn parse(path: &str, text: &str) -> Result<Catalog, Vec<ConfigError>> {
    let mut file = Checker::new(path, text);
    let Some(root) = file.parse() else {
        return Err(file.into_errors());
    };
    for entry in &root.entries {
        if !TOP.contains(&entry.key.as_str()) {
            file.unknown(entry.key_at, "table", &entry.key, TOP);
        }
    }
    let settings = settings(&mut file, root.get("settings"));
    let suppression = suppression(&mut file, root.get("suppression"));
    let quiet_hours = quiet_hours(&mut file, root.get("quiet_hours"));
    let groups = groups(&mut file, root.get("groups"));
    let context = context(&mut file, root.get("context"), &groups);
    let actions = actions(&mut file, root.get("action"), &groups);
    match file.has_errors() {
        true => Err(file.into_errors()),
        false => Ok(Catalog {
            path: path.to_string(),
            settings,
            suppression,
            quiet_hours,
            groups,
            context,
            actions,
        }),
    }
}

/// A table's entries, checked against `known`.
fn fields<'t>(file: &mut Checker, table: &'t Table, what: &str, known: &[&str]) -> &'t [Entry] {
    for entry in &table.entries {
        if !known.contains(&entry.key.as_str()) {
            file.unknown(entry.key_at, what, &entry.key, known.iter().copied());
        }
    }
    &table.entries
}

fn float(file: &mut Checker, node: &Node, wrong: &str) -> Option<f64> {
    match node.value {
        Value::Float(x) if x.is_finite() => Some(x),
        Value::Int(n) => Some(n as f64),
        _ => {
            file.report(node.at, wrong);
            None
        }
    }
}

fn boolean(file: &mut Checker, node: &Node, wrong: &str) -> Option<bool> {
    match node.value {
        Value::Bool(b) => Some(b),
        _ => {
            file.report(node.at, wrong);
            None
        }
    }
}

/// Thompson sampling draws from the posterior with a quarter of its
/// variance: with evidence halving every 30 days, plain sampling kept
/// re-exploring actions whose evidence had faded (see the README).
const DEFAULT_EXPLORATION: f64 = 0.25;

fn settings(file: &mut Checker, entry: Option<&Entry>) -> Settings {
    let mut s = Settings {
        max_shown: 5,
        control_share: 0.02,
        half_life_days: 30.0,
        exploration: DEFAULT_EXPLORATION,
        min_responses: 30,
    };
    let Some(table) = entry.and_then(|e| file.table(&e.node, "[settings] is a table")) else {
        return s;
    };
    for e in fields(file, table, "setting", &SETTINGS) {
        match e.key.as_str() {
            "max_shown" => match file.number::<usize>(&e.node, "max_shown is a whole number") {
                Some(n) if (1..=9).contains(&n) => s.max_shown = n,
                Some(_) => file.report(e.node.at, "max_shown is 1 to 9 (the desk's digit keys)"),
                None => {}
            },
            "control_share" => match float(file, &e.node, "control_share is a number") {
                Some(x) if (0.0..=0.5).contains(&x) => s.control_share = x,
                Some(_) => file.report(e.node.at, "control_share is 0 to 0.5"),
                None => {}
            },
            "half_life_days" => match float(file, &e.node, "half_life_days is a number") {
                Some(x) if (1.0..=3650.0).contains(&x) => s.half_life_days = x,
                Some(_) => file.report(e.node.at, "half_life_days is 1 to 3650"),
                None => {}
            },
            "exploration" => match float(file, &e.node, "exploration is a number") {
                Some(x) if x > 0.0 && x <= 1.0 => s.exploration = x,
                Some(_) => file.report(e.node.at, "exploration is above 0 and at most 1"),
                None => {}
            },
            "min_responses" => {
                if let Some(n) = file.number::<u32>(&e.node, "min_responses is a whole number") {
                    s.min_responses = n;
                }
            }
            _ => {}
        }
    }
    s
}

fn suppression(file: &mut Checker, entry: Option<&Entry>) -> Suppression {
    let mut s = Suppression {
        declined: Rule {
            times: 2,
            within_days: 30,
            suppress_days: 60,
        },
        ignored: Rule {
            times: 3,
            within_days: 7,
            suppress_days: 10,
        },
    };
    let Some(table) = entry.and_then(|e| file.table(&e.node, "[suppression] is a table")) else {
        return s;
    };
    for e in fields(file, table, "response", &["declined", "ignored"]) {
        let Some(rule) = rule(file, &e.node) else {
            continue;
        };
        match e.key.as_str() {
            "declined" => s.declined = rule,
            "ignored" => s.ignored = rule,
            _ => {}
        }
    }
    s
}

fn rule(file: &mut Checker, node: &Node) -> Option<Rule> {
    let table = file.table(node, "a rule is { times, within_days, suppress_days }")?;
    let keys = ["times", "within_days", "suppress_days"];
    fields(file, table, "field", &keys);
    let mut get = |key: &str| {
        let Some(e) = table.get(key) else {
            file.report(node.at, format!("the rule needs `{key}`"));
            return None;
        };
        file.number::<u32>(&e.node, &format!("{key} is a whole number"))
    };
    Some(Rule {
        times: get("times")?,
        within_days: get("within_days")?,
        suppress_days: get("suppress_days")?,
    })
}

fn quiet_hours(file: &mut Checker, entry: Option<&Entry>) -> Option<(NaiveTime, NaiveTime)> {
    let table = file.table(&entry?.node, "[quiet_hours] is a table")?;
    fields(file, table, "field", &["from", "to"]);
    let mut time = |key: &str| {
        let e = table.get(key)?;
        let text = file.text(&e.node, "a time is written \"21:00\"")?;
        let parsed = NaiveTime::parse_from_str(text, "%H:%M").ok();
        if parsed.is_none() {
            file.report(e.node.at, format!("`{text}` is not a time like \"21:00\""));
        }
        parsed
    };
    Some((time("from")?, time("to")?))
}

fn groups(file: &mut Checker, entry: Option<&Entry>) -> Vec<Group> {
    let Some(table) = entry.and_then(|e| file.table(&e.node, "[groups] is a table")) else {
        return vec![];
    };
    let mut out = Vec::new();
    for e in &table.entries {
        let Some(t) = file.table(&e.node, "a group is a table") else {
            continue;
        };
        let mut group = Group {
            name: e.key.clone(),
            consent: None,
            cap: None,
            exclusive: false,
            limited: false,
        };
        for f in fields(file, t, "group field", &GROUP) {
            match f.key.as_str() {
                "consent" => {
                    if let Some(purpose) = file.text(&f.node, "consent names a purpose") {
                        if PURPOSES.contains(&purpose) {
                            group.consent = Some(purpose.to_string());
                        } else {
                            file.unknown(f.node.at, "consent purpose", purpose, PURPOSES);
                        }
                    }
                }
                "cap" => group.cap = cap(file, &f.node),
                "exclusive" => {
                    group.exclusive = boolean(file, &f.node, "true or false").unwrap_or(false)
                }
                "limited" => {
                    group.limited = boolean(file, &f.node, "true or false").unwrap_or(false)
                }
                _ => {}
            }
        }
        out.push(group);
    }
    out
}

fn cap(file: &mut Checker, node: &Node) -> Option<Cap> {
    let table = file.table(node, "a cap is { times, days }")?;
    fields(file, table, "field", &["times", "days"]);
    let times = table
        .get("times")
        .and_then(|e| file.number(&e.node, "times is a whole number"));
    let days = table
        .get("days")
        .and_then(|e| file.number(&e.node, "days is a whole number"));
    match (times, days) {
        (Some(times), Some(days)) => Some(Cap { times, days }),
        _ => {
            file.report(node.at, "a cap needs `times` and `days`");
            None
        }
    }
}

fn context(file: &mut Checker, entry: Option<&Entry>, groups: &[Group]) -> Vec<ContextWeight> {
    let Some(table) = entry.and_then(|e| file.table(&e.node, "[context] is a table")) else {
        return vec![];
    };
    let mut out = Vec::new();
    for dim in &table.entries {
        let dimension = match dim.key.as_str() {
            "queue" => Dimension::Queue,
            "channel" => Dimension::Channel,
            other => {
                file.unknown(dim.key_at, "context", other, ["queue", "channel"]);
                continue;
            }
        };
        let Some(values) = file.table(&dim.node, "a table of values") else {
            continue;
        };
        for value in &values.entries {
            let Some(weights) = file.table(&value.node, "a table of weights by kind or group")
            else {
                continue;
            };
            for w in &weights.entries {
                let applies_to = match ActionKind::parse(&w.key) {
                    Some(kind) => Weighs::Kind(kind),
                    None => match groups.iter().position(|g| g.name == w.key) {
                        Some(group) => Weighs::Group(group),
                        None => {
                            let names = ActionKind::ALL
                                .iter()
                                .map(|k| k.as_str())
                                .chain(groups.iter().map(|g| g.name.as_str()));
                            file.unknown(w.key_at, "kind of action or group", &w.key, names);
                            continue;
                        }
                    },
                };
                match float(file, &w.node, "a weight is a number") {
                    Some(weight) if weight >= 0.0 => out.push(ContextWeight {
                        dimension,
                        value: value.key.clone(),
                        applies_to,
                        weight,
                    }),
                    Some(_) => file.report(w.node.at, "a weight is 0 or more"),
                    None => {}
                }
            }
        }
    }
    out
}

fn actions(file: &mut Checker, entry: Option<&Entry>, groups: &[Group]) -> Vec<Action> {
    let Some(entry) = entry else {
        file.report(0, "the catalog has no [[action]]");
        return vec![];
    };
    let Some(list) = file.list(&entry.node, "write actions as [[action]] tables") else {
        return vec![];
    };
    let mut out: Vec<Action> = Vec::new();
    for node in list {
        let Some(table) = file.table(node, "an action is a table") else {
            continue;
        };
        if let Some(action) = action(file, node.at, table, groups) {
            let clash = out.iter().find(|a| {
                let mine = std::iter::once(&action.code).chain(&action.aliases);
                mine.clone().any(|c| *c == a.code || a.aliases.contains(c))
            });
            match clash {
                Some(other) => file.report(
                    node.at,
                    format!(
                        "`{}` is already the code or alias of `{}`",
                        action.code, other.code
                    ),
                ),
                None => out.push(action),
            }
        }
    }
    out
}

fn action(file: &mut Checker, at: usize, table: &Table, groups: &[Group]) -> Option<Action> {
    fields(file, table, "action field", &ACTION);
    let need = |file: &mut Checker, key: &str| {
        let found = table.get(key);
        if found.is_none() {
            file.report(at, format!("the action needs `{key}`"));
        }
        found
    };
    let code = need(file, "code").and_then(|e| file.text(&e.node, "a code is text"));
    let code = code.filter(|c| {
        let ok = !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !ok {
            file.report(
                at,
                format!("code `{c}`: lower-case letters, digits and _ only"),
            );
        }
        ok
    })?;
    let name = need(file, "name").and_then(|e| file.text(&e.node, "a name is text"));
    let kind = need(file, "kind").and_then(|e| {
        let text = file.text(&e.node, "a kind is text")?;
        let kind = ActionKind::parse(text);
        if kind.is_none() {
            file.unknown(
                e.node.at,
                "kind",
                text,
                ActionKind::ALL.iter().map(|k| k.as_str()),
            );
        }
        kind
    });
    let opens = need(file, "opens").and_then(|e| {
        let text = file.text(&e.node, "opens is text")?;
        let opens = Opens::parse(text);
        if opens.is_none() {
            file.unknown(
                e.node.at,
                "opens",
                text,
                Opens::ALL.iter().map(|o| o.as_str()),
            );
        }
        opens
    });
    let group = need(file, "group").and_then(|e| {
        let text = file.text(&e.node, "a group is text")?;
        let found = groups.iter().position(|g| g.name == text);
        if found.is_none() {
            file.unknown(
                e.node.at,
                "group",
                text,
                groups.iter().map(|g| g.name.as_str()),
            );
        }
        found
    });
    let value = need(file, "value").and_then(|e| {
        let text = match &e.node.value {
            Value::Str(t) => t.clone(),
            Value::Int(n) => n.to_string(),
            _ => {
                file.report(e.node.at, "a value is a number or an expression in quotes");
                return None;
            }
        };
        let expr = Expr::parse(&text)
            .map_err(|m| file.report(e.node.at, m))
            .ok()?;
        Some((expr, text))
    });
    let prior =
        need(file, "prior").and_then(|e| match float(file, &e.node, "a prior is a number") {
            Some(p) if p > 0.0 && p < 1.0 => Some(p),
            Some(_) => {
                file.report(e.node.at, "a prior is between 0 and 1");
                None
            }
            None => None,
        });
    let texts = |file: &mut Checker, key: &str| -> Vec<(String, usize)> {
        let Some(e) = table.get(key) else {
            return vec![];
        };
        let Some(items) = file.list(&e.node, &format!("{key} is a list of strings")) else {
            return vec![];
        };
        items
            .iter()
            .filter_map(|n| file.text(n, "a string").map(|t| (t.to_string(), n.at)))
            .collect()
    };
    let conditions = |file: &mut Checker, key: &str| -> Vec<Condition> {
        texts(file, key)
            .into_iter()
            .filter_map(|(t, at)| Condition::parse(&t).map_err(|m| file.report(at, m)).ok())
            .collect()
    };
    let when = conditions(file, "when");
    let when_any = conditions(file, "when_any");
    let reasons = texts(file, "reasons")
        .into_iter()
        .filter_map(|(t, at)| Template::parse(&t).map_err(|m| file.report(at, m)).ok())
        .collect();
    let aliases = texts(file, "aliases").into_iter().map(|(t, _)| t).collect();
    let text_of = |file: &mut Checker, key: &str| {
        table.get(key).and_then(|e| {
            file.text(&e.node, &format!("{key} is text"))
                .map(|t| (t.to_string(), e.node.at))
        })
    };
    let value_means = text_of(file, "value_means")
        .map(|(t, _)| t)
        .unwrap_or_default();
    let fee = text_of(file, "fee").and_then(|(t, at)| {
        let kind = FeeKind::ALL.iter().copied().find(|k| k.as_str() == t);
        if kind.is_none() {
            file.unknown(at, "fee kind", &t, FeeKind::ALL.iter().map(|k| k.as_str()));
        }
        kind
    });
    let disposition = text_of(file, "disposition");
    let target = text_of(file, "target");
    let lever = match table.get("lever") {
        Some(e) => float(file, &e.node, "a lever is a number").unwrap_or(1.0),
        None => 1.0,
    };
    let outbound = table
        .get("outbound")
        .and_then(|e| boolean(file, &e.node, "true or false"))
        .unwrap_or(false);
    let opens = opens?;
    let missing = match opens {
        Opens::Waiver if fee.is_none() => Some("fee"),
        Opens::Offer if disposition.is_none() => Some("disposition"),
        Opens::Escalation | Opens::Transfer if target.is_none() => Some("target"),
        _ => None,
    };
    if let Some(key) = missing {
        file.report(
            at,
            format!("an action that opens `{}` needs `{key}`", opens.as_str()),
        );
        return None;
    }
    let disposition_at = disposition.as_ref().map(|(_, at)| file.line_col(*at));
    let target_at = target.as_ref().map(|(_, at)| file.line_col(*at));
    Some(Action {
        code: code.to_string(),
        aliases,
        name: name?.to_string(),
        kind: kind?,
        opens,
        group: group?,
        when,
        when_any,
        value: value.as_ref()?.0.clone(),
        value_text: value?.1,
        value_means,
        prior: prior?,
        lever,
        reasons,
        fee,
        disposition: disposition.map(|(d, _)| d),
        target: target.map(|(t, _)| t),
        outbound,
        disposition_at,
        target_at,
    })
}
