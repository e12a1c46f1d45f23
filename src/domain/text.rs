//! Normalised forms of text used to match people: e-mail addresses compared
//! without case or spaces, and names folded to lower-case ASCII-ish search keys
//! (with their romanizations, so a Chinese name is found by its pinyin).

use super::romanize;
use unicode_normalization::UnicodeNormalization;

/// At most `max` characters of user input, for quoting it in a message.
pub fn clip(input: &str, max: usize) -> String {
    input.chars().take(max).collect()
}

/// Lower-case hexadecimal, e.g. of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Account numbers are compared in upper case without spaces or dashes.
pub fn normalize_account(account: &str) -> String {
    account
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// `" Ann.Lee @Example.COM "` → `ann.lee@example.com`.
/// Something@something, at most 254 characters: all an address is checked
/// for before mail is sent to it.
pub fn is_plausible_email(email: &str) -> bool {
    matches!(email.split_once('@'), Some((user, domain)) if !user.is_empty() && !domain.is_empty())
        && email.len() <= 254
}

pub fn normalize_email(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A search key: lower-case, accents removed (`José` → `jose`), punctuation as
/// spaces. Letters of other scripts (Chinese, Arabic…) are kept as they are.
pub fn fold_for_search(input: &str) -> String {
    input
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

/// The words of `input`'s search key, as the name is shown (escape sequences
/// in it do not become words).
pub fn search_tokens(input: &str) -> Vec<String> {
    fold_for_search(&super::untrusted::clean_line(input))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Every word a name is found by, sorted and without repeats: the words of
/// its search key, those of its ASCII spelling (`王秀英` → `wang`, `xiuying`;
/// `Иван` → `ivan`), and for each run of Chinese characters its pinyin run
/// together and its initials (`wangxiuying`, `wxy`).
pub fn name_search_words(name: &str) -> Vec<String> {
    let shown = super::untrusted::clean_line(name);
    let mut words = search_tokens(&shown);
    if !shown.is_ascii() {
        words.extend(search_tokens(&romanize::to_ascii(&shown)));
        for run in romanize::han_runs(&shown)
            .into_iter()
            .filter(|r| r.len() > 1)
        {
            words.push(run.concat());
            words.push(run.iter().filter_map(|s| s.chars().next()).collect());
        }
    }
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_ignore_case_and_spaces() {
        assert_eq!(
            normalize_email(" Ann.Lee @Example.COM "),
            "ann.lee@example.com"
        );
    }

    #[test]
    fn names_fold_accents_and_keep_other_scripts() {
        assert_eq!(
            search_tokens("José  Álvarez-Núñez"),
            ["jose", "alvarez", "nunez"]
        );
        assert_eq!(search_tokens("王秀英"), ["王秀英"]);
        assert_eq!(search_tokens("O'Brien"), ["o", "brien"]);
        assert_eq!(
            search_tokens("\u{1b}[31mRed\u{1b}[0m Alert"),
            ["red", "alert"]
        );
    }

    #[test]
    fn names_are_found_by_their_romanizations() {
        assert_eq!(
            name_search_words("王秀英"),
            ["wang", "wangxiuying", "wxy", "xiuying", "王秀英"]
        );
        assert_eq!(name_search_words("José Álvarez"), ["alvarez", "jose"]);
        assert_eq!(name_search_words("Иван"), ["ivan", "иван"]);
    }
}
