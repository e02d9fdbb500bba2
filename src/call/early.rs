//! The caller's wait: the model's time hidden inside Twilio's Gather loop.
//!
//! While the caller speaks, Twilio posts partial transcripts. When one has stayed unchanged
//! for a short pause, a reading of it starts in the background (speculative), keyed by its
//! normalised words. Twilio only posts the final result `speechTimeout` seconds after the
//! last word, so a reading started on the last partial has that whole pause as a head start.
//! The final result uses the reading of the same words, finished or still running, or starts
//! one; the turn service waits a short grace for it, then holds the caller (see `turn`).
//!
//! Nothing here is said or stored as the turn: a reading only becomes part of the call when
//! the final result confirms its words. Partials, readings and held finals live in the
//! database, so a turn whose partials, action and redirect reach different workers still
//! gets its reading; the reading's task itself runs in one worker's memory (a worker that
//! dies mid-reading costs the caller at most the rules' answer).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::reader::{Conversation, HISTORY, Reader};
use super::reading::{Interpretation, Reading, Usage};
use super::store::{self, Found};
use super::worth::{self, Ask};
use super::{Call, Caller, Facts, pause, rules};
use crate::db::{Db, Engine, WriteTx, millis};
use crate::knowledge;
use crate::office::{Clock, Office};

/// Hold lines a turn may play before the rules answer.
pub const MAX_HOLDS: u32 = 2;

/// How often a worker looks in the database for a reading another worker is running.
const POLL: Duration = Duration::from_millis(40);

/// Local readings nobody came back for (a call that vanished) are forgotten after this.
const FORGET_AFTER: Duration = Duration::from_secs(120);

#[derive(Debug, Clone)]
pub struct EarlySettings {
    /// Speculative readings per turn, at most; 0 turns speculation off (for a local model
    /// server that answers one request at a time).
    pub speculative_readings: u32,
    /// How long a partial transcript must stay unchanged before it is read.
    pub stable: Duration,
    /// Partials longer than this many words are not read early: very long speech keeps
    /// changing to its end, and each reading would be wasted.
    pub max_words: usize,
    /// How long the final result's action waits for the reading before a hold line.
    pub grace: Duration,
    /// How long `/twilio/reply` waits at most: Twilio plays nothing meanwhile.
    pub reply_wait: Duration,
    /// The reading's whole budget, counted from the final result; then the rules answer.
    pub deadline: Duration,
}

impl Default for EarlySettings {
    fn default() -> EarlySettings {
        EarlySettings {
            speculative_readings: 2,
            stable: Duration::from_millis(900),
            max_words: 30,
            grace: Duration::from_millis(500),
            reply_wait: Duration::from_millis(1500),
            deadline: Duration::from_millis(4000),
        }
    }
}

/// A reading as it is kept between workers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub reading: Reading,
    pub model_error: Option<String>,
    pub prompt_tokens: Option<u32>,
    pub completion_tokens: Option<u32>,
    pub elapsed_ms: u64,
}

impl Stored {
    fn of(interpretation: &Interpretation) -> Stored {
        Stored {
            reading: interpretation.reading.clone(),
            model_error: interpretation.model_error.clone(),
            prompt_tokens: interpretation.usage.map(|u| u.prompt_tokens),
            completion_tokens: interpretation.usage.map(|u| u.completion_tokens),
            elapsed_ms: u64::try_from(interpretation.elapsed.as_millis()).unwrap_or(u64::MAX),
        }
    }

    pub fn interpretation(&self) -> Interpretation {
        let usage = match (self.prompt_tokens, self.completion_tokens) {
            (Some(prompt_tokens), Some(completion_tokens)) => {
                Some(Usage { prompt_tokens, completion_tokens })
            }
            _ => None,
        };
        Interpretation {
            reading: self.reading.clone(),
            model_error: self.model_error.clone(),
            usage,
            elapsed: Duration::from_millis(self.elapsed_ms),
        }
    }
}

/// Where a turn's reading started: on a partial transcript, or on the final result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ReadFrom {
    Partial,
    Final,
}

impl ReadFrom {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EarlyError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("a stored reading is unreadable: {0}")]
    Stored(#[from] serde_json::Error),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    sid: String,
    turn: u32,
    words: String,
}

/// A reading running (or done) in this worker.
struct Local {
    result: watch::Receiver<Option<Arc<Stored>>>,
    from: ReadFrom,
    started: Instant,
}

/// The reading a final result waits for.
pub struct Pending {
    key: Key,
    pub from: ReadFrom,
    /// Set when this worker runs it; otherwise the database says when it is done.
    local: Option<watch::Receiver<Option<Arc<Stored>>>>,
}

/// A final result that was answered with a hold line.
#[derive(Debug, Clone)]
pub struct Held {
    pub heard: String,
    pub confidence: Option<f64>,
    /// When the final result arrived (Unix ms): the deadline counts from here.
    pub final_at: i64,
    pub holds: u32,
    pub lines: Vec<String>,
    pub twiml: String,
}

/// Speculative readings and the wait, shared by the requests of one worker.
pub struct Early {
    pub db: Db,
    pub reader: Arc<dyn Reader>,
    pub office: Arc<Office>,
    pub knowledge: knowledge::Shared,
    pub clock: Arc<dyn Clock>,
    /// Texts can be sent: part of the facts a reading sees (see `Facts`).
    pub texting: bool,
    pub settings: EarlySettings,
    running: Mutex<HashMap<Key, Local>>,
}

impl Early {
    pub fn new(
        db: Db,
        reader: Arc<dyn Reader>,
        office: Arc<Office>,
        knowledge: knowledge::Shared,
        clock: Arc<dyn Clock>,
        texting: bool,
        settings: EarlySettings,
    ) -> Early {
        Early { db, reader, office, knowledge, clock, texting, settings, running: Mutex::new(HashMap::new()) }
    }

    /// Whether partial transcripts are worth asking Twilio for: only a model is slow enough
    /// to need a head start, and the operator may turn speculation off.
    pub fn speculating(&self) -> bool {
        self.settings.speculative_readings > 0 && self.reader.wants_conversation()
    }

    /// A partial transcript (`UnstableSpeechResult`, by `SequenceNumber`). Returns at once:
    /// the webhook answers Twilio without waiting; the rest happens in the background.
    pub fn partial(self: &Arc<Self>, sid: &str, turn: u32, seq: i64, text: &str) {
        if !self.speculating() {
            return;
        }
        let (this, sid, text) = (self.clone(), sid.to_string(), text.to_string());
        tokio::spawn(async move {
            if let Err(e) = this.on_partial(&sid, turn, seq, &text).await {
                tracing::warn!(call = %sid, turn, "partial transcript not used: {e}");
            }
        });
    }

    async fn on_partial(
        self: &Arc<Self>,
        sid: &str,
        turn: u32,
        seq: i64,
        text: &str,
    ) -> Result<(), EarlyError> {
        let words = normalise(text);
        if words.is_empty() {
            return Ok(());
        }
        let now = millis(self.clock.now());
        // Keep the newest partial by sequence number (they arrive out of order), and only
        // when its words changed: a repeat must not restart the pause of the one before.
        let mut tx = self.begin().await?;
        let newest = sqlx::query(
            "INSERT INTO partials (call_sid, turn, seq, words, finalized, updated_at)
             VALUES ($1, $2, $3, $4, FALSE, $5)
             ON CONFLICT (call_sid, turn) DO UPDATE SET seq = excluded.seq, words = excluded.words,
                                                       updated_at = excluded.updated_at
             WHERE partials.seq < excluded.seq AND partials.words <> excluded.words AND NOT partials.finalized",
        )
        .bind(sid)
        .bind(i64::from(turn))
        .bind(seq)
        .bind(&words)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        if !newest {
            return Ok(());
        }
        // Words the rules answer alone (a yes to a read-back, a goodbye, an emergency) will
        // never need the model: reading them early would only cost a call.
        let Found::Call(call) = store::find(&self.db.pool, sid, turn).await? else { return Ok(()) };
        let knowledge = self.knowledge.get();
        let facts = Facts {
            office: &self.office,
            knowledge: &knowledge,
            now: self.clock.now(),
            texting: self.texting,
            reference: None,
            linked: None,
        };
        let rules = rules::read(text, &self.office.staff);
        if let Ask::RulesAlone(_) = worth::decide(&call, text, None, &rules, &facts) {
            return Ok(());
        }
        // A short answer is final after a short silence: its reading cannot wait as long.
        let timeout = Duration::from_secs(u64::from(pause::speech_timeout(&call.stage, &self.office.pauses)));
        tokio::time::sleep(self.settings.stable.min(timeout / 2)).await;
        if words.split(' ').count() > self.settings.max_words || self.reader.resting() {
            return Ok(());
        }
        // Claimed only while this is still the newest partial, the final result has not
        // arrived, the turn is not answered, and the turn has readings to spare: one statement,
        // so workers sharing the turn's partials agree.
        let mut tx = self.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO readings (call_sid, turn, words, speculative, started_at)
             SELECT $1, $2, $3, TRUE, $4
             WHERE (SELECT COUNT(*) FROM readings r WHERE r.call_sid = $1 AND r.turn = $2) < $5
               AND EXISTS (SELECT 1 FROM partials p
                           WHERE p.call_sid = $1 AND p.turn = $2 AND p.seq = $6 AND NOT p.finalized)
               AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.call_sid = $1 AND t.turn = $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(sid)
        .bind(i64::from(turn))
        .bind(&words)
        .bind(millis(self.clock.now()))
        .bind(i64::from(self.settings.speculative_readings))
        .bind(seq)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        if claimed {
            tracing::debug!(call = %sid, turn, "reading a partial transcript early");
            self.start(Key { sid: sid.to_string(), turn, words }, text.to_string(), ReadFrom::Partial);
        }
        Ok(())
    }

    /// The final result arrived: the reading of these words, wherever it runs, or a new one
    /// started here. Only reads stand between the caller and the model: what the database
    /// must learn (no more speculation for this turn; this reading exists) is written beside
    /// the model's call, not before it.
    pub async fn for_final(
        self: &Arc<Self>,
        sid: &str,
        turn: u32,
        text: &str,
    ) -> Result<Pending, EarlyError> {
        let key = Key { sid: sid.to_string(), turn, words: normalise(text) };
        if let Some(local) = self.lock().get(&key) {
            return Ok(Pending { from: local.from, local: Some(local.result.clone()), key });
        }
        // Started by another worker (or by this one before a restart)?
        let speculative: Option<i64> = sqlx::query_scalar(
            "SELECT CASE WHEN speculative THEN 1 ELSE 0 END FROM readings
             WHERE call_sid = $1 AND turn = $2 AND words = $3",
        )
        .bind(sid)
        .bind(i64::from(turn))
        .bind(&key.words)
        .fetch_optional(&self.db.pool)
        .await?;
        if let Some(speculative) = speculative {
            let from = if speculative == 1 { ReadFrom::Partial } else { ReadFrom::Final };
            return Ok(Pending { key, from, local: None });
        }
        let local = self.start(key.clone(), text.to_string(), ReadFrom::Final);
        Ok(Pending { key, from: ReadFrom::Final, local: Some(local) })
    }

    /// Marks the turn's final result arrived (late partials start nothing) and records the
    /// reading started on it, so other workers wait for it rather than start their own.
    async fn claim_final(&self, key: &Key) -> Result<(), sqlx::Error> {
        let now = millis(self.clock.now());
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO partials (call_sid, turn, seq, words, finalized, updated_at)
             VALUES ($1, $2, -1, '', TRUE, $3)
             ON CONFLICT (call_sid, turn) DO UPDATE SET finalized = TRUE",
        )
        .bind(&key.sid)
        .bind(i64::from(key.turn))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO readings (call_sid, turn, words, speculative, started_at)
             VALUES ($1, $2, $3, FALSE, $4) ON CONFLICT DO NOTHING",
        )
        .bind(&key.sid)
        .bind(i64::from(key.turn))
        .bind(&key.words)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The reading, if it is done within `within`.
    pub async fn wait(&self, pending: &Pending, within: Duration) -> Result<Option<Arc<Stored>>, EarlyError> {
        if let Some(local) = &pending.local {
            let mut local = local.clone();
            return Ok(match tokio::time::timeout(within, local.wait_for(Option::is_some)).await {
                Ok(Ok(done)) => done.clone(),
                // Timed out, or the reading found its turn already answered.
                Ok(Err(_)) | Err(_) => None,
            });
        }
        let until = Instant::now() + within;
        loop {
            let result: Option<Option<String>> = sqlx::query_scalar(
                "SELECT result FROM readings WHERE call_sid = $1 AND turn = $2 AND words = $3",
            )
            .bind(&pending.key.sid)
            .bind(i64::from(pending.key.turn))
            .bind(&pending.key.words)
            .fetch_optional(&self.db.pool)
            .await?;
            if let Some(Some(json)) = result {
                return Ok(Some(Arc::new(serde_json::from_str(&json)?)));
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            tokio::time::sleep(left.min(POLL)).await;
        }
    }

    /// Runs a reading in the background; its result is kept in the database for any worker.
    fn start(
        self: &Arc<Self>,
        key: Key,
        text: String,
        from: ReadFrom,
    ) -> watch::Receiver<Option<Arc<Stored>>> {
        let (done, result) = watch::channel(None);
        {
            let mut running = self.lock();
            running.retain(|_, local| local.started.elapsed() < FORGET_AFTER);
            running.insert(key.clone(), Local { result: result.clone(), from, started: Instant::now() });
        }
        let this = self.clone();
        tokio::spawn(async move {
            let read = this.read(&key, &text);
            let stored = if from == ReadFrom::Final {
                let (claimed, stored) = tokio::join!(this.claim_final(&key), read);
                if let Err(e) = claimed {
                    tracing::warn!(call = %key.sid, turn = key.turn, "reading not announced to other workers: {e}");
                }
                stored
            } else {
                read.await
            };
            let Some(stored) = stored else { return };
            let stored = Arc::new(stored);
            // This worker's waiter first; other workers' find it in the database. One SQLite
            // process is the only worker: its waiters are all here, and the write would only
            // queue before the turn's own.
            let _ = done.send(Some(stored.clone()));
            if this.db.engine == Engine::Postgres
                && let Err(e) = this.keep(&key, &stored).await
            {
                tracing::warn!(call = %key.sid, turn = key.turn, "reading not shared with other workers: {e}");
            }
        });
        result
    }

    /// Reads `text` with the call as stored before this turn; `None` when the turn has been
    /// answered meanwhile (nobody needs the reading any more).
    async fn read(&self, key: &Key, text: &str) -> Option<Stored> {
        let knowledge = self.knowledge.get();
        let facts = Facts {
            office: &self.office,
            knowledge: &knowledge,
            now: self.clock.now(),
            texting: self.texting,
            reference: None,
            linked: None,
        };
        let call = match store::find(&self.db.pool, &key.sid, key.turn).await {
            Ok(Found::Replied(_)) => return None,
            Ok(Found::Call(call)) => *call,
            Ok(Found::Missing) => Call::new(Caller::unknown(None)),
            Err(e) => {
                let reading = rules::read(text, &self.office.staff);
                let error = format!("the call could not be loaded for the model: {e}");
                return Some(Stored { reading, model_error: Some(error), ..Stored::empty() });
            }
        };
        let history = store::history(&self.db.pool, &key.sid, HISTORY).await.unwrap_or_else(|e| {
            tracing::warn!(call = %key.sid, "the model reads without the conversation: {e}");
            Vec::new()
        });
        let conversation = Conversation { call: &call, history: &history };
        Some(Stored::of(&self.reader.read(text, &facts, Some(&conversation)).await))
    }

    async fn keep(&self, key: &Key, stored: &Stored) -> Result<(), EarlyError> {
        let json = serde_json::to_string(stored)?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE readings SET result = $4, finished_at = $5 WHERE call_sid = $1 AND turn = $2 AND words = $3",
        )
        .bind(&key.sid)
        .bind(i64::from(key.turn))
        .bind(&key.words)
        .bind(json)
        .bind(millis(self.clock.now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The turn is stored: this worker's readings of it are not needed any more (superseded
    /// ones still running finish on their own, bounded by the model's deadline).
    pub fn forget(&self, sid: &str, turn: u32) {
        self.lock().retain(|key, _| !(key.sid == sid && key.turn == turn));
    }

    /// The call ended: drop everything read or held for it; nothing of it was said.
    pub async fn drop_call(&self, tx: &mut sqlx::AnyConnection, sid: &str) -> Result<(), sqlx::Error> {
        self.lock().retain(|key, _| key.sid != sid);
        for table in ["partials", "readings", "held_turns"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE call_sid = $1")))
                .bind(sid)
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }

    /// A write transaction for what this module keeps. It only matters while the call is
    /// live, and a commit that waits on PostgreSQL's disk flush is time the caller hears as
    /// silence: PostgreSQL may acknowledge these before they are on disk (a database crash
    /// loses at most a held turn, which then ends as a silence).
    async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        if self.db.engine == Engine::Postgres {
            sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Local>> {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The final result this turn is holding, if it is held.
    pub async fn held(&self, sid: &str, turn: u32) -> Result<Option<Held>, EarlyError> {
        let row: Option<(String, Option<f64>, i64, i64, String, String)> = sqlx::query_as(
            "SELECT heard, confidence, final_at, holds, lines, twiml FROM held_turns
             WHERE call_sid = $1 AND turn = $2",
        )
        .bind(sid)
        .bind(i64::from(turn))
        .fetch_optional(&self.db.pool)
        .await?;
        let Some((heard, confidence, final_at, holds, lines, twiml)) = row else { return Ok(None) };
        Ok(Some(Held {
            heard,
            confidence,
            final_at,
            holds: u32::try_from(holds).unwrap_or(MAX_HOLDS),
            lines: serde_json::from_str(&lines)?,
            twiml,
        }))
    }

    /// The hold line last played in this call, so the next one differs.
    pub async fn last_hold_line(&self, sid: &str) -> Result<Option<String>, EarlyError> {
        let lines: Option<String> =
            sqlx::query_scalar("SELECT lines FROM held_turns WHERE call_sid = $1 ORDER BY turn DESC LIMIT 1")
                .bind(sid)
                .fetch_optional(&self.db.pool)
                .await?;
        let lines: Vec<String> = match lines {
            Some(json) => serde_json::from_str(&json)?,
            None => Vec::new(),
        };
        Ok(lines.last().cloned())
    }

    /// Holds a final result: the first hold line's reply is kept, and a twin of the action
    /// gets the reply kept first.
    pub async fn hold(&self, sid: &str, turn: u32, held: &Held) -> Result<String, EarlyError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO held_turns (call_sid, turn, heard, confidence, final_at, holds, lines, twiml)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(sid)
        .bind(i64::from(turn))
        .bind(&held.heard)
        .bind(held.confidence)
        .bind(held.final_at)
        .bind(i64::from(held.holds))
        .bind(serde_json::to_string(&held.lines)?)
        .bind(&held.twiml)
        // An optional f64 on PostgreSQL: see `store::save`.
        .persistent(self.db.engine != Engine::Postgres)
        .execute(&mut *tx)
        .await?;
        let twiml = Self::held_twiml(&mut tx, sid, turn).await?;
        tx.commit().await?;
        Ok(twiml)
    }

    /// One more hold line, unless a twin of this redirect played it already: either way,
    /// the reply now kept for the turn.
    pub async fn hold_again(
        &self,
        sid: &str,
        turn: u32,
        was: u32,
        held: &Held,
    ) -> Result<String, EarlyError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE held_turns SET holds = $4, lines = $5, twiml = $6
             WHERE call_sid = $1 AND turn = $2 AND holds = $3",
        )
        .bind(sid)
        .bind(i64::from(turn))
        .bind(i64::from(was))
        .bind(i64::from(held.holds))
        .bind(serde_json::to_string(&held.lines)?)
        .bind(&held.twiml)
        .execute(&mut *tx)
        .await?;
        let twiml = Self::held_twiml(&mut tx, sid, turn).await?;
        tx.commit().await?;
        Ok(twiml)
    }

    async fn held_twiml(tx: &mut sqlx::AnyConnection, sid: &str, turn: u32) -> Result<String, sqlx::Error> {
        sqlx::query_scalar("SELECT twiml FROM held_turns WHERE call_sid = $1 AND turn = $2")
            .bind(sid)
            .bind(i64::from(turn))
            .fetch_one(&mut *tx)
            .await
    }
}

impl Stored {
    fn empty() -> Stored {
        Stored {
            reading: Reading::default(),
            model_error: None,
            prompt_tokens: None,
            completion_tokens: None,
            elapsed_ms: 0,
        }
    }
}

/// Fillers speech recognition keeps or drops from one result to the next.
const FILLERS: &[&str] = &["um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm", "hm"];

/// The words that identify an utterance: lower case, no punctuation, no fillers. "Um, my
/// sink is leaking." and "my sink is leaking" are one reading.
pub fn normalise(text: &str) -> String {
    let lower = text.to_lowercase();
    let cleaned: String =
        lower.chars().filter(|c| *c != '\'').map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    cleaned.split_whitespace().filter(|w| !FILLERS.contains(w)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_and_fillers_do_not_change_the_words() {
        assert_eq!(normalise("Um, my sink is LEAKING."), "my sink is leaking");
        assert_eq!(normalise("uh my sink, uh, is leaking"), "my sink is leaking");
        assert_eq!(normalise("that's it"), normalise("Thats it!"));
        assert_ne!(normalise("my sink is leaking"), normalise("my sink isn't leaking"));
        assert_eq!(normalise("..."), "");
    }
}
