package clerk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	svix "github.com/svix/svix-webhooks/go"
)

// Svix headers.
const (
	HeaderSvixID        = "svix-id"
	HeaderSvixTimestamp = "svix-timestamp"
	HeaderSvixSignature = "svix-signature"
)

// WebhookTolerance is how far a webhook's timestamp may be from now, both ways.
const WebhookTolerance = 5 * time.Minute

// Webhook errors; each rejection wraps exactly one.
var (
	ErrWebhookSecret         = errors.New("clerk webhook: invalid signing secret")
	ErrWebhookMissingHeaders = errors.New("clerk webhook: missing svix-id, svix-timestamp or svix-signature")
	ErrWebhookMalformed      = errors.New("clerk webhook: malformed svix-timestamp")
	ErrWebhookStale          = errors.New("clerk webhook: timestamp outside tolerance")
	ErrWebhookBadSignature   = errors.New("clerk webhook: no matching signature")
	// ErrMalformedEvent: the (verified) body is not a Clerk event.
	ErrMalformedEvent = errors.New("clerk webhook: malformed event")
)

// VerifyWebhook verifies a Clerk (Svix) webhook against the current time.
func VerifyWebhook(secret string, headers http.Header, body []byte) error {
	return VerifyWebhookAt(secret, headers, body, time.Now())
}

// VerifyWebhookAt verifies a webhook as of now: headers present, timestamp
// within WebhookTolerance of now, and a v1 signature that matches. The
// signature itself is checked by svix's VerifyIgnoringTimestamp once the
// timestamp has been checked here, which is what lets a test pin the clock.
func VerifyWebhookAt(secret string, headers http.Header, body []byte, now time.Time) error {
	wh, err := svix.NewWebhook(secret)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWebhookSecret, err)
	}
	id, ts, sig := headers.Get(HeaderSvixID), headers.Get(HeaderSvixTimestamp), headers.Get(HeaderSvixSignature)
	if id == "" || ts == "" || sig == "" {
		return ErrWebhookMissingHeaders
	}
	unix, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
	if err != nil {
		return ErrWebhookMalformed
	}
	if d := now.Sub(time.Unix(unix, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return fmt.Errorf("%w: signed %s from now", ErrWebhookStale, d.Round(time.Second))
	}
	// Only the svix-* headers we checked reach svix (not its webhook-* fallbacks).
	h := http.Header{}
	h.Set(HeaderSvixID, id)
	h.Set(HeaderSvixTimestamp, ts)
	h.Set(HeaderSvixSignature, sig)
	if err := wh.VerifyIgnoringTimestamp(body, h); err != nil {
		return fmt.Errorf("%w: %v", ErrWebhookBadSignature, err)
	}
	return nil
}

// SignWebhook returns the svix headers for body, as Clerk would send them
// (for fakes and tests).
func SignWebhook(secret, msgID string, at time.Time, body []byte) (http.Header, error) {
	wh, err := svix.NewWebhook(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebhookSecret, err)
	}
	sig, err := wh.Sign(msgID, at, body)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set(HeaderSvixID, msgID)
	h.Set(HeaderSvixTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(HeaderSvixSignature, sig)
	return h, nil
}

// Event types Sparrow handles.
const (
	EventUserCreated = "user.created"
	EventUserUpdated = "user.updated"
	EventUserDeleted = "user.deleted"
)

// Event is a parsed Clerk webhook. User fields are set for user.* events.
type Event struct {
	Type       string
	InstanceID string
	Timestamp  time.Time // envelope timestamp (ms precision)

	UserID    string
	Email     string // the primary email address
	FirstName string
	LastName  string
	ImageURL  string
	Deleted   bool // user.deleted
	CreatedAt time.Time
	UpdatedAt time.Time

	// Data is the raw data object, whatever the type.
	Data json.RawMessage
}

// FullName is "First Last", trimmed.
func (e Event) FullName() string { return strings.TrimSpace(e.FirstName + " " + e.LastName) }

type wireUser struct {
	ID                    string  `json:"id"`
	Object                string  `json:"object"`
	Deleted               bool    `json:"deleted"`
	FirstName             *string `json:"first_name"`
	LastName              *string `json:"last_name"`
	ImageURL              *string `json:"image_url"`
	PrimaryEmailAddressID *string `json:"primary_email_address_id"`
	EmailAddresses        []struct {
		ID           string `json:"id"`
		EmailAddress string `json:"email_address"`
	} `json:"email_addresses"`
	CreatedAt int64 `json:"created_at"`
	UpdatedAt int64 `json:"updated_at"`
}

// ParseWebhook parses a verified webhook body. For user.created and
// user.updated the email is the address whose id is primary_email_address_id
// (the first address when that id is absent or matches none). Unknown types
// are returned with their raw data and no error.
func ParseWebhook(body []byte) (Event, error) {
	var env struct {
		Type       string          `json:"type"`
		Object     string          `json:"object"`
		Timestamp  int64           `json:"timestamp"`
		InstanceID string          `json:"instance_id"`
		Data       json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	if env.Type == "" {
		return Event{}, fmt.Errorf("%w: no type", ErrMalformedEvent)
	}
	ev := Event{Type: env.Type, InstanceID: env.InstanceID, Data: env.Data}
	if env.Timestamp > 0 {
		ev.Timestamp = time.UnixMilli(env.Timestamp).UTC()
	}
	switch env.Type {
	case EventUserCreated, EventUserUpdated, EventUserDeleted:
	default:
		return ev, nil
	}
	var u wireUser
	if len(env.Data) == 0 || json.Unmarshal(env.Data, &u) != nil {
		return Event{}, fmt.Errorf("%w: %s data is not a user", ErrMalformedEvent, env.Type)
	}
	if !strings.HasPrefix(u.ID, "user_") {
		return Event{}, fmt.Errorf("%w: %s without a user id", ErrMalformedEvent, env.Type)
	}
	ev.UserID = u.ID
	if env.Type == EventUserDeleted {
		ev.Deleted = true
		return ev, nil
	}
	ev.FirstName, ev.LastName, ev.ImageURL = deref(u.FirstName), deref(u.LastName), deref(u.ImageURL)
	if u.CreatedAt > 0 {
		ev.CreatedAt = time.UnixMilli(u.CreatedAt).UTC()
	}
	if u.UpdatedAt > 0 {
		ev.UpdatedAt = time.UnixMilli(u.UpdatedAt).UTC()
	}
	for _, a := range u.EmailAddresses {
		if u.PrimaryEmailAddressID != nil && a.ID == *u.PrimaryEmailAddressID {
			ev.Email = a.EmailAddress
		}
	}
	if ev.Email == "" && len(u.EmailAddresses) > 0 {
		ev.Email = u.EmailAddresses[0].EmailAddress
	}
	return ev, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
