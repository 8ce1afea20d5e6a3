package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
	"github.com/sparrow-coach/sparrow/internal/benchdata"
)

// benchScore: the built-in rubric on a 60-minute, 600-turn transcript; the
// median of many runs of the quick score and of the deep score.
func benchScore(_ context.Context, _ string, o benchOpts, out map[string]any) error {
	turns := benchdata.Transcript(600, 60*60*1000)
	in := domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: turns, TranscriptVersion: len(turns)}
	measure := func(fn func()) []time.Duration {
		for i := 0; i < 20; i++ {
			fn() // warm-up
		}
		s := make([]time.Duration, 300)
		for i := range s {
			start := time.Now()
			fn()
			s[i] = time.Since(start)
		}
		return s
	}
	quick := measure(func() { rubric.Quick(in) })
	deep := measure(func() { rubric.Score(in) })
	out["score_quick_ms"] = percentile(quick, 50)
	out["score_deep_ms"] = percentile(deep, 50)
	out["score_quick_ms_p99"] = percentile(quick, 99)
	out["score_deep_ms_p99"] = percentile(deep, 99)
	fmt.Fprintf(o.progress, "bench: rubric on 600 turns: quick %.2f ms, deep %.2f ms (medians)\n", percentile(quick, 50), percentile(deep, 50))
	return nil
}
