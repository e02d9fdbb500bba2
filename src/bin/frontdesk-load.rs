//! frontdesk-load: the measuring stick for a turn's cost.
//!
//! Plays N concurrent calls of M turns each against frontdesk over HTTP, with real Twilio
//! signatures, and a local stand-in model whose reply delay is set by `--model-delay-ms`.
//! Without `--url` it starts frontdesk itself on a fresh SQLite database, so it can also
//! report start-to-ready time and the server's peak memory. `--calls 64,1000` plays one round
//! at each concurrency against the same server, so their throughputs compare within one run;
//! the SQLite write-ahead log is watched throughout and reported at the end and once the load
//! has stopped. `--history N` adds N generated calls and measures the staff transcript search
//! over them.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use common::{Error, start_frontdesk};
use frontdesk::db::Db;
use frontdesk::twilio::signature::{Algorithm, sign};
use rocket::serde::json::{Json, Value, json};
use rocket::{State, post, routes};

const TOKEN: &str = "load-test-token";
const WORDS: &[&str] = &["what are your hours", "where is your office", "thank you so much", "hello there"];
const SEARCH_WORDS: &[&str] =
    &["leak", "heat", "window", "parking", "toilet", "hours", "lease", "noise", "mold", "door"];

#[derive(Parser)]
#[command(
    name = "frontdesk-load",
    version,
    about = "Plays concurrent calls against frontdesk and prints what a turn costs"
)]
struct Args {
    /// A running frontdesk (signed with TWILIO_AUTH_TOKEN=load-test-token); without it, one is started.
    #[arg(long)]
    url: Option<String>,
    /// The frontdesk binary to start [default: beside this one].
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Concurrent calls; several, comma-separated (`64,256,1000`), play one round each, in
    /// order, against the same server.
    #[arg(long, value_delimiter = ',', default_value = "200")]
    calls: Vec<usize>,
    /// Caller turns per call.
    #[arg(long, default_value_t = 10)]
    turns: usize,
    /// A pause before each caller turn, as a caller takes to speak; 0 plays calls back to
    /// back, which measures the most turns a second the server can take.
    #[arg(long, default_value_t = 0)]
    think_ms: u64,
    /// The stand-in model's reply delay; with `--no-model`, the rules answer alone.
    #[arg(long, default_value_t = 0)]
    model_delay_ms: u64,
    #[arg(long)]
    no_model: bool,
    /// Generated calls to search over (e.g. 100000); 0 skips the search benchmark.
    #[arg(long, default_value_t = 0)]
    history: usize,
    /// Searches to time.
    #[arg(long, default_value_t = 200)]
    searches: usize,
    /// The SQLite database of the frontdesk at `--url`, to watch its write-ahead log (and
    /// to generate `--history` into); without `--url`, the fresh database it starts on.
    #[arg(long)]
    database: Option<PathBuf>,
    /// After the load, how long to wait for the write-ahead log to shrink back under
    /// `--settled-mb` before reporting what it is.
    #[arg(long, default_value_t = 10)]
    settle_s: u64,
    #[arg(long, default_value_t = 4.0)]
    settled_mb: f64,
}

#[rocket::main]
async fn main() -> Result<(), Error> {
    let args = Args::parse();
    if args.calls.is_empty() || args.calls.contains(&0) {
        return Err("--calls needs one or more concurrencies above 0".into());
    }
    let model = if args.no_model { None } else { Some(stand_in_model(args.model_delay_ms).await?) };
    let dir = tempfile_dir()?;
    let file = match (&args.url, &args.database) {
        (Some(_), Some(file)) => file.clone(),
        _ => dir.join("frontdesk.db"),
    };
    let database = format!("sqlite://{}", file.display());
    let (server, base, ready) = match &args.url {
        Some(url) => (None, url.trim_end_matches('/').to_string(), None),
        None => {
            let model_env =
                model.as_deref().map(|url| [("OPENAI_API_KEY", "sk-load"), ("OPENAI_BASE_URL", url)]);
            let env = model_env.as_ref().map_or(&[][..], |env| &env[..]);
            let (child, base, ready) = start_frontdesk(args.bin.as_deref(), &database, TOKEN, env).await?;
            (Some(child), base, Some(ready))
        }
    };
    let calls = args.calls.iter().map(usize::to_string).collect::<Vec<_>>().join(", then ");
    println!(
        "frontdesk-load: {calls} calls x {} turns, {} ms to speak, against {base}",
        args.turns, args.think_ms
    );
    println!(
        "model: {}",
        model.as_deref().map_or("none (rules)".into(), |_| format!("stand-in, {} ms", args.model_delay_ms))
    );
    if let Some(ready) = ready {
        println!("start to ready:            {:>9.1} ms", ready.as_secs_f64() * 1e3);
    }
    // Only a database this tool can see has a log to watch.
    let wal = (args.url.is_none() || args.database.is_some()).then(|| Wal::watch(&file));

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.calls.iter().max().copied().unwrap_or(1))
        .build()?;
    let mut errors = 0usize;
    let mut first_call = 0;
    let mut rounds = Vec::with_capacity(args.calls.len());
    for &calls in &args.calls {
        println!("-- {calls} concurrent calls");
        let round = play_round(&http, &base, first_call, calls, &args).await;
        first_call += calls;
        errors += round.errors;
        rounds.push((calls, round.per_second));
    }
    if rounds.len() > 1 {
        let (first_calls, first) = rounds[0];
        let summary: Vec<String> = rounds
            .iter()
            .map(|(calls, per_second)| {
                format!("{calls}: {per_second:.0} ({:.0}%)", per_second / first * 100.0)
            })
            .collect();
        println!("turns per second by calls:  {}   (% of {first_calls})", summary.join(", "));
    }
    if let Some(child) = &server {
        println!("server peak memory:        {:>9.1} MB", peak_memory_mb(child.id()).unwrap_or(f64::NAN));
    }
    if let Some(wal) = &wal {
        wal.report(&file, Duration::from_secs(args.settle_s), args.settled_mb).await;
    }
    if args.url.is_none() && !args.no_model && args.turns >= 20 {
        prompt_tokens(&database).await?;
    }
    if args.history > 0 {
        search_benchmark(&base, &database, args.history, args.searches).await?;
        if let Some(child) = &server {
            println!(
                "server peak memory:        {:>9.1} MB (after search)",
                peak_memory_mb(child.id()).unwrap_or(f64::NAN)
            );
        }
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    if errors > 0 {
        return Err(format!("{errors} errors").into());
    }
    Ok(())
}

struct Round {
    per_second: f64,
    errors: usize,
}

/// `calls` concurrent calls, numbered from `first_call` (call ids stay unique across rounds),
/// played to the end; prints what they measured.
async fn play_round(
    http: &reqwest::Client,
    base: &str,
    first_call: usize,
    calls: usize,
    args: &Args,
) -> Round {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(calls);
    for n in first_call..first_call + calls {
        let (http, base, turns, think) =
            (http.clone(), base.to_string(), args.turns, Duration::from_millis(args.think_ms));
        tasks.push(tokio::spawn(async move { play_call(&http, &base, n, turns, think).await }));
    }
    let mut samples = Vec::new();
    let mut errors = 0usize;
    for task in tasks {
        match task.await {
            Ok((call_samples, call_errors)) => {
                samples.extend(call_samples);
                errors += call_errors;
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = started.elapsed();
    let per_second = samples.len() as f64 / elapsed.as_secs_f64();
    let caller: Vec<f64> = samples.iter().map(|s| s.0).collect();
    let server_side: Vec<f64> = samples.iter().filter_map(|s| s.1).collect();
    println!("turns:                     {:>9}", samples.len());
    println!("turns per second:          {per_second:>9.0}");
    println!("errors:                    {errors:>9}");
    report("caller-side latency", caller);
    report("server-side, model excl.", server_side);
    Round { per_second, errors }
}

/// The SQLite write-ahead log's size, sampled while the load runs.
struct Wal {
    peak: Arc<AtomicU64>,
    sampler: tokio::task::JoinHandle<()>,
}

impl Wal {
    fn watch(database: &Path) -> Wal {
        let peak = Arc::new(AtomicU64::new(0));
        let path = wal_path(database);
        let seen = peak.clone();
        let sampler = tokio::spawn(async move {
            loop {
                seen.fetch_max(file_size(&path), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        Wal { peak, sampler }
    }

    /// Prints the log's peak during the load, its size as the load ended, and how soon (if
    /// within `settle`) it was back under `settled_mb`.
    async fn report(&self, database: &Path, settle: Duration, settled_mb: f64) {
        self.sampler.abort();
        let path = wal_path(database);
        let mb = |bytes: u64| bytes as f64 / 1e6;
        let at_end = file_size(&path);
        println!(
            "write-ahead log:           {:>9.1} MB at the end, peak {:.1} MB (database file {:.1} MB)",
            mb(at_end),
            mb(self.peak.load(Ordering::Relaxed).max(at_end)),
            mb(file_size(database))
        );
        let stopped = Instant::now();
        let mut now = at_end;
        while mb(now) > settled_mb && stopped.elapsed() < settle {
            tokio::time::sleep(Duration::from_millis(100)).await;
            now = file_size(&path);
        }
        let state = if mb(now) <= settled_mb { "back under" } else { "still over" };
        println!(
            "write-ahead log, idle:     {:>9.1} MB after {:.1} s ({state} {settled_mb} MB)",
            mb(now),
            stopped.elapsed().as_secs_f64()
        );
    }
}

fn wal_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A missing file (no log yet, or truncated away) is empty.
fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn tempfile_dir() -> Result<PathBuf, Error> {
    let dir = std::env::temp_dir().join(format!("frontdesk-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A model that answers every turn with the same valid structured reading, after a delay.
async fn stand_in_model(delay_ms: u64) -> Result<String, Error> {
    #[post("/v1/chat/completions", data = "<body>")]
    async fn complete(delay: &State<Duration>, body: String) -> Json<Value> {
        tokio::time::sleep(**delay).await;
        let turn = json!({
            "intent": "hours", "hazard": null, "describes_problem": false, "urgent": false, "answer": null,
            "location": null, "phone": null, "this_number": false, "staff": null, "topic": null, "address": null, "language": "en-US",
            "reply": "Happy to help with that.", "reply_asks": "open"
        });
        Json(json!({
            "id": "chatcmpl-load", "object": "chat.completion", "created": 1_764_000_000u64, "model": "stand-in",
            "choices": [{ "index": 0, "finish_reason": "stop",
                          "message": { "role": "assistant", "content": turn.to_string(), "refusal": null } }],
            // A tokenizer's rough count: four characters a token.
            "usage": { "prompt_tokens": body.len() / 4, "completion_tokens": 60, "total_tokens": body.len() / 4 + 60 }
        }))
    }
    common::launch_stand_in(None, |rocket| {
        rocket.manage(Duration::from_millis(delay_ms)).mount("/", routes![complete])
    })
    .await
}

/// One call: the greeting, `turns` caller turns, the hang-up. Returns (caller-side ms,
/// server-side ms) per turn and the number of errors.
async fn play_call(
    http: &reqwest::Client,
    base: &str,
    n: usize,
    turns: usize,
    think: Duration,
) -> (Vec<(f64, Option<f64>)>, usize) {
    let sid = format!("CA{:032x}", (std::process::id() as u128) << 64 | n as u128);
    let from = format!("+1718556{:04}", n % 10_000);
    let line =
        [("CallSid", sid.as_str()), ("From", &from), ("To", "+17185550100"), ("CallStatus", "in-progress")];
    let (mut samples, mut errors) = (Vec::with_capacity(turns), 0);
    let mut path = "/twilio/voice".to_string();
    for turn in 0..=turns {
        let mut params: Vec<(&str, &str)> = line.to_vec();
        if turn > 0 {
            params.extend([("SpeechResult", WORDS[(n + turn) % WORDS.len()]), ("Confidence", "0.9")]);
            // Spread the callers out, then let each one take its time to speak.
            let jitter = if turn == 1 { think.mul_f64((n % 100) as f64 / 100.0) } else { Duration::ZERO };
            tokio::time::sleep(think + jitter).await;
        }
        match post(http, base, &path, &params).await {
            Ok((ms, server_ms, body)) => {
                if turn > 0 {
                    samples.push((ms, server_ms));
                }
                let next = body.split("action=\"").nth(1).and_then(|rest| rest.split('"').next());
                match next {
                    Some(next) if !body.contains("trouble on my end") => path = next.replace("&amp;", "&"),
                    _ => {
                        errors += 1;
                        break;
                    }
                }
            }
            Err(_) => {
                errors += 1;
                break;
            }
        }
    }
    let mut hang_up: Vec<(&str, &str)> = line.to_vec();
    hang_up[3] = ("CallStatus", "completed");
    if post(http, base, "/twilio/status", &hang_up).await.is_err() {
        errors += 1;
    }
    (samples, errors)
}

async fn post(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    params: &[(&str, &str)],
) -> Result<(f64, Option<f64>, String), Error> {
    let owned: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let signature = sign(TOKEN, Algorithm::Sha1, &format!("{base}{path}"), &owned);
    let started = Instant::now();
    let response = http
        .post(format!("{base}{path}"))
        .header("X-Twilio-Signature", signature)
        .form(params)
        .send()
        .await?;
    let status = response.status();
    let server = response
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split("turn;dur=").nth(1)?.split(',').next()?.trim().parse().ok());
    let body = response.text().await?;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    if !status.is_success() {
        return Err(format!("{path}: {status}").into());
    }
    Ok((ms, server, body))
}

fn report(what: &str, mut ms: Vec<f64>) {
    if ms.is_empty() {
        return;
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what:<26} p50 {:>8.2} ms   p99 {:>8.2} ms   max {:>8.2} ms",
        at(0.5),
        at(0.99),
        ms[ms.len() - 1]
    );
}

fn peak_memory_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 =
        status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

async fn prompt_tokens(database: &str) -> Result<(), Error> {
    let db = Db::connect(database).await?;
    let at = |turn: i64| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, f64>("SELECT AVG(CAST(prompt_tokens AS REAL)) FROM turns WHERE turn = $1")
                .bind(turn)
                .fetch_one(&pool)
                .await
        }
    };
    let (fifth, twentieth) = (at(5).await?, at(20).await?);
    println!("prompt tokens, turn 5:     {fifth:>9.0}");
    println!("prompt tokens, turn 20:    {twentieth:>9.0}   ({:+.1}%)", (twentieth - fifth) / fifth * 100.0);
    Ok(())
}

/// Fills the database with `calls` generated calls, logs in as staff, and times searches.
async fn search_benchmark(base: &str, database: &str, calls: usize, searches: usize) -> Result<(), Error> {
    let db = Arc::new(Db::connect(database).await?);
    let generating = Instant::now();
    let now = chrono::Utc::now().timestamp_millis();
    for chunk in (0..calls).collect::<Vec<_>>().chunks(2000) {
        let mut tx = db.begin_write().await?;
        for &n in chunk {
            let sid = format!("CAhistory{n:024}");
            let at = now - (n as i64) * 30_000;
            sqlx::query(
                "INSERT INTO calls (sid, from_number, caller_kind, caller_name, stage, state, outcome, next_turn,
                                    started_at, updated_at, ended_at, duration_s)
                 VALUES ($1, $2, 'unknown', NULL, 'ended', '{}', 'information', 3, $3, $3, $3, 60)",
            )
            .bind(&sid)
            .bind(format!("+1718557{:04}", n % 10_000))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for turn in 0..3i64 {
                let said = format!(
                    "call {n} turn {turn}: my {} needs looking at",
                    SEARCH_WORDS[(n + turn as usize) % SEARCH_WORDS.len()]
                );
                sqlx::query(
                    "INSERT INTO turns (call_sid, turn, event, caller_text, reply_text, stage, source, latency_ms, twiml, created_at)
                     VALUES ($1, $2, 'speech', $3, 'Thanks, I can help with that.', 'listening', 'rules', 1, '<Response/>', $4)",
                )
                .bind(&sid)
                .bind(turn)
                .bind(said)
                .bind(at + turn)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
    db.index_transcripts().await?;
    println!(
        "history:                   {calls:>9} calls generated and indexed in {:.1} s",
        generating.elapsed().as_secs_f64()
    );

    frontdesk::staff::auth::add(&db, "load", "load-test-password").await?;
    // Cookies are carried by hand, and redirects not followed, so a failed login shows.
    let http = &reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let login = http.get(format!("{base}/login")).send().await?;
    let mut cookies: Vec<String> = cookie_pairs(&login);
    let page = login.text().await?;
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string();
    let logged_in = http
        .post(format!("{base}/login"))
        .header("Cookie", cookies.join("; "))
        .form(&[("name", "load"), ("password", "load-test-password"), ("csrf", csrf.as_str())])
        .send()
        .await?;
    cookies.extend(cookie_pairs(&logged_in));
    let cookie = cookies.join("; ");

    let mut ms = Vec::with_capacity(searches);
    for i in 0..searches {
        let word = SEARCH_WORDS[i % SEARCH_WORDS.len()];
        let started = Instant::now();
        let response = http.get(format!("{base}/calls?q={word}")).header("Cookie", &cookie).send().await?;
        let page = response.text().await?;
        // Any call listed shows the login worked: the newest come first, and 25 or more of the
        // load's own calls (which say "hours") fill the first page of that word's search.
        if !page.contains("id=\"calls\"") || !page.contains("/calls/CA") {
            return Err("the search page did not list calls for the load user".into());
        }
        ms.push(started.elapsed().as_secs_f64() * 1e3);
    }
    report("transcript search", ms);
    Ok(())
}

fn cookie_pairs(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(String::from))
        .collect()
}
