// Package eventstore is Sparrow's event log on PostgreSQL: one table, events,
// for every stream, read by consumer groups (Consume, consumer.go: one
// transaction per batch with the group's offset, what projections run on,
// in two round trips when the handler defers its writes (Round.Defer) and
// commits asynchronously when asked (AsyncCommit); Round.Unbroken tells a
// handler nothing else wrote the group's offsets row since its last round;
// the offsets table keeps watermill-sql's shape, ADR 1 and 12) and
// by direct, position-ordered scans (rebuild, export, replay).
//
// It owns two tables, events and event_consumer_offsets: no other package
// (migrations and internal/ tooling aside) writes SQL on them. Everything
// else asks the store: Append, Load*, ReadBatch, ReadPages (ReadBatch page
// after page, the next page read and decoded on a few goroutines while one is
// used; same events, same order), Head and Behind (the log's
// last readable position and a reader's backlog), VersionOf, AnyRecorded and
// StreamsWhere (lookups by event id or payload field), ConsumerPosition(s),
// HoldConsumers and MoveConsumer (consumer-group offsets), Consume, and Redact.
//
// The Waker (wake.go, commits.go) carries two kinds of news between
// processes on one database with LISTEN/NOTIFY: appends (sparrow_events,
// waking readers) and consumer-group commits (sparrow_commits, ending
// read-your-writes waits in a process whose consumers did not apply the
// event). Both are coalesced and sent after the commit, never inside a
// transaction; a lost announcement only costs a poll interval.
//
// The contract (covered by the acceptance suite in eventstore/storetest):
//
//   - Append(ctx, streamID, expectedVersion, events...) writes all events or
//     none, in ONE statement (one short transaction), at versions
//     expectedVersion+1...; it returns the new version and the position of the
//     last event. Concurrent appends may share that statement and
//     transaction (group commit, groupcommit.go: one round trip and one
//     commit for many appends, never two of one stream); each is still all
//     or none and answered as if sent alone, and one that fails (a conflict,
//     a reused id, a refused payload) never fails the others. OnAppend is
//     called for each recorded append, before its Append returns.
//   - A context that ends before the append is sent writes nothing and
//     Append returns its error. One that ends after leaves the append to
//     what the database does (it may be recorded, with the appends it was
//     sent with); Append returns the context's error at once, and a retry
//     with the same event ids tells which.
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
//     consumers read in. Reads never return an event whose transaction id
//     is not yet below every running transaction, so a reader that has seen
//     position P has seen every event ordered before P, forever.
//   - Events are immutable, with ONE documented exception: Redact rewrites
//     the payloads of given streams under a caller's rule, to erase personal
//     data (docs/privacy.md). It keeps ids, types, versions, positions and
//     metadata, checks every rewritten payload still decodes, runs in one
//     transaction and is idempotent.
//   - Errors: every method classifies driver errors through Classify, so
//     callers test sentinels with errors.Is and never import pgconn:
//     ErrUnavailable (the database cannot be reached or is shutting down),
//     ErrConflict (serialization failure, deadlock, unique violation; every
//     ErrConcurrencyConflict is one), besides the contract's own
//     ErrConcurrencyConflict, ErrEventIDReused, ErrInvalidAppend,
//     ErrUnknownEventType, ErrDecode and ErrInvalidRedaction. The cause stays
//     in the chain.
package eventstore
