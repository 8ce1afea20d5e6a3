package web_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/web"
)

func get(t *testing.T, h http.Handler, method, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	res := rec.Result()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

func TestHandlerServesTheAppWithCachingAndSecurityHeaders(t *testing.T) {
	t.Parallel()
	h, err := web.Handler(web.Options{LocalSignIn: true})
	require.NoError(t, err)
	dist, err := web.Dist()
	require.NoError(t, err)
	assets, err := fs.ReadDir(dist, "assets")
	require.NoError(t, err)
	require.NotEmpty(t, assets)

	for _, path := range []string{"/", "/practice", "/calls/0b7c2f3e-1111-4a4a-9a9a-000000000000/debrief", "/index.html"} {
		res, body := get(t, h, http.MethodGet, path)
		assert.Equal(t, http.StatusOK, res.StatusCode, path)
		assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"), path)
		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), path)
		csp := res.Header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "script-src 'self';", path)
		assert.Contains(t, csp, "frame-ancestors 'none'", path)
		assert.NotContains(t, csp, "unsafe-inline", path)
		assert.NotEmpty(t, res.Header.Get("Referrer-Policy"), path)
		assert.Contains(t, body, `<meta name="sparrow-config" content="{&#34;localSignIn&#34;:true,&#34;voice&#34;:false}">`, path)
		assert.NotRegexp(t, `<script>|<script [^>]*>[^<]`, body, "no inline script")
	}
	for _, a := range assets {
		res, _ := get(t, h, http.MethodGet, "/assets/"+a.Name())
		assert.Equal(t, http.StatusOK, res.StatusCode, a.Name())
		assert.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"), a.Name())
		assert.Regexp(t, `-[A-Z0-9]{8}\.(js|css)$`, a.Name(), "hashed names")
	}
	for _, path := range []string{"/assets/main-STALE000.js", "/favicon.ico", "/robots.txt"} {
		res, _ := get(t, h, http.MethodGet, path)
		assert.Equal(t, http.StatusNotFound, res.StatusCode, path)
	}
	res, body := get(t, h, http.MethodHead, "/history")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Empty(t, body)
	res, _ = get(t, h, http.MethodPost, "/")
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
}

func TestHandlerPolicyAllowsOnlyWhatIsConfigured(t *testing.T) {
	t.Parallel()
	h, err := web.Handler(web.Options{ClerkPublishableKey: "pk_test_x", ClerkFrontendAPI: "clerk.example.com",
		Voice: true, VoiceOrigins: []string{"wss://api.elevenlabs.io"}})
	require.NoError(t, err)
	res, body := get(t, h, http.MethodGet, "/")
	csp := res.Header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "script-src 'self' https://clerk.example.com blob:")
	assert.Contains(t, csp, "connect-src 'self' https://clerk.example.com wss://api.elevenlabs.io")
	assert.True(t, strings.Contains(body, "clerk.example.com") && strings.Contains(body, "&#34;voice&#34;:true"), body)

	for _, bad := range []web.Options{
		{ClerkFrontendAPI: "evil.com; script-src *"},
		{Voice: true, VoiceOrigins: []string{"javascript:alert(1)"}},
	} {
		_, err := web.Handler(bad)
		assert.Error(t, err, "%+v", bad)
	}
}
