package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// What browsers need from the API besides its routes: the web app mounted at
// every non-API path, protection of cookie-authenticated writes against
// cross-site requests, and call-scoped stream tokens for EventSource clients
// on another site (which can neither send a header nor get the cookie).

// StreamTokenTTL is how long a stream token may be used to open a stream.
const StreamTokenTTL = 5 * time.Minute

// StreamToken is the answer of POST /api/calls/:id/stream-token.
type StreamToken struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// serveUI serves the web app (Deps.UI) for every GET or HEAD outside /api;
// under /api, and without a UI, an unknown path is the API's 404.
func (s *Server) serveUI(c echo.Context) error {
	p := c.Request().URL.Path
	if s.ui == nil || p == "/api" || strings.HasPrefix(p, "/api/") {
		return notFoundError("Route")
	}
	s.ui.ServeHTTP(c.Response(), c.Request())
	return nil
}

// guardCookieWrites refuses cross-site writes that authenticate with the
// session cookie (CSRF): a write (POST, PUT, PATCH, DELETE) sent with the
// cookie and no Authorization header must come from the same origin (an
// Origin equal to the request's host or one of Config.AllowedOrigins, or,
// without Origin, Sec-Fetch-Site same-origin or none), and a body must be
// declared as JSON. Bearer-authenticated writes and webhooks are not
// affected: a browser never adds an Authorization header on its own.
func (s *Server) guardCookieWrites(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			return next(c)
		}
		if r.Header.Get(echo.HeaderAuthorization) != "" || strings.HasPrefix(r.URL.Path, "/api/webhooks/") {
			return next(c)
		}
		if ck, err := r.Cookie(SessionCookie); err != nil || ck.Value == "" {
			return next(c)
		}
		if !s.sameOrigin(r) {
			return &Error{Status: http.StatusForbidden, Code: CodeAuthorization,
				Message: "Cross-site request refused: a write authenticated by the session cookie must come from this site"}
		}
		if ct := r.Header.Get(echo.HeaderContentType); ct != "" || r.ContentLength > 0 || len(r.TransferEncoding) > 0 {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
				return invalidField("body", "Content-Type must be application/json")
			}
		}
		return next(c)
	}
}

// sameOrigin reports whether a browser request comes from this site.
func (s *Server) sameOrigin(r *http.Request) bool {
	if o := r.Header.Get(echo.HeaderOrigin); o != "" {
		if s.allowedOrigin(o) {
			return true
		}
		u, err := url.Parse(o)
		return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	}
	return false
}

func (s *Server) allowedOrigin(o string) bool {
	for _, a := range s.cfg.AllowedOrigins {
		if a == o {
			return true
		}
	}
	return false
}

// handleStreamToken issues a token that opens this call's stream, and only
// it, for StreamTokenTTL: GET /api/calls/:id/stream?token=... for EventSource
// clients that cannot send the Authorization header or the cookie.
func (s *Server) handleStreamToken(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := s.app.CallForUser(c.Request().Context(), userID(c), id); err != nil {
		return err
	}
	exp := time.Now().Add(StreamTokenTTL).Truncate(time.Second)
	return c.JSON(http.StatusCreated, StreamToken{Token: s.signStreamToken(id, userID(c), exp), ExpiresAt: exp.UTC()})
}

// authenticateStream authenticates the stream route: with ?token= a stream
// token for this call, otherwise like every other route.
func (s *Server) authenticateStream(next echo.HandlerFunc) echo.HandlerFunc {
	normal := s.authenticate(next)
	return func(c echo.Context) error {
		tok := c.QueryParam("token")
		if tok == "" {
			return normal(c)
		}
		uid, err := s.verifyStreamToken(tok, c.Param("id"), time.Now())
		if err != nil {
			return unauthenticated(err)
		}
		c.Set(ctxUserID, uid)
		c.Set(ctxLogger, s.requestLogger(c).With("user_id", uid))
		return next(c)
	}
}

// A stream token is base64url("<user id>.<unix expiry>") "." base64url(HMAC-SHA256
// over "stream/<call id>/<user id>/<expiry>"), keyed by a secret made when
// the server starts: tokens do not outlive the process, and a client asks
// for a new one when a reconnect is refused.
func (s *Server) signStreamToken(callID, uid string, exp time.Time) string {
	body := uid + "." + strconv.FormatInt(exp.Unix(), 10)
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + base64.RawURLEncoding.EncodeToString(s.streamMAC(callID, body))
}

func (s *Server) streamMAC(callID, body string) []byte {
	m := hmac.New(sha256.New, s.streamKey)
	m.Write([]byte("stream/" + callID + "/" + body))
	return m.Sum(nil)
}

var errStreamToken = errors.New("stream token is malformed, expired or not for this call")

func (s *Server) verifyStreamToken(tok, callID string, now time.Time) (string, error) {
	b64body, b64mac, ok := strings.Cut(tok, ".")
	if !ok {
		return "", errStreamToken
	}
	body, err1 := base64.RawURLEncoding.DecodeString(b64body)
	mac, err2 := base64.RawURLEncoding.DecodeString(b64mac)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, s.streamMAC(callID, string(body))) {
		return "", errStreamToken
	}
	uid, expText, _ := strings.Cut(string(body), ".")
	exp, err := strconv.ParseInt(expText, 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) || uid == "" {
		return "", errStreamToken
	}
	return uid, nil
}

// newStreamKey makes the per-process key of stream tokens.
func newStreamKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return k
}
