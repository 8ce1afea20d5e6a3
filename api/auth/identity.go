package auth

import (
	"context"
	"errors"
	"time"
)

// ErrInvalidToken: a session token is missing, malformed, expired, signed
// with the wrong key or algorithm, or issued by someone else.
var ErrInvalidToken = errors.New("auth: invalid session token")

// Identity is the person a verified session token names.
type Identity struct {
	// Issuer is the token's iss claim.
	Issuer string
	// Subject is the identity provider's user id ("user_..."); never empty.
	Subject string
	// SessionID is the sid claim (may be empty).
	SessionID string
	// Email and FullName come from the email and name claims when the token
	// carries them (Clerk session tokens do not, by default).
	Email    string
	FullName string
	// ExpiresAt is when the token stops being valid (its exp claim); a
	// verifier that leaves it zero has its answers re-checked every time.
	ExpiresAt time.Time
}

// Verifier checks a session token and returns who it names. Errors wrap
// ErrInvalidToken when the token itself is at fault.
type Verifier interface {
	Verify(ctx context.Context, token string) (Identity, error)
}

// VerifierFunc adapts a function to Verifier (e.g. an identity provider's
// verifier with its own claims type).
type VerifierFunc func(ctx context.Context, token string) (Identity, error)

// Verify calls f.
func (f VerifierFunc) Verify(ctx context.Context, token string) (Identity, error) {
	return f(ctx, token)
}
