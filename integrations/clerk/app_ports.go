package clerk

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sparrow-coach/sparrow/app"
)

// WebhookVerifier is the app.IdentityWebhookVerifier of Clerk's webhooks
// (Svix-signed: VerifyWebhookAt, then ParseWebhook).
type WebhookVerifier struct {
	secret string
	now    func() time.Time
}

var _ app.IdentityWebhookVerifier = (*WebhookVerifier)(nil)

// NewWebhookVerifier returns the verifier of webhooks signed with the
// endpoint's signing secret ("whsec_" and base64); another secret is
// ErrWebhookSecret.
func NewWebhookVerifier(secret string) (*WebhookVerifier, error) {
	if errors.Is(VerifyWebhookAt(secret, http.Header{}, nil, time.Now()), ErrWebhookSecret) {
		return nil, fmt.Errorf(`%w: it must be the endpoint's signing secret ("whsec_" and base64)`, ErrWebhookSecret)
	}
	return &WebhookVerifier{secret: secret, now: time.Now}, nil
}

// VerifyIdentityWebhook verifies the delivery's Svix headers and parses its
// body. Missing or malformed headers wrap app.ErrWebhookHeaders, a stale or
// non-matching signature app.ErrWebhookSignature, a malformed body
// app.ErrMalformedWebhook (each also wraps this package's sentinel).
func (w *WebhookVerifier) VerifyIdentityWebhook(d app.WebhookDelivery) (app.IdentityEvent, error) {
	if err := VerifyWebhookAt(w.secret, d.Header, d.Body, w.now()); err != nil {
		if errors.Is(err, ErrWebhookMissingHeaders) || errors.Is(err, ErrWebhookMalformed) {
			return app.IdentityEvent{}, fmt.Errorf("%w: %w", app.ErrWebhookHeaders, err)
		}
		return app.IdentityEvent{}, fmt.Errorf("%w: %w", app.ErrWebhookSignature, err)
	}
	ev, err := ParseWebhook(d.Body)
	if err != nil {
		return app.IdentityEvent{}, fmt.Errorf("%w: %w", app.ErrMalformedWebhook, err)
	}
	out := app.IdentityEvent{Type: ev.Type, MessageID: d.Header.Get(HeaderSvixID), Identity: app.Identity{Subject: ev.UserID}}
	switch ev.Type {
	case EventUserCreated, EventUserUpdated:
		out.Kind = app.IdentityUpserted
		out.Identity = app.Identity{Subject: ev.UserID, Email: ev.Email, FullName: ev.FullName(), AvatarURL: ev.ImageURL,
			UpdatedAt: ev.UpdatedAt}
		if out.Identity.UpdatedAt.IsZero() {
			out.Identity.UpdatedAt = ev.CreatedAt // a user never updated was last changed when created
		}
	case EventUserDeleted:
		out.Kind = app.IdentityDeleted
	}
	return out, nil
}
