package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// statusErr is a minimal client error: an HTTP status plus an optional Retry-After.
type statusErr struct {
	status     int
	retryAfter time.Duration
}

func (e *statusErr) Error() string             { return fmt.Sprintf("status %d", e.status) }
func (e *statusErr) Retryable() bool           { return resilience.StatusRetryable(e.status) }
func (e *statusErr) RetryDelay() time.Duration { return e.retryAfter }

// sleeps records the waits a Runner asks for, without waiting.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

// script returns an op that fails with errs in order and then succeeds, counting calls.
func script(errs ...error) (op func(context.Context) (string, error), calls *int) {
	n := 0
	return func(context.Context) (string, error) {
		n++
		if n <= len(errs) {
			return "", errs[n-1]
		}
		return "ok", nil
	}, &n
}

func TestPresetsMatchSpec(t *testing.T) {
	tests := []struct {
		name    string
		policy  resilience.Policy
		retries int
		backoff []time.Duration
	}{
		{"gemini", resilience.GeminiPolicy(), 3, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"groq", resilience.GroqPolicy(), 2, []time.Duration{500 * time.Millisecond, time.Second}},
		{"elevenlabs", resilience.ElevenLabsPolicy(), 2, []time.Duration{time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.retries, tt.policy.MaxRetries)
			assert.Equal(t, tt.backoff, tt.policy.Backoff)
			require.NoError(t, tt.policy.Validate())

			// The schedule is what a Runner actually sleeps when every attempt fails.
			s := &sleeps{}
			op, calls := script(&statusErr{status: 503}, &statusErr{status: 503}, &statusErr{status: 503}, &statusErr{status: 503})
			_, err := resilience.Call(context.Background(), resilience.Runner{Policy: tt.policy, Sleep: s.sleep}, op)
			require.Error(t, err)
			assert.Equal(t, tt.retries+1, *calls)
			assert.Equal(t, tt.backoff, s.waits)
		})
	}
}

func TestPresetsAreIndependentCopies(t *testing.T) {
	p := resilience.GeminiPolicy()
	p.Backoff[0] = time.Hour
	assert.Equal(t, time.Second, resilience.GeminiPolicy().Backoff[0])
}

func TestRunnerRetries(t *testing.T) {
	netErr := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	tests := []struct {
		name      string
		errs      []error
		wantCalls int
		wantWaits []time.Duration
		wantErr   error // nil: success expected
	}{
		{name: "success first time", wantCalls: 1},
		{name: "429 then success", errs: []error{&statusErr{status: 429}}, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond}},
		{name: "500, 502 then success", errs: []error{&statusErr{status: 500}, &statusErr{status: 502}}, wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second}},
		{name: "network error retried", errs: []error{netErr}, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond}},
		{name: "deadline exceeded retried", errs: []error{context.DeadlineExceeded}, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond}},
		{name: "marked retryable retried", errs: []error{resilience.Retryable(errors.New("invalid answer"))}, wantCalls: 2, wantWaits: []time.Duration{500 * time.Millisecond}},
		{name: "400 not retried", errs: []error{&statusErr{status: 400}}, wantCalls: 1, wantErr: &statusErr{}},
		{name: "401 not retried", errs: []error{&statusErr{status: 401}}, wantCalls: 1, wantErr: &statusErr{}},
		{name: "plain error not retried", errs: []error{errors.New("boom")}, wantCalls: 1, wantErr: errors.New("")},
		{name: "permanent mark beats retryable cause", errs: []error{resilience.Permanent(&statusErr{status: 503})}, wantCalls: 1, wantErr: &statusErr{}},
		{name: "canceled not retried", errs: []error{context.Canceled}, wantCalls: 1, wantErr: context.Canceled},
		{
			name:      "exhausted returns last error",
			errs:      []error{&statusErr{status: 500}, &statusErr{status: 503}, &statusErr{status: 504}},
			wantCalls: 3, wantWaits: []time.Duration{500 * time.Millisecond, time.Second}, wantErr: &statusErr{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sleeps{}
			op, calls := script(tt.errs...)
			v, err := resilience.Call(context.Background(), resilience.Runner{Policy: resilience.GroqPolicy(), Sleep: s.sleep}, op)
			assert.Equal(t, tt.wantCalls, *calls)
			assert.Equal(t, tt.wantWaits, s.waits)
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, "ok", v)
				return
			}
			require.Error(t, err)
			var se *statusErr
			if errors.As(tt.wantErr, &se) {
				require.ErrorAs(t, err, &se)
				assert.Equal(t, tt.errs[len(tt.errs)-1].Error(), se.Error(), "the last attempt's error is returned")
			}
			if errors.Is(tt.wantErr, context.Canceled) {
				assert.ErrorIs(t, err, context.Canceled)
			}
		})
	}
}

func TestRunnerHonoursRetryAfter(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		maxWait   time.Duration
		wantCalls int
		wantWaits []time.Duration
	}{
		{name: "retry-after replaces backoff", err: &statusErr{status: 429, retryAfter: 7 * time.Second}, wantCalls: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "shorter retry-after also replaces it", err: &statusErr{status: 503, retryAfter: 100 * time.Millisecond}, wantCalls: 2, wantWaits: []time.Duration{100 * time.Millisecond}},
		{name: "retry-after beyond MaxWait gives up", err: &statusErr{status: 429, retryAfter: 10 * time.Minute}, wantCalls: 1},
		{name: "custom MaxWait", err: &statusErr{status: 429, retryAfter: 3 * time.Second}, maxWait: 2 * time.Second, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sleeps{}
			op, calls := script(tt.err)
			p := resilience.GroqPolicy()
			p.MaxWait = tt.maxWait
			_, err := resilience.Call(context.Background(), resilience.Runner{Policy: p, Sleep: s.sleep}, op)
			assert.Equal(t, tt.wantCalls, *calls)
			assert.Equal(t, tt.wantWaits, s.waits)
			if tt.wantCalls == 1 {
				var se *statusErr
				assert.ErrorAs(t, err, &se)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestRunnerAttemptTimeout(t *testing.T) {
	s := &sleeps{}
	calls := 0
	op := func(ctx context.Context) (string, error) {
		calls++
		if calls == 1 {
			<-ctx.Done() // a hung provider
			return "", fmt.Errorf("post: %w", ctx.Err())
		}
		return "ok", nil
	}
	p := resilience.Policy{MaxRetries: 1, Backoff: []time.Duration{time.Second}, AttemptTimeout: 20 * time.Millisecond}
	v, err := resilience.Call(context.Background(), resilience.Runner{Policy: p, Sleep: s.sleep}, op)
	require.NoError(t, err)
	assert.Equal(t, "ok", v)
	assert.Equal(t, 2, calls)
	assert.Equal(t, []time.Duration{time.Second}, s.waits)
}

func TestRunnerAttemptTimeoutErrorIsMarked(t *testing.T) {
	p := resilience.Policy{AttemptTimeout: 10 * time.Millisecond}
	err := resilience.Runner{Policy: p}.Do(context.Background(), func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	assert.ErrorIs(t, err, resilience.ErrAttemptTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRunnerStopsWhenCallerCancels(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	sleep := func(ctx context.Context, d time.Duration) error {
		cancel() // the caller gives up while we wait
		return ctx.Err()
	}
	err := resilience.Runner{Policy: resilience.GeminiPolicy(), Sleep: sleep}.Do(ctx, func(context.Context) error {
		calls++
		return &statusErr{status: 503}
	})
	assert.Equal(t, 1, calls)
	assert.ErrorIs(t, err, context.Canceled)
	var se *statusErr
	assert.ErrorAs(t, err, &se, "the last provider error stays visible")
}

func TestRunnerDoesNotStartWithDoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := resilience.Runner{Policy: resilience.GeminiPolicy()}.Do(ctx, func(context.Context) error { calls++; return nil })
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, calls)
}

func TestRunnerSkipsWaitBeyondDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	s := &sleeps{}
	calls := 0
	err := resilience.Runner{Policy: resilience.GeminiPolicy(), Sleep: s.sleep}.Do(ctx, func(context.Context) error {
		calls++
		return &statusErr{status: 500}
	})
	assert.Equal(t, 1, calls, "a 1s backoff cannot fit in a 50ms deadline")
	assert.Empty(t, s.waits)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRunnerOnRetry(t *testing.T) {
	var events []resilience.RetryEvent
	op, _ := script(&statusErr{status: 500}, &statusErr{status: 429, retryAfter: 3 * time.Second})
	s := &sleeps{}
	_, err := resilience.Call(context.Background(), resilience.Runner{
		Policy: resilience.GeminiPolicy(), Sleep: s.sleep,
		OnRetry: func(e resilience.RetryEvent) { events = append(events, e) },
	}, op)
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, 1, events[0].Attempt)
	assert.Equal(t, time.Second, events[0].Wait)
	assert.Equal(t, 2, events[1].Attempt)
	assert.Equal(t, 3*time.Second, events[1].Wait)
}

func TestRealSleep(t *testing.T) {
	start := time.Now()
	require.NoError(t, resilience.Sleep(context.Background(), 10*time.Millisecond))
	assert.GreaterOrEqual(t, time.Since(start), 10*time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, resilience.Sleep(ctx, time.Hour), context.Canceled)
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		policy resilience.Policy
		ok     bool
	}{
		{"zero", resilience.Policy{}, true},
		{"negative retries", resilience.Policy{MaxRetries: -1}, false},
		{"negative backoff", resilience.Policy{MaxRetries: 1, Backoff: []time.Duration{-time.Second}}, false},
		{"negative timeout", resilience.Policy{AttemptTimeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ok {
				assert.NoError(t, tt.policy.Validate())
			} else {
				assert.Error(t, tt.policy.Validate())
			}
		})
	}
}
