//! Quick log: `log <code-fuzzy> <note text>` in the command palette logs a
//! routine contact in one line, e.g. `log latefee explained the fee`.

use super::choice::Choice;
use crate::domain::RefData;

/// What a quick-log line says: the disposition it picks and the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickLog {
    pub code: String,
    pub label: String,
    pub notes: String,
}

/// Reads `log <code> <note>`; `None` when the line is not a quick log (also
/// without a note, so `log int…` still finds the `log_interaction` command).
/// `Some(Err)` says what is wrong.
pub fn parse(line: &str, refdata: &RefData) -> Option<Result<QuickLog, String>> {
    let rest = line.trim_start().strip_prefix("log ")?;
    let mut words = rest.trim_start().splitn(2, ' ');
    let query = words.next().unwrap_or("").trim();
    let notes = words.next().unwrap_or("").trim().to_string();
    if query.is_empty() || notes.is_empty() {
        return None;
    }
    let mut choice = Choice::new(
        refdata
            .dispositions
            .iter()
            .map(|d| {
                (
                    d.code.clone(),
                    format!("{} › {} {}", d.category, d.label, d.code),
                )
            })
            .collect(),
    );
    choice.type_text(query);
    Some(match choice.selected() {
        Some((code, label)) => Ok(QuickLog {
            code: code.clone(),
            label: label.trim_end_matches(code.as_str()).trim().to_string(),
            notes,
        }),
        None => Err(format!("no disposition matches `{query}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::forms::tests::refdata;

    #[test]
    fn a_line_picks_a_disposition_and_keeps_the_note() {
        let q = parse("log latefee told her about autopay", &refdata())
            .expect("quick log")
            .expect("parsed");
        assert_eq!(q.code, "billing.late_fee");
        assert_eq!(q.label, "Billing › Late fee explained");
        assert_eq!(q.notes, "told her about autopay");
        assert!(parse("search maria", &refdata()).is_none());
        assert!(parse("log ", &refdata()).is_none());
        assert!(
            parse("log int", &refdata()).is_none(),
            "no note: the palette finds commands"
        );
        assert!(parse("log zzzzz note", &refdata())
            .expect("quick log")
            .is_err());
    }
}
