package eventstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Head returns the position of the newest readable event: the last one in
// log order whose transaction id is below the horizon (see Horizon), so
// every reader that reaches Head has seen every event before it. An empty
// log has the zero Position.
func (s *Store) Head(ctx context.Context) (pos Position, err error) {
	defer wrap(&err, "Head")
	var tx string
	err = s.pool.QueryRow(ctx, `SELECT transaction_id::text AS txid, "offset" FROM events
WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id DESC, "offset" DESC LIMIT 1`).Scan(&tx, &pos.Offset)
	if errors.Is(err, pgx.ErrNoRows) {
		return Position{}, nil
	}
	if err != nil {
		return Position{}, err
	}
	pos.TxID, err = strconv.ParseUint(tx, 10, 64)
	return pos, err
}

// Backlog is what a reader at some position has not read yet.
type Backlog struct {
	// Events counts the readable events after the position, at most the
	// limit Behind was given (then the true count may be higher).
	Events int
	// Oldest is when the first of them was recorded (zero when Events is 0).
	Oldest time.Time
}

// Age is how long the oldest unread event has waited at now (0 when none).
func (b Backlog) Age(now time.Time) time.Duration {
	if b.Oldest.IsZero() {
		return 0
	}
	return max(0, now.Sub(b.Oldest))
}

// Behind measures the backlog of a reader at position after: the readable
// events past it (below horizon; 0 means the current horizon), counted up to
// limit (0 means no limit; a limit keeps the count cheap for a reader far
// behind, e.g. during a rebuild), and the age of the oldest. Lag reports and
// rebuild progress use it.
func (s *Store) Behind(ctx context.Context, after Position, horizon uint64, limit int) (b Backlog, err error) {
	defer wrap(&err, "Behind(%s)", after)
	var h any // NULL: the current horizon
	if horizon > 0 {
		h = strconv.FormatUint(horizon, 10)
	}
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	var oldest *time.Time
	err = s.pool.QueryRow(ctx, `SELECT count(*), min(recorded_at) FROM (
  SELECT recorded_at FROM events
  WHERE (transaction_id, "offset") > ($1::text::xid8, $2)
    AND transaction_id < coalesce($3::text::xid8, pg_snapshot_xmin(pg_current_snapshot()))
  ORDER BY transaction_id, "offset" LIMIT $4) behind`,
		strconv.FormatUint(after.TxID, 10), after.Offset, h, lim).Scan(&b.Events, &oldest)
	if err != nil {
		return Backlog{}, err
	}
	if oldest != nil {
		b.Oldest = *oldest
	}
	return b, nil
}

// Ping checks that the database answers (health checks); a database that
// does not is ErrUnavailable.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "Ping")
	return s.pool.Ping(ctx)
}
