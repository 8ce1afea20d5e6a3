package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// cacheCall is a call with lines transcript lines of size bytes each.
func cacheCall(t *testing.T, id string, lines, size int) *domain.Call {
	t.Helper()
	c := domain.NewCall(id)
	evs, err := c.Create("u1", "p1", domain.ModeDiscovery)
	require.NoError(t, err)
	c.Apply(evs[0])
	c.Apply(&domain.CallStarted{StartedAt: time.Now()})
	for range lines {
		c.Apply(&domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: strings.Repeat("x", size)}})
	}
	return c
}

func TestCallCacheEvictsLeastRecentlyUsedByCount(t *testing.T) {
	t.Parallel()
	c := newCallCache(CallCacheConfig{MaxCalls: 3, MaxBytes: 64 << 20})
	for i := range 3 {
		c.put(cacheCall(t, fmt.Sprint(i), 1, 10))
	}
	require.NotNil(t, c.get("0")) // 0 is now the most recently used; 1 the least
	c.put(cacheCall(t, "3", 1, 10))
	n, _ := c.len()
	assert.Equal(t, 3, n)
	assert.Nil(t, c.get("1"), "the least recently used call is evicted")
	for _, id := range []string{"0", "2", "3"} {
		assert.NotNil(t, c.get(id), id)
	}
}

func TestCallCacheEvictsByBytes(t *testing.T) {
	t.Parallel()
	big := cacheCall(t, "big", 200, 10_000) // 2 MB of text
	small := callSize(cacheCall(t, "s", 10, 100))
	limit := callSize(big) + 3*small
	c := newCallCache(CallCacheConfig{MaxCalls: 1000, MaxBytes: limit})
	for i := range 10 {
		c.put(cacheCall(t, fmt.Sprint(i), 10, 100))
	}
	c.put(big)
	calls, bytes := c.len()
	assert.Equal(t, 4, calls, "the big call and the 3 most recent small ones")
	assert.LessOrEqual(t, bytes, limit)
	assert.NotNil(t, c.get("big"))
	for i := range 10 {
		assert.Equal(t, i >= 7, c.get(fmt.Sprint(i)) != nil, "small call %d", i)
	}

	// A call that grew is measured again when it is put again.
	before := bytes
	c.drop("big")
	_, bytes = c.len()
	assert.Equal(t, before-callSize(big), bytes)
	c.put(big)
	big.Apply(&domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: strings.Repeat("y", 1_000)}})
	c.put(big)
	calls, bytes = c.len()
	assert.LessOrEqual(t, bytes, limit)
	assert.Equal(t, callSize(big)+(calls-1)*small, bytes, "the grown call is counted at its new size")
	assert.Less(t, calls, 4, "its growth evicted a small call")
	assert.NotNil(t, c.get("big"))
}

func TestCallCacheConfigIsValidated(t *testing.T) {
	t.Parallel()
	cfg := CallCacheConfig{}
	cfg.setDefaults()
	require.NoError(t, cfg.validate())
	assert.Error(t, CallCacheConfig{MaxCalls: 1, MaxBytes: 1 << 20}.validate(), "must hold one call at the maximum size")
	assert.Error(t, CallCacheConfig{MaxCalls: -1, MaxBytes: 64 << 20}.validate())
}
