//! The ratatui backend the desk draws through, written for slow links: every
//! byte costs a millisecond at 9600 baud. It keeps a copy of what the
//! terminal shows, and for each frame writes only the cells that changed,
//! with the shortest way there (rewriting a few unchanged cells, a relative
//! move, a line feed, or an absolute one), runs of blanks erased in place
//! rather than written, and one combined SGR sequence per change of style,
//! carried over from frame to frame. Colours 0–15 are the
//! ANSI codes every terminal knows (30–37, 90–97 and 40–47, 100–107): the
//! theme has already fitted its colours to the terminal's depth.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// What the terminal's SGR state is: colours and attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const PLAIN: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

pub struct LeanBackend<W: Write> {
    out: W,
    /// What the terminal shows.
    shown: Buffer,
    /// Where the terminal's cursor is; `None` when not known (at start, or
    /// after writing the last column, where terminals differ).
    cursor: Option<(u16, u16)>,
    /// The SGR state; `None` when not known.
    pen: Option<Pen>,
    /// Whether the cursor is shown; `None` when not known. (ratatui hides
    /// or shows it on every frame.)
    visible: Option<bool>,
    /// The terminal erases characters in place (ECH, VT220 and later).
    erase_chars: bool,
}

/// Blanks in a row from which erasing them (ECH) is shorter than writing them.
const ERASE_FROM: usize = 8;

impl<W: Write> LeanBackend<W> {
    /// A backend writing to `out`; `erase_chars` when the terminal knows ECH
    /// (every VT220-class terminal and emulator; not a VT100).
    pub fn new(out: W, erase_chars: bool) -> LeanBackend<W> {
        LeanBackend {
            out,
            erase_chars,
            shown: Buffer::empty(Rect::default()),
            cursor: None,
            pen: None,
            visible: None,
        }
    }

    /// How many of `updates`, from the first, are plain blanks side by side
    /// on one row (0 when the terminal cannot erase characters).
    fn blank_run(&self, updates: &[(u16, u16, Cell)]) -> usize {
        if !self.erase_chars {
            return 0;
        }
        let Some((x0, y0, _)) = updates.first() else {
            return 0;
        };
        updates
            .iter()
            .enumerate()
            .take_while(|(k, (x, y, cell))| {
                y == y0
                    && usize::from(*x) == usize::from(*x0) + k
                    && cell.symbol() == " "
                    && Pen::of(cell) == Pen::PLAIN
            })
            .count()
    }

    /// Moves the cursor to (x, y) the cheapest way.
    fn move_to(&mut self, x: u16, y: u16, bytes: &mut Vec<u8>) {
        if self.cursor == Some((x, y)) {
            return;
        }
        let absolute = format!("\x1b[{}H", position(x, y));
        let mut best = absolute.into_bytes();
        if let Some((cx, cy)) = self.cursor {
            if cy == y && x > cx {
                if let Some(gap) = self.rewrite_gap(cx, x, y) {
                    if gap.len() <= best.len() {
                        best = gap;
                    }
                }
                let forward = cuf(x - cx);
                if forward.len() < best.len() {
                    best = forward;
                }
            }
            if y > cy && y - cy <= 3 {
                let mut down = vec![b'\n'; usize::from(y - cy)];
                match x {
                    _ if x == cx => {}
                    0 => down.push(b'\r'),
                    _ if x > cx => down.extend(cuf(x - cx)),
                    _ => {
                        down.push(b'\r');
                        down.extend(cuf(x));
                    }
                }
                if down.len() < best.len() {
                    best = down;
                }
            }
            if cy == y && x == 0 && best.len() > 1 {
                best = vec![b'\r'];
            }
        }
        bytes.extend(best);
        self.cursor = Some((x, y));
    }

    /// The cells from `from` to `to` (exclusive) on row `y` as they are on
    /// screen, if writing them again is safe: plain, narrow, in the current
    /// style.
    fn rewrite_gap(&self, from: u16, to: u16, y: u16) -> Option<Vec<u8>> {
        let pen = self.pen?;
        let mut out = Vec::new();
        for x in from..to {
            let cell = self.shown.cell((x, y))?;
            let symbol = cell.symbol();
            if Pen::of(cell) != pen || symbol.width() != 1 || symbol.len() > 4 {
                return None;
            }
            out.extend_from_slice(symbol.as_bytes());
        }
        Some(out)
    }

    /// Sets the SGR state to `to` with one sequence, the shorter of a change
    /// from the current state or a reset and set.
    fn set_pen(&mut self, to: Pen, bytes: &mut Vec<u8>) {
        if self.pen == Some(to) {
            return;
        }
        let mut reset = vec!["0".to_string()];
        reset.extend(modifier_on(Modifier::empty(), to.modifier));
        reset.extend(colour(to.fg, false).filter(|_| to.fg != Color::Reset));
        reset.extend(colour(to.bg, true).filter(|_| to.bg != Color::Reset));
        let params = match self.pen {
            Some(from) => {
                let change = change(from, to);
                if change.join(";").len() < reset.join(";").len() {
                    change
                } else {
                    reset
                }
            }
            None => reset,
        };
        bytes.extend(format!("\x1b[{}m", params.join(";")).into_bytes());
        self.pen = Some(to);
    }
}

/// `CSI row;col H`, 1-based, with `;col` left out for the first column.
fn position(x: u16, y: u16) -> String {
    match x {
        0 => format!("{}", y + 1),
        _ => format!("{};{}", y + 1, x + 1),
    }
}

/// Cursor forward by `n`.
fn cuf(n: u16) -> Vec<u8> {
    match n {
        1 => b"\x1b[C".to_vec(),
        n => format!("\x1b[{n}C").into_bytes(),
    }
}

/// The SGR parameters that take `from` to `to`.
fn change(from: Pen, to: Pen) -> Vec<String> {
    let mut params = Vec::new();
    let gone = from.modifier - to.modifier;
    let mut keep_on = Modifier::empty();
    // 22 ends bold and dim together: one that stays is set again.
    if gone.intersects(Modifier::BOLD | Modifier::DIM) {
        params.push("22".to_string());
        keep_on |= to.modifier & (Modifier::BOLD | Modifier::DIM);
    }
    for (m, off) in [
        (Modifier::ITALIC, "23"),
        (Modifier::UNDERLINED, "24"),
        (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK, "25"),
        (Modifier::REVERSED, "27"),
        (Modifier::HIDDEN, "28"),
        (Modifier::CROSSED_OUT, "29"),
    ] {
        if gone.intersects(m) {
            params.push(off.to_string());
        }
    }
    let on = (to.modifier - from.modifier) | keep_on;
    params.extend(modifier_on(Modifier::empty(), on));
    if from.fg != to.fg {
        params.extend(colour(to.fg, false));
    }
    if from.bg != to.bg {
        params.extend(colour(to.bg, true));
    }
    params
}

/// The SGR parameters that turn on what `to` has beyond `from`.
fn modifier_on(from: Modifier, to: Modifier) -> Vec<String> {
    let on = to - from;
    [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ]
    .into_iter()
    .filter(|(m, _)| on.contains(*m))
    .map(|(_, code)| code.to_string())
    .collect()
}

/// A colour as SGR parameters, foreground or background.
fn colour(c: Color, background: bool) -> Option<String> {
    let base = |normal: u16, n: u16| {
        let code = if n < 8 {
            normal + n
        } else {
            normal + 60 + n - 8
        };
        code + if background { 10 } else { 0 }
    };
    let named = |n: u16| base(30, n).to_string();
    Some(match c {
        Color::Reset => (if background { "49" } else { "39" }).to_string(),
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(n) if n < 16 => named(u16::from(n)),
        Color::Indexed(n) => format!("{};5;{n}", if background { 48 } else { 38 }),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", if background { 48 } else { 38 }),
    })
}

impl<W: Write> Backend for LeanBackend<W> {
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let updates: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let (width, height) = (self.shown.area.width, self.shown.area.height);
        let wider = updates.iter().map(|(x, _, _)| x + 1).max().unwrap_or(0);
        let taller = updates.iter().map(|(_, y, _)| y + 1).max().unwrap_or(0);
        if wider > width || taller > height {
            let area = Rect::new(0, 0, width.max(wider), height.max(taller));
            self.shown.resize(area);
        }
        for (x, y, cell) in &updates {
            if let Some(shown) = self.shown.cell_mut((*x, *y)) {
                *shown = cell.clone();
            }
        }
        let last_column = self.shown.area.width.saturating_sub(1);
        let mut bytes = Vec::with_capacity(updates.len() * 2);
        let mut i = 0;
        while i < updates.len() {
            let (x, y, cell) = &updates[i];
            let blanks = self.blank_run(&updates[i..]);
            if blanks >= ERASE_FROM {
                // A run of plain blanks: erased in place (ECH), not written.
                self.move_to(*x, *y, &mut bytes);
                self.set_pen(Pen::PLAIN, &mut bytes);
                bytes.extend(format!("\x1b[{blanks}X").into_bytes());
                i += blanks;
                continue;
            }
            i += 1;
            self.move_to(*x, *y, &mut bytes);
            self.set_pen(Pen::of(cell), &mut bytes);
            bytes.extend_from_slice(cell.symbol().as_bytes());
            let advance = cell.symbol().width().max(1) as u16;
            self.cursor = match x + advance > last_column {
                // Terminals differ on where the cursor is after the last column.
                true => None,
                false => Some((x + advance, *y)),
            };
        }
        self.out.write_all(&bytes)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.visible.replace(false) == Some(false) {
            return Ok(());
        }
        self.out.write_all(b"\x1b[?25l")
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.visible.replace(true) == Some(true) {
            return Ok(());
        }
        self.out.write_all(b"\x1b[?25h")
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        crossterm::cursor::position()
            .map(|(x, y)| Position { x, y })
            .map_err(|e| io::Error::other(e.to_string()))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        let mut bytes = Vec::new();
        self.move_to(x, y, &mut bytes);
        self.out.write_all(&bytes)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Erasing fills with the current background: make it the plain one.
        let code = match clear_type {
            ClearType::All => "2J",
            ClearType::AfterCursor => "J",
            ClearType::BeforeCursor => "1J",
            ClearType::CurrentLine => "2K",
            ClearType::UntilNewLine => "K",
        };
        if clear_type == ClearType::All {
            self.shown.reset();
        } else {
            // Part of the screen: what is there is no longer known.
            self.shown = Buffer::empty(Rect::default());
        }
        self.pen = Some(Pen::PLAIN);
        write!(self.out, "\x1b[0m\x1b[{code}")
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.cursor = None;
        self.out.write_all(&vec![b'\n'; usize::from(n)])
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
#[path = "lean_tests.rs"]
mod tests;
