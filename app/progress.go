package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// ProgressView is a user's practice progress.
type ProgressView struct {
	TotalCalls           int
	TotalDurationSeconds int
	AverageScore         float64
	BestScore            int
	CurrentStreak        int
	LongestStreak        int
	LastCallDate         *string
	Timezone             string
	CallsByMode          map[string]int
	RecentScores         []RecentScore
	CategoryAverages     *CategoryAverages
}

// RecentScore is one point of the score trend.
type RecentScore struct {
	CallID  string
	Mode    domain.Mode
	EndedAt time.Time
	Overall int
}

// CategoryAverages are the mean category scores over deep-scored calls.
type CategoryAverages struct {
	Opening, Discovery, ObjectionHandling, Communication, Closing float64
	Calls                                                         int
}

// Progress returns the user's stats; the current streak is evaluated now, in
// the user's time zone (domain.StreakSummary.CurrentStreak).
func (a *App) Progress(ctx context.Context, userID string) (ProgressView, error) {
	var (
		p       ProgressView
		byMode  []byte
		lastDay *time.Time
		run     int
	)
	err := a.pool.QueryRow(ctx, `SELECT total_calls, total_duration_seconds, avg_score::float8, best_score, current_streak,
  longest_streak, last_call_date::timestamp, calls_by_mode, timezone FROM user_stats WHERE user_id = $1`, userID).
		Scan(&p.TotalCalls, &p.TotalDurationSeconds, &p.AverageScore, &p.BestScore, &run, &p.LongestStreak, &lastDay, &byMode, &p.Timezone)
	if errors.Is(err, pgx.ErrNoRows) {
		return ProgressView{}, notFound("user", userID)
	}
	if err != nil {
		return ProgressView{}, fmt.Errorf("app: progress: %w", eventstore.Classify(err))
	}
	if err := decodeColumn("user_stats.calls_by_mode", byMode, &p.CallsByMode); err != nil {
		return ProgressView{}, err
	}
	if lastDay != nil {
		loc, err := time.LoadLocation(p.Timezone)
		if err != nil {
			loc = time.UTC
		}
		s := domain.StreakSummary{LastActiveDay: domain.DayFromTime(*lastDay), RunAtLastDay: run, Longest: p.LongestStreak}
		p.CurrentStreak = s.CurrentStreak(domain.DayOf(a.cfg.Now(), loc))
		d := s.LastActiveDay.String()
		p.LastCallDate = &d
	}

	rows, err := a.pool.Query(ctx, `SELECT c.id::text, c.mode, c.ended_at, s.overall_score FROM calls c JOIN scores s ON s.call_id = c.id
WHERE c.user_id = $1 AND c.status = 'completed' ORDER BY c.ended_at DESC, c.id DESC LIMIT 10`, userID)
	if err != nil {
		return ProgressView{}, fmt.Errorf("app: progress: recent scores: %w", eventstore.Classify(err))
	}
	defer rows.Close()
	p.RecentScores = []RecentScore{}
	for rows.Next() {
		var r RecentScore
		if err := rows.Scan(&r.CallID, &r.Mode, &r.EndedAt, &r.Overall); err != nil {
			return ProgressView{}, eventstore.Classify(err)
		}
		p.RecentScores = append(p.RecentScores, r)
	}
	if err := rows.Err(); err != nil {
		return ProgressView{}, eventstore.Classify(err)
	}
	var c CategoryAverages
	err = a.pool.QueryRow(ctx, `SELECT count(*), coalesce(avg(s.opening_score), 0)::float8, coalesce(avg(s.discovery_score), 0)::float8,
  coalesce(avg(s.objection_score), 0)::float8, coalesce(avg(s.communication_score), 0)::float8, coalesce(avg(s.closing_score), 0)::float8
FROM calls c JOIN scores s ON s.call_id = c.id WHERE c.user_id = $1 AND s.deep_transcript_version IS NOT NULL`, userID).
		Scan(&c.Calls, &c.Opening, &c.Discovery, &c.ObjectionHandling, &c.Communication, &c.Closing)
	if err != nil {
		return ProgressView{}, fmt.Errorf("app: progress: categories: %w", eventstore.Classify(err))
	}
	if c.Calls > 0 {
		p.CategoryAverages = &c
	}
	return p, nil
}
