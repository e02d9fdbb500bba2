//! Stepping the machine with the call's reference: a free one is found and claimed only when
//! the turn leaves something behind (see `store::reference`).

use super::{Offered, TurnError, Turns};
use crate::call::effects::Outlets;
use crate::call::{Call, Event, Facts, Turn, reference, store};
use crate::db::{WriteTx, millis};

impl Turns {
    /// Steps the machine with the call's reference, if it has one. Most turns leave nothing
    /// behind: only when one does is a free reference looked for, and the step taken again
    /// with it (the machine is pure); it is claimed, and if another call claimed it meanwhile,
    /// the step is taken with another. Returns the reference the call holds after the turn.
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
        let mut held = store::reference::of_call(&mut **tx, sid).await?.map(Offered::Own);
        for _ in 0..4 {
            let facts = self.facts(&knowledge, now, held.as_ref(), linked);
            let (stepped, turn) = crate::call::step(call.clone(), event.clone(), &facts);
            let needed = reference::needed(&turn);
            match &held {
                Some(Offered::Own(_)) => return Ok((stepped, turn, held)),
                None | Some(Offered::Candidate(_)) if !needed => return Ok((stepped, turn, None)),
                Some(Offered::Candidate(candidate))
                    if store::reference::claim(tx, sid, candidate, millis(now)).await? =>
                {
                    return Ok((stepped, turn, Some(Offered::Own(candidate.clone()))));
                }
                // No reference yet, or the one offered was claimed by another call meanwhile.
                None | Some(Offered::Candidate(_)) => {}
            }
            held = store::reference::free(tx, sid, millis(now)).await?;
            if held.is_none() {
                return Ok((stepped, turn, None));
            }
        }
        // Lost the race again and again: this turn goes without a reference.
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
