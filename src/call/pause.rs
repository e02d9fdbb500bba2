//! How long a silence ends the caller's turn, by what they were just asked: every second of
//! it is a second of dead air before any reply, so a yes or no gets the shortest, and
//! answers callers give in pieces (a problem, an address, a message) the longest.

use super::{Field, MessageKind, Stage};
use crate::office::Pauses;

/// Twilio's `speechTimeout` for a `<Gather>` that waits in `stage`.
pub fn speech_timeout(stage: &Stage, pauses: &Pauses) -> u8 {
    match stage {
        Stage::Confirming { .. }
        | Stage::TakingMessage { draft: Some(_), .. }
        | Stage::Intake { asking: Field::Entry, .. }
        | Stage::Listening { offer: Some(_) } => pauses.yes_no,
        Stage::Intake { asking: Field::Problem | Field::Address | Field::Location, .. }
        | Stage::TakingMessage { draft: None, kind: MessageKind::Message | MessageKind::Showing, .. } => {
            pauses.long
        }
        Stage::Intake { asking: Field::Callback | Field::CallbackNumber, .. }
        | Stage::ConfirmingUnit { .. }
        | Stage::FollowingUp { .. }
        | Stage::Listening { offer: None }
        | Stage::Ringing
        | Stage::Transferring { .. }
        | Stage::Ended => pauses.short,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Offer, Request};

    #[test]
    fn a_yes_or_no_is_quick_a_description_takes_its_time() {
        let pauses = Pauses::default();
        let intake = |asking| Stage::Intake { request: Request::default(), asking };
        let at = |stage: Stage| speech_timeout(&stage, &pauses);
        assert_eq!(at(Stage::Confirming { request: Request::default(), fixing: false }), 1);
        assert_eq!(at(Stage::Listening { offer: Some(Offer::Transfer) }), 1);
        assert_eq!(at(intake(Field::Entry)), 1);
        assert_eq!(at(intake(Field::CallbackNumber)), 2);
        assert_eq!(at(Stage::Listening { offer: None }), 2);
        assert_eq!(at(intake(Field::Problem)), 3);
        assert_eq!(at(intake(Field::Address)), 3);
        assert_eq!(at(intake(Field::Location)), 3);
        assert_eq!(at(Stage::TakingMessage { draft: None, kind: MessageKind::Message, note: None }), 3);
    }

    #[test]
    fn the_office_profile_sets_them() {
        let pauses = Pauses { yes_no: 2, short: 3, long: 5 };
        assert_eq!(
            speech_timeout(&Stage::Confirming { request: Request::default(), fixing: false }, &pauses),
            2
        );
        assert_eq!(
            speech_timeout(&Stage::Intake { request: Request::default(), asking: Field::Problem }, &pauses),
            5
        );
    }
}
