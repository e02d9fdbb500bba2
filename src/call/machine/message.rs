//! Messages for staff and showing requests: only what the call does not know yet is asked
//! (a caller the directory knows is not asked their name, a property with one unit available
//! needs no "which unit", a time said earlier is kept), the read-back says it in a few words
//! ("a message for Janier from Tom Becker: please call back about the Windsor apartment, at
//! 718-555-0177"), a correction at the read-back changes just that detail, and staff get the
//! caller's whole words beside it.

use super::Machine;
use crate::call::lines::Lines;
use crate::call::reading::Reading;
use crate::call::{Action, MessageKind, Next, Note, Stage, follow_up, lines, reference, summary, vet};

impl Machine<'_> {
    /// The caller wants to leave a message or see a unit: what is still needed is asked; a
    /// showing whose every detail is known already is read back at once.
    pub(super) fn start_message(&mut self, kind: MessageKind) -> Next {
        let note = self.known_note(kind);
        if kind == MessageKind::Showing && complete(&note) {
            self.say_fixed(self.lines().showing_read_back(&note));
            let draft = Some(lines::message_summary(&note));
            return self.listen(Stage::TakingMessage { draft, kind, note: Some(note) });
        }
        let ask = self.ask_message(kind, Some(&note));
        self.say(ask);
        self.listen(Stage::TakingMessage { draft: None, kind, note: Some(note) })
    }

    /// What the call already knows for a message or showing: the caller's name (said, or the
    /// directory's), their number, a time they gave, the one unit available.
    fn known_note(&self, kind: MessageKind) -> Note {
        let caller = &self.call.caller;
        let given = &self.call.given;
        let listed =
            if caller.verified() { caller.name.clone() } else { caller.first_name().map(String::from) };
        let units = self.facts.knowledge.available();
        let showing = kind == MessageKind::Showing;
        Note {
            // "Can I talk to Diane?" earlier in the call: the message is for her.
            to: follow_up::addressee(&self.call.heard, &self.facts.office.staff).filter(|_| !showing),
            from: given.name.clone().or(listed),
            callback: given.callback.clone().or_else(|| caller.phone.clone()),
            when: given.when.clone().filter(|_| showing),
            unit: match units.as_slice() {
                [(property, unit)] if showing => Some(self.lines().unit_named(property, unit)),
                _ => None,
            },
            ..Note::default()
        }
    }

    /// The question for what a message or showing still needs.
    pub(super) fn ask_message(&self, kind: MessageKind, note: Option<&Note>) -> Vec<String> {
        let known = note.cloned().unwrap_or_else(|| self.known_note(kind));
        let (name, number) = (known.from.is_none(), known.callback.is_none());
        match kind {
            MessageKind::Message => self.lines().ask_message(name, number),
            MessageKind::Showing => {
                self.lines().ask_showing(known.unit.is_none(), known.when.is_none(), name, number)
            }
        }
    }

    pub(super) fn taking_message(
        &mut self,
        draft: Option<String>,
        kind: MessageKind,
        note: Option<Note>,
        text: &str,
        reading: &Reading,
    ) -> Next {
        let mut note = note.unwrap_or_else(|| self.known_note(kind));
        let Some(draft) = draft else {
            self.fill(&mut note, kind, text, reading, true);
            self.say_fixed(read_back(&self.call.said, self.lines(), kind, &note));
            return self.listen(Stage::TakingMessage {
                draft: Some(text.to_string()),
                kind,
                note: Some(note),
            });
        };
        // "No, my number is 718 555 0199": just that detail, read back again.
        let before = note.clone();
        self.fill(&mut note, kind, text, reading, false);
        if note != before {
            self.call.misses = 0;
            self.say_fixed(read_back(&self.call.said, self.lines(), kind, &note));
            return self.listen(Stage::TakingMessage { draft: Some(draft), kind, note: Some(note) });
        }
        match self.answer(reading) {
            Some(true) => {
                self.call.misses = 0;
                self.call.outcomes.message = true;
                let summary = lines::message_summary(&note);
                self.call.left.push(summary.clone());
                let for_whom = note.to.clone();
                self.actions.push(Action::TakeMessage { body: draft, summary, kind, for_whom });
                let reference = self.facts.reference.map(reference::spoken);
                match (kind, self.call.escalated.is_empty()) {
                    (MessageKind::Message, true) => {
                        self.say_fixed(self.lines().message_taken(reference.as_deref()))
                    }
                    (MessageKind::Showing, true) => {
                        self.say_fixed(self.lines().showing_taken(reference.as_deref()))
                    }
                    // After an emergency on-call did not answer, the last words say what
                    // happens about it, never a routine "I'll pass your message along".
                    (_, false) => {
                        self.say_fixed(self.lines().message_kept());
                        self.say_fixed(self.lines().emergency_goodbye(self.facts.texting));
                    }
                }
                self.end()
            }
            Some(false) => {
                self.call.misses = 0;
                let known = self.known_note(kind);
                let ask = self.ask_message(kind, Some(&known));
                self.say(ask);
                self.listen(Stage::TakingMessage { draft: None, kind, note: Some(known) })
            }
            None => {
                self.call.stage = Stage::TakingMessage { draft: Some(draft), kind, note: Some(note) };
                self.missed(self.lines().yes_or_no())
            }
        }
    }

    /// Every detail the caller's words give: who it is for and from, the number, for a
    /// showing which unit and when, and (`whole`: the message itself) what it says.
    fn fill(&self, note: &mut Note, kind: MessageKind, text: &str, reading: &Reading, whole: bool) {
        if let Some(name) = &reading.details.name {
            note.from = Some(name.clone());
        }
        match (&reading.phone, reading.this_number) {
            (Some(phone), _) => note.callback = Some(phone.clone()),
            (None, true) => note.callback = self.call.caller.phone.clone().or(note.callback.take()),
            (None, false) => {}
        }
        match kind {
            MessageKind::Message => {
                if let Some(staff) = &reading.staff {
                    note.to = Some(staff.clone());
                }
                if whole {
                    let staff = &self.facts.office.staff;
                    let proposed = reading.summary.as_deref().and_then(|s| vet::summary(s, &self.call.heard));
                    note.gist = Some(proposed.unwrap_or_else(|| summary::gist(text, staff)));
                }
            }
            MessageKind::Showing => {
                if let Some(when) = &reading.details.when {
                    note.when = Some(when.clone());
                }
                if let Some(unit) = self.unit_said(text, reading) {
                    note.unit = Some(unit);
                }
                if whole && note.unit.is_none() && note.when.is_none() {
                    note.gist = Some(summary::gist(text, &self.facts.office.staff));
                }
            }
        }
    }

    /// The available unit the caller means: by its building, its size or its name.
    fn unit_said(&self, text: &str, reading: &Reading) -> Option<String> {
        let units = self.facts.knowledge.available();
        let building =
            self.facts.knowledge.locate(reading.address.as_deref().unwrap_or(text)).and_then(|l| l.property);
        let lower = format!(" {} ", text.to_lowercase());
        units
            .iter()
            .find(|(property, unit)| {
                building.is_some_and(|b| b.name == property.name)
                    || reading.details.bedrooms == Some(unit.bedrooms)
                    || lower.contains(&format!(" {} ", unit.name.to_lowercase()))
            })
            .map(|(property, unit)| self.lines().unit_named(property, unit))
    }
}

/// A showing needs nothing more from the caller.
fn complete(note: &Note) -> bool {
    note.unit.is_some() && note.when.is_some() && note.from.is_some() && note.callback.is_some()
}

fn read_back(said: &[String], say: Lines, kind: MessageKind, note: &Note) -> Vec<String> {
    lines::varied(
        said,
        match kind {
            MessageKind::Message => say.message_read_back(note),
            MessageKind::Showing => say.showing_read_back(note),
        },
    )
}
