package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
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
		assert.Positive(t, s.LagEvents, "%s has not run yet", s.Name)
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
			if s.LagEvents > 0 || s.LastError != "" {
				return false
			}
		}
		return true
	}, 20*time.Second, 50*time.Millisecond, "caught up after user %s", user)
}
