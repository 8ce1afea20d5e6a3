package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/domain"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func sharedKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		testKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	return testKey
}

func newIssuer(t *testing.T, now func() time.Time) *auth.LocalIssuer {
	t.Helper()
	iss, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: sharedKey(t), Now: now})
	require.NoError(t, err)
	return iss
}

func TestLocalIssuerMintVerify(t *testing.T) {
	t.Parallel()
	iss := newIssuer(t, nil)
	tok, err := iss.Mint(" Ada@Example.com ", "Ada Lovelace")
	require.NoError(t, err)
	id, err := iss.Verify(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, auth.LocalIssuerName, id.Issuer)
	assert.Equal(t, auth.LocalSubject("ada@example.com"), id.Subject)
	assert.Equal(t, "Ada@Example.com", id.Email)
	assert.Equal(t, "Ada Lovelace", id.FullName)
	assert.NotEmpty(t, id.SessionID)

	// The claim shape matches a Clerk session token plus email and name.
	parsed, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	require.NoError(t, err)
	claims := parsed.Claims.(jwt.MapClaims)
	for _, c := range []string{"iss", "sub", "sid", "iat", "nbf", "exp", "email", "name"} {
		assert.Contains(t, claims, c)
	}
	assert.Equal(t, "RS256", parsed.Header["alg"])
	assert.NotEmpty(t, parsed.Header["kid"])
}

func TestLocalSubjectIsStableAndCaseInsensitive(t *testing.T) {
	t.Parallel()
	a := auth.LocalSubject("Grace@Example.com")
	assert.Equal(t, a, auth.LocalSubject("grace@example.com"))
	assert.Equal(t, a, auth.LocalSubject("  GRACE@EXAMPLE.COM "))
	assert.NotEqual(t, a, auth.LocalSubject("grace2@example.com"))
	assert.Regexp(t, `^user_local_[0-9a-f]{24}$`, a)
}

func TestLocalIssuerMintRejectsBadInput(t *testing.T) {
	t.Parallel()
	iss := newIssuer(t, nil)
	tests := []struct {
		name, email, fullName, field string
	}{
		{name: "empty email", email: "", field: "email"},
		{name: "not an address", email: "nobody", field: "email"},
		{name: "display name form", email: "Ada <ada@example.com>", field: "email"},
		{name: "invalid utf-8 name", email: "ada@example.com", fullName: "\xff", field: "fullName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iss.Mint(tt.email, tt.fullName)
			var fe *domain.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, domain.ErrInvalid)
		})
	}
}

// forge signs claims with any method and key, as an attacker would.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return s
}

func TestLocalIssuerVerifyRejects(t *testing.T) {
	t.Parallel()
	now := time.Now()
	iss := newIssuer(t, nil)
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": auth.LocalIssuerName, "sub": auth.LocalSubject("a@example.com"), "sid": "s",
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "email": "a@example.com"}
	}
	with := func(k string, v any) jwt.MapClaims { c := good(); c[k] = v; return c }
	without := func(k string) jwt.MapClaims { c := good(); delete(c, k); return c }
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	pubDER, err := x509.MarshalPKIXPublicKey(iss.PublicKey())
	require.NoError(t, err)
	valid, err := iss.Mint("a@example.com", "")
	require.NoError(t, err)

	tests := []struct {
		name  string
		token string
	}{
		{name: "empty", token: ""},
		{name: "garbage", token: "not.a.jwt"},
		{name: "alg none", token: forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good())},
		{name: "HS256 with the public key as secret", token: forge(t, jwt.SigningMethodHS256, pubDER, good())},
		{name: "HS256 with a random secret", token: forge(t, jwt.SigningMethodHS256, []byte("secret"), good())},
		{name: "RS512", token: forge(t, jwt.SigningMethodRS512, sharedKey(t), good())},
		{name: "another RSA key", token: forge(t, jwt.SigningMethodRS256, other, good())},
		{name: "wrong issuer", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("iss", "https://clerk.example.com"))},
		{name: "no issuer", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), without("iss"))},
		{name: "expired", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("exp", now.Add(-time.Minute).Unix()))},
		{name: "no exp", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), without("exp"))},
		{name: "no iat", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), without("iat"))},
		{name: "valid for 100 years", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("exp", now.Add(100*365*24*time.Hour).Unix()))},
		{name: "lifetime just over the TTL", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("exp", now.Add(12*time.Hour+time.Minute).Unix()))},
		{name: "not yet valid", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("nbf", now.Add(time.Hour).Unix()))},
		{name: "issued in the future", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("iat", now.Add(time.Hour).Unix()))},
		{name: "not a local subject", token: forge(t, jwt.SigningMethodRS256, sharedKey(t), with("sub", "user_2abc"))},
		{name: "tampered payload", token: valid[:len(valid)-10] + "AAAAAAAAAA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := iss.Verify(context.Background(), tt.token)
			assert.ErrorIs(t, err, auth.ErrInvalidToken)
		})
	}
}

func TestLocalIssuerLeeway(t *testing.T) {
	t.Parallel()
	clock := time.Now()
	minted := newIssuer(t, func() time.Time { return clock })
	tok, err := minted.Mint("a@example.com", "")
	require.NoError(t, err)

	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{name: "just before expiry", at: clock.Add(12*time.Hour - time.Second), ok: true},
		{name: "within leeway after expiry", at: clock.Add(12*time.Hour + 3*time.Second), ok: true},
		{name: "past leeway", at: clock.Add(12*time.Hour + 10*time.Second), ok: false},
		{name: "slightly before issue (skew)", at: clock.Add(-3 * time.Second), ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newIssuer(t, func() time.Time { return tt.at })
			_, err := v.Verify(context.Background(), tok)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, auth.ErrInvalidToken)
			}
		})
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "keys")
	k1, err := auth.LoadOrCreateKey(dir, 2048)
	require.NoError(t, err)
	st, err := os.Stat(filepath.Join(dir, auth.KeyFileName))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	dst, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), dst.Mode().Perm())

	k2, err := auth.LoadOrCreateKey(dir, 2048)
	require.NoError(t, err)
	assert.True(t, k1.Equal(k2), "a second start must reuse the key")

	// Tokens minted by one issuer verify with another on the same directory
	// (the server and `sparrow token`).
	a, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{KeyDir: dir})
	require.NoError(t, err)
	b, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{KeyDir: dir})
	require.NoError(t, err)
	tok, err := a.Mint("x@example.com", "")
	require.NoError(t, err)
	_, err = b.Verify(context.Background(), tok)
	assert.NoError(t, err)
}

func TestLoadOrCreateKeyConcurrentStartsAgree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 4
	keys := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = auth.LoadOrCreateKey(dir, 2048) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		assert.True(t, keys[0].Equal(keys[i]))
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary files are left behind")
}

func TestLoadOrCreateKeyRefusesReadableKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := auth.LoadOrCreateKey(dir, 2048)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(filepath.Join(dir, auth.KeyFileName), 0o644))
	_, err = auth.LoadOrCreateKey(dir, 2048)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "chmod 600")
}

func TestLocalIssuerConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: sharedKey(t), TTL: time.Second, Leeway: -time.Second})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TTL")
	assert.Contains(t, err.Error(), "leeway")
}
