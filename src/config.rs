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

use crate::Outside;
use crate::brain::{Model, ModelSettings};
use crate::call::early::EarlySettings;
use crate::outbox::{Delivery, Texts};
use crate::rent_manager::{self, Auth, RentManager};
use crate::twilio::TwilioConfig;
use crate::twilio::rest::Rest;
use crate::twilio::signature::Verifier;

/// The auth token used when `TWILIO_AUTH_TOKEN` is unset, so that `frontdesk call` works
/// against a fresh `frontdesk` out of the box. Real Twilio requests never match it.
pub const DEV_AUTH_TOKEN: &str = "frontdesk-development-token";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Toggle {
    On,
    Off,
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
    pub twilio_auth_token: Option<String>,
    /// The Twilio account, for texting on-call staff about emergencies.
    #[arg(long, env = "TWILIO_ACCOUNT_SID")]
    pub twilio_account_sid: Option<String>,
    /// Where Twilio's REST API is (tests point it at a local server).
    #[arg(long, env = "TWILIO_API_BASE", default_value = crate::twilio::rest::DEFAULT_API_BASE)]
    pub twilio_api_base: String,
    /// The number (or Messaging Service SID) on-call texts come from [default: the number the caller dialled].
    #[arg(long, env = "TWILIO_SMS_FROM")]
    pub twilio_sms_from: Option<String>,
    /// Rent Manager's API, e.g. https://yourcompany.api.rentmanager.com; unset, the local
    /// directory is the system of record.
    #[arg(long, env = "RENT_MANAGER_URL")]
    pub rent_manager_url: Option<String>,
    #[arg(long, env = "RENT_MANAGER_USERNAME")]
    pub rent_manager_username: Option<String>,
    #[arg(long, env = "RENT_MANAGER_PASSWORD", hide_env_values = true)]
    pub rent_manager_password: Option<String>,
    #[arg(long, env = "RENT_MANAGER_LOCATION_ID")]
    pub rent_manager_location_id: Option<i64>,
    /// A ready API token, instead of the username and password.
    #[arg(long, env = "RENT_MANAGER_API_KEY", hide_env_values = true)]
    pub rent_manager_api_key: Option<String>,
    /// How long a call's start waits on Rent Manager to say who is calling.
    #[arg(long, env = "RENT_MANAGER_LOOKUP_MS", default_value_t = 1500)]
    pub rent_manager_lookup_ms: u64,
    /// The office's Service Manager category and status for new issues, by name.
    #[arg(long, env = "RENT_MANAGER_CATEGORY", default_value = "Maintenance")]
    pub rent_manager_category: String,
    #[arg(long, env = "RENT_MANAGER_STATUS", default_value = "Open")]
    pub rent_manager_status: String,
    /// How long a worker may hold an outbox item before another may retake it.
    #[arg(long, env = "OUTBOX_LEASE_SECONDS", default_value_t = 60)]
    pub outbox_lease_seconds: u64,
    /// Shared signing keys for HMAC-SHA256 webhook signatures, as NAME=SECRET[,NAME=SECRET].
    #[arg(long, env = "TWILIO_SIGNING_KEYS", hide_env_values = true)]
    pub twilio_signing_keys: Option<String>,
    /// `off` accepts unsigned webhooks: only for local experiments, and warned about at start.
    #[arg(long, env = "TWILIO_SIGNATURE_CHECK", value_enum, default_value_t = Toggle::On)]
    pub twilio_signature_check: Toggle,
    /// An OpenAI API key: with one, GPT-4o reads callers and proposes lines; without, the rules do.
    #[arg(long, env = "OPENAI_API_KEY", hide_env_values = true)]
    pub openai_api_key: Option<String>,
    /// The chat model.
    #[arg(long, env = "OPENAI_MODEL", default_value = "gpt-4o")]
    pub openai_model: String,
    /// Any OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 [default: OpenAI's].
    #[arg(long, env = "OPENAI_BASE_URL")]
    pub openai_base_url: Option<String>,
    /// How long a turn may wait for the model before the rules answer (Twilio gives up at 15 s).
    #[arg(long, env = "OPENAI_DEADLINE_MS", default_value_t = 4000)]
    pub openai_deadline_ms: u64,
    /// Twilio's speech recognition model for <Gather>.
    #[arg(long, env = "SPEECH_MODEL", default_value = "phone_call")]
    pub speech_model: String,
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
}

impl Settings {
    pub fn auth_token(&self) -> &str {
        self.twilio_auth_token.as_deref().unwrap_or(DEV_AUTH_TOKEN)
    }

    pub fn twilio(&self) -> TwilioConfig {
        let keys = self
            .twilio_signing_keys
            .iter()
            .flat_map(|keys| keys.split(','))
            .filter_map(|pair| pair.trim().split_once('='))
            .map(|(name, secret)| (name.to_string(), secret.to_string()))
            .collect();
        TwilioConfig {
            verifier: (self.twilio_signature_check == Toggle::On)
                .then(|| Verifier::new(self.auth_token().to_string(), keys)),
            public_url: self.public_url.clone(),
            speech_model: self.speech_model.clone(),
        }
    }

    pub fn delivery(&self) -> Delivery {
        let texts = match (&self.twilio_account_sid, &self.twilio_auth_token) {
            (Some(sid), Some(token)) => Some(Rest::new(&self.twilio_api_base, sid.clone(), token.clone())),
            _ => None,
        };
        Delivery {
            texts: texts.map(|rest| Arc::new(rest) as Arc<dyn Texts>),
            // Assembled with the Rent Manager client (see `App::new`).
            records: None,
            sms_from: self.twilio_sms_from.clone(),
            lease: Duration::from_secs(self.outbox_lease_seconds),
        }
    }

    pub fn rent_manager(&self) -> Result<Option<RentManager>, String> {
        let Some(url) = &self.rent_manager_url else { return Ok(None) };
        let auth =
            match (&self.rent_manager_api_key, &self.rent_manager_username, &self.rent_manager_password) {
                (Some(key), _, _) => Auth::ApiKey(key.clone()),
                (None, Some(username), Some(password)) => Auth::Login {
                    username: username.clone(),
                    password: password.clone(),
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

    /// Every outside service, as configured.
    pub fn outside(&self) -> Result<Outside, String> {
        Ok(Outside {
            model: self.model(),
            twilio: self.twilio(),
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
        self.openai_api_key.as_ref().map(|key| {
            Model::new(ModelSettings {
                api_key: key.clone(),
                base_url: self.openai_base_url.clone(),
                model: self.openai_model.clone(),
                deadline: Duration::from_millis(self.openai_deadline_ms),
            })
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
        lines.push(match &self.openai_api_key {
            Some(_) => info(format!(
                "brain: {} at {} within {} ms per turn, keyword rules when it fails",
                self.openai_model,
                self.openai_base_url.as_deref().unwrap_or("OpenAI"),
                self.openai_deadline_ms
            )),
            None => info("brain: keyword rules (set OPENAI_API_KEY to let GPT-4o read callers)".into()),
        });
        lines.push(match &self.public_url {
            Some(url) => info(format!("public URL: {url} (Twilio signatures are checked against it)")),
            None => info("public URL: each request's own Host (set PUBLIC_URL when behind a proxy)".into()),
        });
        lines.push(match (&self.twilio_account_sid, &self.twilio_auth_token) {
            (Some(_), Some(_)) => info(format!("on-call texts: through Twilio at {}", self.twilio_api_base)),
            _ => warn("on-call texts: off; emergencies are still dialled, and their texts wait in the outbox as failed (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)".into()),
        });
        if self.twilio_auth_token.is_none() {
            lines.push(warn("TWILIO_AUTH_TOKEN is not set: webhooks must be signed with the development token, so only `frontdesk call` can talk to this server, not Twilio".into()));
        }
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
    fn turning_the_signature_check_off_is_explicit_and_warned_about() {
        let on = settings(&["--twilio-auth-token", "t", "--twilio-account-sid", "AC1"]);
        assert!(on.twilio().verifier.is_some());
        assert!(on.report().iter().all(|(level, _)| *level == Level::Info));

        let off = settings(&["--twilio-auth-token", "t", "--twilio-signature-check", "off"]);
        assert!(off.twilio().verifier.is_none());
        assert!(
            off.report()
                .iter()
                .any(|(level, line)| *level == Level::Warn && line.contains("NOT authenticated"))
        );
    }

    #[test]
    fn without_a_token_the_development_token_signs_and_the_log_says_so() {
        let dev = settings(&[]);
        assert_eq!(dev.auth_token(), DEV_AUTH_TOKEN);
        assert!(
            dev.report()
                .iter()
                .any(|(level, line)| *level == Level::Warn && line.contains("TWILIO_AUTH_TOKEN"))
        );
    }
}
