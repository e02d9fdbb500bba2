//! SQLite's write-ahead log, kept bounded.
//!
//! Every commit appends the pages it changed to the log; a checkpoint copies them back into
//! the database file. A passive checkpoint never waits, so it can copy only what no reader
//! still needs, and the log only starts over from its beginning when it has been copied
//! whole and no reader is inside it. Under steady load some reader always is: the log grows
//! for as long as the load lasts, and its file never shrinks (the issue measured 524 MB after
//! 28,000 turns). So once the log passes its bound, a `TRUNCATE` checkpoint runs with this
//! process's writers held in their queue: it copies what is left, waits for the readers to
//! leave the log, and empties the file. When the load stops, the same checkpoint empties a
//! log that passive checkpoints have copied whole. PostgreSQL needs none of this.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When checkpoints run and how far the log may grow.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoints {
    /// How often the log is looked at: its file's size, then a passive checkpoint.
    pub every: Duration,
    /// Past this size the log is emptied, holding this process's writers meanwhile.
    pub bound: u64,
    /// A log whose pages are all copied is emptied once its file passes this size; it is also
    /// what SQLite trims the file to when the log starts over (`journal_size_limit`).
    pub keep: u64,
    /// How long an emptying checkpoint waits for readers to leave the log before it gives
    /// up; the held writers wait as long, so it stays short.
    pub patience: Duration,
}

impl Default for Checkpoints {
    /// At a few thousand turns a second the log grows by tens of MB a second: looking four
    /// times a second keeps it within a few MB of the bound.
    fn default() -> Checkpoints {
        Checkpoints {
            every: Duration::from_millis(250),
            bound: 16 << 20,
            keep: 4 << 20,
            patience: Duration::from_secs(1),
        }
    }
}

/// How the log stood at the last look, for `/ready` and the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHealth {
    /// The log file's size after the last look's checkpoints.
    pub bytes: u64,
    pub bound: u64,
    /// Checkpoints that emptied the log, since the start.
    pub emptied: u64,
    /// Why the last checkpoint of either kind failed, until one of that kind succeeds.
    pub failing: Option<String>,
}

impl LogHealth {
    /// What is wrong, in a line: the log over its bound, or checkpoints failing. The
    /// database still answers, so this degrades readiness without failing it.
    pub fn degraded(&self) -> Option<String> {
        let mb = |bytes: u64| bytes as f64 / f64::from(1 << 20);
        match &self.failing {
            Some(why) => Some(format!(
                "write-ahead log checkpoints failing ({why}); the log is {:.1} MB, bound {:.0} MB",
                mb(self.bytes),
                mb(self.bound)
            )),
            None if self.bytes > self.bound => Some(format!(
                "write-ahead log {:.1} MB, over its {:.0} MB bound",
                mb(self.bytes),
                mb(self.bound)
            )),
            None => None,
        }
    }
}

/// The log of one SQLite database file, and what the checkpoints made of it.
pub(super) struct Log {
    pub(super) path: PathBuf,
    pub(super) policy: Checkpoints,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    bytes: u64,
    emptied: u64,
    /// Why the last emptying checkpoint failed, until one succeeds.
    failing: Option<String>,
    /// Why the last passive checkpoint failed, until one succeeds.
    passive: Option<String>,
    failures: u32,
    /// No emptying checkpoint over a log that is not copied whole before this: each failed
    /// attempt held the writers for `patience`, and a long reader may stay a while.
    retry_at: Option<Instant>,
}

impl Log {
    /// The log of the database at `file` (as `PRAGMA database_list` names it).
    pub(super) fn of(file: &str, policy: Checkpoints) -> Log {
        Log { path: PathBuf::from(format!("{file}-wal")), policy, state: Mutex::default() }
    }

    /// The log file's size now; a missing file (none yet, or removed on close) is empty.
    pub(super) fn size(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// Whether this look should empty the log: it is over its bound (unless a recent
    /// attempt failed), or its pages are all copied and its file is worth trimming.
    pub(super) fn due(&self, bytes: u64, copied_whole: bool) -> bool {
        let state = self.lock();
        let waiting = state.retry_at.is_some_and(|at| Instant::now() < at);
        (bytes > self.policy.bound && !waiting) || (bytes > self.policy.keep && copied_whole)
    }

    /// Records how an emptying checkpoint went: `Ok(true)` done, `Ok(false)` readers stayed.
    pub(super) fn emptied(&self, outcome: &Result<bool, sqlx::Error>) {
        let mut state = self.lock();
        match outcome {
            Ok(true) => {
                state.emptied += 1;
                state.failing = None;
                state.failures = 0;
                state.retry_at = None;
            }
            Ok(false) => state.failed("readers stayed in the log".into()),
            Err(e) => state.failed(e.to_string()),
        }
    }

    /// Records how a passive checkpoint went (one fails when the database cannot be read).
    pub(super) fn passive(&self, failed: Option<&sqlx::Error>) {
        self.lock().passive = failed.map(ToString::to_string);
    }

    pub(super) fn seen(&self, bytes: u64) {
        self.lock().bytes = bytes;
    }

    pub(super) fn health(&self) -> LogHealth {
        let state = self.lock();
        LogHealth {
            bytes: state.bytes,
            bound: self.policy.bound,
            emptied: state.emptied,
            failing: state.failing.clone().or_else(|| state.passive.clone()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a few numbers, each written whole: a panic elsewhere leaves it usable.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl State {
    /// Waits 2, 4, 8... up to 30 seconds between attempts on a log that is not copied whole.
    fn failed(&mut self, why: String) {
        self.failing = Some(why);
        self.failures = self.failures.saturating_add(1);
        let wait = Duration::from_secs(1 << self.failures.min(5)).min(Duration::from_secs(30));
        self.retry_at = Some(Instant::now() + wait);
    }
}
