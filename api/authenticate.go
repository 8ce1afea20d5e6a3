package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
)

// SessionCookie is the cookie a browser session token may come in (Clerk's name).
const SessionCookie = "__session"

// authenticate verifies the session token (Authorization: Bearer, else the
// __session cookie), provisions a user seen for the first time, and sets the
// user id for the handlers.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, err := sessionToken(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		// A token verified moments ago is not verified again (an RS256 check
		// is most of a read's CPU); the entry never outlives the token.
		key := sha256.Sum256([]byte(token))
		uid, ok := s.tokens.get(key)
		if !ok {
			id, err := s.verifier.Verify(ctx, token)
			if err != nil {
				s.requestLogger(c).Info("session token refused", "err", err)
				return unauthenticated(err)
			}
			if id.Subject == "" {
				return unauthenticated(errors.New("token has no subject"))
			}
			if uid, err = s.provision(ctx, c, id); err != nil {
				return err
			}
			if !id.ExpiresAt.IsZero() {
				s.tokens.put(key, uid, id.ExpiresAt)
			}
		}
		c.Set(ctxUserID, uid)
		c.Set(ctxLogger, s.requestLogger(c).With("user_id", uid))
		return next(c)
	}
}

func sessionToken(c echo.Context) (string, error) {
	if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return "", unauthenticated(errors.New("authorization header is not a bearer token"))
		}
		return token, nil
	}
	if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
		return ck.Value, nil
	}
	return "", unauthenticated(errors.New("no session token"))
}

// provision makes sure the token's user exists (the identity provider's
// webhook may not have arrived yet) and returns its id. A subject is
// remembered for Config.IdentityCacheTTL so most requests skip the check.
func (s *Server) provision(ctx context.Context, c echo.Context, id auth.Identity) (string, error) {
	if uid, ok := s.identities.get(id.Subject); ok {
		return uid, nil
	}
	email := id.Email
	if email == "" {
		email = app.PlaceholderEmail(id.Subject)
	}
	uid, err := s.app.EnsureUser(ctx, app.Meta{Actor: app.UserIDFor(id.Subject), RequestID: requestID(c)},
		app.Identity{Subject: id.Subject, Email: email, FullName: id.FullName})
	if err != nil {
		return "", err
	}
	s.identities.put(id.Subject, uid, time.Time{})
	return uid, nil
}

// ttlCache remembers user ids for a while (verified tokens, provisioned
// subjects). Bounded: when full, expired entries go first, then arbitrary ones.
type ttlCache[K comparable] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[K]ttlEntry
}

type ttlEntry struct {
	userID  string
	expires time.Time
}

func newTTLCache[K comparable](ttl time.Duration, max int) *ttlCache[K] {
	return &ttlCache[K]{ttl: ttl, max: max, now: time.Now, entries: map[K]ttlEntry{}}
}

func (c *ttlCache[K]) get(k K) (string, bool) {
	if c.ttl == 0 {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok || !c.now().Before(e.expires) {
		return "", false
	}
	return e.userID, true
}

// put remembers userID for k until the TTL or notAfter (when set), whichever is first.
func (c *ttlCache[K]) put(k K, userID string, notAfter time.Time) {
	if c.ttl == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	expires := now.Add(c.ttl)
	if !notAfter.IsZero() && notAfter.Before(expires) {
		expires = notAfter
	}
	if len(c.entries) >= c.max {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries { // still full: drop arbitrary ones
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[k] = ttlEntry{userID: userID, expires: expires}
}

// forgetUser drops every entry naming userID (a deleted account), so its
// verified tokens and provisioned subject are checked again at once.
func (c *ttlCache[K]) forgetUser(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.userID == userID {
			delete(c.entries, k)
		}
	}
}
