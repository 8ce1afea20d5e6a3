package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

const (
	testAgentID  = "agent_sparrow_test"
	testVoiceKey = "xi-test-key"
)

// noSleep makes retries instant; sleeps records the waits asked for.
type noSleep struct{ sleeps []time.Duration }

func (n *noSleep) runner() *resilience.Runner {
	return &resilience.Runner{Policy: resilience.ElevenLabsPolicy(), Sleep: func(ctx context.Context, d time.Duration) error {
		n.sleeps = append(n.sleeps, d)
		return ctx.Err()
	}}
}

// withVoice configures the ElevenLabs fake as the voice client.
func withVoice(t testing.TB, fake *elevenlabsfake.Server, sleep *noSleep) func(*envOptions) {
	t.Helper()
	client, err := elevenlabs.New(elevenlabs.Config{APIKey: testVoiceKey, BaseURL: fake.URL, AgentID: testAgentID})
	require.NoError(t, err)
	voice, err := elevenlabs.NewVoice(client, *sleep.runner())
	require.NoError(t, err)
	return func(o *envOptions) {
		o.voice = voice
		o.cfg.Voice.AgentID = testAgentID
	}
}

func startBody(c api.Call) map[string]any {
	return map[string]any{"callId": c.ID, "mode": c.Mode, "personaId": c.PersonaID}
}

func TestVoiceStartWithoutVoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	c := e.createCall(t, tok)

	s := decode[api.VoiceStarted](t, e.post(t, "/api/calls/start", tok, startBody(c)), http.StatusOK)
	assert.True(t, s.Success)
	assert.Nil(t, s.SignedURL)
	assert.False(t, s.Voice.Configured)
	assert.Contains(t, s.Voice.Message, "not configured")
	assert.Contains(t, s.Voice.Message, "/turns", "it points to text practice")
	assert.Nil(t, s.AgentConfig.AgentID)
	assert.Equal(t, "You are Dana Preset, a skeptical VP of Sales.", s.AgentConfig.Overrides.Agent.Prompt.Prompt)
	assert.Equal(t, "Who is this?", s.AgentConfig.Overrides.Agent.FirstMessage)
	assert.Equal(t, "en", s.AgentConfig.Overrides.Agent.Language)
	assert.Equal(t, "voice-test", s.AgentConfig.Overrides.TTS.VoiceID)
	assert.Equal(t, map[string]string{api.DynamicVariableCallID: c.ID}, s.AgentConfig.DynamicVariables)

	discovery := decode[api.Call](t, e.post(t, "/api/calls", tok, map[string]any{"mode": "discovery", "personaId": presetID}), http.StatusCreated)
	s = decode[api.VoiceStarted](t, e.post(t, "/api/calls/start", tok, startBody(discovery)), http.StatusOK)
	assert.Equal(t, "You have ten minutes.", s.AgentConfig.Overrides.Agent.FirstMessage, "the mode's first message")

	got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, "pending", got.Status, "the start configuration changes nothing")
}

func TestVoiceStart(t *testing.T) {
	t.Parallel()
	fake := elevenlabsfake.New()
	t.Cleanup(fake.Close)
	fake.APIKey = testVoiceKey
	fake.AddAgent(testAgentID)
	sleep := &noSleep{}
	e := newEnv(t, withVoice(t, fake, sleep))
	tok, other := e.newUser(t), e.newUser(t)
	c := e.createCall(t, tok)

	s := decode[api.VoiceStarted](t, e.post(t, "/api/calls/start", tok, startBody(c)), http.StatusOK)
	require.NotNil(t, s.SignedURL)
	assert.True(t, strings.HasPrefix(*s.SignedURL, "wss://"), *s.SignedURL)
	assert.True(t, s.Voice.Configured)
	require.NotNil(t, s.AgentConfig.AgentID)
	assert.Equal(t, testAgentID, *s.AgentConfig.AgentID)
	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/v1/convai/conversation/get-signed-url", reqs[0].Path)
	assert.Equal(t, "agent_id="+testAgentID, reqs[0].Query)

	t.Run("retried after 429 and 500", func(t *testing.T) {
		n := fake.RequestCount()
		fake.Enqueue(elevenlabsfake.RateLimited(""), elevenlabsfake.Error(http.StatusInternalServerError, "oops", "boom"))
		s := decode[api.VoiceStarted](t, e.post(t, "/api/calls/start", tok, startBody(c)), http.StatusOK)
		require.NotNil(t, s.SignedURL)
		assert.Equal(t, n+3, fake.RequestCount())
	})
	t.Run("ElevenLabs down is 502 after the retries", func(t *testing.T) {
		n := fake.RequestCount()
		down := elevenlabsfake.Error(http.StatusServiceUnavailable, "down", "maintenance")
		fake.Enqueue(down, down, down)
		assertError(t, e.post(t, "/api/calls/start", tok, startBody(c)), http.StatusBadGateway, api.CodeExternalService, "")
		assert.Equal(t, n+3, fake.RequestCount(), "1 attempt and 2 retries (spec §14)")
	})
	t.Run("refusals", func(t *testing.T) {
		n := fake.RequestCount()
		body := func(kv ...any) map[string]any {
			b := startBody(c)
			for i := 0; i < len(kv); i += 2 {
				if kv[i+1] == nil {
					delete(b, kv[i].(string))
				} else {
					b[kv[i].(string)] = kv[i+1]
				}
			}
			return b
		}
		tests := []struct {
			name   string
			token  string
			body   any
			status int
			code   string
			field  string
		}{
			{name: "missing callId", token: tok, body: body("callId", nil), status: 400, code: api.CodeValidation, field: "callId"},
			{name: "bad callId", token: tok, body: body("callId", "x"), status: 400, code: api.CodeValidation, field: "callId"},
			{name: "missing mode", token: tok, body: body("mode", nil), status: 400, code: api.CodeValidation, field: "mode"},
			{name: "unknown mode", token: tok, body: body("mode", "demo"), status: 400, code: api.CodeValidation, field: "mode"},
			{name: "another mode", token: tok, body: body("mode", "discovery"), status: 400, code: api.CodeValidation, field: "mode"},
			{name: "missing personaId", token: tok, body: body("personaId", nil), status: 400, code: api.CodeValidation, field: "personaId"},
			{name: "another persona", token: tok, body: body("personaId", "6b1f0c1e-2f0a-4f7e-9a55-5b0f3f8f6d10"), status: 400, code: api.CodeValidation, field: "personaId"},
			{name: "another user's call", token: other, body: body(), status: 404, code: api.CodeNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				assertError(t, e.post(t, "/api/calls/start", tt.token, tt.body), tt.status, tt.code, tt.field)
			})
		}
		ended := e.endedCall(t, tok)
		assertError(t, e.post(t, "/api/calls/start", tok, startBody(ended)), http.StatusConflict, api.CodeConflict, "")
		assert.Equal(t, n, fake.RequestCount(), "no signed URL is asked for a refused start")
	})
}

func TestVoiceNeedsAnAgent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	client, err := elevenlabs.New(elevenlabs.Config{APIKey: "k", BaseURL: "http://127.0.0.1:1"})
	require.NoError(t, err)
	voice, err := elevenlabs.NewVoice(client, resilience.Runner{})
	require.NoError(t, err)
	a, err := app.New(e.store, app.Config{QuickScorer: fixedScorer{}, Voice: voice})
	require.NoError(t, err)
	_, err = api.New(api.Deps{App: a, LocalIssuer: e.issuer}, api.Config{})
	assert.ErrorContains(t, err, "AgentID")
}

func TestCallEndFetchesTheVoiceTranscript(t *testing.T) {
	t.Parallel()
	fake := elevenlabsfake.New()
	t.Cleanup(fake.Close)
	e := newEnv(t, withVoice(t, fake, &noSleep{}))
	tok := e.newUser(t)
	fake.AddConversation(elevenlabs.Conversation{ConversationID: "conv_end", AgentID: testAgentID, Status: elevenlabs.StatusDone,
		Metadata: elevenlabs.Metadata{StartTimeUnixSecs: time.Now().Add(-time.Minute).Unix(), CallDurationSecs: 50},
		Transcript: []elevenlabs.TranscriptItem{
			{Role: elevenlabs.RoleAgent, Message: elevenlabsfake.Msg("Who is this?"), TimeInCallSecs: 0},
			{Role: elevenlabs.RoleUser, Message: elevenlabsfake.Msg("Sam from Sparrow, do you have a minute?"), TimeInCallSecs: 3},
			{Role: elevenlabs.RoleAgent, Message: nil, TimeInCallSecs: 5},
			{Role: elevenlabs.RoleAgent, Message: elevenlabsfake.Msg("Make it quick."), TimeInCallSecs: 6},
		}})

	t.Run("a call without transcript gets the conversation's before scoring", func(t *testing.T) {
		c := e.startedCall(t, tok)
		end := decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, map[string]any{"elevenlabsConversationId": "conv_end"}), http.StatusOK)
		assert.Equal(t, "Fixed test score over 3 lines.", end.QuickScore.Summary)
		tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK)
		require.Len(t, tr.Entries, 3)
		assert.Equal(t, "assistant", tr.Entries[0].Role)
		assert.Equal(t, int64(3000), tr.Entries[1].TimestampMs)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		require.NotNil(t, got.ElevenlabsConversationID)
		assert.Equal(t, "conv_end", *got.ElevenlabsConversationID)
		assert.Equal(t, "completed", got.Status)
	})
	t.Run("a call with a transcript is not fetched", func(t *testing.T) {
		c := e.endedCall(t, tok)
		n := fake.RequestCount()
		decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, map[string]any{}), http.StatusOK)
		c2 := e.startedCall(t, tok)
		decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c2.ID+"/transcript", tok,
			map[string]any{"role": "user", "content": "Hello", "timestampMs": 0}), http.StatusCreated)
		end := decode[api.CallEnded](t, e.post(t, "/api/calls/"+c2.ID+"/end", tok, map[string]any{"elevenlabsConversationId": "conv_other"}), http.StatusOK)
		assert.Equal(t, "Fixed test score over 1 lines.", end.QuickScore.Summary)
		assert.Equal(t, n, fake.RequestCount())
	})
	t.Run("ElevenLabs failing does not stop the end", func(t *testing.T) {
		c := e.startedCall(t, tok)
		end := decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, map[string]any{"elevenlabsConversationId": "conv_missing"}), http.StatusOK)
		assert.Equal(t, "Fixed test score over 0 lines.", end.QuickScore.Summary)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		assert.Equal(t, "completed", got.Status)
	})
}
