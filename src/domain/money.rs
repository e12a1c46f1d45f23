//! Money: an integer count of minor units plus an ISO-4217 currency code. Never a
//! float. Parsing and formatting of decimal amounts ("12.50") lives here too.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO-4217 currency code: three ASCII capital letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, utoipa::ToSchema)]
#[schema(value_type = String, example = "USD", pattern = "^[A-Z]{3}$")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");
    pub const GBP: Currency = Currency(*b"GBP");
    pub const EUR: Currency = Currency(*b"EUR");

    /// Parses a three-letter upper-case code.
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point (ISO-4217 minor unit).
    pub fn exponent(&self) -> u32 {
        match self.as_str() {
            "JPY" | "KRW" | "ISK" | "CLP" | "VND" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
            _ => 2,
        }
    }

    /// The symbol shown before an amount, or the code when there is none we know.
    pub fn symbol(&self) -> Option<&'static str> {
        match self.as_str() {
            "USD" => Some("$"),
            "GBP" => Some("£"),
            "EUR" => Some("€"),
            _ => None,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{}` is not an ISO-4217 currency code (three capital letters)",
                s.chars().take(16).collect::<String>()
            ))
        })
    }
}

/// An amount of money: integer minor units (cents, pence) plus the currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Whole minor units, e.g. 2500 for $25.00. Never fractional.
    pub minor_units: i64,
    pub currency: Currency,
}

/// Why a decimal amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("`{0}` is not an amount (expected digits, e.g. 50 or 12.50)")]
    NotANumber(String),
    #[error("`{0}` has more decimal places than {1} allows ({2})")]
    TooPrecise(String, Currency, u32),
    #[error("`{0}` is too large")]
    TooLarge(String),
    #[error("amounts cannot be negative: `{0}`")]
    Negative(String),
}

impl Money {
    pub fn new(minor_units: i64, currency: Currency) -> Money {
        Money {
            minor_units,
            currency,
        }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// Reads a non-negative decimal amount such as `50`, `50.5` or `1234.56`.
    pub fn parse_decimal(text: &str, currency: Currency) -> Result<Money, MoneyParseError> {
        let text = text.trim();
        if text.starts_with('-') {
            return Err(MoneyParseError::Negative(text.to_string()));
        }
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) {
            return Err(MoneyParseError::NotANumber(text.to_string()));
        }
        let exp = currency.exponent();
        if frac.len() > exp as usize {
            return Err(MoneyParseError::TooPrecise(text.to_string(), currency, exp));
        }
        let too_large = || MoneyParseError::TooLarge(text.to_string());
        let whole: i64 = whole.parse().map_err(|_| too_large())?;
        let frac_units: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse::<i64>().map_err(|_| too_large())? * 10_i64.pow(exp - frac.len() as u32)
        };
        whole
            .checked_mul(10_i64.pow(exp))
            .and_then(|w| w.checked_add(frac_units))
            .map(|minor| Money::new(minor, currency))
            .ok_or_else(too_large)
    }

    /// The amount as a plain decimal, e.g. `-12.50`.
    pub fn decimal(&self) -> String {
        self.decimal_with(false)
    }

    /// `decimal`, optionally with thousands separators: `18,500.00`.
    fn decimal_with(&self, grouped: bool) -> String {
        let exp = self.currency.exponent();
        let sign = if self.minor_units < 0 { "-" } else { "" };
        let abs = self.minor_units.unsigned_abs();
        let scale = 10_u64.pow(exp);
        let whole = (abs / scale).to_string();
        let whole = if grouped {
            group_thousands(&whole)
        } else {
            whole
        };
        if exp == 0 {
            return format!("{sign}{whole}");
        }
        format!(
            "{sign}{whole}.{:0width$}",
            abs % scale,
            width = exp as usize
        )
    }

    /// The total of `amounts`; `None` when there are none, they are in
    /// different currencies, or the sum overflows.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        let mut amounts = amounts.into_iter();
        let first = amounts.next()?;
        amounts.try_fold(first, Money::checked_add)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor_units.checked_add(other.minor_units))
            .flatten()
            .map(|m| Money::new(m, self.currency))
    }
}

/// `1234567` → `1,234,567`.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    /// `$12.50`, `-£1,003.00`, or `12.500 KWD` for currencies without a known symbol.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decimal = self.decimal_with(true);
        match self.currency.symbol() {
            Some(sym) => match decimal.strip_prefix('-') {
                Some(abs) => write!(f, "-{sym}{abs}"),
                None => write!(f, "{sym}{decimal}"),
            },
            None => write!(f, "{decimal} {}", self.currency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_decimal_amounts() {
        let usd = Currency::USD;
        assert_eq!(Money::parse_decimal("50", usd).unwrap().minor_units, 5000);
        assert_eq!(Money::parse_decimal("50.5", usd).unwrap().minor_units, 5050);
        assert_eq!(Money::parse_decimal(" 0.07 ", usd).unwrap().minor_units, 7);
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::parse_decimal("500", jpy).unwrap().minor_units, 500);
        assert!(matches!(
            Money::parse_decimal("5.5", jpy),
            Err(MoneyParseError::TooPrecise(..))
        ));
        assert!(matches!(
            Money::parse_decimal("1.234", usd),
            Err(MoneyParseError::TooPrecise(..))
        ));
        assert!(matches!(
            Money::parse_decimal("-1", usd),
            Err(MoneyParseError::Negative(..))
        ));
        for bad in ["", ".5", "1e3", "12,50", "abc", "1.2.3"] {
            assert!(
                matches!(
                    Money::parse_decimal(bad, usd),
                    Err(MoneyParseError::NotANumber(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            Money::parse_decimal("99999999999999999999", usd),
            Err(MoneyParseError::TooLarge(_))
        ));
        assert_eq!(Money::new(-1250, usd).to_string(), "-$12.50");
        assert_eq!(Money::new(5, Currency::GBP).to_string(), "£0.05");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::new(12500, kwd).to_string(), "12.500 KWD");
        assert_eq!(Money::new(1_850_000, usd).to_string(), "$18,500.00");
        assert_eq!(
            Money::new(-100_000_000, Currency::GBP).to_string(),
            "-£1,000,000.00"
        );
        assert_eq!(Money::new(1_850_000, usd).decimal(), "18500.00");
        assert_eq!(
            Money::sum([Money::new(1, usd), Money::new(2, usd)]),
            Some(Money::new(3, usd))
        );
        assert_eq!(
            Money::sum([Money::new(1, usd), Money::new(2, Currency::EUR)]),
            None
        );
        assert_eq!(Money::sum([]), None);
    }

    #[test]
    fn currency_codes_are_three_capitals() {
        assert!(Currency::parse("usd").is_none());
        assert!(Currency::parse("US").is_none());
        assert!(Currency::parse("USDX").is_none());
        assert_eq!(
            serde_json::from_str::<Money>(r#"{"minor_units":12,"currency":"EUR"}"#).unwrap(),
            Money::new(12, Currency::EUR)
        );
        assert!(serde_json::from_str::<Money>(r#"{"minor_units":1.5,"currency":"EUR"}"#).is_err());
    }
}
