package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

func TestVoiceSession(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	owner, other := p.user(t, "user_voice_owner"), p.user(t, "user_voice_other")
	call := p.call(t, owner, 2, domain.ModeObjectionGauntlet)
	persona := p.presets[2]

	v, err := p.app.VoiceSession(ctx, owner, call, domain.ModeObjectionGauntlet, persona.ID)
	require.NoError(t, err)
	assert.Equal(t, persona.Profile.SystemPrompt, v.Prompt)
	assert.Equal(t, persona.Profile.FirstMessageFor(domain.ModeObjectionGauntlet), v.FirstMessage)
	assert.NotEqual(t, persona.Profile.FirstMessage, v.FirstMessage, "the first message is the mode's")
	assert.Equal(t, persona.Profile.VoiceID, v.VoiceID)
	assert.Equal(t, call, v.CallID)

	tests := []struct {
		name    string
		user    string
		mode    domain.Mode
		persona string
		want    error
		field   string
	}{
		{name: "another user's call", user: other, mode: domain.ModeObjectionGauntlet, persona: persona.ID, want: domain.ErrNotFound},
		{name: "another mode", user: owner, mode: domain.ModeColdCall, persona: persona.ID, want: domain.ErrInvalid, field: "mode"},
		{name: "another persona", user: owner, mode: domain.ModeObjectionGauntlet, persona: p.presets[3].ID, want: domain.ErrInvalid, field: "personaId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.app.VoiceSession(ctx, tt.user, call, tt.mode, tt.persona)
			require.ErrorIs(t, err, tt.want)
			if tt.field != "" {
				var fe *domain.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.field, fe.Field)
			}
		})
	}
	require.NoError(t, p.app.FailCall(ctx, app.Meta{Actor: owner}, owner, call, "mic blocked"))
	_, err = p.app.VoiceSession(ctx, owner, call, domain.ModeObjectionGauntlet, persona.ID)
	assert.ErrorIs(t, err, domain.ErrIllegalTransition, "a failed call cannot start")
}

func line(role domain.Role, content string, ms int64) domain.TranscriptEntry {
	return domain.TranscriptEntry{Role: role, Content: content, TimestampMs: ms}
}

func TestIngestConversation(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_ingest")
	webhook := app.Meta{Actor: "webhook:elevenlabs"}
	// A minute after the calls are created (the clock stands at practiceStart).
	started := practiceStart.Add(time.Minute)
	conv := app.VoiceConversation{ID: "conv_1", StartedAt: started, EndReason: "client disconnected", Entries: []domain.TranscriptEntry{
		line(domain.RoleAssistant, "Hi, this is Maya.", 0),
		line(domain.RoleUser, "Hi Maya, Sam from Routewise.", 2000),
		line(domain.RoleAssistant, "Yes.", 5000),
		line(domain.RoleUser, "Is route planning a pain?", 7000),
		line(domain.RoleAssistant, "Yes.", 9000), // the same words again later: a line of its own
		line(domain.RoleUser, "  ", 11000),       // no text: skipped
	}}

	t.Run("a pending call is started, linked, filled and ended", func(t *testing.T) {
		call := p.call(t, user, 0, domain.ModeColdCall)
		res, err := p.app.IngestConversation(ctx, webhook, "", call, conv, true)
		require.NoError(t, err)
		assert.True(t, res.Started)
		assert.True(t, res.Linked)
		assert.Equal(t, 5, res.Added)
		assert.True(t, res.Ended)
		require.NotNil(t, res.QuickScore)
		assert.Equal(t, 5, res.QuickScore.Overall, "the quick score saw the whole transcript")
		v, err := p.app.GetCall(ctx, user, call)
		require.NoError(t, err)
		assert.Equal(t, domain.CallCompleted, v.Status)
		require.NotNil(t, v.StartedAt)
		assert.True(t, started.Equal(*v.StartedAt), "started when the conversation started")
		require.NotNil(t, v.ElevenlabsConversationID)
		assert.Equal(t, "conv_1", *v.ElevenlabsConversationID)
		require.NotNil(t, v.EndReason)
		assert.Equal(t, "client disconnected", *v.EndReason)

		again, err := p.app.IngestConversation(ctx, webhook, "", call, conv, true)
		require.NoError(t, err)
		assert.Equal(t, app.IngestResult{CallID: call}, again, "a redelivery changes nothing")
		assert.Len(t, p.transcript(t, user, call), 5)
	})

	t.Run("lines posted live are not added again", func(t *testing.T) {
		call := p.call(t, user, 0, domain.ModeColdCall)
		require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, call, started, ""))
		_, err := p.app.AddTranscript(ctx, app.Meta{Actor: user}, user, call, []domain.TranscriptEntry{
			line(domain.RoleAssistant, "Hi, this is Maya.", 310),        // the browser's clock, in ms
			line(domain.RoleUser, "Hi Maya, Sam from Routewise.", 1480), // within 2 s of 2000
			line(domain.RoleAssistant, "Yes.", 5200),
		})
		require.NoError(t, err)
		res, err := p.app.IngestConversation(ctx, webhook, "", call, conv, false)
		require.NoError(t, err)
		assert.Equal(t, 2, res.Added, "only the lines not posted live")
		assert.False(t, res.Ended, "without end the call stays open")
		lines := p.transcript(t, user, call)
		assert.Len(t, lines, 5)
		v, err := p.app.GetCall(ctx, user, call)
		require.NoError(t, err)
		assert.Equal(t, domain.CallInProgress, v.Status)
	})

	t.Run("a completed call gets the late lines", func(t *testing.T) {
		call := p.call(t, user, 0, domain.ModeColdCall)
		require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, call, started, "conv_late"))
		_, err := p.app.EndCall(ctx, app.Meta{Actor: user}, user, call, "", "")
		require.NoError(t, err)
		late := conv
		late.ID = "conv_late"
		res, err := p.app.IngestConversation(ctx, webhook, "", call, late, true)
		require.NoError(t, err)
		assert.Equal(t, 5, res.Added)
		assert.False(t, res.Ended, "it was ended already; its quick score stays")
	})

	t.Run("a conversation longer than the call can hold is recorded up to the bound", func(t *testing.T) {
		call := p.call(t, user, 0, domain.ModeColdCall)
		long := conv
		long.ID = "conv_long"
		long.Entries = nil
		for i := range domain.MaxCallBytes/domain.MaxTranscriptContent + 1 { // 210 lines of 10,000 bytes: 209 fit in 2 MiB
			long.Entries = append(long.Entries, line(domain.RoleUser, fmt.Sprintf("%04d %s", i, strings.Repeat("x", domain.MaxTranscriptContent-5)), int64(i)*1000))
		}
		res, err := p.app.IngestConversation(ctx, webhook, "", call, long, true)
		require.NoError(t, err, "not refused: the provider cannot send it any smaller")
		assert.True(t, res.Started)
		assert.Equal(t, 209, res.Added)
		assert.Equal(t, 1, res.Dropped, "the last line")
		assert.True(t, res.Ended, "the call does not stay in progress")
		v, err := p.app.GetCall(ctx, user, call)
		require.NoError(t, err)
		assert.Equal(t, domain.CallCompleted, v.Status)
		require.NotNil(t, v.EndReason)
		assert.Equal(t, app.EndReasonTranscriptLimit, *v.EndReason)
		lines := p.transcript(t, user, call)
		require.Len(t, lines, 209)
		assert.True(t, strings.HasPrefix(lines[208].Content, "0208 "), "the first lines, in order")

		again, err := p.app.IngestConversation(ctx, webhook, "", call, long, true)
		require.NoError(t, err)
		assert.Equal(t, app.IngestResult{CallID: call, Dropped: 1}, again, "a redelivery changes nothing")
	})

	t.Run("user scope", func(t *testing.T) {
		call := p.call(t, user, 0, domain.ModeColdCall)
		_, err := p.app.IngestConversation(ctx, webhook, p.user(t, "user_ingest_other"), call, conv, false)
		assert.ErrorIs(t, err, domain.ErrNotFound)
	})

	t.Run("refusals", func(t *testing.T) {
		linked := p.call(t, user, 0, domain.ModeColdCall)
		require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, linked, started, "conv_other"))
		_, err := p.app.IngestConversation(ctx, webhook, "", linked, conv, true)
		assert.ErrorIs(t, err, domain.ErrIllegalTransition, "a call linked to another conversation")

		failed := p.call(t, user, 0, domain.ModeColdCall)
		require.NoError(t, p.app.FailCall(ctx, app.Meta{Actor: user}, user, failed, "no mic"))
		_, err = p.app.IngestConversation(ctx, webhook, "", failed, conv, true)
		assert.ErrorIs(t, err, domain.ErrIllegalTransition, "a failed call")
		assert.Empty(t, p.transcript(t, user, failed))
	})
}
