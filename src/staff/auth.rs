//! Staff accounts, sessions and the guards that protect every staff page.
//!
//! Sessions live in a private (encrypted and authenticated) cookie that is HttpOnly and
//! SameSite=Strict; they expire after `SESSION_HOURS`. Every form carries a CSRF token that
//! must match the one in the visitor's private cookie. Failed logins are slowed down per
//! account and per address, then refused for a while.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::outcome::{IntoOutcome, Outcome};
use rocket::request::{self, FromRequest, Request};
use subtle::ConstantTimeEq;

use crate::App;
use crate::db::{Db, millis};

pub const SESSION_HOURS: i64 = 12;
const SESSION: &str = "staff_session";
const CSRF: &str = "csrf";

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("a name is needed")]
    EmptyName,
    #[error("the password must be at least 8 characters")]
    ShortPassword,
}

/// Creates a staff account, or sets a new password for an existing one; `true` if created.
pub async fn add(db: &Db, name: &str, password: &str) -> Result<bool, AccountError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AccountError::EmptyName);
    }
    if password.chars().count() < 8 {
        return Err(AccountError::ShortPassword);
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AccountError::Hash(e.to_string()))?
        .to_string();
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_users WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    match existing {
        Some(id) => {
            sqlx::query("UPDATE staff_users SET password_hash = $2 WHERE id = $1")
                .bind(id)
                .bind(hash)
                .execute(&db.pool)
                .await?;
            Ok(false)
        }
        None => {
            sqlx::query("INSERT INTO staff_users (name, password_hash, created_at) VALUES ($1, $2, $3)")
                .bind(name)
                .bind(hash)
                .bind(millis(chrono::Utc::now()))
                .execute(&db.pool)
                .await?;
            Ok(true)
        }
    }
}

/// The account's id if the password is right. Argon2 is deliberately slow, so it runs off
/// the async workers.
pub async fn verify(db: &Db, name: &str, password: &str) -> Result<Option<i64>, AccountError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM staff_users WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&db.pool)
            .await?;
    let Some((id, hash)) = row else { return Ok(None) };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false);
    Ok(ok.then_some(id))
}

/// A logged-in staff member: the guard on every staff page and endpoint.
pub struct StaffUser {
    pub id: i64,
    pub name: String,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for StaffUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let Some(app) = req.rocket().state::<App>() else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        let session = req.cookies().get_private(SESSION).and_then(|c| {
            let (id, issued) = c.value().split_once(':')?;
            Some((id.parse::<i64>().ok()?, issued.parse::<i64>().ok()?))
        });
        let now = millis(app.clock.now());
        let Some((id, _)) = session.filter(|(_, issued)| now - issued < SESSION_HOURS * 3_600_000) else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM staff_users WHERE id = $1")
            .bind(id)
            .fetch_optional(&app.db.pool)
            .await
            .ok()
            .flatten();
        name.map(|name| StaffUser { id, name }).or_error((Status::Unauthorized, ()))
    }
}

pub fn start_session(cookies: &CookieJar<'_>, id: i64, now: i64) {
    cookies.add_private(
        Cookie::build((SESSION, format!("{id}:{now}"))).http_only(true).same_site(SameSite::Strict).path("/"),
    );
}

pub fn end_session(cookies: &CookieJar<'_>) {
    cookies.remove_private(Cookie::build(SESSION).path("/"));
}

/// The visitor's CSRF token, created on first sight; forms carry it back.
pub struct Csrf(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Csrf {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let cookies = req.cookies();
        if let Some(token) = cookies.get_private(CSRF) {
            return Outcome::Success(Csrf(token.value().to_string()));
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        cookies.add_private(
            Cookie::build((CSRF, token.clone())).http_only(true).same_site(SameSite::Strict).path("/"),
        );
        Outcome::Success(Csrf(token))
    }
}

impl Csrf {
    /// Whether a submitted form token is this visitor's.
    pub fn accepts(&self, submitted: &str) -> bool {
        !submitted.is_empty() && bool::from(self.0.as_bytes().ct_eq(submitted.as_bytes()))
    }
}

/// Failed logins per account name and per address: each failure past the third doubles a
/// wait before the next try is even checked; after ten, the key is refused for a while.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

pub enum Verdict {
    Go,
    Wait(Duration),
    Refuse(Duration),
}

const FREE_TRIES: u32 = 3;
const MAX_TRIES: u32 = 10;
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

impl Throttle {
    fn keys(name: &str, ip: Option<IpAddr>) -> [String; 2] {
        [
            format!("name:{}", name.trim().to_lowercase()),
            format!("ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
        ]
    }

    pub fn verdict(&self, name: &str, ip: Option<IpAddr>, now: Instant) -> Verdict {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let worst = Self::keys(name, ip)
            .iter()
            .filter_map(|k| map.get(k))
            .filter(|(_, last)| now.duration_since(*last) < FORGET_AFTER)
            .map(|&(count, last)| (count, last))
            .max_by_key(|(count, _)| *count);
        match worst {
            Some((count, last)) if count >= MAX_TRIES => {
                Verdict::Refuse(FORGET_AFTER - now.duration_since(last))
            }
            Some((count, _)) if count >= FREE_TRIES => {
                Verdict::Wait(Duration::from_secs(1 << (count - FREE_TRIES).min(3)))
            }
            _ => Verdict::Go,
        }
    }

    pub fn failed(&self, name: &str, ip: Option<IpAddr>, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        for key in Self::keys(name, ip) {
            let entry = map.entry(key).or_insert((0, now));
            *entry = (entry.0 + 1, now);
        }
    }

    pub fn succeeded(&self, name: &str, ip: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in Self::keys(name, ip) {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_then_refuse() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let ip = Some("10.0.0.1".parse().unwrap());
        for _ in 0..FREE_TRIES {
            assert!(matches!(throttle.verdict("diane", ip, now), Verdict::Go));
            throttle.failed("diane", ip, now);
        }
        assert!(
            matches!(throttle.verdict("Diane", None, now), Verdict::Wait(d) if d == Duration::from_secs(1))
        );
        for _ in FREE_TRIES..MAX_TRIES {
            throttle.failed("diane", ip, now);
        }
        assert!(
            matches!(throttle.verdict("someone-else", ip, now), Verdict::Refuse(_)),
            "the address is refused too"
        );
        assert!(
            matches!(throttle.verdict("diane", None, now + FORGET_AFTER), Verdict::Go),
            "forgotten in time"
        );
        throttle.succeeded("diane", ip);
        assert!(matches!(throttle.verdict("diane", ip, now), Verdict::Go));
    }
}
