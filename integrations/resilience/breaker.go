package resilience

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrCircuitOpen is returned without calling the provider while its breaker is open.
var ErrCircuitOpen = errors.New("circuit open: provider skipped after repeated failures")

// BreakerState is where a Breaker stands.
type BreakerState int

const (
	// BreakerClosed lets every call through.
	BreakerClosed BreakerState = iota
	// BreakerOpen rejects calls until the cool-down has passed.
	BreakerOpen
	// BreakerHalfOpen lets a single probe through; its outcome closes or reopens the breaker.
	BreakerHalfOpen
)

func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "closed"
	case BreakerOpen:
		return "open"
	case BreakerHalfOpen:
		return "half-open"
	}
	return fmt.Sprintf("BreakerState(%d)", int(s))
}

// BreakerConfig configures a Breaker.
type BreakerConfig struct {
	// FailureThreshold is how many consecutive failures open the breaker (default 5).
	FailureThreshold int
	// CoolDown is how long an open breaker rejects calls before probing (default 30s).
	// A probe that has not reported within CoolDown is presumed lost and another is allowed.
	CoolDown time.Duration
	// Now replaces the clock (tests); nil means time.Now.
	Now func() time.Time
}

func (c *BreakerConfig) setDefaults() {
	if c.FailureThreshold == 0 {
		c.FailureThreshold = 5
	}
	if c.CoolDown == 0 {
		c.CoolDown = 30 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate checks the configuration after defaults.
func (c BreakerConfig) Validate() error {
	var errs []error
	if c.FailureThreshold < 1 {
		errs = append(errs, errors.New("resilience: FailureThreshold must be >= 1"))
	}
	if c.CoolDown < 0 {
		errs = append(errs, errors.New("resilience: CoolDown must be > 0"))
	}
	return errors.Join(errs...)
}

// Breaker is a consecutive-failure circuit breaker, safe for concurrent use.
type Breaker struct {
	cfg BreakerConfig

	mu       sync.Mutex
	state    BreakerState
	failures int       // consecutive failures while closed
	openedAt time.Time // when it last opened
	probeAt  time.Time // when the half-open probe was let through
}

// NewBreaker returns a closed breaker.
func NewBreaker(cfg BreakerConfig) (*Breaker, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Breaker{cfg: cfg}, nil
}

// State reports the current state (an open breaker whose cool-down has passed
// reports half-open: the next Allow is the probe).
func (b *Breaker) State() BreakerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerOpen && b.cfg.Now().Sub(b.openedAt) >= b.cfg.CoolDown {
		return BreakerHalfOpen
	}
	return b.state
}

// Allow reports whether a call may go through: nil, or ErrCircuitOpen.
// In half-open state exactly one caller (the probe) gets nil.
func (b *Breaker) Allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.cfg.Now()
	switch b.state {
	case BreakerClosed:
		return nil
	case BreakerOpen:
		if now.Sub(b.openedAt) < b.cfg.CoolDown {
			return ErrCircuitOpen
		}
		b.state = BreakerHalfOpen
		b.probeAt = now
		return nil
	default: // half-open: a probe is out
		if now.Sub(b.probeAt) >= b.cfg.CoolDown {
			b.probeAt = now // the last probe never reported: let another through
			return nil
		}
		return ErrCircuitOpen
	}
}

// Record reports the outcome of a call that Allow let through. A nil error is a
// success; a retryable error ([IsRetryable]) is a failure; a permanent error
// means the provider answered and counts as a success; an error seen after ctx
// was done says nothing about the provider and only frees the probe slot.
func (b *Breaker) Record(ctx context.Context, err error) {
	switch {
	case err == nil:
		b.Success()
	case ctx != nil && ctx.Err() != nil:
		b.release()
	case IsRetryable(err):
		b.Failure()
	default:
		b.Success()
	}
}

// Success closes the breaker and resets the failure count.
func (b *Breaker) Success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = BreakerClosed
	b.failures = 0
}

// Failure counts a failure; the threshold (or a failed probe) opens the breaker.
func (b *Breaker) Failure() {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerClosed:
		b.failures++
		if b.failures >= b.cfg.FailureThreshold {
			b.open()
		}
	case BreakerHalfOpen:
		b.open()
	case BreakerOpen:
		// A call that started before the breaker opened: nothing new to learn.
	}
}

func (b *Breaker) open() {
	b.state = BreakerOpen
	b.openedAt = b.cfg.Now()
	b.failures = 0
}

// release frees a half-open probe slot without judging the provider.
func (b *Breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerHalfOpen {
		b.state = BreakerOpen
		// keep openedAt so the next Allow may probe at once
		b.openedAt = b.cfg.Now().Add(-b.cfg.CoolDown)
	}
}
