//! The catalog's condition language: `fact op value`, joined by `and`, with
//! op one of `== != < <= > >=` or `in [a, b]`. Declarative and checked when
//! the catalog loads (known facts, operators that fit the fact's type); no
//! scripting. A condition over a fact the customer has no value for is false.

use super::facts::{FactId, FactType, FactValue, Facts};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

impl Op {
    fn text(&self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::In => "in",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(f64),
    Bool(bool),
    Text(String),
    List(Vec<Literal>),
}

impl Literal {
    fn shown(&self) -> String {
        match self {
            Literal::Number(n) => format_number(*n),
            Literal::Bool(b) => b.to_string(),
            Literal::Text(t) => t.clone(),
            Literal::List(items) => {
                let items: Vec<String> = items.iter().map(Literal::shown).collect();
                format!("[{}]", items.join(", "))
            }
        }
    }
}

/// One comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    pub fact: FactId,
    pub op: Op,
    pub value: Literal,
}

/// Comparisons that must all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub tests: Vec<Test>,
}

impl Condition {
    /// Reads `text`; the error says what is wrong, for the loader to place.
    pub fn parse(text: &str) -> Result<Condition, String> {
        let tests = text
            .split(" and ")
            .map(|part| Test::parse(part.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        if tests.is_empty() {
            return Err("an empty condition".into());
        }
        Ok(Condition { tests })
    }

    pub fn holds(&self, facts: &Facts) -> bool {
        self.tests.iter().all(|t| t.holds(facts))
    }

    /// The first test that fails, in words with the customer's value.
    pub fn why_not(&self, facts: &Facts) -> Option<String> {
        let failed = self.tests.iter().find(|t| !t.holds(facts))?;
        let actual = match facts.get(failed.fact) {
            Some(FactValue::Number(n)) => format!("it is {}", format_number(*n)),
            Some(FactValue::Bool(b)) => format!("it is {b}"),
            Some(FactValue::Text(t)) => format!("it is {t}"),
            None => "it does not apply".to_string(),
        };
        Some(format!("needs {}; {actual}", failed.words()))
    }

    /// The condition as written, for people.
    pub fn words(&self) -> String {
        let parts: Vec<String> = self.tests.iter().map(Test::words).collect();
        parts.join(" and ")
    }
}

impl Test {
    fn parse(text: &str) -> Result<Test, String> {
        let mut words = text.splitn(3, ' ');
        let (Some(name), Some(op), Some(value)) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "`{text}` is not `fact op value` (op is one of == != < <= > >= in)"
            ));
        };
        let fact = FactId::named(name).ok_or_else(|| {
            let known = super::facts::FACTS.iter().map(|(n, _, _)| *n);
            crate::configfile::unknown("fact", name, known)
        })?;
        let op = match op {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "in" => Op::In,
            other => {
                return Err(format!(
                    "unknown operator `{other}` (use == != < <= > >= or in)"
                ))
            }
        };
        let value = literal(value.trim())?;
        let test = Test { fact, op, value };
        test.check()?;
        Ok(test)
    }

    /// Whether the operator and value fit the fact's type.
    fn check(&self) -> Result<(), String> {
        let kind = self.fact.kind();
        let name = self.fact.name();
        let fits = |v: &Literal| {
            matches!(
                (kind, v),
                (FactType::Number, Literal::Number(_))
                    | (FactType::Bool, Literal::Bool(_))
                    | (FactType::Text, Literal::Text(_))
            )
        };
        let ok = match (&self.op, &self.value) {
            (Op::In, Literal::List(items)) => items.iter().all(fits),
            (Op::In, _) => return Err(format!("`in` takes a list: `{name} in [a, b]`")),
            (Op::Eq | Op::Ne, v) => fits(v),
            (_, v) => kind == FactType::Number && fits(v),
        };
        match ok {
            true => Ok(()),
            false => Err(format!(
                "`{}` does not fit `{name}`, which is a {}",
                self.words(),
                match kind {
                    FactType::Number => "number",
                    FactType::Bool => "true or false",
                    FactType::Text => "word",
                }
            )),
        }
    }

    fn holds(&self, facts: &Facts) -> bool {
        let Some(actual) = facts.get(self.fact) else {
            return false;
        };
        match (&self.op, &self.value) {
            (Op::In, Literal::List(items)) => items.iter().any(|v| equal(actual, v)),
            (Op::Eq, v) => equal(actual, v),
            (Op::Ne, v) => !equal(actual, v),
            (op, Literal::Number(want)) => {
                let FactValue::Number(have) = actual else {
                    return false;
                };
                match op {
                    Op::Lt => have < want,
                    Op::Le => have <= want,
                    Op::Gt => have > want,
                    Op::Ge => have >= want,
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn words(&self) -> String {
        format!(
            "{} {} {}",
            self.fact.name(),
            self.op.text(),
            self.value.shown()
        )
    }
}

fn equal(actual: &FactValue, want: &Literal) -> bool {
    match (actual, want) {
        (FactValue::Number(a), Literal::Number(b)) => (a - b).abs() < 1e-9,
        (FactValue::Bool(a), Literal::Bool(b)) => a == b,
        (FactValue::Text(a), Literal::Text(b)) => a == b,
        _ => false,
    }
}

fn literal(text: &str) -> Result<Literal, String> {
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| format!("`{text}`: a list ends with ]"))?;
        let items = inner
            .split(',')
            .map(|item| literal(item.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Literal::List(items));
    }
    Ok(match text {
        "true" => Literal::Bool(true),
        "false" => Literal::Bool(false),
        _ => match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Literal::Number(n),
            _ if !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_.-".contains(c)) =>
            {
                Literal::Text(text.to_string())
            }
            _ => return Err(format!("`{text}` is not a number, true, false or a word")),
        },
    })
}

/// A number as people write it: no `.0` on whole numbers.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::from_pairs([
            ("segment", FactValue::Text("gold".into())),
            ("tenure_months", FactValue::Number(30.0)),
            ("autopay", FactValue::Bool(false)),
        ])
    }

    #[test]
    fn conditions_compare_facts_and_absent_facts_are_false() {
        let f = facts();
        let holds = |t: &str| Condition::parse(t).expect(t).holds(&f);
        assert!(holds("segment in [gold, premier]"));
        assert!(!holds("segment == premier"));
        assert!(holds("tenure_months >= 24 and autopay == false"));
        assert!(!holds("tenure_months < 24"));
        assert!(!holds("days_since_moved <= 60"), "never moved: false");
        assert!(!holds("days_since_moved > 60"), "never moved: also false");
        let why = Condition::parse("tenure_months >= 36")
            .expect("ok")
            .why_not(&f);
        assert_eq!(why.as_deref(), Some("needs tenure_months >= 36; it is 30"));
    }

    #[test]
    fn mistakes_are_named() {
        let err = |t: &str| Condition::parse(t).expect_err(t);
        assert_eq!(
            err("tenure_month >= 6"),
            "unknown fact `tenure_month` (did you mean `tenure_months`?)"
        );
        assert!(err("segment > gold").contains("does not fit `segment`"));
        assert!(err("tenure_months => 6").contains("unknown operator `=>`"));
        assert!(err("tenure_months in 6").contains("`in` takes a list"));
        assert!(err("segment").contains("is not `fact op value`"));
    }
}
