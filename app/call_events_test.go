package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// fullCall is a started call of user holding lines lines ("line 1",
// "line 2", ...), appended to the log in one go (the read tables catch up
// in the background; the paths tested here read the log).
func fullCall(t *testing.T, p *practice, user string, lines int) string {
	t.Helper()
	ctx := context.Background()
	m := app.Meta{Actor: user}
	call, err := p.app.CreateCall(ctx, m, user, p.presets[0].ID, domain.ModeDiscovery)
	require.NoError(t, err)
	require.NoError(t, p.app.StartCall(ctx, m, user, call, practiceStart, ""))
	evs := make([]eventstore.NewEvent, 0, lines)
	for n := 1; n <= lines; n++ {
		evs = append(evs, eventstore.NewEvent{ID: app.NewID(), Data: &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{
			Role: domain.RoleUser, Content: fmt.Sprint("line ", n), TimestampMs: int64(n)}}, Meta: eventstore.Metadata{Actor: user, OccurredAt: practiceStart}})
	}
	_, err = p.store.Append(ctx, call, 2, evs...)
	require.NoError(t, err)
	return call
}

func countEvents(t *testing.T, p *practice) int {
	t.Helper()
	var n int
	require.NoError(t, p.pool.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n))
	return n
}

// A call at its maximum size takes nothing more, by any path that adds
// lines, and stores nothing; its history reads back in pages covering every
// event exactly once, in order, from the events route and the live stream,
// and a process with a cold cache rebuilds it from pages.
func TestFullCallIsRefusedAndReadInPages(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_full")
	call := fullCall(t, p, user, domain.MaxCallLines)
	total := 2 + domain.MaxCallLines // created, started, the lines

	before := countEvents(t, p)
	_, err := p.app.AddTranscript(ctx, app.Meta{Actor: user}, user, call,
		[]domain.TranscriptEntry{{Role: domain.RoleUser, Content: "one too many", TimestampMs: 1}})
	require.ErrorIs(t, err, domain.ErrLimitExceeded)
	_, err = p.app.TakeTurn(ctx, app.Meta{Actor: user}, user, call, "Still there?", app.TurnOptions{})
	require.ErrorIs(t, err, domain.ErrLimitExceeded)
	assert.Equal(t, before, countEvents(t, p), "nothing stored past the maximum")
	// (A call one line short, whose reply would not fit, is api's TestCallMaximumSize.)

	t.Run("events pages", func(t *testing.T) {
		for _, limit := range []int{1000, 777, 200} {
			var versions []int
			after, pages := 0, 0
			for {
				evs, more, err := p.app.CallEvents(ctx, user, call, after, limit)
				require.NoError(t, err)
				require.LessOrEqual(t, len(evs), limit)
				pages++
				for _, e := range evs {
					versions = append(versions, e.Version)
				}
				if !more {
					break
				}
				after = evs[len(evs)-1].Version
			}
			require.Len(t, versions, total, "limit %d", limit)
			for i, v := range versions {
				require.Equal(t, i+1, v, "limit %d: each event once, in order", limit)
			}
			assert.Equal(t, (total+limit-1)/limit, pages)
		}
		_, _, err := p.app.CallEvents(ctx, user, call, 0, app.MaxEventsPage+1)
		assert.ErrorIs(t, err, domain.ErrInvalid)
		evs, more, err := p.app.CallEvents(ctx, user, call, total, 0)
		require.NoError(t, err)
		assert.Empty(t, evs)
		assert.False(t, more)
	})

	t.Run("stream pages", func(t *testing.T) {
		s, err := p.app.FollowCall(ctx, user, call, 0)
		require.NoError(t, err)
		defer s.Close()
		var versions []int
		for {
			evs, err := s.Next(ctx)
			require.NoError(t, err)
			require.LessOrEqual(t, len(evs), app.StreamPage)
			for _, e := range evs {
				versions = append(versions, e.Version)
			}
			if !s.More() {
				break
			}
		}
		require.Len(t, versions, total)
		for i, v := range versions {
			require.Equal(t, i+1, v)
		}
		evs, err := s.Next(ctx)
		require.NoError(t, err)
		assert.Empty(t, evs)
	})

	t.Run("a cold cache rebuilds the call from pages", func(t *testing.T) {
		cold, err := app.New(p.store, app.Config{QuickScorer: countingScorer{}})
		require.NoError(t, err)
		c, err := cold.CallForUser(ctx, user, call)
		require.NoError(t, err)
		assert.Equal(t, domain.MaxCallLines, c.TranscriptVersion())
		assert.Equal(t, total, c.Version())
		tr := c.Transcript()
		assert.Equal(t, "line 1", tr[0].Content)
		assert.Equal(t, fmt.Sprint("line ", domain.MaxCallLines), tr[len(tr)-1].Content)
		then, err := cold.CallAsOf(ctx, call, 3001)
		require.NoError(t, err)
		assert.Equal(t, 2999, then.TranscriptVersion())
		assert.Equal(t, "line 2999", then.Transcript()[2998].Content)
	})
}
