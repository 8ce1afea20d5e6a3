package eventstore

import "errors"

var (
	// ErrConflict: the operation lost a race with another transaction
	// (serialization failure 40001, deadlock 40P01, or a unique violation
	// 23505 where two writers collided). Retrying the whole operation may
	// succeed. Every ErrConcurrencyConflict is also an ErrConflict.
	ErrConflict = errors.New("eventstore: conflict")
	// ErrConcurrencyConflict: the stream's version is not the expected one.
	// errors.Is(err, ErrConflict) holds for it too.
	ErrConcurrencyConflict error = &kindError{msg: "eventstore: concurrency conflict", parent: ErrConflict}
	// ErrUnavailable: PostgreSQL cannot be reached or is not accepting work
	// (connection refused or reset, connection lost mid-query, the server
	// shutting down, too many connections, a closed pool, a deadline hit
	// while waiting for a connection). Nothing is known to have been written
	// unless the operation is idempotent; retry later.
	ErrUnavailable = errors.New("eventstore: database unavailable")
	// ErrEventIDReused: an event id is already recorded for different content.
	ErrEventIDReused = errors.New("eventstore: event id reused")
	// ErrUnknownEventType: a stored event type is not registered.
	ErrUnknownEventType = errors.New("eventstore: unknown event type")
	// ErrDecode: a stored payload or metadata could not be decoded or upcast.
	ErrDecode = errors.New("eventstore: cannot decode event")
	// ErrInvalidAppend: the append itself is malformed (no events, mixed stream types, bad ids).
	ErrInvalidAppend = errors.New("eventstore: invalid append")
	// ErrInvalidRedaction: a redaction rule failed, or produced a payload
	// that no longer decodes as its event type; Redact changed nothing.
	ErrInvalidRedaction = errors.New("eventstore: invalid redaction")
)

// kindError is a sentinel that is also a more general one (errors.Is
// matches both).
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }
