package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/api/auth"
)

// DevSessionRequest is the body of POST /api/dev/session (local sign-in only).
type DevSessionRequest struct {
	Email    *string `json:"email"`
	FullName *string `json:"fullName"`
}

// DevSession is a local sign-in: a session token and the user it names.
type DevSession struct {
	Token string  `json:"token"`
	User  Profile `json:"user"`
}

// handleDevSession signs a user in locally: it mints a token for the e-mail
// address, provisions the user, and also sets the __session cookie. It exists
// only in local sign-in mode; with an identity provider it answers 404.
func (s *Server) handleDevSession(c echo.Context) error {
	if s.local == nil {
		return notFoundError("Route")
	}
	var body DevSessionRequest
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	if body.Email == nil {
		return invalidField("email", "is required")
	}
	name := ""
	if body.FullName != nil {
		name = *body.FullName
	}
	token, err := s.local.Mint(*body.Email, name)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id, err := s.local.Verify(ctx, token)
	if err != nil {
		return errorf("verify a token just minted: %w", err)
	}
	uid, err := s.provision(ctx, c, id)
	if err != nil {
		return err
	}
	c.Set(ctxUserID, uid)
	u, err := s.app.Profile(ctx, uid)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: int(s.local.TTL().Seconds()),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return c.JSON(http.StatusOK, DevSession{Token: token, User: profileOf(u)})
}

var _ auth.Verifier = (*auth.LocalIssuer)(nil)
