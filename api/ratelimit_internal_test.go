package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The limiter holds at most maxKeys buckets however many keys come: idle
// ones go first, then arbitrary ones, and a busy key keeps its limit.
func TestWriteLimiterBoundsItsKeys(t *testing.T) {
	t.Parallel()
	l := newWriteLimiter(1, 2)
	l.maxKeys = 100
	now := time.Now()
	for i := range 1000 {
		l.allow(fmt.Sprint("ip:", i), now)
		assert.LessOrEqual(t, len(l.buckets), 100)
	}
	// Idle buckets (full again) go before busy ones.
	later := now.Add(time.Hour)
	ok, _ := l.allow("busy", later)
	assert.True(t, ok)
	ok, _ = l.allow("busy", later)
	assert.True(t, ok)
	for i := range 99 {
		l.allow(fmt.Sprint("new:", i), later)
	}
	assert.Len(t, l.buckets, 100)
	ok, _ = l.allow("busy", later)
	assert.False(t, ok, "the busy key kept its empty bucket")
}
