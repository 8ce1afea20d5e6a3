package app_test

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/transcriptfile"
)

func testFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../domain/transcriptfile/testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestImportedCallsAreCompletedScoredAndCountedButNotForStreaks(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "importer")

	res, err := p.app.ImportCall(ctx, app.Meta{Actor: "test"}, user, app.ImportRequest{
		Data: testFile(t, "discovery.vtt"), RepSpeaker: "Sam Rivera", Mode: domain.ModeDiscovery})
	require.NoError(t, err)
	assert.Equal(t, transcriptfile.FormatVTT, res.Format)
	assert.Equal(t, 6, res.Lines)
	assert.Equal(t, []string{"Sam Rivera", "Dana Cole"}, res.Speakers)
	assert.Equal(t, 6, res.QuickScore.Overall, "the counting test scorer saw all six lines")

	call, err := p.app.GetCall(ctx, user, res.CallID)
	require.NoError(t, err)
	assert.True(t, call.Imported)
	assert.Empty(t, call.PersonaID)
	assert.Equal(t, domain.CallCompleted, call.Status)
	require.NotNil(t, call.DurationSeconds)
	assert.Equal(t, 25, *call.DurationSeconds, "to the last line's start (24.5 s), rounded")
	lines, err := p.app.Transcript(ctx, user, res.CallID)
	require.NoError(t, err)
	require.Len(t, lines, 6)
	assert.Equal(t, domain.RoleUser, lines[0].Role)

	srt, err := p.app.ImportCall(ctx, app.Meta{Actor: "test"}, user, app.ImportRequest{
		Data: testFile(t, "cold_call.srt"), RepSpeaker: "rep", Mode: domain.ModeColdCall, PersonaID: p.presets[0].ID})
	require.NoError(t, err)
	c2, err := p.app.GetCall(ctx, user, srt.CallID)
	require.NoError(t, err)
	assert.Equal(t, p.presets[0].ID, c2.PersonaID)

	prog, err := p.app.Progress(ctx, user)
	require.NoError(t, err)
	assert.Equal(t, 2, prog.TotalCalls, "imported calls count in totals")
	assert.Equal(t, 0, prog.CurrentStreak, "but not for streaks")
	assert.Equal(t, 0, prog.LongestStreak)
}

func TestImportRefusesBadFilesByLineAndRetriesAreIdempotent(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "importer2")

	_, err := p.app.ImportCall(ctx, app.Meta{}, user, app.ImportRequest{
		Data: []byte("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nRep: hi\n"), RepSpeaker: "Rep", Mode: domain.ModeColdCall})
	var fe *domain.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "file", fe.Field)
	assert.ErrorIs(t, err, domain.ErrInvalid)
	assert.Contains(t, err.Error(), "line 3")

	_, err = p.app.ImportCall(ctx, app.Meta{}, user, app.ImportRequest{Data: testFile(t, "cold_call.srt"), RepSpeaker: "Sam", Mode: domain.ModeColdCall})
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "repSpeaker", fe.Field)

	_, err = p.app.ImportCall(ctx, app.Meta{}, user, app.ImportRequest{Data: testFile(t, "cold_call.srt"), Mode: domain.ModeColdCall})
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "repSpeaker", fe.Field, "a file with named speakers needs the rep named")

	_, err = p.app.ImportCall(ctx, app.Meta{}, user, app.ImportRequest{Data: testFile(t, "cold_call.srt"), RepSpeaker: "Rep",
		Mode: domain.ModeColdCall, PersonaID: "0193a1f0-7c1e-7d2a-9b3c-4d5e6f708192"})
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "personaId", fe.Field)

	m := app.Meta{Actor: "test", IdempotencyKey: "import-1"}
	req := app.ImportRequest{Data: testFile(t, "cold_call.srt"), RepSpeaker: "Rep", Mode: domain.ModeColdCall}
	first, err := p.app.ImportCall(ctx, m, user, req)
	require.NoError(t, err)
	again, err := p.app.ImportCall(ctx, m, user, req)
	require.NoError(t, err)
	assert.Equal(t, first.CallID, again.CallID)
	assert.Equal(t, first.QuickScore, again.QuickScore)
	calls, _, err := p.app.ListCalls(ctx, user, app.CallFilter{})
	require.NoError(t, err)
	assert.Len(t, calls, 1, "the retry recorded nothing new")
}
