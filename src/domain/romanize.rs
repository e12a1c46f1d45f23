//! ASCII spellings of names and text: pinyin (the `pinyin` crate) for Chinese
//! characters, deunicode's transliteration for every other script. The server
//! indexes names under them (so `wang xiuying` and `wxy` find 王秀英) and the
//! desk shows them on terminals without UTF-8 (`Inés` → `Ines`).

use pinyin::ToPinyin;

/// `text` in ASCII. A run of Chinese characters reads as a name, family name
/// apart: `王秀英` → `Wang Xiuying`; runs longer than a name read syllable by
/// syllable. Other letters are transliterated (`Jesús` → `Jesus`,
/// `Zoë` → `Zoe`); a character with no known spelling becomes `?`.
pub fn to_ascii(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<&'static str> = Vec::new();
    for c in text.chars() {
        if let Some(syllable) = pinyin_of(c) {
            run.push(syllable);
            continue;
        }
        if !run.is_empty() {
            push_word(&mut out, &han_run_as_name(&run));
            run.clear();
            if c.is_alphanumeric() {
                out.push(' ');
            }
        }
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(deunicode::deunicode_char(c).map_or("?", str::trim));
        }
    }
    if !run.is_empty() {
        push_word(&mut out, &han_run_as_name(&run));
    }
    out
}

/// The pinyin syllables (lower case, no tones) of each run of Chinese
/// characters in `text`: `王秀英 Li` → `[["wang", "xiu", "ying"]]`.
pub fn han_runs(text: &str) -> Vec<Vec<&'static str>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for c in text.chars() {
        match pinyin_of(c) {
            Some(syllable) => run.push(syllable),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Longest run of Chinese characters still read as a personal name (family
/// name, then a given name of one or two syllables).
const NAME_SYLLABLES: usize = 3;

fn pinyin_of(c: char) -> Option<&'static str> {
    c.to_pinyin().map(|p| p.plain())
}

/// `["wang", "xiu", "ying"]` → `Wang Xiuying`; a longer run →
/// `Ke hu yao qiu`, one word per syllable.
fn han_run_as_name(run: &[&str]) -> String {
    match run {
        [] => String::new(),
        [family, given @ ..] if run.len() <= NAME_SYLLABLES => {
            let given = capitalised(&given.concat());
            if given.is_empty() {
                capitalised(family)
            } else {
                format!("{} {given}", capitalised(family))
            }
        }
        [first, rest @ ..] => std::iter::once(capitalised(first))
            .chain(rest.iter().map(|s| s.to_string()))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Appends `word`, with a space first when it would otherwise run into a
/// preceding letter or digit.
fn push_word(out: &mut String, word: &str) {
    if out.chars().last().is_some_and(char::is_alphanumeric) {
        out.push(' ');
    }
    out.push_str(word);
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_latin_letters_lose_their_accents() {
        assert_eq!(to_ascii("Inés"), "Ines");
        assert_eq!(to_ascii("Jesús"), "Jesus");
        assert_eq!(to_ascii("Zoë Müller-Łukasz"), "Zoe Muller-Lukasz");
        assert_eq!(to_ascii("plain ascii"), "plain ascii");
    }

    #[test]
    fn chinese_names_read_as_pinyin_family_name_apart() {
        assert_eq!(to_ascii("王秀英"), "Wang Xiuying");
        assert_eq!(to_ascii("李伟"), "Li Wei");
        assert_eq!(to_ascii("王"), "Wang");
        assert_eq!(to_ascii("Call 王秀英 back"), "Call Wang Xiuying back");
        assert_eq!(to_ascii("王秀英2"), "Wang Xiuying 2");
        assert_eq!(to_ascii("客户要求退款"), "Ke hu yao qiu tui kuan");
    }

    #[test]
    fn other_scripts_are_spelt_out_never_question_marks() {
        for text in ["Иван Петров", "Γιώργος", "محمد العلي", "Nguyễn Thị Minh"]
        {
            let ascii = to_ascii(text);
            assert!(ascii.is_ascii() && !ascii.contains('?'), "{text} → {ascii}");
        }
        assert_eq!(to_ascii("Иван"), "Ivan");
        assert_eq!(to_ascii("Zoë 🚀 Starr"), "Zoe rocket Starr");
    }

    #[test]
    fn han_runs_are_lower_case_syllables() {
        assert_eq!(han_runs("王秀英"), [["wang", "xiu", "ying"]]);
        assert_eq!(
            han_runs("李伟 and 张芳"),
            [vec!["li", "wei"], vec!["zhang", "fang"]]
        );
        assert!(han_runs("Maria").is_empty());
    }
}
