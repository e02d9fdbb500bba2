//! What a call leaves for a person to do: the rows of the staff follow-up queue, decided
//! from a turn's actions (pure; `store` keeps them in the turn's transaction). Failed
//! outside writes join the queue from the outbox, when they fail for good.

use super::lines::quote;
use super::reading::Hazard;
use super::{Action, FollowUpKind, MessageKind};
use crate::phone::Phone;

impl FollowUpKind {
    /// Every kind, in the order the queue's filter lists them.
    pub const ALL: [FollowUpKind; 6] = [
        FollowUpKind::EmergencyFollowUp,
        FollowUpKind::Message,
        FollowUpKind::Showing,
        FollowUpKind::UnfinishedRequest,
        FollowUpKind::IdentityNotConfirmed,
        FollowUpKind::FailedWrite,
    ];

    /// How staff read it.
    pub fn label(self) -> &'static str {
        match self {
            FollowUpKind::EmergencyFollowUp => "emergency follow-up",
            FollowUpKind::Message => "message",
            FollowUpKind::Showing => "showing request",
            FollowUpKind::FailedWrite => "failed write",
            FollowUpKind::UnfinishedRequest => "hung up mid-request",
            FollowUpKind::IdentityNotConfirmed => "identity not confirmed",
        }
    }
}

/// One thing a person must do, as a turn leaves it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFollowUp {
    pub kind: FollowUpKind,
    /// Shown first, marked urgent: an emergency nobody has answered yet.
    pub urgent: bool,
    pub hazard: Option<Hazard>,
    /// The number to call back, when the caller gave one.
    pub callback: Option<Phone>,
    /// What is asked, in words staff read.
    pub body: String,
    /// Whether it was also texted to on-call and the emergency contacts.
    pub texted: bool,
    /// A message's addressee, when the caller named one.
    pub for_whom: Option<String>,
}

impl NewFollowUp {
    fn new(kind: FollowUpKind, body: String) -> NewFollowUp {
        NewFollowUp { kind, urgent: false, hazard: None, callback: None, body, texted: false, for_whom: None }
    }
}

/// The follow-ups a turn's actions leave. A service issue filed normally, or a page to
/// on-call, is not one: the maintenance team and on-call have those.
pub fn of_actions(actions: &[Action]) -> Vec<NewFollowUp> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::FollowUp(follow_up) => Some(NewFollowUp {
                urgent: true,
                hazard: Some(follow_up.hazard),
                callback: follow_up.callback.clone(),
                texted: !follow_up.to.is_empty(),
                ..NewFollowUp::new(FollowUpKind::EmergencyFollowUp, follow_up.body.clone())
            }),
            Action::TakeMessage { body, kind, for_whom, .. } => {
                let kind = match kind {
                    MessageKind::Message => FollowUpKind::Message,
                    MessageKind::Showing => FollowUpKind::Showing,
                };
                Some(NewFollowUp { for_whom: for_whom.clone(), ..NewFollowUp::new(kind, body.clone()) })
            }
            Action::Unfinished(what) => Some(NewFollowUp::new(FollowUpKind::UnfinishedRequest, what.clone())),
            Action::FileServiceIssue(issue) => issue.unconfirmed.as_ref().map(|said| NewFollowUp {
                callback: issue.callback.clone(),
                ..NewFollowUp::new(
                    FollowUpKind::IdentityNotConfirmed,
                    format!(
                        "Request filed for \"{}\": asked for their unit, the caller said \"{}\". Confirm who \
                         called before anyone enters.",
                        quote(&issue.problem),
                        quote(said)
                    ),
                )
            }),
            Action::PageOnCall { .. } => None,
        })
        .collect()
}

/// The staff member a message is for: the last one the caller named in the call.
pub fn addressee(heard: &[String], staff: &[String]) -> Option<String> {
    heard.iter().rev().find_map(|words| {
        let words = words.to_lowercase();
        staff
            .iter()
            .find(|name| {
                let name = name.to_lowercase();
                words.split(|c: char| !c.is_alphanumeric()).any(|word| word == name)
            })
            .cloned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Priority, ServiceIssue};

    #[test]
    fn messages_showings_unconfirmed_identities_and_unfinished_requests_are_follow_ups() {
        let issue = |unconfirmed: Option<&str>| {
            Action::FileServiceIssue(ServiceIssue {
                priority: Priority::Routine,
                problem: "the sink drips".into(),
                summary: "a dripping sink".into(),
                access: None,
                property: None,
                location: None,
                entry: Some(true),
                callback: None,
                hazard: None,
                unconfirmed: unconfirmed.map(String::from),
                language: crate::call::Language::English,
                english: None,
            })
        };
        let actions = [
            issue(None),
            issue(Some("3C")),
            Action::TakeMessage {
                body: "um, can Diane call me".into(),
                summary: "For Diane: call me".into(),
                kind: MessageKind::Message,
                for_whom: Some("Diane".into()),
            },
            Action::TakeMessage {
                body: "unit 4A Friday".into(),
                summary: String::new(),
                kind: MessageKind::Showing,
                for_whom: None,
            },
            Action::Unfinished("a leak".into()),
            Action::PageOnCall { to: Vec::new(), body: "gas".into() },
        ];
        let left = of_actions(&actions);
        let kinds: Vec<FollowUpKind> = left.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FollowUpKind::IdentityNotConfirmed,
                FollowUpKind::Message,
                FollowUpKind::Showing,
                FollowUpKind::UnfinishedRequest
            ]
        );
        assert!(left[0].body.contains("the caller said \"3C\""), "{}", left[0].body);
        assert_eq!(left[1].for_whom.as_deref(), Some("Diane"));
        assert_eq!(left[1].body, "um, can Diane call me");
        assert!(left.iter().all(|f| !f.urgent));
    }

    #[test]
    fn a_message_is_for_the_staff_member_the_caller_named_last() {
        let staff = ["Diane".to_string(), "Janier".to_string()];
        let heard = |said: &[&str]| said.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            addressee(&heard(&["can I talk to diane please", "tell her I called"]), &staff),
            Some("Diane".into())
        );
        assert_eq!(addressee(&heard(&["Diane", "actually, Janier"]), &staff), Some("Janier".into()));
        assert_eq!(addressee(&heard(&["Dianette called"]), &staff), None);
    }
}
