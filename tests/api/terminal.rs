//! `frontdesk` and `frontdesk call` as a user runs them: two real processes over HTTP.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// A server process on a free port, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(BIN)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PORT", port.to_string())
            .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("fd.db").display()))
            .env("TWILIO_AUTH_TOKEN", "terminal-test-token")
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Server { child, port, _dir: dir }
    }

    /// Runs `frontdesk call`, typing `script` line by line, and returns what it printed.
    fn call(&self, from: &str, token: &str, script: &str) -> (bool, String) {
        let mut phone = Command::new(BIN)
            .args(["call", "--from", from])
            .env_clear()
            .env("PORT", self.port.to_string())
            .env("TWILIO_AUTH_TOKEN", token)
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
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_terminal_phone_holds_a_whole_call_with_a_running_server() {
    let server = Server::start();

    let (ok, printed) =
        server.call("(718) 555-0101", "terminal-test-token", "where are you located\n\nthanks, bye\n");

    assert!(ok, "{printed}");
    let lines: Vec<&str> = printed.lines().collect();
    assert!(lines.iter().any(|l| l.contains("assistant: Hi Maria!")), "{printed}");
    assert!(lines.iter().any(|l| l.contains("31 Port Richmond Avenue")), "{printed}");
    assert!(lines.iter().any(|l| l.contains("Are you still there?")), "an empty line is silence: {printed}");
    assert!(lines.last().is_some_and(|l| l.contains("[the assistant hung up]")), "{printed}");
}

#[test]
fn the_terminal_phone_follows_a_transfer_and_says_when_its_signature_is_refused() {
    let server = Server::start();

    let (_, printed) =
        server.call("+17185550102", "terminal-test-token", "there is smoke in the hallway\nn\n");
    assert!(printed.contains("call 911"), "{printed}");
    assert!(printed.contains("[transferring to +17184146984]"), "{printed}");
    assert!(printed.contains("does someone answer?"), "{printed}");

    let (ok, printed) = server.call("+17185550102", "the-wrong-token", "hello\n");
    assert!(!ok);
    assert!(printed.contains("refused our signature"), "{printed}");
}
