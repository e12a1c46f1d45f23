//! How connections are served: hyper's HTTP/1 with a header read timeout
//! (which also closes a keep-alive connection idle that long), a cap on open
//! connections (one log line when it is reached; a connection over it is
//! closed at once, so a flood of slow clients cannot take every file
//! descriptor), TLS when `serve` is given a certificate (rustls; the
//! handshake has the header timeout too), and a graceful shutdown that lets
//! requests in flight finish. The body read timeout is the body
//! extractor's (`extract.rs`); a client that stops reading what it is sent
//! is cut off by `write_stall.rs`.

use anyhow::Context;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

use super::write_stall::WriteStall;

/// A connection's byte stream: the socket, or TLS over it.
trait Stream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> Stream for T {}

/// How long requests in flight may take to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What a connection may take, and how it is secured.
#[derive(Debug, Clone)]
pub struct Limits {
    /// To send a request's headers, and the longest a keep-alive
    /// connection may wait idle for the next request.
    pub header_timeout: Duration,
    /// To send a request's body, once its headers are in.
    pub body_timeout: Duration,
    /// The longest a response may wait for the client to read it.
    pub write_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Serve https:// with this; `None`: plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_connections: 1024,
            tls: None,
        }
    }
}

/// The TLS configuration of the certificate chain and key in these PEM
/// files; errors name the file and what is wrong with it.
pub fn tls_config(cert: &Path, key: &Path) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| anyhow::anyhow!("--tls-cert {}: {e}", cert.display()))?;
    if chain.is_empty() {
        anyhow::bail!("--tls-cert {}: no certificate in it", cert.display());
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| anyhow::anyhow!("--tls-key {}: {e}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS")?
    .with_no_client_auth()
    .with_single_cert(chain, key_der)
    .with_context(|| {
        format!(
            "--tls-key {} does not go with --tls-cert {}",
            key.display(),
            cert.display()
        )
    })?;
    Ok(Arc::new(config))
}

/// Serves `app` on `listener` until `shutdown` resolves, then waits for the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    // Said once each time the cap is reached, not once per refused connection.
    let at_cap = Arc::new(AtomicBool::new(false));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (socket, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of descriptors, say: wait a moment, keep serving.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            if !at_cap.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    max_connections = limits.max_connections,
                    "connection cap reached: new connections are closed until some end \
                     (serve --max-connections)"
                );
            }
            drop(socket);
            continue;
        };
        at_cap.store(false, Ordering::Relaxed);
        let Ok(service) = make_service.call(remote).await;
        let hyper_service = hyper::service::service_fn(move |request| {
            let mut service = service.clone();
            service.call(request)
        });
        let (builder, watcher, tls) = (builder.clone(), graceful.watcher(), limits.tls.clone());
        let handshake = limits.header_timeout;
        let socket = WriteStall::new(socket, limits.write_timeout);
        tokio::spawn(async move {
            let stream: Box<dyn Stream> = match tls {
                None => Box::new(socket),
                Some(config) => {
                    let accepting = tokio_rustls::TlsAcceptor::from(config).accept(socket);
                    match tokio::time::timeout(handshake, accepting).await {
                        Ok(Ok(stream)) => Box::new(stream),
                        Ok(Err(e)) => {
                            tracing::debug!(error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => return,
                    }
                }
            };
            let connection =
                builder.serve_connection_with_upgrades(TokioIo::new(stream), hyper_service);
            if let Err(e) = watcher.watch(connection.into_owned()).await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    // An event stream never ends by itself: it is cut after a moment.
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::info!("connections still open at shutdown were closed");
    }
    Ok(())
}
