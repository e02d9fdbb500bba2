//! Settings, from the environment the office already uses (or the same names as flags).
//!
//! With nothing set, frontdesk runs on embedded defaults and says so at start, naming the
//! variable that changes each one.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

use crate::brain::{Azure, KeyHeader, Model, ModelSettings};
use crate::call::early::EarlySettings;
use crate::db::Db;
use crate::mail;
use crate::outbox::{Delivery, Texts};
use crate::rent_manager::{self, Auth, RentManager};
use crate::secret::Secret;
use crate::twilio::TwilioConfig;
use crate::twilio::rest::Rest;
use crate::twilio::signature::Verifier;
use crate::{Access, MetricsAccess, Outside};

/// Settings that cannot be served: frontdesk refuses to start and says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "TWILIO_AUTH_TOKEN is not set: release builds accept only webhooks signed with the Twilio \
         account's auth token (Console > Account > API keys & tokens)"
    )]
    NoAuthToken,
    #[error("TWILIO_SIGNATURE_CHECK=off is refused in release builds: anyone could forge calls")]
    CheckOffInRelease,
    #[error("{0} is set but empty")]
    Empty(&'static str),
    #[error("TWILIO_SIGNING_KEYS must be NAME=SECRET[,NAME=SECRET], each with a name and a secret: {0:?}")]
    SigningKeys(String),
    #[error("PUBLIC_URL must be an http(s) address like https://frontdesk.example.com/path: {0:?}")]
    PublicUrl(String),
}

/// Where webhooks' signing token comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookToken {
    /// `TWILIO_AUTH_TOKEN`.
    Configured(String),
    /// None set, in a debug build: a random token made on first start and kept in the
    /// database (`development_token`), which `frontdesk call` reads from the same database.
    Development,
}

/// What this build and these settings allow, decided once at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posture {
    pub webhook_token: WebhookToken,
    pub access: Access,
}

/// Whether frontdesk runs as in production: a release build, or Rocket's release profile
/// (`ROCKET_PROFILE=release`, which lets a debug build be tried as production).
pub fn release(figment: &Figment) -> bool {
    cfg!(not(debug_assertions)) || figment.profile() == rocket::Config::RELEASE_PROFILE
}

/// The name the development webhook token is kept under in `local_secrets`.
const DEVELOPMENT_TOKEN: &str = "development_webhook_token";

/// The development webhook token kept in the database, made (at random) the first time.
/// Several processes may race to make it: one insert wins, and all read the winner.
pub async fn development_token(db: &Db) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    sqlx::query(
        "INSERT INTO local_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(DEVELOPMENT_TOKEN)
    .bind(URL_SAFE_NO_PAD.encode(bytes))
    .bind(crate::db::millis(chrono::Utc::now()))
    .execute(&db.pool)
    .await?;
    stored_development_token(db).await?.ok_or(sqlx::Error::RowNotFound)
}

/// The development webhook token, if a server on this database has made one.
pub async fn stored_development_token(db: &Db) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM local_secrets WHERE name = $1")
        .bind(DEVELOPMENT_TOKEN)
        .fetch_optional(&db.pool)
        .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Toggle {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyHeaderSetting {
    Bearer,
    ApiKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Port to serve on.
    #[arg(long, env = "PORT", default_value_t = 5000)]
    pub port: u16,
    /// sqlite://FILE (the default) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://frontdesk.db")]
    pub database_url: String,
    /// The office profile (TOML); the seed office is built in.
    #[arg(long, env = "OFFICE_PROFILE")]
    pub office_profile: Option<PathBuf>,
    /// The public address Twilio calls, e.g. https://frontdesk.example.com (signatures are
    /// computed over it; without it, over the request's own Host).
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The Twilio account's auth token: webhooks are signed with it.
    #[arg(long, env = "TWILIO_AUTH_TOKEN", hide_env_values = true)]
    pub twilio_auth_token: Option<Secret>,
    /// The Twilio account, for texting on-call staff about emergencies.
    #[arg(long, env = "TWILIO_ACCOUNT_SID")]
    pub twilio_account_sid: Option<String>,
    /// Where Twilio's REST API is (tests point it at a local server).
    #[arg(long, env = "TWILIO_API_BASE", default_value = crate::twilio::rest::DEFAULT_API_BASE)]
    pub twilio_api_base: String,
    /// The number (or Messaging Service SID) on-call texts come from [default: the number the caller dialled].
    #[arg(long, env = "TWILIO_SMS_FROM")]
    pub twilio_sms_from: Option<String>,
    /// After a service request or a message, one text to the caller with their reference
    /// (when texts can be sent); `off` sends none.
    #[arg(long, env = "CALLER_TEXTS", value_enum, default_value_t = Toggle::On)]
    pub caller_texts: Toggle,
    /// Rent Manager's API, e.g. https://yourcompany.api.rentmanager.com; unset, the local
    /// directory is the system of record.
    #[arg(long, env = "RENT_MANAGER_URL")]
    pub rent_manager_url: Option<String>,
    #[arg(long, env = "RENT_MANAGER_USERNAME")]
    pub rent_manager_username: Option<String>,
    #[arg(long, env = "RENT_MANAGER_PASSWORD", hide_env_values = true)]
    pub rent_manager_password: Option<Secret>,
    #[arg(long, env = "RENT_MANAGER_LOCATION_ID")]
    pub rent_manager_location_id: Option<i64>,
    /// A ready API token, instead of the username and password.
    #[arg(long, env = "RENT_MANAGER_API_KEY", hide_env_values = true)]
    pub rent_manager_api_key: Option<Secret>,
    /// How long a call's start waits on Rent Manager to say who is calling.
    #[arg(long, env = "RENT_MANAGER_LOOKUP_MS", default_value_t = 1500)]
    pub rent_manager_lookup_ms: u64,
    /// The office's Service Manager category and status for new issues, by name.
    #[arg(long, env = "RENT_MANAGER_CATEGORY", default_value = "Maintenance")]
    pub rent_manager_category: String,
    #[arg(long, env = "RENT_MANAGER_STATUS", default_value = "Open")]
    pub rent_manager_status: String,
    /// Days to keep transcripts and caller numbers; older calls keep only what they achieved.
    /// Unset: kept for good.
    #[arg(long, env = "TRANSCRIPT_RETENTION_DAYS")]
    pub transcript_retention_days: Option<u32>,
    /// How long a worker may hold an outbox item before another may retake it.
    #[arg(long, env = "OUTBOX_LEASE_SECONDS", default_value_t = 60)]
    pub outbox_lease_seconds: u64,
    /// Shared signing keys for HMAC-SHA256 webhook signatures, as NAME=SECRET[,NAME=SECRET].
    #[arg(long, env = "TWILIO_SIGNING_KEYS", hide_env_values = true)]
    pub twilio_signing_keys: Option<Secret>,
    /// `off` accepts unsigned webhooks: only for local experiments, and warned about at start.
    #[arg(long, env = "TWILIO_SIGNATURE_CHECK", value_enum, default_value_t = Toggle::On)]
    pub twilio_signature_check: Toggle,
    /// An OpenAI API key: with one, GPT-4o reads callers and proposes lines; without, the rules do.
    #[arg(long, env = "OPENAI_API_KEY", hide_env_values = true)]
    pub openai_api_key: Option<Secret>,
    /// The chat model.
    #[arg(long, env = "OPENAI_MODEL", default_value = "gpt-4o")]
    pub openai_model: String,
    /// Any OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 [default: OpenAI's].
    #[arg(long, env = "OPENAI_BASE_URL")]
    pub openai_base_url: Option<String>,
    /// Azure OpenAI: the deployment to call. With it, OPENAI_BASE_URL is the resource's
    /// endpoint (https://RESOURCE.openai.azure.com) and the key goes in the `api-key` header.
    #[arg(long, env = "OPENAI_AZURE_DEPLOYMENT")]
    pub openai_azure_deployment: Option<String>,
    /// Azure OpenAI's api-version (structured outputs need 2024-08-01-preview or later).
    #[arg(long, env = "OPENAI_API_VERSION", default_value = "2024-10-21")]
    pub openai_api_version: String,
    /// How the key is sent: `bearer` (Authorization: Bearer) or `api-key` (Azure's header)
    /// [default: api-key with OPENAI_AZURE_DEPLOYMENT, bearer otherwise].
    #[arg(long, env = "OPENAI_KEY_HEADER", value_enum)]
    pub openai_key_header: Option<KeyHeaderSetting>,
    /// How long a turn may wait for the model before the rules answer (Twilio gives up at 15 s).
    #[arg(long, env = "OPENAI_DEADLINE_MS", default_value_t = 4000)]
    pub openai_deadline_ms: u64,
    /// Twilio's speech recognition model for <Gather>.
    #[arg(long, env = "SPEECH_MODEL", default_value = "phone_call")]
    pub speech_model: String,
    /// Twilio's speech model for <Gather> once a call is in Spanish: one that supports es-US
    /// (`phone_call`, `experimental_conversations`, `experimental_utterances`).
    #[arg(long, env = "SPEECH_MODEL_ES", default_value = "phone_call")]
    pub speech_model_es: String,
    /// Prometheus reads /metrics with `Authorization: Bearer` this; without it, /metrics is
    /// open in debug builds and off (404) in release builds.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret>,
    /// Log lines as text or JSON.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Readings started on partial transcripts per caller turn, at most; 0 turns speculation
    /// off (for a local model server that answers one request at a time).
    #[arg(long, env = "SPECULATIVE_READINGS", default_value_t = 2)]
    pub speculative_readings: u32,
    /// How long a partial transcript must stay unchanged before it is read.
    #[arg(long, env = "PARTIAL_STABLE_MS", default_value_t = 900)]
    pub partial_stable_ms: u64,
    /// No speculation on partial transcripts longer than this many words.
    #[arg(long, env = "SPECULATION_MAX_WORDS", default_value_t = 30)]
    pub speculation_max_words: usize,
    /// How long the final result waits for the model before the caller hears a hold line.
    #[arg(long, env = "HOLD_GRACE_MS", default_value_t = 500)]
    pub hold_grace_ms: u64,
    /// How long a redirect after a hold line waits for the model, at most (silence for the caller).
    #[arg(long, env = "HOLD_REPLY_WAIT_MS", default_value_t = 1500)]
    pub hold_reply_wait_ms: u64,
    /// The SMTP server for e-mail to the office, e.g. smtps://USER:PASSWORD@smtp.example.com
    /// (with OFFICE_EMAIL: call summaries and the daily digest; unset, no e-mail).
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,
    /// Where the office's e-mail goes: one address or several, separated by commas.
    #[arg(long, env = "OFFICE_EMAIL")]
    pub office_email: Option<String>,
    /// The sender of the office's e-mail [default: the first OFFICE_EMAIL address].
    #[arg(long, env = "MAIL_FROM")]
    pub mail_from: Option<String>,
    /// When the daily digest is sent, in the office's time (HH:MM, 24-hour), or `off`.
    #[arg(long, env = "DIGEST_AT", default_value = "07:30")]
    pub digest_at: String,
}

impl Settings {
    /// What may run, and how, given the build: the one place that decides what a release
    /// build refuses. Every secret that is set must be non-empty; a release build needs
    /// `TWILIO_AUTH_TOKEN` and the signature check, sends cookies `Secure` and serves
    /// `/metrics` only with `METRICS_TOKEN`.
    pub fn posture(&self, release: bool) -> Result<Posture, SettingsError> {
        let set = |value: &Option<Secret>, name| match value.as_deref().map(str::trim) {
            Some("") => Err(SettingsError::Empty(name)),
            Some(value) => Ok(Some(value.to_string())),
            None => Ok(None),
        };
        let token = set(&self.twilio_auth_token, "TWILIO_AUTH_TOKEN")?;
        let metrics_token = set(&self.metrics_token, "METRICS_TOKEN")?;
        set(&self.twilio_signing_keys, "TWILIO_SIGNING_KEYS")?;
        self.signing_keys()?;
        if let Some(url) = &self.public_url {
            match url::Url::parse(url) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {}
                _ => return Err(SettingsError::PublicUrl(url.clone())),
            }
        }
        if release && self.twilio_signature_check == Toggle::Off {
            return Err(SettingsError::CheckOffInRelease);
        }
        let webhook_token = match (token, release) {
            (Some(token), _) => WebhookToken::Configured(token),
            (None, true) => return Err(SettingsError::NoAuthToken),
            (None, false) => WebhookToken::Development,
        };
        let metrics = match (metrics_token, release) {
            (Some(token), _) => MetricsAccess::Bearer(token),
            (None, true) => MetricsAccess::Off,
            (None, false) => MetricsAccess::Open,
        };
        Ok(Posture { webhook_token, access: Access { secure_cookies: release, metrics } })
    }

    /// The shared signing keys, each with a name and a non-empty secret.
    fn signing_keys(&self) -> Result<Vec<(String, String)>, SettingsError> {
        let Some(keys) = &self.twilio_signing_keys else { return Ok(Vec::new()) };
        keys.split(',')
            .map(|pair| match pair.trim().split_once('=') {
                Some((name, secret)) if !name.trim().is_empty() && !secret.trim().is_empty() => {
                    Ok((name.trim().to_string(), secret.trim().to_string()))
                }
                _ => Err(SettingsError::SigningKeys(
                    pair.split('=').next().unwrap_or_default().trim().to_string(),
                )),
            })
            .collect()
    }

    /// How webhooks are checked: against `token` (see `Posture::webhook_token`).
    pub fn twilio(&self, token: &str) -> Result<TwilioConfig, SettingsError> {
        if token.trim().is_empty() {
            return Err(SettingsError::Empty("TWILIO_AUTH_TOKEN"));
        }
        let keys = self.signing_keys()?;
        Ok(TwilioConfig {
            verifier: (self.twilio_signature_check == Toggle::On)
                .then(|| Verifier::new(token.to_string(), keys)),
            public_url: self.public_url.clone(),
            speech_model: self.speech_model.clone(),
            speech_model_es: self.speech_model_es.clone(),
        })
    }

    pub fn delivery(&self) -> Delivery {
        let texts = match (&self.twilio_account_sid, &self.twilio_auth_token) {
            (Some(sid), Some(token)) => {
                Some(Rest::new(&self.twilio_api_base, sid.clone(), token.to_string()))
            }
            _ => None,
        };
        Delivery {
            texts: texts.map(|rest| Arc::new(rest) as Arc<dyn Texts>),
            // Assembled with the Rent Manager client and the mailer (see `App::new`).
            records: None,
            mail: None,
            sms_from: self.twilio_sms_from.clone(),
            lease: Duration::from_secs(self.outbox_lease_seconds),
            caller_texts: self.caller_texts == Toggle::On,
            status_callback: self.public_url.as_deref().map(crate::twilio::sms_status_url),
        }
    }

    pub fn rent_manager(&self) -> Result<Option<RentManager>, String> {
        let Some(url) = &self.rent_manager_url else { return Ok(None) };
        let auth =
            match (&self.rent_manager_api_key, &self.rent_manager_username, &self.rent_manager_password) {
                (Some(key), _, _) => Auth::ApiKey(key.to_string()),
                (None, Some(username), Some(password)) => Auth::Login {
                    username: username.clone(),
                    password: password.to_string(),
                    location_id: self.rent_manager_location_id,
                },
                _ => {
                    return Err(
                        "RENT_MANAGER_URL is set: set RENT_MANAGER_API_KEY, or RENT_MANAGER_USERNAME and \
                            RENT_MANAGER_PASSWORD"
                            .into(),
                    );
                }
            };
        RentManager::new(rent_manager::Settings {
            url: url.clone(),
            auth,
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(10),
            category: self.rent_manager_category.clone(),
            status: self.rent_manager_status.clone(),
        })
        .map(Some)
        .map_err(|e| e.to_string())
    }

    /// E-mail to the office: on when both `SMTP_URL` and `OFFICE_EMAIL` are set.
    pub fn mail(&self) -> Result<Option<mail::Settings>, String> {
        match (&self.smtp_url, &self.office_email) {
            (Some(url), Some(to)) => {
                mail::Settings::parse(url, to, self.mail_from.as_deref(), &self.digest_at)
                    .map(Some)
                    .map_err(|e| e.to_string())
            }
            _ => Ok(None),
        }
    }

    /// Every outside service, as configured; webhooks are checked against `webhook_token`.
    pub fn outside(&self, webhook_token: &str) -> Result<Outside, String> {
        Ok(Outside {
            mail: self.mail()?,
            model: self.model(),
            twilio: self.twilio(webhook_token).map_err(|e| e.to_string())?,
            delivery: self.delivery(),
            rent_manager: self.rent_manager()?,
            lookup_deadline: Duration::from_millis(self.rent_manager_lookup_ms),
            early: self.early(),
        })
    }

    /// Speculative readings and the caller's wait; the deadline is the model's.
    pub fn early(&self) -> EarlySettings {
        EarlySettings {
            speculative_readings: self.speculative_readings,
            stable: Duration::from_millis(self.partial_stable_ms),
            max_words: self.speculation_max_words,
            grace: Duration::from_millis(self.hold_grace_ms),
            reply_wait: Duration::from_millis(self.hold_reply_wait_ms),
            deadline: Duration::from_millis(self.openai_deadline_ms),
        }
    }

    pub fn model(&self) -> Option<Model> {
        self.model_settings().map(Model::new)
    }

    pub fn model_settings(&self) -> Option<ModelSettings> {
        self.openai_api_key.as_ref().map(|key| ModelSettings {
            api_key: key.clone(),
            base_url: self.openai_base_url.clone(),
            model: self.openai_model.clone(),
            deadline: Duration::from_millis(self.openai_deadline_ms),
            azure: self
                .openai_azure_deployment
                .clone()
                .map(|deployment| Azure { deployment, api_version: self.openai_api_version.clone() }),
            key_header: self.openai_key_header.map(|header| match header {
                KeyHeaderSetting::Bearer => KeyHeader::Bearer,
                KeyHeaderSetting::ApiKey => KeyHeader::ApiKey,
            }),
        })
    }

    /// What runs on defaults and what to set to change it, in plain words for the log.
    pub fn report(&self) -> Vec<(Level, String)> {
        let mut lines = Vec::new();
        let info = |s: String| (Level::Info, s);
        let warn = |s: String| (Level::Warn, s);
        lines.push(if self.database_url.starts_with("sqlite:") {
            info(format!("database: SQLite at {} (set DATABASE_URL=postgres://... to share one database between workers)", self.database_url))
        } else {
            info("database: PostgreSQL from DATABASE_URL".into())
        });
        lines.push(match &self.office_profile {
            Some(path) => info(format!("office profile: {}", path.display())),
            None => info(
                "office profile: the built-in seed office (set OFFICE_PROFILE=path/to/office.toml for yours)"
                    .into(),
            ),
        });
        lines.push(match &self.rent_manager_url {
            Some(url) => info(format!(
                "caller directory and service issues: Rent Manager at {url} (lookups wait at most {} ms)",
                self.rent_manager_lookup_ms
            )),
            None => info("caller directory: the local directory in the database, with demo tenants (set RENT_MANAGER_URL for Rent Manager)".into()),
        });
        lines.push(match (&self.openai_api_key, &self.openai_azure_deployment) {
            (Some(_), Some(deployment)) => info(format!(
                "brain: Azure OpenAI deployment {deployment} at {} (api-version {}) within {} ms per turn, keyword rules when it fails; structured replies negotiated in the background",
                self.openai_base_url.as_deref().unwrap_or("(OPENAI_BASE_URL unset!)"),
                self.openai_api_version,
                self.openai_deadline_ms
            )),
            (Some(_), None) => info(format!(
                "brain: {} at {} within {} ms per turn, keyword rules when it fails; structured replies negotiated in the background",
                self.openai_model,
                self.openai_base_url.as_deref().unwrap_or("OpenAI"),
                self.openai_deadline_ms
            )),
            (None, _) => info("brain: keyword rules (set OPENAI_API_KEY to let GPT-4o read callers)".into()),
        });
        lines.push(match &self.public_url {
            Some(url) => info(format!("public URL: {url} (Twilio signatures are checked against it)")),
            None => info("public URL: each request's own Host (set PUBLIC_URL when behind a proxy)".into()),
        });
        lines.push(match (&self.twilio_account_sid, &self.twilio_auth_token) {
            (Some(_), Some(_)) => info(format!(
                "texts: to on-call staff{} through Twilio at {}; delivery receipts {}",
                match self.caller_texts {
                    Toggle::On => " and to callers after a request or a message (CALLER_TEXTS=off stops those)",
                    Toggle::Off => " (not to callers: CALLER_TEXTS=off)",
                },
                self.twilio_api_base,
                match &self.public_url {
                    Some(url) => format!("at {}", crate::twilio::sms_status_url(url)),
                    None => "off (set PUBLIC_URL)".into(),
                }
            )),
            _ => warn("on-call texts: off; emergencies are still dialled, and their texts wait in the outbox as failed (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)".into()),
        });
        lines.push(match (&self.smtp_url, &self.office_email, self.mail()) {
            (_, _, Ok(Some(mail))) => info(format!(
                "e-mail to the office: call summaries{} to {} (from {})",
                match mail.digest_at {
                    Some(at) => format!(" and a daily digest at {}", at.format("%H:%M")),
                    None => String::new(),
                },
                mail.recipients(),
                mail.from.email
            )),
            (_, _, Err(e)) => warn(format!("e-mail to the office: {e}")),
            (Some(_), None, _) => warn("e-mail to the office: off, OFFICE_EMAIL is not set (SMTP_URL is)".into()),
            (None, Some(_), _) => warn("e-mail to the office: off, SMTP_URL is not set (OFFICE_EMAIL is)".into()),
            _ => info("e-mail to the office: off (set SMTP_URL and OFFICE_EMAIL for call summaries and a daily digest)".into()),
        });
        if self.twilio_auth_token.is_none() {
            lines.push(warn("TWILIO_AUTH_TOKEN is not set: webhooks must be signed with this database's random development token, so only `frontdesk call` (same DATABASE_URL) can talk to this server, not Twilio; release builds refuse to start like this".into()));
        }
        lines.push(match &self.metrics_token {
            Some(_) => info("metrics: /metrics with Authorization: Bearer $METRICS_TOKEN".into()),
            None => info("metrics: /metrics is open in debug builds, off in release builds (set METRICS_TOKEN for Prometheus)".into()),
        });
        if self.twilio_signature_check == Toggle::Off {
            lines.push(warn("TWILIO_SIGNATURE_CHECK=off: webhooks are NOT authenticated; anyone who can reach this server can impersonate Twilio".into()));
        }
        lines
    }
}

/// Rocket's settings: the repository's `Rocket.toml` is compiled in as the defaults, so the
/// binary behaves the same from any directory; a `Rocket.toml` (or `ROCKET_CONFIG`) in the
/// working directory and `ROCKET_*` variables still override it, and `PORT` has the last word.
pub fn rocket_figment(port: u16) -> Figment {
    Figment::from(rocket::Config::default())
        .merge(Toml::string(include_str!("../Rocket.toml")).nested())
        .merge(Toml::file(Env::var_or("ROCKET_CONFIG", "Rocket.toml")).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .merge(Serialized::global("port", port))
        .select(Profile::from_env_or("ROCKET_PROFILE", rocket::Config::DEFAULT_PROFILE))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    fn settings(args: &[&str]) -> Settings {
        Cli::parse_from(std::iter::once("frontdesk").chain(args.iter().copied())).settings
    }

    #[test]
    fn settings_print_without_their_secrets() {
        let settings = settings(&[
            "--twilio-auth-token", "tok-123", "--openai-api-key", "sk-999", "--rent-manager-password",
            "pw-777", "--metrics-token", "mt-555",
        ]);
        let printed = format!("{settings:?} {:?}", settings.model_settings());
        for secret in ["tok-123", "sk-999", "pw-777", "mt-555"] {
            assert!(!printed.contains(secret), "{secret} printed");
        }
        assert_eq!(settings.twilio_auth_token.as_deref(), Some("tok-123"));
    }

    #[test]
    fn turning_the_signature_check_off_is_explicit_and_warned_about() {
        let on = settings(&["--twilio-auth-token", "t", "--twilio-account-sid", "AC1"]);
        assert!(on.twilio("t").unwrap().verifier.is_some());
        assert!(on.report().iter().all(|(level, _)| *level == Level::Info));

        let off = settings(&["--twilio-auth-token", "t", "--twilio-signature-check", "off"]);
        assert!(off.twilio("t").unwrap().verifier.is_none());
        assert!(
            off.report()
                .iter()
                .any(|(level, line)| *level == Level::Warn && line.contains("NOT authenticated"))
        );
    }

    #[test]
    fn azure_openai_is_a_deployment_an_api_version_and_the_api_key_header() {
        let azure = settings(&[
            "--openai-api-key", "k", "--openai-base-url", "https://office.openai.azure.com",
            "--openai-azure-deployment", "fd-4o",
        ])
        .model_settings()
        .unwrap();
        assert_eq!(
            azure.api().url(),
            "https://office.openai.azure.com/openai/deployments/fd-4o/chat/completions?api-version=2024-10-21"
        );
        assert_eq!(azure.key_header(), KeyHeader::ApiKey);

        let local = settings(&["--openai-api-key", "k", "--openai-base-url", "http://127.0.0.1:11434/v1"])
            .model_settings()
            .unwrap();
        assert_eq!(local.api().url(), "http://127.0.0.1:11434/v1/chat/completions");
        assert_eq!(local.key_header(), KeyHeader::Bearer);
        let v1 =
            settings(&["--openai-api-key", "k", "--openai-key-header", "api-key"]).model_settings().unwrap();
        assert_eq!(v1.key_header(), KeyHeader::ApiKey);
        assert!(settings(&[]).model_settings().is_none());
    }

    #[test]
    fn a_debug_build_without_a_token_uses_the_databases_development_token_and_says_so() {
        let dev = settings(&[]);
        let posture = dev.posture(false).unwrap();
        assert_eq!(posture.webhook_token, WebhookToken::Development);
        assert_eq!(posture.access, Access { secure_cookies: false, metrics: MetricsAccess::Open });
        assert!(
            dev.report()
                .iter()
                .any(|(level, line)| *level == Level::Warn && line.contains("TWILIO_AUTH_TOKEN"))
        );
        // Debug builds still honour a metrics token, and allow the check off for experiments.
        let posture = settings(&["--metrics-token", "m", "--twilio-signature-check", "off"]).posture(false);
        assert_eq!(posture.unwrap().access.metrics, MetricsAccess::Bearer("m".into()));
    }

    #[test]
    fn a_release_build_refuses_what_would_let_anyone_forge_a_call() {
        assert_eq!(settings(&[]).posture(true), Err(SettingsError::NoAuthToken));
        let off = settings(&["--twilio-auth-token", "t", "--twilio-signature-check", "off"]);
        assert_eq!(off.posture(true), Err(SettingsError::CheckOffInRelease));

        let ok = settings(&["--twilio-auth-token", "t"]).posture(true).unwrap();
        assert_eq!(ok.webhook_token, WebhookToken::Configured("t".into()));
        assert_eq!(ok.access, Access { secure_cookies: true, metrics: MetricsAccess::Off });
        let scraped = settings(&["--twilio-auth-token", "t", "--metrics-token", "m"]).posture(true).unwrap();
        assert_eq!(scraped.access.metrics, MetricsAccess::Bearer("m".into()));
    }

    #[test]
    fn an_empty_secret_is_an_error_in_every_build() {
        for release in [false, true] {
            for (args, name) in [
                (&["--twilio-auth-token", ""][..], "TWILIO_AUTH_TOKEN"),
                (&["--twilio-auth-token", "  "][..], "TWILIO_AUTH_TOKEN"),
                (&["--twilio-auth-token", "t", "--metrics-token", ""][..], "METRICS_TOKEN"),
                (&["--twilio-auth-token", "t", "--twilio-signing-keys", ""][..], "TWILIO_SIGNING_KEYS"),
            ] {
                assert_eq!(settings(args).posture(release), Err(SettingsError::Empty(name)), "{args:?}");
            }
            for keys in ["SK1=", "SK1", "=secret", "SK1=a,SK2= "] {
                let args = ["--twilio-auth-token", "t", "--twilio-signing-keys", keys];
                assert!(
                    matches!(settings(&args).posture(release), Err(SettingsError::SigningKeys(_))),
                    "{keys}"
                );
            }
        }
        assert!(settings(&[]).twilio("").is_err());
        let keys = settings(&["--twilio-signing-keys", "SK1=a, SK2=b"]);
        assert_eq!(keys.signing_keys().unwrap(), [("SK1".into(), "a".into()), ("SK2".into(), "b".into())]);
    }

    #[test]
    fn email_to_the_office_needs_both_settings_and_says_what_is_wrong() {
        assert!(settings(&[]).mail().unwrap().is_none());
        let half = settings(&["--smtp-url", "smtp://127.0.0.1:2525"]);
        assert!(half.mail().unwrap().is_none());
        assert!(
            half.report().iter().any(|(level, line)| *level == Level::Warn && line.contains("OFFICE_EMAIL"))
        );

        let on = settings(&[
            "--smtp-url", "smtps://fd:pa55@smtp.example.com", "--office-email",
            "a@example.com, b@example.com",
        ]);
        let mail = on.mail().unwrap().unwrap();
        assert_eq!(mail.recipients(), "a@example.com, b@example.com");
        assert_eq!(mail.from.email.to_string(), "a@example.com");
        assert_eq!(mail.digest_at, chrono::NaiveTime::from_hms_opt(7, 30, 0));
        let line = on.report().into_iter().find(|(_, line)| line.starts_with("e-mail")).unwrap();
        assert_eq!(
            line,
            (
                Level::Info,
                "e-mail to the office: call summaries and a daily digest at 07:30 to a@example.com, \
                 b@example.com (from a@example.com)"
                    .into()
            )
        );
        assert!(!format!("{:?}", on.report()).contains("pa55"), "the password is never printed");

        for (args, wrong) in [
            (&["--smtp-url", "smtp//nowhere", "--office-email", "a@example.com"][..], "SMTP_URL"),
            (&["--smtp-url", "smtp://h", "--office-email", "not an address"][..], "OFFICE_EMAIL"),
            (
                &["--smtp-url", "smtp://h", "--office-email", "a@example.com", "--digest-at", "7am"][..],
                "DIGEST_AT",
            ),
        ] {
            let error = settings(args).mail().err().unwrap_or_default();
            assert!(error.contains(wrong), "{args:?}: {error}");
        }
        let off =
            settings(&["--smtp-url", "smtp://h", "--office-email", "a@example.com", "--digest-at", "off"]);
        assert_eq!(off.mail().unwrap().unwrap().digest_at, None);
    }

    #[test]
    fn a_public_url_must_be_an_address() {
        for bad in ["frontdesk.example.com", "ftp://x/", "https://"] {
            let posture = settings(&["--public-url", bad]).posture(false);
            assert!(matches!(posture, Err(SettingsError::PublicUrl(_))), "{bad}");
        }
        assert!(settings(&["--public-url", "https://host.example/frontdesk"]).posture(false).is_ok());
    }
}
