//! A connection whose client stops reading is closed: once a write has waited
//! `limit` for room in the socket (the client's window and our send buffer
//! full), the write fails with `TimedOut` and hyper drops the connection.
//! This is what ends an event stream nobody reads; the client resumes with
//! `Last-Event-ID` when it comes back. Reads are untouched.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

pub struct WriteStall<S> {
    inner: S,
    limit: Duration,
    /// Set while a write waits for room; cleared when one goes through.
    waiting: Option<Pin<Box<Sleep>>>,
}

impl<S> WriteStall<S> {
    pub fn new(inner: S, limit: Duration) -> WriteStall<S> {
        WriteStall {
            inner,
            limit,
            waiting: None,
        }
    }

    /// Turns a pending write into an error once it has waited `limit`.
    fn pending_or_stalled<T>(
        &mut self,
        cx: &mut Context<'_>,
        answer: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if answer.is_ready() {
            self.waiting = None;
            return answer;
        }
        let limit = self.limit;
        let timer = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                tracing::info!(
                    seconds = limit.as_secs(),
                    "client cut off: it read nothing of what it was sent (serve --write-timeout)"
                );
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the client read nothing for {} s", limit.as_secs()),
                )))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteStall<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteStall<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let answer = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.pending_or_stalled(cx, answer)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let answer = Pin::new(&mut self.inner).poll_flush(cx);
        self.pending_or_stalled(cx, answer)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test(start_paused = true)]
    async fn a_reader_that_stops_reading_is_cut_off_and_one_that_reads_is_not() {
        // A pipe with room for 64 bytes: the far end is the client.
        let (near, mut far) = tokio::io::duplex(64);
        let mut stream = WriteStall::new(near, Duration::from_secs(5));
        stream
            .write_all(&[b'x'; 64])
            .await
            .expect("room for the first 64");
        // The client reads them, late but within the limit: nothing is cut.
        let reader = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(4)).await;
            let mut first = [0u8; 64];
            far.read_exact(&mut first).await.expect("read");
            far
        });
        stream
            .write_all(&[b'y'; 64])
            .await
            .expect("a slow reader is waited for");
        let _far = reader.await.expect("reader");
        // Now it reads nothing: the next write that finds no room fails.
        let waited = tokio::time::timeout(Duration::from_secs(60), stream.write_all(&[b'z'; 64]));
        let error = waited
            .await
            .expect("cut off well before a minute")
            .expect_err("a stalled reader is cut off");
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
