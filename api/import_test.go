package api_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
)

func TestCallImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	vtt, err := os.ReadFile("../domain/transcriptfile/testdata/discovery.vtt")
	require.NoError(t, err)
	srt, err := os.ReadFile("../domain/transcriptfile/testdata/cold_call.srt")
	require.NoError(t, err)
	decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK) // provisions the user
	before := e.countEvents(t)

	tests := []struct {
		name  string
		body  any
		field string
		issue string
	}{
		{name: "no content", body: map[string]any{"mode": "discovery"}, field: "content"},
		{name: "no mode", body: map[string]any{"content": string(vtt), "repSpeaker": "Sam Rivera"}, field: "mode"},
		{name: "unknown format", body: map[string]any{"content": string(vtt), "format": "docx", "repSpeaker": "Sam Rivera", "mode": "discovery"}, field: "format"},
		{name: "no rep", body: map[string]any{"content": string(vtt), "mode": "discovery"}, field: "repSpeaker"},
		{name: "rep not a speaker", body: map[string]any{"content": string(vtt), "repSpeaker": "Bob", "mode": "discovery"}, field: "repSpeaker", issue: "Sam Rivera, Dana Cole"},
		{name: "bad cue names its line", body: map[string]any{"content": "WEBVTT\n\n00:00:01.000 --> nonsense\nSam: hi\n", "repSpeaker": "Sam", "mode": "discovery"}, field: "file", issue: "line 3"},
		{name: "nul in the file", body: map[string]any{"content": "Rep: hi\nProspect: \u0000\n", "repSpeaker": "Rep", "mode": "discovery"}, field: "file", issue: "NUL"},
		{name: "unknown persona", body: map[string]any{"content": string(srt), "repSpeaker": "Rep", "mode": "cold_call", "personaId": "0193a1f0-7c1e-7d2a-9b3c-4d5e6f708192"}, field: "personaId"},
		{name: "started in the future", body: map[string]any{"content": string(srt), "repSpeaker": "Rep", "mode": "cold_call", "startedAt": time.Now().Add(48 * time.Hour)}, field: "startedAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post(t, "/api/calls/import", tok, tt.body)
			assertError(t, r, http.StatusBadRequest, api.CodeValidation, tt.field)
			if tt.issue != "" {
				assert.Contains(t, string(r.body), tt.issue)
			}
		})
	}
	assert.Equal(t, before, e.countEvents(t), "refused imports store nothing")

	r := e.post(t, "/api/calls/import", tok, map[string]any{"content": string(vtt), "repSpeaker": "sam rivera", "mode": "discovery"})
	imp := decode[api.CallImported](t, r, http.StatusCreated)
	assert.Equal(t, "/api/calls/"+imp.Call.ID, r.header.Get("Location"))
	assert.Equal(t, "vtt", imp.Format)
	assert.Equal(t, 6, imp.Lines)
	assert.True(t, imp.Call.Imported)
	assert.Nil(t, imp.Call.PersonaID)
	assert.Equal(t, "completed", imp.Call.Status)
	assert.Equal(t, 72, imp.QuickScore.Overall, "the test scorer")

	r = e.post(t, "/api/calls/import", tok, map[string]any{"content": string(srt), "repSpeaker": "Rep", "mode": "cold_call", "personaId": presetID})
	imp2 := decode[api.CallImported](t, r, http.StatusCreated)
	assert.Equal(t, "srt", imp2.Format)

	list := decode[api.CallList](t, e.get(t, "/api/calls", tok), http.StatusOK)
	require.Len(t, list.Calls, 2)
	assert.Equal(t, imp2.Call.ID, list.Calls[0].ID)

	huge := strings.Repeat("Rep: hello there, how are you doing today?\n", 60_000)
	r = e.post(t, "/api/calls/import", tok, map[string]any{"content": huge, "repSpeaker": "Rep", "mode": "cold_call"})
	assertError(t, r, http.StatusBadRequest, api.CodeValidation, "")
}
