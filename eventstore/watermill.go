package eventstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmsql "github.com/ThreeDotsLabs/watermill-sql/v3/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jackc/pgx/v5"
)

// Topic is the watermill topic the log is published under.
const Topic = "events"

// logSchema adapts watermill-sql to the events table. Differences from the
// default PostgreSQL schema, and why:
//   - the select compares (transaction_id, "offset") as a row, which the
//     primary-key index serves directly (the default's OR does not), so a
//     poll costs the same on a 10-million-event log as on an empty one;
//   - rows carry stream id, version and type, so consumers can order by
//     stream version without decoding payloads;
//   - inserting through watermill is refused: appends go through Store.Append,
//     which enforces expected versions;
//   - no schema initialisation: migrations own the tables.
type logSchema struct{ batchSize int }

func (s logSchema) SchemaInitializingQueries(string) []wmsql.Query { return nil }

func (s logSchema) InsertQuery(string, message.Messages) (wmsql.Query, error) {
	return wmsql.Query{}, errors.New("eventstore: append through eventstore.Store, not a watermill publisher")
}

func (s logSchema) SelectQuery(topic, consumerGroup string, offsets wmsql.OffsetsAdapter) wmsql.Query {
	next := offsets.NextOffsetQuery(topic, consumerGroup)
	q := `
WITH last_processed AS (` + next.Query + `)
SELECT "offset", transaction_id::text AS txid, stream_id::text, stream_type, stream_version, event_type, schema_version,
       payload::text, metadata::text, recorded_at, event_id::text
FROM events
WHERE (transaction_id, "offset") > (SELECT last_processed_transaction_id, offset_acked FROM last_processed)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, "offset"
LIMIT ` + strconv.Itoa(s.batchSize)
	return wmsql.Query{Query: q, Args: next.Args}
}

// Message metadata keys carrying the row's columns to DecodeMessage.
const (
	mdTx, mdOffset, mdStream, mdStreamType = "tx", "offset", "stream_id", "stream_type"
	mdVersion, mdType, mdSchema, mdMeta    = "version", "type", "schema", "meta"
	mdRecorded                             = "recorded_at"
)

func (s logSchema) UnmarshalMessage(row wmsql.Scanner) (wmsql.Row, error) {
	var (
		off                                   int64
		tx, stream, streamType, typ, id, meta string
		version, schema                       int
		payload                               string
		recorded                              time.Time
	)
	if err := row.Scan(&off, &tx, &stream, &streamType, &version, &typ, &schema, &payload, &meta, &recorded, &id); err != nil {
		return wmsql.Row{}, fmt.Errorf("eventstore: scan event row: %w", err)
	}
	txid, err := strconv.ParseInt(tx, 10, 64)
	if err != nil {
		return wmsql.Row{}, fmt.Errorf("eventstore: transaction id %q: %w", tx, err)
	}
	msg := message.NewMessage(id, []byte(payload))
	msg.Metadata = message.Metadata{
		mdTx: tx, mdOffset: strconv.FormatInt(off, 10), mdStream: stream, mdStreamType: streamType,
		mdVersion: strconv.Itoa(version), mdType: typ, mdSchema: strconv.Itoa(schema), mdMeta: meta,
		mdRecorded: recorded.Format(time.RFC3339Nano),
	}
	return wmsql.Row{Offset: off, UUID: []byte(id), Payload: []byte(payload), Msg: msg,
		ExtraData: map[string]any{"transaction_id": txid}}, nil
}

func (s logSchema) SubscribeIsolationLevel() sql.IsolationLevel { return sql.LevelRepeatableRead }

// offsetsTable stores consumer-group offsets. The ack casts the transaction
// id through text, because database/sql drivers do not know the xid8 type.
type offsetsTable struct {
	wmsql.DefaultPostgreSQLOffsetsAdapter
}

func newOffsetsTable() offsetsTable {
	return offsetsTable{wmsql.DefaultPostgreSQLOffsetsAdapter{
		GenerateMessagesOffsetsTableName: func(string) string { return "event_consumer_offsets" },
	}}
}

func (a offsetsTable) SchemaInitializingQueries(string) []wmsql.Query { return nil }

// NextOffsetQuery locks the group's row like watermill's, but SKIP LOCKED:
// when another process (a replica, or a rebuild holding the group) has the
// row, this poll finds no offset, reads nothing and ends at once, instead
// of queueing behind the holder's batch and then failing its snapshot. A
// queued poll would also keep a transaction id open, which holds back the
// horizon every reader of the log waits for.
func (a offsetsTable) NextOffsetQuery(_, consumerGroup string) wmsql.Query {
	return wmsql.Query{Query: `SELECT offset_acked, last_processed_transaction_id FROM event_consumer_offsets
WHERE consumer_group = $1 FOR UPDATE SKIP LOCKED`, Args: []any{consumerGroup}}
}

func (a offsetsTable) AckMessageQuery(_ string, row wmsql.Row, consumerGroup string) wmsql.Query {
	return wmsql.Query{Query: `
INSERT INTO event_consumer_offsets (offset_acked, last_processed_transaction_id, consumer_group)
VALUES ($1, $2::text::xid8, $3)
ON CONFLICT (consumer_group) DO UPDATE
SET offset_acked = excluded.offset_acked, last_processed_transaction_id = excluded.last_processed_transaction_id`,
		Args: []any{row.Offset, strconv.FormatInt(row.ExtraData["transaction_id"].(int64), 10), consumerGroup}}
}

// DecodeMessage turns a message from a Subscriber into an Event.
func (s *Store) DecodeMessage(msg *message.Message) (Event, error) {
	md := msg.Metadata
	var e Event
	var err error
	if e.Position.TxID, err = strconv.ParseUint(md.Get(mdTx), 10, 64); err != nil {
		return Event{}, fmt.Errorf("%w: message %s has no position", ErrDecode, msg.UUID)
	}
	e.StreamID, e.StreamType, e.Type = md.Get(mdStream), md.Get(mdStreamType), md.Get(mdType)
	var errs [4]error
	e.Position.Offset, errs[0] = strconv.ParseInt(md.Get(mdOffset), 10, 64)
	e.Version, errs[1] = strconv.Atoi(md.Get(mdVersion))
	e.SchemaVersion, errs[2] = strconv.Atoi(md.Get(mdSchema))
	e.RecordedAt, errs[3] = time.Parse(time.RFC3339Nano, md.Get(mdRecorded))
	if err := errors.Join(errs[:]...); err != nil {
		return Event{}, fmt.Errorf("%w: message %s: %w", ErrDecode, msg.UUID, err)
	}
	if err := s.decodeInto(&e, msg.Payload, []byte(md.Get(mdMeta))); err != nil {
		return Event{}, err
	}
	return e, nil
}

// SubscriberConfig configures one consumer group's subscriber.
type SubscriberConfig struct {
	ConsumerGroup string
	// BatchSize is how many events one transaction processes (default 100).
	BatchSize int
	// PollInterval is the fallback wait when no wake arrives (default 500ms).
	PollInterval time.Duration
	// AckDeadline bounds the handling of one message (default 10s).
	AckDeadline time.Duration
	// Waker, when set, wakes the subscriber as soon as an append commits.
	Waker *Waker
	// WakeOn limits wakes to appends to these stream kinds (default: all);
	// events of other kinds are still delivered, at the next wake or poll.
	WakeOn []string
	// Committed, when set, is called after each batch that delivered events
	// commits, with the consumer group's committed position.
	Committed func(Position)
	Logger    watermill.LoggerAdapter
}

func (c *SubscriberConfig) setDefaults() {
	if c.BatchSize == 0 {
		c.BatchSize = 100
	}
	if c.PollInterval == 0 {
		c.PollInterval = 500 * time.Millisecond
	}
	if c.AckDeadline == 0 {
		c.AckDeadline = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = watermill.NopLogger{}
	}
}

// Validate reports every problem with the config.
func (c SubscriberConfig) Validate() error {
	var errs []error
	if c.ConsumerGroup == "" {
		errs = append(errs, errors.New("consumer group is required"))
	}
	if c.BatchSize < 1 || c.PollInterval <= 0 || c.AckDeadline <= 0 {
		errs = append(errs, errors.New("batch size, poll interval and ack deadline must be positive"))
	}
	return errors.Join(errs...)
}

// Subscription is one consumer group's watermill-sql subscriber.
type Subscription struct {
	*wmsql.Subscriber
	db *pinnedDB
}

// WithConn runs fn on the native pgx connection of tx, the transaction
// watermill handed to a handler (sql.TxFromContext): statements fn sends are
// part of that transaction, and can be pipelined.
func (s *Subscription) WithConn(tx *sql.Tx, fn func(*pgx.Conn) error) error {
	return s.db.withConn(tx, fn)
}

// Close stops the subscriber and returns its connection.
func (s *Subscription) Close() error {
	err := s.Subscriber.Close()
	s.db.release()
	return err
}

// NewSubscriber returns a watermill-sql subscriber for one consumer group.
// Handlers write through sql.TxFromContext(msg.Context()) (or WithConn) so
// their writes commit with the group's offset. ctx bounds the subscriber's waits.
func NewSubscriber(ctx context.Context, db *sql.DB, cfg SubscriberConfig) (*Subscription, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("eventstore: subscriber: %w", err)
	}
	ack := cfg.AckDeadline
	pinned := &pinnedDB{DB: db}
	bm := &wakeBackoff{ctx: ctx, db: db, cfg: cfg, pinned: pinned}
	if cfg.Waker != nil {
		bm.wake, bm.unsubscribe = cfg.Waker.Subscribe(cfg.WakeOn...)
		go func() { <-ctx.Done(); bm.unsubscribe() }()
	}
	sub, err := wmsql.NewSubscriber(pinned, wmsql.SubscriberConfig{
		ConsumerGroup:  cfg.ConsumerGroup,
		AckDeadline:    &ack,
		PollInterval:   cfg.PollInterval,
		ResendInterval: 50 * time.Millisecond,
		RetryInterval:  250 * time.Millisecond,
		BackoffManager: bm,
		SchemaAdapter:  logSchema{batchSize: cfg.BatchSize},
		OffsetsAdapter: newOffsetsTable(),
	}, cfg.Logger)
	if err != nil {
		return nil, err
	}
	return &Subscription{Subscriber: sub, db: pinned}, nil
}

// wakeBackoff is the subscriber's BackoffManager. watermill calls it after
// every poll, once the poll's transaction has ended, which makes it the hook
// for two things watermill lacks: learning the committed position, and
// waking on commit instead of sleeping a fixed poll interval.
type wakeBackoff struct {
	ctx         context.Context
	db          *sql.DB
	cfg         SubscriberConfig
	wake        <-chan struct{}
	unsubscribe func()
	committed   Position
	idleSpins   int
	pinned      *pinnedDB
}

func (b *wakeBackoff) HandleError(logger watermill.LoggerAdapter, noMsg bool, err error) time.Duration {
	// The poll's transaction has ended: give its pinned connection back.
	b.pinned.release()
	if err != nil {
		if lostRace(err) {
			return 0 // lost a race (e.g. with a projection swap): retry at once
		}
		logger.Error("event subscriber: poll failed", err, nil)
		return 250 * time.Millisecond
	}
	if !noMsg {
		b.idleSpins = 0
		if pos, err := b.readCommitted(); err == nil {
			b.committed = pos
			if b.cfg.Committed != nil {
				b.cfg.Committed(pos)
			}
		}
		return 0
	}
	// Nothing was readable. If an append we know of is not readable yet, an
	// older transaction holds the horizon; it may be another consumer's, whose
	// commit wakes no one, so look again soon (1, 2, 4, 8, 8... ms, at most
	// maxSpins times). Every wait here is cut short by a wake: a sleep
	// returned to watermill would not be, and used to add up to 255 ms of lag.
	wait := b.cfg.PollInterval
	if b.cfg.Waker != nil && b.committed.Less(b.cfg.Waker.LatestOf(b.cfg.WakeOn...)) && b.idleSpins < maxSpins {
		wait = time.Millisecond << min(b.idleSpins, 3)
		b.idleSpins++
	} else {
		b.idleSpins = 0
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-b.wake:
	case <-t.C:
	case <-b.ctx.Done():
	}
	return 0
}

// lostRace reports whether a poll failed only because it lost a race with
// another transaction: deadlock (40P01) or serialization failure (40001,
// "could not serialize access due to concurrent update"), matched by SQLSTATE.
func lostRace(err error) bool {
	return isSQLState(err, "40P01") || isSQLState(err, "40001")
}

// maxSpins bounds the quick re-polls while a known append is not readable
// (about 200 ms of 8 ms polls), after which the poll interval applies again.
const maxSpins = 28

func (b *wakeBackoff) readCommitted() (Position, error) {
	return readCommitted(b.ctx, b.db, b.cfg.ConsumerGroup)
}
