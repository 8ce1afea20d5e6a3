package rubric

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/internal/benchdata"
)

// benchInput is a 60-minute, 600-turn call: the size the 5 ms budget is set for.
func benchInput() domain.ScoreInput {
	return domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: benchdata.Transcript(600, 60*60*1000)}
}

func BenchmarkQuick600(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Quick(in)
	}
}

func BenchmarkScore600(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Score(in)
	}
}

func BenchmarkComputeMetrics600(b *testing.B) {
	turns := benchdata.Transcript(600, 60*60*1000)
	b.ReportAllocs()
	for b.Loop() {
		ComputeMetrics(turns)
	}
}

func TestBenchdataTranscript(t *testing.T) {
	const dur = 60 * 60 * 1000
	turns := benchdata.Transcript(600, dur)
	require.Len(t, turns, 600)
	assert.Equal(t, turns, benchdata.Transcript(600, dur), "deterministic")
	for i, e := range turns {
		require.NoError(t, e.Validate(), "line %d", i)
		want := domain.RoleUser
		if i%2 == 1 {
			want = domain.RoleAssistant
		}
		assert.Equal(t, want, e.Role)
		assert.GreaterOrEqual(t, e.TimestampMs, int64(0))
		assert.Less(t, e.TimestampMs, int64(dur))
		if i > 0 {
			assert.Greater(t, e.TimestampMs, turns[i-1].TimestampMs)
		}
	}
	m := ComputeMetrics(turns)
	assert.True(t, m.Timed)
	assert.InDelta(t, dur, m.DurationMs, dur/100, "spread over the requested duration")
	assert.True(t, m.NextStep.Booked, "the last four turns book a meeting")
	assert.NotEmpty(t, m.Objections)

	assert.Empty(t, benchdata.Transcript(0, dur))
	assert.Empty(t, benchdata.Transcript(-3, dur))
	assert.Len(t, benchdata.Transcript(3, -1), 3)
}

// The budget is 5 ms for each of Quick and Score on a 600-turn call. The
// fastest of 15 runs is compared, so a busy machine does not fail the test
// but a real regression (say, a regexp run on every line) does. The race
// detector slows code ~10x, so the check only runs without it.
func TestScoringBudget(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timing is meaningless under -race or -short")
	}
	in := benchInput()
	for name, f := range map[string]func(){"Quick": func() { Quick(in) }, "Score": func() { Score(in) }} {
		f() // warm up
		var runs []time.Duration
		for range 15 {
			start := time.Now()
			f()
			runs = append(runs, time.Since(start))
		}
		assert.Less(t, slices.Min(runs), 5*time.Millisecond, "%s: fastest of 15 runs", name)
	}
}
