//! E-mail to the office, on when `SMTP_URL` and `OFFICE_EMAIL` are both set: each call's
//! summary when it ends, and a digest every morning. Both are queued in the outbox and sent
//! from its mail lane, with its retries, through `lettre` over SMTP (rustls for TLS).
//!
//! - `compose`: the words, the model's (vetted) or the templates'.
//! - `digest`: the daily digest, claimed once a day in the database; `schedule` when it is due.
//! - `health`: how the last deliveries went, for the dashboard.

mod compose;
pub mod digest;
pub mod health;
pub mod schedule;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveTime;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::brain::Model;
use crate::call::report::Email;
use crate::db::Db;
use crate::office::Clock;
use crate::outbox::{DeliveryError, Mail};
use crate::secret::Secret;
pub use compose::SUMMARY_TASK;

/// How long one SMTP conversation may take before it is retried later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// E-mail settings that cannot work: frontdesk refuses to start and says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "SMTP_URL must look like smtp://HOST:PORT or smtps://USER:PASSWORD@HOST (?tls=required for STARTTLS): {0}"
    )]
    Url(String),
    #[error("{0} must be e-mail addresses, separated by commas: {1:?}")]
    Address(&'static str, String),
    #[error("DIGEST_AT must be HH:MM (24-hour, the office's time) or off: {0:?}")]
    DigestAt(String),
}

/// E-mail to the office, as configured.
#[derive(Clone)]
pub struct Settings {
    /// The SMTP server, with its credentials and TLS mode (`SMTP_URL`).
    transport: AsyncSmtpTransport<Tokio1Executor>,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    /// When the digest is sent, in the office's time; `None`: no digest.
    pub digest_at: Option<NaiveTime>,
}

impl Settings {
    pub fn parse(
        url: &Secret,
        to: &str,
        from: Option<&str>,
        digest_at: &str,
    ) -> Result<Settings, SettingsError> {
        let transport = transport(url)?;
        let addresses = |name, text: &str| -> Result<Vec<Mailbox>, SettingsError> {
            let parsed: Result<Vec<Mailbox>, _> =
                text.split(',').map(str::trim).filter(|a| !a.is_empty()).map(str::parse).collect();
            match parsed {
                Ok(list) if !list.is_empty() => Ok(list),
                _ => Err(SettingsError::Address(name, text.to_string())),
            }
        };
        let to = addresses("OFFICE_EMAIL", to)?;
        let from = match from {
            Some(from) => addresses("MAIL_FROM", from)?.remove(0),
            None => to[0].clone(),
        };
        let digest_at = match digest_at.trim() {
            "off" => None,
            text => Some(schedule::parse_at(text).ok_or_else(|| SettingsError::DigestAt(text.to_string()))?),
        };
        Ok(Settings { transport, from, to, digest_at })
    }

    /// The recipients, as the dashboard and the log name them.
    pub fn recipients(&self) -> String {
        self.to.iter().map(|m| m.email.to_string()).collect::<Vec<_>>().join(", ")
    }
}

fn transport(url: &Secret) -> Result<AsyncSmtpTransport<Tokio1Executor>, SettingsError> {
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| {
        // The URL may hold a password: name the problem, not the URL.
        SettingsError::Url(e.to_string().replace(&**url, "SMTP_URL"))
    })?;
    Ok(builder.timeout(Some(SMTP_TIMEOUT)).build())
}

/// Writes and sends the office's e-mail: the outbox's `Mail`.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
    /// Writes call summaries when one is configured (vetted before use).
    model: Option<Model>,
    db: Db,
    clock: Arc<dyn Clock>,
}

impl Mailer {
    pub fn new(settings: &Settings, model: Option<Model>, db: Db, clock: Arc<dyn Clock>) -> Mailer {
        Mailer {
            transport: settings.transport.clone(),
            from: settings.from.clone(),
            to: settings.to.clone(),
            model,
            db,
            clock,
        }
    }

    fn message(&self, email: &Email, composed: compose::Composed) -> Result<Message, DeliveryError> {
        // One id per call or day: a repeated delivery (its answer lost) threads as the same
        // message in the office's mail client.
        let domain = self.from.email.domain();
        let id = match email {
            Email::CallSummary(summary) => format!("<call-{}@{domain}>", summary.sid),
            Email::Digest(digest) => format!("<digest-{}@{domain}>", digest.day),
        };
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(composed.subject)
            .message_id(Some(id))
            .header(ContentType::TEXT_PLAIN);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        builder.body(composed.body).map_err(|e| DeliveryError::Permanent(format!("building the e-mail: {e}")))
    }
}

#[async_trait::async_trait]
impl Mail for Mailer {
    async fn send(&self, email: &Email) -> Result<String, DeliveryError> {
        let composed = self.compose(email).await.map_err(|e| DeliveryError::Permanent(e.to_string()))?;
        let message = self.message(email, composed)?;
        let id = message.headers().get_raw("Message-ID").unwrap_or_default().to_string();
        // lettre's timeout bounds each read and write; a server that stalls between them
        // (seen after a refused message) is bounded here, whole.
        let outcome = match tokio::time::timeout(SMTP_TIMEOUT * 3, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(id),
            // 5xx: the server refuses this message for good (a bad address, say).
            Ok(Err(e)) if e.is_permanent() => Err(DeliveryError::Permanent(format!("SMTP: {e}"))),
            Ok(Err(e)) => Err(DeliveryError::Retryable(format!("SMTP: {e}"))),
            Err(_) => Err(DeliveryError::Retryable(format!(
                "SMTP: no answer within {} s",
                (SMTP_TIMEOUT * 3).as_secs()
            ))),
        };
        let failure = outcome.as_ref().err().map(ToString::to_string);
        health::record(&self.db, self.clock.now(), failure.as_deref()).await;
        outcome
    }
}
