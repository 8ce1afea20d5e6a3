package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// VoiceWebhookVerifier checks and parses the voice provider's webhook
// deliveries (ElevenLabs post-call webhooks).
type VoiceWebhookVerifier interface {
	// VerifyVoiceWebhook checks the delivery's signature and parses its body.
	// A refused signature is ErrWebhookSignature; a body that is not an
	// event of the documented shape ErrMalformedWebhook. A type it does not
	// know comes back with only Type set.
	VerifyVoiceWebhook(d WebhookDelivery) (VoiceWebhookEvent, error)
}

// VoiceWebhookEvent is a verified voice webhook event. At most one of
// Conversation and InitiationFailure is set.
type VoiceWebhookEvent struct {
	// Type is the provider's event type ("post_call_transcription", ...).
	Type string
	// Conversation is a finished conversation and its transcript.
	Conversation *VoiceConversation
	// InitiationFailure reports a conversation that could not start.
	InitiationFailure *VoiceInitiationFailure
}

// VoiceInitiationFailure is a voice conversation that could not start.
type VoiceInitiationFailure struct {
	ConversationID string
	// Reason is the provider's reason ("" when none).
	Reason string
}

// VoiceWebhookEnabled reports whether voice webhooks are configured.
func (a *App) VoiceWebhookEnabled() bool { return a.cfg.VoiceWebhooks != nil }

// HandleVoiceWebhook verifies and applies one voice webhook delivery,
// idempotently under redelivery (event ids derive from a hash of the body):
//
//   - a finished conversation is recorded on its call (found by the call id
//     it carries, else by its conversation id; see VoiceCallFor and
//     IngestConversation), which then ends and is quick-scored; one longer
//     than the call can hold is recorded up to the bound and the call ends
//     with EndReasonTranscriptLimit: WebhookTruncated, with a warning logged;
//   - an initiation failure fails its call, if still pending or in progress;
//   - a conversation of no known call is WebhookUnknownCall, one that cannot
//     apply to its call (failed, or linked to another conversation) and any
//     other type WebhookIgnored: acknowledged, as retrying cannot help.
//
// It returns ErrWebhookOff without a Config.VoiceWebhooks, and the
// verifier's ErrWebhookSignature or ErrMalformedWebhook.
func (a *App) HandleVoiceWebhook(ctx context.Context, d WebhookDelivery) (_ WebhookOutcome, err error) {
	defer door(&err)
	if a.cfg.VoiceWebhooks == nil {
		return WebhookOutcome{}, ErrWebhookOff
	}
	log := a.cfg.Logger.With("request_id", d.RequestID, "webhook", "elevenlabs")
	ev, err := a.cfg.VoiceWebhooks.VerifyVoiceWebhook(d)
	if err != nil {
		if errors.Is(err, ErrWebhookSignature) {
			log.Warn("elevenlabs webhook refused", "err", err)
		}
		return WebhookOutcome{}, err
	}
	sum := sha256.Sum256(d.Body)
	m := Meta{Actor: eventstore.ActorWebhookElevenLab, RequestID: d.RequestID, IdempotencyKey: "elevenlabs/" + hex.EncodeToString(sum[:20])}
	out := WebhookOutcome{Type: ev.Type, Result: WebhookIgnored}
	log = log.With("type", ev.Type)

	switch {
	case ev.Conversation != nil:
		conv := *ev.Conversation
		log = log.With("conversation_id", conv.ID)
		callID, err := a.VoiceCallFor(ctx, conv.CallHint, conv.ID)
		if errors.Is(err, domain.ErrNotFound) {
			log.Warn("post-call transcript for no known call; acknowledged and dropped", "sparrow_call_id", conv.CallHint)
			out.Result = WebhookUnknownCall
			return out, nil
		}
		if err != nil {
			return WebhookOutcome{}, err
		}
		out.CallID = callID
		res, err := a.IngestConversation(ctx, m, "", callID, conv, true)
		if errors.Is(err, domain.ErrIllegalTransition) {
			log.Warn("post-call transcript cannot apply to the call; acknowledged", "call_id", callID, "err", err)
			return out, nil
		}
		if err != nil {
			return WebhookOutcome{}, err
		}
		changed := res.Added > 0 || res.Started || res.Linked || res.Ended
		switch {
		case res.Dropped > 0:
			// Refusing it would not help: ElevenLabs would send the same
			// conversation again, and the call would stay in progress.
			log.Warn("post-call transcript longer than a call can hold; recorded the lines that fit", "call_id", callID,
				"lines_added", res.Added, "lines_dropped", res.Dropped, "ended", res.Ended, "max_lines", domain.MaxCallLines, "max_bytes", domain.MaxCallBytes)
			if changed {
				out.Result = WebhookTruncated
			}
		default:
			log.Info("post-call transcript ingested", "call_id", callID, "lines_added", res.Added, "ended", res.Ended)
			if changed {
				out.Result = WebhookApplied
			}
		}
		return out, nil

	case ev.InitiationFailure != nil:
		f := *ev.InitiationFailure
		log = log.With("conversation_id", f.ConversationID, "failure_reason", f.Reason)
		callID, err := a.VoiceCallFor(ctx, "", f.ConversationID)
		if errors.Is(err, domain.ErrNotFound) {
			log.Warn("call initiation failure for no known call; acknowledged")
			out.Result = WebhookUnknownCall
			return out, nil
		}
		if err != nil {
			return WebhookOutcome{}, err
		}
		out.CallID = callID
		reason := "voice_initiation_failed"
		if r := strings.TrimSpace(f.Reason); r != "" {
			reason += ": " + r
		}
		changed, err := a.FailVoiceCall(ctx, m, callID, reason)
		if err != nil {
			return WebhookOutcome{}, err
		}
		log.Info("call initiation failure", "call_id", callID, "marked_failed", changed)
		if changed {
			out.Result = WebhookApplied
		}
		return out, nil

	default:
		// post_call_audio (Sparrow keeps no audio) and types added later.
		log.Info("elevenlabs webhook type not handled; acknowledged")
		return out, nil
	}
}
