package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
)

// ownPersona records a persona generated for the token's user.
func (e *env) ownPersona(t *testing.T, token, name string) string {
	t.Helper()
	p := decode[api.Profile](t, e.get(t, "/api/user/profile", token), http.StatusOK)
	id := uuid.NewString()
	require.NoError(t, e.app.CreatePersona(context.Background(), app.Meta{Actor: p.ID}, id, p.ID, testPersona(name)))
	return id
}

func TestPersonaList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	mine := e.ownPersona(t, tok, "Mine")
	theirs := e.ownPersona(t, other, "Theirs")

	l := decode[api.PersonaList](t, e.get(t, "/api/personas", tok), http.StatusOK)
	ids := map[string]api.Persona{}
	for _, p := range l.Personas {
		ids[p.ID] = p
	}
	require.Contains(t, ids, presetID)
	require.Contains(t, ids, mine)
	assert.NotContains(t, ids, theirs, "another user's persona is not listed")
	assert.True(t, ids[presetID].IsPreset)
	assert.False(t, ids[mine].IsPreset)
	assert.Equal(t, presetID, l.Personas[0].ID, "presets come first")
	assert.Equal(t, "You have ten minutes.", ids[presetID].FirstMessages["discovery"])
	assert.Equal(t, []string{"We already have a CRM"}, ids[presetID].Objections)
}

func TestPersonaGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	mine := e.ownPersona(t, tok, "Mine")

	p := decode[api.Persona](t, e.get(t, "/api/personas/"+presetID, tok), http.StatusOK)
	assert.Equal(t, "Dana Preset", p.Name)
	assert.Equal(t, "skeptical", p.Personality)
	assert.Equal(t, "medium", p.Difficulty)
	decode[api.Persona](t, e.get(t, "/api/personas/"+mine, tok), http.StatusOK)

	t.Run("another user's persona is not found", func(t *testing.T) {
		r := e.get(t, "/api/personas/"+mine, other)
		assertError(t, r, http.StatusNotFound, api.CodeNotFound, "")
		assert.Equal(t, "Persona not found", r.apiError(t).Error.Message)
	})
	t.Run("unknown persona", func(t *testing.T) {
		assertError(t, e.get(t, "/api/personas/"+uuid.NewString(), tok), http.StatusNotFound, api.CodeNotFound, "")
	})
	t.Run("invalid id", func(t *testing.T) {
		assertError(t, e.get(t, "/api/personas/not-a-uuid", tok), http.StatusBadRequest, api.CodeValidation, "id")
		assertError(t, e.get(t, "/api/personas/"+"5F0C6A52-3F4E-4D7A-9A43-0D8C3F1B2A11", tok), http.StatusBadRequest, api.CodeValidation, "id")
	})
}
