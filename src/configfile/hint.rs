//! The one "did you mean" of every settings file: when a name is not one of
//! the names allowed there, the closest allowed name is suggested, or, when
//! there are only a few, all of them are listed.

/// How many allowed names are listed outright when none is close.
const LIST_AT_MOST: usize = 5;

/// "unknown {what} `{got}`" with the [`hint`], e.g.
/// "unknown action `quitt` (did you mean `quit`?)".
pub fn unknown<'a>(what: &str, got: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    format!("unknown {what} `{got}`{}", hint(got, known))
}

/// " (did you mean `x`?)" when one known name is close to `got`, else
/// " (use a, b or c)" when there are no more than five, else "".
pub fn hint<'a>(got: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.into_iter().collect();
    match closest(got, &known) {
        Some(name) => format!(" (did you mean `{name}`?)"),
        None if known.len() <= LIST_AT_MOST && !known.is_empty() => {
            format!(" (use {})", or_list(&known))
        }
        None => String::new(),
    }
}

/// The known name fewest edits from `got`, ignoring case, if it is within a
/// third of `got`'s length (at least one edit). An edit is an insertion, a
/// deletion, a substitution or a swap of two neighbours, so `blod` is one
/// edit from `bold`.
fn closest<'a>(got: &str, known: &[&'a str]) -> Option<&'a str> {
    let got = got.to_lowercase();
    let limit = (got.chars().count() / 3).max(1);
    known
        .iter()
        .map(|name| (strsim::osa_distance(&got, &name.to_lowercase()), *name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [&str; 7] = ["quit", "help", "search", "expand", "back", "next", "prev"];

    #[test]
    fn a_close_name_is_suggested() {
        let cases = [
            ("quitt", "quit"),
            ("qiut", "quit"),
            ("expnd", "expand"),
            ("Serch", "search"),
        ];
        for (got, meant) in cases {
            let expected = format!("unknown action `{got}` (did you mean `{meant}`?)");
            assert_eq!(unknown("action", got, ACTIONS), expected);
        }
    }

    #[test]
    fn a_far_name_gets_the_list_when_it_is_short_and_nothing_when_it_is_long() {
        assert_eq!(
            unknown("action", "frobnicate", ACTIONS),
            "unknown action `frobnicate`"
        );
        assert_eq!(
            unknown("modifier", "shiny", ["bold", "dim", "italic"]),
            "unknown modifier `shiny` (use bold, dim or italic)"
        );
        assert_eq!(hint("x", ["vim"]), " (use vim)");
        assert_eq!(hint("x", []), "");
    }

    #[test]
    fn the_limit_grows_with_the_word() {
        // Two edits are too many for a four-letter word, not for an eight-letter one.
        assert_eq!(hint("qxyt", ["quit", "a", "b", "c", "d", "e"]), "");
        assert_eq!(
            hint("costumer", ACTIONS.iter().copied().chain(["customer"])),
            " (did you mean `customer`?)"
        );
    }
}
