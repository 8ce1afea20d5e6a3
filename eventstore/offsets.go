package eventstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// Consumer-group offsets live in event_consumer_offsets (the shape
// watermill-sql's PostgreSQL offsets adapter uses, ADR 1): one row per
// group, the position of the last event the group acknowledged. Consume and
// the functions below are its only readers and writers.

const selectOffset = `SELECT last_processed_transaction_id::text, coalesce(offset_acked, 0) FROM event_consumer_offsets WHERE consumer_group = $1`

// ConsumerPosition returns the position a consumer group has committed (the
// zero Position if it never committed), read through q: a pool, or the
// transaction of the caller (database/sql or pgx, see RowsQuerier).
func ConsumerPosition(ctx context.Context, q RowsQuerier, group string) (pos Position, err error) {
	defer wrap(&err, "ConsumerPosition(%s)", group)
	err = q.QueryRows(ctx, func(sc Scanner) error {
		var tx string
		var off int64
		if err := sc.Scan(&tx, &off); err != nil {
			return err
		}
		txid, err := strconv.ParseUint(tx, 10, 64)
		if err != nil {
			return fmt.Errorf("transaction id %q: %w", tx, err)
		}
		pos = Position{TxID: txid, Offset: off}
		return nil
	}, selectOffset, group)
	return pos, err
}

// ConsumerPositions returns the committed position of each group (zero for
// a group that never committed), on the store's pool.
func (s *Store) ConsumerPositions(ctx context.Context, groups ...string) (map[string]Position, error) {
	out := make(map[string]Position, len(groups))
	for _, g := range groups {
		pos, err := ConsumerPosition(ctx, PgxQuerier{Q: s.pool}, g)
		if err != nil {
			return nil, err
		}
		out[g] = pos
	}
	return out, nil
}

// HoldConsumers locks the offset rows of groups inside tx and returns their
// committed positions: until tx ends, those groups' consumers cannot
// acknowledge anything, so they stay at the returned positions (a rebuild
// swaps tables under that hold). A group that never committed is at the
// zero Position and is not held.
func HoldConsumers(ctx context.Context, tx pgx.Tx, groups ...string) (held map[string]Position, err error) {
	defer wrap(&err, "HoldConsumers")
	held = make(map[string]Position, len(groups))
	for _, g := range groups {
		var txt string
		var off int64
		err := tx.QueryRow(ctx, selectOffset+` FOR UPDATE`, g).Scan(&txt, &off)
		if errors.Is(err, pgx.ErrNoRows) {
			held[g] = Position{}
			continue
		}
		if err != nil {
			return nil, err
		}
		txid, err := strconv.ParseUint(txt, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("transaction id %q: %w", txt, err)
		}
		held[g] = Position{TxID: txid, Offset: off}
	}
	return held, nil
}

// MoveConsumer sets a consumer group's committed position inside tx, as if
// it had acknowledged every event up to pos. A consumer waiting on the
// group's row fails its snapshot and starts again from pos. Only rebuilds
// use it, together with HoldConsumers, to hand the group over to rebuilt
// tables.
func MoveConsumer(ctx context.Context, tx pgx.Tx, group string, pos Position) (err error) {
	defer wrap(&err, "MoveConsumer(%s, %s)", group, pos)
	_, err = tx.Exec(ctx, consumeCommit, group, pos.Offset, strconv.FormatUint(pos.TxID, 10))
	return err
}
