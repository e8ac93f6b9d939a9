//! Many guarded calls dispatched as one batch: one shared queue, drained by as few
//! pool threads as keep every call on time, with the waiting caller as supervisor.
//!
//! Dispatching one job per call wakes one pooled thread per call and waits for each
//! answer in turn; for calls that return at once, those wake-ups are the whole cost.
//! A batch wakes one thread, which takes the calls from the queue one after another,
//! and wakes the caller once, when the last call has ended. The caller supervises: if
//! calls are still queued [`GRACE`] after dispatch, each of them gets a thread of its
//! own, so every call starts within about the grace of dispatch however slow the
//! calls before it (a hung one included), and slow calls still run side by side.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::guard::{self, Outcome};

/// How long after dispatch calls may still wait in the queue before each of them
/// gets a thread of its own (less when the deadline is nearer: see [`run_all`]).
pub(crate) const GRACE: Duration = Duration::from_millis(1);

/// One call of a batch, as it moves through the queue.
enum Slot<F, T> {
    /// Not taken by a thread yet.
    Queued(F),
    /// Taken by a thread, not ended yet.
    Running,
    /// Ended: its value, or its panic message.
    Ended(Result<T, String>),
    /// Its outcome was handed to the caller (a call still running then writes its
    /// result here when it ends, unread), or it was dropped unstarted.
    Closed,
}

struct State<F, T> {
    slots: Vec<Slot<F, T>>,
    /// The first slot no thread has taken; every slot from here on is queued (when
    /// the caller drops the queued calls, it becomes the number of slots).
    next: usize,
    /// How many calls have ended.
    ended: usize,
}

struct Batch<F, T> {
    state: Mutex<State<F, T>>,
    /// Signalled when the last call ends.
    all_ended: Condvar,
}

impl<F: FnOnce() -> T, T> Batch<F, T> {
    fn lock(&self) -> MutexGuard<'_, State<F, T>> {
        // Plugin code never runs under this lock, and nothing under it panics.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A pool thread's job: take queued calls one after another until none is left.
    fn work(&self) {
        let mut ended: Option<(usize, Result<T, String>)> = None;
        loop {
            let (taken, last) = {
                let mut state = self.lock();
                let mut last = false;
                if let Some((at, result)) = ended.take() {
                    state.slots[at] = Slot::Ended(result);
                    state.ended += 1;
                    last = state.ended == state.slots.len();
                }
                (state.take(), last)
            };
            if last {
                self.all_ended.notify_one();
            }
            let Some((at, call)) = taken else { return };
            ended = Some((at, guard::catch(call)));
        }
    }
}

impl<F, T> State<F, T> {
    /// Takes the next queued call, marking it running.
    fn take(&mut self) -> Option<(usize, F)> {
        while self.next < self.slots.len() {
            let at = self.next;
            self.next += 1;
            let slot = std::mem::replace(&mut self.slots[at], Slot::Running);
            if let Slot::Queued(call) = slot {
                return Some((at, call));
            }
            // Not reached: the slots from `next` on are all queued.
            self.slots[at] = slot;
        }
        None
    }
}

/// Starts a pool thread on the batch's queue.
fn add_worker<F, T>(batch: &Arc<Batch<F, T>>) -> Result<(), String>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let batch = Arc::clone(batch);
    guard::submit(Box::new(move || batch.work()))
}

/// Starts a pool thread on the batch's queue for each call still queued, with the
/// lock released meanwhile; the lock again, and the reason if a thread could not be
/// started (the threads already working still drain the queue).
fn spread<'b, F, T>(
    batch: &'b Arc<Batch<F, T>>,
    state: MutexGuard<'b, State<F, T>>,
) -> (MutexGuard<'b, State<F, T>>, Option<String>)
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let queued = state.slots.len() - state.next;
    drop(state);
    let no_thread = (0..queued).find_map(|_| add_worker(batch).err());
    (batch.lock(), no_thread)
}

/// Runs every call on pool threads (named `floe-hook`), panics caught there, and
/// returns each call's outcome, in the order of `calls`, by `deadline`.
///
/// One thread is woken for the whole batch. If calls are still queued [`GRACE`]
/// after dispatch (or half the time left to the deadline, if that is less), each of
/// them gets a thread of its own, and from then on no call waits behind another. So
/// every call starts within about a grace of dispatch plus the time to start the
/// threads added (one after another, by the caller: with thousands of queued calls
/// that can pass the deadline), however slow the calls before it, and all of them
/// share the one `deadline`: a call that started late has that much less time.
///
/// A call still running at the deadline is [`Outcome::TimedOut`] and left on its
/// thread (which is not returned to the pool until it ends). A call not started by
/// then (its thread not scheduled yet) is [`Outcome::TimedOut`] too and still runs,
/// later, on a thread of its own, its result dropped: a call handed to the batch is
/// always run, as a job handed to a pool thread is. Only if a thread it needed could
/// not be started is it dropped unstarted, as [`Outcome::NoThread`].
pub(crate) fn run_all<F, T>(calls: Vec<F>, deadline: Instant) -> Vec<Outcome<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let count = calls.len();
    if count == 0 {
        return Vec::new();
    }
    let dispatched = Instant::now();
    let spread_at = dispatched + GRACE.min(deadline.saturating_duration_since(dispatched) / 2);
    let batch = Arc::new(Batch {
        state: Mutex::new(State {
            slots: calls.into_iter().map(Slot::Queued).collect(),
            next: 0,
            ended: 0,
        }),
        all_ended: Condvar::new(),
    });
    if let Err(reason) = add_worker(&batch) {
        // Without a first thread, nothing will run: report it at once.
        return close(batch.lock(), Some(reason));
    }
    let mut no_thread = None;
    let mut spread_done = false;
    let mut state = batch.lock();
    while state.ended < count {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let mut wake_at = deadline;
        if !spread_done && state.next < count {
            if now >= spread_at {
                (state, no_thread) = spread(&batch, state);
                spread_done = true;
                continue;
            }
            wake_at = wake_at.min(spread_at);
        }
        state = batch
            .all_ended
            .wait_timeout(state, wake_at.saturating_duration_since(now))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    if !spread_done && state.next < count {
        // The deadline came before the grace was seen to pass (the caller was not
        // scheduled in between): the calls still queued must not wait behind a call
        // that may hang.
        (state, no_thread) = spread(&batch, state);
    }
    close(state, no_thread)
}

/// Hands out every outcome. Calls still queued stay queued for the threads woken
/// for them, unless a thread could not be started: then they are dropped unstarted
/// (after the lock is released) and no thread takes another call.
fn close<F, T>(
    mut state: MutexGuard<'_, State<F, T>>,
    no_thread: Option<String>,
) -> Vec<Outcome<T>> {
    let mut unstarted = Vec::new();
    let outcomes = state
        .slots
        .iter_mut()
        .map(|slot| match std::mem::replace(slot, Slot::Closed) {
            Slot::Ended(Ok(value)) => Outcome::Done(value),
            Slot::Ended(Err(message)) => Outcome::Panicked(message),
            Slot::Queued(call) => match &no_thread {
                Some(reason) => {
                    unstarted.push(call);
                    Outcome::NoThread(reason.clone())
                }
                None => {
                    *slot = Slot::Queued(call);
                    Outcome::TimedOut
                }
            },
            // A running call's thread writes its result here when it ends; unread.
            Slot::Running | Slot::Closed => Outcome::TimedOut,
        })
        .collect();
    if no_thread.is_some() {
        state.next = state.slots.len();
    }
    drop(state);
    drop(unstarted);
    outcomes
}

#[cfg(test)]
mod tests {
    use std::sync::{Barrier, mpsc};

    use super::*;

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    fn values(outcomes: Vec<Outcome<usize>>) -> Vec<Option<usize>> {
        outcomes
            .into_iter()
            .map(|o| match o {
                Outcome::Done(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_call_gets_its_outcome_in_order() {
        let calls: Vec<_> = (0..11).map(|i| move || i * 10).collect();
        let got = values(run_all(calls, far()));
        assert_eq!(got, (0..11).map(|i| Some(i * 10)).collect::<Vec<_>>());
        assert!(run_all(Vec::<fn() -> usize>::new(), far()).is_empty());
    }

    #[test]
    fn eleven_calls_that_wait_for_each_other_all_end() {
        // None of them ends before all eleven have started: run one after another,
        // the first would wait until the deadline. So they ran on eleven threads.
        let all = Arc::new(Barrier::new(11));
        let calls: Vec<_> = (0..11)
            .map(|i| {
                let all = Arc::clone(&all);
                move || {
                    all.wait();
                    i
                }
            })
            .collect();
        let got = values(run_all(calls, far()));
        assert_eq!(got, (0..11).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn a_call_not_started_by_the_deadline_still_runs() {
        // The deadline has passed at dispatch: whatever the threads had done by
        // then, every call still runs exactly once.
        let (ran, runs) = mpsc::channel();
        let calls: Vec<_> = (0..11)
            .map(|i| {
                let ran = ran.clone();
                move || {
                    let _ = ran.send(i);
                    i
                }
            })
            .collect();
        let out = run_all(calls, Instant::now());
        assert_eq!(out.len(), 11);
        for (i, o) in out.iter().enumerate() {
            assert!(
                matches!(o, Outcome::TimedOut) || matches!(o, Outcome::Done(v) if *v == i),
                "call {i}: timed out or done"
            );
        }
        let mut seen: Vec<usize> = (0..11)
            .map(|_| {
                runs.recv_timeout(Duration::from_secs(60))
                    .expect("every call runs")
            })
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..11).collect::<Vec<_>>());
    }

    #[test]
    fn a_hung_call_times_out_a_panic_is_its_own_and_the_pool_goes_on() {
        let (release, hold) = mpsc::channel::<()>();
        let mut calls: Vec<Box<dyn FnOnce() -> usize + Send>> = vec![
            // First in the queue: the others must not wait behind it.
            Box::new(move || {
                let _ = hold.recv();
                0
            }),
            Box::new(|| panic!("call {} panicked", 1)),
        ];
        calls.extend(
            (2..11_usize).map(|i| Box::new(move || i) as Box<dyn FnOnce() -> usize + Send>),
        );
        // The hung call cannot end before the test releases it (below): an answer at
        // all means the batch returned at its deadline. The deadline is generous so
        // that, on a loaded machine, the other calls still end before it.
        let out = run_all(calls, Instant::now() + Duration::from_secs(3));
        assert_eq!(out.len(), 11);
        assert!(
            matches!(out[0], Outcome::TimedOut),
            "the hung call timed out"
        );
        assert!(matches!(&out[1], Outcome::Panicked(m) if m == "call 1 panicked"));
        assert_eq!(
            values(out).split_off(2),
            (2..11).map(Some).collect::<Vec<_>>()
        );
        // Its thread is still held; the pool still runs batches.
        let calls: Vec<_> = (0..11).map(|i| move || i).collect();
        assert_eq!(
            values(run_all(calls, far())),
            (0..11).map(Some).collect::<Vec<_>>()
        );
        release.send(()).expect("the hung call still waits");
    }
}
