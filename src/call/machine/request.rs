//! A maintenance request, detail by detail: what, which building (for a caller the records
//! do not place), where in the home, permission to enter, a callback number; read back in a
//! few words, and filed on "yes". Where in the home and which building are taken only as the
//! caller said them; details said early or corrected are `details`'.

use super::Machine;
use crate::call::Language;
use crate::call::reading::{Aside, Intent, Reading};
use crate::call::{
    Action, Field, Identity, Next, Offer, Priority, Request, ServiceIssue, Stage, lines, reference, summary,
    vet,
};

impl Machine<'_> {
    /// Where in the home, as the caller said it: a reader's proposal that the caller's words
    /// do not hold is dropped.
    pub(super) fn location(&self, reading: &Reading, text: &str) -> Option<String> {
        reading.location.as_deref().and_then(|proposed| vet::location(proposed, text))
    }

    /// The caller's words name a building the office may not manage: ours, the request goes
    /// on there; not ours, they hear so plainly.
    pub(super) fn located(&mut self, request: &mut Request, reading: &Reading, text: &str) -> Option<Next> {
        let located = self.facts.knowledge.locate(reading.address.as_deref().unwrap_or(text))?;
        match located.property {
            Some(property) => {
                request.property = Some(property.name.clone());
                self.say_fixed(self.lines().ours(property));
                None
            }
            None => {
                self.say_fixed(self.lines().not_ours());
                Some(self.listen(Stage::Listening { offer: Some(Offer::Transfer) }))
            }
        }
    }

    /// A new maintenance request from what the caller said, starting from every detail they
    /// gave earlier in the call (a hallway needs no permission to enter, nor a note on how).
    pub(super) fn new_request(&mut self, text: &str, reading: &Reading) -> Next {
        let own = self.own_words(text);
        let location = self.location(reading, &own);
        let home = !lines::common_area(location.as_deref());
        let given = self.call.given.clone();
        let mut request = Request {
            location,
            entry: given.entry.filter(|_| home),
            access: given.access.filter(|_| home),
            callback: given.callback,
            ..Request::default()
        };
        if reading.describes_problem {
            self.set_problem(&mut request, &own, reading);
        } else {
            request.priority = Some(self.priority(reading, &own));
            request.hazard = reading.hazard;
        }
        // "My stove won't light, I'm over at 250 Richmond Terrace": that address.
        if let Some(refused) = self.located(&mut request, reading, text) {
            return refused;
        }
        self.next_question(request)
    }

    /// The caller's words for this request, without a second one queued from the same breath.
    fn own_words(&self, text: &str) -> String {
        let queued = self.call.queued.iter().filter(|a| a.intent == Intent::Maintenance);
        let cut = queued.filter_map(|aside| text.find(aside.words.as_str())).min().unwrap_or(text.len());
        let own = text[..cut].trim_end_matches([' ', ',']);
        let own = [" and also", " oh and", " also", " and", " plus"]
            .iter()
            .find_map(|tail| own.strip_suffix(tail))
            .unwrap_or(own);
        if own.trim().is_empty() { text.to_string() } else { own.to_string() }
    }

    pub(super) fn set_problem(&self, request: &mut Request, text: &str, reading: &Reading) {
        request.problem = Some(text.to_string());
        request.summary = Some(self.summarise(text, reading));
        request.english = match self.call.language {
            Language::English => None,
            Language::Spanish => {
                reading.english.as_deref().and_then(|line| vet::translation(line, &self.call.heard))
            }
        };
        request.priority = Some(self.priority(reading, text));
        request.hazard = reading.hazard;
    }

    /// The problem in a few words: the model's, when every content word in it is the caller's;
    /// the rules' otherwise.
    pub(super) fn summarise(&self, text: &str, reading: &Reading) -> String {
        reading
            .summary
            .as_deref()
            .and_then(|proposed| vet::summary(proposed, &self.call.heard))
            .unwrap_or_else(|| summary::problem_in(self.call.language, text))
    }

    /// Asks for the first missing detail of a maintenance request, or reads it all back.
    pub(super) fn next_question(&mut self, request: Request) -> Next {
        let placed = self.call.caller.unit.is_some() || request.property.is_some();
        let asking = if request.problem.is_none() {
            Field::Problem
        } else if !placed {
            Field::Address
        } else if request.location.is_none() {
            Field::Location
        } else if request.entry.is_none() && !lines::common_area(request.location.as_deref()) {
            Field::Entry
        } else if request.callback.is_none() {
            match self.call.caller.phone {
                Some(_) => Field::Callback,
                None => Field::CallbackNumber,
            }
        } else {
            self.say_fixed(lines::varied(&self.call.said, self.lines().read_back(&request)));
            return self.listen(Stage::Confirming { request, fixing: false });
        };
        self.say(self.lines().ask(asking, &self.call.caller));
        self.listen(Stage::Intake { request, asking })
    }

    pub(super) fn intake(
        &mut self,
        mut request: Request,
        asking: Field,
        text: &str,
        reading: &Reading,
    ) -> Next {
        if reading.intent == Some(Intent::Person) {
            return self.transfer(reading.staff.as_deref());
        }
        // An address in any answer of a caller the records do not place: it must be ours.
        if request.property.is_none()
            && self.call.caller.unit.is_none()
            && let Some(located) = self.facts.knowledge.locate(reading.address.as_deref().unwrap_or(text))
        {
            let Some(property) = located.property else {
                self.say_fixed(self.lines().not_ours());
                return self.listen(Stage::Listening { offer: Some(Offer::Transfer) });
            };
            request.property = Some(property.name.clone());
            self.say_fixed(self.lines().ours(property));
            if asking == Field::Address {
                self.call.misses = 0;
                return self.next_question(request);
            }
        }
        // "Oh, also the hallway light is out": its own request, once this one is done.
        if asking != Field::Problem && reading.details.another && reading.describes_problem {
            self.queue(Aside { intent: Intent::Maintenance, words: text.to_string() });
            self.call.misses = 0;
            self.say(self.lines().queued());
            self.say(self.lines().ask(asking, &self.call.caller));
            return self.listen(Stage::Intake { request, asking });
        }
        // Details given before they were asked for, and corrections of any given already.
        let fixed = self.absorb(&mut request, Some(asking), text, reading, false);
        let correcting = !fixed.is_empty();
        let answer = if correcting { None } else { self.answer(reading) };
        let understood = match asking {
            Field::Address => false,
            Field::Problem => {
                self.set_problem(&mut request, text, reading);
                request.location = request.location.or_else(|| self.location(reading, text));
                true
            }
            // Any words are where it is, as the caller said them; a question of theirs is not.
            Field::Location => match self.location(reading, text) {
                None if reading.details.question => false,
                place => {
                    request.location = Some(place.unwrap_or_else(|| text.to_string()));
                    true
                }
            },
            Field::Entry => {
                request.entry = request.entry.or(answer).or(reading.details.entry);
                request.entry.is_some()
            }
            Field::Callback | Field::CallbackNumber => {
                let caller_phone = self.call.caller.phone.clone();
                request.callback = match (&reading.phone, reading.this_number, answer) {
                    (Some(phone), _, _) => Some(phone.clone()),
                    (None, true, _) => caller_phone,
                    (None, false, Some(true)) if asking == Field::Callback => caller_phone,
                    _ => request.callback.take(),
                };
                if request.callback.is_none() && answer == Some(false) {
                    self.say(self.lines().ask(Field::CallbackNumber, &self.call.caller));
                    return self.listen(Stage::Intake { request, asking: Field::CallbackNumber });
                }
                request.callback.is_some()
            }
        };
        self.keep_given(&request);
        if correcting {
            self.say(lines::varied(&self.call.said, self.lines().corrected(&fixed.join(", "))));
        }
        if !understood {
            // A correction is not a miss: the question still open is asked again.
            if correcting {
                self.call.misses = 0;
                self.say(self.lines().ask(asking, &self.call.caller));
                return self.listen(Stage::Intake { request, asking });
            }
            let variants = match asking {
                Field::Entry => self.lines().yes_or_no(),
                _ => self.lines().ask(asking, &self.call.caller),
            };
            self.call.stage = Stage::Intake { request, asking };
            return self.missed(variants);
        }
        self.call.misses = 0;
        self.next_question(request)
    }

    /// The read-back's answer: yes files it; a correction ("no, it's the bathroom") fixes
    /// just that detail and reads it back again; a bare no asks what to change.
    pub(super) fn confirming(
        &mut self,
        mut request: Request,
        fixing: bool,
        text: &str,
        reading: &Reading,
    ) -> Next {
        let fixed = self.absorb(&mut request, None, text, reading, fixing);
        if !fixed.is_empty() {
            self.call.misses = 0;
            self.keep_given(&request);
            self.say(lines::varied(&self.call.said, self.lines().corrected(&fixed.join(", "))));
            self.say_fixed(lines::varied(&self.call.said, self.lines().read_back(&request)));
            return self.listen(Stage::Confirming { request, fixing: false });
        }
        match self.answer(reading) {
            Some(true) => {
                self.call.misses = 0;
                // Letting someone into a home on a caller ID alone is what a spoofed number
                // would buy: ask for the unit first (never during an emergency).
                let caller = &self.call.caller;
                if request.entry == Some(true)
                    && request.hazard.is_none()
                    && caller.unit.is_some()
                    && !caller.verified()
                {
                    self.say_fixed(self.lines().which_unit());
                    return self.listen(Stage::ConfirmingUnit { request });
                }
                self.file_request(request, None)
            }
            Some(false) => {
                self.call.misses = 0;
                self.say(self.lines().what_to_fix());
                self.listen(Stage::Confirming { request, fixing: true })
            }
            None => {
                self.call.stage = Stage::Confirming { request, fixing };
                self.missed(if fixing { self.lines().what_to_fix() } else { self.lines().yes_or_no() })
            }
        }
    }

    /// The caller's answer to "which unit are you in?", compared with the records.
    pub(super) fn confirming_unit(&mut self, request: Request, text: &str) -> Next {
        self.call.misses = 0;
        let unit = self.call.caller.unit.as_deref().unwrap_or_default();
        if same_unit(text, unit) {
            self.call.caller.identity = Identity::Confirmed;
            return self.file_request(request, None);
        }
        self.file_request(request, Some(text.trim().to_string()))
    }

    fn file_request(&mut self, request: Request, unconfirmed: Option<String>) -> Next {
        let priority = request.priority.unwrap_or(Priority::Routine);
        let checks_first = unconfirmed.is_some();
        let problem = request.problem.unwrap_or_default();
        let summary = request.summary.unwrap_or_else(|| summary::problem_in(self.call.language, &problem));
        let staff = match &request.english {
            Some(english) => english.clone(),
            None => summary::for_staff(self.call.language, &summary, &problem, request.hazard),
        };
        self.call.left.push(staff);
        self.file(ServiceIssue {
            priority,
            problem,
            summary,
            access: request.access,
            property: request.property,
            location: request.location,
            entry: request.entry,
            callback: request.callback,
            hazard: request.hazard,
            unconfirmed,
            language: self.call.language,
            english: request.english,
        });
        self.say_fixed(self.lines().filed());
        if checks_first {
            self.say_fixed(self.lines().entry_waits_for_staff());
        }
        if let Some(reference) = self.facts.reference {
            self.say_fixed(self.lines().your_reference(&reference::spoken(reference)));
        }
        self.next_queued()
    }

    /// The caller hung up before confirming a request or a message (`stage` is where the call
    /// stood): what they had said goes to staff, to call back about.
    pub(super) fn hung_up_mid_request(&mut self, stage: &Stage) {
        let what = match stage {
            Stage::Intake { request, .. }
            | Stage::Confirming { request, .. }
            | Stage::ConfirmingUnit { request } => {
                let Some(problem) = &request.problem else { return };
                let mut what = format!("Maintenance request not confirmed: \"{}\"", lines::quote(problem));
                if let Some(location) = &request.location {
                    what += &format!(", {}", lines::quote(location));
                }
                if let Some(callback) = &request.callback {
                    what += &format!("; call back at {}", callback.spoken());
                }
                what + "."
            }
            Stage::TakingMessage { draft: Some(draft), .. } => {
                format!("Message not confirmed: \"{}\".", lines::quote(draft))
            }
            _ => return,
        };
        self.actions.push(Action::Unfinished(what));
    }

    pub(super) fn file(&mut self, issue: ServiceIssue) {
        self.call.outcomes.service_issue = true;
        self.actions.push(Action::FileServiceIssue(issue));
    }
}

/// Whether a spoken unit ("it's two B", "apartment 2b") is the records' unit ("2B").
fn same_unit(said: &str, unit: &str) -> bool {
    const FILLER: &[&str] = &[
        "its", "it", "is", "unit", "apartment", "apt", "number", "im", "i", "am", "in", "the", "um", "uh",
        "please",
    ];
    const NUMBERS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let key = |text: &str| -> String {
        text.to_lowercase()
            .replace('\'', "")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty() && !FILLER.contains(word))
            .map(|word| match NUMBERS.iter().position(|n| *n == word) {
                Some(n) => n.to_string(),
                None => word.to_string(),
            })
            .collect()
    };
    let unit = key(unit);
    !unit.is_empty() && key(said) == unit
}

#[cfg(test)]
mod unit_tests {
    use super::same_unit;

    #[test]
    fn a_unit_is_recognised_however_it_is_said_and_only_that_unit() {
        for said in ["2B", "it's two B", "apartment 2 b", "Unit 2b please", "I'm in 2B."] {
            assert!(same_unit(said, "2B"), "{said}");
        }
        for said in ["12B", "twelve b", "2C", "", "I don't know"] {
            assert!(!same_unit(said, "2B"), "{said}");
        }
    }
}
