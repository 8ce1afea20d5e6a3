package app

import (
	"net/http"
)

// WebhookDelivery is one webhook request as it arrived: the signature
// covers the exact bytes of Body.
type WebhookDelivery struct {
	Header http.Header
	Body   []byte
	// RequestID identifies the request in logs and event metadata.
	RequestID string
}

// What a webhook delivery did (WebhookOutcome.Result).
const (
	// WebhookApplied: the delivery changed something.
	WebhookApplied = "applied"
	// WebhookDuplicate: this delivery was processed before; nothing changed.
	WebhookDuplicate = "duplicate"
	// WebhookIgnored: nothing to do (an unhandled type, or nothing new).
	WebhookIgnored = "ignored"
	// WebhookUnknownCall: no call matches the conversation; acknowledged so
	// the sender does not retry a delivery that can never apply.
	WebhookUnknownCall = "unknown_call"
	// WebhookTruncated: the delivery changed something, but its conversation
	// was longer than a call can hold: the lines that fit were recorded and
	// the rest dropped; acknowledged, as a retry would be no smaller.
	WebhookTruncated = "truncated"
)

// WebhookOutcome is what an accepted webhook delivery did. A delivery is
// accepted (no error) whenever retrying it could not help, so the sender
// stops; only a failure on our side is an error (and the sender retries).
type WebhookOutcome struct {
	// Type is the event type the sender gave.
	Type string
	// Result is one of WebhookApplied, WebhookDuplicate, WebhookIgnored,
	// WebhookUnknownCall, WebhookTruncated.
	Result string
	// CallID is the call a voice delivery applied to ("" otherwise).
	CallID string
	// ErasedUserID is the user an identity delivery deleted: caches of its
	// sessions must be dropped. Set even when the delivery failed half way.
	ErasedUserID string
}
