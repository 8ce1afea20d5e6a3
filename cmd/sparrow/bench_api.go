package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/internal/apibench"
	"github.com/sparrow-coach/sparrow/projections"
)

// benchAPI runs the whole server in-process on a loopback port (projections
// included, rate limit off) and drives it with an open-loop client: each
// request is timed from when it was due, so a slow server cannot hide its
// queueing.
func benchAPI(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	d, err := openScratch(ctx, url, 40)
	if err != nil {
		return err
	}
	defer d.Close()
	log := newLogger(Config{LogLevel: "error"}, nil)
	runner, err := projections.NewRunner(d.store, d.db, projections.RunnerConfig{Waker: d.waker, Logger: log})
	if err != nil {
		return err
	}
	a, err := app.New(d.store, app.Config{Consistency: runner, QuickScorer: scoring.QuickChain{}, Logger: log})
	if err != nil {
		return err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	issuer, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: key})
	if err != nil {
		return err
	}
	srv, err := api.New(api.Deps{App: a, Store: d.store, Waker: d.waker, Metrics: d.metrics, LocalIssuer: issuer, Logger: log,
		ProjectorLag: api.ProjectorLagFrom(d.pool, runner)}, api.Config{RateLimit: api.RateLimitConfig{Disabled: true}})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = runner.Run(runCtx) }()
	go func() { defer wg.Done(); _ = srv.Serve(runCtx, ln) }()
	defer func() { stop(); wg.Wait() }()

	presets := map[string]domain.PersonaProfile{}
	for _, p := range personas.Presets() {
		presets[p.ID] = p.Profile
	}
	if _, err := a.SeedPresets(ctx, presets); err != nil {
		return err
	}
	c := apibench.New("http://" + ln.Addr().String())
	token, err := c.SignIn(ctx, "bench@example.com")
	if err != nil {
		return err
	}
	calls, err := c.StartCalls(ctx, token, personas.Presets()[0].ID, 100)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "bench: api: GET /api/calls/:id at 1,000 req/s for %s\n", o.duration)
	get := c.GetCall(ctx, token, calls[0], 1000, o.duration)
	fmt.Fprintf(o.progress, "bench: api: %s\n", get)
	fmt.Fprintf(o.progress, "bench: api: POST /api/calls/:id/transcript at 300 req/s over %d calls for %s\n", len(calls), o.duration)
	post := c.PostTranscript(ctx, token, calls, 300, o.duration)
	fmt.Fprintf(o.progress, "bench: api: %s\n", post)
	fmt.Fprintln(o.progress, "bench: api: SSE delivery of 300 transcript lines, one every 20 ms")
	sse, err := c.SSEDelivery(ctx, token, calls[1], 300, 20*time.Millisecond)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "bench: api: SSE from POST accepted: %s; from POST sent: %s\n", sse.FromAccepted, sse.FromSent)
	if get.Errors+post.Errors > 0 {
		return fmt.Errorf("api benchmark: %d GET and %d POST errors (first: %s %s)", get.Errors, post.Errors, get.FirstError, post.FirstError)
	}
	ms := func(d time.Duration) float64 { return round2(float64(d) / float64(time.Millisecond)) }
	out["api_get_call_p99_ms"] = ms(get.P99)
	out["api_get_call_rate"] = round2(get.Rate)
	out["api_post_transcript_p99_ms"] = ms(post.P99)
	out["api_post_transcript_rate"] = round2(post.Rate)
	out["sse_delivery_ms_p99"] = ms(sse.FromAccepted.P99)
	out["sse_delivery_from_sent_ms_p99"] = ms(sse.FromSent.P99)
	return nil
}
