//! `frontdesk call`: a terminal phone that calls a running frontdesk exactly as Twilio does.
//!
//! It posts signed forms, reads the TwiML that comes back and follows it: `<Say>` is printed,
//! `<Gather>` waits for a typed line (an empty line is silence; `[0.3] words` are heard with
//! that speech-recognition confidence), `<Redirect>` and `<Dial action>` are followed,
//! `<Hangup/>` ends the call, and so does end of input (Ctrl-D), as the caller hanging up.
//! At the end it sends the status callback.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncBufReadExt, BufReader, Lines, Stdin};

use crate::config::Settings;
use crate::twilio::signature::{self, Algorithm};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The frontdesk to call [default: http://127.0.0.1:$PORT].
    #[arg(long)]
    url: Option<String>,
    /// The caller's number; a demo tenant's (+17185550101) makes a tenant call.
    #[arg(long, default_value = "+17185550199")]
    from: String,
    /// The office's Twilio number being called.
    #[arg(long, default_value = "+17185550100")]
    to: String,
    /// How sure the speech recognition is of every typed line (0 to 1); a line can say its
    /// own: `[0.3] my sink is leaking`. Below the server's threshold a line is not trusted.
    #[arg(long, default_value_t = 0.92, value_parser = confidence)]
    confidence: f64,
}

fn confidence(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("{text:?} is not a confidence between 0 and 1")),
    }
}

/// A typed line's own confidence, `[0.3] words`, or the call's.
fn heard(line: &str, default: f64) -> (String, f64) {
    if let Some(rest) = line.strip_prefix('[')
        && let Some((value, words)) = rest.split_once(']')
        && let Ok(value) = confidence(value.trim())
    {
        return (words.trim().to_string(), value);
    }
    (line.to_string(), default)
}

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Line {
    http: reqwest::Client,
    base: String,
    /// The address signatures are computed over (the server's PUBLIC_URL, if it has one).
    signed_base: String,
    token: String,
    params: Vec<(String, String)>,
    started: SystemTime,
    confidence: f64,
}

enum Next {
    Post { path: String, extra: Vec<(String, String)> },
    End,
}

pub async fn run(settings: &Settings, args: Args) -> Result<(), Error> {
    let base = args.url.unwrap_or_else(|| format!("http://127.0.0.1:{}", settings.port));
    let base = base.trim_end_matches('/').to_string();
    let started = SystemTime::now();
    let nanos = started.duration_since(UNIX_EPOCH)?.as_nanos();
    let call_sid = format!("CA{:032x}", nanos ^ (u128::from(std::process::id()) << 64));
    let line = Line {
        http: reqwest::Client::new(),
        signed_base: settings.public_url.clone().unwrap_or_else(|| base.clone()),
        base,
        token: token(settings).await?,
        params: [
            ("CallSid", call_sid.as_str()),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", &args.from),
            ("To", &args.to),
            ("CallStatus", "in-progress"),
            ("Direction", "inbound"),
            ("ApiVersion", "2010-04-01"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec(),
        started,
        confidence: args.confidence,
    };
    println!(
        "[calling {} from {} — type what the caller says; an empty line is silence, [0.3] before \
         words sets their confidence, Ctrl-D hangs up]",
        line.base, args.from
    );
    let mut input = BufReader::new(tokio::io::stdin()).lines();
    let mut twiml = line.post("/twilio/voice", vec![]).await?;
    while let Next::Post { path, extra } = play(&twiml, &mut input, line.confidence).await? {
        twiml = line.post(&path, extra).await?;
    }
    line.hang_up().await
}

/// The token the server checks signatures with: `TWILIO_AUTH_TOKEN`, or else the development
/// token a debug server keeps in its database (this command reads the same `DATABASE_URL`).
async fn token(settings: &Settings) -> Result<String, Error> {
    if let Some(token) = settings.twilio_auth_token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        return Ok(token.to_string());
    }
    let missing = || {
        format!(
            "is frontdesk running? start it with `cargo run` on this DATABASE_URL ({}): it keeps the \
             development token this command signs with there; or give this command the server's \
             TWILIO_AUTH_TOKEN",
            settings.database_url
        )
    };
    // Read-only: looking for the token must not leave an empty database behind.
    let url = match settings.database_url.starts_with("sqlite:") && !settings.database_url.contains("mode=") {
        true => format!(
            "{}{}mode=ro",
            settings.database_url,
            if settings.database_url.contains('?') { '&' } else { '?' }
        ),
        false => settings.database_url.clone(),
    };
    let Ok(db) = crate::db::Db::connect(&url).await else {
        return Err(missing().into());
    };
    let stored = crate::config::stored_development_token(&db).await;
    db.pool.close().await;
    match stored {
        Ok(Some(token)) => Ok(token),
        Ok(None) | Err(_) => Err(missing().into()),
    }
}

/// Follows one TwiML document until it needs the server again or the call ends.
async fn play(twiml: &str, input: &mut Lines<BufReader<Stdin>>, confidence: f64) -> Result<Next, Error> {
    let doc = roxmltree::Document::parse(twiml)?;
    for verb in doc.root_element().children().filter(|n| n.is_element()) {
        match verb.tag_name().name() {
            "Say" => say(verb),
            "Gather" => {
                verb.children().filter(|n| n.has_tag_name("Say")).for_each(say);
                let action = verb.attribute("action").unwrap_or_default().to_string();
                let Some(typed) = prompt("you: ", input).await? else {
                    return Ok(hung_up());
                };
                let (words, confidence) = heard(&typed, confidence);
                let extra = if words.is_empty() {
                    vec![]
                } else {
                    vec![("SpeechResult".into(), words), ("Confidence".into(), confidence.to_string())]
                };
                return Ok(Next::Post { path: action, extra });
            }
            "Redirect" => {
                return Ok(Next::Post { path: verb.text().unwrap_or_default().to_string(), extra: vec![] });
            }
            "Dial" => {
                let number = verb.children().find_map(|n| n.text()).unwrap_or_default().trim();
                println!("[transferring to {number}]");
                let Some(action) = verb.attribute("action") else {
                    continue;
                };
                let Some(answer) = prompt("[does someone answer? y/N] ", input).await? else {
                    return Ok(hung_up());
                };
                let status = if answer.eq_ignore_ascii_case("y") { "completed" } else { "no-answer" };
                let extra = vec![("DialCallStatus".into(), status.into())];
                return Ok(Next::Post { path: action.to_string(), extra });
            }
            "Hangup" => {
                println!("[the assistant hung up]");
                return Ok(Next::End);
            }
            _ => {}
        }
    }
    println!("[the call ended]");
    Ok(Next::End)
}

fn hung_up() -> Next {
    println!("\n[you hung up]");
    Next::End
}

fn say(node: roxmltree::Node) {
    println!("assistant: {}", node.text().unwrap_or_default());
}

async fn prompt(label: &str, input: &mut Lines<BufReader<Stdin>>) -> Result<Option<String>, Error> {
    print!("{label}");
    std::io::stdout().flush()?;
    Ok(input.next_line().await?.map(|l| l.trim().to_string()))
}

impl Line {
    /// The URL Twilio would sign for `path`, as the server reconstructs it.
    fn signed(&self, path: &str) -> String {
        crate::twilio::public_address(&self.signed_base, path)
    }

    async fn post(&self, path: &str, extra: Vec<(String, String)>) -> Result<String, Error> {
        let mut params = self.params.clone();
        params.extend(extra);
        let signature = signature::sign(&self.token, Algorithm::Sha1, &self.signed(path), &params);
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("X-Twilio-Signature", signature)
            .form(&params)
            .send()
            .await
            .map_err(|e| self.unreachable(e))?;
        let status = response.status();
        let body = response.text().await?;
        match status.as_u16() {
            200..=299 => Ok(body),
            403 => Err(format!("the server refused our signature ({body}): give this command the server's TWILIO_AUTH_TOKEN and PUBLIC_URL").into()),
            _ => Err(format!("{path} answered {status}: {body}").into()),
        }
    }

    fn unreachable(&self, e: reqwest::Error) -> Error {
        match e.is_connect() {
            true => format!(
                "nothing answers at {}: is frontdesk running? start it with `cargo run` (or give --url)",
                self.base
            )
            .into(),
            false => e.into(),
        }
    }

    async fn hang_up(&self) -> Result<(), Error> {
        let duration = self.started.elapsed().map(|d| d.as_secs()).unwrap_or_default();
        let extra =
            vec![("CallStatus".into(), "completed".into()), ("CallDuration".into(), duration.to_string())];
        let mut params = self.params.clone();
        params.retain(|(k, _)| k != "CallStatus");
        params.extend(extra);
        let path = "/twilio/status";
        let signature = signature::sign(&self.token, Algorithm::Sha1, &self.signed(path), &params);
        self.http
            .post(format!("{}{path}", self.base))
            .header("X-Twilio-Signature", signature)
            .form(&params)
            .send()
            .await
            .map_err(|e| self.unreachable(e))?
            .error_for_status()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::heard;

    #[test]
    fn a_typed_line_may_carry_its_own_confidence() {
        assert_eq!(heard("[0.3] my sink is leaking", 0.92), ("my sink is leaking".into(), 0.3));
        assert_eq!(heard("my sink is leaking", 0.92), ("my sink is leaking".into(), 0.92));
        assert_eq!(heard("[unit 2B] is mine", 0.92), ("[unit 2B] is mine".into(), 0.92));
        assert_eq!(heard("[1.5] loud", 0.5), ("[1.5] loud".into(), 0.5));
    }
}
