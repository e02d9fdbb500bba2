//! The conversation: `(call, event, facts) -> (call, turn)`, with no I/O.
//!
//! This is the one place that says what happens when the caller says X. Brains only read the
//! caller; routes only carry events in and turns out. Its parts: `request` (a maintenance
//! request, question by question, read back and filed), `details` (what a caller says besides
//! the answer asked for: details given early, corrections, their own questions, a second
//! request), `message` (messages and showing requests), `emergency` (the emergency path).

mod details;
mod emergency;
mod message;
mod request;

use crate::call::reading::{Asks, Intent, ModelReply, Reading};
use crate::call::{
    Action, Call, Event, Facts, Field, Language, MessageKind, ModelLine, Next, Offer, Stage, Target, Turn,
    lines, pause, reference, vet,
};
use crate::office::Openness;
use lines::Lines;

/// Below this speech confidence the caller is asked to repeat (a missing confidence is
/// unknown, not zero, and is trusted).
pub const MIN_CONFIDENCE: f64 = 0.4;
/// Misunderstood turns in a row before the assistant hands the caller to a person.
const MAX_MISSES: u8 = 3;

pub fn step(mut call: Call, event: Event, facts: &Facts) -> (Call, Turn) {
    let proposal = match &event {
        Event::Heard { confidence, reading, .. } if !confidence.is_some_and(|c| c < MIN_CONFIDENCE) => {
            reading.reply.clone()
        }
        _ => None,
    };
    let mut machine = Machine {
        call: &mut call,
        facts,
        say: Vec::new(),
        fixed: false,
        actions: Vec::new(),
        words: String::new(),
        invite: None,
    };
    let next = machine.handle(event);
    let model_line = match proposal {
        Some(reply) => machine.consider(reply, &next),
        None => ModelLine::NotOffered,
    };
    let (say, actions, invite) = (machine.say, machine.actions, machine.invite);
    let turn = Turn { say, next, actions, model_line, language: call.language, invite };
    (call, turn)
}

struct Machine<'a> {
    call: &'a mut Call,
    facts: &'a Facts<'a>,
    say: Vec<String>,
    /// The turn states facts or actions, which only the rules' exact words may say.
    fixed: bool,
    actions: Vec<Action>,
    /// What the caller said this turn, if anything.
    words: String,
    /// See `Turn::invite`.
    invite: Option<String>,
}

impl Machine<'_> {
    /// The lines of the call's language: every line the machine says comes through here.
    fn lines(&self) -> Lines {
        Lines::of(self.call.language)
    }

    /// A conversational line: a model's words may take its place.
    fn say(&mut self, variants: Vec<String>) {
        let line = self.lines().pick(&self.call.said, variants);
        self.call.said.push(line.clone());
        self.say.push(line);
    }

    /// A line of office facts, a read-back, or an action under way: said exactly.
    fn say_fixed(&mut self, variants: Vec<String>) {
        self.fixed = true;
        self.say(variants);
    }

    /// Speaks the model's line instead of the rules' when the turn is conversational, the
    /// line asks for exactly what the call now waits for, and it passes `vet`.
    fn consider(&mut self, reply: ModelReply, next: &Next) -> ModelLine {
        if self.fixed {
            return ModelLine::Declined("the turn states facts or actions in fixed words".into());
        }
        let expects = expects(&self.call.stage, next);
        if expects != Some(reply.asks) {
            return ModelLine::Declined(format!(
                "the reply asks for {:?}, the call waits for {expects:?}",
                reply.asks
            ));
        }
        // A call is heard in one language: a line in the other is not spoken.
        let speaks = crate::call::language::cue(&reply.text).speaks;
        if speaks.is_some_and(|l| l != self.call.language) {
            return ModelLine::Declined(format!("the reply is not in {}", self.call.language.as_str()));
        }
        let earlier = self.call.said.len() - self.say.len();
        let sources = vet::Sources {
            office: self.facts.office,
            knowledge: self.facts.knowledge,
            caller: self.call.caller.phone.as_ref(),
            heard: &self.call.heard,
        };
        match vet::vet(&reply.text, &sources, &self.call.said[..earlier]) {
            Ok(line) => {
                self.call.said.truncate(earlier);
                self.call.said.push(line.clone());
                self.say = vec![line];
                ModelLine::Spoken
            }
            Err(unfit) => ModelLine::Declined(unfit.to_string()),
        }
    }

    /// Waits for the caller, as long a pause as the question needs (see `pause`).
    fn listen(&mut self, stage: Stage) -> Next {
        let speech_timeout = pause::speech_timeout(&stage, &self.facts.office.pauses);
        self.call.stage = stage;
        Next::Listen { speech_timeout }
    }

    fn end(&mut self) -> Next {
        self.call.stage = Stage::Ended;
        Next::Hangup
    }

    fn handle(&mut self, event: Event) -> Next {
        if self.call.stage == Stage::Ended {
            return if event == Event::HungUp { Next::Nothing } else { Next::Hangup };
        }
        match event {
            Event::Answered => {
                self.say(self.lines().greeting(self.facts.office, &self.call.caller));
                self.invite = Some(self.facts.office.greeting_es.clone());
                self.listen(Stage::Listening { offer: None })
            }
            Event::HungUp => {
                let stage = std::mem::replace(&mut self.call.stage, Stage::Ended);
                self.hung_up_unconfirmed();
                self.hung_up_mid_request(&stage);
                Next::Nothing
            }
            // Someone overcome by carbon monoxide may not answer: silence after a hazard was
            // heard through a bad line escalates it.
            Event::Silence => match self.call.checking.take() {
                Some(suspected) => self.emergency(suspected.hazard, &suspected.words, None),
                None => self.silence(),
            },
            Event::DialEnded { answered } => self.dial_ended(answered),
            Event::Heard { text, confidence, reading } => {
                self.call.silences = 0;
                let first = self.call.heard.is_empty();
                self.call.heard.push(text.clone());
                self.words = text.clone();
                let unclear = confidence.is_some_and(|c| c < MIN_CONFIDENCE);
                if let Some(suspected) = self.call.checking.take() {
                    return self.checked(suspected, unclear, &text, &reading);
                }
                if !unclear && let Some(next) = self.switch_language(first, &reading) {
                    return next;
                }
                if unclear {
                    return self.unclear(&text, &reading);
                }
                self.heard(&text, &reading)
            }
        }
    }

    /// The caller asks for a language ("español", "English, please"), or their first words
    /// are Spanish: the call goes on in it. A request for the language and nothing else is
    /// answered in it, with the question the call was waiting on asked again; words that say
    /// more go on to be heard, in the new language.
    fn switch_language(&mut self, first: bool, reading: &Reading) -> Option<Next> {
        let spoken = reading.language.filter(|l| first && *l == Language::Spanish);
        let wanted = reading.wants_language.or(spoken)?;
        if wanted == self.call.language {
            return None;
        }
        self.call.language = wanted;
        let asked = reading.wants_language.is_some() && matches!(reading.intent, None | Some(Intent::Other));
        let only_that = reading.hazard.is_none()
            && !reading.describes_problem
            && (asked || reading.intent == Some(Intent::Hello));
        if !only_that {
            return None;
        }
        self.call.misses = 0;
        // An offer pending is dropped with the language: the caller is asked afresh.
        if matches!(self.call.stage, Stage::Listening { .. } | Stage::Ringing) {
            let welcome = match wanted {
                Language::Spanish => self.lines().greeting(self.facts.office, &self.call.caller),
                Language::English => self.lines().switched(),
            };
            self.say(welcome);
            return Some(self.listen(Stage::Listening { offer: None }));
        }
        self.say(self.lines().no_problem());
        Some(self.ask_again(self.lines().anything_else()))
    }

    fn heard(&mut self, text: &str, reading: &Reading) -> Next {
        for aside in &reading.also {
            self.queue(aside.clone());
        }
        self.remember(reading);
        // Emergencies come first, whatever was being discussed: every hazard not escalated yet.
        if let Some(hazard) = reading.hazard
            && self.is_emergency(hazard)
            && !self.escalated(hazard)
        {
            let location = self.location(reading, text);
            return self.emergency(hazard, text, location);
        }
        match self.call.stage.clone() {
            Stage::FollowingUp { hazard } => self.following_up(hazard, text, reading),
            Stage::Intake { request, asking } => self.intake(request, asking, text, reading),
            Stage::Confirming { request, fixing } => self.confirming(request, fixing, text, reading),
            Stage::ConfirmingUnit { request } => self.confirming_unit(request, text),
            Stage::TakingMessage { draft, kind, note } => {
                self.taking_message(draft, kind, note, text, reading)
            }
            Stage::Listening { offer } => self.listening(offer, text, reading),
            Stage::Ringing | Stage::Transferring { .. } | Stage::Ended => self.listening(None, text, reading),
        }
    }

    fn listening(&mut self, offer: Option<Offer>, text: &str, reading: &Reading) -> Next {
        let intent = reading.intent.unwrap_or(Intent::Other);
        if intent == Intent::Goodbye {
            return self.goodbye();
        }
        if let (Some(offer), Some(yes), Intent::Other | Intent::Thanks) =
            (offer, self.answer(reading), intent)
        {
            self.call.misses = 0;
            return match (offer, yes) {
                (Offer::Transfer, true) => self.transfer(None),
                (Offer::Message, true) => self.start_message(MessageKind::Message),
                (Offer::Showing, true) => self.start_message(MessageKind::Showing),
                (_, false) => {
                    self.say(self.lines().no_problem());
                    self.anything_else()
                }
            };
        }
        if intent != Intent::Other {
            self.call.misses = 0;
        }
        // "My reference is 4 7 2 1 8", and nothing else: the earlier call is found and linked.
        if let Some(linked) = self.facts.linked
            && matches!(intent, Intent::Other | Intent::Hello)
            && reading.answer.is_none()
        {
            self.call.misses = 0;
            self.say_fixed(self.lines().found_reference(&reference::spoken(linked)));
            return self.listen(Stage::Listening { offer: None });
        }
        // An address named out of the blue: say whether it is one of ours (a prospect asking
        // about one of ours goes on to hear what is available).
        if matches!(intent, Intent::Other | Intent::Leasing)
            && let Some(located) = self.facts.knowledge.locate(reading.address.as_deref().unwrap_or(text))
        {
            match (located.property, intent) {
                (Some(_), Intent::Leasing) => {}
                (Some(property), _) => {
                    self.call.misses = 0;
                    self.say_fixed(self.lines().ours(property));
                    return self.anything_else();
                }
                (None, _) => {
                    self.call.misses = 0;
                    self.say_fixed(self.lines().not_ours());
                    return self.listen(Stage::Listening { offer: Some(Offer::Transfer) });
                }
            }
        }
        match intent {
            Intent::Maintenance => self.new_request(text, reading),
            Intent::Hours => {
                let now = self.facts.now.with_timezone(&self.facts.office.timezone);
                let say = self.lines();
                let status = match self.facts.office.hours.at(self.facts.now) {
                    Openness::Open { closes } => say.open_now(&say.time(closes.time())),
                    Openness::Closed { opens } => {
                        say.closed_now(opens.map(|at| say.when(at, now)).as_deref())
                    }
                };
                self.say_fixed(say.hours(&status, &say.week(self.facts.office)));
                self.anything_else()
            }
            Intent::Address => {
                self.say_fixed(self.lines().address(self.facts.office));
                self.anything_else()
            }
            Intent::Person => self.transfer(reading.staff.as_deref()),
            Intent::Leasing => {
                let units = self.facts.knowledge.available();
                if units.is_empty() {
                    self.say(self.lines().leasing(self.facts.office));
                    return self.listen(Stage::Listening { offer: Some(Offer::Transfer) });
                }
                // "Do you have any two-bedrooms?" is answered, yes or no, from the data.
                match reading.details.bedrooms {
                    Some(bedrooms) => {
                        let sized: Vec<_> =
                            units.iter().filter(|(_, u)| u.bedrooms == bedrooms).copied().collect();
                        let answer = self.lines().available_sized(bedrooms, &sized, &units);
                        self.say_fixed(lines::varied(&self.call.said, answer));
                    }
                    None => self.say_fixed(self.lines().available(&units)),
                }
                self.listen(Stage::Listening { offer: Some(Offer::Showing) })
            }
            Intent::Policy => self.policy(reading),
            Intent::Thanks => {
                self.say(self.lines().welcome());
                self.anything_else()
            }
            Intent::Hello => {
                self.say(self.lines().hello());
                self.listen(Stage::Listening { offer })
            }
            Intent::Goodbye | Intent::Other => {
                self.call.misses = self.call.misses.saturating_add(1);
                self.note_mention();
                if self.call.misses >= MAX_MISSES {
                    return self.transfer(None);
                }
                self.say(self.lines().what_i_do(self.facts.office));
                self.listen(Stage::Listening { offer: Some(Offer::Transfer) })
            }
        }
    }

    /// A question about living here, answered only from the office's own data.
    fn policy(&mut self, reading: &Reading) -> Next {
        let Some(topic) = reading.topic else {
            self.say(self.lines().what_i_do(self.facts.office));
            return self.listen(Stage::Listening { offer: Some(Offer::Transfer) });
        };
        let property = self.call.caller.property.as_deref();
        if let Some(text) = self.facts.knowledge.policy(topic, property) {
            let text = text.to_string();
            self.say_fixed(self.lines().policy(&text));
            return self.anything_else();
        }
        let open = self.office_open();
        self.say_fixed(self.lines().dont_have(topic, &self.lines().offer_person_or_message(open)));
        let offer = if open { Offer::Transfer } else { Offer::Message };
        self.listen(Stage::Listening { offer: Some(offer) })
    }

    /// The caller is done. After an emergency on-call did not answer, the last words say
    /// what happens next, not a routine goodbye.
    fn goodbye(&mut self) -> Next {
        match self.call.escalated.is_empty() {
            true => self.say(self.lines().goodbye()),
            false => self.say_fixed(self.lines().emergency_goodbye(self.facts.texting)),
        }
        self.end()
    }

    fn anything_else(&mut self) -> Next {
        self.say(self.lines().anything_else());
        self.listen(Stage::Listening { offer: None })
    }

    /// A turn the assistant could not use: ask again, and after a few, hand over to a person.
    fn missed(&mut self, ask_again: Vec<String>) -> Next {
        self.call.misses = self.call.misses.saturating_add(1);
        self.note_mention();
        if self.call.misses >= MAX_MISSES {
            return self.transfer(None);
        }
        self.say(ask_again);
        let stage = self.call.stage.clone();
        self.listen(stage)
    }

    fn silence(&mut self) -> Next {
        self.call.silences = self.call.silences.saturating_add(1);
        match self.call.silences {
            1 => self.ask_again(self.lines().still_there()),
            2 => {
                if let Some(next) = self.danger_after_hours() {
                    return next;
                }
                let offer = if self.office_open() {
                    self.say(self.lines().offer_transfer(self.facts.office));
                    Offer::Transfer
                } else {
                    self.say(self.lines().offer_message());
                    Offer::Message
                };
                self.listen(Stage::Listening { offer: Some(offer) })
            }
            _ => {
                match self.call.escalated.is_empty() {
                    true => self.say(self.lines().silent_goodbye()),
                    false => self.say_fixed(self.lines().emergency_goodbye(self.facts.texting)),
                }
                self.end()
            }
        }
    }

    /// Asks again for what the call waits for (`otherwise` when it waits for nothing).
    fn ask_again(&mut self, otherwise: Vec<String>) -> Next {
        let variants = match &self.call.stage {
            Stage::Intake { asking, .. } => self.lines().ask(*asking, &self.call.caller),
            Stage::Confirming { fixing: true, .. } => self.lines().what_to_fix(),
            Stage::Confirming { .. } | Stage::TakingMessage { draft: Some(_), .. } => {
                self.lines().yes_or_no()
            }
            Stage::TakingMessage { draft: None, kind, note } => self.ask_message(*kind, note.as_ref()),
            Stage::FollowingUp { .. } => self.lines().ask_follow_up(),
            Stage::ConfirmingUnit { .. } => self.lines().which_unit(),
            _ => otherwise,
        };
        self.say(variants);
        let stage = self.call.stage.clone();
        self.listen(stage)
    }

    fn office_open(&self) -> bool {
        matches!(self.facts.office.hours.at(self.facts.now), Openness::Open { .. })
    }

    /// A person, if the office is open; otherwise the hours and an offer to take a message
    /// (or on-call, for a call about danger: see `danger_after_hours`).
    fn transfer(&mut self, staff: Option<&str>) -> Next {
        let office = self.facts.office;
        match office.hours.at(self.facts.now) {
            Openness::Open { .. } => {
                self.say_fixed(self.lines().connecting(staff));
                self.call.stage = Stage::Transferring { to: Target::Office };
                Next::Dial { number: office.office_phone.clone(), timeout: office.ring_timeout }
            }
            Openness::Closed { opens } => {
                if let Some(next) = self.danger_after_hours() {
                    return next;
                }
                let now = self.facts.now.with_timezone(&office.timezone);
                let opens = opens.map(|at| self.lines().when(at, now));
                self.say_fixed(self.lines().after_hours(&self.lines().closed_now(opens.as_deref())));
                self.listen(Stage::Listening { offer: Some(Offer::Message) })
            }
        }
    }

    fn dial_ended(&mut self, answered: bool) -> Next {
        let Stage::Transferring { to } = self.call.stage else {
            return self.anything_else();
        };
        if answered {
            self.call.outcomes.transferred |= to == Target::Office;
            self.say_fixed(self.lines().transfer_done());
            return self.end();
        }
        match to {
            Target::Office => {
                self.say_fixed(self.lines().nobody_answered());
                self.listen(Stage::TakingMessage { draft: None, kind: MessageKind::Message, note: None })
            }
            Target::OnCall => self.on_call_unanswered(),
        }
    }
}

/// What the caller is asked for at the end of a turn.
fn expects(stage: &Stage, next: &Next) -> Option<Asks> {
    match next {
        Next::Hangup => return Some(Asks::Goodbye),
        Next::Listen { .. } => {}
        Next::Dial { .. } | Next::Nothing => return None,
    }
    Some(match stage {
        Stage::Intake { asking: Field::Problem, .. } => Asks::Problem,
        Stage::Intake { asking: Field::Address, .. } => Asks::Address,
        Stage::Intake { asking: Field::Location, .. } => Asks::Location,
        Stage::Intake { asking: Field::Entry, .. } => Asks::Entry,
        Stage::Intake { asking: Field::Callback | Field::CallbackNumber, .. } => Asks::Callback,
        Stage::Confirming { .. } | Stage::TakingMessage { draft: Some(_), .. } => Asks::Confirm,
        Stage::Listening { offer: Some(Offer::Transfer) } => Asks::Transfer,
        Stage::Listening { offer: Some(Offer::Message) } => Asks::Message,
        Stage::Listening { offer: Some(Offer::Showing) } => Asks::Showing,
        Stage::Listening { offer: None } | Stage::Ringing => Asks::Open,
        Stage::TakingMessage { draft: None, .. } => Asks::MessageBody,
        Stage::FollowingUp { .. } => Asks::Callback,
        // The unit check is the rules' own question: no model line stands in for it.
        Stage::ConfirmingUnit { .. } | Stage::Transferring { .. } | Stage::Ended => return None,
    })
}

#[cfg(test)]
pub(crate) mod tests;
