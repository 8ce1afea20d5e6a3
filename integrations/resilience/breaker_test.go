package resilience_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newBreaker(t *testing.T, threshold int, coolDown time.Duration) (*resilience.Breaker, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b, err := resilience.NewBreaker(resilience.BreakerConfig{FailureThreshold: threshold, CoolDown: coolDown, Now: c.now})
	require.NoError(t, err)
	return b, c
}

func TestBreakerOpensAfterThresholdAndProbes(t *testing.T) {
	b, c := newBreaker(t, 3, 10*time.Second)
	fail := &statusErr{status: 503}
	ctx := context.Background()

	for range 2 {
		require.NoError(t, b.Allow())
		b.Record(ctx, fail)
	}
	assert.Equal(t, resilience.BreakerClosed, b.State())
	require.NoError(t, b.Allow())
	b.Record(ctx, fail)
	assert.Equal(t, resilience.BreakerOpen, b.State())
	assert.ErrorIs(t, b.Allow(), resilience.ErrCircuitOpen)

	c.advance(9 * time.Second)
	assert.ErrorIs(t, b.Allow(), resilience.ErrCircuitOpen, "still cooling down")

	c.advance(time.Second)
	assert.Equal(t, resilience.BreakerHalfOpen, b.State())
	require.NoError(t, b.Allow(), "the probe goes through")
	assert.ErrorIs(t, b.Allow(), resilience.ErrCircuitOpen, "only one probe at a time")

	b.Record(ctx, fail) // probe failed: open again for a full cool-down
	assert.Equal(t, resilience.BreakerOpen, b.State())
	c.advance(5 * time.Second)
	assert.ErrorIs(t, b.Allow(), resilience.ErrCircuitOpen)

	c.advance(5 * time.Second)
	require.NoError(t, b.Allow())
	b.Record(ctx, nil) // probe succeeded
	assert.Equal(t, resilience.BreakerClosed, b.State())
	require.NoError(t, b.Allow())
}

func TestBreakerSuccessResetsCount(t *testing.T) {
	b, _ := newBreaker(t, 2, time.Second)
	ctx := context.Background()
	b.Record(ctx, &statusErr{status: 500})
	b.Record(ctx, nil)
	b.Record(ctx, &statusErr{status: 500})
	assert.Equal(t, resilience.BreakerClosed, b.State(), "failures must be consecutive")
}

func TestBreakerIgnoresPermanentAndCancelled(t *testing.T) {
	b, c := newBreaker(t, 1, time.Second)
	b.Record(context.Background(), &statusErr{status: 400})
	assert.Equal(t, resilience.BreakerClosed, b.State(), "a 400 means the provider is up")

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	b.Record(cancelled, context.Canceled)
	assert.Equal(t, resilience.BreakerClosed, b.State())

	// A probe whose caller gave up frees the slot for the next caller.
	b.Record(context.Background(), &statusErr{status: 500})
	c.advance(time.Second)
	require.NoError(t, b.Allow())
	b.Record(cancelled, context.Canceled)
	require.NoError(t, b.Allow(), "the abandoned probe must not block the next one")
}

func TestBreakerLostProbeIsReplaced(t *testing.T) {
	b, c := newBreaker(t, 1, time.Second)
	b.Failure()
	c.advance(time.Second)
	require.NoError(t, b.Allow()) // probe never reports
	assert.ErrorIs(t, b.Allow(), resilience.ErrCircuitOpen)
	c.advance(time.Second)
	assert.NoError(t, b.Allow())
}

func TestRunnerWithBreakerSkipsDeadProvider(t *testing.T) {
	b, c := newBreaker(t, 3, 30*time.Second)
	var calls atomic.Int32
	r := resilience.Runner{Policy: resilience.GroqPolicy(), Breaker: b, Sleep: (&sleeps{}).sleep}
	op := func(context.Context) error { calls.Add(1); return &statusErr{status: 503} }

	err := r.Do(context.Background(), op)
	assert.Equal(t, int32(3), calls.Load())
	assert.Equal(t, resilience.BreakerOpen, b.State())
	var se *statusErr
	assert.ErrorAs(t, err, &se)

	err = r.Do(context.Background(), op)
	assert.ErrorIs(t, err, resilience.ErrCircuitOpen)
	assert.Equal(t, int32(3), calls.Load(), "an open breaker skips the provider")

	c.advance(30 * time.Second)
	err = r.Do(context.Background(), func(context.Context) error { calls.Add(1); return nil })
	require.NoError(t, err)
	assert.Equal(t, resilience.BreakerClosed, b.State())
}

func TestBreakerConcurrentUse(t *testing.T) {
	b, _ := newBreaker(t, 1000, time.Second)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				if b.Allow() == nil {
					if (i+j)%2 == 0 {
						b.Record(context.Background(), nil)
					} else {
						b.Record(context.Background(), errors.New("permanent"))
					}
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, resilience.BreakerClosed, b.State())
}

func TestBreakerConfigValidate(t *testing.T) {
	_, err := resilience.NewBreaker(resilience.BreakerConfig{FailureThreshold: -1})
	assert.Error(t, err)
	_, err = resilience.NewBreaker(resilience.BreakerConfig{CoolDown: -time.Second})
	assert.Error(t, err)
	b, err := resilience.NewBreaker(resilience.BreakerConfig{})
	require.NoError(t, err)
	assert.Equal(t, "closed", b.State().String())
}
