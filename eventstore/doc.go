// Package eventstore is Sparrow's event log on PostgreSQL: one table, events,
// for every stream, read by watermill-sql consumer groups (see watermill.go)
// and by direct, position-ordered scans (rebuild, export, replay).
//
// The contract (covered by the acceptance suite in eventstore/storetest):
//
//   - Append(ctx, streamID, expectedVersion, events...) writes all events or
//     none, in ONE statement (one short transaction), at versions
//     expectedVersion+1...; it returns the new version and the position of the
//     last event.
//   - A stale expectedVersion returns an error wrapping ErrConcurrencyConflict.
//   - Appending events whose ids are already recorded at the same place in the
//     same stream is idempotent: it returns the original result and writes
//     nothing (webhook redelivery and client retries are safe). Reusing an event
//     id for different content or another stream returns ErrEventIDReused.
//   - Load returns a stream's events in version order; LoadUntil stops at a
//     version ("as of" N). A stream with no events loads as empty, not an error.
//   - Every read path (Load, ReadAll, the consumer groups, rebuild, replay,
//     export) decodes through one Registry: event types are registered
//     explicitly, payloads at an old schema version are upcast step by step,
//     and an unknown type or undecodable payload is an error naming the
//     event's position, never a silent skip.
//   - Positions order the whole log: (transaction id, offset), the order
//     watermill delivers in. Reads never return an event whose transaction id
//     is not yet below every running transaction, so a reader that has seen
//     position P has seen every event ordered before P, forever.
package eventstore
