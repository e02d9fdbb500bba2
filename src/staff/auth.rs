//! Staff accounts, sessions and the guards that protect every staff page.
//!
//! Sessions live in a private (encrypted and authenticated) cookie that is HttpOnly,
//! SameSite=Strict and, in release builds, Secure; they expire after `SESSION_HOURS`, and
//! end early when their person logs out or gets a new password (the cookie carries the
//! account's session generation, which both bump). Every form carries a CSRF token that must
//! match the one in the visitor's private cookie. Failed logins are throttled (`Throttle`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::outcome::Outcome;
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
    #[error("there is no staff account named {0:?}")]
    NoSuchAccount(String),
}

fn hash(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < 8 {
        return Err(AccountError::ShortPassword);
    }
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AccountError::Hash(e.to_string()))?
        .to_string())
}

/// Creates a staff account, or sets a new password for an existing one (ending its
/// sessions); `true` if created.
pub async fn add(db: &Db, name: &str, password: &str) -> Result<bool, AccountError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AccountError::EmptyName);
    }
    let hash = hash(password)?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_users WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    match existing {
        Some(_) => {
            set_password(db, name, &hash).await?;
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

/// A new password for an existing account: every session it had ends.
pub async fn passwd(db: &Db, name: &str, password: &str) -> Result<(), AccountError> {
    let hash = hash(password)?;
    match set_password(db, name.trim(), &hash).await? {
        true => Ok(()),
        false => Err(AccountError::NoSuchAccount(name.trim().to_string())),
    }
}

async fn set_password(db: &Db, name: &str, hash: &str) -> Result<bool, AccountError> {
    let done = sqlx::query(
        "UPDATE staff_users SET password_hash = $2, session_generation = session_generation + 1 WHERE name = $1",
    )
    .bind(name)
    .bind(hash)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes an account; its sessions end with it (the guard finds no account).
pub async fn remove(db: &Db, name: &str) -> Result<(), AccountError> {
    let done =
        sqlx::query("DELETE FROM staff_users WHERE name = $1").bind(name.trim()).execute(&db.pool).await?;
    match done.rows_affected() {
        0 => Err(AccountError::NoSuchAccount(name.trim().to_string())),
        _ => Ok(()),
    }
}

/// A staff account as `frontdesk staff list` shows it.
pub struct Listed {
    pub name: String,
    pub created_at: i64,
}

/// Every staff account, by name.
pub async fn list(db: &Db) -> Result<Vec<Listed>, AccountError> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, created_at FROM staff_users ORDER BY name").fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|(name, created_at)| Listed { name, created_at }).collect())
}

/// Ends every session of this account (logging out ends them on every device).
pub async fn end_sessions(db: &Db, id: i64) -> Result<(), AccountError> {
    sqlx::query("UPDATE staff_users SET session_generation = session_generation + 1 WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A hash of a random password, made with the same parameters as real ones: a name with no
/// account is checked against it, so it costs what a real name costs and a stopwatch cannot
/// tell staff names from others.
static NO_ACCOUNT: LazyLock<String> = LazyLock::new(|| {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(&bytes, &salt).map(|h| h.to_string()).unwrap_or_default()
});

/// The hash a login is checked against: the account's, or `NO_ACCOUNT`'s.
fn hash_to_check(stored: Option<&str>) -> String {
    stored.map_or_else(|| NO_ACCOUNT.clone(), String::from)
}

/// An account whose password was right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub generation: i64,
}

/// The account if the password is right. Argon2 is deliberately slow, so it runs off the
/// async workers, and it runs for unknown names too.
pub async fn verify(db: &Db, name: &str, password: &str) -> Result<Option<Account>, AccountError> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, password_hash, session_generation FROM staff_users WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&db.pool)
            .await?;
    let hash = hash_to_check(row.as_ref().map(|(_, hash, _)| hash.as_str()));
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false);
    Ok(row.filter(|_| matches).map(|(id, _, generation)| Account { id, generation }))
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
        let now = millis(app.clock.now());
        let session = req.cookies().get_private(SESSION).and_then(|c| Session::parse(c.value()));
        let Some(session) = session.filter(|s| now.saturating_sub(s.issued) < SESSION_HOURS * 3_600_000)
        else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        let account: Option<(String, i64)> =
            sqlx::query_as("SELECT name, session_generation FROM staff_users WHERE id = $1")
                .bind(session.id)
                .fetch_optional(&app.db.pool)
                .await
                .ok()
                .flatten();
        match account {
            Some((name, generation)) if generation == session.generation => {
                Outcome::Success(StaffUser { id: session.id, name })
            }
            _ => Outcome::Error((Status::Unauthorized, ())),
        }
    }
}

/// What the session cookie holds: `id:issued:generation`.
struct Session {
    id: i64,
    issued: i64,
    generation: i64,
}

impl Session {
    fn parse(value: &str) -> Option<Session> {
        let mut parts = value.split(':').map(str::parse::<i64>);
        let session =
            Session { id: parts.next()?.ok()?, issued: parts.next()?.ok()?, generation: parts.next()?.ok()? };
        parts.next().is_none().then_some(session)
    }
}

/// A cookie of the staff pages: private to this server's pages, and in release builds sent
/// over https only.
fn cookie(app: Option<&App>, name: &'static str, value: String) -> Cookie<'static> {
    let secure = app.is_some_and(|app| app.access.secure_cookies);
    Cookie::build((name, value)).http_only(true).same_site(SameSite::Strict).secure(secure).path("/").build()
}

pub fn start_session(app: &App, cookies: &CookieJar<'_>, account: Account, now: i64) {
    cookies.add_private(cookie(Some(app), SESSION, format!("{}:{now}:{}", account.id, account.generation)));
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
        cookies.add_private(cookie(req.rocket().state::<App>(), CSRF, token.clone()));
        Outcome::Success(Csrf(token))
    }
}

impl Csrf {
    /// Whether a submitted form token is this visitor's.
    pub fn accepts(&self, submitted: &str) -> bool {
        !submitted.is_empty() && bool::from(self.0.as_bytes().ct_eq(submitted.as_bytes()))
    }
}

/// Failed logins. Counted per client address, which after `MAX_TRIES` is refused for a
/// while; and per account name, which is only ever slowed down, never refused: staff first
/// names are spoken to every caller, and a name that could be locked would let anyone lock
/// staff out. Each failure past the third, by address or name, doubles a wait (up to 8
/// `unit`s) before the next try is even checked.
///
/// Memory is bounded: at most `MAX_KEYS` addresses and names, names cut to `NAME_KEY`
/// characters; past the bound new keys go uncounted (the others still are). Old entries go
/// on a timer (`spawn_pruning`), never in a scan on a request's path.
pub struct Throttle {
    addresses: Mutex<HashMap<Option<IpAddr>, Failures>>,
    names: Mutex<HashMap<String, Failures>>,
    /// The first wait; tests shorten it.
    unit: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Go,
    Wait(Duration),
    Refuse(Duration),
}

const FREE_TRIES: u32 = 3;
const MAX_TRIES: u32 = 10;
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
pub const MAX_KEYS: usize = 10_000;
const NAME_KEY: usize = 64;

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle::new(Duration::from_secs(1))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Throttle {
    pub fn new(unit: Duration) -> Throttle {
        Throttle { addresses: Mutex::default(), names: Mutex::default(), unit }
    }

    fn name_key(name: &str) -> String {
        name.trim().to_lowercase().chars().take(NAME_KEY).collect()
    }

    fn recent(failures: Option<&Failures>, now: Instant) -> Option<Failures> {
        failures.copied().filter(|f| now.saturating_duration_since(f.last) < FORGET_AFTER)
    }

    pub fn verdict(&self, name: &str, ip: Option<IpAddr>, now: Instant) -> Verdict {
        let address = Self::recent(lock(&self.addresses).get(&ip), now);
        if let Some(address) = address.filter(|a| a.count >= MAX_TRIES) {
            return Verdict::Refuse(FORGET_AFTER.saturating_sub(now.saturating_duration_since(address.last)));
        }
        let named = Self::recent(lock(&self.names).get(&Self::name_key(name)), now);
        let count = address.map_or(0, |a| a.count).max(named.map_or(0, |n| n.count));
        match count.checked_sub(FREE_TRIES) {
            Some(past) => Verdict::Wait(self.unit.saturating_mul(1 << past.min(3))),
            None => Verdict::Go,
        }
    }

    pub fn failed(&self, name: &str, ip: Option<IpAddr>, now: Instant) {
        fn count<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Failures>, key: K, now: Instant) {
            if map.len() >= MAX_KEYS && !map.contains_key(&key) {
                return;
            }
            let failures = map.entry(key).or_insert(Failures { count: 0, last: now });
            // A count from before the forgetting time starts over.
            if now.saturating_duration_since(failures.last) >= FORGET_AFTER {
                failures.count = 0;
            }
            *failures = Failures { count: failures.count.saturating_add(1), last: now };
        }
        count(&mut lock(&self.addresses), ip, now);
        count(&mut lock(&self.names), Self::name_key(name), now);
    }

    pub fn succeeded(&self, name: &str, ip: Option<IpAddr>) {
        lock(&self.addresses).remove(&ip);
        lock(&self.names).remove(&Self::name_key(name));
    }

    /// Forgets failures older than the forgetting time.
    pub fn prune(&self, now: Instant) {
        lock(&self.addresses).retain(|_, f| now.saturating_duration_since(f.last) < FORGET_AFTER);
        lock(&self.names).retain(|_, f| now.saturating_duration_since(f.last) < FORGET_AFTER);
    }

    /// Addresses and names remembered.
    pub fn len(&self) -> (usize, usize) {
        (lock(&self.addresses).len(), lock(&self.names).len())
    }

    /// Prunes every minute, for as long as the process runs.
    pub fn spawn_pruning(self: Arc<Self>) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                self.prune(Instant::now());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([10, 0, 0, last]))
    }

    #[test]
    fn an_address_is_slowed_then_refused_but_a_name_is_only_ever_slowed() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for _ in 0..FREE_TRIES {
            assert_eq!(throttle.verdict("diane", ip(1), now), Verdict::Go);
            throttle.failed("diane", ip(1), now);
        }
        assert_eq!(throttle.verdict("Diane", ip(2), now), Verdict::Wait(Duration::from_secs(1)), "the name");
        assert_eq!(throttle.verdict("bob", ip(1), now), Verdict::Wait(Duration::from_secs(1)), "the address");
        for _ in FREE_TRIES..MAX_TRIES * 5 {
            throttle.failed("diane", ip(1), now);
        }
        assert!(matches!(throttle.verdict("someone-else", ip(1), now), Verdict::Refuse(_)), "the address");
        assert_eq!(
            throttle.verdict("diane", ip(2), now),
            Verdict::Wait(Duration::from_secs(8)),
            "the name from elsewhere: slowed, never refused"
        );
        assert_eq!(throttle.verdict("diane", ip(1), now + FORGET_AFTER), Verdict::Go, "forgotten in time");
        throttle.succeeded("diane", ip(1));
        assert_eq!(throttle.verdict("diane", ip(1), now), Verdict::Go);
    }

    #[test]
    fn memory_is_bounded_and_pruned() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for n in 0..MAX_KEYS + 50 {
            let address = IpAddr::from(u32::try_from(n).unwrap().to_be_bytes());
            throttle.failed(&format!("{n}{}", "x".repeat(10_000)), Some(address), now);
        }
        assert_eq!(throttle.len(), (MAX_KEYS, MAX_KEYS));
        assert!(lock(&throttle.names).keys().all(|k| k.chars().count() <= NAME_KEY));
        // A key already counted still counts at the bound.
        throttle.failed("whoever", Some(IpAddr::from([0, 0, 0, 0])), now);
        assert_eq!(lock(&throttle.addresses)[&Some(IpAddr::from([0, 0, 0, 0]))].count, 2);
        throttle.prune(now + FORGET_AFTER);
        assert_eq!(throttle.len(), (0, 0));
    }

    #[test]
    fn an_unknown_name_is_checked_against_a_hash_as_costly_as_a_real_one() {
        let real = hash("a real password").unwrap();
        let checked = hash_to_check(None);
        let (real, checked) = (PasswordHash::new(&real).unwrap(), PasswordHash::new(&checked).unwrap());
        assert_eq!((checked.algorithm, checked.version), (real.algorithm, real.version));
        assert_eq!(checked.params, real.params);
        assert_eq!(hash_to_check(Some("stored")), "stored");
    }

    #[test]
    fn a_session_cookie_needs_all_three_parts() {
        assert!(Session::parse("7:1700000000000:2").is_some_and(|s| (s.id, s.generation) == (7, 2)));
        for bad in ["7:1700000000000", "7:1700000000000:2:9", "x:1:2", ""] {
            assert!(Session::parse(bad).is_none(), "{bad}");
        }
    }
}
