package resilience_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("x"), false},
		{"429", &statusErr{status: 429}, true},
		{"408", &statusErr{status: 408}, true},
		{"500", &statusErr{status: 500}, true},
		{"503 wrapped", fmt.Errorf("groq: %w", &statusErr{status: 503}), true},
		{"404", &statusErr{status: 404}, false},
		{"canceled", context.Canceled, false},
		{"canceled inside url error", &url.Error{Op: "Post", Err: context.Canceled}, false},
		{"deadline", context.DeadlineExceeded, true},
		{"attempt timeout", resilience.ErrAttemptTimeout, true},
		{"unexpected EOF", io.ErrUnexpectedEOF, true},
		{"url error", &url.Error{Op: "Get", Err: errors.New("dial tcp: refused")}, true},
		{"marked", resilience.Retryable(errors.New("bad json")), true},
		{"permanent", resilience.Permanent(context.DeadlineExceeded), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, resilience.IsRetryable(tt.err))
		})
	}
}

func TestMarksKeepTheChain(t *testing.T) {
	base := errors.New("base")
	assert.ErrorIs(t, resilience.Retryable(base), base)
	assert.ErrorIs(t, resilience.Permanent(base), base)
	assert.NoError(t, resilience.Retryable(nil))
	assert.NoError(t, resilience.Permanent(nil))
}

func TestStatusRetryable(t *testing.T) {
	for _, s := range []int{408, 429, 500, 502, 503, 504, 599} {
		assert.True(t, resilience.StatusRetryable(s), s)
	}
	for _, s := range []int{200, 400, 401, 403, 404, 409, 422, 600} {
		assert.False(t, resilience.StatusRetryable(s), s)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"empty", "", 0, false},
		{"seconds", "30", 30 * time.Second, true},
		{"spaces", " 2 ", 2 * time.Second, true},
		{"fractional seconds", "1.5", 1500 * time.Millisecond, true},
		{"zero", "0", 0, true},
		{"negative", "-3", 0, false},
		{"http date", now.Add(90 * time.Second).Format(http1123), 90 * time.Second, true},
		{"http date in the past", now.Add(-time.Minute).Format(http1123), 0, true},
		{"garbage", "soon", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := resilience.ParseRetryAfter(tt.value, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

func TestRetryDelay(t *testing.T) {
	d, ok := resilience.RetryDelay(fmt.Errorf("wrapped: %w", &statusErr{status: 429, retryAfter: time.Second}))
	assert.True(t, ok)
	assert.Equal(t, time.Second, d)
	_, ok = resilience.RetryDelay(&statusErr{status: 429})
	assert.False(t, ok)
	_, ok = resilience.RetryDelay(errors.New("x"))
	assert.False(t, ok)
}
