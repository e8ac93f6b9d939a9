//! The hang guard of deadline-bound calls (never a timing assertion).

/// Guards a deadline-bound call against a hang, never against slowness: fails only when
/// the call took more than ten times its `deadline` plus five seconds, far beyond any
/// load on a test machine. The test's real assertion is the timeout error it got.
pub fn assert_no_hang(started: std::time::Instant, deadline: std::time::Duration) {
    let limit = deadline * 10 + std::time::Duration::from_secs(5);
    let took = started.elapsed();
    assert!(
        took < limit,
        "a call with a {deadline:?} deadline hung for {took:?} (the hang guard is {limit:?})"
    );
}
