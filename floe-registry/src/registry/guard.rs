//! Runs plugin code so that it can neither unwind into the caller nor hold it past a
//! deadline.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, MutexGuard, OnceLock, mpsc};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// How a guarded call ended.
pub(crate) enum Outcome<T> {
    /// It returned.
    Done(T),
    /// It panicked; the message.
    Panicked(String),
    /// It was still running at the deadline and was left on its thread.
    TimedOut,
    /// No thread could be started for it.
    NoThread(String),
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_owned()
    }
}

/// Runs `f` on this thread, turning a panic into `Err(message)`.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(&*p))
}

/// A call started on its own thread, to be waited for with [`Pending::wait_until`].
pub(crate) struct Pending<T> {
    rx: Option<mpsc::Receiver<Result<T, String>>>,
    spawn_error: Option<String>,
}

/// A job for a pool thread.
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// Hook threads are kept and reused: starting a thread costs tens of microseconds,
/// which would dominate a health check of instant plugins. A thread stuck in a hung
/// hook is simply not returned to the pool; an idle one ends after a minute.
struct Pool {
    idle: Mutex<Vec<Idle>>,
}

/// An idle pool thread: where to send its next job.
struct Idle {
    thread: ThreadId,
    jobs: mpsc::Sender<Job>,
}

/// How many idle threads the pool keeps at most.
const MAX_IDLE: usize = 64;
/// How long an idle thread waits for work before it ends.
const IDLE_FOR: Duration = Duration::from_secs(60);

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        idle: Mutex::new(Vec::new()),
    })
}

impl Pool {
    fn lock_idle(&self) -> MutexGuard<'_, Vec<Idle>> {
        super::sync::lock(&self.idle)
    }

    fn run(&'static self, mut job: Job) -> Result<(), String> {
        loop {
            let idle = self.lock_idle().pop();
            match idle {
                // A thread taken off the idle list receives the job (see `wait_for_job`);
                // should its receiver be gone all the same, try another.
                Some(worker) => match worker.jobs.send(job) {
                    Ok(()) => return Ok(()),
                    Err(mpsc::SendError(back)) => job = back,
                },
                None => return self.start_worker(job),
            }
        }
    }

    fn start_worker(&'static self, first: Job) -> Result<(), String> {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("floe-hook".to_owned())
            .spawn(move || {
                let me = std::thread::current().id();
                let mut job = first;
                loop {
                    job();
                    {
                        let mut idle = self.lock_idle();
                        if idle.len() >= MAX_IDLE {
                            return;
                        }
                        idle.push(Idle {
                            thread: me,
                            jobs: tx.clone(),
                        });
                    }
                    match self.wait_for_job(me, &rx) {
                        Some(next) => job = next,
                        None => return,
                    }
                }
            })
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// The next job of an idle thread, or `None` when it has idled long enough and
    /// should end.
    fn wait_for_job(&self, me: ThreadId, rx: &mpsc::Receiver<Job>) -> Option<Job> {
        match rx.recv_timeout(IDLE_FOR) {
            Ok(job) => Some(job),
            Err(_) => {
                // End only if no caller has taken this thread off the idle list: one
                // that has sends its job right after, without blocking, and the job
                // must not be dropped with the receiver.
                let mut idle = self.lock_idle();
                if let Some(at) = idle.iter().position(|w| w.thread == me) {
                    idle.swap_remove(at);
                    return None;
                }
                drop(idle);
                rx.recv().ok()
            }
        }
    }
}

/// Runs `job` on a pool thread: an idle one, or a new one if none is idle.
pub(crate) fn submit(job: Job) -> Result<(), String> {
    pool().run(job)
}

/// Starts `f` on a pool thread (named `floe-hook`); panics are caught there.
pub(crate) fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
    let (tx, rx) = mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        // The receiver may be gone after a timeout; nothing to do then.
        let _ = tx.send(catch(f));
    });
    match submit(job) {
        Ok(()) => Pending {
            rx: Some(rx),
            spawn_error: None,
        },
        Err(e) => Pending {
            rx: None,
            spawn_error: Some(e),
        },
    }
}

impl<T> Pending<T> {
    /// Waits until the call ends or `deadline` passes, whichever is first.
    pub(crate) fn wait_until(self, deadline: Instant) -> Outcome<T> {
        let Some(rx) = self.rx else {
            return Outcome::NoThread(self.spawn_error.unwrap_or_default());
        };
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Ok(v)) => Outcome::Done(v),
            Ok(Err(msg)) => Outcome::Panicked(msg),
            Err(mpsc::RecvTimeoutError::Timeout) => Outcome::TimedOut,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Outcome::Panicked("the hook's thread ended without an answer".to_owned())
            }
        }
    }
}

/// A timeout longer than any program runs: what a timeout too long to represent as
/// an instant amounts to.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// The instant `timeout` from now; a timeout too long to represent (such as
/// `Duration::MAX`) gives an instant a century away instead of a panic.
pub(crate) fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(FOREVER))
        .unwrap_or(now)
}

/// Runs `f` on a pool thread and waits at most `timeout`.
pub(crate) fn run_with_timeout<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Outcome<T> {
    let deadline = deadline_after(timeout);
    spawn(f).wait_until(deadline)
}

/// Runs `n` no-op jobs on the pool and waits for each: the least that a health check
/// of `n` instant plugins can cost (the benchmarks' baseline). Returns how many ended.
pub(crate) fn dispatch_noop_jobs(n: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    let pending: Vec<Pending<()>> = (0..n).map(|_| spawn(|| ())).collect();
    pending
        .into_iter()
        .map(|p| p.wait_until(deadline))
        .filter(|o| matches!(o, Outcome::Done(())))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_at_the_deadline_when_the_call_hangs() {
        // The call cannot end before the test releases it: an answer at all means
        // the wait ended at the deadline.
        let (release, hold) = mpsc::channel::<()>();
        let out = run_with_timeout(Duration::from_millis(50), move || {
            let _ = hold.recv();
        });
        assert!(
            matches!(out, Outcome::TimedOut),
            "the deadline passed first"
        );
        release.send(()).expect("the call still waits");
    }

    #[test]
    fn a_panic_becomes_its_message() {
        let out = run_with_timeout(Duration::from_secs(5), || -> u8 { panic!("boom {}", 7) });
        assert!(matches!(out, Outcome::Panicked(m) if m == "boom 7"));
        assert!(matches!(
            run_with_timeout(Duration::MAX, || 7),
            Outcome::Done(7)
        ));
        assert_eq!(
            catch(|| -> u8 { panic!("static") }),
            Err("static".to_owned())
        );
    }
}
