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
// A Projector is pure: it turns one event into effects on its own tables
// and does no I/O. Every projector states them once, in its row form
// (rows.go, ADR 11): Changes(e) says which rows of which of its tables the
// event inserts, updates or deletes; Apply(e), the same as statements, is
// generated from those changes (the careful path runs it, one event per
// savepoint). Two engines execute them:
//
//   - Runner (live): one consumer group per projector, each on its own loop
//     (eventstore.Consume, ADR 10): a round reads up to BatchSize (500)
//     events and applies them in bulk inside ONE transaction that also moves
//     the group's offset (applyBatch, through the rebuild's feeder: the
//     batch's changes merged into one statement per shape and layer
//     (merge.go), pipelined, finalizers once per batch), so the read tables
//     and the offset commit together or not at all. Rounds commit
//     asynchronously (eventstore.ConsumerConfig.AsyncCommit): no round waits
//     for a WAL flush, and a database crash can only forget the last rounds
//     whole, which the group then applies again. The last version applied
//     per (projector, stream) lives in projection_versions: an event at or
//     below it is a duplicate and is skipped; an event past a gap first loads
//     the missing versions from the log. So each event takes effect exactly
//     once and in version order, whatever the delivery order.
//     A consumer loop keeps what its own committed rounds wrote to
//     projection_versions (versionCache, batch.go) and skips reading them in
//     a round eventstore calls unbroken (nothing else wrote the group's
//     offsets row since its last commit); a stream it does not know starts
//     at version 0 when the batch starts it at version 1. This holds because
//     projection_versions and projection_quarantine rows of a projector are
//     written only by its group's rounds and by transactions that move the
//     group's offsets row (eventstore.MoveConsumer: a rebuild's swap, a
//     quarantine resolution): keep it so.
//   - Poison events (quarantine.go): a batch that fails for a reason that is
//     not transient (eventstore.Transient) rolls back entirely and its events
//     are applied again one by one, each in a SAVEPOINT (at most 50 per
//     transaction: past 64 subtransactions PostgreSQL's subxid cache
//     overflows). An event that fails QuarantineAfter times quarantines its
//     stream for that projector (projection_quarantine, this package's
//     table): the projector skips the stream's later events and goes on with
//     every other stream until `sparrow projections quarantine retry|skip`.
//     Transient failures are retried with backoff, never quarantined.
//   - Rebuilder: reads the log directly by position in large pages (never
//     through a consumer group), orders each stream by version in memory,
//     folds the same Changes into rows in memory (fold.go) and COPYs the
//     final rows into shadow tables (append-only tables such as transcripts
//     are streamed out every RebuildConfig.StreamRows rows, so memory holds
//     the keyed rows and one slice), adds constraints and indexes after the
//     load, and swaps the tables in atomically while the live group is held
//     at the same position (the catch-up to that position runs the
//     statements). A projector without a row form is rebuilt through its
//     statements instead.
//
// What derives from many rows is SQL both engines run the same way: Derive
// changes (a call's day in its user's zone, the user's current zone) and
// the Finalizer (user_stats' aggregates) run per event live, and once over
// every row after a rebuild's load.
//
// Rebuild and verify leave out what the live runner left out (a quarantined
// stream from its quarantined event on, skipped events), so they agree with
// live; retry and skip start from the quarantine row, not projection_versions.
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
