package eventstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
)

// Position is an event's place in the whole log: (transaction id, offset),
// the order consumers read in. The zero Position is before every event.
type Position struct {
	TxID   uint64
	Offset int64
}

// Less orders positions.
func (p Position) Less(o Position) bool {
	return p.TxID < o.TxID || (p.TxID == o.TxID && p.Offset < o.Offset)
}

// IsZero reports whether p is the start of the log.
func (p Position) IsZero() bool { return p == Position{} }

// String formats p as "txid:offset", the form ParsePosition reads.
func (p Position) String() string { return fmt.Sprintf("%d:%d", p.TxID, p.Offset) }

// ParsePosition reads "txid:offset" (or "0" for the start of the log).
func ParsePosition(s string) (Position, error) {
	if s == "" || s == "0" {
		return Position{}, nil
	}
	a, b, ok := strings.Cut(s, ":")
	tx, err1 := strconv.ParseUint(a, 10, 64)
	off, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || off < 0 {
		return Position{}, fmt.Errorf("position %q: want TXID:OFFSET as printed by sparrow (e.g. 7421:1893)", s)
	}
	return Position{TxID: tx, Offset: off}, nil
}

// Actors that may cause events besides users (whose actor is their user id).
const (
	ActorSystem           = "system"
	ActorWebhookClerk     = "webhook:clerk"
	ActorWebhookElevenLab = "webhook:elevenlabs"
)

// Metadata travels with every event.
type Metadata struct {
	EventID       string    `json:"eventId"`
	CorrelationID string    `json:"correlationId,omitempty"`
	CausationID   string    `json:"causationId,omitempty"`
	Actor         string    `json:"actor"`
	RequestID     string    `json:"requestId,omitempty"`
	OccurredAt    time.Time `json:"occurredAt"`
	SchemaVersion int       `json:"schemaVersion"`
}

// NewEvent is an event to append. ID must be a UUID chosen by the caller:
// deriving it from a request's idempotency key makes retries safe.
type NewEvent struct {
	ID   string
	Data domain.Event
	Meta Metadata
}

// Event is a recorded, decoded event.
type Event struct {
	Position      Position
	StreamID      string
	StreamType    string
	Version       int
	Type          string
	SchemaVersion int // as stored; Data and Payload are upcast to the current version
	Data          domain.Event
	Payload       json.RawMessage
	Metadata      Metadata
	RecordedAt    time.Time
}

// AppendResult is what an append returns.
type AppendResult struct {
	// Version is the stream's version after the append.
	Version int
	// Position is the position of the last event appended.
	Position Position
	// StreamType is the kind of stream appended to.
	StreamType string
}
