package auth

import (
	"context"
	"fmt"

	"github.com/sparrow-coach/sparrow/integrations/clerk"
)

// FromClerk adapts a Clerk session-token verifier: its claims become an
// Identity (Email only when the instance adds an email claim to session
// tokens), and its rejections wrap ErrInvalidToken as well as clerk's own
// sentinels.
func FromClerk(v *clerk.Verifier) Verifier {
	return VerifierFunc(func(ctx context.Context, token string) (Identity, error) {
		c, err := v.Verify(ctx, token)
		if err != nil {
			return Identity{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
		}
		return Identity{Issuer: c.Issuer, Subject: c.Subject, SessionID: c.SessionID, Email: c.Email, ExpiresAt: c.ExpiresAt}, nil
	})
}
