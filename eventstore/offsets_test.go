package eventstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

func TestConsumerPositions(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	s, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
	require.NoError(t, err)

	got, err := s.ConsumerPositions(ctx, "a", "b")
	require.NoError(t, err)
	assert.Equal(t, map[string]eventstore.Position{"a": {}, "b": {}}, got, "groups that never committed are at the start")

	at := eventstore.Position{TxID: 1234, Offset: 56}
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		held, err := eventstore.HoldConsumers(ctx, tx, "a")
		require.NoError(t, err)
		assert.Equal(t, eventstore.Position{}, held["a"])
		return eventstore.MoveConsumer(ctx, tx, "a", at)
	}))
	got, err = s.ConsumerPositions(ctx, "a", "b")
	require.NoError(t, err)
	assert.Equal(t, at, got["a"])
	assert.Equal(t, eventstore.Position{}, got["b"])
	pos, err := eventstore.ConsumerPosition(ctx, eventstore.PgxQuerier{Q: pool}, "a")
	require.NoError(t, err)
	assert.Equal(t, at, pos)
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		held, err := eventstore.HoldConsumers(ctx, tx, "a", "b")
		require.NoError(t, err)
		assert.Equal(t, map[string]eventstore.Position{"a": at, "b": {}}, held)
		return nil
	}))
}
