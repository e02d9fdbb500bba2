//! The database: SQLite by default, PostgreSQL for several workers, one set of queries.
//!
//! Queries go through sqlx's `Any` driver with `$n` placeholders, which both engines accept,
//! so each is written once. Times are stored as Unix milliseconds because `Any` carries no
//! date types. The few things that differ per engine (pragmas, how a write transaction
//! starts, migrations) are decided here by `Engine`.

use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

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
        let pool = match engine {
            // WAL lets readers run beside the single writer; NORMAL sync is durable across
            // application crashes and only risks the last commits on power loss.
            Engine::Sqlite => {
                AnyPoolOptions::new().max_connections(8).min_connections(1).after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        // Checkpoints run in the background (see `checkpoints`), not inside
                        // whichever caller's commit happens to fill the WAL.
                        conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                        Ok(())
                    })
                })
            }
            Engine::Postgres => AnyPoolOptions::new().max_connections(16),
        }
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(DbError::Connect)?;
        let db = Db { pool, engine, writer: Arc::new(Mutex::new(())) };
        if engine == Engine::Sqlite {
            db.upkeep();
        }
        Ok(db)
    }

    /// Every second, off the request path: index new turns for search, and copy the WAL
    /// back into the database file (a passive checkpoint never blocks a writer).
    fn upkeep(&self) {
        let db = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !db.pool.is_closed() {
                tick.tick().await;
                let checkpoint =
                    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&db.pool).await.map(drop);
                if let Err(e) = db.index_transcripts().await.and(checkpoint)
                    && !db.pool.is_closed()
                {
                    tracing::warn!("SQLite upkeep: {e}");
                }
            }
        });
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
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`): a deferred read-then-write transaction can fail with SQLITE_BUSY
    /// at its first write without waiting, whatever the busy timeout says.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx { tx, _turn: Some(turn) })
            }
            Engine::Postgres => Ok(WriteTx { tx: self.pool.begin().await?, _turn: None }),
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(drop)
    }
}

/// Now, as the database stores times.
pub fn millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}
