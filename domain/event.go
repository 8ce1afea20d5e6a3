package domain

import "encoding/json"

// Event is a fact that happened to one aggregate. Its EventType is the stable
// name stored in the log; renaming a type is a schema change (add an upcaster).
type Event interface {
	EventType() string
}

// EventType describes one event type to the event store: its stored name, the
// schema version new events are written with, and how to make an empty value
// to decode a payload into. The store registers exactly these, explicitly.
type EventType struct {
	Name string
	// Stream is the kind of stream the event belongs to: "call", "user" or "persona".
	Stream        string
	SchemaVersion int
	New           func() Event
}

// Upcaster turns the JSON payload of an event stored at schema version
// FromVersion into the payload of FromVersion+1. Upcasters are pure.
type Upcaster struct {
	EventType   string
	FromVersion int
	Up          func(payload json.RawMessage) (json.RawMessage, error)
}

// Stream kinds.
const (
	StreamCall    = "call"
	StreamUser    = "user"
	StreamPersona = "persona"
)

// EventTypes lists every event the domain can record, for explicit registration.
func EventTypes() []EventType {
	return []EventType{
		{Name: "CallCreated", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallCreated{} }},
		{Name: "CallStarted", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallStarted{} }},
		{Name: "CallConversationLinked", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallConversationLinked{} }},
		{Name: "TranscriptChunkAdded", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &TranscriptChunkAdded{} }},
		{Name: "CallEnded", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallEnded{} }},
		{Name: "CallFailed", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallFailed{} }},
		{Name: "CallQuickScored", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallQuickScored{} }},
		{Name: "CallDeepScored", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallDeepScored{} }},
		{Name: "CallDeepScoringFailed", Stream: StreamCall, SchemaVersion: 1, New: func() Event { return &CallDeepScoringFailed{} }},
		{Name: "UserRegistered", Stream: StreamUser, SchemaVersion: 1, New: func() Event { return &UserRegistered{} }},
		{Name: "UserProfileUpdated", Stream: StreamUser, SchemaVersion: 1, New: func() Event { return &UserProfileUpdated{} }},
		{Name: "UserOnboardingCompleted", Stream: StreamUser, SchemaVersion: 1, New: func() Event { return &UserOnboardingCompleted{} }},
		{Name: "UserDeleted", Stream: StreamUser, SchemaVersion: 1, New: func() Event { return &UserDeleted{} }},
		{Name: "PersonaCreated", Stream: StreamPersona, SchemaVersion: 1, New: func() Event { return &PersonaCreated{} }},
	}
}

// Upcasters lists every schema migration of stored payloads. Empty while every
// event type is at schema version 1; the store applies these on every read path
// (load, projections, rebuild, replay, export).
func Upcasters() []Upcaster { return nil }
