package eventstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/eventstore/storetest"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

type rawPool struct{ pool *pgxpool.Pool }

func (r rawPool) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := r.pool.Exec(ctx, sql, args...)
	return err
}

func (r rawPool) Begin(ctx context.Context) (func(string, ...any) error, func() error, error) {
	tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return nil, nil, err
	}
	exec := func(sql string, args ...any) error { _, err := tx.Exec(ctx, sql, args...); return err }
	return exec, func() error { return tx.Commit(ctx) }, nil
}

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (*eventstore.Store, storetest.RawDB) {
		pool := pgtest.NewPool(t)
		s, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
		require.NoError(t, err)
		return s, rawPool{pool}
	})
}
