//! Overlays drawn over the screen: help and the command palette (both generated
//! from the active keymap), the pop prompt and the caller chooser.

use super::super::boards::model::column_meanings;
use super::super::forms::choice::Choice;
use super::super::help::{self, about_rows};
use super::super::input::TextInput;
use super::super::palette::model::palette_commands;
use super::super::state::{AppState, Overlay, Screen};
use super::super::theme::Theme;
use super::{block, fitted, list_row};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    match &state.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help(state, theme, frame, area, *scroll),
        Some(Overlay::WhyNot { scroll }) => why_not(state, theme, frame, area, *scroll),
        Some(Overlay::Account { scroll }) => {
            super::account::draw(state, theme, frame, area, *scroll)
        }
        Some(Overlay::Palette { input, selected }) => {
            palette(state, theme, frame, area, input, *selected)
        }
        Some(Overlay::Pop { input }) => pop(state, theme, frame, area, input),
        Some(Overlay::Snippets(choice)) => choice_box(
            state,
            theme,
            frame,
            area,
            "Insert a snippet (enter inserts, esc closes)",
            choice,
        ),
        Some(Overlay::States(choice)) => choice_box(
            state,
            theme,
            frame,
            area,
            "Your state (enter sets it, esc closes)",
            choice,
        ),
        Some(Overlay::ActingFor(choice)) => choice_box(
            state,
            theme,
            frame,
            area,
            "Calling for which organisation? (enter picks)",
            choice,
        ),
        Some(Overlay::Chooser {
            query,
            matches,
            selected,
        }) => {
            let b = block(
                state,
                theme,
                &format!("{} customers match {query}", matches.len()),
                true,
            );
            let rect = centered(area, 70, (matches.len() as u16 + 2).min(area.height));
            let inner = b.inner(rect);
            frame.render_widget(Clear, rect);
            frame.render_widget(b, rect);
            let lines: Vec<Line> = matches
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    list_row(
                        state,
                        theme,
                        i == *selected,
                        vec![
                            fitted(state, &c.name, 30, theme.style("chooser.item")),
                            fitted(
                                state,
                                &format!(" {}", c.account_number),
                                13,
                                theme.style("muted"),
                            ),
                            fitted(
                                state,
                                &format!(" {}", c.emails.first().map_or("", |e| e.as_str())),
                                23,
                                theme.style("muted"),
                            ),
                        ],
                    )
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Some(Overlay::Decision(prompt)) => {
            super::boards::decision(state, theme, frame, area, prompt)
        }
        Some(Overlay::Transfer(prompt)) => {
            super::call_prompts::transfer(state, theme, frame, area, prompt)
        }
        Some(Overlay::HangUp { about, .. }) => {
            super::call_prompts::hang_up(state, theme, frame, area, about)
        }
        Some(Overlay::UnknownCaller { number, choice }) => choice_box(
            state,
            theme,
            frame,
            area,
            &format!("No customer has {number}: how to go on (enter picks)"),
            choice,
        ),
        Some(Overlay::NewCustomer(prompt)) => {
            super::new_customer::draw(state, theme, frame, area, prompt)
        }
        Some(Overlay::Attention { selected, .. }) => {
            attention(state, theme, frame, area, *selected)
        }
    }
}

/// A short pick list in a box: snippets, agent states.
fn choice_box(
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    choice: &Choice,
) {
    let b = block(state, theme, title, true);
    let rect = centered(area, 72, (choice.options.len() as u16 + 2).min(area.height));
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let lines = super::choice_lines(state, theme, choice, inner.width as usize);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The writes the server refused: what, when it was saved, and why.
fn attention(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, selected: usize) {
    use super::super::keymap::{Command, Mode};
    let key = |c| {
        state
            .keymap
            .key_for(Mode::Chooser, c)
            .unwrap_or_else(|| "?".into())
    };
    let title = format!(
        "Refused by the server ({} sends again, {} dismisses)",
        key(Command::Submit),
        key(Command::Dismiss)
    );
    let b = block(state, theme, &title, true);
    let entries = &state.outbox.attention;
    let rect = centered(area, 78, (entries.len() as u16 * 2 + 2).min(area.height));
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let width = inner.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            let what = format!(
                "{} {} saved {}",
                super::super::offline::model::describe(a),
                state.glyphs.separator,
                state.zone.format(a.entry.created_at, "%Y-%m-%d %H:%M"),
            );
            [
                list_row(
                    state,
                    theme,
                    i == selected,
                    vec![fitted(state, &what, width, theme.style("chooser.item"))],
                ),
                Line::from(vec![
                    Span::raw("    "),
                    fitted(
                        state,
                        &format!("Refused: {}", a.reason),
                        width.saturating_sub(2),
                        theme.style("error"),
                    ),
                ]),
            ]
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Why not?": each action the decision did not show, with the rule that
/// stopped it; those a policy kept back first, then those not eligible.
fn why_not(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, scroll: usize) {
    let Some(view) = &state.customer else {
        return;
    };
    let name = view
        .profile
        .as_ref()
        .map_or("this customer", |c| c.name.as_str());
    let title = format!("Why not? Not suggested for {name} (esc closes)");
    let rect = centered(area, area.width.min(100), area.height);
    let b = block(state, theme, &title, true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let rows = super::suggestions::why_not_lines(view);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Every action that applies is shown.",
                theme.style("muted"),
            )),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    let longest = rows
        .iter()
        .map(|(_, name, _)| unicode_width::UnicodeWidthStr::width(name.as_str()) + 2)
        .max()
        .unwrap_or(12);
    let name_width = longest.clamp(12, (width / 2).max(12));
    let room = width.saturating_sub(name_width + 1).max(1);
    let mut lines = Vec::new();
    let mut heading = None;
    for (eligible, name, rule) in rows {
        if heading != Some(eligible) {
            heading = Some(eligible);
            let text = if eligible {
                "Would apply, but a rule stops it"
            } else {
                "Does not apply to them now"
            };
            lines.push(Line::from(Span::styled(text, theme.style("help.key"))));
        }
        // A rule too long for its column goes on under itself, never cut.
        let (first, mut rest) = super::split_at_width(&state.glyphs.show(&rule), room);
        lines.push(Line::from(vec![
            fitted(
                state,
                &format!(" {name}"),
                name_width,
                theme.style("chooser.item"),
            ),
            Span::styled(format!(" {first}"), theme.style("muted")),
        ]));
        while !rest.is_empty() {
            let (next, after) = super::split_at_width(&rest, room);
            let (next, after) = if next.is_empty() {
                (std::mem::take(&mut rest), String::new())
            } else {
                (next, after)
            };
            lines.push(Line::from(Span::styled(
                state
                    .glyphs
                    .fit(&format!("{:name_width$} {next}", ""), width),
                theme.style("muted"),
            )));
            rest = after;
        }
    }
    let lines: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A box of `width` x `height` in the middle of `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn help(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, scroll: usize) {
    let rect = centered(area, 76, area.height);
    let b = block(state, theme, "Help: keys in this view (esc closes)", true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    // Help describes the view under the overlay.
    let under = state.mode_without_overlay();
    let bindings = state
        .keymap
        .bindings(under)
        .into_iter()
        .map(|(keys, command)| {
            Line::from(vec![
                fitted(state, &format!(" {keys}"), 14, theme.style("help.key")),
                fitted(state, command.name(), 18, theme.style("help.key")),
                Span::styled(
                    state.glyphs.fit(
                        command.description(),
                        inner.width.saturating_sub(32) as usize,
                    ),
                    theme.style("help.description"),
                ),
            ])
        });
    let columns = match state.screen {
        Screen::Board(kind) => std::iter::once(Line::from(Span::styled(
            " Columns",
            theme.style("help.key"),
        )))
        .chain(column_meanings(kind).iter().map(|(name, meaning)| {
            Line::from(vec![
                fitted(state, &format!(" {name}"), 14, theme.style("help.key")),
                Span::styled(
                    state
                        .glyphs
                        .fit(meaning, inner.width.saturating_sub(14) as usize),
                    theme.style("help.description"),
                ),
            ])
        }))
        .collect(),
        _ => vec![],
    };
    let lines: Vec<Line> = about(state, theme, inner.width as usize)
        .into_iter()
        .chain(bindings)
        .chain(columns)
        // A terminal grown since: the last page still fills the box.
        .skip(scroll.min(help::last_scroll(state)))
        .take(inner.height as usize)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Help's first lines (`help::about_rows`) and a blank one.
fn about(state: &AppState, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = about_rows(state)
        .into_iter()
        .map(|(label, text)| {
            Line::from(vec![
                fitted(state, &format!(" {label}"), 14, theme.style("help.key")),
                Span::styled(
                    state.glyphs.fit(&text, width.saturating_sub(14)),
                    theme.style("help.description"),
                ),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines
}

fn palette(
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    input: &TextInput,
    selected: usize,
) {
    let query = input.text.as_str();
    let rect = centered(area, 70, area.height.min(16));
    let b = block(state, theme, "Command palette", true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let under = state.mode_without_overlay();
    let mut lines = vec![Line::from(Span::styled(
        state
            .glyphs
            .fit(&format!("> {}", input.shown()), inner.width as usize),
        theme.style("palette.input"),
    ))];
    let quick = state
        .refdata
        .as_ref()
        .and_then(|refdata| super::super::forms::quick_log::parse(query, refdata));
    if let Some(quick) = quick {
        let text = match quick {
            Ok(q) => format!(
                "enter logs now: {} {} \"{}\"",
                q.label, state.glyphs.separator, q.notes
            ),
            Err(message) => message,
        };
        lines.push(Line::from(Span::styled(
            state.glyphs.fit(&text, inner.width as usize),
            theme.style("info"),
        )));
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let rows = inner.height.saturating_sub(1) as usize;
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    for (i, command) in palette_commands(state, query)
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(rows)
    {
        let key = state.keymap.key_for(under, command).unwrap_or_default();
        lines.push(list_row(
            state,
            theme,
            i == selected,
            vec![
                fitted(state, command.name(), 18, theme.style("palette.item")),
                fitted(state, &key, 10, theme.style("help.key")),
                Span::styled(
                    state.glyphs.fit(
                        command.description(),
                        inner.width.saturating_sub(30) as usize,
                    ),
                    theme.style("help.description"),
                ),
            ],
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn pop(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, input: &TextInput) {
    let rect = centered(area, 64, 4);
    let b = block(
        state,
        theme,
        "Pop a caller: number, e-mail or account",
        true,
    );
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                state
                    .glyphs
                    .fit(&format!("> {}", input.shown()), inner.width as usize),
                theme.style("palette.input"),
            )),
            Line::from(Span::styled(
                "enter looks up, esc cancels",
                theme.style("muted"),
            )),
        ]),
        inner,
    );
}
