package resilience

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultMaxWait caps a server-requested Retry-After that is still slept.
const DefaultMaxWait = 30 * time.Second

// Policy is a retry schedule as data (spec §14).
type Policy struct {
	// MaxRetries is how many times a failed attempt is repeated (0: no retry).
	MaxRetries int
	// Backoff[i] is the wait before retry i+1; the last entry repeats when the
	// slice is shorter than MaxRetries, and an empty slice means no wait.
	Backoff []time.Duration
	// AttemptTimeout bounds each attempt (0: only the caller's context bounds it).
	AttemptTimeout time.Duration
	// MaxWait is the longest wait a server's Retry-After may impose before we give
	// up instead (0: DefaultMaxWait). Backoff entries are not capped by it.
	MaxWait time.Duration
}

// GeminiPolicy is spec §14's schedule for Gemini: 3 retries after 1s, 2s, 4s.
func GeminiPolicy() Policy {
	return Policy{MaxRetries: 3, Backoff: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, AttemptTimeout: 60 * time.Second}
}

// GroqPolicy is spec §14's schedule for Groq: 2 retries after 500ms, 1s.
func GroqPolicy() Policy {
	return Policy{MaxRetries: 2, Backoff: []time.Duration{500 * time.Millisecond, time.Second}, AttemptTimeout: 30 * time.Second}
}

// ElevenLabsPolicy is spec §14's schedule for ElevenLabs: 2 retries after 1s, 2s.
func ElevenLabsPolicy() Policy {
	return Policy{MaxRetries: 2, Backoff: []time.Duration{time.Second, 2 * time.Second}, AttemptTimeout: 15 * time.Second}
}

// Validate checks the policy.
func (p Policy) Validate() error {
	var errs []error
	if p.MaxRetries < 0 {
		errs = append(errs, errors.New("resilience: MaxRetries must be >= 0"))
	}
	for i, b := range p.Backoff {
		if b < 0 {
			errs = append(errs, fmt.Errorf("resilience: Backoff[%d] must be >= 0", i))
		}
	}
	if p.AttemptTimeout < 0 {
		errs = append(errs, errors.New("resilience: AttemptTimeout must be >= 0"))
	}
	if p.MaxWait < 0 {
		errs = append(errs, errors.New("resilience: MaxWait must be >= 0"))
	}
	return errors.Join(errs...)
}

// backoff returns the planned wait before retry number retry (0-based).
func (p Policy) backoff(retry int) time.Duration {
	if len(p.Backoff) == 0 {
		return 0
	}
	return p.Backoff[min(retry, len(p.Backoff)-1)]
}

func (p Policy) maxWait() time.Duration {
	if p.MaxWait > 0 {
		return p.MaxWait
	}
	return DefaultMaxWait
}

// SleepFunc waits d or until ctx is done, returning ctx.Err() in that case.
type SleepFunc func(ctx context.Context, d time.Duration) error

// Sleep is the real SleepFunc.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RetryEvent describes one failed attempt that will be retried.
type RetryEvent struct {
	Attempt int           // 1-based number of the attempt that failed
	Err     error         // its error
	Wait    time.Duration // the wait before the next attempt
}

// Runner runs an operation under a Policy. The zero value runs it once.
type Runner struct {
	Policy Policy
	// Breaker, if set, is consulted before every attempt and told every outcome.
	Breaker *Breaker
	// Sleep replaces the real timer (tests); nil means Sleep.
	Sleep SleepFunc
	// OnRetry, if set, is called before each wait (logging, metrics).
	OnRetry func(RetryEvent)
}

// Do runs op until it succeeds, fails permanently, or the policy is exhausted.
func (r Runner) Do(ctx context.Context, op func(ctx context.Context) error) error {
	_, err := Call(ctx, r, func(ctx context.Context) (struct{}, error) { return struct{}{}, op(ctx) })
	return err
}

// Call is Runner.Do for an operation that returns a value.
func Call[T any](ctx context.Context, r Runner, op func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	sleep := r.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	attempts := 1 + max(r.Policy.MaxRetries, 0)
	var lastErr error
	for attempt := 1; attempt <= attempts; attempt++ {
		if err := ctx.Err(); err != nil {
			return zero, interrupted(err, lastErr)
		}
		if r.Breaker != nil {
			if err := r.Breaker.Allow(); err != nil {
				if lastErr != nil {
					return zero, fmt.Errorf("%w (after: %w)", err, lastErr)
				}
				return zero, err
			}
		}
		v, err := runAttempt(ctx, r.Policy.AttemptTimeout, op)
		if r.Breaker != nil {
			r.Breaker.Record(ctx, err)
		}
		if err == nil {
			return v, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return zero, interrupted(ctx.Err(), err)
		}
		if !IsRetryable(err) {
			return zero, err
		}
		if attempt == attempts {
			break
		}
		wait := r.Policy.backoff(attempt - 1)
		if d, ok := RetryDelay(err); ok {
			if d > r.Policy.maxWait() {
				return zero, fmt.Errorf("server asked to wait %s, more than %s: %w", d, r.Policy.maxWait(), err)
			}
			wait = d
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return zero, interrupted(context.DeadlineExceeded, err)
		}
		if r.OnRetry != nil {
			r.OnRetry(RetryEvent{Attempt: attempt, Err: err, Wait: wait})
		}
		if serr := sleep(ctx, wait); serr != nil {
			return zero, interrupted(serr, err)
		}
	}
	if attempts > 1 {
		return zero, fmt.Errorf("gave up after %d attempts: %w", attempts, lastErr)
	}
	return zero, lastErr
}

func runAttempt[T any](ctx context.Context, timeout time.Duration, op func(ctx context.Context) (T, error)) (T, error) {
	if timeout <= 0 {
		return op(ctx)
	}
	actx, cancel := context.WithTimeoutCause(ctx, timeout, ErrAttemptTimeout)
	defer cancel()
	v, err := op(actx)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), ErrAttemptTimeout) && !errors.Is(err, ErrAttemptTimeout) {
		err = fmt.Errorf("%w after %s: %w", ErrAttemptTimeout, timeout, err)
	}
	return v, err
}

// interrupted wraps the context's error and, when there was one, the last
// attempt's error, so callers can test for either.
func interrupted(ctxErr, last error) error {
	if last == nil {
		return ctxErr
	}
	return fmt.Errorf("%w (last error: %w)", ctxErr, last)
}
