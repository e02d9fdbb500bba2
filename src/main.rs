use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use frontdesk::config::{Level, LogFormat, Settings};
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
}

#[rocket::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Call(args)) => softphone::run(&cli.settings, args).await,
        Some(Command::Staff(StaffCommand::Add { name })) => add_staff(&cli.settings, &name).await,
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

async fn add_staff(settings: &Settings, name: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: "))?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            return Err("the passwords differ".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    match frontdesk::staff::auth::add(&db, name, &password).await? {
        true => println!("added staff account {name}"),
        false => println!("set a new password for {name}"),
    }
    Ok(())
}

async fn import_knowledge(
    settings: &Settings,
    file: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
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

async fn serve(settings: Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,rocket=warn,sqlx=warn"));
    let subscriber =
        tracing_subscriber::fmt().with_env_filter(filter).with_ansi(std::io::stdout().is_terminal());
    match settings.log_format {
        LogFormat::Json => subscriber.json().init(),
        LogFormat::Text => subscriber.init(),
    }
    for (level, line) in settings.report() {
        match level {
            Level::Info => tracing::info!("{line}"),
            Level::Warn => tracing::warn!("{line}"),
        }
    }
    let office = Office::load(settings.office_profile.as_deref())?;
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let knowledge = frontdesk::knowledge::load(&db).await?;
    let app = App::new(db.clone(), office, knowledge, Arc::new(SystemClock), settings.outside()?);
    app.knowledge.refresh_every_minute(db, app.property_source());
    app.outbox.clone().spawn();
    if let Some(model) = &app.model {
        // Learns which structured replies the server speaks before the first caller needs it.
        model.negotiate_in_background();
    }
    let figment = frontdesk::config::rocket_figment(settings.port);
    let release = figment.profile() == rocket::Config::RELEASE_PROFILE;
    if release && figment.find_value("secret_key").is_err() {
        return Err("ROCKET_SECRET_KEY is not set: release builds need it to encrypt staff sessions \
                    (generate one with `openssl rand -base64 32`; every worker must share it)"
            .into());
    }
    frontdesk::build(app, figment).launch().await?;
    Ok(())
}
