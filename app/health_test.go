package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// stuckRunner is a runner that never moves: everything is its lag.
type stuckRunner struct{ names []string }

func (s stuckRunner) Health() []projections.Health {
	out := make([]projections.Health, len(s.names))
	for i, n := range s.names {
		out[i] = projections.Health{Name: n}
	}
	return out
}

func TestRunnerLagCountsUnappliedEvents(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_lag")
	p.call(t, user, 0, domain.ModeColdCall)
	var all int64
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&all))

	lag, err := app.RunnerLag(p.pool, stuckRunner{names: []string{"frozen"}}).ProjectorLag(ctx)
	require.NoError(t, err)
	require.Len(t, lag, 1)
	assert.Equal(t, "frozen", lag[0].Name)
	assert.Equal(t, all, lag[0].Events)
	assert.Greater(t, lag[0].Seconds, 0.0)

	// The live runner catches up (a projector may pass over other streams'
	// events only at its next wake or poll).
	live := app.RunnerLag(p.pool, p.runner)
	assert.Eventually(t, func() bool {
		lags, err := live.ProjectorLag(ctx)
		require.NoError(t, err)
		for _, l := range lags {
			if l.Events != 0 {
				return false
			}
		}
		return len(lags) > 0
	}, 10*time.Second, 50*time.Millisecond)
}

func TestHealth(t *testing.T) {
	t.Parallel()
	p := newPractice(t, func(c *app.Config) { c.Lag = app.RunnerLag(nil, stuckRunner{}) })
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

	require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, call, time.Now(), ""))
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
