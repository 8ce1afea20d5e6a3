package elevenlabs_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func TestWebhookVerifierSpeaksTheAppsErrors(t *testing.T) {
	t.Parallel()
	v, err := elevenlabs.NewWebhookVerifier(secret, 0)
	require.NoError(t, err)
	now := time.Now()
	conv := sampleConversation()
	conv.ClientData.DynamicVariables[app.DynamicVariableCallID] = "call_hint"
	body := elevenlabsfake.TranscriptionEvent(conv, now)
	deliver := func(sig string, body []byte) (app.VoiceWebhookEvent, error) {
		h := http.Header{}
		if sig != "" {
			h.Set(elevenlabs.SignatureHeader, sig)
		}
		return v.VerifyVoiceWebhook(app.WebhookDelivery{Header: h, Body: body})
	}

	ev, err := deliver(elevenlabs.SignWebhook(secret, body, now), body)
	require.NoError(t, err)
	assert.Equal(t, elevenlabs.EventPostCallTranscription, ev.Type)
	require.NotNil(t, ev.Conversation)
	assert.Equal(t, "conv_1", ev.Conversation.ID)
	assert.Equal(t, "call_hint", ev.Conversation.CallHint)
	assert.Len(t, ev.Conversation.Entries, 3)
	assert.Equal(t, time.Unix(1767225600, 0).UTC(), ev.Conversation.StartedAt)
	assert.Equal(t, 95*time.Second, ev.Conversation.Duration, "call_duration_secs, which ends the call (not the arrival time)")

	failure := elevenlabsfake.InitiationFailureEvent("agent_1", "conv_f", "busy", now)
	ev, err = deliver(elevenlabs.SignWebhook(secret, failure, now), failure)
	require.NoError(t, err)
	require.NotNil(t, ev.InitiationFailure)
	assert.Equal(t, app.VoiceInitiationFailure{ConversationID: "conv_f", Reason: "busy"}, *ev.InitiationFailure)

	for name, sig := range map[string]string{
		"missing": "", "malformed": "v0=abc", "stale": elevenlabs.SignWebhook(secret, body, now.Add(-time.Hour)),
		"another secret": elevenlabs.SignWebhook("wsec_other", body, now),
	} {
		_, err := deliver(sig, body)
		assert.ErrorIs(t, err, app.ErrWebhookSignature, name)
	}
	_, err = deliver(elevenlabs.SignWebhook(secret, []byte("{"), now), []byte("{"))
	assert.ErrorIs(t, err, app.ErrMalformedWebhook)
	assert.ErrorIs(t, err, elevenlabs.ErrMalformedEvent)

	_, err = elevenlabs.NewWebhookVerifier("", 0)
	assert.Error(t, err)
}

func TestVoiceRetriesBehindThePort(t *testing.T) {
	t.Parallel()
	fake := elevenlabsfake.New()
	t.Cleanup(fake.Close)
	fake.AddAgent("agent_1")
	conv := sampleConversation()
	fake.AddConversation(conv)
	client, err := elevenlabs.New(elevenlabs.Config{APIKey: "k", BaseURL: fake.URL, AgentID: "agent_1"})
	require.NoError(t, err)
	var waits int
	v, err := elevenlabs.NewVoice(client, resilience.Runner{Policy: resilience.ElevenLabsPolicy(),
		Sleep: func(ctx context.Context, _ time.Duration) error { waits++; return ctx.Err() }})
	require.NoError(t, err)

	fake.Enqueue(elevenlabsfake.Error(http.StatusServiceUnavailable, "busy", "try later"))
	url, err := v.SignedURL(context.Background(), "agent_1")
	require.NoError(t, err)
	assert.NotEmpty(t, url)
	assert.Equal(t, 1, waits, "one retry after the 503")

	got, err := v.Conversation(context.Background(), "conv_1")
	require.NoError(t, err)
	assert.Equal(t, "conv_1", got.ID)
	assert.Len(t, got.Entries, 3)
	assert.Equal(t, "client disconnected", got.EndReason)
}

// call_duration_secs becomes the conversation's duration; a value that
// cannot be one (negative, more than a day) is unknown.
func TestConversationDuration(t *testing.T) {
	t.Parallel()
	for secs, want := range map[int]time.Duration{95: 95 * time.Second, 0: 0, -3: 0, 86_400: 24 * time.Hour, 86_401: 0, 1 << 40: 0} {
		c := sampleConversation()
		c.Metadata.CallDurationSecs = secs
		assert.Equal(t, want, c.VoiceConversation().Duration, "call_duration_secs %d", secs)
	}
}
