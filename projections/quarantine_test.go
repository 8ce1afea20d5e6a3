package projections_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// startWith runs a live runner with cfg (Waker and poll interval filled in) until the test ends.
func (e *env) startWith(t *testing.T, cfg projections.RunnerConfig) {
	t.Helper()
	cfg.Waker, cfg.PollInterval = e.waker, 200*time.Millisecond
	r, err := projections.NewRunner(e.store, e.db, cfg)
	require.NoError(t, err)
	e.runner = r
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (e *env) callStatus(t *testing.T, call string) string {
	t.Helper()
	var status string
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT status FROM calls WHERE id = $1`, call).Scan(&status))
	return status
}

func openQuarantines(t *testing.T, e *env) map[string][]projections.Quarantined {
	t.Helper()
	qs, err := projections.ListQuarantined(context.Background(), e.store, false)
	require.NoError(t, err)
	out := map[string][]projections.Quarantined{}
	for _, q := range qs {
		out[q.Projector] = append(out[q.Projector], q)
	}
	return out
}

// A hand-made event that cannot be decoded sits in the middle of one call's
// stream: that call stops for the projectors that read call streams, every
// other stream goes on, and skipping the event resumes the call.
func TestAMalformedEventQuarantinesOnlyItsStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var mu sync.Mutex
	var quarantined []string
	e.startWith(t, projections.RunnerConfig{OnQuarantined: func(p, s string) { mu.Lock(); quarantined = append(quarantined, p); mu.Unlock() }})
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	user, bad, good := uuid.NewString(), uuid.NewString(), uuid.NewString()
	e.appendAt(t, user, 0, t0, &domain.UserRegistered{ClerkID: "user_q", Email: "q@example.com", FullName: "Q"})
	e.appendAt(t, bad, 0, t0, &domain.CallCreated{UserID: user, Mode: domain.ModeDiscovery, Imported: true})
	e.appendAt(t, good, 0, t0, &domain.CallCreated{UserID: user, Mode: domain.ModeDiscovery, Imported: true})

	// Version 2 of the bad call: a start time that is not a time.
	id := uuid.NewString()
	_, err := e.pool.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
VALUES ($1, $2, 'call', 2, 'CallStarted', 1, '{"startedAt": "not a time"}', jsonb_build_object('eventId', $3::text, 'actor', 'system', 'occurredAt', '2026-11-20T09:00:00Z', 'schemaVersion', 1))`,
		id, bad, id)
	require.NoError(t, err)
	e.appendAt(t, bad, 2, t0.Add(time.Minute), &domain.CallEnded{EndedAt: t0.Add(time.Minute), DurationSeconds: 60, Reason: "user_ended"})
	e.appendAt(t, good, 1, t0, &domain.CallStarted{StartedAt: t0})
	last := e.appendAt(t, good, 2, t0.Add(2*time.Minute), &domain.CallEnded{EndedAt: t0.Add(2 * time.Minute), DurationSeconds: 120, Reason: "user_ended"})
	e.wait(t, last.Position)

	assert.Equal(t, "completed", e.callStatus(t, good), "the other call goes on")
	assert.Equal(t, "pending", e.callStatus(t, bad), "the bad call stops before its bad event")
	var total, duration int
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT total_calls, total_duration_seconds FROM user_stats WHERE user_id = $1`, user).Scan(&total, &duration))
	assert.Equal(t, 1, total, "user_stats counts the good call only")
	assert.Equal(t, 120, duration)

	open := openQuarantines(t, e)
	require.Len(t, open["calls"], 1)
	require.Len(t, open["user_stats"], 1)
	assert.Empty(t, open["users"], "users does not read call streams")
	q := open["calls"][0]
	assert.Equal(t, bad, q.StreamID)
	assert.Equal(t, 2, q.Version)
	assert.Equal(t, "CallStarted", q.EventType)
	assert.Equal(t, 3, q.Attempts)
	assert.Contains(t, q.Error, "CallStarted")
	mu.Lock()
	assert.ElementsMatch(t, []string{"calls", "user_stats"}, quarantined)
	mu.Unlock()
	sts, err := e.runner.Lag(ctx)
	require.NoError(t, err)
	lag := map[string]projections.Status{}
	for _, s := range sts {
		lag[s.Name] = s
	}
	assert.Equal(t, 1, lag["calls"].Quarantined)
	assert.Equal(t, 0, lag["users"].Quarantined)
	counts, err := projections.QuarantinedCounts(ctx, e.store)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"calls": 1, "user_stats": 1}, counts)

	// Skip the bad event: the call's later events apply, and so do new ones.
	res, err := projections.SkipQuarantined(ctx, e.store, "calls", bad)
	require.NoError(t, err)
	assert.Equal(t, projections.Resolved{Applied: 1, Version: 3}, res)
	_, err = projections.SkipQuarantined(ctx, e.store, "user_stats", bad)
	require.NoError(t, err)
	assert.Equal(t, "completed", e.callStatus(t, bad))
	last = e.appendAt(t, bad, 3, t0.Add(3*time.Minute), &domain.CallQuickScored{Overall: 55, Summary: "s", Provider: "builtin", Model: "rubric", TranscriptVersion: 0})
	e.wait(t, last.Position)
	var score int
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT overall_score FROM scores WHERE call_id = $1`, bad).Scan(&score))
	assert.Equal(t, 55, score)
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT total_calls FROM user_stats WHERE user_id = $1`, user).Scan(&total))
	assert.Equal(t, 2, total)
	assert.Empty(t, openQuarantines(t, e))
	hist, err := projections.ListQuarantined(ctx, e.store, true)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, "skipped", hist[0].Resolution)

	_, err = projections.SkipQuarantined(ctx, e.store, "calls", bad)
	assert.ErrorIs(t, err, projections.ErrNotQuarantined)
}

// refusing is the calls projector, except that the statement it makes for
// one call's creation fails in the database. It embeds the Projector
// interface, not Calls, so that it has no row form (Changes) and the
// engines run its statements.
type refusing struct {
	projections.Projector
	stream string
}

func (r refusing) Apply(ev eventstore.Event) ([]projections.Stmt, error) {
	if ev.StreamID == r.stream && ev.Type == "CallCreated" {
		return []projections.Stmt{{SQL: `SELECT 1 / 0`}}, nil
	}
	return r.Projector.Apply(ev)
}

// A stream whose statements fail is quarantined after three tries; other
// calls in the same batches go on; retry applies the stream with the real
// projector, and the runner then takes its new events as usual.
func TestRetryResumesAQuarantinedStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poison := uuid.NewString()
	e.startWith(t, projections.RunnerConfig{Projectors: []projections.Projector{projections.Users{}, refusing{Projector: projections.Calls{}, stream: poison}}})
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	user := uuid.NewString()
	e.appendAt(t, user, 0, t0, &domain.UserRegistered{ClerkID: "user_r", Email: "r@example.com", FullName: "R"})
	others := make([]string, 20)
	var last eventstore.AppendResult
	for i := range others {
		others[i] = uuid.NewString()
		if i == 10 {
			e.appendAt(t, poison, 0, t0, &domain.CallCreated{UserID: user, Mode: domain.ModeColdCall, Imported: true})
		}
		last = e.appendAt(t, others[i], 0, t0, &domain.CallCreated{UserID: user, Mode: domain.ModeColdCall, Imported: true})
	}
	e.wait(t, last.Position)
	for _, c := range others {
		assert.Equal(t, "pending", e.callStatus(t, c))
	}
	var n int
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT count(*) FROM calls WHERE id = $1`, poison).Scan(&n))
	assert.Zero(t, n)
	open := openQuarantines(t, e)
	require.Len(t, open["calls"], 1)
	assert.Contains(t, open["calls"][0].Error, "division by zero")

	// Verify (and so rebuild) leave the quarantined stream out, as live did.
	rb, err := projections.NewRebuilder(e.store, e.db, projections.RebuildConfig{})
	require.NoError(t, err)
	rep, err := rb.Verify(ctx, []projections.Projector{projections.Calls{}})
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v %v", rep.Mismatches, rep.Samples)

	res, err := projections.RetryQuarantined(ctx, e.store, "calls", poison)
	require.NoError(t, err)
	assert.Equal(t, projections.Resolved{Applied: 1, Version: 1}, res)
	assert.Equal(t, "pending", e.callStatus(t, poison))
	last = e.appendAt(t, poison, 1, t0, &domain.CallStarted{StartedAt: t0})
	e.wait(t, last.Position)
	assert.Equal(t, "in_progress", e.callStatus(t, poison))
	assert.Empty(t, openQuarantines(t, e))
	rep, err = rb.Verify(ctx, []projections.Projector{projections.Calls{}})
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v %v", rep.Mismatches, rep.Samples)
}
