//! Stepping the machine with the call's reference: offered before the step, claimed only
//! when the turn leaves something behind (see `store::reference`).

use super::{Offered, TurnError, Turns};
use crate::call::effects::Outlets;
use crate::call::{Call, Event, Facts, Turn, reference, store};
use crate::db::{WriteTx, millis};

impl Turns {
    /// Steps the machine, offering it the call's reference (or a free one): when the turn
    /// leaves something behind, a fresh reference is claimed, and if another call claimed it
    /// meanwhile the step is taken again with another (the machine is pure). Returns the
    /// reference the call holds after the turn, if any.
    pub(super) async fn step(
        &self,
        tx: &mut WriteTx,
        sid: &str,
        call: Call,
        event: Event,
        now: chrono::DateTime<chrono::Utc>,
        linked: Option<&str>,
    ) -> Result<(Call, Turn, Option<Offered>), TurnError> {
        let knowledge = self.knowledge.get();
        let mut held = store::reference::for_turn(tx, sid, millis(now)).await?;
        for _ in 0..3 {
            let facts = self.facts(&knowledge, now, held.as_ref(), linked);
            let (stepped, turn) = crate::call::step(call.clone(), event.clone(), &facts);
            let needed = reference::needed(&turn);
            match &held {
                Some(Offered::Candidate(candidate)) if needed => {
                    if store::reference::claim(tx, sid, candidate, millis(now)).await? {
                        return Ok((stepped, turn, Some(Offered::Own(candidate.clone()))));
                    }
                    held = store::reference::for_turn(tx, sid, millis(now)).await?;
                }
                Some(Offered::Candidate(_)) => return Ok((stepped, turn, None)),
                Some(Offered::Own(_)) | None => return Ok((stepped, turn, held)),
            }
        }
        // Lost the race three times: this turn goes without a reference.
        let facts = self.facts(&knowledge, now, None, linked);
        let (stepped, turn) = crate::call::step(call, event, &facts);
        Ok((stepped, turn, None))
    }

    pub(super) fn facts<'a>(
        &'a self,
        knowledge: &'a crate::knowledge::Knowledge,
        now: chrono::DateTime<chrono::Utc>,
        held: Option<&'a Offered>,
        linked: Option<&'a str>,
    ) -> Facts<'a> {
        Facts {
            office: &self.office,
            knowledge,
            now,
            texting: self.texting,
            reference: held.map(Offered::digits),
            linked,
        }
    }

    pub(super) fn outlets<'a>(&'a self, held: Option<&'a Offered>) -> Outlets<'a> {
        Outlets {
            keeps_records: self.directory.keeps_records(),
            caller_texts: self.caller_texts.then_some(&*self.office),
            reference: held.map(Offered::digits),
        }
    }
}
