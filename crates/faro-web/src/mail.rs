//! Outgoing e-mail (one-time links). With `FARO_SMTP_URL` set, mail goes out
//! by SMTP; without it, the message is written to the log, so a coordinator
//! can still pass the link on.

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from={})", self.from)
    }
}

impl Mailer {
    /// `smtp://[user:pass@]host[:port]`: plain SMTP to a relay the site
    /// trusts (usually on localhost). TLS is not built in, to keep the
    /// binary lean; put a TLS-capable relay in front if you need one.
    pub fn from_url(url: &str, from: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| "FARO_SMTP_URL must start with smtp://".to_string())?;
        let (auth, hostport) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let hostport = hostport.trim_end_matches('/');
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("FARO_SMTP_URL: bad port {p:?}"))?,
            ),
            None => (hostport, 25),
        };
        if host.is_empty() {
            return Err("FARO_SMTP_URL: missing host".into());
        }
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(a) = auth {
            let (user, pass) = a.split_once(':').unwrap_or((a, ""));
            b = b.credentials(lettre::transport::smtp::authentication::Credentials::new(
                user.to_string(),
                pass.to_string(),
            ));
        }
        Ok(Mailer {
            transport: b.build(),
            from: from.to_string(),
        })
    }
}

/// Sends `body` to `to`, or logs it when no mailer is configured.
/// Returns whether an e-mail was actually sent.
pub async fn send(mailer: Option<&Mailer>, to: &str, subject: &str, body: &str) -> bool {
    let Some(m) = mailer else {
        tracing::warn!(
            to,
            subject,
            body,
            "no FARO_SMTP_URL configured: e-mail written to the log instead"
        );
        return false;
    };
    let msg = match (m.from.parse(), to.parse()) {
        (Ok(from), Ok(to_addr)) => Message::builder()
            .from(from)
            .to(to_addr)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string()),
        _ => {
            tracing::error!(to, "invalid e-mail address for outgoing mail");
            return false;
        }
    };
    match msg {
        Ok(msg) => match m.transport.send(msg).await {
            Ok(_) => true,
            Err(e) => {
                tracing::error!(error = %e, to, "sending e-mail failed; message follows in the log");
                tracing::warn!(to, subject, body, "undelivered e-mail");
                false
            }
        },
        Err(e) => {
            tracing::error!(error = %e, "cannot build e-mail");
            false
        }
    }
}
