package app

import (
	"context"
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
)

// VoiceProvider is the voice agent service (ElevenLabs): a signed URL a
// browser starts a conversation with, and a finished conversation. An
// implementation retries as the service deserves (the one wired by
// cmd/sparrow follows spec §14's ElevenLabs schedule); an error it returns
// is final.
type VoiceProvider interface {
	// SignedURL returns a URL that starts a conversation with the agent.
	SignedURL(ctx context.Context, agentID string) (string, error)
	// Conversation returns a conversation and its transcript.
	Conversation(ctx context.Context, conversationID string) (VoiceConversation, error)
}

// DynamicVariableCallID is the dynamic variable that carries the call id to
// the voice agent; the post-call webhook reads it back (VoiceConversation.CallHint).
const DynamicVariableCallID = "sparrow_call_id"

// VoiceStart is a voice session and, when a VoiceProvider is configured,
// the signed URL that starts it.
type VoiceStart struct {
	VoiceSession
	// SignedURL starts the conversation; "" when voice is not configured.
	SignedURL string
}

// VoiceConfigured reports whether a VoiceProvider is configured.
func (a *App) VoiceConfigured() bool { return a.cfg.Voice != nil }

// StartVoice returns the voice configuration of the user's call (see
// VoiceSession) and a signed URL for agentID from the VoiceProvider. Without
// a provider SignedURL is "". A provider failure is ErrExternalService.
func (a *App) StartVoice(ctx context.Context, userID, callID string, mode domain.Mode, personaID, agentID string) (_ VoiceStart, err error) {
	defer door(&err)
	v, err := a.VoiceSession(ctx, userID, callID, mode, personaID)
	if err != nil {
		return VoiceStart{}, err
	}
	out := VoiceStart{VoiceSession: v}
	if a.cfg.Voice == nil {
		return out, nil
	}
	if out.SignedURL, err = a.cfg.Voice.SignedURL(ctx, agentID); err != nil {
		return VoiceStart{}, fmt.Errorf("%w: voice signed url: %w", ErrExternalService, err)
	}
	return out, nil
}

// RecordVoiceTranscript records the transcript of the voice conversation a
// client names when ending the user's call, if the call has no transcript
// yet and is pending or in progress (the post-call webhook may not have
// arrived, or may not be configured). Without a VoiceProvider it does
// nothing. A failure to fetch the conversation is logged, not returned: the
// call ends anyway, and the webhook, when it comes, adds the transcript and
// the deep score follows it. It reports how many lines it recorded.
func (a *App) RecordVoiceTranscript(ctx context.Context, m Meta, userID, callID, conversationID string) (_ int, err error) {
	defer door(&err)
	if a.cfg.Voice == nil {
		return 0, nil
	}
	call, err := a.GetCall(ctx, userID, callID)
	if err != nil {
		return 0, err
	}
	if call.TranscriptVersion > 0 || (call.Status != domain.CallPending && call.Status != domain.CallInProgress) {
		return 0, nil
	}
	log := a.cfg.Logger.With("request_id", m.RequestID, "user_id", userID, "call_id", callID, "conversation_id", conversationID)
	conv, err := a.cfg.Voice.Conversation(ctx, conversationID)
	if err != nil {
		log.Warn("cannot fetch the voice conversation; ending the call without its transcript", "err", err)
		return 0, nil
	}
	if m.IdempotencyKey != "" {
		m.IdempotencyKey += "/voice-transcript"
	}
	res, err := a.IngestConversation(ctx, m, userID, callID, conv, false)
	if err != nil {
		return 0, err
	}
	if res.Dropped > 0 {
		log.Warn("the voice conversation is longer than a call can hold; recorded the lines that fit", "lines", res.Added, "lines_dropped", res.Dropped)
	} else {
		log.Info("recorded the voice conversation's transcript", "lines", res.Added)
	}
	return res.Added, nil
}
