package projections_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

func TestLiveProjectionsBuildEveryReadTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.start(t)
	ctx := context.Background()
	user, persona, call := uuid.NewString(), uuid.NewString(), uuid.NewString()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

	e.appendAt(t, user, 0, t0, &domain.UserRegistered{ClerkID: "user_abc", Email: "ada@example.com", FullName: "Ada"})
	e.appendAt(t, user, 1, t0, &domain.UserOnboardingCompleted{Timezone: "Europe/Paris", Data: map[string]string{"role": "AE"}})
	e.appendAt(t, persona, 0, t0, &domain.PersonaCreated{PersonaProfile: domain.PersonaProfile{Name: "Pat", Role: "CFO", Company: "Acme",
		Industry: "SaaS", Personality: domain.PersonalityBusy, Difficulty: domain.DifficultyHard, Backstory: "b", VoiceID: "v",
		SystemPrompt: "s", IsPreset: true}})
	e.appendAt(t, call, 0, t0, &domain.CallCreated{UserID: user, PersonaID: persona, Mode: domain.ModeDiscovery},
		&domain.CallStarted{StartedAt: t0})
	e.appendAt(t, call, 2, t0, &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: "Hi there", TimestampMs: 0}},
		&domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleAssistant, Content: "Who is this?", TimestampMs: 1200}})
	e.appendAt(t, call, 4, t0.Add(5*time.Minute), &domain.CallEnded{EndedAt: t0.Add(5 * time.Minute), DurationSeconds: 300, Reason: "user_ended"},
		&domain.CallQuickScored{Overall: 61, Summary: "ok", Provider: "builtin", Model: "rubric", TranscriptVersion: 2})
	last := e.appendAt(t, call, 6, t0.Add(6*time.Minute), &domain.CallDeepScored{Overall: 70, Opening: 70, Discovery: 70, ObjectionHandling: 70,
		Communication: 70, Closing: 70, Summary: "good", Provider: "builtin", Model: "rubric", RubricVersion: "r1", TranscriptVersion: 2,
		KeyMoments: []domain.KeyMoment{{TimestampMs: 0, Type: domain.KeyMomentStrength, Description: "d", Quote: "Hi there"}}})
	e.wait(t, last.Position)

	var email, tz string
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT email, timezone FROM users WHERE id = $1`, user).Scan(&email, &tz))
	assert.Equal(t, "ada@example.com", email)
	assert.Equal(t, "Europe/Paris", tz)

	var status string
	var tv, version, duration int
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT status, transcript_version, version, duration_seconds FROM calls WHERE id = $1`, call).Scan(&status, &tv, &version, &duration))
	assert.Equal(t, "completed", status)
	assert.Equal(t, 2, tv)
	assert.Equal(t, 7, version)
	assert.Equal(t, 300, duration)

	var n int
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT count(*) FROM transcripts WHERE call_id = $1`, call).Scan(&n))
	assert.Equal(t, 2, n)

	var overall, quick int
	var deepStatus string
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT overall_score, quick_score, deep_status FROM scores WHERE call_id = $1`, call).Scan(&overall, &quick, &deepStatus))
	assert.Equal(t, 70, overall)
	assert.Equal(t, 61, quick)
	assert.Equal(t, "ready", deepStatus)

	var total, best, cur, longest int
	var lastDay time.Time
	require.NoError(t, e.pool.QueryRow(ctx, `SELECT total_calls, best_score, current_streak, longest_streak, last_call_date FROM user_stats WHERE user_id = $1`, user).
		Scan(&total, &best, &cur, &longest, &lastDay))
	assert.Equal(t, 1, total)
	assert.Equal(t, 70, best)
	assert.Equal(t, 1, cur)
	assert.Equal(t, 1, longest)
	assert.Equal(t, "2026-11-20", lastDay.Format(time.DateOnly))

	require.NoError(t, e.pool.QueryRow(ctx, `SELECT count(*) FROM personas WHERE id = $1`, persona).Scan(&n))
	assert.Equal(t, 1, n)
}
