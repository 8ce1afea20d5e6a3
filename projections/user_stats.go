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

func (UserStats) Streams() []string { return userStatsStreams }

var userStatsStreams = []string{domain.StreamUser, domain.StreamCall}

func (UserStats) Schema() []TableDef {
	return []TableDef{
		{Name: "user_stats", Key: []string{"user_id"}},
		{Name: "stats_calls", Key: []string{"call_id"}},
		{Name: "stats_timezones", Key: []string{"user_id", "effective_at"}},
	}
}

// Apply is Changes as statements (rows.go).
func (p UserStats) Apply(e eventstore.Event) ([]Stmt, error) { return applyRows(p, e) }

// The derived scopes (Derive): a call's day, in its user's zone at its
// end, and a user's current zone.
const (
	scopeDay  = "stats_calls.day"
	scopeZone = "user_stats.timezone"
)

func (UserStats) Changes(e eventstore.Event) ([]Change, error) {
	id := e.StreamID
	user := col("user_id", id)
	switch d := e.Data.(type) {
	case *domain.UserRegistered:
		return []Change{insert("user_stats", col("id", id), user, col("updated_at", e.Metadata.OccurredAt))}, nil
	case *domain.UserOnboardingCompleted:
		zone := Change{Kind: Upsert, Table: "stats_timezones", Cols: []Col{user, col("effective_at", e.Metadata.OccurredAt), col("timezone", d.Timezone)},
			Sets: []Set{set("timezone", d.Timezone)}}
		// Calls that ended since this zone took effect count in it.
		return []Change{zone.ifExists("user_stats", user), derive(scopeZone, user), derive(scopeDay, user)}, nil
	case *domain.UserDeleted:
		return []Change{del("stats_calls", user), del("stats_timezones", user), del("user_stats", user)}, nil
	case *domain.CallCreated:
		return []Change{insert("stats_calls", col("call_id", id), col("user_id", d.UserID), col("mode", string(d.Mode)),
			col("imported", d.Imported), col("deep_scored", false)).ifExists("user_stats", col("user_id", d.UserID))}, nil
	case *domain.CallEnded:
		c := col("call_id", id)
		return []Change{update("stats_calls", c, set("ended_at", d.EndedAt), set("duration_seconds", d.DurationSeconds)), derive(scopeDay, c)}, nil
	case *domain.CallQuickScored:
		return []Change{update("stats_calls", col("call_id", id), Set{Col: "score", Value: d.Overall, When: &Cond{Kind: IsFalse, Col: "deep_scored"}})}, nil
	case *domain.CallDeepScored:
		return []Change{update("stats_calls", col("call_id", id), set("score", d.Overall), set("deep_scored", true))}, nil
	case *domain.UserProfileUpdated, *domain.CallStarted, *domain.CallConversationLinked, *domain.TranscriptChunkAdded,
		*domain.CallFailed, *domain.CallDeepScoringFailed:
		return nil, nil
	}
	return nil, fmt.Errorf("projection user_stats: no rule for %s", e.Type)
}

// Derive recomputes a call's day (the calendar day of its end in the zone
// its user had at that moment) or a user's current zone (the latest), for
// the rows whose col is in keys, or all rows when col is empty. The live
// engine runs it per event; the rebuild once, over every row, after the load.
func (UserStats) Derive(scope, col string, keys []any) []Stmt {
	where, inner, args := "", "", []any{}
	if col != "" {
		ks := make([]string, len(keys))
		for i, k := range keys {
			ks[i] = keyString(k)
		}
		where, inner, args = " AND t."+col+" = ANY($1)", " WHERE "+col+" = ANY($1)", []any{uuidArray(ks)}
	}
	switch scope {
	case scopeDay:
		return []Stmt{stmt(`UPDATE stats_calls t SET day = (t.ended_at AT TIME ZONE `+fmt.Sprintf(zoneAt, "t.user_id", "t.ended_at")+`)::date
WHERE t.ended_at IS NOT NULL`+where, args...)}
	case scopeZone:
		return []Stmt{stmt(`UPDATE user_stats t SET timezone = z.timezone
FROM (SELECT DISTINCT ON (user_id) user_id, timezone FROM stats_timezones`+inner+` ORDER BY user_id, effective_at DESC) z
WHERE z.user_id = t.user_id`+where, args...)}
	}
	return nil
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

// finalizeStats aggregates the calls of the users in $1 and of the users of
// the calls in $2, one row per user: only ended calls count (imported ones
// included), scores of the scored ones, and the distinct days of ended
// calls that were not imported (a streak is days of practice: a call held
// elsewhere is not one); then the count per mode, in domain.Modes' order.
var finalizeStats = func() string {
	var b strings.Builder
	b.WriteString(`SELECT sc.user_id::text, count(sc.ended_at),
  coalesce(sum(sc.duration_seconds) FILTER (WHERE sc.ended_at IS NOT NULL), 0),
  coalesce(sum(sc.score) FILTER (WHERE sc.ended_at IS NOT NULL), 0),
  count(sc.score) FILTER (WHERE sc.ended_at IS NOT NULL),
  greatest(coalesce(max(sc.score) FILTER (WHERE sc.ended_at IS NOT NULL), 0), 0),
  max(sc.ended_at),
  coalesce(array_agg(DISTINCT sc.day::timestamp) FILTER (WHERE sc.ended_at IS NOT NULL AND sc.day IS NOT NULL AND NOT sc.imported), '{}')`)
	for _, m := range domain.Modes {
		fmt.Fprintf(&b, ",\n  count(*) FILTER (WHERE sc.ended_at IS NOT NULL AND sc.mode = '%s')", m)
	}
	b.WriteString(`
FROM stats_calls sc
WHERE sc.user_id = ANY($1::uuid[] || ARRAY(SELECT DISTINCT user_id FROM stats_calls WHERE call_id = ANY($2::uuid[])))
GROUP BY sc.user_id`)
	return b.String()
}()

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
		total, duration, best int64
		scoreSum, scored      int64
		byMode                map[string]int64
		days                  []domain.Day
		lastEnd               *time.Time
	}
	// One round trip and one row per user: the users of the call keys (an
	// indexed lookup each, evaluated once) joined to the user keys, then
	// one indexed scan per user (an OR of the two conditions would scan the
	// table), aggregated in the database; only the distinct days of
	// practice come back as a list, for domain.SummarizeStreaks.
	users := map[string]*agg{}
	err := q.QueryRows(ctx, func(sc eventstore.Scanner) error {
		var user string
		var days []time.Time
		a := &agg{byMode: make(map[string]int64, len(domain.Modes))}
		modes := make([]int64, len(domain.Modes))
		dest := []any{&user, &a.total, &a.duration, &a.scoreSum, &a.scored, &a.best, &a.lastEnd, &days}
		for i := range modes {
			dest = append(dest, &modes[i])
		}
		if err := sc.Scan(dest...); err != nil {
			return err
		}
		for i, m := range domain.Modes {
			a.byMode[string(m)] = modes[i]
		}
		for _, d := range days {
			a.days = append(a.days, domain.DayFromTime(d))
		}
		users[user] = a
		return nil
	}, finalizeStats, uuidArray(userIDs), uuidArray(callIDs))
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
