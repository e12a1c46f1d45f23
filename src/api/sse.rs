//! A small reader for `text/event-stream` (Server-Sent Events): bytes go in as
//! they arrive, in chunks of any size; whole events come out. Comments
//! (keep-alives) are skipped, multi-line `data:` is joined with newlines, and
//! lines may end in LF, CRLF or CR, even when a chunk splits the CRLF.
//!
//! Kept over the `eventsource-stream` crate (weighed for issue 11): that one
//! buffers a line without limit and, after a byte that is not UTF-8, holds it
//! at the head of its buffer for good, so the stream stalls while memory grows.
//! Here a line is capped and read lossily, and the stream goes on.

/// The longest line kept; a longer one is dropped (a broken or hostile server).
const MAX_LINE: usize = 1 << 20;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseMessage {
    /// The last `id:` seen on the stream so far, as the spec defines it.
    pub id: Option<String>,
    /// `event:`, or `message` when none was given.
    pub event: String,
    pub data: String,
}

/// Incremental parser state.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// The previous chunk ended in CR: a leading LF belongs to that line end.
    after_cr: bool,
    overlong: bool,
    last_id: Option<String>,
    event: Option<String>,
    data: Option<String>,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feeds bytes; returns the events they complete.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseMessage> {
        let mut out = Vec::new();
        for &b in chunk {
            let after_cr = std::mem::take(&mut self.after_cr);
            match b {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if !std::mem::take(&mut self.overlong) {
                        self.take_line(&String::from_utf8_lossy(&line), &mut out);
                    }
                }
                _ if self.line.len() >= MAX_LINE => self.overlong = true,
                _ => self.line.push(b),
            }
        }
        out
    }

    fn take_line(&mut self, line: &str, out: &mut Vec<SseMessage>) {
        if line.is_empty() {
            let event = self.event.take();
            if let Some(data) = self.data.take() {
                out.push(SseMessage {
                    id: self.last_id.clone(),
                    event: event.unwrap_or_else(|| "message".into()),
                    data,
                });
            }
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: Option<&str>, event: &str, data: &str) -> SseMessage {
        SseMessage {
            id: id.map(str::to_string),
            event: event.into(),
            data: data.into(),
        }
    }

    #[test]
    fn whole_events_comments_and_multi_line_data() {
        let mut p = SseParser::new();
        let got = p.push(
            b": keep-alive\n\nid: 7\nevent: queue_stats\ndata: {\"a\":1}\n\n\
              data: line one\ndata:line two\n\n",
        );
        assert_eq!(
            got,
            [
                msg(Some("7"), "queue_stats", "{\"a\":1}"),
                msg(Some("7"), "message", "line one\nline two"),
            ]
        );
    }

    #[test]
    fn any_split_gives_the_same_events() {
        let stream = b"id: 1\r\nevent: resync\r\ndata: {}\r\n\r\n:c\rid:2\rdata: x\r\r";
        let mut whole = SseParser::new();
        let expected = whole.push(stream);
        assert_eq!(
            expected,
            [
                msg(Some("1"), "resync", "{}"),
                msg(Some("2"), "message", "x")
            ]
        );
        for size in 1..stream.len() {
            let mut p = SseParser::new();
            let got: Vec<_> = stream.chunks(size).flat_map(|c| p.push(c)).collect();
            assert_eq!(got, expected, "chunks of {size}");
        }
    }

    #[test]
    fn unfinished_events_wait_and_empty_ones_are_dropped() {
        let mut p = SseParser::new();
        assert!(p.push(b"id: 3\nevent: x\n\ndata: par").is_empty());
        assert_eq!(p.push(b"tial\n\n"), [msg(Some("3"), "message", "partial")]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_and_the_stream_goes_on() {
        let mut p = SseParser::new();
        let got = p.push(b"data: caf\xff\n\ndata: next\n\n");
        assert_eq!(
            got,
            [
                msg(None, "message", "caf\u{fffd}"),
                msg(None, "message", "next")
            ]
        );
    }

    #[test]
    fn an_overlong_line_is_dropped_not_kept() {
        let mut p = SseParser::new();
        let mut long = b"data: ".to_vec();
        long.resize(MAX_LINE + 10, b'a');
        long.extend_from_slice(b"\ndata: ok\n\n");
        assert_eq!(p.push(&long), [msg(None, "message", "ok")]);
    }
}
