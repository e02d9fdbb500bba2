//! The words of the office's e-mail. A call's summary is the model's when one is configured
//! and its draft passes `call::vet::summary` (it may reword the call's facts, never add one);
//! otherwise, and always for the caller, reference, follow-ups and link, the template's.

use std::sync::LazyLock;
use std::time::Duration;

use serde_json::json;
use tera::{Context, Tera};

use super::Mailer;
use crate::call::Outcome;
use crate::call::report::{CallSummary, Digest, Email};
use crate::call::vet;

/// What the model is asked to do; the call's facts and conversation follow as the user's turn.
pub const SUMMARY_TASK: &str = "You write the e-mail summary of one phone call for the staff of a \
property-management office. Write 2 to 4 plain sentences: who called, what they asked, and what was \
done. Use only the facts and words given; add no names, numbers, times, prices, promises or next \
steps that are not in them. No greeting, no sign-off, no lists, no markdown.";
/// A summary is a few sentences.
const SUMMARY_TOKENS: u32 = 300;
/// The model writes in the background, but not forever: the template is the fallback.
const SUMMARY_DEADLINE: Duration = Duration::from_secs(30);

static TEMPLATES: LazyLock<Result<Tera, tera::Error>> = LazyLock::new(|| {
    let mut tera = Tera::default();
    tera.add_raw_templates([
        ("summary.txt", include_str!("templates/summary.txt")),
        ("digest.txt", include_str!("templates/digest.txt")),
    ])?;
    Ok(tera)
});

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("e-mail template: {0}")]
    Template(String),
}

impl From<&tera::Error> for ComposeError {
    fn from(e: &tera::Error) -> ComposeError {
        ComposeError::Template(format!("{e:?}"))
    }
}

pub struct Composed {
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub(super) async fn compose(&self, email: &Email) -> Result<Composed, ComposeError> {
        match email {
            Email::CallSummary(summary) => {
                let written = self.draft(summary).await;
                summary_email(summary, written.as_deref())
            }
            Email::Digest(digest) => digest_email(digest),
        }
    }

    /// The model's summary, if there is a model and its draft adds nothing to the call.
    async fn draft(&self, summary: &CallSummary) -> Option<String> {
        let model = self.model.as_ref()?;
        let draft =
            match model.write(SUMMARY_TASK, &material(summary), SUMMARY_TOKENS, SUMMARY_DEADLINE).await {
                Ok(draft) => draft,
                Err(e) => {
                    tracing::warn!(call = summary.sid, "the model wrote no summary, the template does: {e}");
                    return None;
                }
            };
        match vet::summary::summary(&draft, &summary.facts_text()) {
            Ok(vetted) => Some(vetted),
            Err(why) => {
                tracing::info!(
                    call = summary.sid,
                    "the model's summary was not used, the template's is: {why}"
                );
                None
            }
        }
    }
}

/// The call as the model is given it: the facts, then the conversation.
fn material(summary: &CallSummary) -> String {
    let mut lines = vec![format!("Caller: {}", summary.caller), format!("Called: {}", summary.started)];
    lines.extend(summary.reference.as_ref().map(|r| format!("Reference: {r}")));
    lines.extend(summary.done.iter().map(|done| format!("Done: {done}")));
    lines.extend(summary.follow_ups.iter().map(|f| format!("Open follow-up: {}", f.body)));
    lines.push(String::new());
    lines.push("The conversation:".into());
    for exchange in &summary.conversation {
        lines.extend(exchange.caller.as_ref().map(|words| format!("Caller: {words}")));
        lines.push(format!("Assistant: {}", exchange.assistant));
    }
    lines.join("\n")
}

fn outcome_words(outcome: Outcome) -> String {
    match outcome {
        Outcome::Information => "questions answered".into(),
        other => other.as_str().replace('_', " "),
    }
}

/// At most one blank line between paragraphs, and one line ending at the end: the
/// templates' optional sections leave their own behind.
fn tidy(text: &str) -> String {
    let mut text = text.trim_end().to_string();
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text + "\n"
}

pub fn summary_email(summary: &CallSummary, written: Option<&str>) -> Result<Composed, ComposeError> {
    let tera = TEMPLATES.as_ref().map_err(ComposeError::from)?;
    let mut context = Context::from_serialize(summary).map_err(|e| ComposeError::from(&e))?;
    context.insert("written", &written);
    let body = tidy(&tera.render("summary.txt", &context).map_err(|e| ComposeError::from(&e))?);
    let mut subject = format!("Call from {}: {}", summary.caller, outcome_words(summary.outcome));
    if let Some(reference) = &summary.reference {
        subject += &format!(", reference {reference}");
    }
    Ok(Composed { subject, body })
}

pub fn digest_email(digest: &Digest) -> Result<Composed, ComposeError> {
    let tera = TEMPLATES.as_ref().map_err(ComposeError::from)?;
    let day_words = digest.day.format("%A, %B %-d").to_string();
    let mut value = serde_json::to_value(digest).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.insert("day_words".into(), json!(day_words));
    }
    let context = Context::from_value(value).map_err(|e| ComposeError::from(&e))?;
    let body = tidy(&tera.render("digest.txt", &context).map_err(|e| ComposeError::from(&e))?);
    let calls = match digest.calls.total {
        1 => "1 call".to_string(),
        n => format!("{n} calls"),
    };
    let open = match digest.open_total {
        1 => "1 follow-up open".to_string(),
        n => format!("{n} follow-ups open"),
    };
    let subject = format!("Daily digest for {day_words}: {calls}, {open}");
    Ok(Composed { subject, body })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::call::report::{Age, Counts, Exchange, OpenFollowUp, Waiting, by_age};

    fn summary() -> CallSummary {
        CallSummary {
            sid: "CA1".into(),
            caller: "Maria Lopez (tenant, unit 2B)".into(),
            phone: Some("718-555-0101".into()),
            reference: Some("47218".into()),
            started: "Tuesday, December 1, 2026, 10:30 AM".into(),
            duration: Some("1:35".into()),
            outcome: Outcome::ServiceIssue,
            asked: vec!["My kitchen faucet is dripping".into()],
            done: vec!["Service request filed (routine): \"kitchen faucet dripping\".".into()],
            follow_ups: vec![OpenFollowUp { urgent: true, body: "Call back about the gas smell".into() }],
            transcript: Some("https://x/calls/CA1".into()),
            conversation: vec![Exchange {
                caller: Some("My kitchen faucet is dripping".into()),
                assistant: "Ok".into(),
            }],
        }
    }

    #[test]
    fn the_templates_summary_has_every_fact_staff_need() {
        let email = summary_email(&summary(), None).unwrap();
        assert_eq!(email.subject, "Call from Maria Lopez (tenant, unit 2B): service issue, reference 47218");
        assert_eq!(
            email.body,
            "Maria Lopez (tenant, unit 2B), calling from 718-555-0101, called on Tuesday, December 1, 2026, \
             10:30 AM (1:35).\nReference: 47218\n\nWhat they asked:\n- \"My kitchen faucet is dripping\"\n\n\
             What was done:\n- Service request filed (routine): \"kitchen faucet dripping\".\n\n\
             Open follow-ups:\n- URGENT: Call back about the gas smell\n\nTranscript: https://x/calls/CA1\n"
        );
    }

    #[test]
    fn the_models_summary_replaces_what_was_asked_and_done_and_says_whose_it_is() {
        let mut quiet = summary();
        quiet.reference = None;
        quiet.follow_ups.clear();
        quiet.transcript = None;
        let email = summary_email(&quiet, Some("Maria Lopez reported a dripping kitchen faucet.")).unwrap();
        assert_eq!(email.subject, "Call from Maria Lopez (tenant, unit 2B): service issue");
        assert_eq!(
            email.body,
            "Maria Lopez (tenant, unit 2B), calling from 718-555-0101, called on Tuesday, December 1, 2026, \
             10:30 AM (1:35).\n\nMaria Lopez reported a dripping kitchen faucet.\n\nOpen follow-ups:\n- none\n\n\
             Transcript: on the staff pages, call CA1\n\n\
             The summary above was written by the model and checked against the call's record.\n"
        );
    }

    #[test]
    fn the_digest_counts_calls_by_outcome_and_follow_ups_by_age() {
        let hour = 3_600_000;
        let now = 1_000 * 24 * hour;
        let digest = Digest {
            day: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            calls: Counts {
                total: 3,
                emergency: 1,
                service_issue: 1,
                transferred: 0,
                message: 0,
                information: 1,
            },
            open: by_age(&[(now - hour, true), (now - 100 * hour, false)], now),
            oldest: vec![Waiting {
                urgent: false,
                body: "Message for Diane: call back".into(),
                caller: Some("Maria Lopez".into()),
                reference: Some("47218".into()),
                opened: "Fri Nov 27, 9:00 AM".into(),
                age: Age::ThreeToSevenDays,
                transcript: Some("https://x/calls/CA1".into()),
            }],
            open_total: 2,
            staff_pages: Some("https://x/follow-ups".into()),
        };
        let email = digest_email(&digest).unwrap();
        assert_eq!(email.subject, "Daily digest for Monday, November 30: 3 calls, 2 follow-ups open");
        assert_eq!(
            email.body,
            "Calls on Monday, November 30: 3\n- emergencies: 1\n- service requests: 1\n\
             - transferred to the office: 0\n- messages: 0\n- questions answered: 1\n\n\
             Open follow-ups: 2\n- open under a day: 1 (1 urgent)\n- open 1 to 3 days: 0\n\
             - open 3 to 7 days: 1\n- open over a week: 0\n\nWaiting longest:\n\
             - Message for Diane: call back (Maria Lopez), reference 47218, open since Fri Nov 27, 9:00 AM\n  \
             https://x/calls/CA1\n\nFollow-up queue: https://x/follow-ups\n"
        );
    }
}
