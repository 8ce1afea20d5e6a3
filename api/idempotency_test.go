package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
)

// Idempotency keys are scoped to the user and the route, answer the first
// result to the same request and refuse another request under the same key.
func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	withKey := func(r request, key string) request {
		r.header = map[string]string{api.HeaderIdempotencyKey: key}
		return r
	}

	t.Run("same key, same body: the first answer again, byte for byte", func(t *testing.T) {
		tok := e.newUser(t)
		req := withKey(request{method: http.MethodPost, path: "/api/calls", token: tok,
			body: map[string]any{"mode": "cold_call", "personaId": presetID}}, "create-"+uuid.NewString())
		first := e.send(t, req)
		require.Equal(t, http.StatusCreated, first.status, "%s", first)
		n := e.countEvents(t)
		// The same JSON spaced differently is the same request.
		req.body = `{ "mode": "cold_call",
			"personaId": "` + presetID + `" }`
		again := e.send(t, req)
		assert.Equal(t, first.status, again.status)
		assert.Equal(t, string(first.body), string(again.body))
		assert.Equal(t, first.header.Get("Location"), again.header.Get("Location"))
		assert.Equal(t, first.header.Get("Content-Type"), again.header.Get("Content-Type"))
		assert.Equal(t, n, e.countEvents(t), "nothing new stored")
	})

	t.Run("same key, different body: 422 and nothing stored", func(t *testing.T) {
		tok := e.newUser(t)
		c := e.startedCall(t, tok)
		key := "line-" + uuid.NewString()
		path := "/api/calls/" + c.ID + "/transcript"
		first := decode[api.TranscriptAdded](t, e.send(t, withKey(request{method: http.MethodPost, path: path, token: tok,
			body: map[string]any{"role": "user", "content": "first", "timestampMs": 1}}, key)), http.StatusCreated)
		n := e.countEvents(t)
		r := e.send(t, withKey(request{method: http.MethodPost, path: path, token: tok,
			body: map[string]any{"role": "user", "content": "something else", "timestampMs": 2}}, key))
		assertError(t, r, http.StatusUnprocessableEntity, api.CodeIdempotencyKeyReused, api.HeaderIdempotencyKey)
		assert.Contains(t, r.apiError(t).Error.Message, "different request")
		assert.Equal(t, n, e.countEvents(t), "nothing stored")
		tr := decode[api.Transcript](t, e.get(t, path, tok), http.StatusOK)
		require.Len(t, tr.Entries, 1)
		assert.Equal(t, "first", tr.Entries[0].Content)
		// The original request still gets its answer.
		again := decode[api.TranscriptAdded](t, e.send(t, withKey(request{method: http.MethodPost, path: path, token: tok,
			body: map[string]any{"role": "user", "content": "first", "timestampMs": 1}}, key)), http.StatusCreated)
		assert.Equal(t, first, again)
	})

	t.Run("two users with the same key each write their own call", func(t *testing.T) {
		a, b := e.newUser(t), e.newUser(t)
		ca, cb := e.startedCall(t, a), e.startedCall(t, b)
		key := "shared-" + uuid.NewString()
		for _, u := range []struct{ tok, call string }{{a, ca.ID}, {b, cb.ID}} {
			got := decode[api.TranscriptAdded](t, e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls/" + u.call + "/transcript",
				token: u.tok, body: map[string]any{"role": "user", "content": "hello", "timestampMs": 1}}, key)), http.StatusCreated)
			assert.Positive(t, got.Version)
			tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+u.call+"/transcript", u.tok), http.StatusOK)
			assert.Len(t, tr.Entries, 1)
		}
		// And the same key and body creating a call gives each user their own call.
		body := map[string]any{"mode": "cold_call", "personaId": presetID}
		callA := decode[api.Call](t, e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls", token: a, body: body}, key)), http.StatusCreated)
		callB := decode[api.Call](t, e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls", token: b, body: body}, key)), http.StatusCreated)
		assert.NotEqual(t, callA.ID, callB.ID)
		assertError(t, e.get(t, "/api/calls/"+callA.ID, b), http.StatusNotFound, api.CodeNotFound, "")
	})

	t.Run("one key on two routes or two calls names two requests", func(t *testing.T) {
		tok := e.newUser(t)
		c1, c2 := e.startedCall(t, tok), e.startedCall(t, tok)
		key := "k-" + uuid.NewString()
		body := map[string]any{"role": "user", "content": "same words", "timestampMs": 1}
		for _, c := range []api.Call{c1, c2} {
			decode[api.TranscriptAdded](t, e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls/" + c.ID + "/transcript", token: tok, body: body}, key)), http.StatusCreated)
		}
		ended := e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls/" + c1.ID + "/end", token: tok}, key))
		require.Equal(t, http.StatusOK, ended.status, "%s", ended)
		for _, c := range []api.Call{c1, c2} {
			assert.Len(t, decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK).Entries, 1)
		}
	})

	t.Run("a failed request keeps nothing: its corrected retry runs", func(t *testing.T) {
		tok := e.newUser(t)
		key := "retry-" + uuid.NewString()
		bad := e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls", token: tok,
			body: map[string]any{"mode": "cold_call", "personaId": uuid.NewString()}}, key))
		assertError(t, bad, http.StatusBadRequest, api.CodeValidation, "personaId")
		decode[api.Call](t, e.send(t, withKey(request{method: http.MethodPost, path: "/api/calls", token: tok,
			body: map[string]any{"mode": "cold_call", "personaId": presetID}}, key)), http.StatusCreated)
	})

	t.Run("a request still running holds its key: 409", func(t *testing.T) {
		tok := e.newUser(t)
		c := e.startedCall(t, tok)
		key := "inflight-" + uuid.NewString()
		// A claim without a response, as the first request leaves it while it runs.
		var uid string
		require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT user_id::text FROM calls WHERE id = $1`, c.ID).Scan(&uid))
		path := "/api/calls/" + c.ID + "/transcript"
		body := map[string]any{"role": "user", "content": "x", "timestampMs": 1}
		_, err := e.pool.Exec(context.Background(), `INSERT INTO idempotency_requests (user_id, method, route, resource_id, key, fingerprint, claimed_at)
VALUES ($1, 'POST', '/api/calls/:id/transcript', $2, $3, '\x00', now())`, uid, c.ID, key)
		require.NoError(t, err)
		r := e.send(t, withKey(request{method: http.MethodPost, path: path, token: tok, body: body}, key))
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "another body's claim: %s", r)
		_, err = e.pool.Exec(context.Background(), `UPDATE idempotency_requests SET fingerprint = $2 WHERE key = $1`, key, fingerprintOf(t, body))
		require.NoError(t, err)
		r = e.send(t, withKey(request{method: http.MethodPost, path: path, token: tok, body: body}, key))
		assertError(t, r, http.StatusConflict, api.CodeConflict, "")
		assert.NotEmpty(t, r.header.Get("Retry-After"))
		// An abandoned claim (past its lease) is taken over by the same request.
		_, err = e.pool.Exec(context.Background(), `UPDATE idempotency_requests SET claimed_at = now() - interval '1 hour' WHERE key = $1`, key)
		require.NoError(t, err)
		decode[api.TranscriptAdded](t, e.send(t, withKey(request{method: http.MethodPost, path: path, token: tok, body: body}, key)), http.StatusCreated)
	})
}

// fingerprintOf is the fingerprint the server keeps for a JSON body as env.send sends it.
func fingerprintOf(t testing.TB, body any) []byte {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return sum[:]
}
