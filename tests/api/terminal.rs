//! `frontdesk` and `frontdesk call` as a user runs them: two real processes over HTTP.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::*;

/// Runs `frontdesk call` against `server`, typing `script` line by line; what it printed.
fn call(server: &ServerProcess, from: &str, token: &str, script: &str) -> (bool, String) {
    let mut phone = Command::new(BIN)
        .args(["call", "--from", from])
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
