// Package projections builds Sparrow's read tables (users, personas, calls,
// transcripts, scores, user_stats) and the deep-scoring worker's to-do list
// (scoring_jobs) from the event log.
//
// The registry (projector.go) lists every projector once: ReadModels (the
// tables the API reads; the runner read-your-writes waits for), WorkQueues
// (scoring_jobs, run by a second runner whose commits wake the worker), and
// All, which the CLI's --only, `sparrow projections status|rebuild|verify`,
// doctor and /api/health (through app) cover. A projector's name is written
// only in its Name method.
//
// Lag is computed in one place, Lag: a projector's committed position
// against the log's head (eventstore.Store.Head and Behind), as an event
// count and the age of the oldest event not applied. Statuses reads the
// positions from the database (status, doctor); Runner.Lag and
// app.ProjectorLag from the running runners (/api/health).
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
// Replicas: several processes may run the same runners on one database.
// Each consumer group's offsets row is locked per batch, so every event is
// applied once, by whichever process holds the group at that moment, and a
// process killed mid-batch loses only its uncommitted batch (PostgreSQL
// releases its lock when the connection dies; another process takes over at
// its next poll). A runner's committed positions, which WaitFor, Health and
// Lag read, merge its own consumers' commits with those the Waker learns
// from the other processes (NOTIFY announcements, and a poll of the offsets
// while anyone waits): see commits.go.
//
// Invariants: a projector writes only its own tables (Tables); read-table
// timestamps come from events, never now(), so rebuilds are exact; no
// projector calls the network or does slow work inside a transaction.
// One table is shared on purpose: scoring_jobs also carries columns the
// deep-scoring worker maintains (lease, attempts, last error), declared
// through WorkerColumns; a rebuild keeps their live values and verify does
// not compare them (both say so in their progress output). The log and the
// consumer offsets are read and moved only through eventstore.
package projections
