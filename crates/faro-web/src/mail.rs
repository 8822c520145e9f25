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

/// An e-mail to a registrant: plain text in their language, with an
/// optional iCalendar attachment.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// `Content-Language` (es, en, pt).
    pub lang: String,
    pub ics: Option<(String, faro_formats::ical::Method)>,
}

/// How a queued e-mail went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Handed to the SMTP relay.
    Smtp,
    /// No SMTP configured: written to the log.
    Logged,
}

impl Mailer {
    pub fn from_address(&self) -> &str {
        &self.from
    }
}

/// Builds the message (public for tests of its shape).
pub fn build(from: &str, e: &Email) -> Result<Message, String> {
    use lettre::message::header::{HeaderName, HeaderValue};
    use lettre::message::{Attachment, MultiPart, SinglePart};
    let from = from
        .parse()
        .map_err(|_| "invalid sender address".to_string())?;
    let to =
        e.to.parse()
            .map_err(|_| "invalid recipient address".to_string())?;
    let b = Message::builder()
        .from(from)
        .to(to)
        .subject(e.subject.clone())
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            e.lang.clone(),
        ));
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(e.body.clone());
    let msg = match &e.ics {
        None => b.singlepart(text),
        Some((ics, method)) => {
            let ct = ContentType::parse(method.content_type())
                .map_err(|_| "bad calendar content type".to_string())?;
            b.multipart(
                MultiPart::mixed()
                    .singlepart(text)
                    .singlepart(Attachment::new("invite.ics".into()).body(ics.clone(), ct)),
            )
        }
    };
    msg.map_err(|err| err.to_string())
}

/// Sends `e`, or logs it when no mailer is configured. An SMTP failure is
/// an error (the job queue retries it).
pub async fn send_email(mailer: Option<&Mailer>, e: &Email) -> Result<Sent, String> {
    let Some(m) = mailer else {
        tracing::warn!(
            to = %e.to,
            subject = %e.subject,
            body = %e.body,
            "no FARO_SMTP_URL configured: e-mail written to the log instead"
        );
        return Ok(Sent::Logged);
    };
    let msg = build(&m.from, e)?;
    m.transport
        .send(msg)
        .await
        .map(|_| Sent::Smtp)
        .map_err(|err| format!("SMTP: {err}"))
}

/// Sends `e` with one file attached (e.g. a certificate's PDF), or logs it
/// (without the file) when no mailer is configured.
pub async fn send_with_file(
    mailer: Option<&Mailer>,
    e: &Email,
    file_name: &str,
    mime: &str,
    bytes: Vec<u8>,
) -> Result<Sent, String> {
    use lettre::message::header::{HeaderName, HeaderValue};
    use lettre::message::{Attachment, MultiPart, SinglePart};
    let Some(m) = mailer else {
        tracing::warn!(
            to = %e.to,
            subject = %e.subject,
            body = %e.body,
            file = %file_name,
            "no FARO_SMTP_URL configured: e-mail written to the log instead"
        );
        return Ok(Sent::Logged);
    };
    let from = m
        .from
        .parse()
        .map_err(|_| "invalid sender address".to_string())?;
    let to =
        e.to.parse()
            .map_err(|_| "invalid recipient address".to_string())?;
    let ct = ContentType::parse(mime).map_err(|_| "bad attachment type".to_string())?;
    let msg = Message::builder()
        .from(from)
        .to(to)
        .subject(e.subject.clone())
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            e.lang.clone(),
        ))
        .multipart(
            MultiPart::mixed()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(e.body.clone()),
                )
                .singlepart(Attachment::new(file_name.to_string()).body(bytes, ct)),
        )
        .map_err(|err| err.to_string())?;
    m.transport
        .send(msg)
        .await
        .map(|_| Sent::Smtp)
        .map_err(|err| format!("SMTP: {err}"))
}
