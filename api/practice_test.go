package api_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// failingGenerator is an LLM persona generator that is down.
type failingGenerator struct{ calls int }

func (f *failingGenerator) GeneratePersona(context.Context, app.PersonaRequest) (domain.PersonaProfile, error) {
	f.calls++
	return domain.PersonaProfile{}, errors.New("gemini: 503 UNAVAILABLE")
}

func generateBody(kv ...string) map[string]any {
	b := map[string]any{"industry": "Logistics", "role": "VP of Operations", "personality": "skeptical", "difficulty": "medium"}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "<nil>" {
			delete(b, kv[i])
		} else {
			b[kv[i]] = kv[i+1]
		}
	}
	return b
}

func TestPersonaGenerate(t *testing.T) {
	t.Parallel()
	gen := &failingGenerator{}
	e := newEnv(t, func(o *envOptions) { o.personaGen = gen })
	tok, other := e.newUser(t), e.newUser(t)

	r := e.post(t, "/api/personas/generate", tok, generateBody())
	p := decode[api.Persona](t, r, http.StatusCreated)
	assert.Equal(t, "/api/personas/"+p.ID, r.header.Get("Location"))
	assert.False(t, p.IsPreset)
	assert.Equal(t, "Logistics", p.Industry)
	assert.Equal(t, "VP of Operations", p.Role)
	assert.Equal(t, "skeptical", p.Personality)
	assert.Equal(t, "medium", p.Difficulty)
	assert.Contains(t, personas.DefaultVoiceIDs(), p.VoiceID)
	assert.NotEmpty(t, p.HiddenPains)
	assert.NotEmpty(t, p.SystemPrompt)
	assert.Len(t, p.FirstMessages, 3)
	assert.Equal(t, 1, gen.calls, "the configured generator was asked, and the built-in one answered when it failed")

	mine := decode[api.PersonaList](t, e.get(t, "/api/personas", tok), http.StatusOK)
	assert.True(t, listed(mine, p.ID), "listed for its owner")
	theirs := decode[api.PersonaList](t, e.get(t, "/api/personas", other), http.StatusOK)
	assert.False(t, listed(theirs, p.ID), "not for anyone else")
	assertError(t, e.get(t, "/api/personas/"+p.ID, other), http.StatusNotFound, api.CodeNotFound, "")
	decode[api.Call](t, e.post(t, "/api/calls", tok, map[string]any{"mode": "discovery", "personaId": p.ID}), http.StatusCreated)

	t.Run("retried with an idempotency key", func(t *testing.T) {
		req := request{method: http.MethodPost, path: "/api/personas/generate", token: tok, body: generateBody(),
			header: map[string]string{api.HeaderIdempotencyKey: "gen-42"}}
		a := decode[api.Persona](t, e.send(t, req), http.StatusCreated)
		b := decode[api.Persona](t, e.send(t, req), http.StatusCreated)
		assert.Equal(t, a, b)
	})

	before := e.countEvents(t)
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "missing industry", body: generateBody("industry", "<nil>"), field: "industry"},
		{name: "missing role", body: generateBody("role", "<nil>"), field: "role"},
		{name: "missing personality", body: generateBody("personality", "<nil>"), field: "personality"},
		{name: "missing difficulty", body: generateBody("difficulty", "<nil>"), field: "difficulty"},
		{name: "blank industry", body: generateBody("industry", "   "), field: "industry"},
		{name: "industry too long", body: generateBody("industry", strings.Repeat("x", 101)), field: "industry"},
		{name: "control characters", body: generateBody("role", "CFO\x00"), field: "role"},
		{name: "unknown personality", body: generateBody("personality", "grumpy"), field: "personality"},
		{name: "unknown difficulty", body: generateBody("difficulty", "extreme"), field: "difficulty"},
		{name: "unknown field", body: generateBody("company", "Acme"), field: "company"},
		{name: "not an object", body: `["Logistics"]`, field: "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.post(t, "/api/personas/generate", tok, tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid requests store nothing")
}

func listed(l api.PersonaList, id string) bool {
	for _, p := range l.Personas {
		if p.ID == id {
			return true
		}
	}
	return false
}

// ramble is a pitch long enough to cost the prospect's patience every time.
var ramble = "Let me tell you about our platform, it is the leading solution in the market and " +
	strings.Repeat("it has many features that customers love and it saves money and time for every team that uses it ", 4)

func TestTurns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	c := e.createCall(t, tok)
	path := "/api/calls/" + c.ID + "/turns"

	first := decode[api.Turn](t, e.post(t, path, tok, map[string]any{"content": "Hi Dana, this is Sam from Sparrow. Do you have a minute?"}), http.StatusOK)
	require.NotNil(t, first.OpeningLine)
	assert.Equal(t, "Who is this?", first.OpeningLine.Content, "the persona's cold call opening")
	assert.Equal(t, "assistant", first.OpeningLine.Role)
	assert.Equal(t, "user", first.UserLine.Role)
	assert.Equal(t, "assistant", first.ProspectLine.Role)
	assert.NotEmpty(t, first.ProspectLine.Content)
	assert.Greater(t, first.ProspectLine.TimestampMs, first.UserLine.TimestampMs)
	assert.Nil(t, first.EndReason)
	assert.Nil(t, first.QuickScore)
	got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, "in_progress", got.Status, "the first turn starts a pending call")
	assert.Equal(t, first.Version, got.Version)

	t.Run("refusals", func(t *testing.T) {
		decode[api.Profile](t, e.get(t, "/api/user/profile", other), http.StatusOK) // provisioned before counting
		before := e.countEvents(t)
		assertError(t, e.post(t, path, tok, map[string]any{}), http.StatusBadRequest, api.CodeValidation, "content")
		assertError(t, e.post(t, path, tok, map[string]any{"content": " "}), http.StatusBadRequest, api.CodeValidation, "content")
		assertError(t, e.post(t, path, tok, map[string]any{"content": 42}), http.StatusBadRequest, api.CodeValidation, "content")
		assertError(t, e.post(t, "/api/calls/nope/turns", tok, map[string]any{"content": "Hi"}), http.StatusBadRequest, api.CodeValidation, "id")
		r := e.post(t, path, other, map[string]any{"content": "Hi"})
		assertError(t, r, http.StatusNotFound, api.CodeNotFound, "")
		assert.Equal(t, "Call not found", r.apiError(t).Error.Message)
		assert.Equal(t, before, e.countEvents(t))
	})

	var last api.Turn
	for i := 0; i < 40 && !last.Ended; i++ {
		last = decode[api.Turn](t, e.post(t, path, tok, map[string]any{"content": ramble}), http.StatusOK)
		assert.Nil(t, last.OpeningLine)
	}
	require.True(t, last.Ended, "a rambling rep is hung up on")
	require.NotNil(t, last.EndReason)
	assert.Equal(t, "prospect_hung_up", *last.EndReason)
	assert.False(t, last.MeetingBooked)
	require.NotNil(t, last.QuickScore, "the call is scored as by /end")
	got = decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, "completed", got.Status)
	assert.Equal(t, "Fixed test score over "+strconv.Itoa(got.TranscriptVersion)+" lines.", last.QuickScore.Summary)
	score := decode[api.Score](t, e.get(t, "/api/calls/"+c.ID+"/score", tok), http.StatusOK)
	require.NotNil(t, score.Quick)
	assert.Equal(t, last.QuickScore.Overall, score.Quick.Overall)

	assertError(t, e.post(t, path, tok, map[string]any{"content": "Hello?"}), http.StatusConflict, api.CodeConflict, "")
}
