package eventstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Consume runs one consumer group on the log (ADR 10): it is what the live
// projections and the scoring queue run on. Each round is ONE REPEATABLE READ
// transaction on a pool connection, in as few round trips as the handler
// allows (BEGIN is pipelined with step 1, COMMIT with step 3):
//
//  1. read the group's committed position (locking the group's offsets row,
//     so replicas of a group take turns) and up to BatchSize readable events
//     after it: from the events the process's groups share (readCache) when
//     they hold that position, else from the log in the same statement;
//  2. hand them to the handler with the transaction, which reports how many it
//     handled (a prefix of the batch, at least one);
//  3. move the group's offset to the last handled event and commit.
//
// The handler's writes and the offset commit together or not at all: a
// handler error rolls everything back, even the events before the failing
// one, and Consume returns it. A round that lost a race (serialization
// failure or deadlock: another replica of the group, a rebuild's swap) is
// rolled back and run again at once. When nothing is readable it waits for a
// wake (Waker), a short spin while a known append is not readable yet, or the
// poll interval.
func (s *Store) Consume(ctx context.Context, cfg ConsumerConfig, handle BatchHandler) error {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("eventstore: consume: %w", err)
	}
	// The group's offsets row exists before the first round, so every
	// round can lock it: two consumers starting a new group would otherwise
	// both find no row to lock and both handle its first batch.
	if _, err := s.pool.Exec(ctx, `INSERT INTO event_consumer_offsets (consumer_group, offset_acked, last_processed_transaction_id)
VALUES ($1, 0, '0') ON CONFLICT (consumer_group) DO NOTHING`, cfg.ConsumerGroup); err != nil {
		return fmt.Errorf("eventstore: Consume(%s): creating the group's offsets row: %w", cfg.ConsumerGroup, Classify(err))
	}
	var wake <-chan struct{}
	if cfg.Waker != nil {
		var unsubscribe func()
		wake, unsubscribe = cfg.Waker.Subscribe(cfg.WakeOn...)
		defer unsubscribe()
	}
	var committed Position
	var writer string // the transaction of this Consume's last committed round
	idleSpins := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, pos, w, err := s.consumeRound(ctx, cfg, handle, writer, committed)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // stopped: whatever the round was doing is rolled back
			}
			if lostRace(err) {
				continue
			}
			return err
		}
		if n > 0 {
			idleSpins, committed, writer = 0, pos, w
			if cfg.Committed != nil {
				cfg.Committed(pos)
			}
			continue
		}
		wait := cfg.PollInterval
		if cfg.Waker != nil && committed.Less(cfg.Waker.LatestOf(cfg.WakeOn...)) && idleSpins < maxSpins {
			wait = time.Millisecond << min(idleSpins, 3)
			idleSpins++
		} else {
			idleSpins = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-wake:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// Delivery is one event handed to a BatchHandler.
type Delivery struct {
	Event
	// Err is why the event could not be decoded (ErrDecode,
	// ErrUnknownEventType...): its position, stream, version and type are
	// set, its Data is not. Nil for events of kinds the consumer does not
	// decode (ConsumerConfig.Decode), whose Data is nil too.
	Err error
}

// BatchHandler handles a batch of events, in log order, inside tx. It
// returns how many of them (a prefix, at least one) it handled; the group's
// offset moves past exactly those.
type BatchHandler func(ctx context.Context, tx Round, batch []Delivery) (handled int, err error)

// Round is a consumer round's transaction as its handler sees it.
type Round interface {
	Tx
	// Unbroken reports whether nothing but this Consume's previous round has
	// written the group's offsets row since that round committed: no other
	// replica's round, no MoveConsumer (a rebuild's swap, a quarantine
	// resolution). What the handler learned in rounds that committed is
	// then still true of the database, so it may skip reading it again.
	// False in a Consume's first round.
	Unbroken() bool
	// Defer queues a statement to run after the handler returns, pipelined
	// with the offset write and COMMIT (no round trip of its own). If it
	// fails, the round rolls back and Consume returns an error wrapping
	// ErrDeferred and the statement's error.
	Defer(sql string, args ...any)
}

// ErrDeferred marks a round that failed in a statement its handler deferred
// (Round.Defer): the handler had returned success, so only the caller of
// Consume learns of it.
var ErrDeferred = errors.New("eventstore: a deferred statement failed")

type round struct {
	*pgx.Conn
	unbroken bool
	later    *pgx.Batch
}

func (r *round) Unbroken() bool { return r.unbroken }

func (r *round) Defer(sql string, args ...any) { r.later.Queue(sql, args...) }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Tx is a consumer round's open transaction as its handler sees it:
// statements only. Consume owns BEGIN and COMMIT (pipelined with its own
// statements); a handler must not end the transaction, and may use
// savepoints. pgx.Tx and *pgx.Conn satisfy it.
type Tx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// ConsumerConfig configures Consume.
type ConsumerConfig struct {
	ConsumerGroup string
	// BatchSize is the most events one transaction reads (default 500).
	BatchSize int
	// PollInterval is the fallback wait when no wake arrives (default 500ms).
	PollInterval time.Duration
	// Waker, when set, wakes the consumer as soon as an append commits.
	Waker *Waker
	// WakeOn limits wakes to appends to these stream kinds (default: all).
	WakeOn []string
	// Decode lists the stream kinds whose payloads are decoded (default:
	// all); events of other kinds are delivered with position, stream,
	// version and type only, so a consumer does not pay for what it skips.
	Decode []string
	// Committed, when set, is called after each round that handled events
	// commits, with the position the group reached.
	Committed func(Position)
	// AsyncCommit commits rounds with synchronous_commit off: a round is
	// visible to everyone at once but made durable by the WAL writer a few
	// milliseconds later, so no round waits for a disk flush. A crash of
	// the database server may then forget the last rounds' writes and offset
	// together (never one without the other), and the group applies those
	// events again. For groups whose writes can be derived again from the
	// log, such as read-model projections; not for a consumer whose effects
	// leave the database.
	AsyncCommit bool
}

func (c *ConsumerConfig) setDefaults() {
	if c.BatchSize == 0 {
		c.BatchSize = 500
	}
	if c.PollInterval == 0 {
		c.PollInterval = 500 * time.Millisecond
	}
}

// Validate reports every problem with the config.
func (c ConsumerConfig) Validate() error {
	var errs []error
	if c.ConsumerGroup == "" {
		errs = append(errs, errors.New("consumer group is required"))
	}
	if c.BatchSize < 1 || c.PollInterval <= 0 {
		errs = append(errs, errors.New("batch size and poll interval must be positive"))
	}
	return errors.Join(errs...)
}

// consumeRead selects a group's next events: the offsets row read and
// locked in the same statement (and snapshot), then up to $2 readable
// events after a start position: $3/$4 when given (the end of the events
// the process already holds, readCache; no group locks nothing), else the
// group's own. The locked
// position comes back on every row, and on one row of NULL events when
// there are none. The text form of transaction_id is named txid: under its
// own name, ORDER BY would sort by that output column, as text ("10" before
// "9"), reading past older transactions' events and sorting the whole backlog
// on every round. The lock comes first, before the handler touches any
// table, as a rebuild's swap takes them (offset rows, then tables): in the
// other order the two deadlock. A row moved since the snapshot fails the
// round with a serialization failure, and it runs again. Payloads are read
// for the kinds in $5 (NULL: every kind, for a read readCache keeps).
const consumeRead = `WITH locked AS (
  SELECT last_processed_transaction_id AS tx, offset_acked AS off, xmin::text AS writer
  FROM event_consumer_offsets WHERE consumer_group = $1 FOR UPDATE),
last AS (SELECT coalesce((SELECT tx FROM locked), '0'::xid8) AS tx, coalesce((SELECT off FROM locked), 0) AS off,
  coalesce((SELECT writer FROM locked), '') AS writer),
start AS (SELECT coalesce($3::text::xid8, (SELECT tx FROM last)) AS tx, coalesce($4::bigint, (SELECT off FROM last)) AS off)
SELECT last.tx::text, last.off, last.writer, pg_snapshot_xmin(pg_current_snapshot())::text, e."offset", e.txid, e.stream_id, e.stream_type, e.stream_version, e.event_type,
  e.schema_version, e.payload, e.metadata, e.recorded_at
FROM last LEFT JOIN LATERAL (
  SELECT "offset", transaction_id AS tx8, transaction_id::text AS txid, stream_id::text, stream_type, stream_version, event_type,
    schema_version,
    CASE WHEN $5::text[] IS NULL OR stream_type = ANY($5::text[]) THEN payload::text END AS payload,
    CASE WHEN $5::text[] IS NULL OR stream_type = ANY($5::text[]) THEN metadata::text END AS metadata, recorded_at
  FROM events
  WHERE (transaction_id, "offset") > (SELECT tx, off FROM start)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY transaction_id, "offset"
  LIMIT $2) e ON true
ORDER BY e.tx8, e."offset"`

// consumeCommit moves a group's offset; it is pipelined with COMMIT. It
// returns the writing transaction's id (the row's new xmin): the next round
// reads the row's xmin again, and the two are equal only if nothing else
// wrote the row in between (Round.Unbroken).
const consumeCommit = `INSERT INTO event_consumer_offsets (consumer_group, offset_acked, last_processed_transaction_id)
VALUES ($1, $2, $3::text::xid8) ON CONFLICT (consumer_group) DO UPDATE
SET offset_acked = excluded.offset_acked, last_processed_transaction_id = excluded.last_processed_transaction_id
RETURNING xmin::text`

// consumeRound runs one round on a pooled connection. Its transaction
// control is pipelined with its own statements: BEGIN goes out with the
// batch select and the offset write with COMMIT, two round trips for what
// took four (pgx's BeginTx and Commit each wait for their answer). On any
// error the transaction is rolled back before the connection goes back to
// the pool (and a connection left inside a transaction is closed by the
// pool, never reused).
func (s *Store) consumeRound(ctx context.Context, cfg ConsumerConfig, handle BatchHandler, lastWriter string, committed Position) (n int, pos Position, writer string, err error) {
	defer wrap(&err, "Consume(%s)", cfg.ConsumerGroup)
	// The process's groups share their reads (readCache): a group whose last
	// commit is the newest event the process holds first has the newer
	// events read, once for every group waiting for them (refreshReads, on
	// a connection of its own: before this round takes one), then takes
	// them from there. A round reads the log itself only when its group is
	// not inside what the process holds (its first round, after another
	// replica or a rebuild's swap moved it, far behind).
	caughtUp := lastWriter != "" && s.reads.isEnd(committed)
	if caughtUp {
		caughtUp = s.refreshReads(ctx, cfg.BatchSize, committed)
	}
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, Position{}, "", err
	}
	defer pc.Release()
	conn := pc.Conn()
	open := false
	defer func() {
		if open || conn.PgConn().TxStatus() != 'I' {
			rollback(conn)
		}
	}()
	inRound := !caughtUp && !s.reads.covers(committed)
	limit := 0 // lock only
	if inRound {
		limit = cfg.BatchSize
	}
	// A read of its own is shared when it starts past what the process holds
	// (or it holds nothing): it then decodes every kind. Behind the stretch,
	// a group reads and decodes only its kinds, as before the stretch.
	decode := decodeArg(cfg.Decode)
	shared := inRound && s.reads.before(committed)
	if shared {
		decode = nil
	}
	b := &pgx.Batch{}
	b.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ`)
	if cfg.AsyncCommit {
		b.Queue(`SET LOCAL synchronous_commit = off`)
	}
	b.Queue(consumeRead, cfg.ConsumerGroup, limit, nil, nil, decode)
	br := conn.SendBatch(ctx, b)
	open = true
	locked, writer, horizon, read, err := s.beginRound(br, cfg.AsyncCommit)
	if err != nil {
		return 0, Position{}, "", err
	}
	var batch []Delivery
	if inRound {
		batch = read
		if shared {
			s.reads.add(locked, read)
		}
	} else if cached, ok := s.reads.after(locked, cfg.BatchSize); ok && (len(cached) > 0 || caughtUp && locked == committed) {
		// (Caught up and nothing newer: the refresh just looked.) Only what
		// this round's snapshot surely sees: a refresh after it began may
		// have read an event its snapshot does not (a handler reading the
		// log in the round, as fillGaps does, must find it).
		batch = below(cached, horizon)
	} else {
		// The group is not where this Consume left it (another replica, a
		// rebuild's swap) and past what the process holds: read from its
		// offset, in the same transaction (the row is locked: it stays).
		shared := s.reads.before(locked)
		decode := decodeArg(cfg.Decode)
		if shared {
			decode = nil
		}
		rows, err := conn.Query(ctx, consumeRead, cfg.ConsumerGroup, cfg.BatchSize, nil, nil, decode)
		if err != nil {
			return 0, Position{}, "", err
		}
		if _, _, _, batch, err = s.scanDeliveries(rows); err != nil {
			return 0, Position{}, "", err
		}
		if shared {
			s.reads.add(locked, batch)
		}
	}
	if len(batch) == 0 {
		return 0, Position{}, "", nil
	}
	for i := range batch {
		batch[i] = forGroup(batch[i], cfg.Decode)
	}
	r := &round{Conn: conn, unbroken: lastWriter != "" && writer == lastWriter, later: &pgx.Batch{}}
	n, err = handle(ctx, r, batch)
	if err != nil {
		return 0, Position{}, "", err
	}
	if n < 1 || n > len(batch) {
		return 0, Position{}, "", fmt.Errorf("handler reported %d of %d events handled", n, len(batch))
	}
	pos = batch[n-1].Position
	b = r.later
	deferred := b.Len()
	b.Queue(consumeCommit, cfg.ConsumerGroup, pos.Offset, strconv.FormatUint(pos.TxID, 10))
	b.Queue(`COMMIT`)
	br = conn.SendBatch(ctx, b)
	for i := 0; i < deferred && err == nil; i++ {
		if _, err = br.Exec(); err != nil {
			err = fmt.Errorf("%w: statement %d of %d (%s): %w", ErrDeferred, i+1, deferred, firstLine(b.QueuedQueries[i].SQL), err)
		}
	}
	if err == nil {
		err = br.QueryRow().Scan(&writer)
	}
	if err == nil {
		var tag pgconn.CommandTag
		tag, err = br.Exec()
		if err == nil && tag.String() != "COMMIT" {
			err = fmt.Errorf("commit answered %q", tag.String()) // the transaction had failed
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, Position{}, "", err
	}
	open = false
	return n, pos, writer, nil
}

// beginRound reads the answers to BEGIN and the read: the group's locked
// position, who last wrote its offsets row, and the events read.
func (s *Store) beginRound(br pgx.BatchResults, async bool) (locked Position, writer string, horizon uint64, read []Delivery, err error) {
	defer func() {
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := br.Exec(); err != nil {
		return Position{}, "", 0, nil, err
	}
	if async {
		if _, err := br.Exec(); err != nil {
			return Position{}, "", 0, nil, err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return Position{}, "", 0, nil, err
	}
	return s.scanDeliveries(rows)
}

// decodeArg is consumeRead's $5 for a Decode list: NULL for every kind.
func decodeArg(kinds []string) any {
	if kinds == nil {
		return nil
	}
	return kinds
}

// rollback ends a round's transaction, with the simple protocol (an aborted
// transaction refuses to prepare a statement). If even that fails the
// connection is closed, so the pool never hands out a connection inside a
// transaction.
func rollback(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := conn.Exec(ctx, `ROLLBACK`, pgx.QueryExecModeSimpleProtocol); err != nil {
		_ = conn.Close(ctx)
	}
}

func (s *Store) scanDeliveries(rows pgx.Rows) (locked Position, writer string, horizon uint64, out []Delivery, err error) {
	defer rows.Close()
	first := true
	for rows.Next() {
		if first {
			// The locked position, on every row: read once.
			first = false
			raw := rows.RawValues()
			if locked.TxID, err = parseTxID(raw[0]); err == nil {
				horizon, err = parseTxID(raw[3])
			}
			if err != nil {
				return Position{}, "", 0, nil, err
			}
			dest := make([]any, len(raw))
			dest[1], dest[2] = &locked.Offset, &writer
			if err := rows.Scan(dest...); err != nil {
				return Position{}, "", 0, nil, err
			}
			if raw[4] == nil {
				break // no events: one row of NULLs
			}
		}
		var (
			d                 Delivery
			payload, metadata []byte
		)
		e := &d.Event
		// The transaction id is parsed from the row's bytes, and payload and
		// metadata scanned as bytes: as strings, then converted, each row
		// cost three more allocations and two copies.
		if err := rows.Scan(nil, nil, nil, nil, &e.Position.Offset, nil, &e.StreamID, &e.StreamType, &e.Version, &e.Type,
			&e.SchemaVersion, &payload, &metadata, &e.RecordedAt); err != nil {
			return Position{}, "", 0, nil, err
		}
		if e.Position.TxID, err = parseTxID(rows.RawValues()[5]); err != nil {
			return Position{}, "", 0, nil, err
		}
		if payload != nil && metadata != nil {
			d.Err = s.decodeInto(e, payload, metadata)
		}
		out = append(out, d)
	}
	return locked, writer, horizon, out, rows.Err()
}

// Transient reports whether err may go away if the same work is tried again:
// the database unavailable (ErrUnavailable), a lost race (serialization
// failure, deadlock), a cancelled or timed-out statement or context. Anything
// else (a constraint, an out-of-range value, an undecodable event) fails the
// same way every time. Consumers quarantine only what is not transient.
func Transient(err error) bool {
	return errors.Is(Classify(err), ErrUnavailable) || lostRace(err) ||
		isSQLState(err, "57014") || isSQLState(err, "55P03") ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// lostRace reports whether a round failed only because it lost a race with
// another transaction: deadlock (40P01) or serialization failure (40001,
// "could not serialize access due to concurrent update"), matched by SQLSTATE.
func lostRace(err error) bool {
	return isSQLState(err, "40P01") || isSQLState(err, "40001")
}

// maxSpins bounds the quick re-polls while a known append is not readable
// (about 200 ms of 8 ms polls), after which the poll interval applies again.
const maxSpins = 28
