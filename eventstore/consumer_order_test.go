package eventstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

// A consumer reads the log in (transaction, offset) order as numbers: when
// transaction ids gain a digit (9 to 10, 99,999 to 100,000), the older
// transaction's events still come first. Sorted as text, "10" came before
// "9", and the round after it read past the events of transaction 9 for
// good.
func TestConsumeOrdersTransactionsAsNumbers(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	s, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
	require.NoError(t, err)
	var ids []string
	for range 2 {
		c := domain.NewCall(uuid.NewString())
		evs, err := c.Create(uuid.NewString(), uuid.NewString(), domain.ModeDiscovery)
		require.NoError(t, err)
		_, err = s.Append(ctx, c.ID(), 0, eventstore.NewEvent{ID: uuid.NewString(), Data: evs[0], Meta: eventstore.Metadata{Actor: "test", OccurredAt: time.Now()}})
		require.NoError(t, err)
		ids = append(ids, c.ID())
	}
	// The first append's events as transaction 9, the second's as 10: the
	// log order, as numbers; both long finished.
	_, err = pool.Exec(ctx, `UPDATE events SET transaction_id = (CASE WHEN stream_id = $1 THEN '9' ELSE '10' END)::xid8`, ids[0])
	require.NoError(t, err)

	var got []string
	runCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err = s.Consume(runCtx, eventstore.ConsumerConfig{ConsumerGroup: "test.order", BatchSize: 1, PollInterval: 5 * time.Millisecond},
		func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
			for _, d := range batch {
				got = append(got, d.StreamID)
			}
			if len(got) == len(ids) {
				cancel()
			}
			return len(batch), nil
		})
	require.ErrorIs(t, err, context.Canceled, "both events delivered before the timeout")
	assert.Equal(t, ids, got, "transaction 9's event first, then transaction 10's")
}
