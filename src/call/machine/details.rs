//! What a caller says besides the answer to the question asked: details given before they
//! are asked for (kept, never asked again), corrections of any detail at any point of an
//! intake or at its read-back (just that detail changes), their own questions (never their
//! yes or no), and a second request (its own request, once the first is done).

use super::Machine;
use crate::call::reading::{Aside, Intent, Reading};
use crate::call::{Field, Next, Request, lines, rules, summary};

impl Machine<'_> {
    /// The caller's yes or no; a question of their own ("do you have any two-bedrooms?") is
    /// neither.
    pub(super) fn answer(&self, reading: &Reading) -> Option<bool> {
        reading.answer.filter(|_| !reading.details.question)
    }

    /// Details that belong to the caller rather than to one request, whenever said.
    pub(super) fn remember(&mut self, reading: &Reading) {
        let given = &mut self.call.given;
        if let Some(name) = &reading.details.name {
            given.name = Some(name.clone());
        }
        if let Some(when) = &reading.details.when {
            given.when = Some(when.clone());
        }
        // A request's own details are taken (and corrected) by `absorb`.
        if matches!(
            self.call.stage,
            crate::call::Stage::Intake { .. } | crate::call::Stage::Confirming { .. }
        ) {
            return;
        }
        if let Some(phone) = &reading.phone {
            given.callback = Some(phone.clone());
        }
        if let Some(access) = &reading.details.access {
            given.access = Some(access.clone());
        }
        if let Some(entry) = reading.details.entry {
            given.entry = Some(entry);
        }
    }

    /// A request's details are the call's too: the next request starts from them.
    pub(super) fn keep_given(&mut self, request: &Request) {
        let given = &mut self.call.given;
        given.callback = request.callback.clone().or(given.callback.take());
        if !lines::common_area(request.location.as_deref()) {
            given.entry = request.entry.or(given.entry);
            given.access = request.access.clone().or(given.access.take());
        }
    }

    /// Every detail of the request the caller's words name, other than the one being asked
    /// (`asking`; `None` at the read-back, where any detail may be corrected). A detail not
    /// given yet is kept; one given already changes only when the caller corrects it (at the
    /// read-back, or while `fixing` it, naming a different one is a correction). Returns how
    /// each correction is said back ("the bathroom").
    pub(super) fn absorb(
        &self,
        request: &mut Request,
        asking: Option<Field>,
        text: &str,
        reading: &Reading,
        fixing: bool,
    ) -> Vec<String> {
        let correcting =
            reading.details.correction || fixing || asking.is_none() || reading.answer == Some(false);
        let mut fixed = Vec::new();
        if !matches!(asking, Some(Field::Location | Field::Problem))
            && let Some(place) = self.location(reading, text)
        {
            match request.location.clone() {
                None => request.location = Some(place),
                Some(old) if !old.eq_ignore_ascii_case(&place) && correcting => {
                    request.summary = request.summary.take().map(|s| replace_word(&s, &old, &place));
                    fixed.push(self.lines().fixed_place(&place));
                    request.location = Some(place);
                }
                Some(_) => {}
            }
        }
        if !matches!(asking, Some(Field::Callback | Field::CallbackNumber))
            && let Some(phone) = &reading.phone
        {
            if request.callback.as_ref().is_some_and(|old| old != phone) {
                fixed.push(self.lines().phone(phone));
            }
            request.callback = Some(phone.clone());
        }
        if asking != Some(Field::Entry)
            && let Some(entry) = reading.details.entry
        {
            if request.entry.is_some_and(|old| old != entry) {
                fixed.push(self.lines().fixed_entry(entry));
            }
            request.entry = Some(entry);
        }
        if let Some(access) = &reading.details.access {
            match &request.access {
                Some(old) if correcting && old != access => {
                    fixed.push(self.lines().fixed_note(access));
                    request.access = Some(access.clone());
                }
                Some(old) if !old.contains(access.as_str()) => {
                    request.access = Some(format!("{old}, {access}"))
                }
                Some(_) => {}
                None => request.access = Some(access.clone()),
            }
        }
        // "Actually, it's the toilet, not the sink": a problem named anew, when it says what
        // is wrong (naming only a place or a thing corrects just that).
        if asking != Some(Field::Problem)
            && (reading.details.correction || fixing)
            && reading.describes_problem
            && request.problem.is_some()
        {
            let said = self.summarise(text, reading);
            if !said.starts_with("a problem with") && request.summary.as_deref() != Some(said.as_str()) {
                let words = request.problem.take().unwrap_or_default();
                request.problem = Some(format!("{words} / {text}"));
                request.priority = Some(
                    self.priority(reading, text)
                        .max(request.priority.unwrap_or(crate::call::Priority::Routine)),
                );
                fixed.push(said.clone());
                request.summary = Some(said);
            }
        }
        fixed
    }

    /// Another request, waiting its turn.
    pub(super) fn queue(&mut self, aside: Aside) {
        if !self.call.queued.contains(&aside) {
            self.call.queued.push(aside);
        }
    }

    /// One request done: the next waiting its turn is taken as its own request, with the
    /// questions that fit it; with none waiting, "anything else?".
    pub(super) fn next_queued(&mut self) -> Next {
        if self.call.queued.is_empty() {
            return self.anything_else();
        }
        let aside = self.call.queued.remove(0);
        let reading = rules::read(&aside.words, &self.facts.office.staff);
        match aside.intent {
            Intent::Maintenance => {
                self.say(self.lines().next_request(&summary::problem_in(self.call.language, &aside.words)));
                self.new_request(&aside.words, &reading)
            }
            _ => self.heard(&aside.words, &reading),
        }
    }
}

/// "a leaking kitchen faucet", corrected to the bathroom: "a leaking bathroom faucet".
fn replace_word(summary: &str, old: &str, new: &str) -> String {
    let padded = format!(" {summary} ");
    let old = format!(" {} ", old.to_lowercase());
    match padded.to_lowercase().find(&old) {
        Some(at) => format!("{}{new}{}", &padded[..=at], &padded[at + old.len() - 1..]).trim().to_string(),
        None => summary.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_corrected_place_changes_in_the_summary_too() {
        assert_eq!(
            super::replace_word("a leaking kitchen faucet", "kitchen", "bathroom"),
            "a leaking bathroom faucet"
        );
        assert_eq!(super::replace_word("a running toilet", "kitchen", "bathroom"), "a running toilet");
    }
}
