//! Urgent follow-ups (an emergency on-call did not answer), at the top of every staff page
//! until someone resolves them. A minimal banner: the staff follow-up queue will manage them.

use serde::Serialize;

use super::local_time;
use crate::App;

/// How many urgent follow-ups the banner lists; the rest are counted.
const LISTED: i64 = 5;

#[derive(Serialize)]
pub struct Urgent {
    pub call_sid: String,
    pub body: String,
    pub time: String,
    /// Whether it was also texted to on-call and the emergency contacts.
    pub texted: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    call_sid: String,
    body: String,
    created_at: i64,
    texted: i64,
}

/// The newest open urgent follow-ups.
pub async fn urgent(app: &App) -> Result<Vec<Urgent>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT call_sid, body, created_at, CASE WHEN texted THEN 1 ELSE 0 END AS texted
         FROM follow_ups WHERE urgent AND resolved_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $1",
    )
    .bind(LISTED)
    .fetch_all(&app.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Urgent {
            time: local_time(app, row.created_at),
            call_sid: row.call_sid,
            body: row.body,
            texted: row.texted != 0,
        })
        .collect())
}
