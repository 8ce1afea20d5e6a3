package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
)

func TestTranscriptAdd(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.MaxBodyBytes = 64 << 10 })
	tok, other := e.newUser(t), e.newUser(t)

	t.Run("a pending call takes no transcript", func(t *testing.T) {
		c := e.createCall(t, tok)
		assertError(t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok, map[string]any{"role": "user", "content": "hi", "timestampMs": 0}),
			http.StatusConflict, api.CodeConflict, "")
	})

	c := e.startedCall(t, tok)
	path := "/api/calls/" + c.ID + "/transcript"
	before := e.countEvents(t)
	line := func(kv ...any) map[string]any {
		m := map[string]any{"role": "user", "content": "Hello there", "timestampMs": 100}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "unknown role", body: line("role", "prospect"), field: "role"},
		{name: "missing role", body: line("role", nil), field: "role"},
		{name: "missing content", body: line("content", nil), field: "content"},
		{name: "missing timestamp", body: line("timestampMs", nil), field: "timestampMs"},
		{name: "empty content", body: line("content", ""), field: "content"},
		{name: "blank content", body: line("content", " \n\t "), field: "content"},
		{name: "content too long", body: line("content", strings.Repeat("é", 10_001)), field: "content"},
		{name: "negative timestamp", body: line("timestampMs", -1), field: "timestampMs"},
		{name: "fractional timestamp", body: line("timestampMs", 1.5), field: "timestampMs"},
		{name: "timestamp as string", body: line("timestampMs", "100"), field: "timestampMs"},
		{name: "timestamp beyond int64", body: `{"role":"user","content":"x","timestampMs":99999999999999999999}`, field: "timestampMs"},
		{name: "invalid UTF-8", body: []byte("{\"role\":\"user\",\"content\":\"bad \xc3\x28 bytes\",\"timestampMs\":1}"), field: "body"},
		{name: "unknown field", body: line("speaker", "me"), field: "speaker"},
		{name: "line and entries", body: map[string]any{"role": "user", "entries": []any{line()}}, field: "entries"},
		{name: "empty batch", body: map[string]any{"entries": []any{}}, field: "entries"},
		{name: "no lines", body: map[string]any{}, field: "entries"},
		{name: "bad line in a batch", body: map[string]any{"entries": []any{line(), line("timestampMs", -5)}}, field: "entries[1].timestampMs"},
		{name: "wrong type in a batch", body: map[string]any{"entries": []any{line("timestampMs", "soon")}}, field: "entries.timestampMs"},
		{name: "missing field in a batch", body: map[string]any{"entries": []any{line("content", nil)}}, field: "entries[0].content"},
		{name: "batch too large", body: map[string]any{"entries": func() []any {
			out := make([]any, 501)
			for i := range out {
				out[i] = line("content", "x")
			}
			return out
		}()}, field: "entries"},
		{name: "body over the limit", body: map[string]any{"entries": func() []any {
			out := make([]any, 10)
			for i := range out {
				out[i] = line("content", strings.Repeat("y", 9_000))
			}
			return out
		}()}, field: "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.post(t, path, tok, tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid transcripts store nothing")

	t.Run("another user's call is not found", func(t *testing.T) {
		assertError(t, e.post(t, path, other, line()), http.StatusNotFound, api.CodeNotFound, "")
	})

	one := decode[api.TranscriptAdded](t, e.post(t, path, tok, line("timestampMs", 2000, "content", "Second, by time")), http.StatusCreated)
	assert.Equal(t, 1, one.Added)
	assert.Equal(t, 3, one.Version, "created, started, one line")
	batch := decode[api.TranscriptAdded](t, e.post(t, path, tok, map[string]any{"entries": []any{
		line("timestampMs", 0, "content", "First, by time"),
		line("role", "assistant", "timestampMs", 3000, "content", "Third, by time — with ünïcode"),
	}}), http.StatusCreated)
	assert.Equal(t, 2, batch.Added)
	assert.Equal(t, 5, batch.Version)

	tr := decode[api.Transcript](t, e.get(t, path, tok), http.StatusOK)
	require.Len(t, tr.Entries, 3)
	assert.Equal(t, []string{"First, by time", "Second, by time", "Third, by time — with ünïcode"},
		[]string{tr.Entries[0].Content, tr.Entries[1].Content, tr.Entries[2].Content}, "ordered by timestamp")
	assert.Equal(t, "assistant", tr.Entries[2].Role)
	assert.Equal(t, int64(3000), tr.Entries[2].TimestampMs)
	assert.Equal(t, c.ID, tr.Entries[0].CallID)

	t.Run("lines are accepted after the end (late transcript)", func(t *testing.T) {
		decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, nil), http.StatusOK)
		decode[api.TranscriptAdded](t, e.post(t, path, tok, line("timestampMs", 4000)), http.StatusCreated)
	})
}

func TestTranscriptGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, other := e.newUser(t), e.newUser(t)
	c := e.startedCall(t, tok)
	path := "/api/calls/" + c.ID + "/transcript"

	empty := decode[api.Transcript](t, e.get(t, path, tok), http.StatusOK)
	assert.Equal(t, c.ID, empty.CallID)
	assert.Empty(t, empty.Entries)
	assert.NotNil(t, empty.Entries, "an empty list, not null")

	decode[api.TranscriptAdded](t, e.post(t, path, tok, map[string]any{"role": "user", "content": "Hi", "timestampMs": 5}), http.StatusCreated)
	tr := decode[api.Transcript](t, e.get(t, path, tok), http.StatusOK)
	require.Len(t, tr.Entries, 1)
	assert.NotEmpty(t, tr.Entries[0].ID)

	assertError(t, e.get(t, path, other), http.StatusNotFound, api.CodeNotFound, "")
	assertError(t, e.get(t, "/api/calls/nope/transcript", tok), http.StatusBadRequest, api.CodeValidation, "id")
}

// 50 transcript posts to one call at once all succeed, and every line is recorded once.
func TestTranscriptConcurrentPostsToOneCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := e.post(t, "/api/calls/"+c.ID+"/transcript", tok, map[string]any{"role": "user", "content": fmt.Sprintf("line %d", i), "timestampMs": i})
			statuses[i] = r.status
		})
	}
	wg.Wait()
	for i, s := range statuses {
		assert.Equal(t, http.StatusCreated, s, "post %d", i)
	}
	tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK)
	require.Len(t, tr.Entries, n)
	for i, l := range tr.Entries {
		assert.Equal(t, fmt.Sprintf("line %d", i), l.Content)
	}
	got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
	assert.Equal(t, n, got.TranscriptVersion)
	assert.Equal(t, n+2, got.Version)
}

// A retried POST with the same Idempotency-Key answers the first result and records nothing new.
func TestTranscriptIdempotentRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	req := request{method: http.MethodPost, path: "/api/calls/" + c.ID + "/transcript", token: tok,
		body: map[string]any{"role": "user", "content": "once", "timestampMs": 1}, header: map[string]string{api.HeaderIdempotencyKey: "line-1"}}
	first := decode[api.TranscriptAdded](t, e.send(t, req), http.StatusCreated)
	n := e.countEvents(t)
	again := decode[api.TranscriptAdded](t, e.send(t, req), http.StatusCreated)
	assert.Equal(t, first, again)
	assert.Equal(t, n, e.countEvents(t))

	next := decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok, map[string]any{"role": "user", "content": "twice", "timestampMs": 2}), http.StatusCreated)
	assert.Equal(t, first.Version+1, next.Version)
	tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK)
	assert.Len(t, tr.Entries, 2)
	ended := decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, nil), http.StatusOK)
	assert.Equal(t, "Fixed test score over 2 lines.", ended.QuickScore.Summary, "the scorer saw each line once")
}
