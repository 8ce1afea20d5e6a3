package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/internal/apibench"
)

// BenchmarkLatencyTargets measures the three latencies against a
// real database (run with -benchtime=1x; each iteration is a full round):
// GET /api/calls/:id at 1,000 req/s, POST transcript at 300 req/s over 50
// calls, and transcript POST -> SSE event. Targets: <= 10, 25 and 50 ms p99.
func BenchmarkLatencyTargets(b *testing.B) {
	e := newEnv(b, func(o *envOptions) { o.cfg.RateLimit.Disabled = true })
	ctx := context.Background()
	c := apibench.New(e.http.URL)
	tok, err := c.SignIn(ctx, "bench@example.com")
	require.NoError(b, err)
	calls, err := c.StartCalls(ctx, tok, presetID, 50)
	require.NoError(b, err)
	const d = 5 * time.Second
	for range b.N {
		get := c.GetCall(ctx, tok, calls[0], 1000, d)
		post := c.PostTranscript(ctx, tok, calls, 300, d)
		sse, err := c.SSEDelivery(ctx, tok, calls[1], 200, 5*time.Millisecond)
		require.NoError(b, err)
		b.Logf("GET call: %s", get)
		b.Logf("POST transcript: %s", post)
		b.Logf("SSE from POST accepted: %s", sse.FromAccepted)
		b.Logf("SSE from POST sent: %s", sse.FromSent)
		require.Zero(b, get.Errors, get.FirstError)
		require.Zero(b, post.Errors, post.FirstError)
		b.ReportMetric(float64(get.P99.Microseconds())/1000, "get_call_p99_ms")
		b.ReportMetric(float64(post.P99.Microseconds())/1000, "post_transcript_p99_ms")
		b.ReportMetric(float64(sse.FromAccepted.P99.Microseconds())/1000, "sse_delivery_p99_ms")
		b.ReportMetric(float64(sse.FromSent.P99.Microseconds())/1000, "sse_from_sent_p99_ms")
	}
}

// BenchmarkGetCall is one GET /api/calls/:id after another (server and
// client in this process): the CPU cost of a read through every layer.
func BenchmarkGetCall(b *testing.B) {
	e := newEnv(b, func(o *envOptions) { o.cfg.RateLimit.Disabled = true })
	ctx := context.Background()
	c := apibench.New(e.http.URL)
	tok, err := c.SignIn(ctx, "bench@example.com")
	require.NoError(b, err)
	calls, err := c.StartCalls(ctx, tok, presetID, 1)
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		r := c.GetCall(ctx, tok, calls[0], 1e9, time.Nanosecond) // one request
		if r.Errors > 0 {
			b.Fatal(r.FirstError)
		}
	}
}

// BenchmarkPostTranscript is one transcript POST after another: a write's
// latency through every layer, including waiting for the read tables.
func BenchmarkPostTranscript(b *testing.B) {
	e := newEnv(b, func(o *envOptions) { o.cfg.RateLimit.Disabled = true })
	ctx := context.Background()
	c := apibench.New(e.http.URL)
	tok, err := c.SignIn(ctx, "bench@example.com")
	require.NoError(b, err)
	calls, err := c.StartCalls(ctx, tok, presetID, 1)
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		r := c.PostTranscript(ctx, tok, calls, 1e9, time.Nanosecond) // one request
		if r.Errors > 0 {
			b.Fatal(r.FirstError)
		}
	}
}
