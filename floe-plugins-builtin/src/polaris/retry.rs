//! Retries of idempotent requests after timeouts, refused connections and 5xx answers.

use std::time::Duration;

use crate::http::{HttpError, HttpResponse};

/// The retry policy: `max_retries` more attempts, with exponential backoff.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retry {
    max_retries: u32,
    base: Duration,
}

impl Retry {
    /// Up to `max_retries` retries, waiting 250 ms, 500 ms, 1 s, ... (at most 8 s).
    pub(crate) fn new(max_retries: u32) -> Self {
        Retry {
            max_retries,
            base: Duration::from_millis(250),
        }
    }

    /// No retries at all.
    pub(crate) fn none() -> Self {
        Self::new(0)
    }

    /// The wait before retry number `attempt` (0-based).
    fn backoff(&self, attempt: u32) -> Duration {
        (self.base * 2u32.saturating_pow(attempt.min(16))).min(Duration::from_secs(8))
    }

    /// Runs `send`, again after transient failures when `idempotent`.
    pub(crate) fn run(
        &self,
        idempotent: bool,
        mut send: impl FnMut() -> Result<HttpResponse, HttpError>,
    ) -> Result<HttpResponse, HttpError> {
        let mut attempt = 0;
        loop {
            let result = send();
            let transient = match &result {
                Ok(r) => r.status >= 500 && r.status != 501,
                Err(HttpError::Timeout { .. } | HttpError::Unreachable { .. }) => true,
                Err(HttpError::BadBody { .. }) => false,
            };
            if !(idempotent && transient) || attempt >= self.max_retries {
                return result;
            }
            let wait = self.backoff(attempt);
            tracing::debug!(
                attempt = attempt + 1,
                wait_ms = wait.as_millis() as u64,
                "polaris_retry"
            );
            std::thread::sleep(wait);
            attempt += 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_eight_seconds() {
        let r = Retry::new(10);
        assert_eq!(r.backoff(0), Duration::from_millis(250));
        assert_eq!(r.backoff(2), Duration::from_secs(1));
        assert_eq!(r.backoff(9), Duration::from_secs(8));
    }

    #[test]
    fn non_idempotent_requests_are_sent_once() {
        let mut calls = 0;
        let out = Retry::new(3).run(false, || {
            calls += 1;
            Ok(HttpResponse {
                status: 503,
                body: String::new(),
            })
        });
        assert_eq!((calls, out.map(|r| r.status)), (1, Ok(503)));
    }

    #[test]
    fn idempotent_requests_retry_until_success() {
        let mut calls = 0;
        let out = Retry {
            max_retries: 3,
            base: Duration::from_millis(1),
        }
        .run(true, || {
            calls += 1;
            Ok(HttpResponse {
                status: if calls < 3 { 502 } else { 200 },
                body: String::new(),
            })
        });
        assert_eq!((calls, out.map(|r| r.status)), (3, Ok(200)));
    }
}
