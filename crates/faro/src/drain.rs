//! A listener that drains on shutdown.
//!
//! On `SIGTERM` axum stops calling `accept` and drops its listener at once.
//! Connections the kernel had already completed (the accept backlog) are then
//! reset: a client that connected a moment before the signal sees its request
//! answered by a reset, not refused. `Draining` wraps the listener so that,
//! once told to stop, it hands axum every connection already waiting (a
//! non-blocking `accept` until the kernel says there is none), closes the
//! socket right after, and only then lets axum's graceful shutdown begin. A
//! client that connects after that is refused, which is what a restart looks
//! like; nothing accepted is cut. `tests/load/sigterm.py` measures it.
//!
//! One more wait: hyper's graceful shutdown closes at once a connection on
//! which it has not read a byte yet, even when the request is already in the
//! kernel's buffer. So the graceful shutdown starts `grace` after the
//! listener closed, time for the connections just accepted to be read.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

enum State {
    Serving(TcpListener),
    Draining(std::net::TcpListener),
    Closed,
}

pub struct Draining {
    state: State,
    addr: SocketAddr,
    stop: watch::Receiver<bool>,
    drained: Arc<Notify>,
}

impl Draining {
    /// The listener, and what tells axum the backlog is drained (await it as
    /// the graceful-shutdown signal). `stop` turns true on the signal.
    pub fn new(
        listener: TcpListener,
        stop: watch::Receiver<bool>,
        grace: std::time::Duration,
    ) -> std::io::Result<(Self, impl Future<Output = ()> + Send + 'static)> {
        let addr = listener.local_addr()?;
        let drained = Arc::new(Notify::new());
        let wait = drained.clone();
        Ok((
            Draining {
                state: State::Serving(listener),
                addr,
                stop,
                drained,
            },
            async move {
                wait.notified().await;
                tokio::time::sleep(grace).await;
            },
        ))
    }
}

impl axum::serve::Listener for Draining {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match &mut self.state {
                State::Serving(l) => {
                    if *self.stop.borrow() {
                        let State::Serving(l) = std::mem::replace(&mut self.state, State::Closed)
                        else {
                            unreachable!()
                        };
                        match l.into_std() {
                            Ok(std) => self.state = State::Draining(std),
                            Err(e) => {
                                tracing::warn!(error = %e, "cannot drain the listener");
                                self.drained.notify_one();
                            }
                        }
                        continue;
                    }
                    tokio::select! {
                        r = TcpListener::accept(l) => match r {
                            Ok(conn) => return conn,
                            // Out of descriptors and the like: wait, as axum does.
                            Err(e) => {
                                tracing::warn!(error = %e, "accept failed");
                                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                            }
                        },
                        changed = self.stop.changed() => {
                            if changed.is_err() {
                                // The sender is gone: no signal will come.
                                std::future::pending::<()>().await;
                            }
                        }
                    }
                }
                State::Draining(l) => match l.accept() {
                    Ok((s, a)) => {
                        if let Ok(s) = s.set_nonblocking(true).and_then(|_| TcpStream::from_std(s))
                        {
                            return (s, a);
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        if e.kind() != std::io::ErrorKind::WouldBlock {
                            tracing::warn!(error = %e, "accept failed while draining");
                        }
                        // Close the socket now: later clients are refused.
                        self.state = State::Closed;
                        tracing::info!("accept backlog drained, listener closed");
                        self.drained.notify_one();
                    }
                },
                State::Closed => std::future::pending::<()>().await,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.addr)
    }
}
