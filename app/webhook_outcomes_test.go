package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// voiceHooks is a voice webhook verifier whose deliveries are the keys of
// the map: a body it does not know has a bad signature.
type voiceHooks map[string]app.VoiceWebhookEvent

func (h voiceHooks) VerifyVoiceWebhook(d app.WebhookDelivery) (app.VoiceWebhookEvent, error) {
	ev, ok := h[string(d.Body)]
	if !ok {
		return app.VoiceWebhookEvent{}, fmt.Errorf("%w: test", app.ErrWebhookSignature)
	}
	return ev, nil
}

// identityHooks is the same for identity webhooks; the message id is the body.
type identityHooks map[string]app.IdentityEvent

func (h identityHooks) VerifyIdentityWebhook(d app.WebhookDelivery) (app.IdentityEvent, error) {
	ev, ok := h[string(d.Body)]
	if !ok {
		return app.IdentityEvent{}, fmt.Errorf("%w: test", app.ErrWebhookSignature)
	}
	ev.MessageID = string(d.Body)
	return ev, nil
}

func delivery(body string) app.WebhookDelivery {
	return app.WebhookDelivery{Body: []byte(body), RequestID: "req_test"}
}

func TestWebhooksAreOffWithoutVerifiers(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	assert.False(t, p.app.VoiceWebhookEnabled())
	assert.False(t, p.app.IdentityWebhookEnabled())
	_, err := p.app.HandleVoiceWebhook(context.Background(), delivery("x"))
	assert.ErrorIs(t, err, app.ErrWebhookOff)
	_, err = p.app.HandleIdentityWebhook(context.Background(), delivery("x"))
	assert.ErrorIs(t, err, app.ErrWebhookOff)
}

func TestHandleVoiceWebhook(t *testing.T) {
	t.Parallel()
	hooks := voiceHooks{}
	p := newPractice(t, func(c *app.Config) { c.VoiceWebhooks = hooks })
	ctx := context.Background()
	user := p.user(t, "user_voicehook")
	started := p.call(t, user, 0, domain.ModeColdCall)
	require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, started, p.clock.Now(), ""))
	pending := p.call(t, user, 0, domain.ModeColdCall)
	require.NoError(t, p.app.LinkConversation(ctx, app.Meta{Actor: user}, user, pending, "conv_fail"))
	conv := func(id, hint string, lines ...string) *app.VoiceConversation {
		c := &app.VoiceConversation{ID: id, CallHint: hint, StartedAt: time.Now().Add(-time.Minute), EndReason: "Client disconnected"}
		for i, l := range lines {
			c.Entries = append(c.Entries, domain.TranscriptEntry{Role: domain.RoleUser, Content: l, TimestampMs: int64(i) * 1000})
		}
		return c
	}
	hooks["transcript"] = app.VoiceWebhookEvent{Type: "post_call_transcription", Conversation: conv("conv_a", started, "Hi", "Do you have a minute?")}
	hooks["unknown call"] = app.VoiceWebhookEvent{Type: "post_call_transcription", Conversation: conv("conv_nobody", "", "Hi")}
	hooks["failure"] = app.VoiceWebhookEvent{Type: "call_initiation_failure", InitiationFailure: &app.VoiceInitiationFailure{ConversationID: "conv_fail", Reason: "busy"}}
	hooks["late transcript"] = app.VoiceWebhookEvent{Type: "post_call_transcription", Conversation: conv("conv_fail", pending, "Hello?")}
	hooks["audio"] = app.VoiceWebhookEvent{Type: "post_call_audio"}

	steps := []struct {
		name, body string
		result     string
		callID     string
	}{
		{name: "a transcript fills, ends and scores its call", body: "transcript", result: app.WebhookApplied, callID: started},
		{name: "its redelivery changes nothing", body: "transcript", result: app.WebhookIgnored, callID: started},
		{name: "a conversation of no call is acknowledged", body: "unknown call", result: app.WebhookUnknownCall},
		{name: "an initiation failure fails its call", body: "failure", result: app.WebhookApplied, callID: pending},
		{name: "a failed call stays failed", body: "failure", result: app.WebhookIgnored, callID: pending},
		{name: "a failed call takes no transcript", body: "late transcript", result: app.WebhookIgnored, callID: pending},
		{name: "other types are acknowledged", body: "audio", result: app.WebhookIgnored},
	}
	for _, s := range steps { // in order: each step builds on the last
		out, err := p.app.HandleVoiceWebhook(ctx, delivery(s.body))
		require.NoError(t, err, s.name)
		assert.Equal(t, s.result, out.Result, s.name)
		assert.Equal(t, s.callID, out.CallID, s.name)
		assert.Equal(t, hooks[s.body].Type, out.Type, s.name)
	}
	c, err := p.app.GetCall(ctx, user, started)
	require.NoError(t, err)
	assert.Equal(t, domain.CallCompleted, c.Status)
	assert.Equal(t, 2, c.TranscriptVersion)
	f, err := p.app.GetCall(ctx, user, pending)
	require.NoError(t, err)
	assert.Equal(t, domain.CallFailedStatus, f.Status)

	_, err = p.app.HandleVoiceWebhook(ctx, delivery("forged"))
	assert.ErrorIs(t, err, app.ErrWebhookSignature)
}

func TestHandleIdentityWebhook(t *testing.T) {
	t.Parallel()
	hooks := identityHooks{}
	p := newPractice(t, func(c *app.Config) { c.IdentityWebhooks = hooks })
	ctx := context.Background()
	upsert := func(email, name string) app.IdentityEvent {
		return app.IdentityEvent{Type: "user.updated", Kind: app.IdentityUpserted,
			Identity: app.Identity{Subject: "user_hook", Email: email, FullName: name}}
	}
	hooks["msg_created"] = upsert("", "Dana Hook")
	hooks["msg_updated"] = upsert("dana@example.com", "Dana Hook")
	hooks["msg_invalid"] = upsert("not an address", "Dana Hook")
	hooks["msg_deleted"] = app.IdentityEvent{Type: "user.deleted", Kind: app.IdentityDeleted, Identity: app.Identity{Subject: "user_hook"}}
	hooks["msg_after"] = upsert("again@example.com", "Dana Again")
	hooks["msg_session"] = app.IdentityEvent{Type: "session.created"}
	uid := app.UserIDFor("user_hook")

	steps := []struct {
		name, msg string
		result    string
		erased    string
	}{
		{name: "a user without email is registered", msg: "msg_created", result: app.WebhookApplied},
		{name: "an update applies", msg: "msg_updated", result: app.WebhookApplied},
		{name: "a redelivered create does not undo the update", msg: "msg_created", result: app.WebhookDuplicate},
		{name: "data the domain refuses is acknowledged", msg: "msg_invalid", result: app.WebhookIgnored},
		{name: "a deletion erases the user", msg: "msg_deleted", result: app.WebhookApplied, erased: uid},
		{name: "a redelivered deletion runs again", msg: "msg_deleted", result: app.WebhookApplied, erased: uid},
		{name: "an update of a deleted account is acknowledged", msg: "msg_after", result: app.WebhookIgnored},
		{name: "other types are acknowledged", msg: "msg_session", result: app.WebhookIgnored},
	}
	for _, s := range steps {
		out, err := p.app.HandleIdentityWebhook(ctx, delivery(s.msg))
		require.NoError(t, err, s.name)
		assert.Equal(t, s.result, out.Result, s.name)
		assert.Equal(t, s.erased, out.ErasedUserID, s.name)
		if s.msg == "msg_updated" {
			u, err := p.app.Profile(ctx, uid)
			require.NoError(t, err)
			assert.Equal(t, "dana@example.com", u.Email)
		}
	}
	assert.Equal(t, "user_hook@users.clerk.invalid", app.PlaceholderEmail("user_hook"))
}
