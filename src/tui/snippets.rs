//! Note snippets from the config, such as
//! `"Called {customer.first_name} about {disposition}."`: placeholders are
//! filled from a `Context` the caller builds; `{{` and `}}` are literal
//! braces. Unknown placeholders stay in the text as written and are reported,
//! so config validation can name them. Pure: nothing here does I/O.

/// What the placeholders are filled with. Empty fields expand to nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    pub customer_name: String,
    pub customer_account: String,
    pub customer_phone: String,
    pub agent_name: String,
    /// Today's date, already formatted for the agent.
    pub today: String,
    pub disposition: String,
}

/// An expanded snippet and the unknown placeholder names in it, each once,
/// in the order they first appear.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expanded {
    pub text: String,
    pub unknown: Vec<String>,
}

/// A piece of a template: literal text, or a `{name}` placeholder with the
/// text it was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Placeholder { name: &'a str, raw: &'a str },
}

/// Fills the placeholders of `template` from `ctx`. Unknown placeholders
/// are kept verbatim and listed; an unclosed `{` is literal text.
pub fn expand(template: &str, ctx: &Context) -> Expanded {
    let mut out = Expanded::default();
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.text.push_str(text),
            Piece::Placeholder { name, raw } => match lookup(name, ctx) {
                Some(value) => out.text.push_str(&value),
                None => {
                    out.text.push_str(raw);
                    note_unknown(&mut out.unknown, name.trim());
                }
            },
        }
    }
    out
}

/// The unknown placeholder names in `template`, each once, for config
/// validation.
pub fn check(template: &str) -> Vec<String> {
    expand(template, &Context::default()).unknown
}

/// The value of placeholder `name`, or None when it is not one we know.
/// Surrounding spaces inside the braces are allowed.
fn lookup(name: &str, ctx: &Context) -> Option<String> {
    let value = match name.trim() {
        "customer.name" => ctx.customer_name.trim().to_string(),
        "customer.first_name" => first_name(&ctx.customer_name),
        "customer.account" => ctx.customer_account.clone(),
        "customer.phone" => ctx.customer_phone.clone(),
        "agent.name" => ctx.agent_name.trim().to_string(),
        "agent.first_name" => first_name(&ctx.agent_name),
        "today" => ctx.today.clone(),
        "disposition" => ctx.disposition.clone(),
        _ => return None,
    };
    Some(value)
}

/// The name to address someone by: the first word of the name, or the
/// whole name when it is written in a CJK script, where the family name
/// comes first and there is often no space.
fn first_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(is_cjk) {
        return name.to_string();
    }
    name.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Han ideographs, kana and Hangul.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'      // Hangul Jamo
        | '\u{3040}'..='\u{30FF}'    // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}'    // Hangul compatibility Jamo
        | '\u{3400}'..='\u{4DBF}'    // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'    // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'    // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}') // CJK extensions B to G
}

fn note_unknown(unknown: &mut Vec<String>, name: &str) {
    if !unknown.iter().any(|u| u == name) {
        unknown.push(name.to_string());
    }
}

/// Splits a template into literal text and placeholders.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let (piece, len) = next_piece(rest);
        out.push(piece);
        rest = rest.get(len..).unwrap_or_default();
    }
    out
}

/// The piece at the start of a non-empty `s` and its length in bytes.
fn next_piece(s: &str) -> (Piece<'_>, usize) {
    if s.starts_with("{{") {
        return (Piece::Text("{"), 2);
    }
    if s.starts_with("}}") {
        return (Piece::Text("}"), 2);
    }
    if s.starts_with('{') {
        return placeholder(s).unwrap_or((Piece::Text("{"), 1));
    }
    if s.starts_with('}') {
        return (Piece::Text("}"), 1);
    }
    let end = s.find(['{', '}']).unwrap_or(s.len());
    (Piece::Text(s.get(..end).unwrap_or(s)), end.max(1))
}

/// A `{name}` placeholder at the start of `s`, if the `{` is closed before
/// another `{` opens.
fn placeholder(s: &str) -> Option<(Piece<'_>, usize)> {
    let inner = s.get(1..)?;
    let close = inner.find(['{', '}'])?;
    if !inner.get(close..)?.starts_with('}') {
        return None;
    }
    let len = close + 2;
    let piece = Piece::Placeholder {
        name: inner.get(..close)?,
        raw: s.get(..len)?,
    };
    Some((piece, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            customer_name: "Ana Lima".into(),
            customer_account: "AC-1042".into(),
            customer_phone: "+15551234567".into(),
            agent_name: "Alex Kim".into(),
            today: "2026-11-22".into(),
            disposition: "Billing question".into(),
        }
    }

    fn text(template: &str) -> String {
        expand(template, &ctx()).text
    }

    fn first(name: &str) -> String {
        let ctx = Context {
            customer_name: name.into(),
            ..Context::default()
        };
        expand("{customer.first_name}", &ctx).text
    }

    #[test]
    fn each_placeholder() {
        assert_eq!(text("{customer.name}"), "Ana Lima");
        assert_eq!(text("{customer.first_name}"), "Ana");
        assert_eq!(text("{customer.account}"), "AC-1042");
        assert_eq!(text("{customer.phone}"), "+15551234567");
        assert_eq!(text("{agent.name}"), "Alex Kim");
        assert_eq!(text("{agent.first_name}"), "Alex");
        assert_eq!(text("{today}"), "2026-11-22");
        assert_eq!(text("{disposition}"), "Billing question");
    }

    #[test]
    fn a_whole_snippet() {
        let out = expand(
            "Called {customer.first_name} ({customer.account}) on {today} about {disposition}.",
            &ctx(),
        );
        assert_eq!(
            out.text,
            "Called Ana (AC-1042) on 2026-11-22 about Billing question."
        );
        assert!(out.unknown.is_empty());
    }

    #[test]
    fn spaces_inside_braces_are_allowed() {
        assert_eq!(text("{ customer.name }"), "Ana Lima");
    }

    #[test]
    fn first_name_rules() {
        assert_eq!(first("王秀英"), "王秀英");
        assert_eq!(first("王 秀英"), "王 秀英");
        assert_eq!(first("김민준"), "김민준");
        assert_eq!(first("Zoë Müller"), "Zoë");
        assert_eq!(first("   Ana  Lima "), "Ana");
        assert_eq!(first("Madonna"), "Madonna");
        assert_eq!(first("   "), "");
        assert_eq!(first(""), "");
    }

    #[test]
    fn names_are_trimmed() {
        let ctx = Context {
            customer_name: "  Zoë Müller ".into(),
            ..Context::default()
        };
        assert_eq!(expand("[{customer.name}]", &ctx).text, "[Zoë Müller]");
    }

    #[test]
    fn unknown_kept_and_reported_once() {
        let out = expand("Hi {customer.nickname}, {topic} and {topic}{}", &ctx());
        assert_eq!(out.text, "Hi {customer.nickname}, {topic} and {topic}{}");
        assert_eq!(out.unknown, vec!["customer.nickname", "topic", ""]);
    }

    #[test]
    fn check_lists_unknown_names() {
        assert_eq!(check("{customer.name} {topic} {{x}}"), vec!["topic"]);
        assert!(check("{today}: {disposition}").is_empty());
    }

    #[test]
    fn escapes_are_literal_braces() {
        assert_eq!(text("{{customer.name}}"), "{customer.name}");
        assert_eq!(text("{{{customer.first_name}}}"), "{Ana}");
        assert_eq!(text("a }} b {{ c"), "a } b { c");
        assert_eq!(text("a } b"), "a } b");
    }

    #[test]
    fn unclosed_brace_is_literal() {
        let out = expand("Ref {123 for {customer.first_name}", &ctx());
        assert_eq!(out.text, "Ref {123 for Ana");
        assert!(out.unknown.is_empty());
        assert_eq!(text("trailing {"), "trailing {");
        assert_eq!(text("{today"), "{today");
    }

    #[test]
    fn values_are_not_expanded_again() {
        let ctx = Context {
            customer_name: "{today} }} {{".into(),
            today: "2026-11-22".into(),
            ..Context::default()
        };
        assert_eq!(expand("{customer.name}", &ctx).text, "{today} }} {{");
    }

    #[test]
    fn empty_template_and_empty_values() {
        assert_eq!(expand("", &ctx()), Expanded::default());
        assert!(check("").is_empty());
        let out = expand("[{customer.phone}]", &Context::default());
        assert_eq!(out.text, "[]");
        assert!(out.unknown.is_empty());
    }

    #[test]
    fn multibyte_text_around_placeholders() {
        assert_eq!(text("Grüße, {customer.first_name} 👋"), "Grüße, Ana 👋");
    }
}
