package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/sparrow-coach/sparrow/domain"
)

// LocalIssuerName is the iss claim of local sign-in tokens.
const LocalIssuerName = "sparrow-local"

// localSubjectPrefix starts the subject of every local user.
const localSubjectPrefix = "user_local_"

// LocalIssuerConfig configures a LocalIssuer.
type LocalIssuerConfig struct {
	// KeyDir holds the signing key (default ".data/keys"); ignored when Key is set.
	KeyDir string
	// Key signs tokens instead of the key file (tests share one key this way).
	Key *rsa.PrivateKey
	// KeyBits is the size of a newly created key (default 2048).
	KeyBits int
	// TTL is how long a minted token is valid (default 12h).
	TTL time.Duration
	// Leeway tolerates clock skew on exp, nbf and iat (default 5s).
	Leeway time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (c *LocalIssuerConfig) setDefaults() {
	if c.KeyDir == "" {
		c.KeyDir = ".data/keys"
	}
	if c.KeyBits == 0 {
		c.KeyBits = 2048
	}
	if c.TTL == 0 {
		c.TTL = 12 * time.Hour
	}
	if c.Leeway == 0 {
		c.Leeway = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports every problem with the config.
func (c LocalIssuerConfig) Validate() error {
	var errs []error
	if c.KeyBits < 2048 {
		errs = append(errs, fmt.Errorf("key size %d bits is too small (at least 2048)", c.KeyBits))
	}
	if c.Key != nil && c.Key.N.BitLen() < 2048 {
		errs = append(errs, fmt.Errorf("key of %d bits is too small (at least 2048)", c.Key.N.BitLen()))
	}
	if c.TTL < time.Minute || c.TTL > 30*24*time.Hour {
		errs = append(errs, fmt.Errorf("token TTL %s must be between 1m and 720h", c.TTL))
	}
	if c.Leeway < 0 || c.Leeway > time.Minute {
		errs = append(errs, fmt.Errorf("leeway %s must be between 0 and 1m", c.Leeway))
	}
	return errors.Join(errs...)
}

// LocalIssuer mints and verifies local sign-in tokens. Safe for concurrent use.
type LocalIssuer struct {
	key *rsa.PrivateKey
	kid string
	cfg LocalIssuerConfig
}

// NewLocalIssuer returns an issuer with cfg.Key, or with the key in
// cfg.KeyDir (created on first use).
func NewLocalIssuer(cfg LocalIssuerConfig) (*LocalIssuer, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("auth: local issuer: %w", err)
	}
	key := cfg.Key
	if key == nil {
		var err error
		if key, err = LoadOrCreateKey(cfg.KeyDir, cfg.KeyBits); err != nil {
			return nil, err
		}
		if key.N.BitLen() < 2048 {
			return nil, fmt.Errorf("auth: key in %s has %d bits, at least 2048 are needed", cfg.KeyDir, key.N.BitLen())
		}
	}
	return &LocalIssuer{key: key, kid: keyID(&key.PublicKey), cfg: cfg}, nil
}

// TTL is how long minted tokens are valid.
func (i *LocalIssuer) TTL() time.Duration { return i.cfg.TTL }

// PublicKey is the key tokens are verified with.
func (i *LocalIssuer) PublicKey() *rsa.PublicKey { return &i.key.PublicKey }

// localClaims has the shape of a Clerk session token plus email and name.
type localClaims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid,omitempty"`
	Email     string `json:"email,omitempty"`
	Name      string `json:"name,omitempty"`
}

// LocalSubject is the subject of the local user with this e-mail address.
func LocalSubject(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return localSubjectPrefix + hex.EncodeToString(sum[:12])
}

// Mint returns a signed token for the person with this e-mail address. The
// address must be valid; errors are *domain.FieldError wrapping domain.ErrInvalid.
func (i *LocalIssuer) Mint(email, fullName string) (string, error) {
	email, fullName = strings.TrimSpace(email), strings.TrimSpace(fullName)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 320 {
		return "", &domain.FieldError{Field: "email", Err: fmt.Errorf("%w: email %q is not a valid address", domain.ErrInvalid, email)}
	}
	if !utf8.ValidString(fullName) || utf8.RuneCountInString(fullName) > 200 || strings.IndexByte(fullName, 0) >= 0 {
		return "", &domain.FieldError{Field: "fullName", Err: fmt.Errorf("%w: fullName must be valid UTF-8 without NUL of at most 200 characters", domain.ErrInvalid)}
	}
	now := i.cfg.Now().UTC().Truncate(time.Second)
	sid := make([]byte, 12)
	if _, err := rand.Read(sid); err != nil {
		return "", fmt.Errorf("auth: session id: %w", err)
	}
	claims := localClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    LocalIssuerName,
			Subject:   LocalSubject(email),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(i.cfg.TTL)),
		},
		SessionID: "sess_local_" + hex.EncodeToString(sid),
		Email:     email,
		Name:      fullName,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = i.kid
	s, err := tok.SignedString(i.key)
	if err != nil {
		return "", fmt.Errorf("auth: sign: %w", err)
	}
	return s, nil
}

// Verify checks a local sign-in token. Every failure wraps ErrInvalidToken.
func (i *LocalIssuer) Verify(_ context.Context, token string) (Identity, error) {
	var claims localClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if kid, ok := t.Header["kid"].(string); ok && kid != i.kid {
			return nil, fmt.Errorf("unknown key id %q", kid)
		}
		return &i.key.PublicKey, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(LocalIssuerName),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(i.cfg.Leeway),
		jwt.WithTimeFunc(i.cfg.Now),
	)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if claims.IssuedAt == nil {
		return Identity{}, fmt.Errorf("%w: no iat claim", ErrInvalidToken)
	}
	// Mint gives every token a lifetime of TTL; a longer one (a key used to
	// sign tokens "valid for 100 years") is refused, so a leaked token
	// always dies within TTL.
	if life := claims.ExpiresAt.Sub(claims.IssuedAt.Time); life > i.cfg.TTL+i.cfg.Leeway {
		return Identity{}, fmt.Errorf("%w: lifetime %s (exp - iat) exceeds the maximum of %s", ErrInvalidToken, life, i.cfg.TTL)
	}
	if !strings.HasPrefix(claims.Subject, localSubjectPrefix) || len(claims.Subject) > 200 {
		return Identity{}, fmt.Errorf("%w: subject %q is not a local user", ErrInvalidToken, claims.Subject)
	}
	return Identity{
		Issuer:    claims.Issuer,
		Subject:   claims.Subject,
		SessionID: claims.SessionID,
		Email:     claims.Email,
		FullName:  claims.Name,
		ExpiresAt: claims.ExpiresAt.Time,
	}, nil
}
