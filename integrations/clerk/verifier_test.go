package clerk_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return now }

func newFake(t *testing.T) *clerkfake.Server {
	t.Helper()
	f, err := clerkfake.New()
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

func newVerifier(t *testing.T, cfg clerk.VerifierConfig) *clerk.Verifier {
	t.Helper()
	v, err := clerk.NewVerifier(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(v.Close)
	return v
}

func mint(t *testing.T, f *clerkfake.Server, o clerkfake.TokenOptions) string {
	t.Helper()
	if o.IssuedAt.IsZero() {
		o.IssuedAt = now.Add(-10 * time.Second)
	}
	tok, err := f.Mint(o)
	require.NoError(t, err)
	return tok
}

func TestVerifySuccessJWKS(t *testing.T) {
	f := newFake(t)
	v := newVerifier(t, clerk.VerifierConfig{Issuer: f.Issuer(), HTTPClient: f.Client(), Now: fixedClock, AuthorizedParties: []string{"https://app.sparrow.coach"}})

	tok := mint(t, f, clerkfake.TokenOptions{Subject: "user_2abc", SessionID: "sess_9", AuthorizedParty: "https://app.sparrow.coach", Email: "sam@example.com"})
	c, err := v.Verify(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, "user_2abc", c.Subject)
	assert.Equal(t, "sess_9", c.SessionID)
	assert.Equal(t, f.Issuer(), c.Issuer)
	assert.Equal(t, "https://app.sparrow.coach", c.AuthorizedParty)
	assert.Equal(t, "sam@example.com", c.Email)
	assert.Equal(t, now.Add(50*time.Second).Unix(), c.ExpiresAt.Unix())
	assert.Equal(t, now.Add(-10*time.Second).Unix(), c.IssuedAt.Unix())

	_, err = v.Verify(context.Background(), mint(t, f, clerkfake.TokenOptions{}))
	require.NoError(t, err)
	assert.Equal(t, 1, f.JWKSFetches(), "keys are cached")
}

func TestVerifySuccessPEMIsNetworkless(t *testing.T) {
	f := newFake(t)
	v := newVerifier(t, clerk.VerifierConfig{Issuer: f.Issuer(), PEMPublicKey: f.PublicKeyPEM(), Now: fixedClock})
	c, err := v.Verify(context.Background(), mint(t, f, clerkfake.TokenOptions{Subject: "user_pem"}))
	require.NoError(t, err)
	assert.Equal(t, "user_pem", c.Subject)
	assert.Zero(t, f.JWKSFetches())
}

func TestVerifyRejects(t *testing.T) {
	f := newFake(t)
	foreign, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	pemKey := f.PublicKeyPEM()
	good := mint(t, f, clerkfake.TokenOptions{})
	parts := strings.Split(good, ".")

	hs256WithPublicKey := func() string {
		// The key-confusion attack: HMAC "signed" with the RSA public key.
		tk := jwt.NewWithClaims(jwt.SigningMethodHS256, clerkfake.Claims(clerkfake.TokenOptions{Issuer: f.Issuer(), IssuedAt: now}))
		tk.Header["kid"] = f.KeyID()
		s, err := tk.SignedString([]byte(pemKey))
		require.NoError(t, err)
		return s
	}()
	algNone := func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodNone, clerkfake.Claims(clerkfake.TokenOptions{Issuer: f.Issuer(), IssuedAt: now}))
		s, err := tk.SignedString(jwt.UnsafeAllowNoneSignatureType)
		require.NoError(t, err)
		return s
	}()
	rs512 := func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodRS512, clerkfake.Claims(clerkfake.TokenOptions{Issuer: f.Issuer(), IssuedAt: now}))
		tk.Header["kid"] = f.KeyID()
		s, err := tk.SignedString(foreign)
		require.NoError(t, err)
		return s
	}()
	foreignClaims := clerkfake.Claims(clerkfake.TokenOptions{Issuer: f.Issuer(), IssuedAt: now})
	foreignKnownKid, err := clerkfake.SignRS256(foreign, f.KeyID(), foreignClaims)
	require.NoError(t, err)
	foreignUnknownKid, err := clerkfake.SignRS256(foreign, "kid_attacker", foreignClaims)
	require.NoError(t, err)
	tamperedClaims := clerkfake.Claims(clerkfake.TokenOptions{Issuer: f.Issuer(), IssuedAt: now.Add(-10 * time.Second), Subject: "user_admin"})
	tamperedPayload := base64.RawURLEncoding.EncodeToString(mustJSON(t, tamperedClaims))

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"empty", "  ", clerk.ErrMissingToken},
		{"garbage", "not-a-jwt", clerk.ErrMalformedToken},
		{"bad base64", "a.b.c", clerk.ErrMalformedToken},
		{"alg none", algNone, clerk.ErrUnsupportedAlgorithm},
		{"HS256 with the public key", hs256WithPublicKey, clerk.ErrUnsupportedAlgorithm},
		{"RS512", rs512, clerk.ErrUnsupportedAlgorithm},
		{"foreign key, known kid", foreignKnownKid, clerk.ErrBadSignature},
		{"tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2], clerk.ErrBadSignature},
		{"foreign key, unknown kid", foreignUnknownKid, clerk.ErrUnknownKey},
		{"expired", mint(t, f, clerkfake.TokenOptions{IssuedAt: now.Add(-2 * time.Minute), ExpiresAt: now.Add(-6 * time.Second)}), clerk.ErrExpired},
		{"not yet valid", mint(t, f, clerkfake.TokenOptions{IssuedAt: now.Add(-time.Second), NotBefore: now.Add(6 * time.Second)}), clerk.ErrNotYetValid},
		{"issued in the future", mint(t, f, clerkfake.TokenOptions{IssuedAt: now.Add(time.Minute), NotBefore: now.Add(-time.Minute)}), clerk.ErrNotYetValid},
		{"wrong issuer", mint(t, f, clerkfake.TokenOptions{Issuer: "https://evil.clerk.accounts.dev"}), clerk.ErrWrongIssuer},
		{"no exp", mint(t, f, clerkfake.TokenOptions{OmitExpiry: true}), clerk.ErrMissingClaim},
		{"valid for 100 years", mint(t, f, clerkfake.TokenOptions{IssuedAt: now.Add(-time.Second), TTL: 100 * 365 * 24 * time.Hour}), clerk.ErrLifetimeTooLong},
		{"lifetime just over the maximum", mint(t, f, clerkfake.TokenOptions{IssuedAt: now.Add(-time.Second), TTL: 24*time.Hour + time.Second}), clerk.ErrLifetimeTooLong},
		{"no sub", mint(t, f, clerkfake.TokenOptions{OmitSubject: true}), clerk.ErrMissingClaim},
		{"azp not allowed", mint(t, f, clerkfake.TokenOptions{AuthorizedParty: "https://evil.example"}), clerk.ErrUnauthorizedParty},
	}
	modes := map[string]clerk.VerifierConfig{
		"jwks": {Issuer: f.Issuer(), HTTPClient: f.Client(), Now: fixedClock, AuthorizedParties: []string{"https://app.sparrow.coach"}},
		"pem":  {Issuer: f.Issuer(), PEMPublicKey: pemKey, Now: fixedClock, AuthorizedParties: []string{"https://app.sparrow.coach"}},
	}
	for mode, cfg := range modes {
		v := newVerifier(t, cfg)
		for _, tt := range tests {
			t.Run(mode+"/"+tt.name, func(t *testing.T) {
				if mode == "pem" && tt.want == clerk.ErrUnknownKey {
					// A PEM key ignores kid: a foreign signature is just a bad one.
					tt.want = clerk.ErrBadSignature
				}
				_, err := v.Verify(context.Background(), tt.token)
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.want)
				if tt.want != clerk.ErrMissingToken {
					assert.ErrorIs(t, err, clerk.ErrInvalidToken)
				}
			})
		}
	}
}

func TestVerifyAcceptsWithinLeewayAndAbsentAZP(t *testing.T) {
	f := newFake(t)
	v := newVerifier(t, clerk.VerifierConfig{Issuer: f.Issuer() + "/", HTTPClient: f.Client(), Now: fixedClock, AuthorizedParties: []string{"https://app.sparrow.coach"}})
	for name, o := range map[string]clerkfake.TokenOptions{
		"expired 3s ago (leeway 5s)": {IssuedAt: now.Add(-time.Minute), ExpiresAt: now.Add(-3 * time.Second)},
		"nbf 3s ahead":               {IssuedAt: now.Add(-time.Second), NotBefore: now.Add(3 * time.Second)},
		"no azp":                     {},
		"allowed azp":                {AuthorizedParty: "https://app.sparrow.coach"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), mint(t, f, o))
			assert.NoError(t, err)
		})
	}
}

func TestVerifyRefreshesOnRotationRateLimited(t *testing.T) {
	f := newFake(t)
	v := newVerifier(t, clerk.VerifierConfig{Issuer: f.Issuer(), HTTPClient: f.Client(), Now: fixedClock, UnknownKIDRefreshInterval: time.Hour})
	_, err := v.Verify(context.Background(), mint(t, f, clerkfake.TokenOptions{}))
	require.NoError(t, err)
	require.Equal(t, 1, f.JWKSFetches())

	require.NoError(t, f.Rotate(false))
	_, err = v.Verify(context.Background(), mint(t, f, clerkfake.TokenOptions{}))
	require.NoError(t, err, "an unknown kid refreshes the JWKS")
	assert.Equal(t, 2, f.JWKSFetches())

	// Another unknown kid within the interval: refused at once, no fetch.
	require.NoError(t, f.Rotate(false))
	start := time.Now()
	_, err = v.Verify(context.Background(), mint(t, f, clerkfake.TokenOptions{}))
	assert.ErrorIs(t, err, clerk.ErrUnknownKey)
	assert.Less(t, time.Since(start), time.Second, "a rate-limited refresh does not block the request")
	assert.Equal(t, 2, f.JWKSFetches())
}

func TestVerifyRecoversWhenJWKSComesBack(t *testing.T) {
	f := newFake(t)
	f.SetJWKSStatus(http.StatusServiceUnavailable)
	v := newVerifier(t, clerk.VerifierConfig{Issuer: f.Issuer(), HTTPClient: f.Client(), Now: fixedClock, UnknownKIDRefreshInterval: 20 * time.Millisecond})
	tok := mint(t, f, clerkfake.TokenOptions{})
	_, err := v.Verify(context.Background(), tok)
	assert.ErrorIs(t, err, clerk.ErrUnknownKey, "no keys while the JWKS is down")

	f.SetJWKSStatus(0)
	time.Sleep(30 * time.Millisecond)
	_, err = v.Verify(context.Background(), tok)
	assert.NoError(t, err)
}

func TestVerifierConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  clerk.VerifierConfig
		ok   bool
	}{
		{"issuer only derives jwks", clerk.VerifierConfig{Issuer: "https://x.clerk.accounts.dev"}, true},
		{"no issuer", clerk.VerifierConfig{JWKSURL: "https://x/jwks"}, false},
		{"relative issuer", clerk.VerifierConfig{Issuer: "x.clerk.accounts.dev"}, false},
		{"bad pem", clerk.VerifierConfig{Issuer: "https://x", PEMPublicKey: "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"}, false},
		{"negative leeway", clerk.VerifierConfig{Issuer: "https://x", Leeway: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := clerk.NewVerifier(context.Background(), tt.cfg)
			if tt.ok {
				require.NoError(t, err)
				v.Close()
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestTokenFromRequest(t *testing.T) {
	tests := []struct {
		name   string
		header string
		cookie string
		want   string
	}{
		{"bearer", "Bearer abc.def.ghi", "", "abc.def.ghi"},
		{"lowercase scheme", "bearer abc", "", "abc"},
		{"cookie", "", "cookie.tok.en", "cookie.tok.en"},
		{"header wins", "Bearer h", "c", "h"},
		{"basic auth is not a token", "Basic dXNlcjpwYXNz", "c", ""},
		{"nothing", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/api/calls", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: clerk.SessionCookie, Value: tt.cookie})
			}
			assert.Equal(t, tt.want, clerk.TokenFromRequest(r))
		})
	}
}

func TestPublishableKeyFrontendAPI(t *testing.T) {
	tests := []struct {
		name string
		pk   string
		want string
		ok   bool
	}{
		{"test key", "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", "clerk.example.com", true},
		{"live key", clerkfake.PublishableKey("clerk.sparrow.coach", true), "clerk.sparrow.coach", true},
		{"unpadded", "pk_test_" + strings.TrimRight(clerkfake.PublishableKey("ab.clerk.accounts.dev", false)[8:], "="), "ab.clerk.accounts.dev", true},
		{"secret key", "sk_test_Y2xlcmsuZXhhbXBsZS5jb20k", "", false},
		{"no dollar", "pk_test_Y2xlcmsuZXhhbXBsZS5jb20=", "", false},
		{"not base64", "pk_test_!!!", "", false},
		{"empty host", "pk_test_JA==", "", false},
		{"path injected", clerkfake.PublishableKey("evil.com/x", false), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, err := clerk.PublishableKeyFrontendAPI(tt.pk)
			if !tt.ok {
				assert.ErrorIs(t, err, clerk.ErrInvalidPublishableKey)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, host)
		})
	}
	cfg, err := clerk.VerifierConfigFromPublishableKey("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k")
	require.NoError(t, err)
	assert.Equal(t, "https://clerk.example.com", cfg.Issuer)
	assert.Equal(t, "https://clerk.example.com/.well-known/jwks.json", cfg.JWKSURL)
}

func TestFakePublishableKeyPointsAtTheFake(t *testing.T) {
	f := newFake(t)
	host, err := clerk.PublishableKeyFrontendAPI(f.PublishableKey())
	require.NoError(t, err)
	assert.Equal(t, f.Issuer(), "http://"+host)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
