package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
)

func TestCallCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	theirs := e.ownPersona(t, other, "Theirs")
	decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	before := e.countEvents(t)

	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "missing mode", body: map[string]any{"personaId": presetID}, field: "mode"},
		{name: "unknown mode", body: map[string]any{"mode": "karaoke", "personaId": presetID}, field: "mode"},
		{name: "mode of wrong type", body: map[string]any{"mode": 3, "personaId": presetID}, field: "mode"},
		{name: "missing persona", body: map[string]any{"mode": "cold_call"}, field: "personaId"},
		{name: "persona not a UUID", body: map[string]any{"mode": "cold_call", "personaId": "dana"}, field: "personaId"},
		{name: "unknown persona", body: map[string]any{"mode": "cold_call", "personaId": uuid.NewString()}, field: "personaId"},
		{name: "another user's persona", body: map[string]any{"mode": "cold_call", "personaId": theirs}, field: "personaId"},
		{name: "unknown field", body: map[string]any{"mode": "cold_call", "personaId": presetID, "userId": uuid.NewString()}, field: "userId"},
		{name: "malformed JSON", body: `{"mode": "cold_call",`, field: "body"},
		{name: "wrong content type", body: nil, field: "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request{method: http.MethodPost, path: "/api/calls", token: tok, body: tt.body}
			if tt.name == "wrong content type" {
				r.body = `{"mode": "cold_call", "personaId": "` + presetID + `"}`
				r.header = map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
			}
			assertError(t, e.send(t, r), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid creates store nothing")

	r := e.post(t, "/api/calls", tok, map[string]any{"mode": "discovery", "personaId": presetID})
	c := decode[api.Call](t, r, http.StatusCreated)
	assert.Equal(t, "/api/calls/"+c.ID, r.header.Get("Location"))
	assert.Equal(t, "discovery", c.Mode)
	assert.Equal(t, "pending", c.Status)
	require.NotNil(t, c.PersonaID)
	assert.Equal(t, presetID, *c.PersonaID)
	assert.False(t, c.Imported)
	assert.Nil(t, c.StartedAt)
	assert.Equal(t, 1, c.Version)

	t.Run("idempotency key makes a retry create nothing new", func(t *testing.T) {
		req := request{method: http.MethodPost, path: "/api/calls", token: tok, body: map[string]any{"mode": "cold_call", "personaId": presetID},
			header: map[string]string{api.HeaderIdempotencyKey: "create-" + uuid.NewString()}}
		first := decode[api.Call](t, e.send(t, req), http.StatusCreated)
		n := e.countEvents(t)
		second := decode[api.Call](t, e.send(t, req), http.StatusCreated)
		assert.Equal(t, first.ID, second.ID)
		assert.Equal(t, n, e.countEvents(t))
	})
	t.Run("bad idempotency key", func(t *testing.T) {
		req := request{method: http.MethodPost, path: "/api/calls", token: tok, body: map[string]any{"mode": "cold_call", "personaId": presetID},
			header: map[string]string{api.HeaderIdempotencyKey: "has spaces in it"}}
		assertError(t, e.send(t, req), http.StatusBadRequest, api.CodeValidation, api.HeaderIdempotencyKey)
	})
}

func TestCallGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	c := e.createCall(t, tok)

	got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, c, got)

	r := e.get(t, "/api/calls/"+c.ID, other)
	assertError(t, r, http.StatusNotFound, api.CodeNotFound, "")
	assert.Equal(t, "Call not found", r.apiError(t).Error.Message)
	unknown := e.get(t, "/api/calls/"+uuid.NewString(), tok)
	assertError(t, unknown, http.StatusNotFound, api.CodeNotFound, "")
	assert.Equal(t, r.apiError(t).Error.Message, unknown.apiError(t).Error.Message, "no existence leak")
	assertError(t, e.get(t, "/api/calls/123", tok), http.StatusBadRequest, api.CodeValidation, "id")
}

func TestCallList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	var ids []string
	for i := range 5 {
		mode := "cold_call"
		if i%2 == 1 {
			mode = "discovery"
		}
		c := decode[api.Call](t, e.post(t, "/api/calls", tok, map[string]any{"mode": mode, "personaId": presetID}), http.StatusCreated)
		ids = append([]string{c.ID}, ids...) // newest first
	}
	started := e.startedCall(t, tok)
	ids = append([]string{started.ID}, ids...)
	e.createCall(t, other)

	all := decode[api.CallList](t, e.get(t, "/api/calls", tok), http.StatusOK)
	require.Len(t, all.Calls, 6, "only the user's own calls")
	assert.Nil(t, all.NextCursor)
	for i, c := range all.Calls {
		assert.Equal(t, ids[i], c.ID, "newest first")
	}

	t.Run("pages with a cursor", func(t *testing.T) {
		var seen []string
		cursor := ""
		for page := 0; ; page++ {
			require.Less(t, page, 10)
			path := "/api/calls?limit=4"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			l := decode[api.CallList](t, e.get(t, path, tok), http.StatusOK)
			for _, c := range l.Calls {
				seen = append(seen, c.ID)
			}
			if l.NextCursor == nil {
				break
			}
			cursor = *l.NextCursor
		}
		assert.Equal(t, ids, seen, "every call once, in order")
	})
	t.Run("filters", func(t *testing.T) {
		d := decode[api.CallList](t, e.get(t, "/api/calls?mode=discovery", tok), http.StatusOK)
		assert.Len(t, d.Calls, 2)
		for _, c := range d.Calls {
			assert.Equal(t, "discovery", c.Mode)
		}
		p := decode[api.CallList](t, e.get(t, "/api/calls?status=in_progress", tok), http.StatusOK)
		require.Len(t, p.Calls, 1)
		assert.Equal(t, started.ID, p.Calls[0].ID)
		n := decode[api.CallList](t, e.get(t, "/api/calls?status=completed&mode=cold_call", tok), http.StatusOK)
		assert.Empty(t, n.Calls)
	})
	t.Run("validation", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"mode=karaoke", "mode"}, {"status=done", "status"}, {"limit=0", "limit"}, {"limit=101", "limit"},
			{"limit=-1", "limit"}, {"limit=ten", "limit"}, {"cursor=not-a-cursor", "cursor"},
			{"cursor=" + strings.Repeat("A", 300), "cursor"},
		} {
			assertError(t, e.get(t, "/api/calls?"+tt.query, tok), http.StatusBadRequest, api.CodeValidation, tt.field)
		}
	})
}

func TestCallUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	c := e.createCall(t, tok)
	path := "/api/calls/" + c.ID
	before := e.countEvents(t)

	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "nothing to update", body: map[string]any{}, field: "body"},
		{name: "completed is not set by PATCH", body: map[string]any{"status": "completed"}, field: "status"},
		{name: "unknown status", body: map[string]any{"status": "paused"}, field: "status"},
		{name: "bad startedAt", body: map[string]any{"status": "in_progress", "startedAt": "yesterday"}, field: "startedAt"},
		{name: "startedAt without status", body: map[string]any{"startedAt": "2025-01-01T00:00:00Z"}, field: "status"},
		{name: "reason with in_progress", body: map[string]any{"status": "in_progress", "reason": "x"}, field: "reason"},
		{name: "conversation id with spaces", body: map[string]any{"elevenlabsConversationId": "conv 1"}, field: "elevenlabsConversationId"},
		{name: "empty conversation id", body: map[string]any{"elevenlabsConversationId": ""}, field: "elevenlabsConversationId"},
		{name: "reason too long", body: map[string]any{"status": "failed", "reason": strings.Repeat("r", 501)}, field: "reason"},
		{name: "unknown field", body: map[string]any{"status": "in_progress", "mode": "discovery"}, field: "mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.patch(t, path, tok, tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid updates store nothing")

	t.Run("another user's call is not found", func(t *testing.T) {
		assertError(t, e.patch(t, path, other, map[string]any{"status": "in_progress"}), http.StatusNotFound, api.CodeNotFound, "")
		assert.Equal(t, "pending", decode[api.Call](t, e.get(t, path, tok), http.StatusOK).Status)
	})

	// The client's own start time, a little before the server's clock (within domain.ClockSkew).
	startedAt := time.Now().UTC().Add(-30 * time.Second).Truncate(time.Second)
	s := decode[api.Call](t, e.patch(t, path, tok, map[string]any{"status": "in_progress", "startedAt": startedAt.Format(time.RFC3339)}), http.StatusOK)
	assert.Equal(t, "in_progress", s.Status)
	require.NotNil(t, s.StartedAt)
	assert.True(t, startedAt.Equal(*s.StartedAt))

	t.Run("starting twice is an illegal transition", func(t *testing.T) {
		assertError(t, e.patch(t, path, tok, map[string]any{"status": "in_progress"}), http.StatusConflict, api.CodeConflict, "")
	})
	l := decode[api.Call](t, e.patch(t, path, tok, map[string]any{"elevenlabsConversationId": "conv_123"}), http.StatusOK)
	require.NotNil(t, l.ElevenlabsConversationID)
	assert.Equal(t, "conv_123", *l.ElevenlabsConversationID)
	t.Run("linking another conversation is a conflict", func(t *testing.T) {
		assertError(t, e.patch(t, path, tok, map[string]any{"elevenlabsConversationId": "conv_456"}), http.StatusConflict, api.CodeConflict, "")
	})

	f := decode[api.Call](t, e.patch(t, path, tok, map[string]any{"status": "failed", "reason": "microphone denied"}), http.StatusOK)
	assert.Equal(t, "failed", f.Status)
	t.Run("a failed call cannot start", func(t *testing.T) {
		assertError(t, e.patch(t, path, tok, map[string]any{"status": "in_progress"}), http.StatusConflict, api.CodeConflict, "")
	})
}

func TestCallEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)

	t.Run("a pending call cannot end", func(t *testing.T) {
		c := e.createCall(t, tok)
		assertError(t, e.post(t, "/api/calls/"+c.ID+"/end", tok, nil), http.StatusConflict, api.CodeConflict, "")
	})

	c := e.startedCall(t, tok)
	path := "/api/calls/" + c.ID + "/end"
	for _, tt := range []struct {
		name  string
		body  any
		field string
	}{
		{name: "reason too long", body: map[string]any{"reason": strings.Repeat("r", 501)}, field: "reason"},
		{name: "reason of wrong type", body: map[string]any{"reason": true}, field: "reason"},
		{name: "unknown field", body: map[string]any{"score": 100}, field: "score"},
		{name: "empty conversation id", body: map[string]any{"elevenlabsConversationId": ""}, field: "elevenlabsConversationId"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.post(t, path, tok, tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	t.Run("another user's call is not found", func(t *testing.T) {
		assertError(t, e.post(t, path, other, nil), http.StatusNotFound, api.CodeNotFound, "")
		assert.Equal(t, "in_progress", decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK).Status)
	})

	ended := decode[api.CallEnded](t, e.post(t, path, tok, map[string]any{"elevenlabsConversationId": "conv_end", "reason": "prospect hung up"}), http.StatusOK)
	assert.True(t, ended.Success)
	assert.Equal(t, c.ID, ended.CallID)
	assert.Equal(t, 72, ended.QuickScore.Overall)
	assert.Equal(t, "Fixed test score over 0 lines.", ended.QuickScore.Summary)

	got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, "completed", got.Status)
	require.NotNil(t, got.EndReason)
	assert.Equal(t, "prospect hung up", *got.EndReason)
	require.NotNil(t, got.ElevenlabsConversationID)
	assert.Equal(t, "conv_end", *got.ElevenlabsConversationID)
	require.NotNil(t, got.DurationSeconds)

	again := decode[api.CallEnded](t, e.post(t, path, tok, nil), http.StatusOK)
	assert.Equal(t, ended, again, "ending again answers the same quick score")
}

// Every route answers 404 for a call id that is not the user's, and the
// same for one that does not exist.
func TestCallRoutesHideOtherUsersCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner, intruder := e.newUser(t), e.newUser(t)
	c := e.endedCall(t, owner)
	missing := uuid.NewString()
	for _, id := range []string{c.ID, missing} {
		for _, r := range []request{
			{method: http.MethodGet, path: "/api/calls/" + id},
			{method: http.MethodPatch, path: "/api/calls/" + id, body: map[string]any{"elevenlabsConversationId": "conv_x"}},
			{method: http.MethodPost, path: "/api/calls/" + id + "/end"},
			{method: http.MethodPost, path: "/api/calls/" + id + "/transcript", body: map[string]any{"role": "user", "content": "hi", "timestampMs": 1}},
			{method: http.MethodGet, path: "/api/calls/" + id + "/transcript"},
			{method: http.MethodGet, path: "/api/calls/" + id + "/score"},
			{method: http.MethodGet, path: "/api/calls/" + id + "/events"},
			{method: http.MethodGet, path: "/api/calls/" + id + "/stream"},
		} {
			t.Run(fmt.Sprintf("%s %s", r.method, strings.Replace(r.path, id, "{id}", 1)), func(t *testing.T) {
				r.token = intruder
				resp := e.send(t, r)
				assertError(t, resp, http.StatusNotFound, api.CodeNotFound, "")
				assert.Equal(t, "Call not found", resp.apiError(t).Error.Message)
			})
		}
	}
	l := decode[api.CallList](t, e.get(t, "/api/calls", intruder), http.StatusOK)
	assert.Empty(t, l.Calls)
	// Nothing the intruder did reached the call.
	assert.Equal(t, c, decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, owner), http.StatusOK))
}
