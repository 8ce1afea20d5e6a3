package clerk

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// Token errors. Every rejection wraps ErrInvalidToken and one specific sentinel.
var (
	ErrMissingToken         = errors.New("clerk: no session token")
	ErrInvalidToken         = errors.New("clerk: invalid session token")
	ErrMalformedToken       = errors.New("malformed token")
	ErrUnsupportedAlgorithm = errors.New("signing algorithm not allowed (RS256 only)")
	ErrBadSignature         = errors.New("bad signature")
	ErrUnknownKey           = errors.New("signing key not found")
	ErrExpired              = errors.New("token expired")
	ErrNotYetValid          = errors.New("token not valid yet")
	ErrWrongIssuer          = errors.New("wrong issuer")
	ErrUnauthorizedParty    = errors.New("authorized party not allowed")
	ErrMissingClaim         = errors.New("required claim missing")
	ErrLifetimeTooLong      = errors.New("token lifetime (exp - iat) too long")
)

func reject(specific error, detail string) error {
	if detail == "" {
		return fmt.Errorf("%w: %w", ErrInvalidToken, specific)
	}
	return fmt.Errorf("%w: %w: %s", ErrInvalidToken, specific, detail)
}

// VerifierConfig configures a Verifier. Give PEMPublicKey (CLERK_JWT_KEY) for
// networkless verification, or a JWKS URL (derived from Issuer when empty).
type VerifierConfig struct {
	// Issuer is the instance's Frontend API URL, e.g. https://example.clerk.accounts.dev (required).
	Issuer string
	// JWKSURL defaults to Issuer + "/.well-known/jwks.json" (ignored with PEMPublicKey).
	JWKSURL string
	// PEMPublicKey is the instance's RSA public key in PEM form.
	PEMPublicKey string
	// AuthorizedParties are the origins allowed in azp (empty: azp not checked).
	AuthorizedParties []string
	// Leeway is the clock skew allowed on exp, nbf and iat (default 5s).
	Leeway time.Duration
	// MaxLifetime is the longest lifetime (exp - iat) a token may claim
	// (default 24h; Clerk session tokens live 60s).
	MaxLifetime time.Duration
	// HTTPClient fetches the JWKS (default: a client with a 10s timeout).
	HTTPClient *http.Client
	// JWKSRefreshInterval is the background refresh period (default 1h).
	JWKSRefreshInterval time.Duration
	// UnknownKIDRefreshInterval is the minimum time between refreshes caused by
	// an unknown kid (default 1m).
	UnknownKIDRefreshInterval time.Duration
	// Now replaces the clock (tests); nil means time.Now.
	Now func() time.Time
}

func (c *VerifierConfig) setDefaults() {
	c.Issuer = strings.TrimRight(strings.TrimSpace(c.Issuer), "/")
	if c.JWKSURL == "" && c.PEMPublicKey == "" && c.Issuer != "" {
		c.JWKSURL = JWKSURLForIssuer(c.Issuer)
	}
	if c.Leeway == 0 {
		c.Leeway = 5 * time.Second
	}
	if c.MaxLifetime == 0 {
		c.MaxLifetime = 24 * time.Hour
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if c.JWKSRefreshInterval == 0 {
		c.JWKSRefreshInterval = time.Hour
	}
	if c.UnknownKIDRefreshInterval == 0 {
		c.UnknownKIDRefreshInterval = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate checks the configuration (after defaults are applied by NewVerifier).
func (c VerifierConfig) Validate() error {
	var errs []error
	if u, err := url.Parse(c.Issuer); c.Issuer == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, errors.New("clerk: Issuer must be the absolute Frontend API URL"))
	}
	if c.PEMPublicKey == "" {
		if u, err := url.Parse(c.JWKSURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, errors.New("clerk: JWKSURL must be an absolute URL (or give PEMPublicKey)"))
		}
	} else if _, err := jwt.ParseRSAPublicKeyFromPEM([]byte(c.PEMPublicKey)); err != nil {
		errs = append(errs, fmt.Errorf("clerk: PEMPublicKey: %w", err))
	}
	if c.Leeway < 0 {
		errs = append(errs, errors.New("clerk: Leeway must be >= 0"))
	}
	if c.MaxLifetime < 0 {
		errs = append(errs, errors.New("clerk: MaxLifetime must be >= 0"))
	}
	if c.JWKSRefreshInterval < 0 || c.UnknownKIDRefreshInterval < 0 {
		errs = append(errs, errors.New("clerk: refresh intervals must be >= 0"))
	}
	return errors.Join(errs...)
}

// Claims are the verified claims of a session token.
type Claims struct {
	Subject         string // the Clerk user id (user_...)
	SessionID       string // sid
	Issuer          string
	AuthorizedParty string // azp; may be empty
	Email           string // from a custom session-token claim "email", if configured in Clerk
	OrgID           string // org_id, if any
	IssuedAt        time.Time
	NotBefore       time.Time
	ExpiresAt       time.Time
}

type sessionClaims struct {
	jwt.RegisteredClaims
	SessionID       string `json:"sid"`
	AuthorizedParty string `json:"azp"`
	Email           string `json:"email"`
	OrgID           string `json:"org_id"`
}

// Verifier verifies Clerk session tokens. Safe for concurrent use.
type Verifier struct {
	cfg    VerifierConfig
	pem    *rsa.PublicKey
	jwks   keyfunc.Keyfunc
	cancel context.CancelFunc
	parser *jwt.Parser
}

// NewVerifier builds a Verifier. With a JWKS URL it fetches the keys once
// (a failure is tolerated and retried on first use) and refreshes them in the
// background until ctx ends or Close is called.
func NewVerifier(ctx context.Context, cfg VerifierConfig) (*Verifier, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v := &Verifier{cfg: cfg, cancel: func() {}}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(cfg.Now),
	)
	if cfg.PEMPublicKey != "" {
		key, err := jwt.ParseRSAPublicKeyFromPEM([]byte(cfg.PEMPublicKey))
		if err != nil {
			return nil, fmt.Errorf("clerk: PEMPublicKey: %w", err)
		}
		v.pem = key
		return v, nil
	}
	bg, cancel := context.WithCancel(ctx)
	kf, err := keyfunc.NewDefaultOverrideCtx(bg, []string{cfg.JWKSURL}, keyfunc.Override{
		Client:          cfg.HTTPClient,
		HTTPTimeout:     10 * time.Second,
		RefreshInterval: cfg.JWKSRefreshInterval,
		// One refresh per interval for unknown kids; a caller over budget is
		// refused at once (the wait would exceed RateLimitWaitMax).
		RefreshUnknownKID:       rate.NewLimiter(rate.Every(cfg.UnknownKIDRefreshInterval), 1),
		RateLimitWaitMax:        100 * time.Millisecond,
		RefreshErrorHandlerFunc: func(string) func(context.Context, error) { return func(context.Context, error) {} },
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("clerk: jwks: %w", err)
	}
	v.jwks = kf
	v.cancel = cancel
	return v, nil
}

// Close stops the background JWKS refresh.
func (v *Verifier) Close() { v.cancel() }

// Verify checks a session token and returns its claims.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return Claims{}, ErrMissingToken
	}
	var sc sessionClaims
	var keyFunc jwt.Keyfunc
	if v.pem != nil {
		keyFunc = func(*jwt.Token) (any, error) { return v.pem, nil }
	} else {
		keyFunc = v.jwks.KeyfuncCtx(ctx)
	}
	tok, err := v.parser.ParseWithClaims(token, &sc, keyFunc)
	if err != nil {
		return Claims{}, mapJWTError(tok, err)
	}
	if sc.Subject == "" {
		return Claims{}, reject(ErrMissingClaim, "sub")
	}
	if sc.IssuedAt == nil {
		return Claims{}, reject(ErrMissingClaim, "iat")
	}
	if life := sc.ExpiresAt.Sub(sc.IssuedAt.Time); life > v.cfg.MaxLifetime {
		return Claims{}, reject(ErrLifetimeTooLong, fmt.Sprintf("%s > %s", life, v.cfg.MaxLifetime))
	}
	if len(v.cfg.AuthorizedParties) > 0 && sc.AuthorizedParty != "" && !slices.Contains(v.cfg.AuthorizedParties, sc.AuthorizedParty) {
		return Claims{}, reject(ErrUnauthorizedParty, fmt.Sprintf("azp %q", sc.AuthorizedParty))
	}
	c := Claims{
		Subject: sc.Subject, SessionID: sc.SessionID, Issuer: sc.Issuer, AuthorizedParty: sc.AuthorizedParty,
		Email: sc.Email, OrgID: sc.OrgID,
	}
	if sc.IssuedAt != nil {
		c.IssuedAt = sc.IssuedAt.Time
	}
	if sc.NotBefore != nil {
		c.NotBefore = sc.NotBefore.Time
	}
	if sc.ExpiresAt != nil {
		c.ExpiresAt = sc.ExpiresAt.Time
	}
	return c, nil
}

func mapJWTError(tok *jwt.Token, err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return reject(ErrMalformedToken, "")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		if tok != nil && tok.Method != nil && tok.Method.Alg() != jwt.SigningMethodRS256.Alg() {
			return reject(ErrUnsupportedAlgorithm, tok.Method.Alg())
		}
		if tok != nil && tok.Method == nil {
			return reject(ErrUnsupportedAlgorithm, "")
		}
		return reject(ErrBadSignature, "")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		if errors.Is(err, jwkset.ErrKeyNotFound) {
			return reject(ErrUnknownKey, "")
		}
		return reject(ErrUnknownKey, err.Error())
	case errors.Is(err, jwt.ErrTokenExpired):
		return reject(ErrExpired, "")
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return reject(ErrNotYetValid, "")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return reject(ErrWrongIssuer, "")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return reject(ErrMissingClaim, "exp")
	}
	return reject(ErrMalformedToken, err.Error())
}

// SessionCookie is the cookie Clerk keeps the session token in.
const SessionCookie = "__session"

// TokenFromRequest returns the session token of r: the Bearer token of the
// Authorization header, else the __session cookie, else "".
func TokenFromRequest(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}
