package apibench_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/internal/apibench"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = time.Duration(100-i) * time.Millisecond // unsorted on purpose
	}
	r := apibench.Summarize(lat, 2, 10*time.Second)
	assert.Equal(t, 102, r.Requests)
	assert.Equal(t, 2, r.Errors)
	assert.Equal(t, 50*time.Millisecond, r.P50)
	assert.Equal(t, 90*time.Millisecond, r.P90)
	assert.Equal(t, 99*time.Millisecond, r.P99)
	assert.Equal(t, 100*time.Millisecond, r.Max)
	assert.InDelta(t, 10.2, r.Rate, 0.001)
	assert.Equal(t, 100*time.Millisecond, lat[0], "the input is not reordered")

	empty := apibench.Summarize(nil, 0, 0)
	assert.Zero(t, empty.P99)
}
