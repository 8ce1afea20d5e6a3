package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/projections"
)

// Personal data of the deleted user, each unique enough to search the whole
// database for.
var victimSecrets = []string{
	"victim.lovelace@example.com", "Ada Victim", "Ada Q. Victim", "ada-avatar.png", "Victim Corp Secret",
	"bluebird-4412", "heron-2207", "my sparrow reason",
}

// A user deleted by the identity provider disappears from every read table
// and from the payloads of the log, a projections rebuild does not bring
// anything back, and another user's data is untouched.
func TestForgetUserErasesPersonalDataAndARebuildKeepsItGone(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()

	victimID := app.Identity{Subject: "user_victim", Email: "victim.lovelace@example.com", FullName: "Ada Victim", AvatarURL: "https://img.example.com/ada-avatar.png"}
	victim, _, err := p.app.SyncUser(ctx, app.Meta{Actor: "webhook:clerk"}, victimID)
	require.NoError(t, err)
	vm := app.Meta{Actor: victim}
	name := "Ada Q. Victim"
	require.NoError(t, p.app.UpdateProfile(ctx, vm, victim, nil, &name, nil))
	require.NoError(t, p.app.CompleteOnboarding(ctx, vm, victim, "Europe/Paris", map[string]string{"company": "Victim Corp Secret"}))
	own, err := p.app.GeneratePersona(ctx, vm, victim, personas.GenerateInput{Industry: "Retail", Role: "CFO",
		Personality: domain.PersonalityFriendly, Difficulty: domain.DifficultyEasy}, app.PersonaOptions{})
	require.NoError(t, err)

	// A text call with a deep score (quotes of the transcript), a call that
	// failed with the user's own reason, and a voice transcript.
	textCall := p.call(t, victim, 0, domain.ModeDiscovery)
	for _, line := range []string{"Hi, my code word is bluebird-4412.", "Could we meet on Tuesday at 2pm to go through it, heron-2207?"} {
		_, err := p.app.TakeTurn(ctx, vm, victim, textCall, line, app.TurnOptions{})
		require.NoError(t, err)
	}
	_, err = p.app.EndCall(ctx, vm, victim, textCall, "", "")
	require.NoError(t, err)
	deepScore(t, p, textCall)
	failed := p.call(t, victim, 1, domain.ModeColdCall)
	require.NoError(t, p.app.FailCall(ctx, vm, victim, failed, "my sparrow reason"))

	// Someone else, who stays.
	control := p.user(t, "user_control")
	controlCall := p.call(t, control, 0, domain.ModeColdCall)
	_, err = p.app.TakeTurn(ctx, app.Meta{Actor: control}, control, controlCall, "Control line kestrel-9981, do you have a minute?", app.TurnOptions{})
	require.NoError(t, err)
	_, err = p.app.EndCall(ctx, app.Meta{Actor: control}, control, controlCall, "", "")
	require.NoError(t, err)
	deepScore(t, p, controlCall)

	for _, s := range victimSecrets {
		require.NotZero(t, p.mentions(t, s, true), "the setup records %q in the log", s)
	}
	for _, s := range []string{"victim.lovelace@example.com", "Ada Q. Victim", "Victim Corp Secret", "bluebird-4412", "my sparrow reason"} {
		require.NotZero(t, p.mentions(t, s, false), "the setup stores %q in a read table", s)
	}

	_, err = p.app.EraseUser(ctx, victim)
	require.ErrorIs(t, err, app.ErrUserNotDeleted, "a live account is not erased")

	rep, err := p.app.ForgetUser(ctx, app.Meta{Actor: "webhook:clerk", IdempotencyKey: "clerk/msg_delete"}, "user_victim", "clerk user.deleted")
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Calls)
	assert.Equal(t, 5, rep.TranscriptLines, "opening, two lines and two replies")
	assert.GreaterOrEqual(t, rep.Events, 6, "user events, scores, end and failure reasons")

	check := func(t *testing.T, when string) {
		t.Helper()
		for _, s := range victimSecrets {
			assert.Zero(t, p.mentions(t, s, false), "%s: %q is in a read table", when, s)
			assert.Zero(t, p.mentions(t, s, true), "%s: %q is in the event log", when, s)
		}
		for _, table := range []string{"users", "calls", "user_stats", "stats_calls", "stats_timezones"} {
			var n int
			col := "user_id"
			if table == "users" {
				col = "id"
			}
			require.NoError(t, p.pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s = $1`, table, col), victim).Scan(&n))
			assert.Zero(t, n, "%s: %s keeps a row of the deleted user", when, table)
		}
		var n int
		require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM personas WHERE id = $1`, own.ID).Scan(&n))
		assert.Zero(t, n, "%s: the user's own persona is gone", when)
		require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM transcripts WHERE call_id = ANY($1::uuid[])`, []string{textCall, failed}).Scan(&n))
		assert.Zero(t, n, "%s: the user's transcripts are gone", when)
		require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM scores WHERE call_id = $1`, textCall).Scan(&n))
		assert.Zero(t, n, "%s: the user's scores are gone", when)

		// The other user is untouched.
		assert.NotZero(t, p.mentions(t, "kestrel-9981", false), "%s: another user's transcript is kept", when)
		assert.NotZero(t, p.mentions(t, "kestrel-9981", true), "%s: another user's log is kept", when)
		lines := p.transcript(t, control, controlCall)
		assert.Len(t, lines, 3, when)
		score, err := p.app.Score(ctx, control, controlCall)
		require.NoError(t, err)
		require.NotNil(t, score.Deep, when)
		assert.NotEqual(t, app.Erased, score.Deep.Summary, when)
	}
	check(t, "after deletion")

	// What stays in the log: the streams, their events, versions and scores.
	var events, erasedLines int
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE stream_id = $1`, textCall).Scan(&events))
	assert.Equal(t, 10, events, "created, started, 5 lines, ended, quick and deep score: nothing is deleted")
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE stream_id = $1 AND payload->>'content' = $2`, textCall, app.Erased).Scan(&erasedLines))
	assert.Equal(t, 5, erasedLines)
	var overall int
	require.NoError(t, p.pool.QueryRow(ctx, `SELECT (payload->>'overall')::int FROM events WHERE stream_id = $1 AND event_type = 'CallDeepScored'`, textCall).Scan(&overall))
	assert.Positive(t, overall, "scores stay")

	rb, err := projections.NewRebuilder(p.store, p.db, projections.RebuildConfig{})
	require.NoError(t, err)
	_, err = rb.Rebuild(ctx, projections.All())
	require.NoError(t, err)
	check(t, "after a rebuild")

	again, err := p.app.EraseUser(ctx, victim)
	require.NoError(t, err)
	assert.Zero(t, again.TranscriptLines, "erasure is idempotent")
	assert.Zero(t, again.Events)

	_, err = p.app.EnsureUser(ctx, app.Meta{Actor: "test"}, victimID)
	assert.ErrorIs(t, err, app.ErrUserDeleted, "the deleted account cannot sign in again")
}

// deepScore records the built-in deep score of an ended call (quotes of its transcript).
func deepScore(t *testing.T, p *practice, callID string) {
	t.Helper()
	ctx := context.Background()
	c, err := p.app.CallForUser(ctx, "", callID)
	require.NoError(t, err)
	d, err := scoring.Builtin{}.DeepScore(ctx, domain.ScoreInput{CallID: callID, Mode: c.Mode(), Transcript: c.Transcript(), TranscriptVersion: c.TranscriptVersion()})
	require.NoError(t, err)
	require.NoError(t, p.app.RecordDeepScore(ctx, app.Meta{Actor: "system"}, callID, domain.CallDeepScored(d)))
	// The read model has it before the test looks.
	require.Eventually(t, func() bool {
		s, err := p.app.Score(ctx, c.UserID(), callID)
		return err == nil && s.Deep != nil
	}, 10*time.Second, 20*time.Millisecond)
}

// mentions counts rows that contain s: in the event log (log) or in any
// other table of the database.
func (p *practice) mentions(t *testing.T, s string, log bool) int {
	t.Helper()
	ctx := context.Background()
	if log {
		var n int
		require.NoError(t, p.pool.QueryRow(ctx, `SELECT count(*) FROM events e WHERE strpos(e::text, $1) > 0`, s).Scan(&n))
		return n
	}
	rows, err := p.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'events'`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, tables, "transcripts")
	total := 0
	for _, table := range tables {
		var n int
		require.NoError(t, p.pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %q x WHERE strpos(x::text, $1) > 0`, table), s).Scan(&n))
		total += n
	}
	return total
}
