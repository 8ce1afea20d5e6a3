package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Voice is the app.VoiceProvider of ElevenLabs: a Client whose requests are
// retried by a resilience.Runner (spec §14: resilience.ElevenLabsPolicy()).
type Voice struct {
	client *Client
	retry  resilience.Runner
}

var _ app.VoiceProvider = (*Voice)(nil)

// NewVoice returns the voice provider on client, retrying with retry
// (resilience.Runner{Policy: resilience.ElevenLabsPolicy()} in production;
// a zero Runner does not retry).
func NewVoice(client *Client, retry resilience.Runner) (*Voice, error) {
	if client == nil {
		return nil, errors.New("elevenlabs: voice: client is nil")
	}
	return &Voice{client: client, retry: retry}, nil
}

// SignedURL is Client.SignedURL, retried.
func (v *Voice) SignedURL(ctx context.Context, agentID string) (string, error) {
	return resilience.Call(ctx, v.retry, func(ctx context.Context) (string, error) {
		return v.client.SignedURL(ctx, agentID)
	})
}

// Conversation is Client.Conversation, retried, in the app's terms.
func (v *Voice) Conversation(ctx context.Context, id string) (app.VoiceConversation, error) {
	c, err := resilience.Call(ctx, v.retry, func(ctx context.Context) (Conversation, error) {
		return v.client.Conversation(ctx, id)
	})
	if err != nil {
		return app.VoiceConversation{}, err
	}
	return c.VoiceConversation(), nil
}

// maxCallDurationSecs bounds call_duration_secs taken as a duration (a
// day; a larger value is treated as unknown).
const maxCallDurationSecs = 24 * 60 * 60

// VoiceConversation is the conversation in the app's terms; CallHint is the
// app.DynamicVariableCallID the start configuration passed to the agent.
func (c Conversation) VoiceConversation() app.VoiceConversation {
	v := app.VoiceConversation{ID: c.ConversationID, CallHint: c.DynamicVariable(app.DynamicVariableCallID),
		Entries: c.Entries(), EndReason: c.Metadata.TerminationReason}
	if c.Metadata.StartTimeUnixSecs > 0 {
		v.StartedAt = time.Unix(c.Metadata.StartTimeUnixSecs, 0).UTC()
	}
	if secs := c.Metadata.CallDurationSecs; secs > 0 && secs <= maxCallDurationSecs {
		v.Duration = time.Duration(secs) * time.Second
	}
	return v
}

// WebhookVerifier is the app.VoiceWebhookVerifier of ElevenLabs' post-call
// webhooks (VerifyWebhook, then ParseWebhook).
type WebhookVerifier struct {
	secret    string
	tolerance time.Duration
	now       func() time.Time
}

var _ app.VoiceWebhookVerifier = (*WebhookVerifier)(nil)

// NewWebhookVerifier returns the verifier of webhooks signed with secret,
// within tolerance of now (0 means DefaultWebhookTolerance).
func NewWebhookVerifier(secret string, tolerance time.Duration) (*WebhookVerifier, error) {
	if secret == "" {
		return nil, errors.New("elevenlabs webhook: empty secret")
	}
	if tolerance < 0 {
		return nil, errors.New("elevenlabs webhook: tolerance must not be negative")
	}
	if tolerance == 0 {
		tolerance = DefaultWebhookTolerance
	}
	return &WebhookVerifier{secret: secret, tolerance: tolerance, now: time.Now}, nil
}

// VerifyVoiceWebhook verifies the delivery's ElevenLabs-Signature and parses
// its body. Signature failures wrap app.ErrWebhookSignature (and this
// package's sentinel), a malformed body app.ErrMalformedWebhook.
func (w *WebhookVerifier) VerifyVoiceWebhook(d app.WebhookDelivery) (app.VoiceWebhookEvent, error) {
	if err := VerifyWebhook(w.secret, d.Header.Get(SignatureHeader), d.Body, w.now(), w.tolerance); err != nil {
		return app.VoiceWebhookEvent{}, fmt.Errorf("%w: %w", app.ErrWebhookSignature, err)
	}
	ev, err := ParseWebhook(d.Body)
	if err != nil {
		return app.VoiceWebhookEvent{}, fmt.Errorf("%w: %w", app.ErrMalformedWebhook, err)
	}
	out := app.VoiceWebhookEvent{Type: ev.Type}
	switch {
	case ev.Transcription != nil:
		c := ev.Transcription.VoiceConversation()
		out.Conversation = &c
	case ev.InitiationFailure != nil:
		out.InitiationFailure = &app.VoiceInitiationFailure{ConversationID: ev.InitiationFailure.ConversationID,
			Reason: ev.InitiationFailure.FailureReason}
	}
	return out, nil
}
