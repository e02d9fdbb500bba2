//! The whole app, driven the way Twilio drives it.

mod conversation;
mod helpers;
mod terminal;
mod webhooks;
