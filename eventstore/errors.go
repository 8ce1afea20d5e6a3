package eventstore

import "errors"

var (
	// ErrConcurrencyConflict: the stream's version is not the expected one.
	ErrConcurrencyConflict = errors.New("eventstore: concurrency conflict")
	// ErrEventIDReused: an event id is already recorded for different content.
	ErrEventIDReused = errors.New("eventstore: event id reused")
	// ErrUnknownEventType: a stored event type is not registered.
	ErrUnknownEventType = errors.New("eventstore: unknown event type")
	// ErrDecode: a stored payload or metadata could not be decoded or upcast.
	ErrDecode = errors.New("eventstore: cannot decode event")
	// ErrInvalidAppend: the append itself is malformed (no events, mixed stream types, bad ids).
	ErrInvalidAppend = errors.New("eventstore: invalid append")
)
