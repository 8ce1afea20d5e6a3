package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
)

// Live hints are off unless the call asks for them; then each /turns reply and the stream carry the same ones.
func TestLiveHints(t *testing.T) {
	t.Parallel()
	e := streamEnv(t)
	tok := e.newUser(t)
	monologue := "Hi Dana, this is Sam from Sparrow. " + strings.Repeat("Our platform plans routes, balances shifts and keeps drivers happy, and it does all of that automatically every single morning. ", 7)

	plain := e.createCall(t, tok)
	assert.False(t, plain.Hints)
	off := decode[api.Turn](t, e.post(t, "/api/calls/"+plain.ID+"/turns", tok, map[string]any{"content": monologue}), http.StatusOK)
	assert.Empty(t, off.Hints, "hints are off by default")

	r := e.post(t, "/api/calls", tok, map[string]any{"mode": "cold_call", "personaId": presetID, "hints": true})
	c := decode[api.Call](t, r, http.StatusCreated)
	require.True(t, c.Hints)
	stream := e.openStream(t, c.ID, tok, "")
	on := decode[api.Turn](t, e.post(t, "/api/calls/"+c.ID+"/turns", tok, map[string]any{"content": monologue}), http.StatusOK)
	require.NotEmpty(t, on.Hints)
	var kinds []string
	for _, h := range on.Hints {
		kinds = append(kinds, h.Kind)
		assert.NotEmpty(t, h.Text)
	}
	assert.Contains(t, kinds, "monologue", "a 140-word opening runs past 50 s")
	assert.Equal(t, 1, on.Hints[0].Line, "about the rep's line, after the prospect's opening line")

	var streamed []api.Hint
	for _, ev := range stream.drain(1500 * time.Millisecond) {
		checkFrame(t, ev)
		if ev.event == api.SSEHint {
			var h api.Hint
			require.NoError(t, json.Unmarshal([]byte(ev.data), &h))
			streamed = append(streamed, h)
		}
	}
	assert.Equal(t, on.Hints, streamed, "the stream carries the reply's hints")
}
