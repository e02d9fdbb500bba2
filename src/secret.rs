//! A setting that must never be printed: tokens, keys and passwords. Settings end up in
//! `{:?}` output (logs, panics), so `Debug` shows `[redacted]`; the value is only read through
//! `Deref` where it is used.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
}

impl Deref for Secret {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(value.to_string()))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_and_still_reads() {
        let key = Secret::new("sk-live-123");
        assert_eq!(format!("{key:?} {:?}", Some(key.clone())), "[redacted] Some([redacted])");
        assert_eq!(&*key, "sk-live-123");
    }
}
