//! frontdesk-wait: the caller's wait, measured. A sibling of `frontdesk-load` that plays
//! speaking callers instead of instant ones.
//!
//! Each caller speaks every utterance over a realistic time (150 words a minute), posting
//! partial transcripts as Twilio does when the `<Gather>` asks for them (one per word or
//! two, the growing text, some out of order), then the final result `speechTimeout` seconds
//! after the last word; a hold line is listened to and its `<Redirect>` followed. The
//! stand-in model reads each request with the keyword rules and answers after a delay drawn
//! from a log-normal distribution (median 900 ms, p90 1.8 s by default). It prints the
//! silence (caller's last word to our first audio, a hold line included) and the answer wait
//! (to the real answer), per turn of the script and as p50/p90/p99, with the share of turns
//! read early, held, or answered without the model, and model calls per turn.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use common::{Error, start_frontdesk};
use frontdesk::call::rules;
use frontdesk::db::Db;
use frontdesk::twilio::signature::{Algorithm, sign};
use rocket::serde::json::{Json, Value, json};
use rocket::{State, post, routes};

const TOKEN: &str = "wait-test-token";

/// What a tenant says, turn by turn: a repair (two answers the model reads, then a callback
/// and a read-back the rules answer alone), two questions, a goodbye.
const SCRIPT: &[&str] = &[
    "Hi, the faucet in my kitchen has been dripping all night and it's getting worse.",
    "Yes, you can go in if I'm not home.",
    "Yes, this number is fine.",
    "Yes, that's right.",
    "What time are you open on Friday?",
    "Am I allowed to have a dog in my apartment?",
    "No, that's all. Thank you, goodbye.",
];

#[derive(Parser)]
#[command(
    name = "frontdesk-wait",
    version,
    about = "Plays speaking callers against frontdesk and prints the caller's wait"
)]
struct Args {
    /// The frontdesk binary to start [default: beside this one].
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Concurrent calls.
    #[arg(long, default_value_t = 50)]
    calls: usize,
    /// Calls each caller makes, one after another.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Speaking rate.
    #[arg(long, default_value_t = 150)]
    wpm: u64,
    /// The stand-in model's median delay and 90th percentile (log-normal).
    #[arg(long, default_value_t = 900)]
    model_median_ms: u64,
    #[arg(long, default_value_t = 1800)]
    model_p90_ms: u64,
    /// Extra settings for the server, NAME=VALUE (e.g. SPECULATIVE_READINGS=0).
    #[arg(long = "env")]
    env: Vec<String>,
    /// Print every turn.
    #[arg(long)]
    verbose: bool,
}

/// One caller turn as the caller lived it.
struct Sample {
    line: usize,
    speech_timeout: f64,
    silence_ms: f64,
    answer_ms: f64,
    holds: usize,
}

#[rocket::main]
async fn main() -> Result<(), Error> {
    let args = Args::parse();
    let asked = Arc::new(AtomicUsize::new(0));
    let model = stand_in_model(args.model_median_ms, args.model_p90_ms, asked.clone()).await?;
    let dir = std::env::temp_dir().join(format!("frontdesk-wait-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database = format!("sqlite://{}", dir.join("frontdesk.db").display());
    let mut env = vec![("OPENAI_API_KEY", "sk-wait"), ("OPENAI_BASE_URL", model.as_str())];
    env.extend(args.env.iter().filter_map(|setting| setting.split_once('=')));
    let (server, base, _) = start_frontdesk(args.bin.as_deref(), &database, TOKEN, &env).await?;
    println!(
        "frontdesk-wait: {} calls x {} script turns x {}, {} wpm, model median {} ms / p90 {} ms, {}",
        args.calls,
        SCRIPT.len(),
        args.repeat,
        args.wpm,
        args.model_median_ms,
        args.model_p90_ms,
        if args.env.is_empty() { "defaults".to_string() } else { args.env.join(" ") }
    );

    let http = reqwest::Client::builder().pool_max_idle_per_host(args.calls * 2).build()?;
    let word = Duration::from_millis(60_000 / args.wpm.max(1));
    let mut tasks = Vec::new();
    for n in 0..args.calls {
        let (http, base) = (http.clone(), base.clone());
        let repeat = args.repeat;
        tasks.push(tokio::spawn(async move {
            // Callers start spread over five seconds, as calls arrive.
            tokio::time::sleep(Duration::from_millis((n as u64 * 5000) / 50)).await;
            let mut all = Vec::new();
            let mut errors = 0;
            for r in 0..repeat {
                match play_call(&http, &base, n * 1000 + r, word).await {
                    Ok(samples) => all.extend(samples),
                    Err(e) => {
                        eprintln!("call {n}/{r}: {e}");
                        errors += 1;
                    }
                }
            }
            (all, errors)
        }));
    }
    let (mut samples, mut errors) = (Vec::new(), 0);
    for task in tasks {
        let (s, e) = task.await?;
        samples.extend(s);
        errors += e;
    }
    if args.verbose {
        for s in &samples {
            println!(
                "line {} timeout {:.0}s silence {:>7.0} ms answer {:>7.0} ms holds {}",
                s.line + 1,
                s.speech_timeout,
                s.silence_ms,
                s.answer_ms,
                s.holds
            );
        }
    }
    report(&samples, errors, asked.load(Ordering::Relaxed), &database).await;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn report(samples: &[Sample], errors: usize, asked: usize, database: &str) {
    let turns = samples.len();
    println!("caller turns:              {turns:>9}   errors: {errors}");
    println!("per line of the script (ms, p50 / p90 / p99):");
    let mut by_line: BTreeMap<usize, Vec<&Sample>> = BTreeMap::new();
    for s in samples {
        by_line.entry(s.line).or_default().push(s);
    }
    for (line, group) in &by_line {
        let silence: Vec<f64> = group.iter().map(|s| s.silence_ms).collect();
        let answer: Vec<f64> = group.iter().map(|s| s.answer_ms).collect();
        let held = group.iter().filter(|s| s.holds > 0).count() as f64 / group.len() as f64;
        println!(
            "  {} speechTimeout {:.0} s: silence {}   answer {}   held {:>3.0}%   \"{}\"",
            line + 1,
            group[0].speech_timeout,
            pcts(silence),
            pcts(answer),
            held * 100.0,
            SCRIPT[*line]
        );
    }
    let over =
        |f: fn(&Sample) -> f64| samples.iter().map(|s| f(s) - s.speech_timeout * 1e3).collect::<Vec<_>>();
    println!("all turns (ms, p50 / p90 / p99):");
    println!("  silence                  {}", pcts(samples.iter().map(|s| s.silence_ms).collect()));
    println!("  silence - speechTimeout  {}", pcts(over(|s| s.silence_ms)));
    println!("  answer wait              {}", pcts(samples.iter().map(|s| s.answer_ms).collect()));
    println!("  answer - speechTimeout   {}", pcts(over(|s| s.answer_ms)));
    let share = |n: usize| if turns == 0 { 0.0 } else { n as f64 * 100.0 / turns as f64 };
    println!("  needed a hold line       {:>5.1}%", share(samples.iter().filter(|s| s.holds > 0).count()));
    println!(
        "  model calls per turn     {:>7.2}",
        if turns == 0 { 0.0 } else { asked as f64 / turns as f64 }
    );
    // What the server recorded; a server from before the wait has no such columns.
    let recorded = async {
        let db = Db::connect(database).await.map_err(|e| e.to_string())?;
        let counts: (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN read_from = 'partial' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN model_asked IS NOT NULL AND NOT model_asked THEN 1 ELSE 0 END), 0)
             FROM turns WHERE event = 'speech'",
        )
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok::<_, String>(counts)
    };
    match recorded.await {
        Ok((speech, early, without)) if speech > 0 => {
            let pct = |n: i64| n as f64 * 100.0 / speech as f64;
            println!("  answered from a speculative reading {:>5.1}%", pct(early));
            println!("  answered without the model          {:>5.1}%", pct(without));
        }
        _ => println!("  (the server records no readings: a frontdesk from before the wait)"),
    }
}

fn pcts(mut ms: Vec<f64>) -> String {
    if ms.is_empty() {
        return "-".into();
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    format!("{:>6.0} / {:>6.0} / {:>6.0}", at(0.5), at(0.9), at(0.99))
}

/// The parts of a reply the caller acts on.
struct Reply {
    said_words: usize,
    gather: Option<(String, f64, Option<String>)>,
    redirect: Option<String>,
}

fn parse(xml: &str) -> Result<Reply, Error> {
    let doc = roxmltree::Document::parse(xml)?;
    let said_words = doc
        .descendants()
        .filter(|n| n.has_tag_name("Say"))
        .map(|n| n.text().unwrap_or_default().split_whitespace().count())
        .sum();
    let gather = doc.descendants().find(|n| n.has_tag_name("Gather")).map(|g| {
        let action = g.attribute("action").unwrap_or_default().to_string();
        let timeout = g.attribute("speechTimeout").and_then(|t| t.parse().ok()).unwrap_or(2.0);
        (action, timeout, g.attribute("partialResultCallback").map(String::from))
    });
    let redirect = if gather.is_some() {
        None
    } else {
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name("Redirect"))
            .and_then(|n| n.text())
            .map(String::from)
    };
    Ok(Reply { said_words, gather, redirect })
}

/// One call through the script; the samples of its caller turns.
async fn play_call(
    http: &reqwest::Client,
    base: &str,
    n: usize,
    word: Duration,
) -> Result<Vec<Sample>, Error> {
    let sid = format!("CA{:032x}", (u128::from(std::process::id()) << 64) | n as u128);
    let from = format!("+1718555010{}", 1 + n % 3);
    let line = vec![
        ("CallSid".to_string(), sid),
        ("From".to_string(), from),
        ("To".to_string(), "+17185550100".to_string()),
        ("CallStatus".to_string(), "in-progress".to_string()),
    ];
    let mut reply = parse(&post(http, base, "/twilio/voice", &line, &[]).await?)?;
    let mut samples = Vec::new();
    for (i, utterance) in SCRIPT.iter().enumerate() {
        let Some((action, timeout, partials)) = reply.gather.take() else { break };
        // The caller hears the prompt out (capped: a caller cuts a long one short), then speaks.
        tokio::time::sleep(word * reply.said_words.min(8) as u32).await;
        let words: Vec<&str> = utterance.split_whitespace().collect();
        let mut seq = 0u32;
        for k in 1..=words.len() {
            tokio::time::sleep(word).await;
            // Roughly one partial per recognised word or phrase: some words are merged.
            if let Some(url) = &partials
                && (k == words.len() || rand::random::<f64>() < 0.75)
            {
                seq += 1;
                let said = words[..k].join(" ").to_lowercase().replace([',', '.', '?', '!'], "");
                let extra = [
                    ("UnstableSpeechResult".to_string(), said),
                    ("SequenceNumber".to_string(), seq.to_string()),
                ];
                // Some arrive late, after a newer one (Twilio posts them asynchronously).
                let late = rand::random::<f64>() < 0.15;
                let (http, base, url, line) = (http.clone(), base.to_string(), url.clone(), line.clone());
                tokio::spawn(async move {
                    if late {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                    }
                    let _ = post(&http, &base, &url, &line, &extra).await;
                });
            }
        }
        let last_word = Instant::now();
        tokio::time::sleep(Duration::from_secs_f64(timeout)).await;
        // Now and then the final result differs from the last partial.
        let heard =
            if rand::random::<f64>() < 0.1 { format!("{utterance} Okay.") } else { utterance.to_string() };
        let extra = [("SpeechResult".to_string(), heard), ("Confidence".to_string(), "0.92".to_string())];
        reply = parse(&post(http, base, &action, &line, &extra).await?)?;
        let silence = last_word.elapsed();
        let mut holds = 0;
        while let Some(redirect) = reply.redirect.take() {
            holds += 1;
            // The hold line plays before Twilio fetches the redirect.
            tokio::time::sleep(word * reply.said_words.max(2) as u32).await;
            reply = parse(&post(http, base, &redirect, &line, &[]).await?)?;
        }
        let answer = last_word.elapsed();
        samples.push(Sample {
            line: i,
            speech_timeout: timeout,
            silence_ms: silence.as_secs_f64() * 1e3,
            answer_ms: answer.as_secs_f64() * 1e3,
            holds,
        });
    }
    let mut done = line.clone();
    done[3].1 = "completed".into();
    post(http, base, "/twilio/status", &done, &[]).await?;
    Ok(samples)
}

async fn post(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    line: &[(String, String)],
    extra: &[(String, String)],
) -> Result<String, Error> {
    let params: Vec<(String, String)> = line.iter().chain(extra).cloned().collect();
    let signature = sign(TOKEN, Algorithm::Sha1, &format!("{base}{path}"), &params);
    let response = http
        .post(format!("{base}{path}"))
        .header("X-Twilio-Signature", signature)
        .form(&params)
        .send()
        .await?;
    let status = response.status();
    let body = response.text().await?;
    if !status.is_success() || body.contains("trouble on my end") {
        return Err(format!("{path}: {status} {body}").into());
    }
    Ok(body)
}

/// The model: reads the caller's words with the keyword rules and answers in OpenAI's wire
/// format after a log-normal delay.
async fn stand_in_model(median_ms: u64, p90_ms: u64, asked: Arc<AtomicUsize>) -> Result<String, Error> {
    struct Model {
        median: f64,
        sigma: f64,
        asked: Arc<AtomicUsize>,
    }
    #[post("/v1/chat/completions", data = "<body>")]
    async fn complete(model: &State<Model>, body: String) -> Json<Value> {
        model.asked.fetch_add(1, Ordering::Relaxed);
        // Box-Muller: a standard normal from two uniforms.
        let (u, v) = (rand::random::<f64>().max(1e-12), rand::random::<f64>());
        let z = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos();
        let delay = (model.median * (model.sigma * z).exp()).min(30_000.0);
        tokio::time::sleep(Duration::from_secs_f64(delay / 1e3)).await;
        let request: Value = serde_json::from_str(&body).unwrap_or_default();
        let said = request["messages"].as_array().and_then(|m| m.last()).and_then(|m| m["content"].as_str());
        let reading = rules::read(said.unwrap_or_default(), &["Diane".to_string(), "Janier".to_string()]);
        let turn = json!({
            "intent": reading.intent.map_or(json!("other"), |i| json!(i)), "hazard": reading.hazard,
            "describes_problem": reading.describes_problem, "urgent": reading.urgent, "answer": reading.answer,
            "location": reading.location, "phone": reading.phone.map(|p| p.e164().trim_start_matches('+').to_string()),
            "this_number": reading.this_number, "staff": reading.staff, "topic": reading.topic,
            "address": reading.address, "language": "en-US",
            "reply": "Happy to help with that.", "reply_asks": "open"
        });
        Json(json!({
            "id": "chatcmpl-wait", "object": "chat.completion", "created": 1_764_000_000u64, "model": "stand-in",
            "choices": [{ "index": 0, "finish_reason": "stop",
                          "message": { "role": "assistant", "content": turn.to_string(), "refusal": null } }],
            "usage": { "prompt_tokens": body.len() / 4, "completion_tokens": 60, "total_tokens": body.len() / 4 + 60 }
        }))
    }
    let median = median_ms.max(1) as f64;
    let sigma = ((p90_ms.max(median_ms + 1) as f64) / median).ln() / 1.2816;
    common::launch_stand_in(Some(4), |rocket| {
        rocket.manage(Model { median, sigma, asked }).mount("/", routes![complete])
    })
    .await
}
