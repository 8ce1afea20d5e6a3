package app

import (
	"context"
	"errors"
	"log/slog"
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
// (spec §8.2). The sender (Svix) does not keep order and retries, so:
//
//   - every delivery id handled is remembered (webhook_deliveries), applied
//     or not: a redelivery is WebhookDuplicate and changes nothing, even
//     after later deliveries moved the state on;
//   - a created or updated user is registered or updated as the user
//     aggregate decides from the provider's updated_at (SyncUser): older
//     data never overwrites newer; data that changed nothing is
//     WebhookIgnored;
//   - a deleted user's account is deleted (a never-known one gets a
//     tombstone, so a late user.created does not bring it back) and its
//     personal data erased from the log (docs/privacy.md), on every
//     delivery, redeliveries included (both steps are idempotent, and a
//     delivery whose erasure failed must finish it when it comes again;
//     WebhookOutcome.ErasedUserID is set even then).
//
// A user event the domain refuses, or for a deleted account, and any other
// type are WebhookIgnored: acknowledged, as retrying cannot help. Only a
// failure on our side is an error; such a delivery is not remembered, so
// its retry runs again.
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

	if ev.Kind == IdentityDeleted {
		out, err := a.forgetIdentity(ctx, m, ev, log)
		if err != nil {
			return out, err
		}
		return out, a.rememberDelivery(ctx, deliverySourceClerk, ev.MessageID, out.Result)
	}
	handled, err := a.deliveryHandled(ctx, deliverySourceClerk, ev.MessageID)
	if err == nil && !handled {
		// Deliveries applied before delivery ids were remembered left keyed events.
		handled, err = a.DeliveryRecorded(ctx, m.IdempotencyKey)
	}
	if err != nil {
		return WebhookOutcome{}, err
	}
	if handled {
		log.Info("clerk webhook redelivered; already handled")
		return WebhookOutcome{Type: ev.Type, Result: WebhookDuplicate}, nil
	}
	out, err := a.syncIdentity(ctx, m, ev, log)
	if err != nil {
		return WebhookOutcome{}, err
	}
	return out, a.rememberDelivery(ctx, deliverySourceClerk, ev.MessageID, out.Result)
}

// deliverySourceClerk names Clerk's deliveries in webhook_deliveries.
const deliverySourceClerk = "clerk"

// syncIdentity applies a created or updated user (or ignores another type).
func (a *App) syncIdentity(ctx context.Context, m Meta, ev IdentityEvent, log *slog.Logger) (WebhookOutcome, error) {
	out := WebhookOutcome{Type: ev.Type, Result: WebhookIgnored}
	if ev.Kind != IdentityUpserted {
		log.Info("clerk webhook type not handled; acknowledged")
		return out, nil
	}
	id := ev.Identity
	if id.Email == "" {
		id.Email = PlaceholderEmail(id.Subject)
	}
	uid, changed, err := a.SyncUser(ctx, m, id)
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
	if !changed {
		log.Info("clerk user event older than the recorded profile, or changing nothing; acknowledged", "user_id", uid,
			"updated_at", id.UpdatedAt)
		return out, nil
	}
	log.Info("clerk user synced", "user_id", uid, "updated_at", id.UpdatedAt)
	out.Result = WebhookApplied
	return out, nil
}

// forgetIdentity deletes and erases a deleted user.
func (a *App) forgetIdentity(ctx context.Context, m Meta, ev IdentityEvent, log *slog.Logger) (WebhookOutcome, error) {
	out := WebhookOutcome{Type: ev.Type, Result: WebhookApplied, ErasedUserID: UserIDFor(ev.Identity.Subject)}
	rep, err := a.ForgetUser(ctx, m, ev.Identity.Subject, "clerk user.deleted")
	if err != nil {
		return out, err
	}
	log.Info("clerk user deleted and erased", "user_id", out.ErasedUserID, "calls", rep.Calls,
		"transcript_lines", rep.TranscriptLines, "events", rep.Events)
	return out, nil
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
