package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Sentinel errors of the application layer. Together with domain's sentinels
// (domain.ErrInvalid, ErrNotFound, ...) and *domain.FieldError they are the
// whole vocabulary a caller (the HTTP API) needs to classify an error: the
// methods the API calls translate what they get from the store, the driver
// and the external services into them (see door).
var (
	// ErrUnavailable: the database cannot be reached (connect failure, a
	// closed pool, a dropped connection, the server shutting down). Retrying
	// later may work.
	ErrUnavailable = errors.New("app: service unavailable")
	// ErrConflict: the command lost a concurrency race after every retry.
	ErrConflict = errors.New("app: concurrent change")
	// ErrExternalService: an external service the command needed (the voice
	// provider, an LLM) failed, after its retries.
	ErrExternalService = errors.New("app: external service failed")
	// ErrWebhookSignature: a webhook delivery's signature is missing,
	// malformed, stale or does not match.
	ErrWebhookSignature = errors.New("app: webhook signature refused")
	// ErrWebhookHeaders: a webhook delivery lacks the headers its signature
	// scheme needs (Svix: svix-id, svix-timestamp, svix-signature).
	ErrWebhookHeaders = errors.New("app: webhook signature headers missing or malformed")
	// ErrMalformedWebhook: a verified webhook body is not an event of the
	// documented shape.
	ErrMalformedWebhook = errors.New("app: malformed webhook event")
	// ErrWebhookOff: the webhook is not configured (no verifier): its route
	// does not exist.
	ErrWebhookOff = errors.New("app: webhook not configured")
)

// door translates an error leaving the application layer into its
// vocabulary: database unavailability becomes ErrUnavailable, a lost race
// ErrConflict, a reused event id domain.ErrAlreadyExists and a failure
// reported by an external service ErrExternalService. The cause stays
// wrapped (for logs). Methods the API calls defer it:
//
//	defer door(&err)
func door(err *error) {
	e := *err
	switch {
	case e == nil:
	case errors.Is(e, ErrUnavailable), errors.Is(e, ErrConflict), errors.Is(e, ErrExternalService), errors.Is(e, domain.ErrAlreadyExists):
	case errors.Is(e, eventstore.ErrEventIDReused):
		*err = fmt.Errorf("%w: %w", domain.ErrAlreadyExists, e)
	case errors.Is(e, eventstore.ErrConcurrencyConflict), errors.Is(e, eventstore.ErrConflict):
		*err = fmt.Errorf("%w: %w", ErrConflict, e)
	case errors.Is(e, context.Canceled), errors.Is(e, context.DeadlineExceeded):
		// The request's own deadline or cancellation: the API answers it as such.
	case errors.Is(eventstore.Classify(e), eventstore.ErrUnavailable):
		*err = fmt.Errorf("%w: %w", ErrUnavailable, e)
	case externalFailure(e):
		*err = fmt.Errorf("%w: %w", ErrExternalService, e)
	}
}

// externalFailure reports whether err was reported by a client of an
// external service: those mark their errors with Retryable (package
// integrations/resilience), whether or not a retry could help.
func externalFailure(err error) bool {
	var ext interface{ Retryable() bool }
	return errors.As(err, &ext)
}
