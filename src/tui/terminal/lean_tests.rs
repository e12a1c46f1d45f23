//! The lean backend against a terminal emulator (vt100): what it writes must
//! put on screen exactly what ratatui drew, in fewer bytes.

use super::*;
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("sink").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().expect("sink"))
    }
}

fn terminal(sink: &Sink) -> Terminal<LeanBackend<Sink>> {
    Terminal::with_options(
        LeanBackend::new(sink.clone(), true),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .expect("terminal")
}

/// A screen of styled text, different for each `n`.
fn frame(f: &mut ratatui::Frame, n: usize) {
    let lines: Vec<Line> = (0..20)
        .map(|i| {
            let word = ["Maria", "Oliver", "王秀英", "Dana"][(i + n) % 4];
            Line::from(vec![
                Span::styled(format!("2026-11-{:02} ", 10 + i), Style::new().dim()),
                Span::styled(format!("{word} "), Style::new().cyan().bold()),
                Span::raw(format!("event {} of customer {n}", i * (n + 1))),
                Span::styled(" !", Style::new().on_red().light_yellow()),
            ])
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title("Timeline")),
        f.area(),
    );
}

/// A cell as shown: text, bold, foreground and background colour index.
type Shown = (String, bool, Option<u8>, Option<u8>);

/// What a terminal shows after these bytes, cell by cell.
fn emulate(parser: &mut vt100::Parser, bytes: &[u8]) -> Vec<Shown> {
    parser.process(bytes);
    let screen = parser.screen();
    let mut cells = Vec::new();
    for row in 0..24 {
        for col in 0..80 {
            let c = screen.cell(row, col).expect("cell");
            let contents = match c.contents().as_str() {
                " " => String::new(),
                other => other.to_string(),
            };
            let index = |c: vt100::Color| match c {
                vt100::Color::Idx(n) => Some(n),
                _ => None,
            };
            cells.push((contents, c.bold(), index(c.fgcolor()), index(c.bgcolor())));
        }
    }
    cells
}

fn expected(buffer: &Buffer) -> Vec<Shown> {
    let mut cells = Vec::new();
    for y in 0..24 {
        for x in 0..80 {
            let c = buffer.cell((x, y)).expect("cell");
            let symbol = match c.symbol() {
                " " => String::new(),
                s => s.to_string(),
            };
            let index = |c: Color| match c {
                Color::Cyan => Some(6),
                Color::Red => Some(1),
                Color::LightYellow => Some(11),
                _ => None,
            };
            cells.push((
                symbol,
                c.modifier.contains(Modifier::BOLD),
                index(c.fg),
                index(c.bg),
            ));
        }
    }
    cells
}

#[test]
fn what_it_writes_puts_exactly_the_frame_on_screen_frame_after_frame() {
    let sink = Sink::default();
    let mut t = terminal(&sink);
    let mut parser = vt100::Parser::new(24, 80, 0);
    for n in 0..6 {
        let done = t.draw(|f| frame(f, n)).expect("draw");
        let want = expected(done.buffer);
        let got = emulate(&mut parser, &sink.take());
        let wrong: Vec<usize> = (0..want.len()).filter(|&i| want[i] != got[i]).collect();
        let first = wrong.first().map(|&i| (i / 80, i % 80, &want[i], &got[i]));
        assert!(
            wrong.is_empty(),
            "frame {n}: {} cells differ, first (row, col, want, got) {first:?}",
            wrong.len()
        );
    }
}

#[test]
fn a_small_change_costs_few_bytes() {
    let sink = Sink::default();
    let mut t = terminal(&sink);
    t.draw(|f| frame(f, 1)).expect("draw");
    sink.take();
    // The same frame again: nothing to write.
    t.draw(|f| frame(f, 1)).expect("draw");
    assert!(sink.take().is_empty());
    // One word on one line.
    t.draw(|f| {
        frame(f, 1);
        f.render_widget(Paragraph::new("X"), Rect::new(30, 5, 1, 1));
    })
    .expect("draw");
    let bytes = sink.take();
    assert!(
        bytes.len() <= 16,
        "{} bytes: {:?}",
        bytes.len(),
        String::from_utf8_lossy(&bytes)
    );
}

#[test]
fn colours_are_the_codes_every_terminal_knows() {
    let pen = |fg, bg| Pen {
        fg,
        bg,
        modifier: Modifier::empty(),
    };
    assert_eq!(change(Pen::PLAIN, pen(Color::Cyan, Color::Reset)), ["36"]);
    assert_eq!(
        change(Pen::PLAIN, pen(Color::LightYellow, Color::Red)),
        ["93", "41"]
    );
    assert_eq!(
        change(Pen::PLAIN, pen(Color::Indexed(12), Color::Indexed(200))),
        ["94", "48;5;200"]
    );
    assert_eq!(
        change(pen(Color::Cyan, Color::Red), Pen::PLAIN),
        ["39", "49"]
    );
    // Ending bold keeps dim, which the same code ends.
    let bold_dim = Pen {
        modifier: Modifier::BOLD | Modifier::DIM,
        ..Pen::PLAIN
    };
    let dim = Pen {
        modifier: Modifier::DIM,
        ..Pen::PLAIN
    };
    assert_eq!(change(bold_dim, dim), ["22", "2"]);
}
