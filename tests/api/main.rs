//! The whole app, driven the way Twilio drives it, with local servers playing the outside
//! services in their real wire formats.

mod bad_input;
mod caller_texts;
mod conversation;
mod craft;
mod emergencies;
mod fake_openai;
mod fake_rent_manager;
mod fake_twilio;
mod first_start;
mod follow_ups;
mod helpers;
mod identity;
mod knowledge;
mod model;
mod office_email;
mod outbox_faults;
mod references;
mod release;
mod rent_manager;
mod rent_manager_client;
mod retention;
mod smtp_sink;
mod snapshots;
mod spanish;
mod staff;
mod staff_security;
mod stored_state;
mod terminal;
mod waiting;
mod wal;
mod webhook_security;
mod webhooks;
mod workers;
