//! Value models: a number of minor units, or an arithmetic expression over
//! numeric facts (`lifetime_value * churn_risk * 0.15`) with `+ - * /` and
//! brackets. Checked when the catalog loads; a fact without a value makes
//! the value unknown, and a division by zero gives nothing.

use super::facts::{FactId, FactType, Facts};

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Fact(FactId),
    Binary(Box<Expr>, char, Box<Expr>),
    Negate(Box<Expr>),
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, String> {
        let tokens = tokens(text)?;
        let mut parser = Parser { tokens, at: 0 };
        let expr = parser.sum()?;
        match parser.tokens.get(parser.at) {
            None => Ok(expr),
            Some(t) => Err(format!("unexpected `{}` in `{text}`", t.shown())),
        }
    }

    pub fn eval(&self, facts: &Facts) -> Option<f64> {
        let value = match self {
            Expr::Number(n) => *n,
            Expr::Fact(id) => facts.number(*id)?,
            Expr::Negate(e) => -e.eval(facts)?,
            Expr::Binary(a, op, b) => {
                let (a, b) = (a.eval(facts)?, b.eval(facts)?);
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ if b == 0.0 => return None,
                    _ => a / b,
                }
            }
        };
        value.is_finite().then_some(value)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Name(String),
    Symbol(char),
}

impl Token {
    fn shown(&self) -> String {
        match self {
            Token::Number(n) => n.to_string(),
            Token::Name(n) => n.clone(),
            Token::Symbol(c) => c.to_string(),
        }
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if "+-*/()".contains(c) {
            out.push(Token::Symbol(c));
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let n = word
                .parse()
                .map_err(|_| format!("`{word}` is not a number"))?;
            out.push(Token::Number(n));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            return Err(format!(
                "`{c}` has no place in a value (use + - * / and brackets)"
            ));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next_is(&self, symbols: &str) -> Option<char> {
        match self.tokens.get(self.at) {
            Some(Token::Symbol(c)) if symbols.contains(*c) => Some(*c),
            _ => None,
        }
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut left = self.product()?;
        while let Some(op) = self.next_is("+-") {
            self.at += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.product()?));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut left = self.atom()?;
        while let Some(op) = self.next_is("*/") {
            self.at += 1;
            left = Expr::Binary(Box::new(left), op, Box::new(self.atom()?));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        match token {
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Name(name)) => {
                let known = super::facts::FACTS
                    .iter()
                    .filter(|(_, t, _)| *t != FactType::Text)
                    .map(|(n, _, _)| *n);
                match FactId::named(&name).filter(|id| id.kind() != FactType::Text) {
                    Some(id) => Ok(Expr::Fact(id)),
                    None => Err(crate::configfile::unknown("numeric fact", &name, known)),
                }
            }
            Some(Token::Symbol('-')) => Ok(Expr::Negate(Box::new(self.atom()?))),
            Some(Token::Symbol('(')) => {
                let inner = self.sum()?;
                match self.next_is(")") {
                    Some(_) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    None => Err("a bracket is not closed".into()),
                }
            }
            Some(t) => Err(format!("unexpected `{}`", t.shown())),
            None => Err("the value ends too soon".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::decide::facts::FactValue;

    #[test]
    fn values_compute_over_facts_with_the_usual_precedence() {
        let f = Facts::from_pairs([
            ("lifetime_value", FactValue::Number(100_000.0)),
            ("churn_risk", FactValue::Number(0.5)),
        ]);
        let v = |t: &str| Expr::parse(t).expect(t).eval(&f);
        assert_eq!(v("lifetime_value * churn_risk * 0.15"), Some(7_500.0));
        assert_eq!(v("1000 + 2 * (3 - 1)"), Some(1_004.0));
        assert_eq!(v("-churn_risk + 1"), Some(0.5));
        assert_eq!(v("lifetime_value / 0"), None, "no value, not infinity");
        assert_eq!(v("late_fee_outstanding"), None, "the fact has no value");
        assert!(Expr::parse("lifetime_valu * 2").is_err());
        assert!(Expr::parse("segment * 2")
            .unwrap_err()
            .contains("numeric fact"));
        assert!(Expr::parse("(1 + 2").unwrap_err().contains("not closed"));
    }
}
