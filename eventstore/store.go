package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// StoreConfig configures a Store.
type StoreConfig struct {
	// Registry decodes events; defaults to every domain event.
	Registry *Registry
	// OnAppend, when set, is called after every committed append (e.g. to wake
	// subscribers), before that Append returns. It must not block: it may run
	// on the goroutine that sent the append's group, holding back the others.
	OnAppend func(streamID string, res AppendResult)
	// Now is the clock for OccurredAt defaults; defaults to time.Now.
	Now func() time.Time
	// GroupCommit bounds the groups concurrent appends are sent in
	// (groupcommit.go).
	GroupCommit GroupCommitConfig
}

func (c *StoreConfig) setDefaults() error {
	if c.Registry == nil {
		r, err := DomainRegistry()
		if err != nil {
			return err
		}
		c.Registry = r
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c.GroupCommit.setDefaults()
}

// Store is the PostgreSQL event log. It is safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	cfg    StoreConfig
	writer *appendWriter
	reads  readCache // the newest events the process's consumer groups read, shared
}

// NewStore returns a store on pool. The schema must exist (see package migrations).
func NewStore(pool *pgxpool.Pool, cfg StoreConfig) (*Store, error) {
	if pool == nil {
		return nil, errors.New("eventstore: NewStore: pool is nil")
	}
	if err := cfg.setDefaults(); err != nil {
		return nil, fmt.Errorf("eventstore: NewStore: %w", err)
	}
	return &Store{pool: pool, cfg: cfg, writer: newAppendWriter(cfg.GroupCommit)}, nil
}

// Registry returns the store's registry.
func (s *Store) Registry() *Registry { return s.cfg.Registry }

// Pool returns the pool the store uses.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// The single-append statements insert every event of one append in one
// statement (one short transaction): an append sent alone, or run alone when
// its group's statement failed (groupcommit.go). Contiguity needs two facts:
// version expectedVersion exists (the guard, a point lookup on the unique
// key; none for a new stream) and version expectedVersion+1 does not
// (UNIQUE (stream_id, stream_version) rejects the insert with 23505, also
// when two appends race).
const (
	appendOneSQL = `
INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
SELECT $4::uuid, $1, $2, $3 + 1, $5, $6, $7::jsonb, $8::jsonb
WHERE $3 = 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_version = $3)
RETURNING stream_version, "offset", transaction_id::text`

	appendManySQL = `
INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
SELECT e.id::uuid, $1, $2, $3 + e.ord, e.typ, e.sv, e.payload::jsonb, e.meta::jsonb
FROM unnest($4::text[], $5::text[], $6::int[], $7::text[], $8::text[]) WITH ORDINALITY AS e(id, typ, sv, payload, meta, ord)
WHERE $3 = 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_version = $3)
RETURNING stream_version, "offset", transaction_id::text`
)

// Append records events at versions expectedVersion+1... of streamID. All
// events must belong to one stream kind. See the package doc for the
// contract, and groupcommit.go for how concurrent appends share a statement.
func (s *Store) Append(ctx context.Context, streamID string, expectedVersion int, events ...NewEvent) (res AppendResult, err error) {
	defer wrap(&err, "Append(%s@%d)", streamID, expectedVersion)
	p, err := s.prepareAppend(streamID, expectedVersion, events)
	if err != nil {
		return AppendResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return AppendResult{}, err
	}
	p.ctx = ctx
	r := s.submit(ctx, p)
	switch r.kind {
	case outcomeRejected:
		res, err := s.resolveRejectedAppend(ctx, p.streamID, p.expected, p.ids, p.types)
		res.StreamType = p.streamType
		return res, err
	case outcomeAlone:
		return s.appendAlone(ctx, p)
	default:
		return r.res, r.err
	}
}

// prepareAppend validates an append and encodes its events.
func (s *Store) prepareAppend(streamID string, expectedVersion int, events []NewEvent) (*pendingAppend, error) {
	sid, perr := uuid.Parse(streamID)
	if perr != nil {
		return nil, fmt.Errorf("%w: stream id %q is not a UUID", ErrInvalidAppend, streamID)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%w: no events", ErrInvalidAppend)
	}
	if expectedVersion < 0 {
		return nil, fmt.Errorf("%w: expected version %d < 0", ErrInvalidAppend, expectedVersion)
	}
	n := len(events)
	p := &pendingAppend{
		streamID: streamID, key: sid.String(), expected: expectedVersion,
		ids: make([]string, n), types: make([]string, n), svs: make([]int32, n), payloads: make([]string, n), metas: make([]string, n),
		done: make(chan groupResult, 1),
	}
	for i, e := range events {
		if e.Data == nil {
			return nil, fmt.Errorf("%w: event %d has no data", ErrInvalidAppend, i)
		}
		t, terr := s.cfg.Registry.typeOf(e.Data)
		if terr != nil {
			return nil, terr
		}
		if i == 0 {
			p.streamType = t.Stream
		} else if t.Stream != p.streamType {
			return nil, fmt.Errorf("%w: %s belongs to a %s stream, not %s", ErrInvalidAppend, t.Name, t.Stream, p.streamType)
		}
		if _, perr := uuid.Parse(e.ID); perr != nil {
			return nil, fmt.Errorf("%w: event %d id %q is not a UUID", ErrInvalidAppend, i, e.ID)
		}
		if e.Meta.Actor == "" {
			return nil, fmt.Errorf("%w: event %d has no actor", ErrInvalidAppend, i)
		}
		m := e.Meta
		m.EventID, m.SchemaVersion = e.ID, t.SchemaVersion
		if m.OccurredAt.IsZero() {
			m.OccurredAt = s.cfg.Now()
		}
		m.OccurredAt = m.OccurredAt.UTC()
		pj, jerr := json.Marshal(e.Data)
		if jerr != nil {
			return nil, fmt.Errorf("%w: encoding %s: %v", ErrInvalidAppend, t.Name, jerr)
		}
		mj, jerr := json.Marshal(m)
		if jerr != nil {
			return nil, fmt.Errorf("%w: encoding metadata of %s: %v", ErrInvalidAppend, t.Name, jerr)
		}
		p.ids[i], p.types[i], p.svs[i], p.payloads[i], p.metas[i] = e.ID, t.Name, int32(t.SchemaVersion), string(pj), string(mj)
		p.size += len(pj) + len(mj)
	}
	return p, nil
}

// appendAlone runs one append through the single-append statements: what
// every append did before group commit, and what each append of a group
// whose statement failed does.
func (s *Store) appendAlone(ctx context.Context, p *pendingAppend) (AppendResult, error) {
	res, rejected, err := s.insertAlone(ctx, p)
	switch {
	case err != nil:
		return AppendResult{}, err
	case rejected:
		res, err := s.resolveRejectedAppend(ctx, p.streamID, p.expected, p.ids, p.types)
		res.StreamType = p.streamType
		return res, err
	}
	s.recorded(p, &res)
	return res, nil
}

// insertAlone runs the single-append statement for p. rejected reports that
// the guard failed or an insert collided (23505): either a retry of events
// already recorded, or a real conflict, for resolveRejectedAppend to tell.
func (s *Store) insertAlone(ctx context.Context, p *pendingAppend) (res AppendResult, rejected bool, err error) {
	var rows pgx.Rows
	if len(p.ids) == 1 {
		rows, err = s.pool.Query(ctx, appendOneSQL, p.streamID, p.streamType, p.expected, p.ids[0], p.types[0], p.svs[0], p.payloads[0], p.metas[0])
	} else {
		rows, err = s.pool.Query(ctx, appendManySQL, p.streamID, p.streamType, p.expected, p.ids, p.types, p.svs, p.payloads, p.metas)
	}
	if err == nil {
		res, err = collectAppend(rows)
	}
	switch {
	case err == nil && res.Version > 0:
		return res, false, nil
	case err == nil, isSQLState(err, "23505"):
		return AppendResult{}, true, nil
	default:
		return AppendResult{}, false, err
	}
}

// recorded completes the result of a committed append and announces it.
func (s *Store) recorded(p *pendingAppend, res *AppendResult) {
	res.StreamType = p.streamType
	if s.cfg.OnAppend != nil {
		s.cfg.OnAppend(p.streamID, *res)
	}
}

func collectAppend(rows pgx.Rows) (AppendResult, error) {
	defer rows.Close()
	var res AppendResult
	for rows.Next() {
		var v int
		var off int64
		var tx string
		if err := rows.Scan(&v, &off, &tx); err != nil {
			return AppendResult{}, err
		}
		if v > res.Version {
			txid, err := strconv.ParseUint(tx, 10, 64)
			if err != nil {
				return AppendResult{}, fmt.Errorf("transaction id %q: %w", tx, err)
			}
			res = AppendResult{Version: v, Position: Position{TxID: txid, Offset: off}}
		}
	}
	return res, rows.Err()
}

func (s *Store) resolveRejectedAppend(ctx context.Context, streamID string, expected int, ids, types []string) (AppendResult, error) {
	rows, err := s.pool.Query(ctx, `
SELECT event_id::text, stream_id::text, stream_version, event_type, "offset", transaction_id::text AS txid
FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY stream_version`, ids)
	if err != nil {
		return AppendResult{}, err
	}
	type found struct {
		stream, typ string
		version     int
		pos         Position
	}
	byID := map[string]found{}
	for rows.Next() {
		var id, tx string
		var f found
		if err := rows.Scan(&id, &f.stream, &f.version, &f.typ, &f.pos.Offset, &tx); err != nil {
			rows.Close()
			return AppendResult{}, err
		}
		if f.pos.TxID, err = strconv.ParseUint(tx, 10, 64); err != nil {
			rows.Close()
			return AppendResult{}, fmt.Errorf("transaction id %q: %w", tx, err)
		}
		byID[id] = f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return AppendResult{}, err
	}
	if len(byID) == 0 {
		var current int
		if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1`, streamID).Scan(&current); err != nil {
			return AppendResult{}, fmt.Errorf("%w: reading the stream's version: %w", ErrConcurrencyConflict, err)
		}
		return AppendResult{}, fmt.Errorf("%w: stream is at version %d", ErrConcurrencyConflict, current)
	}
	var res AppendResult
	for i, id := range ids {
		f, ok := byID[id]
		if !ok || f.stream != streamID || f.typ != types[i] || (i > 0 && f.version != res.Version+1) {
			return AppendResult{}, fmt.Errorf("%w: event %s was recorded elsewhere or with other content", ErrEventIDReused, id)
		}
		res = AppendResult{Version: f.version, Position: f.pos}
	}
	return res, nil
}

// selectEvent lists the columns DecodeRow scans, in order.
// txid is aliased: a bare transaction_id in ORDER BY would name the text
// output column and sort lexically ("1000000" < "999999"), skipping events
// at digit boundaries and defeating the primary key.
const selectEvent = `SELECT "offset", transaction_id::text AS txid, stream_id::text, stream_type, stream_version, event_type, schema_version, payload::text, metadata::text, recorded_at FROM events `

// Load returns every event of a stream in version order (empty if none).
func (s *Store) Load(ctx context.Context, streamID string) ([]Event, error) {
	return s.LoadRange(ctx, streamID, 0, 0)
}

// LoadUntil returns a stream's events up to and including version ("as of" version).
func (s *Store) LoadUntil(ctx context.Context, streamID string, version int) ([]Event, error) {
	if version <= 0 {
		return nil, nil
	}
	return s.LoadRange(ctx, streamID, 0, version)
}

// LoadRange returns events with after < version <= until (until 0 means no limit).
func (s *Store) LoadRange(ctx context.Context, streamID string, after, until int) (evs []Event, err error) {
	defer wrap(&err, "LoadRange(%s, %d, %d)", streamID, after, until)
	if _, perr := uuid.Parse(streamID); perr != nil {
		return nil, nil // not a stream id, so no events
	}
	if until <= 0 {
		until = 1<<31 - 1
	}
	rows, err := s.pool.Query(ctx, selectEvent+`WHERE stream_id = $1 AND stream_version > $2 AND stream_version <= $3 ORDER BY stream_version`, streamID, after, until)
	if err != nil {
		return nil, err
	}
	return s.scanEvents(rows)
}

// Querier is what reads need: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// LoadRangeWith is LoadRange through q (e.g. inside a projector's transaction).
func (s *Store) LoadRangeWith(ctx context.Context, q RowsQuerier, streamID string, after, until int) ([]Event, error) {
	var out []Event
	err := q.QueryRows(ctx, func(sc Scanner) error {
		e, err := s.DecodeRow(sc)
		if err == nil {
			out = append(out, e)
		}
		return err
	}, selectEvent+`WHERE stream_id = $1 AND stream_version > $2 AND stream_version <= $3 ORDER BY stream_version`, streamID, after, until)
	if err != nil {
		return nil, fmt.Errorf("eventstore: LoadRangeWith(%s): %w", streamID, Classify(err))
	}
	return out, nil
}

// Filter narrows a log read. Empty fields match everything.
type Filter struct {
	StreamID  string
	EventType string
}

// Horizon returns the transaction id below which every transaction has
// finished: events below it are all committed (or gone) and will never change.
func (s *Store) Horizon(ctx context.Context, q Querier) (h uint64, err error) {
	defer wrap(&err, "Horizon")
	if q == nil {
		q = s.pool
	}
	rows, err := q.Query(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var tx string
	for rows.Next() {
		if err := rows.Scan(&tx); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return strconv.ParseUint(tx, 10, 64)
}

// ReadBatch returns up to limit events after position `after`, in log order,
// whose transaction id is below horizon (0 means the current horizon).
func (s *Store) ReadBatch(ctx context.Context, q Querier, after Position, horizon uint64, limit int, f Filter) (evs []Event, err error) {
	defer wrap(&err, "ReadBatch(%s)", after)
	if q == nil {
		q = s.pool
	}
	if horizon == 0 {
		if horizon, err = s.Horizon(ctx, q); err != nil {
			return nil, err
		}
	}
	query, args, err := batchQuery(after, horizon, limit, f)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return s.scanEvents(rows)
}

// batchQuery is the log read of ReadBatch and ReadPages: up to limit events
// after `after` below horizon, in log order.
func batchQuery(after Position, horizon uint64, limit int, f Filter) (string, []any, error) {
	args := []any{strconv.FormatUint(after.TxID, 10), after.Offset, strconv.FormatUint(horizon, 10), limit}
	where := `WHERE (transaction_id, "offset") > ($1::text::xid8, $2) AND transaction_id < $3::text::xid8`
	if f.StreamID != "" {
		if _, perr := uuid.Parse(f.StreamID); perr != nil {
			return "", nil, fmt.Errorf("stream id %q is not a UUID", f.StreamID)
		}
		args = append(args, f.StreamID)
		where += fmt.Sprintf(` AND stream_id = $%d`, len(args))
	}
	if f.EventType != "" {
		args = append(args, f.EventType)
		where += fmt.Sprintf(` AND event_type = $%d`, len(args))
	}
	return selectEvent + where + ` ORDER BY transaction_id, "offset" LIMIT $4`, args, nil
}

func (s *Store) scanEvents(rows pgx.Rows) ([]Event, error) {
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := s.DecodeRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Scanner is a row being read (pgx.Rows, *sql.Rows and *sql.Row all fit).
type Scanner interface {
	Scan(dest ...any) error
}

// DecodeRow scans a row selected with the store's event columns and decodes it.
func (s *Store) DecodeRow(sc Scanner) (Event, error) {
	var (
		e                 Event
		tx                string
		payload, metadata string
	)
	if err := sc.Scan(&e.Position.Offset, &tx, &e.StreamID, &e.StreamType, &e.Version, &e.Type, &e.SchemaVersion, &payload, &metadata, &e.RecordedAt); err != nil {
		return Event{}, err
	}
	var err error
	if e.Position.TxID, err = strconv.ParseUint(tx, 10, 64); err != nil {
		return Event{}, fmt.Errorf("transaction id %q: %w", tx, err)
	}
	if err := s.decodeInto(&e, []byte(payload), []byte(metadata)); err != nil {
		return Event{}, err
	}
	return e, nil
}

func (s *Store) decodeInto(e *Event, payload, metadata []byte) error {
	data, raw, err := s.cfg.Registry.Decode(e.Position, e.Type, e.SchemaVersion, payload)
	if err != nil {
		return err
	}
	e.Data, e.Payload = data, raw
	if err := decodeJSON(metadata, &e.Metadata); err != nil {
		return fmt.Errorf("%w: metadata of %s at position %s: %v", ErrDecode, e.Type, e.Position, err)
	}
	return nil
}

// wrap prefixes a non-nil error with the operation and classifies driver
// errors (Classify), keeping it errors.Is-able.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("eventstore: "+format+": %w", append(args, Classify(*err))...)
	}
}
