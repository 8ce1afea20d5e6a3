package projections

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// UserStats projects user and call streams into user_stats, through the
// working table stats_calls (one row per call of a known user).
//
// Rules: total_calls, total_duration_seconds and calls_by_mode count
// completed calls, imported ones included; imported calls never count for
// streaks (a streak is days of practice); a call's score is its latest deep score, else its quick
// score; avg_score and best_score are over completed, scored calls. Streaks
// follow domain.StreakSummary. A call counts for the calendar day of its end
// in the zone the user had set at that moment (stats_timezones, by event
// time), so the result does not depend on the order events are applied in,
// and moving to another zone never moves past days: days only accumulate and
// the longest streak never decreases. user_stats.timezone is the latest zone
// (for "today"); current_streak is stored as the run ending on
// last_call_date, and readers apply domain.StreakSummary.CurrentStreak.
type UserStats struct{}

func (UserStats) Name() string     { return "user_stats" }
func (UserStats) Tables() []string { return []string{"user_stats", "stats_calls", "stats_timezones"} }

// zoneAt is the user's zone at a moment (UTC before any was set).
const zoneAt = `coalesce((SELECT z.timezone FROM stats_timezones z WHERE z.user_id = %s AND z.effective_at <= %s
  ORDER BY z.effective_at DESC LIMIT 1), 'UTC')`

func (UserStats) Streams() []string { return []string{domain.StreamUser, domain.StreamCall} }

func (UserStats) Apply(e eventstore.Event) ([]Stmt, error) {
	id := e.StreamID
	switch d := e.Data.(type) {
	case *domain.UserRegistered:
		return []Stmt{stmt(`INSERT INTO user_stats (id, user_id, updated_at) VALUES ($1, $1, $2) ON CONFLICT (user_id) DO NOTHING`, id, e.Metadata.OccurredAt)}, nil
	case *domain.UserOnboardingCompleted:
		return []Stmt{
			stmt(`INSERT INTO stats_timezones (user_id, effective_at, timezone) SELECT $1, $2, $3
WHERE EXISTS (SELECT 1 FROM user_stats WHERE user_id = $1)
ON CONFLICT (user_id, effective_at) DO UPDATE SET timezone = excluded.timezone`, id, e.Metadata.OccurredAt, d.Timezone),
			stmt(`UPDATE user_stats SET timezone = (SELECT timezone FROM stats_timezones WHERE user_id = $1 ORDER BY effective_at DESC LIMIT 1)
WHERE user_id = $1`, id),
			// Calls that ended since this zone took effect count in it.
			stmt(`UPDATE stats_calls sc SET day = (sc.ended_at AT TIME ZONE `+fmt.Sprintf(zoneAt, "sc.user_id", "sc.ended_at")+`)::date
WHERE sc.user_id = $1 AND sc.ended_at >= $2`, id, e.Metadata.OccurredAt),
		}, nil
	case *domain.UserDeleted:
		return []Stmt{
			stmt(`DELETE FROM stats_calls WHERE user_id = $1`, id),
			stmt(`DELETE FROM stats_timezones WHERE user_id = $1`, id),
			stmt(`DELETE FROM user_stats WHERE user_id = $1`, id),
		}, nil
	case *domain.CallCreated:
		return []Stmt{stmt(`INSERT INTO stats_calls (call_id, user_id, mode, imported)
SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM user_stats WHERE user_id = $2) ON CONFLICT (call_id) DO NOTHING`, id, d.UserID, string(d.Mode), d.Imported)}, nil
	case *domain.CallEnded:
		return []Stmt{stmt(`UPDATE stats_calls sc SET ended_at = $2, duration_seconds = $3,
  day = ($2::timestamptz AT TIME ZONE `+fmt.Sprintf(zoneAt, "sc.user_id", "$2::timestamptz")+`)::date
WHERE call_id = $1`, id, d.EndedAt, d.DurationSeconds)}, nil
	case *domain.CallQuickScored:
		return []Stmt{stmt(`UPDATE stats_calls SET score = $2 WHERE call_id = $1 AND NOT deep_scored`, id, d.Overall)}, nil
	case *domain.CallDeepScored:
		return []Stmt{stmt(`UPDATE stats_calls SET score = $2, deep_scored = true WHERE call_id = $1`, id, d.Overall)}, nil
	case *domain.UserProfileUpdated, *domain.CallStarted, *domain.CallConversationLinked, *domain.TranscriptChunkAdded,
		*domain.CallFailed, *domain.CallDeepScoringFailed:
		return nil, nil
	}
	return nil, fmt.Errorf("projection user_stats: no rule for %s", e.Type)
}

// Dirty marks the calls whose end or score changes the user's stats, and
// users whose zone change moved days.
func (UserStats) Dirty(e eventstore.Event) []string {
	switch e.Data.(type) {
	case *domain.CallEnded, *domain.CallQuickScored, *domain.CallDeepScored:
		return []string{e.StreamID}
	case *domain.UserOnboardingCompleted:
		return []string{userKey + e.StreamID}
	}
	return nil
}

const userKey = "user:"

// Finalize recomputes user_stats for the given users ("user:<id>") and the
// users of the given calls (call ids).
func (UserStats) Finalize(ctx context.Context, q eventstore.RowsQuerier, keys []string) ([]Stmt, error) {
	var callIDs, userIDs []string
	for _, k := range keys {
		if u, ok := strings.CutPrefix(k, userKey); ok {
			userIDs = append(userIDs, u)
		} else {
			callIDs = append(callIDs, k)
		}
	}
	if len(callIDs)+len(userIDs) == 0 {
		return nil, nil
	}
	type agg struct {
		total, duration, best int
		scoreSum, scored      int
		byMode                map[string]int
		days                  []domain.Day
		lastEnd               *time.Time
	}
	// One round trip: the users of the call keys (an indexed lookup each,
	// evaluated once) joined to the user keys, then one indexed scan per
	// user (an OR of the two conditions would scan the table).
	users := map[string]*agg{}
	err := q.QueryRows(ctx, func(sc eventstore.Scanner) error {
		var (
			user, mode string
			day        *time.Time
			ended      *time.Time
			duration   int
			score      *int
			imported   bool
		)
		if err := sc.Scan(&user, &mode, &ended, &day, &duration, &score, &imported); err != nil {
			return err
		}
		a := users[user]
		if a == nil {
			a = &agg{byMode: map[string]int{"cold_call": 0, "discovery": 0, "objection_gauntlet": 0}}
			users[user] = a
		}
		if ended == nil {
			return nil
		}
		a.total++
		a.duration += duration
		a.byMode[mode]++
		if day != nil && !imported { // a streak is days of practice: a call held elsewhere is not one
			a.days = append(a.days, domain.DayFromTime(*day))
		}
		if a.lastEnd == nil || ended.After(*a.lastEnd) {
			a.lastEnd = ended
		}
		if score != nil {
			a.scoreSum += *score
			a.scored++
			if *score > a.best {
				a.best = *score
			}
		}
		return nil
	}, `SELECT sc.user_id::text, sc.mode, sc.ended_at, sc.day::timestamp, coalesce(sc.duration_seconds, 0), sc.score, sc.imported
FROM stats_calls sc
WHERE sc.user_id = ANY($1::uuid[] || ARRAY(SELECT DISTINCT user_id FROM stats_calls WHERE call_id = ANY($2::uuid[])))
ORDER BY sc.user_id, sc.call_id`, "{"+strings.Join(userIDs, ",")+"}", "{"+strings.Join(callIDs, ",")+"}")
	if err != nil {
		return nil, fmt.Errorf("projection user_stats: finalize: %w", err)
	}
	out := make([]Stmt, 0, len(users))
	for user, a := range users {
		s := domain.SummarizeStreaks(a.days)
		avg := 0.0
		if a.scored > 0 {
			avg = float64(a.scoreSum) / float64(a.scored)
		}
		var last any
		if !s.LastActiveDay.IsZero() {
			last = s.LastActiveDay.String()
		}
		byMode, err := jsonArgs(a.byMode)
		if err != nil {
			return nil, fmt.Errorf("projection user_stats: finalize: %w", err)
		}
		out = append(out, stmt(`UPDATE user_stats SET total_calls = $2, total_duration_seconds = $3, avg_score = round($4::numeric, 2),
  best_score = $5, current_streak = $6, longest_streak = $7, last_call_date = $8::date, calls_by_mode = $9::jsonb,
  updated_at = greatest(updated_at, coalesce($10, updated_at)) WHERE user_id = $1`,
			user, a.total, a.duration, avg, a.best, s.RunAtLastDay, s.Longest, last, byMode[0], a.lastEnd))
	}
	return out, nil
}
