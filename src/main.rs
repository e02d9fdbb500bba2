use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use frontdesk::config::{Level, LogFormat, Settings, WebhookToken};
use frontdesk::db::Db;
use frontdesk::office::{Office, SystemClock};
use frontdesk::{App, softphone};
use tracing_subscriber::EnvFilter;

/// A phone assistant for a property-management office: Twilio webhooks in, TwiML out.
#[derive(Parser)]
#[command(name = "frontdesk", version)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Twilio's voice webhooks (what `frontdesk` does with no subcommand).
    Serve,
    /// A terminal phone: call a running frontdesk the way Twilio does, typing what the caller says.
    Call(softphone::Args),
    /// Staff accounts for the web pages.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// The office's buildings, units and policies.
    #[command(subcommand)]
    Knowledge(KnowledgeCommand),
}

#[derive(Subcommand)]
enum KnowledgeCommand {
    /// Replaces the knowledge with a TOML file (the format of knowledge.toml), or replaces
    /// just the policies with a CSV file (columns: topic,property,text).
    Import { file: std::path::PathBuf },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Adds a staff account (or sets a new password for an existing one). The password is
    /// prompted for, or read from the first line of standard input when it is not a terminal.
    Add { name: String },
    /// Sets a new password for an existing account (read as for `add`); its sessions end.
    Passwd { name: String },
    /// Removes an account; its sessions end.
    Remove { name: String },
    /// Lists the accounts.
    List,
}

#[rocket::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Call(args)) => softphone::run(&cli.settings, args).await,
        Some(Command::Staff(command)) => staff(&cli.settings, command).await,
        Some(Command::Knowledge(KnowledgeCommand::Import { file })) => {
            import_knowledge(&cli.settings, &file).await
        }
        Some(Command::Serve) | None => serve(cli.settings).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontdesk: {e}");
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn staff(settings: &Settings, command: StaffCommand) -> Result<(), Error> {
    use frontdesk::staff::auth;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    match command {
        StaffCommand::Add { name } => match auth::add(&db, &name, &read_password(&name)?).await? {
            true => println!("added staff account {name}"),
            false => println!("set a new password for {name}; their sessions have ended"),
        },
        StaffCommand::Passwd { name } => {
            auth::passwd(&db, &name, &read_password(&name)?).await?;
            println!("set a new password for {name}; their sessions have ended");
        }
        StaffCommand::Remove { name } => {
            auth::remove(&db, &name).await?;
            println!("removed staff account {name}; their sessions have ended");
        }
        StaffCommand::List => {
            let accounts = auth::list(&db).await?;
            if accounts.is_empty() {
                println!("no staff accounts yet: frontdesk staff add NAME");
            }
            for account in accounts {
                let added = chrono::DateTime::from_timestamp_millis(account.created_at)
                    .map(|at| at.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                println!("{}\tadded {added}", account.name);
            }
        }
    }
    Ok(())
}

/// Prompted for twice at a terminal; otherwise the first line of standard input.
fn read_password(name: &str) -> Result<String, Error> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: "))?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            return Err("the passwords differ".into());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn import_knowledge(settings: &Settings, file: &std::path::Path) -> Result<(), Error> {
    use frontdesk::knowledge::{self, Knowledge};
    let text = std::fs::read_to_string(file)?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let knowledge = match file.extension().and_then(|e| e.to_str()) {
        Some("csv") => {
            Knowledge { policies: Knowledge::policies_from_csv(&text)?, ..knowledge::load(&db).await? }
        }
        _ => Knowledge::from_toml(&text)?,
    };
    knowledge::replace(&db, &knowledge).await?;
    println!(
        "imported {} properties and {} policies; running servers pick them up within a minute",
        knowledge.properties.len(),
        knowledge.policies.len()
    );
    Ok(())
}

fn log(level: Level, line: &str) {
    match level {
        Level::Info => tracing::info!("{line}"),
        Level::Warn => tracing::warn!("{line}"),
    }
}

async fn serve(settings: Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Rocket's launch banner and its secret-key warning are said below in frontdesk's words.
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,rocket=warn,rocket::launch=off,rocket::config=error,sqlx=warn")
    });
    let subscriber =
        tracing_subscriber::fmt().with_env_filter(filter).with_ansi(std::io::stdout().is_terminal());
    match settings.log_format {
        LogFormat::Json => subscriber.json().init(),
        LogFormat::Text => subscriber.init(),
    }
    for (level, line) in settings.report() {
        log(level, &line);
    }
    let figment = frontdesk::config::rocket_figment(settings.port);
    let release = frontdesk::config::release(&figment);
    let posture = settings.posture(release)?;
    // Rocket's defaults carry a zero key, which it replaces with a random one at launch.
    let stable_sessions =
        figment.extract_inner::<rocket::config::SecretKey>("secret_key").is_ok_and(|key| !key.is_zero());
    if release && !stable_sessions {
        return Err("ROCKET_SECRET_KEY is not set: release builds need it to encrypt staff sessions \
                    (generate one with `openssl rand -base64 32`; every worker must share it)"
            .into());
    }
    let office = Office::load(settings.office_profile.as_deref())?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let token = match posture.webhook_token {
        WebhookToken::Configured(token) => token,
        WebhookToken::Development => frontdesk::config::development_token(&db).await?,
    };
    let knowledge = frontdesk::knowledge::load(&db).await?;
    let mut app = App::new(db.clone(), office, knowledge, Arc::new(SystemClock), settings.outside(&token)?);
    app.access = posture.access;
    app.retention_days = settings.transcript_retention_days.filter(|days| *days > 0);
    app.knowledge.refresh_every_minute(db.clone(), app.property_source());
    app.outbox.clone().spawn();
    if let Some(digests) = &app.digests {
        digests.clone().spawn();
    }
    if let Some(days) = app.retention_days {
        frontdesk::retention::spawn(db.clone(), app.clock.clone(), days);
    }
    if let Some(model) = &app.model {
        // Learns which structured replies the server speaks before the first caller needs it.
        model.negotiate_in_background();
    }
    app.throttle.clone().spawn_pruning();
    let pages = match &settings.public_url {
        Some(url) => format!("{}/", url.trim_end_matches('/')),
        None => format!("http://127.0.0.1:{}/", settings.port),
    };
    let listening = frontdesk::startup::Listening { pages, stable_sessions };
    for (level, line) in frontdesk::startup::report(&app, &listening).await {
        log(level, &line);
    }
    let announce = rocket::fairing::AdHoc::on_liftoff("listening", |rocket| {
        Box::pin(async move {
            let config = rocket.config();
            tracing::info!("listening on {}:{}", config.address, config.port);
        })
    });
    frontdesk::build(app, figment).attach(announce).launch().await?;
    Ok(())
}
