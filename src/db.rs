//! The database: SQLite by default, PostgreSQL for several workers, one set of queries.
//!
//! Queries go through sqlx's `Any` driver with `$n` placeholders, which both engines accept,
//! so each is written once. Times are stored as Unix milliseconds because `Any` carries no
//! date types. The few things that differ per engine (pragmas, how a write transaction
//! starts, migrations) are decided here by `Engine`. On SQLite, writes go through
//! a connection of their own, in this process's queue, and `wal` keeps the write-ahead log
//! bounded.

mod wal;

use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use wal::{Checkpoints, LogHealth};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, not {0:?}")]
    UnknownEngine(String),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    /// SQLite has one writer at a time. Writers of this process queue here, in order,
    /// instead of in SQLite's busy handler, which sleeps for milliseconds between retries.
    writer: Arc<Mutex<()>>,
    /// SQLite: the connection writers use, so that a writer holding the queue never waits
    /// behind readers for a connection of `pool`.
    write_pool: Option<AnyPool>,
    /// SQLite on a file: its write-ahead log.
    log: Option<Arc<wal::Log>>,
}

/// A write transaction, holding this process's SQLite write turn until commit or drop.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let checkpoints = Checkpoints::default();
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(DbError::UnknownEngine(url.split(':').next().unwrap_or(url).into()));
        };
        let url = match engine {
            // The Any driver parses the URL for every new connection: options must live in it.
            Engine::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        let (pool, write_pool) = match engine {
            Engine::Sqlite => {
                let pool = sqlite_pool(8, checkpoints).connect_with(options.clone()).await;
                let write_pool = sqlite_pool(1, checkpoints).connect_with(options).await;
                (pool.map_err(DbError::Connect)?, Some(write_pool.map_err(DbError::Connect)?))
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await;
                (pool.map_err(DbError::Connect)?, None)
            }
        };
        let log = match &write_pool {
            Some(write_pool) => {
                // An in-memory database has no file, and no log.
                let file: String =
                    sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                        .fetch_one(write_pool)
                        .await
                        .map_err(DbError::Connect)?;
                (!file.is_empty()).then(|| Arc::new(wal::Log::of(&file, checkpoints)))
            }
            None => None,
        };
        let writer = Arc::new(Mutex::new(()));
        let db = Db { pool, engine, writer, write_pool, log };
        if db.log.is_some() {
            db.checkpoints();
        }
        Ok(db)
    }

    /// Every second, off the request path: index new turns for search.
    fn upkeep(&self) {
        let db = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !db.pool.is_closed() {
                tick.tick().await;
                if let Err(e) = db.index_transcripts().await
                    && !db.pool.is_closed()
                {
                    tracing::warn!("SQLite upkeep: {e}");
                }
            }
            // Closing `pool` closes the database: the writers' connections go with it.
            if let Some(write_pool) = &db.write_pool {
                write_pool.close().await;
            }
        });
    }

    /// Off the request path, every `Checkpoints::every`: copy the log back into the database
    /// file with a passive checkpoint (it never blocks a writer), and empty the log when it
    /// has passed its bound, or is copied whole and worth trimming.
    fn checkpoints(&self) {
        let Some(log) = self.log.clone() else { return };
        let db = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(log.policy.every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !db.pool.is_closed() {
                tick.tick().await;
                db.look(&log).await;
            }
        });
    }

    async fn look(&self, log: &wal::Log) {
        // Over its bound, the log is emptied at once: the truncating checkpoint copies what is
        // left itself, and a passive one first would only give the log longer to grow.
        let copied_whole = !log.due(log.size(), false) && self.passive_checkpoint(log).await;
        let bytes = log.size();
        if log.due(bytes, copied_whole) {
            let outcome = self.empty_log(log.policy.patience).await;
            match &outcome {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    wal_mb = bytes as f64 / 1e6,
                    "SQLite write-ahead log not emptied: readers stayed in it"
                ),
                Err(e) if !self.pool.is_closed() => tracing::warn!("SQLite truncating checkpoint: {e}"),
                Err(_) => {}
            }
            log.emptied(&outcome);
        }
        log.seen(log.size());
    }

    /// Copies what it can of the log into the database file, never waiting; `true` when that
    /// was all of it.
    async fn passive_checkpoint(&self, log: &wal::Log) -> bool {
        let passive: Result<(i64, i64, i64), _> =
            sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&self.pool).await;
        match passive {
            // (blocked, pages in the log, pages copied back)
            Ok((_, logged, copied)) => {
                log.passive(None);
                logged == copied
            }
            Err(e) => {
                if !self.pool.is_closed() {
                    tracing::warn!("SQLite passive checkpoint: {e}");
                    log.passive(Some(&e));
                }
                false
            }
        }
    }

    /// A `TRUNCATE` checkpoint on the writers' connection, holding this process's writers in
    /// their queue meanwhile: it copies the rest of the log, waits up to `patience` for
    /// readers to leave it, and empties the file. `Ok(false)`: the readers stayed.
    async fn empty_log(&self, patience: Duration) -> Result<bool, sqlx::Error> {
        let Some(write_pool) = &self.write_pool else { return Ok(true) };
        let _writers = self.writer.lock().await;
        let mut conn = write_pool.acquire().await?;
        let millis = i64::try_from(patience.as_millis()).unwrap_or(i64::MAX);
        set_busy_timeout(&mut conn, millis).await?;
        let done: Result<(i64, i64, i64), _> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await;
        // Back to what writers wait for another process's writer.
        set_busy_timeout(&mut conn, BUSY_TIMEOUT_MS).await?;
        Ok(done?.0 == 0)
    }

    /// How the write-ahead log stands: `None` on PostgreSQL and for an in-memory database.
    pub fn log_health(&self) -> Option<LogHealth> {
        self.log.as_ref().map(|log| log.health())
    }

    /// Brings SQLite's full-text index up to the newest turn, in one batch (PostgreSQL keeps
    /// its own index current).
    pub async fn index_transcripts(&self) -> Result<(), sqlx::Error> {
        if self.engine != Engine::Sqlite {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO turns_fts (rowid, caller_text, reply_text)
             SELECT rowid, caller_text, reply_text FROM turns
             WHERE rowid > (SELECT last_rowid FROM turns_fts_progress WHERE id = 1) ORDER BY rowid",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE turns_fts_progress SET last_rowid = (SELECT COALESCE(MAX(rowid), 0) FROM turns) WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.engine {
            Engine::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator.run(&self.pool).await?;
        // Only now: the upkeep indexes tables the migrations create.
        if self.engine == Engine::Sqlite {
            self.upkeep();
        }
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`): a deferred read-then-write transaction can fail with SQLITE_BUSY
    /// at its first write without waiting, whatever the busy timeout says.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => {
                // Closing `pool` closes the database, writes included.
                if self.pool.is_closed() {
                    return Err(sqlx::Error::PoolClosed);
                }
                let turn = self.writer.clone().lock_owned().await;
                let tx = self.write_pool.as_ref().unwrap_or(&self.pool).begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx { tx, _turn: Some(turn) })
            }
            Engine::Postgres => Ok(WriteTx { tx: self.pool.begin().await?, _turn: None }),
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop)
    }
}

const BUSY_TIMEOUT_MS: i64 = 5000;

/// A pool of SQLite connections with this application's pragmas.
fn sqlite_pool(connections: u32, checkpoints: Checkpoints) -> AnyPoolOptions {
    let keep = i64::try_from(checkpoints.keep).unwrap_or(i64::MAX);
    AnyPoolOptions::new()
        .max_connections(connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        // A SQLite connection is a file handle in this process, not a socket that can go
        // stale: pinging it on every acquire only adds a round trip to its thread.
        .test_before_acquire(false)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                // WAL lets readers run beside the single writer; NORMAL sync is durable
                // across application crashes and only risks the last commits on power loss.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                set_busy_timeout(conn, BUSY_TIMEOUT_MS).await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                // Checkpoints run in the background (see `checkpoints`), not inside
                // whichever caller's commit happens to fill the WAL.
                conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                // When the log starts over, its file is trimmed back to this size.
                set_journal_size_limit(conn, keep).await?;
                Ok(())
            })
        })
}

/// PRAGMA takes no bound parameters: the number is formatted in (it is an integer).
async fn set_busy_timeout(conn: &mut AnyConnection, millis: i64) -> Result<(), sqlx::Error> {
    conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {millis}"))).await.map(drop)
}

async fn set_journal_size_limit(conn: &mut AnyConnection, bytes: i64) -> Result<(), sqlx::Error> {
    conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA journal_size_limit = {bytes}"))).await.map(drop)
}

/// Now, as the database stores times.
pub fn millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}
