package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// VoiceClient is what the API needs of ElevenLabs (*elevenlabs.Client): a
// signed WebSocket URL for the browser, and a conversation's transcript.
// One call is one request; the server retries (Deps.VoiceRetry).
type VoiceClient interface {
	SignedURL(ctx context.Context, agentID string) (string, error)
	Conversation(ctx context.Context, id string) (elevenlabs.Conversation, error)
}

// DynamicVariableCallID is the dynamic variable that carries the call id to
// the voice agent; the post-call webhook reads it back.
const DynamicVariableCallID = "sparrow_call_id"

// VoiceStart is the body of POST /api/calls/start (spec §7.2).
type VoiceStart struct {
	CallID    *string `json:"callId"`
	Mode      *string `json:"mode"`
	PersonaID *string `json:"personaId"`
}

// VoiceStarted is the answer of POST /api/calls/start: the ElevenLabs
// session configuration (the React SDK's startSession options).
type VoiceStarted struct {
	Success     bool        `json:"success"`
	AgentConfig AgentConfig `json:"agentConfig"`
	// SignedURL is null when voice is not configured (see Voice).
	SignedURL *string     `json:"signedUrl"`
	Voice     VoiceStatus `json:"voice"`
}

// AgentConfig is the agent and its overrides for this call.
type AgentConfig struct {
	// AgentID is null when no agent is configured.
	AgentID          *string           `json:"agentId"`
	Overrides        AgentOverrides    `json:"overrides"`
	DynamicVariables map[string]string `json:"dynamicVariables"`
}

// AgentOverrides are the client overrides (camelCase, as the JS SDK takes them).
type AgentOverrides struct {
	Agent AgentOverride `json:"agent"`
	TTS   TTSOverride   `json:"tts"`
}

// AgentOverride overrides the agent's prompt, first message and language.
type AgentOverride struct {
	Prompt       AgentPrompt `json:"prompt"`
	FirstMessage string      `json:"firstMessage"`
	Language     string      `json:"language"`
}

// AgentPrompt is the persona's system prompt.
type AgentPrompt struct {
	Prompt string `json:"prompt"`
}

// TTSOverride is the persona's voice.
type TTSOverride struct {
	VoiceID string `json:"voiceId"`
}

// VoiceStatus says whether voice practice is available on this server.
type VoiceStatus struct {
	Configured bool   `json:"configured"`
	Message    string `json:"message"`
}

const (
	voiceReadyMessage = "Voice is ready: start the conversation with signedUrl within 15 minutes."
	voiceOffMessage   = "Voice is not configured on this server (no ElevenLabs API key and agent id), so signedUrl is null. " +
		"Text practice is available: POST /api/calls/{id}/turns with what you would say."
)

func (s *Server) handleVoiceStart(c echo.Context) error {
	var body VoiceStart
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	switch {
	case body.CallID == nil:
		return invalidField("callId", "is required")
	case !app.ValidID(*body.CallID):
		return invalidField("callId", "must be a UUID in canonical lower-case form")
	case body.Mode == nil:
		return invalidField("mode", "is required (cold_call, discovery or objection_gauntlet)")
	case body.PersonaID == nil:
		return invalidField("personaId", "is required")
	case !app.ValidID(*body.PersonaID):
		return invalidField("personaId", "must be a UUID in canonical lower-case form")
	}
	mode, err := domain.ParseMode(*body.Mode)
	if err != nil {
		return &domain.FieldError{Field: "mode", Err: err}
	}
	ctx := c.Request().Context()
	v, err := s.app.VoiceSession(ctx, userID(c), *body.CallID, mode, *body.PersonaID)
	if err != nil {
		return err
	}
	out := VoiceStarted{Success: true, AgentConfig: AgentConfig{
		Overrides: AgentOverrides{
			Agent: AgentOverride{Prompt: AgentPrompt{Prompt: v.Prompt}, FirstMessage: v.FirstMessage, Language: s.cfg.Voice.Language},
			TTS:   TTSOverride{VoiceID: v.VoiceID},
		},
		DynamicVariables: map[string]string{DynamicVariableCallID: v.CallID},
	}, Voice: VoiceStatus{Message: voiceOffMessage}}
	if agent := s.cfg.Voice.AgentID; agent != "" {
		out.AgentConfig.AgentID = &agent
	}
	if s.voice != nil {
		url, err := resilience.Call(ctx, s.voiceRetry, func(ctx context.Context) (string, error) {
			return s.voice.SignedURL(ctx, s.cfg.Voice.AgentID)
		})
		if err != nil {
			return fmt.Errorf("%w: elevenlabs signed url: %w", ErrExternalService, err)
		}
		out.SignedURL = &url
		out.Voice = VoiceStatus{Configured: true, Message: voiceReadyMessage}
	}
	return c.JSON(http.StatusOK, out)
}

// voiceConversation turns an ElevenLabs conversation into the app's terms.
func voiceConversation(c elevenlabs.Conversation) app.VoiceConversation {
	v := app.VoiceConversation{ID: c.ConversationID, Entries: c.Entries(), EndReason: c.Metadata.TerminationReason}
	if c.Metadata.StartTimeUnixSecs > 0 {
		v.StartedAt = time.Unix(c.Metadata.StartTimeUnixSecs, 0).UTC()
	}
	return v
}

// fetchVoiceTranscript records the transcript of a voice conversation the
// client names when ending a call that has no transcript yet (the post-call
// webhook may not have arrived, or may not be configured). A failure to
// fetch is logged and the call ends anyway: the webhook, when it comes,
// adds the transcript and the deep score follows it.
func (s *Server) fetchVoiceTranscript(c echo.Context, m app.Meta, callID, conversationID string) error {
	ctx := c.Request().Context()
	call, err := s.app.GetCall(ctx, userID(c), callID)
	if err != nil {
		return err
	}
	if call.TranscriptVersion > 0 || (call.Status != domain.CallPending && call.Status != domain.CallInProgress) {
		return nil
	}
	conv, err := resilience.Call(ctx, s.voiceRetry, func(ctx context.Context) (elevenlabs.Conversation, error) {
		return s.voice.Conversation(ctx, conversationID)
	})
	if err != nil {
		s.requestLogger(c).Warn("cannot fetch the voice conversation; ending the call without its transcript",
			"conversation_id", conversationID, "err", err)
		return nil
	}
	if m.IdempotencyKey != "" {
		m.IdempotencyKey += "/voice-transcript"
	}
	res, err := s.app.IngestConversation(ctx, m, userID(c), callID, voiceConversation(conv), false)
	if err != nil {
		return err
	}
	s.requestLogger(c).Info("recorded the voice conversation's transcript", "conversation_id", conversationID, "lines", res.Added)
	return nil
}
