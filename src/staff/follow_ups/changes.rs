//! What staff do to a follow-up: take it (it is theirs), note what they did, mark it done,
//! or reopen it. Each change and its history row are one transaction; a change that changes
//! nothing (taking one's own, finishing a finished one) leaves no history.

use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{Route, State, post, routes};

use crate::App;
use crate::call::column_text;
use crate::db::millis;
use crate::staff::PageError;
use crate::staff::auth::{Csrf, StaffUser};

pub fn routes() -> Vec<Route> {
    routes![post_take, post_done, post_reopen, post_note]
}

/// One change in a follow-up's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum FollowUpChange {
    Taken,
    Noted,
    Done,
    Reopened,
}

column_text!(FollowUpChange);

/// The longest note kept.
const NOTE_CHARS: usize = 2_000;

#[derive(FromForm)]
struct ChangeForm {
    csrf: String,
    /// A note (required to add one, optional when marking done).
    note: Option<String>,
    /// Where to go next: a staff page's own path.
    back: Option<String>,
}

impl ChangeForm {
    fn note(&self) -> Option<String> {
        let note = self.note.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
        Some(note.chars().take(NOTE_CHARS).collect())
    }

    /// Back where the form was, if that is one of our pages; else the follow-up itself.
    fn back(&self, id: i64) -> Redirect {
        let back = self.back.as_deref().filter(|b| b.starts_with("/follow-ups") && !b.starts_with("//"));
        Redirect::to(back.map_or_else(|| format!("/follow-ups/{id}"), String::from))
    }
}

type Answer = Result<Result<Redirect, Status>, PageError>;

/// A change to make: its name in the history, the update that makes it (with `$1` the
/// follow-up, `$2` the staff member, `$3` now; none for a note alone), and its note.
struct Edit {
    what: FollowUpChange,
    update: Option<&'static str>,
    note: Option<String>,
}

/// Applies the edit and records it if it changed anything. `None` when there is no such
/// follow-up.
async fn change(app: &App, staff: &StaffUser, id: i64, edit: Edit) -> Result<Option<bool>, sqlx::Error> {
    let now = millis(app.clock.now());
    let mut tx = app.db.begin_write().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM follow_ups WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let changed = match edit.update {
        Some(sql) => {
            sqlx::query(sql).bind(id).bind(staff.id).bind(now).execute(&mut *tx).await?.rows_affected() == 1
        }
        None => true,
    };
    if changed {
        sqlx::query(
            "INSERT INTO follow_up_changes (follow_up_id, change, staff_id, staff_name, note, at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(edit.what.as_str())
        .bind(staff.id)
        .bind(&staff.name)
        .bind(edit.note)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(changed))
}

async fn answer(app: &App, staff: StaffUser, csrf: Csrf, id: i64, form: &ChangeForm, edit: Edit) -> Answer {
    if !csrf.accepts(&form.csrf) {
        return Ok(Err(Status::Forbidden));
    }
    match change(app, &staff, id, edit).await? {
        Some(_) => Ok(Ok(form.back(id))),
        None => Ok(Err(Status::NotFound)),
    }
}

/// Takes it: it is this staff member's now (from whoever had it).
#[post("/follow-ups/<id>/take", data = "<form>")]
async fn post_take(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    id: i64,
    form: Form<ChangeForm>,
) -> Answer {
    let previous: Option<Option<String>> = sqlx::query_scalar(
        "SELECT s.name FROM follow_ups f LEFT JOIN staff_users s ON s.id = f.assigned_to WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&app.db.pool)
    .await?;
    let from = previous.flatten().filter(|name| *name != staff.name).map(|name| format!("from {name}"));
    let take = "UPDATE follow_ups SET assigned_to = $2
                WHERE id = $1 AND resolved_at IS NULL AND (assigned_to IS NULL OR assigned_to <> $2) AND $3 IS NOT NULL";
    answer(app, staff, csrf, id, &form, Edit { what: FollowUpChange::Taken, update: Some(take), note: from })
        .await
}

#[post("/follow-ups/<id>/done", data = "<form>")]
async fn post_done(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    id: i64,
    form: Form<ChangeForm>,
) -> Answer {
    let done =
        "UPDATE follow_ups SET resolved_at = $3, resolved_by = $2 WHERE id = $1 AND resolved_at IS NULL";
    let note = form.note();
    answer(app, staff, csrf, id, &form, Edit { what: FollowUpChange::Done, update: Some(done), note }).await
}

#[post("/follow-ups/<id>/reopen", data = "<form>")]
async fn post_reopen(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    id: i64,
    form: Form<ChangeForm>,
) -> Answer {
    let reopen = "UPDATE follow_ups SET resolved_at = NULL, resolved_by = NULL
                  WHERE id = $1 AND resolved_at IS NOT NULL AND $2 IS NOT NULL AND $3 IS NOT NULL";
    let note = form.note();
    answer(app, staff, csrf, id, &form, Edit { what: FollowUpChange::Reopened, update: Some(reopen), note })
        .await
}

#[post("/follow-ups/<id>/notes", data = "<form>")]
async fn post_note(
    app: &State<App>,
    staff: StaffUser,
    csrf: Csrf,
    id: i64,
    form: Form<ChangeForm>,
) -> Answer {
    let Some(note) = form.note() else {
        return Ok(Err(Status::UnprocessableEntity));
    };
    answer(app, staff, csrf, id, &form, Edit { what: FollowUpChange::Noted, update: None, note: Some(note) })
        .await
}
