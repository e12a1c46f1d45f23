//! Phone numbers to E.164 (`+14155550134`), from the ways people and phone systems
//! write them: `+1 (415) 555-0134`, `415.555.0134`, `0044 20 7946 0018`,
//! `+44 (0)20 7946 0018`, `011 44 20 …`. National numbers take the default country.
//!
//! Deliberately not the `phonenumber` crate (libphonenumber's metadata): weighed
//! for issue 11, it read `0014155550134`, `0044 …` and `+44 (0)20 …` differently
//! from callers and phone systems, turned `415-CALL-NOW` into digits, and with
//! NANP as the default country dropped a digit from `+33 1 42 68 53 00`; it also
//! costs ~150 ms to load on first use and 16 more crates to build. What it knows
//! and this does not: national numbers of countries whose trunk prefix is not a
//! lone `0` (Italy keeps its `0`, Russia dials `8`).

/// Why a phone number could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("`{0}` contains characters that are not part of a phone number")]
    BadCharacter(String),
    #[error("`{0}` has too few or too many digits for a phone number")]
    BadLength(String),
}

/// Converts `input` to E.164, reading national numbers as belonging to the country
/// with calling code `default_cc` (e.g. "1" for NANP, "44" for the UK).
pub fn to_e164(input: &str, default_cc: &str) -> Result<String, PhoneError> {
    let trimmed = input.trim();
    // "+44 (0)20…": the bracketed trunk zero is dropped when dialling from abroad.
    let without_trunk = trimmed.replace("(0)", "");
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for (i, c) in without_trunk.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return Err(PhoneError::BadCharacter(clip(trimmed))),
        }
    }
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if default_cc == "1" {
        match digits.strip_prefix("011") {
            Some(rest) => rest.to_string(),
            None if digits.len() == 10 => format!("1{digits}"),
            None if digits.len() == 11 && digits.starts_with('1') => digits,
            None => return Err(PhoneError::BadLength(clip(trimmed))),
        }
    } else {
        match digits.strip_prefix('0') {
            Some(national) => format!("{default_cc}{national}"),
            None => format!("{default_cc}{digits}"),
        }
    };
    if !(8..=15).contains(&international.len()) || international.starts_with('0') {
        return Err(PhoneError::BadLength(clip(trimmed)));
    }
    Ok(format!("+{international}"))
}

/// True when `input` looks like someone typed a phone number (mostly digits).
pub fn looks_like_phone(input: &str) -> bool {
    let digits = input.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && input
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
}

fn clip(s: &str) -> String {
    super::text::clip(s, 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formats_reach_the_same_number() {
        for written in [
            "+1 (415) 555-0134",
            "415.555.0134",
            "(415) 555 0134",
            "1-415-555-0134",
            "+14155550134",
            "0014155550134",
        ] {
            assert_eq!(to_e164(written, "1").unwrap(), "+14155550134", "{written}");
        }
        for written in [
            "0044 20 7946 0018",
            "+44 (0)20 7946 0018",
            "+44 20 7946 0018",
            "011 44 20 7946 0018",
        ] {
            assert_eq!(to_e164(written, "1").unwrap(), "+442079460018", "{written}");
        }
        assert_eq!(to_e164("020 7946 0018", "44").unwrap(), "+442079460018");
    }

    #[test]
    fn international_numbers_keep_every_digit_whatever_the_default_country() {
        for (written, e164) in [
            ("+33 1 42 68 53 00", "+33142685300"),
            ("0033 1 42 68 53 00", "+33142685300"),
            ("+39 06 1234 5678", "+390612345678"),
            ("+7 495 123-45-67", "+74951234567"),
            ("+61 2 9876 5432", "+61298765432"),
        ] {
            for default_cc in ["1", "44"] {
                assert_eq!(to_e164(written, default_cc).unwrap(), e164, "{written}");
            }
        }
        assert_eq!(to_e164("01 42 68 53 00", "33").unwrap(), "+33142685300");
        assert_eq!(to_e164("030 1234567", "49").unwrap(), "+49301234567");
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert!(matches!(
            to_e164("415-CALL-NOW", "1"),
            Err(PhoneError::BadCharacter(_))
        ));
        assert!(matches!(
            to_e164("12345", "1"),
            Err(PhoneError::BadLength(_))
        ));
        assert!(matches!(
            to_e164("+1234567890123456", "1"),
            Err(PhoneError::BadLength(_))
        ));
        assert!(matches!(
            to_e164("1+2", "1"),
            Err(PhoneError::BadCharacter(_))
        ));
        assert!(looks_like_phone("(415) 555-01"));
        assert!(!looks_like_phone("415 555"));
        assert!(!looks_like_phone("ann 415 555"));
    }
}
