package projections

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Streaks through the user_stats projection: each case's calls are appended
// in the given order, delivered live with reordering and duplicates, and the
// result must also equal a fresh rebuild (a replay of the log).
func TestStreaksInTheUserStatsProjection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		tz          string
		ends        []string // call end times, in append order
		tzChangeTo  string   // a new zone recorded after the first call
		today       string   // the user's today when reading
		wantLast    string
		wantRun     int
		wantLongest int
		wantCurrent int
	}{
		{name: "three days in a row", tz: "UTC", ends: []string{"2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z", "2026-05-03T10:00:00Z"},
			today: "2026-05-03", wantLast: "2026-05-03", wantRun: 3, wantLongest: 3, wantCurrent: 3},
		{name: "several calls a day count once", tz: "UTC", ends: []string{"2026-05-01T08:00:00Z", "2026-05-01T18:00:00Z", "2026-05-02T09:00:00Z"},
			today: "2026-05-02", wantLast: "2026-05-02", wantRun: 2, wantLongest: 2, wantCurrent: 2},
		{name: "broken two days after the last call (computed at read time)", tz: "UTC", ends: []string{"2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z"},
			today: "2026-05-04", wantLast: "2026-05-02", wantRun: 2, wantLongest: 2, wantCurrent: 0},
		{name: "alive the day after", tz: "UTC", ends: []string{"2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z"},
			today: "2026-05-03", wantLast: "2026-05-02", wantRun: 2, wantLongest: 2, wantCurrent: 2},
		{name: "across the spring DST change in Paris", tz: "Europe/Paris",
			// 28 March 23:30 CET, 29 March 23:30 CEST, 30 March 00:30 CEST (still 29 March in UTC)
			ends:  []string{"2026-03-28T22:30:00Z", "2026-03-29T21:30:00Z", "2026-03-29T22:30:00Z"},
			today: "2026-03-30", wantLast: "2026-03-30", wantRun: 3, wantLongest: 3, wantCurrent: 3},
		{name: "across the autumn DST change in New York", tz: "America/New_York",
			ends:  []string{"2026-10-31T23:00:00Z", "2026-11-02T03:30:00Z", "2026-11-03T04:30:00Z"}, // Oct 31, Nov 1 (22:30 EST), Nov 2 (23:30 EST)
			today: "2026-11-02", wantLast: "2026-11-02", wantRun: 3, wantLongest: 3, wantCurrent: 3},
		{name: "month boundary", tz: "UTC", ends: []string{"2026-01-30T12:00:00Z", "2026-01-31T12:00:00Z", "2026-02-01T12:00:00Z"},
			today: "2026-02-02", wantLast: "2026-02-01", wantRun: 3, wantLongest: 3, wantCurrent: 3},
		{name: "year boundary in Tokyo", tz: "Asia/Tokyo", ends: []string{"2026-12-30T03:00:00Z", "2026-12-31T16:00:00Z"}, // Dec 30, Jan 1 (Tokyo)
			today: "2027-01-01", wantLast: "2027-01-01", wantRun: 1, wantLongest: 1, wantCurrent: 1},
		{name: "calls appended out of order", tz: "UTC", ends: []string{"2026-05-03T10:00:00Z", "2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z"},
			today: "2026-05-03", wantLast: "2026-05-03", wantRun: 3, wantLongest: 3, wantCurrent: 3},
		{name: "a late call fills a gap and joins two runs", tz: "UTC",
			ends:  []string{"2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z", "2026-05-04T10:00:00Z", "2026-05-05T10:00:00Z", "2026-05-03T10:00:00Z"},
			today: "2026-05-05", wantLast: "2026-05-05", wantRun: 5, wantLongest: 5, wantCurrent: 5},
		{name: "the longest streak stays when the current one breaks", tz: "UTC",
			ends:  []string{"2026-05-01T10:00:00Z", "2026-05-02T10:00:00Z", "2026-05-03T10:00:00Z", "2026-05-10T10:00:00Z"},
			today: "2026-05-10", wantLast: "2026-05-10", wantRun: 1, wantLongest: 3, wantCurrent: 1},
		{name: "a call's day is fixed in the zone known when it ended", tz: "UTC", tzChangeTo: "Asia/Tokyo",
			// 1 May 23:30 UTC counts for 1 May (UTC then); 2 May 16:00 UTC is 3 May in Tokyo
			ends:  []string{"2026-05-01T23:30:00Z", "2026-05-02T16:00:00Z"},
			today: "2026-05-03", wantLast: "2026-05-03", wantRun: 1, wantLongest: 1, wantCurrent: 1},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			pool, store, db := newStoreDB(t)
			user, persona := uuid.NewString(), uuid.NewString()
			appendAt := func(stream string, expected int, when time.Time, evs ...domain.Event) {
				t.Helper()
				n := make([]eventstore.NewEvent, len(evs))
				for i, e := range evs {
					n[i] = eventstore.NewEvent{ID: uuid.NewString(), Data: e, Meta: eventstore.Metadata{Actor: "test", OccurredAt: when}}
				}
				_, err := store.Append(ctx, stream, expected, n...)
				require.NoError(t, err)
			}
			start := at(c.ends[0]).Add(-72 * time.Hour)
			appendAt(user, 0, start, &domain.UserRegistered{ClerkID: "user_" + user, Email: "s@example.com"},
				&domain.UserOnboardingCompleted{Timezone: c.tz})
			version := 2
			for k, end := range c.ends {
				e := at(end)
				appendAt(uuid.NewString(), 0, e, &domain.CallCreated{UserID: user, PersonaID: persona, Mode: domain.ModeColdCall},
					&domain.CallStarted{StartedAt: e.Add(-5 * time.Minute)},
					&domain.CallEnded{EndedAt: e, DurationSeconds: 300, Reason: "user_ended"})
				if k == 0 && c.tzChangeTo != "" {
					appendAt(user, version, e.Add(time.Minute), &domain.UserOnboardingCompleted{Timezone: c.tzChangeTo})
					version++
				}
			}
			evs := readAll(t, store)
			deliver(t, store, db, evs, rand.New(rand.NewPCG(uint64(i), 99)))

			var run, longest int
			var last time.Time
			var tz string
			require.NoError(t, pool.QueryRow(ctx, `SELECT current_streak, longest_streak, last_call_date::timestamp, timezone FROM user_stats WHERE user_id = $1`, user).
				Scan(&run, &longest, &last, &tz))
			assert.Equal(t, c.wantLast, last.Format(time.DateOnly), "last call date")
			assert.Equal(t, c.wantRun, run, "run ending on the last day")
			assert.Equal(t, c.wantLongest, longest, "longest")
			s := domain.StreakSummary{LastActiveDay: domain.DayFromTime(last), RunAtLastDay: run, Longest: longest}
			today, err := time.Parse(time.DateOnly, c.today)
			require.NoError(t, err)
			assert.Equal(t, c.wantCurrent, s.CurrentStreak(domain.DayFromTime(today)), "current streak on %s", c.today)

			rb, err := NewRebuilder(store, db, RebuildConfig{})
			require.NoError(t, err)
			rep, err := rb.Verify(ctx, []Projector{UserStats{}})
			require.NoError(t, err)
			assert.True(t, rep.OK(), "a replay gives the same stats: %v", rep.Samples)
		})
	}
}
