//! What the benchmark binaries share: a frontdesk of their own to measure, started from the
//! binary beside them (or `--bin`) on a free port and stopped when they are done with it, and
//! a stand-in model served in their own process.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rocket::fairing::AdHoc;
use rocket::{Build, Config, Rocket};
use tokio::sync::oneshot;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The frontdesk a tool started, stopped when the tool is done with it, on an error too.
pub struct Server(Child);

impl Server {
    #[allow(dead_code, reason = "frontdesk-load reads the server's memory; frontdesk-wait does not")]
    pub fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts frontdesk on `database`, its webhooks signed with `token` and `env` set on top;
/// returns it once `/ready` answers, with its base URL and how long that took.
pub async fn start_frontdesk(
    bin: Option<&Path>,
    database: &str,
    token: &str,
    env: &[(&str, &str)],
) -> Result<(Server, String, Duration), Error> {
    let bin = match bin {
        Some(bin) => bin.to_path_buf(),
        None => std::env::current_exe()?.with_file_name("frontdesk"),
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(&bin);
    command
        .env("PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("DATABASE_URL", database)
        .env("TWILIO_AUTH_TOKEN", token)
        .env("PUBLIC_URL", &base)
        .env("ROCKET_SECRET_KEY", "hPRYyVRiMyxpw5sBB1XeCMN1kFsDCqKvBi2QJxBVHQk=")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let server = Server(command.spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?);
    let http = reqwest::Client::new();
    while !http.get(format!("{base}/ready")).send().await.is_ok_and(|r| r.status().is_success()) {
        if started.elapsed() > Duration::from_secs(30) {
            return Err("frontdesk did not become ready".into());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok((server, base, started.elapsed()))
}

/// Serves a stand-in model (the routes and state `mount` adds) on a free loopback port, in
/// this process; returns the base URL frontdesk's `OPENAI_BASE_URL` takes.
pub async fn launch_stand_in(
    workers: Option<usize>,
    mount: impl FnOnce(Rocket<Build>) -> Rocket<Build>,
) -> Result<String, Error> {
    let (tx, rx) = oneshot::channel();
    let tx = std::sync::Mutex::new(Some(tx));
    let defaults = Config::default();
    let config = Config {
        port: 0,
        log_level: rocket::config::LogLevel::Off,
        workers: workers.unwrap_or(defaults.workers),
        // Release builds refuse the default key; the stand-in keeps no secrets anyway.
        secret_key: rocket::config::SecretKey::from(&[7u8; 64]),
        ..defaults
    };
    let rocket = mount(rocket::custom(config)).attach(AdHoc::on_liftoff("port", move |rocket| {
        Box::pin(async move {
            if let Some(tx) = tx.lock().ok().and_then(|mut t| t.take()) {
                let _ = tx.send(rocket.config().port);
            }
        })
    }));
    tokio::spawn(async move { rocket.launch().await });
    Ok(format!("http://127.0.0.1:{}/v1", rx.await?))
}
