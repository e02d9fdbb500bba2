//! A circuit breaker for the model: after a few failures in a row, skip it for a while so a
//! dead model costs callers no waiting, then let one call through to probe it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// The cooldown is over and one probe is in flight; everyone else still skips.
    Probing,
}

pub struct Breaker {
    state: Mutex<State>,
    threshold: u32,
    cooldown: Duration,
}

impl Breaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Breaker {
        Breaker { state: Mutex::new(State::Closed { failures: 0 }), threshold, cooldown }
    }

    /// May this turn ask the model?
    pub fn allow(&self, now: Instant) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match *state {
            State::Closed { .. } => true,
            State::Open { until } if now >= until => {
                *state = State::Probing;
                true
            }
            State::Open { .. } | State::Probing => false,
        }
    }

    /// Whether the model is being skipped at `now` (resting, or one probe already out),
    /// without taking the probe as `allow` does.
    pub fn is_open(&self, now: Instant) -> bool {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match *state {
            State::Closed { .. } => false,
            State::Open { until } => now < until,
            State::Probing => true,
        }
    }

    pub fn record(&self, ok: bool, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *state = match (*state, ok) {
            (_, true) => State::Closed { failures: 0 },
            (State::Closed { failures }, false) if failures + 1 < self.threshold => {
                State::Closed { failures: failures + 1 }
            }
            (_, false) => State::Open { until: now + self.cooldown },
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_threshold_then_probes_once_after_the_cooldown() {
        let breaker = Breaker::new(3, Duration::from_secs(30));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(breaker.allow(t0));
            breaker.record(false, t0);
        }
        assert!(!breaker.allow(t0 + Duration::from_secs(29)), "open: the model is skipped");
        assert!(breaker.is_open(t0 + Duration::from_secs(29)));
        assert!(!breaker.is_open(t0 + Duration::from_secs(31)), "looking does not take the probe");

        let later = t0 + Duration::from_secs(31);
        assert!(breaker.allow(later), "one probe after the cooldown");
        assert!(!breaker.allow(later), "only one");
        breaker.record(false, later);
        assert!(!breaker.allow(later + Duration::from_secs(1)), "a failed probe reopens");

        let much_later = later + Duration::from_secs(60);
        assert!(breaker.allow(much_later));
        breaker.record(true, much_later);
        assert!(breaker.allow(much_later) && breaker.allow(much_later), "a good probe closes it");
    }

    #[test]
    fn a_success_resets_the_count() {
        let breaker = Breaker::new(3, Duration::from_secs(30));
        let now = Instant::now();
        breaker.record(false, now);
        breaker.record(false, now);
        breaker.record(true, now);
        breaker.record(false, now);
        breaker.record(false, now);
        assert!(breaker.allow(now));
    }
}
