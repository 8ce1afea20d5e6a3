package elevenlabs

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader is the header ElevenLabs signs webhooks with.
const SignatureHeader = "ElevenLabs-Signature"

// DefaultWebhookTolerance is how old (or how far in the future) a webhook's
// timestamp may be.
const DefaultWebhookTolerance = 30 * time.Minute

var (
	ErrMissingSignature   = errors.New("elevenlabs webhook: missing signature header")
	ErrMalformedSignature = errors.New("elevenlabs webhook: malformed signature header")
	ErrStaleSignature     = errors.New("elevenlabs webhook: signature timestamp outside tolerance")
	ErrBadSignature       = errors.New("elevenlabs webhook: signature does not match")
	// ErrMalformedEvent: the body is not a webhook event.
	ErrMalformedEvent = errors.New("elevenlabs webhook: malformed event")
)

// VerifyWebhook checks header (the ElevenLabs-Signature value, "t=<unix>,v0=<hex>")
// against body under secret at time now. tolerance 0 means DefaultWebhookTolerance.
func VerifyWebhook(secret string, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if secret == "" {
		return errors.New("elevenlabs webhook: empty secret")
	}
	if tolerance <= 0 {
		tolerance = DefaultWebhookTolerance
	}
	header = strings.TrimSpace(header)
	if header == "" {
		return ErrMissingSignature
	}
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fmt.Errorf("%w: %q has no '='", ErrMalformedSignature, part)
		}
		switch k {
		case "t":
			ts = v
		case "v0":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != sha256.Size {
				return fmt.Errorf("%w: v0 is not a hex SHA-256", ErrMalformedSignature)
			}
			sigs = append(sigs, b)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return fmt.Errorf("%w: want t=<unix>,v0=<hex>", ErrMalformedSignature)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: t is not a unix time", ErrMalformedSignature)
	}
	age := now.Sub(time.Unix(unix, 0))
	if age > tolerance || age < -tolerance {
		return fmt.Errorf("%w: signed %s ago, tolerance %s", ErrStaleSignature, age.Round(time.Second), tolerance)
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrBadSignature
}

// SignWebhook returns the ElevenLabs-Signature value for body signed at t
// (for fakes and tests).
func SignWebhook(secret string, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v0=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return h.Sum(nil)
}

// Webhook event types.
const (
	EventPostCallTranscription = "post_call_transcription"
	EventPostCallAudio         = "post_call_audio"
	EventCallInitiationFailure = "call_initiation_failure"
)

// WebhookEvent is a parsed webhook body. Exactly one of Transcription, Audio
// and InitiationFailure is set for a known type; none for an unknown one.
type WebhookEvent struct {
	Type              string
	EventTimestamp    time.Time
	Transcription     *Conversation
	Audio             *Audio
	InitiationFailure *InitiationFailure
	// Data is the raw "data" object, whatever the type.
	Data json.RawMessage
}

// Audio is the data of a post_call_audio event.
type Audio struct {
	AgentID        string
	ConversationID string
	// MP3 is the decoded full_audio.
	MP3 []byte
}

// InitiationFailure is the data of a call_initiation_failure event.
type InitiationFailure struct {
	AgentID        string          `json:"agent_id"`
	ConversationID string          `json:"conversation_id"`
	FailureReason  string          `json:"failure_reason"`
	Metadata       json.RawMessage `json:"metadata,omitempty"`
}

// ParseWebhook parses a webhook body (verify it first). Unknown types are
// returned with their raw data and no error.
func ParseWebhook(body []byte) (WebhookEvent, error) {
	var env struct {
		Type           string          `json:"type"`
		EventTimestamp *int64          `json:"event_timestamp"`
		Data           json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return WebhookEvent{}, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	if env.Type == "" {
		return WebhookEvent{}, fmt.Errorf("%w: no type", ErrMalformedEvent)
	}
	ev := WebhookEvent{Type: env.Type, Data: env.Data}
	if env.EventTimestamp != nil {
		ev.EventTimestamp = time.Unix(*env.EventTimestamp, 0).UTC()
	}
	known := env.Type == EventPostCallTranscription || env.Type == EventPostCallAudio || env.Type == EventCallInitiationFailure
	if known && (len(env.Data) == 0 || string(env.Data) == "null") {
		return WebhookEvent{}, fmt.Errorf("%w: %s without data", ErrMalformedEvent, env.Type)
	}
	switch env.Type {
	case EventPostCallTranscription:
		var c Conversation
		if err := json.Unmarshal(env.Data, &c); err != nil {
			return WebhookEvent{}, fmt.Errorf("%w: %s data: %v", ErrMalformedEvent, env.Type, err)
		}
		if c.ConversationID == "" {
			return WebhookEvent{}, fmt.Errorf("%w: %s without conversation_id", ErrMalformedEvent, env.Type)
		}
		ev.Transcription = &c
	case EventPostCallAudio:
		var a struct {
			AgentID        string `json:"agent_id"`
			ConversationID string `json:"conversation_id"`
			FullAudio      string `json:"full_audio"`
		}
		if err := json.Unmarshal(env.Data, &a); err != nil {
			return WebhookEvent{}, fmt.Errorf("%w: %s data: %v", ErrMalformedEvent, env.Type, err)
		}
		mp3, err := base64.StdEncoding.DecodeString(a.FullAudio)
		if err != nil {
			return WebhookEvent{}, fmt.Errorf("%w: full_audio is not base64: %v", ErrMalformedEvent, err)
		}
		if a.ConversationID == "" {
			return WebhookEvent{}, fmt.Errorf("%w: %s without conversation_id", ErrMalformedEvent, env.Type)
		}
		ev.Audio = &Audio{AgentID: a.AgentID, ConversationID: a.ConversationID, MP3: mp3}
	case EventCallInitiationFailure:
		var f InitiationFailure
		if err := json.Unmarshal(env.Data, &f); err != nil {
			return WebhookEvent{}, fmt.Errorf("%w: %s data: %v", ErrMalformedEvent, env.Type, err)
		}
		ev.InitiationFailure = &f
	}
	return ev, nil
}
