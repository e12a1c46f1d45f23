//! A form as plain data (fields, focus, stage): `build` checks it as the
//! agent types, names the field at fault, and turns it into exactly the
//! request that the confirm step shows and the server receives.

use super::choice::Choice;
use super::fields::{FeeLine, FeePicker};
use super::verdicts::{Acted, Verdicts};
use crate::api::{NewEscalation, NewFeeWaiver, NewInteraction, Write};
use crate::domain::{
    Affiliation, Agent, Channel, Customer, CustomerId, DecisionId, Fee, FeeId, InteractionOutcome,
    Money, Priority, RefData, Suggestion, Tier, TimelineEvent,
};
use crate::tui::editor::TextArea;
use crate::tui::input::TextInput;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::api::limits::{MAX_NOTES, MAX_SUMMARY, MAX_TAG, MAX_TAGS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Log,
    Escalate,
    Waive,
    /// A one-line log from the palette: no fields, sent at once.
    QuickLog,
}

impl FormKind {
    /// The kind's name in draft keys.
    pub fn as_str(&self) -> &'static str {
        match self {
            FormKind::Log => "log",
            FormKind::Escalate => "escalate",
            FormKind::Waive => "waive",
            FormKind::QuickLog => "quick_log",
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            FormKind::Log => "Log interaction",
            FormKind::Escalate => "Escalate",
            FormKind::Waive => "Waive fees",
            FormKind::QuickLog => "Quick log",
        }
    }
}

/// One field's value editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Choice(Choice),
    Text(TextInput),
    Notes(TextArea),
    Fees(FeePicker),
    Verdicts(Verdicts),
}

/// Where the form is in its life.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Editing,
    /// Showing what will be sent; the key is created here, once per submission.
    Confirming {
        key: String,
        request: Write,
    },
    /// Sent; waiting for the answer. Further submits are ignored.
    Sending {
        key: String,
        request: Write,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub customer: CustomerId,
    pub fields: Vec<(&'static str, Field)>,
    pub focus: usize,
    pub stage: Stage,
    /// When the form was opened: the after-call-work timer counts from here.
    pub opened_at: DateTime<Utc>,
    /// Anything typed: cancelling then asks first.
    pub dirty: bool,
    /// The agent pressed cancel once on a dirty form.
    pub confirm_discard: bool,
    /// The server's reason when it refused the last submission, or why it
    /// could not be sent.
    pub server_message: Option<String>,
    /// The confirm step shows the exact request instead of sentences.
    pub show_wire: bool,
    /// On a business contact's screen, the organisation they are calling
    /// for: a wrap-up is logged against its account; a waiver is of its
    /// charges (when it is, see [`waiver_scope`]).
    pub account: Option<FormAccount>,
}

/// The business account a form is for.
#[derive(Debug, Clone, PartialEq)]
pub struct FormAccount {
    pub id: CustomerId,
    pub name: String,
    pub tier: Tier,
    /// What it buys a year (`None` from a server that does not say).
    pub annual_revenue: Option<Money>,
}

impl From<&Affiliation> for FormAccount {
    fn from(a: &Affiliation) -> FormAccount {
        FormAccount {
            id: a.organisation_id,
            name: a.organisation.clone(),
            tier: a.tier,
            annual_revenue: a.annual_revenue,
        }
    }
}

/// Whose fees a waiver on this screen is of: a business contact's account
/// charges (the organisation they are calling for), unless the fee a
/// suggestion named is the contact's own or the account owes nothing; else
/// the customer's own fees.
pub fn waiver_scope<'a>(
    customer: &'a Customer,
    account: Option<&'a Affiliation>,
    preselect: Option<FeeId>,
) -> (&'a [Fee], Option<&'a Affiliation>) {
    let own = &customer.outstanding_fees;
    let names_own = preselect.is_some_and(|id| own.iter().any(|f| f.id == id));
    match account.filter(|a| !a.charges.is_empty() && !names_own) {
        Some(a) => (&a.charges, Some(a)),
        None => (own, None),
    }
}

/// What a form is checked against.
pub struct Context<'a> {
    pub customer: &'a Customer,
    pub agent: &'a Agent,
    pub now: DateTime<Utc>,
}

/// Labels of the fields, used to find them.
pub const DISPOSITION: &str = "Disposition";
pub const NOTES: &str = "Notes";
pub const OUTCOME: &str = "Outcome";
pub const CHANNEL: &str = "Channel";
pub const TAGS: &str = "Tags";
pub const FOLLOW_UP: &str = "Follow-up";
pub const SUGGESTIONS: &str = "Suggestions";
pub const TARGET: &str = "Target";
pub const PRIORITY: &str = "Priority";
pub const REASON: &str = "Reason";
pub const SUMMARY: &str = "Summary";
pub const FEES: &str = "Fees";
pub const NOTE: &str = "Note";
pub const TONE: &str = "Tone";

/// The tone choice's code for a caller the agent flags as curt or unhappy.
const TONE_FLAGGED: &str = "flagged";

/// The format the follow-up field is typed in (the customer's local time).
pub const FOLLOW_UP_FORMAT: &str = "%Y-%m-%d %H:%M";

fn choice_of<T: Copy>(
    all: &[T],
    code: fn(&T) -> &'static str,
    label: fn(&T) -> &'static str,
) -> Choice {
    Choice::new(
        all.iter()
            .map(|v| (code(v).to_string(), label(v).to_string()))
            .collect(),
    )
}

impl Form {
    /// Whether this form is being sent under the idempotency key `key`.
    pub fn sending_under(&self, key: &str) -> bool {
        matches!(&self.stage, Stage::Sending { key: k, .. } if k == key)
    }

    fn new(
        kind: FormKind,
        customer: CustomerId,
        now: DateTime<Utc>,
        fields: Vec<(&'static str, Field)>,
    ) -> Form {
        Form {
            kind,
            customer,
            fields,
            focus: 0,
            stage: Stage::Editing,
            opened_at: now,
            dirty: false,
            confirm_discard: false,
            server_message: None,
            show_wire: false,
            account: None,
        }
    }

    /// The same form with `text` in its notes (a transferred caller's notes
    /// from the agent who handed them on).
    pub fn with_notes(mut self, text: Option<String>) -> Form {
        for (_, field) in &mut self.fields {
            if let (Field::Notes(notes), Some(text)) = (field, &text) {
                *notes = TextArea::new(text).with_limit(MAX_NOTES);
            }
        }
        self
    }

    /// The same form, for the business account `account` (see [`Form::account`]).
    pub fn for_account(mut self, account: Option<&Affiliation>) -> Form {
        self.account = account.map(FormAccount::from);
        self
    }

    /// The wrap-up form. `shown` are the suggestions on screen, from
    /// `decision`, and `acted` those the agent acted on, each with the
    /// decision that showed it (an earlier one when a write has reloaded the
    /// customer since).
    pub fn log(
        customer: CustomerId,
        refdata: &RefData,
        shown: &[Suggestion],
        decision: Option<DecisionId>,
        acted: &[Acted],
        now: DateTime<Utc>,
    ) -> Form {
        let dispositions = Choice::new(
            refdata
                .dispositions
                .iter()
                .map(|d| (d.code.clone(), format!("{} › {}", d.category, d.label)))
                .collect(),
        );
        let verdicts = Verdicts::for_wrap_up(shown, decision, acted);
        Form::new(
            FormKind::Log,
            customer,
            now,
            vec![
                (DISPOSITION, Field::Choice(dispositions)),
                (
                    NOTES,
                    Field::Notes(TextArea::default().with_limit(MAX_NOTES)),
                ),
                (
                    OUTCOME,
                    Field::Choice(
                        choice_of(
                            InteractionOutcome::ALL,
                            InteractionOutcome::as_str,
                            InteractionOutcome::label,
                        )
                        .with_selected("resolved"),
                    ),
                ),
                (
                    CHANNEL,
                    Field::Choice(
                        choice_of(Channel::ALL, Channel::as_str, Channel::label)
                            .with_selected("voice"),
                    ),
                ),
                (
                    TONE,
                    Field::Choice(
                        Choice::new(vec![
                            ("fine".to_string(), "Fine".to_string()),
                            (
                                TONE_FLAGGED.to_string(),
                                "Curt or unhappy: flag it for the account team".to_string(),
                            ),
                        ])
                        .with_selected("fine"),
                    ),
                ),
                (TAGS, Field::Text(TextInput::default())),
                (FOLLOW_UP, Field::Text(TextInput::default())),
                (SUGGESTIONS, Field::Verdicts(verdicts)),
            ],
        )
    }

    /// The escalation form, its summary drafted from the latest contacts.
    pub fn escalate(
        customer: CustomerId,
        refdata: &RefData,
        target: Option<&str>,
        recent: &[TimelineEvent],
        now: DateTime<Utc>,
    ) -> Form {
        let targets = Choice::new(
            refdata
                .escalation_targets
                .iter()
                .map(|t| (t.code.clone(), t.label.clone()))
                .collect(),
        );
        let targets = match target {
            Some(code) => targets.with_selected(code),
            None => targets,
        };
        let reasons = Choice::new(
            refdata
                .escalation_reasons
                .iter()
                .map(|r| (r.code.clone(), r.label.clone()))
                .collect(),
        );
        let summary: Vec<String> = recent
            .iter()
            .filter(|e| e.kind == crate::domain::EventKind::Contact)
            .take(3)
            .map(|e| {
                let outcome = e
                    .outcome
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default();
                format!(
                    "{} {}: {}{outcome}",
                    e.at.format("%Y-%m-%d"),
                    e.channel.label(),
                    e.summary
                )
            })
            .collect();
        Form::new(
            FormKind::Escalate,
            customer,
            now,
            vec![
                (TARGET, Field::Choice(targets)),
                (
                    PRIORITY,
                    Field::Choice(
                        choice_of(Priority::ALL, Priority::as_str, Priority::label)
                            .with_selected("normal"),
                    ),
                ),
                (REASON, Field::Choice(reasons)),
                (
                    SUMMARY,
                    Field::Notes(TextArea::new(&summary.join("\n")).with_limit(MAX_SUMMARY)),
                ),
            ],
        )
    }

    /// The waiver form over the outstanding fees of the customer or of the
    /// account they call for ([`waiver_scope`]); `preselect` is a fee a
    /// suggestion named.
    pub fn waive(
        customer: &Customer,
        account: Option<&Affiliation>,
        refdata: &RefData,
        preselect: Option<FeeId>,
        now: DateTime<Utc>,
    ) -> Form {
        let (fees, account) = waiver_scope(customer, account, preselect);
        let lines = fees
            .iter()
            .map(|fee| FeeLine {
                fee: fee.clone(),
                // A fee whose waiver waits for a supervisor is not ticked for
                // the agent: the form says it waits.
                selected: !fee.waiver_pending && (preselect == Some(fee.id) || fees.len() == 1),
                amount: TextInput::with(&fee.outstanding.decimal()),
            })
            .collect();
        let reasons = Choice::new(
            refdata
                .waiver_reasons
                .iter()
                .map(|r| (r.code.clone(), r.label.clone()))
                .collect(),
        );
        Form::new(
            FormKind::Waive,
            customer.id,
            now,
            vec![
                (FEES, Field::Fees(FeePicker::new(lines))),
                (REASON, Field::Choice(reasons)),
                (
                    NOTE,
                    Field::Notes(TextArea::default().with_limit(MAX_NOTES)),
                ),
            ],
        )
        .for_account(account)
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, f)| f)
    }

    pub fn focus_on(&mut self, label: &str) {
        if let Some(i) = self.fields.iter().position(|(l, _)| *l == label) {
            self.focus = i;
        }
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus).map(|(_, f)| f)
    }

    fn chosen(&self, label: &str) -> Option<String> {
        match self.field(label) {
            Some(Field::Choice(c)) => c.selected().map(|(code, _)| code.clone()),
            _ => None,
        }
    }

    fn text(&self, label: &str) -> String {
        match self.field(label) {
            Some(Field::Text(t)) => t.text.trim().to_string(),
            Some(Field::Notes(n)) => n.text().trim().to_string(),
            _ => String::new(),
        }
    }

    /// The request this form describes, or every problem with it as (field,
    /// message), for the messages shown next to the fields.
    pub fn build(&self, ctx: &Context) -> Result<Write, Vec<(&'static str, String)>> {
        match (&self.kind, &self.stage) {
            (FormKind::Log, _) => self.build_log(ctx),
            (FormKind::Escalate, _) => self.build_escalation(),
            (FormKind::Waive, _) => self.build_waiver(),
            (
                FormKind::QuickLog,
                Stage::Confirming { request, .. } | Stage::Sending { request, .. },
            ) => Ok(request.clone()),
            (FormKind::QuickLog, Stage::Editing) => Err(vec![]),
        }
    }

    /// The problems only (empty when the form can be sent).
    pub fn problems(&self, ctx: &Context) -> Vec<(&'static str, String)> {
        self.build(ctx).err().unwrap_or_default()
    }

    fn build_log(&self, ctx: &Context) -> Result<Write, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let disposition = self.chosen(DISPOSITION);
        if disposition.is_none() {
            problems.push((
                DISPOSITION,
                "pick a disposition (type to narrow)".to_string(),
            ));
        }
        let outcome = self
            .chosen(OUTCOME)
            .and_then(|c| InteractionOutcome::parse(&c));
        let tags = parse_tags(&self.text(TAGS)).unwrap_or_else(|m| {
            problems.push((TAGS, m));
            vec![]
        });
        let follow_up =
            match parse_follow_up(&self.text(FOLLOW_UP), &ctx.customer.time_zone, ctx.now) {
                Ok(t) => t,
                Err(m) => {
                    problems.push((FOLLOW_UP, m));
                    None
                }
            };
        if outcome == Some(InteractionOutcome::Callback)
            && follow_up.is_none()
            && self.text(FOLLOW_UP).is_empty()
        {
            problems.push((FOLLOW_UP, "a callback needs a time".to_string()));
        }
        let suggestion_outcomes = match self.field(SUGGESTIONS) {
            Some(Field::Verdicts(v)) => v.outcomes(),
            _ => vec![],
        };
        match (disposition, outcome, problems.is_empty()) {
            (Some(disposition_code), Some(outcome), true) => {
                Ok(Write::Interaction(NewInteraction {
                    customer_id: self.customer,
                    channel: Channel::Voice,
                    disposition_code,
                    outcome,
                    tags,
                    notes: self.text(NOTES),
                    suggestion_outcomes,
                    follow_up_at: follow_up,
                    acting_for: self.account.as_ref().map(|a| a.id),
                    tone_flagged: self.chosen(TONE).as_deref() == Some(TONE_FLAGGED),
                }))
            }
            _ => Err(problems),
        }
    }

    fn build_escalation(&self) -> Result<Write, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let target = self.chosen(TARGET);
        if target.is_none() {
            problems.push((TARGET, "pick where it goes".to_string()));
        }
        let priority = self.chosen(PRIORITY).and_then(|p| Priority::parse(&p));
        if priority.is_none() {
            problems.push((PRIORITY, "pick a priority".to_string()));
        }
        let reason = self.chosen(REASON);
        if reason.is_none() {
            problems.push((REASON, "pick a reason".to_string()));
        }
        let summary = self.text(SUMMARY);
        if summary.is_empty() {
            problems.push((
                SUMMARY,
                "say what the next person needs to know".to_string(),
            ));
        }
        match (target, priority, reason, problems.is_empty()) {
            (Some(target_code), Some(priority), Some(reason_code), true) => {
                Ok(Write::Escalation(NewEscalation {
                    customer_id: self.customer,
                    channel: Channel::Voice,
                    target_code,
                    priority,
                    reason_code,
                    summary,
                }))
            }
            _ => Err(problems),
        }
    }

    fn build_waiver(&self) -> Result<Write, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let items = match self.field(FEES) {
            Some(Field::Fees(picker)) => picker.items().unwrap_or_else(|m| {
                problems.push((FEES, m));
                vec![]
            }),
            _ => vec![],
        };
        if items.is_empty() && problems.is_empty() {
            problems.push((FEES, "pick at least one fee (space)".to_string()));
        }
        let reason = self.chosen(REASON);
        if reason.is_none() {
            problems.push((REASON, "a reason is required".to_string()));
        }
        match (reason, problems.is_empty()) {
            (Some(reason_code), true) => Ok(Write::FeeWaiver(NewFeeWaiver {
                customer_id: self.account.as_ref().map_or(self.customer, |a| a.id),
                fees: items,
                reason_code,
                note: self.text(NOTE),
            })),
            _ => Err(problems),
        }
    }

    /// The total being waived, if the amounts read.
    pub fn waiver_total(&self) -> Option<Money> {
        match self.field(FEES) {
            Some(Field::Fees(picker)) => picker
                .items()
                .ok()
                .and_then(|items| Money::sum(items.iter().map(|i| i.amount))),
            _ => None,
        }
    }
}

/// A quick-log submission under `key`, already sending: its reply is handled
/// like any form's.
pub fn quick_log(
    customer: CustomerId,
    request: NewInteraction,
    now: DateTime<Utc>,
    key: String,
) -> (Form, String) {
    let mut form = Form::new(FormKind::QuickLog, customer, now, vec![]);
    form.stage = Stage::Sending {
        key: key.clone(),
        request: Write::Interaction(request),
    };
    (form, key)
}

/// `a, b ,c` → ["a", "b", "c"]; at most 20 tags of 1–40 characters.
fn parse_tags(text: &str) -> Result<Vec<String>, String> {
    let tags: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if tags.len() > MAX_TAGS {
        return Err(format!("at most {MAX_TAGS} tags"));
    }
    if let Some(long) = tags.iter().find(|t| t.chars().count() > MAX_TAG) {
        return Err(format!(
            "`{}…` is longer than {MAX_TAG} characters",
            crate::domain::text::clip(long, 12)
        ));
    }
    Ok(tags)
}

/// A follow-up time typed in the customer's zone, as UTC; empty is none.
pub fn parse_follow_up(
    text: &str,
    zone: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let naive = NaiveDateTime::parse_from_str(text, FOLLOW_UP_FORMAT)
        .map_err(|_| "write it as YYYY-MM-DD HH:MM (their time)".to_string())?;
    let at = tz
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(|| "that time does not exist there (clocks change)".to_string())?
        .with_timezone(&Utc);
    if at <= now {
        return Err("that time has passed".to_string());
    }
    if at > now + chrono::Duration::days(crate::api::limits::MAX_FOLLOW_UP_DAYS) {
        return Err(format!(
            "at most {} days ahead",
            crate::api::limits::MAX_FOLLOW_UP_DAYS
        ));
    }
    Ok(Some(at))
}
