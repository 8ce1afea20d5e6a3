// Package projections builds Sparrow's read tables (users, personas, calls,
// transcripts, scores, user_stats) from the event log.
//
// A Projector is pure: Apply turns one event into SQL statements on the
// projector's own tables and does no I/O. Two engines execute them:
//
//   - Runner (live): one watermill-sql consumer group per projector. Each
//     event is applied inside the subscriber's batch transaction, so the read
//     tables and the group's offset commit together, and inside a SAVEPOINT,
//     because a Nack does not roll back (watermill issue #224). The last
//     version applied per (projector, stream) lives in projection_versions:
//     an event at or below it is a duplicate and is skipped; an event past a
//     gap first loads the missing versions from the log. So each event takes
//     effect exactly once and in version order, whatever the delivery order.
//   - Rebuilder: reads the log directly by position in large pages (never
//     through a consumer group), orders each stream by version in memory,
//     pipelines the same statements into shadow tables, and swaps them in
//     atomically while the live group is held at the same position.
//
// Invariants: a projector writes only its own tables (Tables); read-table
// timestamps come from events, never now(), so rebuilds are exact; no
// projector calls the network or does slow work inside a transaction.
package projections
