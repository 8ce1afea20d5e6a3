package api_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
)

func TestCookieWritesMustBeSameOriginJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.AllowedOrigins = []string{"https://app.example.com"} })
	tok := e.newUser(t)
	host := strings.TrimPrefix(e.http.URL, "http://")
	body := map[string]any{"mode": "cold_call", "personaId": presetID}
	cookie := api.SessionCookie + "=" + tok
	tests := []struct {
		name   string
		token  string
		header map[string]string
		body   any
		want   int
	}{
		{"cookie, same origin", "", map[string]string{"Cookie": cookie, "Origin": "http://" + host}, body, http.StatusCreated},
		{"cookie, a configured CORS origin", "", map[string]string{"Cookie": cookie, "Origin": "https://app.example.com"}, body, http.StatusCreated},
		{"cookie, no Origin, Sec-Fetch-Site same-origin", "", map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}, body, http.StatusCreated},
		{"cookie, no Origin, Sec-Fetch-Site none", "", map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "none"}, body, http.StatusCreated},
		{"cookie, another site", "", map[string]string{"Cookie": cookie, "Origin": "https://evil.example.com"}, body, http.StatusForbidden},
		{"cookie, a look-alike host", "", map[string]string{"Cookie": cookie, "Origin": "http://" + host + ".evil.io"}, body, http.StatusForbidden},
		{"cookie, Origin null", "", map[string]string{"Cookie": cookie, "Origin": "null"}, body, http.StatusForbidden},
		{"cookie, cross-site fetch metadata", "", map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "cross-site"}, body, http.StatusForbidden},
		{"cookie, no Origin and no fetch metadata", "", map[string]string{"Cookie": cookie}, body, http.StatusForbidden},
		{"cookie, same origin, a form body", "", map[string]string{"Cookie": cookie, "Origin": "http://" + host, "Content-Type": "application/x-www-form-urlencoded"}, "mode=cold_call", http.StatusBadRequest},
		{"cookie, same origin, text/plain JSON", "", map[string]string{"Cookie": cookie, "Origin": "http://" + host, "Content-Type": "text/plain"}, `{"mode":"cold_call"}`, http.StatusBadRequest},
		{"bearer from another site is unchanged", tok, map[string]string{"Origin": "https://evil.example.com"}, body, http.StatusCreated},
		{"bearer and a cookie from another site: the bearer decides", tok, map[string]string{"Cookie": cookie, "Origin": "https://evil.example.com"}, body, http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.send(t, request{method: http.MethodPost, path: "/api/calls", token: tt.token, body: tt.body, header: tt.header})
			require.Equal(t, tt.want, r.status, r.String())
			if tt.want == http.StatusForbidden {
				assert.Equal(t, api.CodeAuthorization, r.apiError(t).Error.Code)
			}
		})
	}

	t.Run("cookie reads from anywhere are unchanged", func(t *testing.T) {
		r := e.send(t, request{method: http.MethodGet, path: "/api/user/profile", header: map[string]string{"Cookie": cookie, "Origin": "https://evil.example.com"}})
		assert.Equal(t, http.StatusOK, r.status, r.String())
	})
	t.Run("a bodiless cookie write from this site needs no Content-Type", func(t *testing.T) {
		c := e.startedCall(t, tok)
		req, err := http.NewRequest(http.MethodPost, e.http.URL+"/api/calls/"+c.ID+"/end", nil)
		require.NoError(t, err)
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Origin", e.http.URL)
		resp, err := e.client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
	t.Run("webhooks are unchanged", func(t *testing.T) {
		r := e.send(t, request{method: http.MethodPost, path: "/api/webhooks/clerk", body: map[string]any{},
			header: map[string]string{"Cookie": cookie, "Origin": "https://evil.example.com"}})
		assert.NotEqual(t, http.StatusForbidden, r.status, r.String())
	})
}

func TestStreamTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner, other := e.newUser(t), e.newUser(t)
	call := e.startedCall(t, owner)
	otherCall := e.startedCall(t, owner)

	st := decode[api.StreamToken](t, e.post(t, "/api/calls/"+call.ID+"/stream-token", owner, nil), http.StatusCreated)
	require.NotEmpty(t, st.Token)
	assert.WithinDuration(t, time.Now().Add(api.StreamTokenTTL), st.ExpiresAt, 5*time.Second)

	open := func(callID, token string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, e.http.URL+"/api/calls/"+callID+"/stream?token="+url.QueryEscape(token), nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req) // no Authorization, no cookie: a cross-site EventSource
		require.NoError(t, err)
		defer resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, open(call.ID, st.Token), "the token opens its call's stream")
	assert.Equal(t, http.StatusUnauthorized, open(otherCall.ID, st.Token), "and no other call's")
	assert.Equal(t, http.StatusUnauthorized, open(call.ID, st.Token+"x"), "a tampered token is refused")
	assert.Equal(t, http.StatusUnauthorized, open(call.ID, "garbage"), "a malformed token is refused")

	r := e.send(t, request{method: http.MethodGet, path: "/api/calls/" + call.ID + "?token=" + url.QueryEscape(st.Token)})
	assert.Equal(t, http.StatusUnauthorized, r.status, "a stream token opens nothing but the stream")

	r = e.post(t, "/api/calls/"+call.ID+"/stream-token", other, nil)
	assert.Equal(t, http.StatusNotFound, r.status, "no token for another user's call")
}

func TestUIServesEveryPagePathButNotTheAPI(t *testing.T) {
	t.Parallel()
	ui := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("app:" + r.URL.Path)) })
	e := newEnv(t, func(o *envOptions) { o.ui = ui })
	for _, p := range []string{"/", "/practice", "/calls/123/debrief", "/assets/main-X.js"} {
		resp, err := http.Get(e.http.URL + p) // not the API: no OpenAPI conformance check
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, p)
		assert.Equal(t, "app:"+p, string(b), p)
	}
	for _, p := range []string{"/api", "/api/nope", "/api/calls/x/y/z"} {
		r := e.send(t, request{method: http.MethodGet, path: p})
		assert.Equal(t, http.StatusNotFound, r.status, p)
		assert.Equal(t, api.CodeNotFound, r.apiError(t).Error.Code, p)
	}
	r := e.get(t, "/api/health", "")
	assert.Equal(t, http.StatusOK, r.status, "API routes win over the UI")

	bare := newEnv(t)
	resp, err := http.Get(bare.http.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "no UI: the API's 404")
}
