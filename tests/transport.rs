//! Slow and greedy clients against a real `switchboard serve` with short
//! limits: a client that never finishes its headers is cut off, and so is a
//! keep-alive connection left idle; a body that stops arriving gets 408; past
//! the connection cap a new connection is closed at once, the log says so,
//! and the server answers again once a connection ends. With a certificate
//! (made here by a private CA) the server speaks only TLS, and clients trust
//! it through `--ca`. An event stream whose client stops reading is cut off.

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

/// A private CA and a server certificate it signed for 127.0.0.1, made
/// with openssl in `dir`: (ca.pem, cert.pem, key.pem).
fn certificates(dir: &std::path::Path) -> (String, String, String) {
    let path = |name: &str| dir.join(name).display().to_string();
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let (ca, ca_key) = (path("ca.pem"), path("ca.key"));
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                &ca_key,
                "-out",
                &ca,
                "-days",
                "2",
                "-subj",
                "/CN=Test CA",
            ],
        ]
        .concat(),
    );
    let (csr, key, cert) = (path("leaf.csr"), path("key.pem"), path("cert.pem"));
    openssl(
        &[
            &["req"][..],
            &ec,
            &["-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"],
        ]
        .concat(),
    );
    let ext = path("leaf.ext");
    std::fs::write(
        &ext,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
         extendedKeyUsage=serverAuth\n",
    )
    .expect("ext");
    openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-out",
        &cert,
        "-days",
        "2",
        "-extfile",
        &ext,
    ]);
    (ca, cert, key)
}

#[tokio::test]
async fn with_a_certificate_the_server_speaks_tls_and_clients_trust_it_through_ca() {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = certificates(dir.path());
    let srv = TestServer::start_with(TestDb::sqlite(), &["--tls-cert", &cert, "--tls-key", &key]);
    assert!(srv.base.starts_with("https://"), "{}", srv.base);
    // Plain HTTP to it gets no answer a client could take for one.
    let plain = srv.base.replace("https://", "http://");
    assert!(reqwest::get(format!("{plain}/healthz")).await.is_err());
    // The desk's client does not trust a private CA by itself.
    let untrusting = switchboard::api::Client::new(&srv.base, &srv.agent_token).expect("client");
    let err = untrusting.me().await.expect_err("an unknown issuer");
    assert!(!err.to_string().is_empty());
    // The binary with --ca does: the simulator reaches the server, which
    // tells it this token is not a system one.
    let simulate_trusting = |ca_file: &str| {
        let out = common::bin()
            .args(["--ca", ca_file, "simulate", "--server", &srv.base])
            .env("SWITCHBOARD_TOKEN", &srv.agent_token)
            .output()
            .expect("simulate");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (_, said) = simulate_trusting(&ca);
    assert!(said.contains("needs a `system` token"), "{said}");
    // A CA file that is not one is refused, naming it.
    let (ok, said) = simulate_trusting(&key);
    assert!(!ok && said.contains(&key), "{said}");
    // And the process that trusts it reads over TLS.
    switchboard::api::trust_ca_file(std::path::Path::new(&ca)).expect("trust");
    let trusting = switchboard::api::Client::new(&srv.base, &srv.agent_token).expect("client");
    assert_eq!(trusting.me().await.expect("me over TLS").name, "Alex Agent");
}

#[tokio::test]
async fn an_event_stream_nobody_reads_is_cut_off() {
    use switchboard::api::NewAgentState;
    use switchboard::domain::SettableState;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let srv = TestServer::start_with(TestDb::sqlite(), &["--write-timeout", "1"]);
    // A supervisor's stream on a socket with a small window, never read.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(2048).expect("buffer");
    let address = srv
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("address");
    let mut stream = socket.connect(address).await.expect("connect");
    let request = format!(
        "GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        srv.supervisor_token
    );
    stream.write_all(request.as_bytes()).await.expect("ask");
    // An agent changes state until the server has given up on the reader:
    // each change is an event on the supervisor's stream.
    let desk = srv.agent();
    let said = "client cut off: it read nothing";
    let mut changes = 0;
    while !server_log(&srv).contains(said) {
        // Megabytes fit in loopback buffers; a bound on changes, not time.
        assert!(changes < 60_000, "not cut off after {changes} changes");
        let batch = (0..100).map(|i| {
            let state = if i % 2 == 0 {
                NewAgentState {
                    state: SettableState::NotReady,
                    reason: Some("break".into()),
                }
            } else {
                NewAgentState {
                    state: SettableState::Available,
                    reason: None,
                }
            };
            let desk = desk.clone();
            async move { desk.set_state(&state).await.expect("state") }
        });
        futures::future::join_all(batch).await;
        changes += 100;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // What was in flight arrives, then the end: the stream is over.
    let mut seen = Vec::new();
    let read = tokio::time::timeout(common::PATIENCE, async {
        let mut chunk = [0u8; 8192];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&chunk[..n]),
            }
        }
    });
    read.await.expect("the server closed the stream");
    assert!(String::from_utf8_lossy(&seen).contains("agent_state"));
}
