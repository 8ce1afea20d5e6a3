package api_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
)

// privateRoutes lists every route that needs a token (with a syntactically
// valid id; authentication is checked before anything else).
func privateRoutes() []request {
	id := uuid.NewString()
	return []request{
		{method: http.MethodGet, path: "/api/user/profile"},
		{method: http.MethodPatch, path: "/api/user/profile", body: map[string]any{"fullName": "X"}},
		{method: http.MethodPost, path: "/api/user/onboarding", body: map[string]any{"timezone": "UTC"}},
		{method: http.MethodGet, path: "/api/user/progress"},
		{method: http.MethodGet, path: "/api/personas"},
		{method: http.MethodGet, path: "/api/personas/" + presetID},
		{method: http.MethodPost, path: "/api/personas/generate", body: map[string]any{"industry": "Logistics", "role": "COO", "personality": "busy", "difficulty": "easy"}},
		{method: http.MethodGet, path: "/api/calls"},
		{method: http.MethodPost, path: "/api/calls", body: map[string]any{"mode": "cold_call", "personaId": presetID}},
		{method: http.MethodPost, path: "/api/calls/start", body: map[string]any{"callId": id, "mode": "cold_call", "personaId": presetID}},
		{method: http.MethodGet, path: "/api/calls/" + id},
		{method: http.MethodPatch, path: "/api/calls/" + id, body: map[string]any{"status": "in_progress"}},
		{method: http.MethodPost, path: "/api/calls/" + id + "/end"},
		{method: http.MethodPost, path: "/api/calls/" + id + "/transcript", body: map[string]any{"role": "user", "content": "hi", "timestampMs": 1}},
		{method: http.MethodGet, path: "/api/calls/" + id + "/transcript"},
		{method: http.MethodPost, path: "/api/calls/" + id + "/turns", body: map[string]any{"content": "Hi"}},
		{method: http.MethodGet, path: "/api/calls/" + id + "/score"},
		{method: http.MethodGet, path: "/api/calls/" + id + "/events"},
		{method: http.MethodGet, path: "/api/calls/" + id + "/stream"},
	}
}

func forge(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return s
}

func localClaims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{"iss": auth.LocalIssuerName, "sub": auth.LocalSubject("mallory@example.com"), "sid": "s",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "email": "mallory@example.com"}
}

// badTokens are refused by every private route.
func badTokens(t testing.TB) map[string]string {
	now := time.Now()
	with := func(k string, v any) jwt.MapClaims { c := localClaims(now); c[k] = v; return c }
	pub, err := x509.MarshalPKIXPublicKey(&sharedKey(t).PublicKey)
	require.NoError(t, err)
	return map[string]string{
		"expired":                forge(t, jwt.SigningMethodRS256, sharedKey(t), with("exp", now.Add(-time.Hour).Unix())),
		"alg none":               forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, localClaims(now)),
		"HS256 with a secret":    forge(t, jwt.SigningMethodHS256, []byte("secret"), localClaims(now)),
		"HS256 with the pub key": forge(t, jwt.SigningMethodHS256, pub, localClaims(now)),
		"wrong issuer":           forge(t, jwt.SigningMethodRS256, sharedKey(t), with("iss", "https://evil.example.com")),
		"garbage":                "not-a-token",
	}
}

func TestEveryPrivateRouteRefusesMissingAndBadTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.countEvents(t)
	for _, r := range privateRoutes() {
		t.Run(r.method+" "+r.path+"/no token", func(t *testing.T) {
			assertError(t, e.send(t, r), http.StatusUnauthorized, api.CodeAuthentication, "")
		})
		for name, tok := range badTokens(t) {
			t.Run(r.method+" "+r.path+"/"+name, func(t *testing.T) {
				r := r
				r.token = tok
				assertError(t, e.send(t, r), http.StatusUnauthorized, api.CodeAuthentication, "")
			})
		}
		t.Run(r.method+" "+r.path+"/basic auth", func(t *testing.T) {
			r := r
			r.header = map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}
			assertError(t, e.send(t, r), http.StatusUnauthorized, api.CodeAuthentication, "")
		})
	}
	assert.Equal(t, before, e.countEvents(t), "refused requests store nothing and provision no one")
}

func TestSessionCookieAuthenticates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	r := e.send(t, request{method: http.MethodGet, path: "/api/user/profile", header: map[string]string{"Cookie": api.SessionCookie + "=" + tok}})
	p := decode[api.Profile](t, r, http.StatusOK)
	assert.Regexp(t, `^user_local_`, p.ClerkID)
}

func TestFirstRequestProvisionsTheUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, err := e.issuer.Mint("new.person@example.com", "New Person")
	require.NoError(t, err)
	p := decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	assert.Equal(t, "new.person@example.com", p.Email)
	require.NotNil(t, p.FullName)
	assert.Equal(t, "New Person", *p.FullName)
	assert.Equal(t, auth.LocalSubject("new.person@example.com"), p.ClerkID)
	assert.False(t, p.OnboardingCompleted)

	// The same address always names the same user.
	tok2, err := e.issuer.Mint("New.Person@Example.com", "")
	require.NoError(t, err)
	p2 := decode[api.Profile](t, e.get(t, "/api/user/profile", tok2), http.StatusOK)
	assert.Equal(t, p.ID, p2.ID)
}

// clerkEnv is an environment whose tokens come from a (fake) Clerk instance.
func clerkEnv(t *testing.T) (*env, *clerkfake.Server) {
	t.Helper()
	fake, err := clerkfake.New()
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	v, err := clerk.NewVerifier(context.Background(), clerk.VerifierConfig{Issuer: fake.Issuer(),
		AuthorizedParties: []string{"https://app.example.com"}})
	require.NoError(t, err)
	t.Cleanup(v.Close)
	return newEnv(t, func(o *envOptions) { o.verifier = clerkSessions(v) }), fake
}

// clerkSessions adapts a Clerk verifier to the API's, as cmd/sparrow wires it.
func clerkSessions(v *clerk.Verifier) auth.Verifier {
	return auth.VerifierFunc(func(ctx context.Context, token string) (auth.Identity, error) {
		c, err := v.Verify(ctx, token)
		if err != nil {
			return auth.Identity{}, fmt.Errorf("%w: %w", auth.ErrInvalidToken, err)
		}
		return auth.Identity{Issuer: c.Issuer, Subject: c.Subject, SessionID: c.SessionID, Email: c.Email, ExpiresAt: c.ExpiresAt}, nil
	})
}

func TestClerkMode(t *testing.T) {
	t.Parallel()
	e, fake := clerkEnv(t)
	assert.False(t, e.server.LocalSignIn())
	mint := func(o clerkfake.TokenOptions) string {
		tok, err := fake.Mint(o)
		require.NoError(t, err)
		return tok
	}

	t.Run("a token without an email claim provisions a placeholder address", func(t *testing.T) {
		p := decode[api.Profile](t, e.get(t, "/api/user/profile", mint(clerkfake.TokenOptions{Subject: "user_2abc"})), http.StatusOK)
		assert.Equal(t, "user_2abc", p.ClerkID)
		assert.Equal(t, "user_2abc@users.clerk.invalid", p.Email)
	})
	t.Run("a token with an email claim uses it", func(t *testing.T) {
		p := decode[api.Profile](t, e.get(t, "/api/user/profile", mint(clerkfake.TokenOptions{Subject: "user_2def", Email: "def@example.com"})), http.StatusOK)
		assert.Equal(t, "def@example.com", p.Email)
	})
	t.Run("the same subject is the same user", func(t *testing.T) {
		a := decode[api.Profile](t, e.get(t, "/api/user/profile", mint(clerkfake.TokenOptions{Subject: "user_same"})), http.StatusOK)
		b := decode[api.Profile](t, e.get(t, "/api/user/profile", mint(clerkfake.TokenOptions{Subject: "user_same", SessionID: "sess_2"})), http.StatusOK)
		assert.Equal(t, a.ID, b.ID)
	})
	t.Run("refused tokens", func(t *testing.T) {
		now := time.Now()
		claims := clerkfake.Claims(clerkfake.TokenOptions{Subject: "user_x", Issuer: fake.Issuer()})
		pemKey := []byte(fake.PublicKeyPEM())
		for name, tok := range map[string]string{
			"expired":          mint(clerkfake.TokenOptions{Subject: "user_x", IssuedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}),
			"wrong issuer":     mint(clerkfake.TokenOptions{Subject: "user_x", Issuer: "https://evil.clerk.accounts.dev"}),
			"foreign azp":      mint(clerkfake.TokenOptions{Subject: "user_x", AuthorizedParty: "https://evil.example.com"}),
			"no exp":           mint(clerkfake.TokenOptions{Subject: "user_x", OmitExpiry: true}),
			"alg none":         forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims),
			"HS256 public key": forge(t, jwt.SigningMethodHS256, pemKey, claims),
			"local token":      e.newUserWith(t, sharedKey(t)),
		} {
			t.Run(name, func(t *testing.T) {
				assertError(t, e.get(t, "/api/user/profile", tok), http.StatusUnauthorized, api.CodeAuthentication, "")
			})
		}
	})
	t.Run("local sign-in does not exist", func(t *testing.T) {
		body := map[string]any{"email": "a@example.com"}
		assertError(t, e.post(t, "/api/dev/session", "", body), http.StatusNotFound, api.CodeNotFound, "")
		assertError(t, e.post(t, "/api/dev/session", mint(clerkfake.TokenOptions{Subject: "user_2abc"}), body), http.StatusNotFound, api.CodeNotFound, "")
	})
	t.Run("a user cannot reach another user's call", func(t *testing.T) {
		a, b := mint(clerkfake.TokenOptions{Subject: "user_owner"}), mint(clerkfake.TokenOptions{Subject: "user_intruder"})
		c := e.createCall(t, a)
		assertError(t, e.get(t, "/api/calls/"+c.ID, b), http.StatusNotFound, api.CodeNotFound, "")
	})
}

// newUserWith mints a local sign-in token with key (for environments without a local issuer).
func (e *env) newUserWith(t testing.TB, key *rsa.PrivateKey) string {
	t.Helper()
	iss, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: key})
	require.NoError(t, err)
	tok, err := iss.Mint("local@example.com", "")
	require.NoError(t, err)
	return tok
}

func TestDevSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.countEvents(t)
	tests := []struct {
		name  string
		body  any
		field string
	}{
		{name: "no email", body: map[string]any{"fullName": "X"}, field: "email"},
		{name: "invalid email", body: map[string]any{"email": "not-an-address"}, field: "email"},
		{name: "email of wrong type", body: map[string]any{"email": 42}, field: "email"},
		{name: "unknown field", body: map[string]any{"email": "a@example.com", "admin": true}, field: "admin"},
		{name: "malformed JSON", body: `{"email": "a@example.com"`, field: "body"},
		{name: "name too long", body: map[string]any{"email": "a@example.com", "fullName": string(make([]rune, 201))}, field: "fullName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertError(t, e.post(t, "/api/dev/session", "", tt.body), http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "invalid sign-ins store nothing")

	s := decode[api.DevSession](t, e.post(t, "/api/dev/session", "", map[string]any{"email": "sam@example.com", "fullName": "Sam Rep"}), http.StatusOK)
	assert.NotEmpty(t, s.Token)
	assert.Equal(t, "sam@example.com", s.User.Email)
	p := decode[api.Profile](t, e.get(t, "/api/user/profile", s.Token), http.StatusOK)
	assert.Equal(t, s.User.ID, p.ID)

	// The cookie it sets signs the browser in.
	r := e.post(t, "/api/dev/session", "", map[string]any{"email": "sam@example.com"})
	require.Equal(t, http.StatusOK, r.status)
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == api.SessionCookie {
			cookie = c
		}
	}
	require.NotNil(t, cookie)
	assert.True(t, cookie.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
}
