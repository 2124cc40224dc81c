//! Waiters: an operation called again and again until one of its
//! `smithy.waiters#waitable` acceptors says the resource is in the state
//! waited for, or that it never will be, or time runs out.

use crate::error::TransportError;
use crate::{Client, Error, Operation, ProvideErrorMetadata};
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// What the waiter does when an acceptor matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: the resource is in the state waited for.
    Success,
    /// The wait is over: the resource will never be in that state.
    Failure,
    /// Call again after a delay.
    Retry,
}

/// One acceptor of a waiter, as the model writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptor {
    waiter: &'static str,
    index: usize,
    state: AcceptorState,
    matcher: &'static str,
}

impl Acceptor {
    /// The acceptor at `index` of the waiter `waiter`, moving it to
    /// `state`; `matcher` describes its matcher (`errorType
    /// \`ResourceNotFoundException\``). Generated waiters make these.
    pub const fn new(
        waiter: &'static str,
        index: usize,
        state: AcceptorState,
        matcher: &'static str,
    ) -> Self {
        Acceptor {
            waiter,
            index,
            state,
            matcher,
        }
    }

    /// The waiter's name in the model (`TableExists`).
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    /// Its position among the waiter's acceptors, from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The state it moves the waiter to.
    pub fn state(&self) -> AcceptorState {
        self.state
    }

    /// Its matcher, as the model writes it: `success \`true\``,
    /// `errorType \`NotFound\``, or `output \`Table.TableStatus\`
    /// stringEquals \`ACTIVE\``.
    pub fn matcher(&self) -> &'static str {
        self.matcher
    }
}

impl fmt::Display for Acceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "acceptor {} of waiter {} ({})",
            self.index, self.waiter, self.matcher
        )
    }
}

type CallResult<O> = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>;

/// Reads a call's result and tells the index of the first acceptor that
/// matches it, if any.
pub type MatchAcceptor<O> = fn(&<O as Operation>::Input, &CallResult<O>) -> Option<usize>;

/// A waiter of the operation `O`: its acceptors, the function that matches
/// them, and its delays. Generated `Op::wait_until_*` functions make one
/// and call [`wait`](Self::wait).
pub struct Waiter<O: Operation> {
    acceptors: &'static [Acceptor],
    matches: MatchAcceptor<O>,
    backoff: Backoff,
}

impl<O: Operation> fmt::Debug for Waiter<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("operation", &O::NAME)
            .field("acceptors", &self.acceptors)
            .field("backoff", &self.backoff)
            .finish()
    }
}

impl<O: Operation> Waiter<O> {
    /// A waiter with these acceptors, `matches` giving the index of the
    /// first that matches a result, and the model's `minDelay` and
    /// `maxDelay` in seconds.
    pub fn new(
        acceptors: &'static [Acceptor],
        matches: MatchAcceptor<O>,
        min_delay_secs: u64,
        max_delay_secs: u64,
    ) -> Self {
        Waiter {
            acceptors,
            matches,
            backoff: Backoff::new(min_delay_secs, max_delay_secs),
        }
    }

    /// Calls `O` with `input` until an acceptor ends the wait or
    /// `max_wait` runs out.
    ///
    /// After each call the acceptors are tried in order: the first that
    /// matches decides (`success` and `failure` end the wait, `retry`
    /// calls again). A call error that no acceptor matches ends the wait
    /// with [`WaiterError::Operation`]; an output that none matches is
    /// retried. Between calls the waiter sleeps (the client's sleep,
    /// tokio's by default) with the Smithy waiters' backoff: a random
    /// delay between `minDelay` and `minDelay * 2^(attempt - 1)`, capped
    /// at `maxDelay`, and never past `max_wait`: the last call goes out at
    /// the latest `minDelay` before `max_wait` ends, after which
    /// the wait ends with [`WaiterError::MaxWaitExceeded`].
    pub async fn wait(
        &self,
        client: &Client,
        input: O::Input,
        max_wait: Duration,
    ) -> Result<WaiterSuccess<O>, WaiterError<O>> {
        let start = now();
        let mut attempts = 0u32;
        loop {
            attempts = attempts.saturating_add(1);
            let result = client.call_ref::<O>(&input).await;
            let matched = (self.matches)(&input, &result).and_then(|i| self.acceptors.get(i));
            match matched {
                Some(acceptor) => match acceptor.state {
                    AcceptorState::Success => {
                        return Ok(WaiterSuccess {
                            result,
                            acceptor: *acceptor,
                            attempts,
                            elapsed: now().saturating_duration_since(start),
                        })
                    }
                    AcceptorState::Failure => {
                        return Err(WaiterError::Failure {
                            acceptor: *acceptor,
                            result,
                            attempts,
                        })
                    }
                    AcceptorState::Retry => {}
                },
                None => {
                    if let Err(error) = result {
                        return Err(WaiterError::Operation { error, attempts });
                    }
                }
            }
            let elapsed = now().saturating_duration_since(start);
            let remaining = max_wait.saturating_sub(elapsed);
            let Some(delay) =
                self.backoff
                    .delay(attempts, remaining, crate::random::random_fraction())
            else {
                return Err(WaiterError::MaxWaitExceeded { elapsed, attempts });
            };
            match client.sleep(delay) {
                Some(sleep) => sleep.await,
                None => {
                    return Err(WaiterError::Operation {
                        error: Error::Transport(
                            TransportError::new(
                                "a waiter needs a sleep between calls: enable `rt-tokio` or set `sleep_impl`",
                                None,
                            )
                            .with_transient(false),
                        ),
                        attempts,
                    })
                }
            }
        }
    }
}

/// The Smithy waiters' backoff between `minDelay` and `maxDelay`.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    min_delay: Duration,
    max_delay: Duration,
}

impl Backoff {
    fn new(min_delay_secs: u64, max_delay_secs: u64) -> Self {
        let min_delay = Duration::from_secs(min_delay_secs.max(1));
        Backoff {
            min_delay,
            max_delay: Duration::from_secs(max_delay_secs).max(min_delay),
        }
    }

    /// The delay after call number `attempt` (from 1) with `remaining` of
    /// the maximum wait left, `fraction` in `[0, 1)` choosing where between
    /// `minDelay` and the attempt's ceiling; `None` when no call fits in
    /// the time left.
    fn delay(&self, attempt: u32, remaining: Duration, fraction: f64) -> Option<Duration> {
        let (min, max) = (self.min_delay, self.max_delay);
        if remaining <= min {
            return None;
        }
        // The spec's attemptCeiling: past it, the ceiling is maxDelay.
        let attempt_ceiling = ((max.as_secs_f64() / min.as_secs_f64()).ln() / 2f64.ln()) + 1.0;
        let ceiling = if f64::from(attempt) > attempt_ceiling {
            max
        } else {
            min.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
                .min(max)
        };
        // `try_from`: `mul_f64` would panic on a span too large for a
        // `Duration`, which a model's `maxDelay` could make.
        let span = ceiling.saturating_sub(min).as_secs_f64() * fraction.clamp(0.0, 1.0);
        let jittered = min.saturating_add(Duration::try_from_secs_f64(span).unwrap_or(ceiling));
        // Leave minDelay for the last call rather than sleep past the end.
        Some(if remaining.saturating_sub(jittered) <= min {
            remaining.saturating_sub(min)
        } else {
            jittered
        })
    }
}

/// The time now, on tokio's clock when it runs the timers (so that tests
/// with paused time see the waiter's sleeps).
fn now() -> Instant {
    Instant::now()
}

#[cfg(feature = "rt-tokio")]
use tokio::time::Instant;

#[cfg(not(feature = "rt-tokio"))]
use std::time::Instant;

/// A wait that ended well: a `success` acceptor matched.
pub struct WaiterSuccess<O: Operation> {
    result: CallResult<O>,
    acceptor: Acceptor,
    attempts: u32,
    elapsed: Duration,
}

impl<O: Operation> WaiterSuccess<O> {
    /// The output of the last call, when it succeeded (an `errorType`
    /// acceptor such as `TableNotExists` succeeds on an error).
    pub fn output(&self) -> Option<&O::Output> {
        self.result.as_ref().ok()
    }

    /// The output of the last call, when it succeeded.
    pub fn into_output(self) -> Option<O::Output> {
        self.result.ok()
    }

    /// The error of the last call, when an `errorType` or `success: false`
    /// acceptor succeeded on it.
    pub fn error(&self) -> Option<&Error<O::Error>> {
        self.result.as_ref().err()
    }

    /// The acceptor that matched.
    pub fn acceptor(&self) -> &Acceptor {
        &self.acceptor
    }

    /// How many calls were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The time from the first call to the end of the last.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl<O: Operation> fmt::Debug for WaiterSuccess<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaiterSuccess")
            .field("result", &self.result)
            .field("acceptor", &self.acceptor)
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// A wait that ended badly.
#[non_exhaustive]
pub enum WaiterError<O: Operation> {
    /// A `failure` acceptor matched: the resource will never be in the
    /// state waited for.
    Failure {
        /// The acceptor that matched.
        acceptor: Acceptor,
        /// The result of the last call, which it matched.
        result: CallResult<O>,
        /// How many calls were made.
        attempts: u32,
    },
    /// `max_wait` ran out while the acceptors said to retry.
    MaxWaitExceeded {
        /// The time from the first call to the end of the last.
        elapsed: Duration,
        /// How many calls were made.
        attempts: u32,
    },
    /// A call failed with an error that no acceptor matched.
    Operation {
        /// The call's error.
        error: Error<O::Error>,
        /// How many calls were made.
        attempts: u32,
    },
}

impl<O: Operation> WaiterError<O> {
    /// How many calls were made.
    pub fn attempts(&self) -> u32 {
        match self {
            WaiterError::Failure { attempts, .. }
            | WaiterError::MaxWaitExceeded { attempts, .. }
            | WaiterError::Operation { attempts, .. } => *attempts,
        }
    }
}

impl<O: Operation> fmt::Debug for WaiterError<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure {
                acceptor,
                result,
                attempts,
            } => f
                .debug_struct("Failure")
                .field("acceptor", acceptor)
                .field("result", result)
                .field("attempts", attempts)
                .finish(),
            WaiterError::MaxWaitExceeded { elapsed, attempts } => f
                .debug_struct("MaxWaitExceeded")
                .field("elapsed", elapsed)
                .field("attempts", attempts)
                .finish(),
            WaiterError::Operation { error, attempts } => f
                .debug_struct("Operation")
                .field("error", error)
                .field("attempts", attempts)
                .finish(),
        }
    }
}

impl<O: Operation> fmt::Display for WaiterError<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure { acceptor, .. } => {
                write!(f, "the wait failed: {acceptor} matched")
            }
            WaiterError::MaxWaitExceeded { elapsed, attempts } => write!(
                f,
                "the wait ran out of time after {attempts} calls in {elapsed:?}"
            ),
            WaiterError::Operation { .. } => f.write_str("the wait stopped on an unmatched error"),
        }
    }
}

impl<O: Operation> StdError for WaiterError<O>
where
    O::Error: ProvideErrorMetadata,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            WaiterError::Operation { error, .. }
            | WaiterError::Failure {
                result: Err(error), ..
            } => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiter(min: u64, max: u64) -> Backoff {
        Backoff::new(min, max)
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn delays_double_from_min_to_max_at_the_top_of_the_jitter() {
        let w = waiter(2, 120);
        let top: Vec<u64> = (1..=9)
            .map(|a| w.delay(a, HOUR, 1.0).unwrap().as_secs())
            .collect();
        assert_eq!(top, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
    }

    #[test]
    fn jitter_stays_between_min_and_the_ceiling() {
        let w = waiter(5, 60);
        assert_eq!(w.delay(4, HOUR, 0.0), Some(Duration::from_secs(5)));
        assert_eq!(w.delay(4, HOUR, 0.5), Some(Duration::from_millis(22_500)));
        for fraction in [0.0, 0.25, 0.999] {
            for attempt in 1..20 {
                let d = w.delay(attempt, HOUR, fraction).unwrap();
                assert!(
                    d >= Duration::from_secs(5) && d <= Duration::from_secs(60),
                    "{d:?}"
                );
            }
        }
    }

    #[test]
    fn huge_delays_from_a_model_do_not_overflow() {
        let w = waiter(u64::MAX, u64::MAX);
        assert!(w.delay(1, Duration::MAX, 0.999).is_some());
        let w = waiter(1, u64::MAX);
        let d = w.delay(200, Duration::MAX, 0.999).unwrap();
        assert!(d >= Duration::from_secs(1));
    }

    #[test]
    fn the_last_delay_leaves_min_delay_before_max_wait() {
        let w = waiter(2, 120);
        // 100 s wanted with 30 s left: sleep 28 s, then one last call.
        assert_eq!(
            w.delay(8, Duration::from_secs(30), 0.8),
            Some(Duration::from_secs(28))
        );
        // No call fits once min_delay or less is left.
        assert_eq!(w.delay(1, Duration::from_secs(2), 0.0), None);
        assert_eq!(w.delay(1, Duration::ZERO, 0.0), None);
    }
}
