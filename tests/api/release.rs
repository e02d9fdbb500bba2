//! `frontdesk` as a process, the way production runs it: what a release build refuses to
//! start with, what it sends and serves, the development token, and the staff commands.
//! `ROCKET_PROFILE=release` makes this debug binary decide as a release build does.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use frontdesk::twilio::signature::{self, Algorithm};

use crate::helpers::*;

struct Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn frontdesk(dir: &tempfile::TempDir, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("DATABASE_URL", database(dir))
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

fn database(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("fd.db").display())
}

/// Starts `frontdesk` and waits until it listens, or returns what it said when it exited.
fn serve(dir: &tempfile::TempDir, env: &[(&str, &str)]) -> Result<Server, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = frontdesk(dir, env).env("PORT", port.to_string()).stdout(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            let mut said = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut said).unwrap();
            return Err(format!("{status}: {said}"));
        }
        assert!(started.elapsed() < Duration::from_secs(20), "frontdesk did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.stderr = None;
    Ok(Server { child, port })
}

/// Runs a `frontdesk` subcommand with `stdin`; whether it succeeded, and what it printed.
fn run(dir: &tempfile::TempDir, args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = frontdesk(dir, &[]).args(args).stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let printed =
        String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), printed)
}

const RELEASE: &[(&str, &str)] = &[("ROCKET_PROFILE", "release"), ("ROCKET_SECRET_KEY", SECRET_KEY)];

#[test]
fn a_release_build_refuses_to_start_with_a_forgeable_webhook_check() {
    let dir = tempfile::tempdir().unwrap();
    for (extra, expected) in [
        (&[][..], "TWILIO_AUTH_TOKEN is not set"),
        (&[("TWILIO_AUTH_TOKEN", "t"), ("TWILIO_SIGNATURE_CHECK", "off")][..], "TWILIO_SIGNATURE_CHECK=off"),
        (&[("TWILIO_AUTH_TOKEN", "")][..], "TWILIO_AUTH_TOKEN is set but empty"),
        (&[("TWILIO_AUTH_TOKEN", "t"), ("TWILIO_SIGNING_KEYS", "SK1=")][..], "TWILIO_SIGNING_KEYS"),
    ] {
        let env: Vec<_> = RELEASE.iter().chain(extra).copied().collect();
        let said = serve(&dir, &env).err().unwrap_or_else(|| panic!("started with {extra:?}"));
        assert!(said.contains(expected), "{extra:?}: {said}");
    }
    // Empty secrets are refused by debug builds too.
    let said = serve(&dir, &[("TWILIO_AUTH_TOKEN", "")]).err().expect("refused");
    assert!(said.contains("TWILIO_AUTH_TOKEN is set but empty"), "{said}");
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_release_build_sends_secure_cookies_and_hides_metrics_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let (added, printed) = run(&dir, &["staff", "add", STAFF], &format!("{STAFF_PASSWORD}\n"));
    assert!(added, "{printed}");
    let env: Vec<_> = RELEASE.iter().chain(&[("TWILIO_AUTH_TOKEN", AUTH_TOKEN)]).copied().collect();
    let server = serve(&dir, &env).unwrap();
    let base = format!("http://127.0.0.1:{}", server.port);

    let login = http().get(format!("{base}/login")).send().await.unwrap();
    let csrf_cookie = set_cookies(&login).into_iter().find(|c| c.starts_with("csrf=")).unwrap();
    let page = login.text().await.unwrap();
    let start = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let token = page[start..].split('"').next().unwrap().to_string();
    let session = http()
        .post(format!("{base}/login"))
        .header("Cookie", csrf_cookie.split(';').next().unwrap())
        .form(&[("name", STAFF), ("password", STAFF_PASSWORD), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(session.status().as_u16(), 303);
    let session_cookie = set_cookies(&session).into_iter().find(|c| c.starts_with("staff_session=")).unwrap();
    for cookie in [&csrf_cookie, &session_cookie] {
        assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
    }

    let metrics = http().get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(metrics.status().as_u16(), 404);
}

#[tokio::test]
async fn with_a_metrics_token_prometheus_must_present_it() {
    let dir = tempfile::tempdir().unwrap();
    let env: Vec<_> = RELEASE
        .iter()
        .chain(&[("TWILIO_AUTH_TOKEN", AUTH_TOKEN), ("METRICS_TOKEN", "scrape-me")])
        .copied()
        .collect();
    let server = serve(&dir, &env).unwrap();
    let url = format!("http://127.0.0.1:{}/metrics", server.port);

    for wrong in [None, Some("Bearer not-it"), Some("Basic c2NyYXBlLW1l"), Some("Bearer scrape-me-too")] {
        let mut request = http().get(&url);
        if let Some(value) = wrong {
            request = request.header("Authorization", value);
        }
        assert_eq!(request.send().await.unwrap().status().as_u16(), 401, "{wrong:?}");
    }
    let scraped = http().get(&url).bearer_auth("scrape-me").send().await.unwrap();
    assert_eq!(scraped.status().as_u16(), 200);
    assert!(scraped.text().await.unwrap().contains("frontdesk_http_requests_total"));
}

#[tokio::test]
async fn without_a_token_a_debug_server_accepts_only_its_own_random_development_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir, &[]).unwrap();
    let base = format!("http://127.0.0.1:{}", server.port);
    let params = [("CallSid", "CAforged"), ("From", TENANT), ("To", "+17185550100")];
    let owned: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    // The constant earlier versions checked against, and published in their source.
    let forged = signature::sign(
        "frontdesk-development-token",
        Algorithm::Sha1,
        &format!("{base}/twilio/voice"),
        &owned,
    );
    let response = http()
        .post(format!("{base}/twilio/voice"))
        .header("X-Twilio-Signature", forged)
        .form(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    // `frontdesk call` on the same database signs with the token kept there.
    let port = server.port.to_string();
    let mut phone = frontdesk(&dir, &[("PORT", &port)])
        .args(["call", "--from", TENANT])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    phone.stdin.take().unwrap().write_all(b"what are your hours\n").unwrap();
    let output = phone.wait_with_output().unwrap();
    let printed =
        String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && printed.contains("assistant: Hi Maria!"), "{printed}");

    // A restart keeps the token: a terminal phone's signing key does not move under it.
    let kept = || async {
        let db = frontdesk::db::Db::connect(&database(&dir)).await.unwrap();
        frontdesk::config::stored_development_token(&db).await.unwrap().expect("kept")
    };
    let before = kept().await;
    drop(server);
    let _server = serve(&dir, &[]).unwrap();
    assert_eq!(kept().await, before);
    assert!(before.len() >= 40, "256 random bits");
}

#[test]
fn the_staff_commands_add_list_change_and_remove_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, printed) = run(&dir, &["staff", "passwd", "Ghost"], "some long password\n");
    assert!(!ok && printed.contains("no staff account named \"Ghost\""), "{printed}");
    assert!(run(&dir, &["staff", "add", STAFF], &format!("{STAFF_PASSWORD}\n")).0);
    let (ok, printed) = run(&dir, &["staff", "passwd", STAFF], "short\n");
    assert!(!ok && printed.contains("at least 8"), "{printed}");
    let (ok, printed) = run(&dir, &["staff", "passwd", STAFF], "another long password\n");
    assert!(ok && printed.contains("sessions have ended"), "{printed}");
    let (ok, printed) = run(&dir, &["staff", "list"], "");
    assert!(ok && printed.starts_with(&format!("{STAFF}\tadded 20")), "{printed}");
    let (ok, printed) = run(&dir, &["staff", "remove", STAFF], "");
    assert!(ok, "{printed}");
    let (ok, printed) = run(&dir, &["staff", "remove", STAFF], "");
    assert!(!ok && printed.contains("no staff account"), "{printed}");
    let (ok, printed) = run(&dir, &["staff", "list"], "");
    assert!(ok && printed.contains("no staff accounts yet: frontdesk staff add NAME"), "{printed}");
}
