//! `frontdesk call`: a terminal phone that calls a running frontdesk exactly as Twilio does.
//!
//! It posts signed forms, reads the TwiML that comes back and follows it: `<Say>` is printed,
//! `<Gather>` waits for a typed line (an empty line is silence), `<Redirect>` and `<Dial
//! action>` are followed, `<Hangup/>` ends the call. At the end it sends the status callback.

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
    };
    println!(
        "[calling {} from {} — type what the caller says; an empty line is silence, Ctrl-D hangs up]",
        line.base, args.from
    );
    let mut input = BufReader::new(tokio::io::stdin()).lines();
    let mut twiml = line.post("/twilio/voice", vec![]).await?;
    while let Next::Post { path, extra } = play(&twiml, &mut input).await? {
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
            "TWILIO_AUTH_TOKEN is not set and no development token is kept at {}: start frontdesk on \
             this DATABASE_URL first, or give this command the server's TWILIO_AUTH_TOKEN",
            settings.database_url
        )
    };
    let db = crate::db::Db::connect(&settings.database_url).await?;
    let stored = crate::config::stored_development_token(&db).await;
    db.pool.close().await;
    match stored {
        Ok(Some(token)) => Ok(token),
        Ok(None) | Err(_) => Err(missing().into()),
    }
}

/// Follows one TwiML document until it needs the server again or the call ends.
async fn play(twiml: &str, input: &mut Lines<BufReader<Stdin>>) -> Result<Next, Error> {
    let doc = roxmltree::Document::parse(twiml)?;
    for verb in doc.root_element().children().filter(|n| n.is_element()) {
        match verb.tag_name().name() {
            "Say" => say(verb),
            "Gather" => {
                verb.children().filter(|n| n.has_tag_name("Say")).for_each(say);
                let action = verb.attribute("action").unwrap_or_default().to_string();
                let Some(heard) = prompt("you: ", input).await? else {
                    return Ok(Next::End);
                };
                let extra = if heard.is_empty() {
                    vec![]
                } else {
                    vec![("SpeechResult".into(), heard), ("Confidence".into(), "0.92".into())]
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
                    return Ok(Next::End);
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
            .await?;
        let status = response.status();
        let body = response.text().await?;
        match status.as_u16() {
            200..=299 => Ok(body),
            403 => Err(format!("the server refused our signature ({body}): give this command the server's TWILIO_AUTH_TOKEN and PUBLIC_URL").into()),
            _ => Err(format!("{path} answered {status}: {body}").into()),
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
            .await?
            .error_for_status()?;
        Ok(())
    }
}
