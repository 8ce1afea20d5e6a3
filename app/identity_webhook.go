package app

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// IdentityWebhookVerifier checks and parses the identity provider's webhook
// deliveries (Clerk, signed with Svix).
type IdentityWebhookVerifier interface {
	// VerifyIdentityWebhook checks the delivery's signature and parses its
	// body. Missing or malformed signature headers are ErrWebhookHeaders, a
	// refused signature ErrWebhookSignature, a body that is not an event of
	// the documented shape ErrMalformedWebhook. A type it does not know
	// comes back with Kind IdentityOther.
	VerifyIdentityWebhook(d WebhookDelivery) (IdentityEvent, error)
}

// IdentityEventKind says what an identity event asks for.
type IdentityEventKind int

const (
	// IdentityOther: nothing Sparrow acts on.
	IdentityOther IdentityEventKind = iota
	// IdentityUpserted: a user was created or updated.
	IdentityUpserted
	// IdentityDeleted: a user was deleted.
	IdentityDeleted
)

// IdentityEvent is a verified identity webhook event.
type IdentityEvent struct {
	// Type is the provider's event type ("user.created", ...).
	Type string
	Kind IdentityEventKind
	// MessageID identifies the delivery; a redelivery has the same one.
	MessageID string
	// Identity is the user (Subject always; the profile for IdentityUpserted;
	// Email "" when the provider has none).
	Identity Identity
}

// IdentityWebhookEnabled reports whether identity webhooks are configured.
func (a *App) IdentityWebhookEnabled() bool { return a.cfg.IdentityWebhooks != nil }

// HandleIdentityWebhook verifies and applies one identity webhook delivery
// (spec §8.2). A created or updated user is registered or updated, once per
// message id (a redelivered user.created after a user.updated must not undo
// the update: WebhookDuplicate); a deleted user's account is deleted and its
// personal data erased from the log (docs/privacy.md), every time (both
// steps are idempotent, and a delivery whose erasure failed must finish it
// when it comes again; WebhookOutcome.ErasedUserID is set even then). A user
// event the domain refuses, or for a deleted account, and any other type
// are WebhookIgnored: acknowledged, as retrying cannot help.
//
// It returns ErrWebhookOff without a Config.IdentityWebhooks, and the
// verifier's ErrWebhookHeaders, ErrWebhookSignature or ErrMalformedWebhook.
func (a *App) HandleIdentityWebhook(ctx context.Context, d WebhookDelivery) (_ WebhookOutcome, err error) {
	defer door(&err)
	if a.cfg.IdentityWebhooks == nil {
		return WebhookOutcome{}, ErrWebhookOff
	}
	log := a.cfg.Logger.With("request_id", d.RequestID, "webhook", "clerk")
	ev, err := a.cfg.IdentityWebhooks.VerifyIdentityWebhook(d)
	if err != nil {
		if errors.Is(err, ErrWebhookSignature) || errors.Is(err, ErrWebhookHeaders) {
			log.Warn("clerk webhook refused", "err", err)
		}
		return WebhookOutcome{}, err
	}
	log = log.With("type", ev.Type, "svix_id", ev.MessageID)
	m := Meta{Actor: eventstore.ActorWebhookClerk, RequestID: d.RequestID, IdempotencyKey: "clerk/" + ev.MessageID}
	out := WebhookOutcome{Type: ev.Type, Result: WebhookIgnored}

	switch ev.Kind {
	case IdentityUpserted:
		done, err := a.DeliveryRecorded(ctx, m.IdempotencyKey)
		if err != nil {
			return WebhookOutcome{}, err
		}
		if done {
			log.Info("clerk webhook redelivered; already applied")
			out.Result = WebhookDuplicate
			return out, nil
		}
		id := ev.Identity
		if id.Email == "" {
			id.Email = PlaceholderEmail(id.Subject)
		}
		uid, err := a.SyncUser(ctx, m, id)
		var fe *domain.FieldError
		switch {
		case errors.Is(err, ErrUserDeleted):
			log.Info("clerk user event for a deleted account; acknowledged")
			return out, nil
		case errors.As(err, &fe):
			// Retrying cannot make the data valid.
			log.Warn("clerk user event refused by the domain; acknowledged", "field", fe.Field, "err", err)
			return out, nil
		case err != nil:
			return WebhookOutcome{}, err
		}
		log.Info("clerk user synced", "user_id", uid)
		out.Result = WebhookApplied
		return out, nil

	case IdentityDeleted:
		out.ErasedUserID = UserIDFor(ev.Identity.Subject)
		rep, err := a.ForgetUser(ctx, m, ev.Identity.Subject, "clerk user.deleted")
		if err != nil {
			return out, err
		}
		log.Info("clerk user deleted and erased", "user_id", out.ErasedUserID, "calls", rep.Calls,
			"transcript_lines", rep.TranscriptLines, "events", rep.Events)
		out.Result = WebhookApplied
		return out, nil

	default:
		log.Info("clerk webhook type not handled; acknowledged")
		return out, nil
	}
}

// placeholderEmailDomain stands in for the address of an identity-provider
// user whose token or webhook carries no email (Clerk's default session
// token); the provider's user.created webhook later sets the real one.
const placeholderEmailDomain = "users.clerk.invalid"

var safeSubject = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// PlaceholderEmail stands in for the address of an identity-provider user
// without one: the subject (or, when it is not a safe local part, its user
// id) at a reserved domain.
func PlaceholderEmail(subject string) string {
	if !safeSubject.MatchString(subject) {
		subject = strings.ReplaceAll(UserIDFor(subject), "-", "")
	}
	return subject + "@" + placeholderEmailDomain
}
