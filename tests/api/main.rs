//! The whole app, driven the way Twilio drives it, with local servers playing the outside
//! services in their real wire formats.

mod conversation;
mod emergencies;
mod fake_openai;
mod fake_rent_manager;
mod fake_twilio;
mod helpers;
mod knowledge;
mod model;
mod rent_manager;
mod rent_manager_client;
mod staff;
mod terminal;
mod waiting;
mod webhooks;
mod workers;
