// Package resilience owns how Sparrow calls an unreliable external service:
// retries with the backoff schedule of spec §14 (as data, in [Policy]), a
// per-attempt timeout, honouring a server's Retry-After, and a small circuit
// breaker ([Breaker]) that makes a dead provider fail fast so a fallback chain
// moves on.
//
// Invariants:
//   - An operation runs at most 1+Policy.MaxRetries times; the wait before retry
//     i (0-based) is Policy.Backoff[i] (the last entry repeats if the slice is
//     short), unless the failed attempt's error carries a server Retry-After
//     delay, which then replaces it.
//   - Only retryable errors are retried ([IsRetryable]): HTTP 408/429/5xx,
//     timeouts, network errors, and errors marked with [Retryable] (an invalid
//     model answer, for instance). Everything else is returned at once.
//   - The caller's context always wins: once it is done no new attempt starts,
//     no wait is begun that would outlast its deadline, and the returned error
//     wraps both ctx.Err() and the last attempt's error.
//   - A wait longer than Policy.MaxWait (a server asking us to come back much
//     later) is not slept: the last error is returned so a fallback can run.
//   - Sleeping goes through Runner.Sleep, so tests run instantly and can assert
//     the exact schedule.
//   - The breaker counts retryable failures only; a provider that answers with
//     a permanent error (400, 401) is reachable and counts as healthy.
package resilience
