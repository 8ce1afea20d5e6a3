package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// DynamicVariableCallID is the dynamic variable that carries the call id to
// the voice agent; the post-call webhook reads it back.
const DynamicVariableCallID = app.DynamicVariableCallID

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
	v, err := s.app.StartVoice(c.Request().Context(), userID(c), *body.CallID, mode, *body.PersonaID, s.cfg.Voice.AgentID)
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
	if s.app.VoiceConfigured() {
		out.SignedURL = &v.SignedURL
		out.Voice = VoiceStatus{Configured: true, Message: voiceReadyMessage}
	}
	return c.JSON(http.StatusOK, out)
}
