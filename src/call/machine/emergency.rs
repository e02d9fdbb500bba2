//! The emergency path: what escalates, what a bad line does to a hazard, and what happens
//! when on-call does not answer. Nothing a caller says about danger is dropped: a hazard
//! heard unclearly is asked about once, every new hazard escalates, an unanswered emergency
//! becomes an urgent follow-up that reaches a person, and a caller who keeps naming a danger
//! after hours reaches on-call rather than a message offer.

use super::Machine;
use crate::call::heard::Heard;
use crate::call::reading::{Hazard, Intent, Reading};
use crate::call::{Action, Escalated, FollowUp, Next, Priority, ServiceIssue, Stage, Target, lines};
use crate::office::Level;

/// Turns not understood, each naming a danger, before the caller is treated as reporting it.
const MENTIONS_TO_ESCALATE: u8 = 2;

impl Machine<'_> {
    /// The life-safety core is always an emergency; the rest is the office's policy.
    pub(super) fn is_emergency(&self, hazard: Hazard) -> bool {
        let policy = &self.facts.office.emergencies;
        if hazard.core() {
            return true;
        }
        match hazard {
            Hazard::NoHeat => {
                policy.no_heat_in_season
                    && policy.heating_season(self.facts.office.local_date(self.facts.now))
            }
            Hazard::NoHotWater => policy.no_hot_water,
            Hazard::NoWater => policy.no_water,
            Hazard::EntryDoor | Hazard::UnsecuredUnit => policy.unsecured_entry,
            Hazard::BlockedExit => policy.blocked_exit,
            Hazard::LockoutAtRisk => policy.lockout_at_risk,
            Hazard::Lockout => policy.lockout,
            Hazard::NoAirConditioning => policy.no_air_conditioning,
            Hazard::CloggedToilet => policy.clogged_toilet,
            _ => true,
        }
    }

    pub(super) fn escalated(&self, hazard: Hazard) -> bool {
        self.call.escalated.iter().any(|e| e.hazard == hazard)
    }

    /// An emergency as the profile and the life-safety core define it; otherwise the office's
    /// priority table decides from the caller's words, and only when no row fits does the
    /// model's sense of urgency (the rules have none).
    pub(super) fn priority(&self, reading: &Reading, text: &str) -> Priority {
        match reading.hazard {
            Some(hazard) if self.is_emergency(hazard) => return Priority::Emergency,
            Some(_) => return Priority::Urgent,
            None => {}
        }
        let heard = Heard::new(text);
        let row = self
            .facts
            .office
            .priorities
            .iter()
            .find(|row| row.words.iter().any(|w| heard.has(&[w.as_str()])));
        match row.map(|row| row.level) {
            Some(Level::Urgent) => Priority::Urgent,
            Some(Level::Routine) => Priority::Routine,
            None if reading.urgent => Priority::Urgent,
            None => Priority::Routine,
        }
    }

    /// Safety line first, then the on-call number and a text to on-call staff; a tenant's unit
    /// gets an emergency-priority service issue.
    pub(super) fn emergency(&mut self, hazard: Hazard, words: &str, location: Option<String>) -> Next {
        self.call.outcomes.emergency = true;
        self.call.misses = 0;
        self.call.escalated.push(Escalated { hazard, words: words.to_string() });
        if let Some(warning) = self.lines().life_safety(hazard) {
            self.say_fixed(warning);
        }
        let evacuate = self.lines().life_safety(hazard).is_some() && lines::evacuates(hazard);
        self.say_fixed(self.lines().emergency_connecting(evacuate));
        if self.call.caller.unit.is_some() {
            self.file(ServiceIssue {
                priority: Priority::Emergency,
                problem: words.to_string(),
                summary: hazard.describe().to_string(),
                access: None,
                property: None,
                location,
                entry: None,
                callback: self.call.caller.phone.clone(),
                hazard: Some(hazard),
                unconfirmed: None,
                language: self.call.language,
                // The hazard's own English name is the line for staff.
                english: None,
            });
        }
        let office = self.facts.office;
        let body = lines::on_call_page(hazard, &self.call.caller, words);
        self.actions.push(Action::PageOnCall { to: office.on_call_sms.clone(), body });
        self.dial_on_call()
    }

    fn dial_on_call(&mut self) -> Next {
        let office = self.facts.office;
        self.call.stage = Stage::Transferring { to: Target::OnCall };
        Next::Dial { number: office.on_call_phone.clone(), timeout: office.ring_timeout }
    }

    /// Words below the confidence floor. A hazard in them is asked about once, briefly; any
    /// other unclear words are asked again.
    pub(super) fn unclear(&mut self, text: &str, reading: &Reading) -> Next {
        if let Some(hazard) = reading.hazard
            && self.is_emergency(hazard)
            && !self.escalated(hazard)
        {
            self.call.checking = Some(Escalated { hazard, words: text.to_string() });
            self.say(self.lines().check_hazard(hazard));
            let stage = self.call.stage.clone();
            return self.listen(stage);
        }
        self.missed(self.lines().didnt_catch())
    }

    /// The answer to "did you say you smell gas?": only a clear no goes on as before (with
    /// whatever else the caller said: "no, my sink is leaking"); yes, an unclear answer, or
    /// another hazard escalates.
    pub(super) fn checked(
        &mut self,
        suspected: Escalated,
        unclear: bool,
        text: &str,
        reading: &Reading,
    ) -> Next {
        let clear_no = !unclear && reading.answer == Some(false) && reading.hazard.is_none();
        if clear_no {
            self.call.misses = 0;
            self.say(self.lines().misheard());
            if matches!(reading.intent, None | Some(Intent::Other)) {
                return self.ask_again(self.lines().anything_else());
            }
            return self.heard(text, reading);
        }
        let hazard = match reading.hazard {
            Some(heard) if !unclear && self.is_emergency(heard) && !self.escalated(heard) => {
                heard.min(suspected.hazard)
            }
            _ => suspected.hazard,
        };
        self.emergency(hazard, &suspected.words, None)
    }

    /// On-call did not answer: the follow-up goes out now (texted to on-call and the office's
    /// emergency contacts when texts can be sent, kept as an urgent record either way), and the
    /// caller hears exactly that and is asked how to reach them.
    pub(super) fn on_call_unanswered(&mut self) -> Next {
        let Some(last) = self.call.escalated.last().cloned() else {
            self.say_fixed(self.lines().nobody_answered());
            return self.listen(Stage::TakingMessage {
                draft: None,
                kind: crate::call::MessageKind::Message,
                note: None,
            });
        };
        self.follow_up(last.hazard, &last.words, None);
        self.say_fixed(self.lines().on_call_unreachable(self.facts.texting));
        self.listen(Stage::FollowingUp { hazard: last.hazard })
    }

    fn follow_up(&mut self, hazard: Hazard, words: &str, callback: Option<crate::phone::Phone>) {
        let body = lines::follow_up_page(hazard, &self.call.caller, callback.as_ref(), words);
        self.push_follow_up(hazard, body, callback);
    }

    fn push_follow_up(&mut self, hazard: Hazard, body: String, callback: Option<crate::phone::Phone>) {
        let to = if self.facts.texting { self.facts.office.follow_up_contacts() } else { Vec::new() };
        self.actions.push(Action::FollowUp(FollowUp { hazard, body, callback, to }));
    }

    /// The caller hung up while asked "did you say you smell gas?": nobody can be dialled,
    /// so the hazard becomes an urgent follow-up (texted when texts can be sent).
    pub(super) fn hung_up_unconfirmed(&mut self) {
        let Some(suspected) = self.call.checking.take() else { return };
        self.call.outcomes.emergency = true;
        self.call.escalated.push(suspected.clone());
        let body = lines::hung_up_page(suspected.hazard, &self.call.caller, &suspected.words);
        self.push_follow_up(suspected.hazard, body, None);
    }

    /// How to reach the caller, and anything they add: a second follow-up, said as it happens.
    pub(super) fn following_up(&mut self, hazard: Hazard, text: &str, reading: &Reading) -> Next {
        let callback = match (&reading.phone, reading.this_number || reading.answer == Some(true)) {
            (Some(phone), _) => Some(phone.clone()),
            (None, true) => self.call.caller.phone.clone(),
            (None, false) => None,
        };
        self.follow_up(hazard, text, callback.clone());
        let spoken = callback.as_ref().map(crate::phone::Phone::spoken);
        self.say_fixed(self.lines().follow_up_taken(self.facts.texting, spoken.as_deref()));
        self.say(self.lines().anything_else());
        self.listen(Stage::Listening { offer: None })
    }

    /// A turn not understood that still names a danger ("gas... the gas") is counted.
    pub(super) fn note_mention(&mut self) {
        if let Some(hazard) = crate::call::rules::mentioned_hazard(&self.words) {
            self.call.mentions = self.call.mentions.saturating_add(1);
            self.call.mentioned = Some(self.call.mentioned.map_or(hazard, |m| m.min(hazard)));
        }
    }

    /// After hours, a call about danger goes to on-call, never to a message offer (transfers and
    /// silences both ask here first): an emergency
    /// already escalated rings on-call again; a danger named over and over is escalated.
    pub(super) fn danger_after_hours(&mut self) -> Option<Next> {
        if self.office_open() {
            return None;
        }
        if !self.call.escalated.is_empty() {
            self.call.misses = 0;
            let evacuate = self.call.escalated.iter().any(|e| lines::evacuates(e.hazard));
            self.say_fixed(self.lines().on_call_again(evacuate));
            return Some(self.dial_on_call());
        }
        let hazard = self.call.mentioned.filter(|_| self.call.mentions >= MENTIONS_TO_ESCALATE)?;
        let words = self.call.heard.iter().rev().take(3).rev().cloned().collect::<Vec<_>>().join(" / ");
        Some(self.emergency(hazard, &words, None))
    }
}
