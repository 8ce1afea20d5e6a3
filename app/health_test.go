package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

// ProjectorLag covers every projector of the runners it is given (the read
// models and the scoring jobs), through the one lag computation.
func TestProjectorLagAndPing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	w := eventstore.NewWaker()
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: w.Appended})
	require.NoError(t, err)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { db.Close() })
	reads, err := projections.NewRunner(store, db, projections.RunnerConfig{Waker: w, Projectors: projections.ReadModels()})
	require.NoError(t, err)
	jobs, err := projections.NewRunner(store, db, projections.RunnerConfig{Waker: w, Projectors: projections.WorkQueues()})
	require.NoError(t, err)
	a, err := app.New(store, app.Config{QuickScorer: countingScorer{},
		Projections: []app.ProjectorProgress{reads, jobs}})
	require.NoError(t, err)
	require.NoError(t, a.Ping(ctx))

	user, err := a.EnsureUser(ctx, app.Meta{Actor: "test"}, app.Identity{Subject: "lag", Email: "lag@example.com"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { // the horizon passes the user's events
		head, err := store.Head(ctx)
		return err == nil && !head.IsZero()
	}, 10*time.Second, 10*time.Millisecond)
	sts, err := a.ProjectorLag(ctx)
	require.NoError(t, err)
	var names []string
	for _, s := range sts {
		names = append(names, s.Name)
	}
	assert.Equal(t, projections.Names(), names, "every projector the runners run, scoring_jobs included")
	for _, s := range sts {
		assert.Positive(t, s.Events, "%s has not run yet", s.Name)
	}

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{}, 2)
	go func() { _ = reads.Run(runCtx); done <- struct{}{} }()
	go func() { _ = jobs.Run(runCtx); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); <-done; <-done })
	require.Eventually(t, func() bool {
		sts, err := a.ProjectorLag(ctx)
		require.NoError(t, err)
		for _, s := range sts {
			if s.Events > 0 || s.LastError != "" {
				return false
			}
		}
		return true
	}, 20*time.Second, 50*time.Millisecond, "caught up after user %s", user)
}

// stuckRunner is a runner that never moves: everything is its lag.
type stuckRunner struct{ names []string }

func (s stuckRunner) Health() []projections.Health {
	out := make([]projections.Health, len(s.names))
	for i, n := range s.names {
		out[i] = projections.Health{Name: n}
	}
	return out
}

func TestHealth(t *testing.T) {
	t.Parallel()
	p := newPractice(t, func(c *app.Config) { c.Projections = []app.ProjectorProgress{stuckRunner{}} })
	h, err := p.app.Health(context.Background())
	require.NoError(t, err)
	assert.NoError(t, h.LagErr)
	assert.Empty(t, h.Projectors)
	assert.True(t, p.app.ReportsLag())

	t.Run("a database that does not answer is unavailable", func(t *testing.T) {
		pool, err := pgxpool.New(context.Background(), "postgres://sparrow@127.0.0.1:1/none?connect_timeout=2")
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		store, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
		require.NoError(t, err)
		a, err := app.New(store, app.Config{QuickScorer: countingScorer{}})
		require.NoError(t, err)
		_, err = a.Health(context.Background())
		assert.ErrorIs(t, err, app.ErrUnavailable)
		_, err = a.Profile(context.Background(), app.UserIDFor("nobody"))
		assert.ErrorIs(t, err, app.ErrUnavailable, "every query at the door says so")
		assert.False(t, a.ReportsLag())
	})
}

func TestFollowCall(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user, other := p.user(t, "user_follow"), p.user(t, "user_follow_other")
	call := p.call(t, user, 0, domain.ModeColdCall)

	_, err := p.app.FollowCall(ctx, other, call, 0)
	assert.ErrorIs(t, err, domain.ErrNotFound, "another user's call does not exist")

	f, err := p.app.FollowCall(ctx, user, call, 0)
	require.NoError(t, err)
	defer f.Close()
	first, err := f.Next(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, first)
	assert.Equal(t, call, first[0].CallID)
	assert.Equal(t, 1, first[0].Version)
	none, err := f.Next(ctx)
	require.NoError(t, err)
	assert.Empty(t, none, "Next returns each event once")

	require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, call, p.clock.Now(), ""))
	select {
	case <-f.Woken():
	case <-time.After(5 * time.Second):
		t.Fatal("no wake after an append")
	}
	next, err := f.Next(ctx)
	require.NoError(t, err)
	require.Len(t, next, 1)
	assert.Equal(t, first[len(first)-1].Version+1, next[0].Version)
	assert.IsType(t, &domain.CallStarted{}, next[0].Data)

	resumed, err := p.app.FollowCall(ctx, user, call, first[len(first)-1].Version)
	require.NoError(t, err)
	defer resumed.Close()
	again, err := resumed.Next(ctx)
	require.NoError(t, err)
	assert.Equal(t, next, again, "a follower that resumes after a version starts there")
}
