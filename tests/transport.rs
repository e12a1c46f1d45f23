//! Slow and greedy clients against a real `switchboard serve` with short
//! limits: a client that never finishes its headers is cut off, and so is a
//! keep-alive connection left idle; a body that stops arriving gets 408; past
//! the connection cap a new connection is closed at once, the log says so,
//! and the server answers again once a connection ends.

mod common;

use common::{TestDb, TestServer};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn connect(srv: &TestServer) -> TcpStream {
    let address = srv.base.trim_start_matches("http://").to_string();
    let stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(common::PATIENCE))
        .expect("timeout");
    stream
}

/// Reads until the server closes the connection; what it sent.
fn until_closed(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let _ = stream.read_to_end(&mut seen);
    String::from_utf8_lossy(&seen).into_owned()
}

/// What this server process logged (its files are named by its pid).
fn server_log(srv: &TestServer) -> String {
    let dir = std::env::temp_dir()
        .join("switchboard-test-home")
        .join("state")
        .join("switchboard")
        .join("logs");
    let mine = format!("-{}.", srv.child.id());
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(&mine))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect()
}

fn health(srv: &TestServer) -> Option<String> {
    let mut stream = connect(srv);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .ok()?;
    let answer = until_closed(&mut stream);
    (!answer.is_empty()).then_some(answer)
}

#[test]
fn half_sent_headers_and_idle_connections_are_cut_off() {
    let srv = TestServer::start_with(TestDb::sqlite(), &["--header-timeout", "1"]);
    // Half a request head, then nothing.
    let mut partial = connect(&srv);
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    let started = Instant::now();
    until_closed(&mut partial);
    assert!(
        started.elapsed() < common::PATIENCE,
        "closed by the server, not by our patience"
    );
    // A keep-alive connection: one answer, then closed once idle.
    let mut idle = connect(&srv);
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("send");
    let started = Instant::now();
    let answer = until_closed(&mut idle);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        started.elapsed() < common::PATIENCE,
        "the idle connection was closed by the server"
    );
}

#[test]
fn a_body_that_stops_arriving_gets_408() {
    let srv = TestServer::start_with(TestDb::sqlite(), &["--body-timeout", "1"]);
    let mut stream = connect(&srv);
    let head = format!(
        "POST /v1/interactions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Idempotency-Key: slow-body\r\nContent-Type: application/json\r\n\
         Content-Length: 400\r\n\r\n{{\"customer_id\": 1,",
        srv.agent_token
    );
    stream.write_all(head.as_bytes()).expect("send");
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).expect("an answer");
    assert_eq!(&answer, b"HTTP/1.1 408");
    let rest = until_closed(&mut stream);
    assert!(rest.contains("did not arrive within 1 s"), "{rest}");
}

#[test]
fn past_the_connection_cap_new_connections_are_closed_and_the_log_says_so() {
    let srv = TestServer::start_with(
        TestDb::sqlite(),
        &["--max-connections", "2", "--header-timeout", "60"],
    );
    let held: Vec<TcpStream> = (0..2).map(|_| connect(&srv)).collect();
    // Both slots are taken once the server has accepted them.
    common::wait_until(Duration::from_secs(10), "the cap is reached", || {
        health(&srv).is_none()
    });
    common::wait_until(Duration::from_secs(10), "the log says why", || {
        server_log(&srv).contains("connection cap reached")
    });
    drop(held);
    common::wait_until(Duration::from_secs(10), "answers again", || {
        health(&srv).is_some_and(|a| a.starts_with("HTTP/1.1 200"))
    });
}
