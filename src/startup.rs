//! What frontdesk says once it is ready to serve, after the configuration report: where the
//! staff pages are and whether anyone can log in, whether the office is open right now, and
//! what is still an example. A first start should need nothing more than these lines.

use crate::App;
use crate::config::Level;
use crate::office::Openness;

/// Where the server listens, as the start-up lines need it.
pub struct Listening {
    /// The staff pages' address as a browser on this machine (or `PUBLIC_URL`) reaches them.
    pub pages: String,
    /// Staff sessions survive a restart (`ROCKET_SECRET_KEY` is set).
    pub stable_sessions: bool,
}

pub async fn report(app: &App, listening: &Listening) -> Vec<(Level, String)> {
    let info = |line: String| (Level::Info, line);
    let mut lines = Vec::new();
    lines.push(match crate::staff::auth::list(&app.db).await {
        Ok(accounts) if accounts.is_empty() => {
            info(format!("staff pages: {}; no staff accounts yet: frontdesk staff add NAME", listening.pages))
        }
        Ok(accounts) => {
            let names: Vec<&str> = accounts.iter().map(|account| account.name.as_str()).collect();
            info(format!("staff pages: {} (staff accounts: {})", listening.pages, names.join(", ")))
        }
        Err(e) => (Level::Warn, format!("staff pages: {} (staff accounts unreadable: {e})", listening.pages)),
    });
    let office = &app.office;
    let format = "%A %-I:%M %p %Z";
    lines.push(info(match office.hours.at(app.clock.now()) {
        Openness::Open { closes } => format!("office: open now, until {}", closes.format(format)),
        Openness::Closed { opens: Some(opens) } => format!(
            "office: closed now, opens {}; callers hear the after-hours greeting, emergencies still reach on-call",
            opens.format(format)
        ),
        Openness::Closed { opens: None } => "office: no opening hours in the profile".into(),
    }));
    if office.has_example_hours() {
        lines.push(info(format!(
            "office hours: {} are the shipped profile's examples: copy office.toml, write your office's, and set OFFICE_PROFILE",
            office.hours.spoken_week()
        )));
    }
    if !listening.stable_sessions {
        lines.push(info(
            "staff sessions: they end when frontdesk restarts (set ROCKET_SECRET_KEY from `openssl rand -base64 32` to keep them; every worker must share it)"
                .into(),
        ));
    }
    lines
}
