package resilience

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrAttemptTimeout marks an attempt that ran out of its per-attempt timeout
// (Policy.AttemptTimeout) while the caller's context was still live.
var ErrAttemptTimeout = errors.New("attempt timed out")

// retryableErr is implemented by errors that know whether repeating the request
// can help (APIError types of the clients implement it).
type retryableErr interface{ Retryable() bool }

// retryDelayer is implemented by errors that carry a server-requested delay
// (from a Retry-After header or an equivalent field in the error body).
type retryDelayer interface{ RetryDelay() time.Duration }

type markedError struct {
	err       error
	retryable bool
}

func (e *markedError) Error() string   { return e.err.Error() }
func (e *markedError) Unwrap() error   { return e.err }
func (e *markedError) Retryable() bool { return e.retryable }

// Retryable marks err as worth retrying (an invalid model answer, a truncated
// body). errors.Is/As still see err through the mark. Retryable(nil) is nil.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{err: err, retryable: true}
}

// Permanent marks err as not worth retrying even if it wraps a retryable error.
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{err: err, retryable: false}
}

// IsRetryable reports whether repeating the failed operation may succeed.
// The outermost error that states its own retryability (a [Retryable] or
// [Permanent] mark, or a client's APIError) decides. Otherwise timeouts,
// network and transport errors are retryable, and a cancelled context is not.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var r retryableErr
	if errors.As(err, &r) {
		return r.Retryable()
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrAttemptTimeout) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE)
}

// RetryDelay returns the server-requested delay carried by err, if any.
func RetryDelay(err error) (time.Duration, bool) {
	var d retryDelayer
	if errors.As(err, &d) {
		if v := d.RetryDelay(); v > 0 {
			return v, true
		}
	}
	return 0, false
}

// StatusRetryable reports whether an HTTP status is worth retrying:
// 408 Request Timeout, 429 Too Many Requests and every 5xx.
func StatusRetryable(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500 && status <= 599
}

// ParseRetryAfter reads a Retry-After header value, either delay-seconds or an
// HTTP date (RFC 9110 §10.2.3), relative to now. It reports false when the
// header is absent or unreadable; a date in the past yields (0, true).
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(value, 64); err == nil {
		if secs < 0 || secs > float64(24*time.Hour/time.Second) {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
