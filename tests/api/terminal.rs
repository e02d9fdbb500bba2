//! `frontdesk` and `frontdesk call` as a user runs them: two real processes over HTTP.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::*;

/// Runs `frontdesk call` against `server`, typing `script` line by line; what it printed.
fn call(server: &ServerProcess, from: &str, token: &str, script: &str) -> (bool, String) {
    call_with(server, &["--from", from], token, script)
}

/// `call`, with these arguments to `frontdesk call`.
fn call_with(server: &ServerProcess, args: &[&str], token: &str, script: &str) -> (bool, String) {
    let mut phone = Command::new(BIN)
        .arg("call")
        .args(args)
        .env_clear()
        .env("PORT", server.port.to_string())
        .env("TWILIO_AUTH_TOKEN", token)
        .env("PUBLIC_URL", PUBLIC_URL)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    phone.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let output = phone.wait_with_output().unwrap();
    let printed =
        String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), printed)
}

#[test]
fn the_terminal_phone_holds_a_whole_call_with_a_running_server() {
    let server = ServerProcess::start(&[]);

    let (ok, printed) = call(&server, "(718) 555-0101", AUTH_TOKEN, "where are you located\n\nthanks, bye\n");

    assert!(ok, "{printed}");
    let lines: Vec<&str> = printed.lines().collect();
    assert!(lines.iter().any(|l| l.contains("assistant: Hi Maria!")), "{printed}");
    assert!(lines.iter().any(|l| l.contains("31 Port Richmond Avenue")), "{printed}");
    assert!(lines.iter().any(|l| l.contains("Are you still there?")), "an empty line is silence: {printed}");
    assert!(lines.last().is_some_and(|l| l.contains("[the assistant hung up]")), "{printed}");
}

#[test]
fn the_terminal_phone_holds_a_call_in_spanish() {
    let server = ServerProcess::start(&[]);

    let (ok, printed) =
        call(&server, "(718) 555-0101", AUTH_TOKEN, "español\n¿dónde queda la oficina?\n\ngracias, adiós\n");

    assert!(ok, "{printed}");
    assert!(printed.contains("Para español, diga «español»."), "the greeting invites: {printed}");
    assert!(printed.contains("assistant: ¡Hola, Maria! Con gusto le atiendo en español."), "{printed}");
    assert!(printed.contains("La oficina queda en 31 Port Richmond Avenue"), "{printed}");
    assert!(printed.contains("¿Sigue ahí?"), "silence, in Spanish: {printed}");
    assert!(printed.lines().last().is_some_and(|l| l.contains("[the assistant hung up]")), "{printed}");
}

#[test]
fn the_terminal_phone_follows_a_transfer_and_says_when_its_signature_is_refused() {
    let server = ServerProcess::start(&[]);

    let (_, printed) = call(&server, "+17185550102", AUTH_TOKEN, "there is smoke in the hallway\nn\n");
    assert!(printed.contains("call 911"), "{printed}");
    assert!(printed.contains("[transferring to +17184146984]"), "{printed}");
    assert!(printed.contains("does someone answer?"), "{printed}");

    let (ok, printed) = call(&server, "+17185550102", "the-wrong-token", "hello\n");
    assert!(!ok);
    assert!(printed.contains("refused our signature"), "{printed}");
}

#[rocket::async_test]
async fn the_terminal_phone_follows_a_hold_lines_redirect_and_prints_both() {
    use crate::fake_openai::{Behaviour, FakeModel};
    use serde_json::json;
    let reply = Behaviour::Reply(json!({
        "intent": "maintenance", "describes_problem": true, "location": "kitchen",
        "reply": "Sorry to hear it! May our team let themselves in if you're not home?", "reply_asks": "entry"
    }));
    let model =
        FakeModel::start(Behaviour::After(std::time::Duration::from_millis(1000), Box::new(reply))).await;
    let base_url = model.base_url();
    let server = ServerProcess::start(&[
        ("OPENAI_API_KEY", "sk-test"),
        ("OPENAI_BASE_URL", &base_url),
        ("OPENAI_DEADLINE_MS", "8000"),
        ("HOLD_GRACE_MS", "50"),
        ("HOLD_REPLY_WAIT_MS", "6000"),
    ]);

    let (ok, printed) = tokio::task::spawn_blocking(move || {
        call(&server, "+17185550101", AUTH_TOKEN, "my kitchen faucet is dripping\n")
    })
    .await
    .unwrap();

    assert!(ok, "{printed}");
    let said: Vec<&str> = printed.lines().filter_map(|l| l.split("assistant: ").nth(1)).collect();
    let hold = said.iter().position(|l| frontdesk::call::hold::LINES.contains(l));
    let answer = said.iter().position(|l| l.starts_with("Sorry to hear it!"));
    assert!(matches!((hold, answer), (Some(h), Some(a)) if h < a), "a hold line, then the answer: {printed}");
}

#[test]
fn the_terminal_phone_tries_a_poor_line_and_says_when_the_caller_hangs_up() {
    let server = ServerProcess::start(&[]);

    // Every line heard at 0.3 by the flag; one line lifted to a clear 0.9 by its prefix.
    let script = "where are you located\n[0.9] where are you located\n";
    let (ok, printed) = call_with(&server, &["--confidence", "0.3"], AUTH_TOKEN, script);

    assert!(ok, "{printed}");
    // What the assistant said after each typed line.
    let answers: Vec<&str> = printed.split("you: ").skip(1).collect();
    assert!(!answers[0].contains("31 Port Richmond Avenue"), "a 0.3 line is not trusted: {printed}");
    assert!(answers[1].contains("31 Port Richmond Avenue"), "a [0.9] line is: {printed}");
    assert!(printed.trim_end().ends_with("[you hung up]"), "end of input hangs up: {printed}");
}

#[test]
fn the_terminal_phone_says_how_to_start_a_server_that_is_not_running() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let output = Command::new(BIN)
        .args(["call", "--url", &format!("http://127.0.0.1:{closed}")])
        .env_clear()
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .stdin(Stdio::null())
        .output()
        .unwrap();

    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("is frontdesk running? start it with `cargo run`"), "{said}");
}
