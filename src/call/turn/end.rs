//! The end of a call (Twilio's status callback) and its note on the caller's history.

use super::{Locked, TurnError, Turns};
use crate::call::store::{self, Line};
use crate::call::{Call, Event, Stage, effects};
use crate::db::{WriteTx, millis};

impl Turns {
    /// The call is over (Twilio's status callback): record its end, and, the first time,
    /// note it on the caller's history in the system of record. Twilio does not order its
    /// callbacks: this may be the first one of the call to arrive (the call is created so its
    /// end is kept), and a call that ended mid-transfer still awaits the `<Dial>` action that
    /// says whether staff answered; that callback finishes it (see `take`).
    pub async fn end(&self, line: &Line<'_>, duration_s: Option<i64>) -> Result<(), TurnError> {
        let sid = line.sid;
        // No turn has this number: the lookup only ever finds (and locks) the call.
        let (mut tx, call) = match self.lock(line, u32::MAX, None).await? {
            Locked::Call(tx, call) => (tx, *call),
            Locked::Replied(_) => return Ok(()),
        };
        let now = self.clock.now();
        let awaiting_dial = matches!(call.stage, Stage::Transferring { .. });
        let call = match awaiting_dial {
            true => call,
            false => {
                // A hang-up can still leave something for staff (a hazard asked about and never
                // confirmed, a request not confirmed): kept and queued like any turn's.
                let (call, turn, held) = self.step(&mut tx, sid, call, Event::HungUp, now, None).await?;
                store::update(&mut *tx, sid, &call, None, millis(now)).await?;
                // A caller who hangs up during a hold line: the pending reading is dropped.
                self.early.drop_call(&mut tx, sid).await?;
                if !turn.actions.is_empty() {
                    let number = store::next_turn(&mut tx, sid).await?;
                    let writes = effects::of_turn(sid, number, &call, &turn, &self.outlets(held.as_ref()));
                    store::keep_all(&mut tx, sid, &call, number, &turn.actions, &writes, millis(now)).await?;
                }
                call
            }
        };
        let first_end = store::finish(&mut *tx, sid, duration_s, millis(now)).await?;
        if first_end && !awaiting_dial {
            self.note_end(&mut tx, sid, &call, duration_s, millis(now)).await?;
        }
        tx.commit().await?;
        tracing::info!(call = sid, outcome = call.outcomes.label().as_str(), awaiting_dial, "call ended");
        Ok(())
    }

    /// The call's note on the caller's history in the system of record and its summary for
    /// the office, queued once, when the call is over.
    pub(super) async fn note_end(
        &self,
        tx: &mut WriteTx,
        sid: &str,
        call: &Call,
        duration_s: Option<i64>,
        now: i64,
    ) -> Result<(), TurnError> {
        self.queue_summary(tx, sid, call, duration_s, now).await?;
        if !self.directory.keeps_records() {
            return Ok(());
        }
        let first_words = store::first_words(&mut **tx, sid).await?;
        let reference = store::reference::of_call(&mut **tx, sid).await?;
        let base = self.public_url.as_deref().unwrap_or("").trim_end_matches('/');
        let transcript = format!("{base}/calls/{sid}");
        let note = effects::history_note(
            call,
            reference.as_deref(),
            first_words.as_deref(),
            duration_s,
            &transcript,
        );
        if let Some(note) = note {
            store::queue(tx, sid, &note, now).await?;
        }
        Ok(())
    }
}
