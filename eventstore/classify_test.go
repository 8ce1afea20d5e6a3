package eventstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

func TestClassify(t *testing.T) {
	pg := func(code string) error {
		return fmt.Errorf("query: %w", &pgconn.PgError{Severity: "ERROR", Code: code, Message: "server says no"})
	}
	cases := []struct {
		name string
		err  error
		want error // nil: left unchanged
	}{
		{"nil", nil, nil},
		{"connection exception 08006", pg("08006"), eventstore.ErrUnavailable},
		{"connection does not exist 08003", pg("08003"), eventstore.ErrUnavailable},
		{"admin shutdown 57P01", pg("57P01"), eventstore.ErrUnavailable},
		{"crash shutdown 57P02", pg("57P02"), eventstore.ErrUnavailable},
		{"cannot connect now 57P03", pg("57P03"), eventstore.ErrUnavailable},
		{"too many connections 53300", pg("53300"), eventstore.ErrUnavailable},
		{"unexpected EOF", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), eventstore.ErrUnavailable},
		{"closed pool", fmt.Errorf("acquire: %w", puddle.ErrClosedPool), eventstore.ErrUnavailable},
		{"deadline waiting for a connection", fmt.Errorf("acquire: %w", context.DeadlineExceeded), eventstore.ErrUnavailable},
		{"serialization failure 40001", pg("40001"), eventstore.ErrConflict},
		{"deadlock 40P01", pg("40P01"), eventstore.ErrConflict},
		{"unique violation 23505", pg("23505"), eventstore.ErrConflict},
		{"syntax error 42601", pg("42601"), nil},
		{"undefined table 42P01", pg("42P01"), nil},
		{"canceled", fmt.Errorf("query: %w", context.Canceled), nil},
		{"not a database error", errors.New("something else"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := eventstore.Classify(c.err)
			if c.want == nil {
				assert.Equal(t, c.err, got, "left unchanged")
				return
			}
			assert.ErrorIs(t, got, c.want)
			assert.ErrorIs(t, got, c.err, "the cause is kept")
			var pgErr *pgconn.PgError
			assert.Equal(t, errors.As(c.err, &pgErr), errors.As(got, &pgErr), "the driver error is still reachable")
			assert.Equal(t, got, eventstore.Classify(got), "classifying twice changes nothing")
		})
	}
	assert.ErrorIs(t, eventstore.ErrConcurrencyConflict, eventstore.ErrConflict, "a stale version is a kind of conflict")
	assert.NotErrorIs(t, eventstore.ErrConflict, eventstore.ErrConcurrencyConflict)
}

func TestClassifyRealDriverErrors(t *testing.T) {
	ctx := context.Background()

	t.Run("connection refused", func(t *testing.T) {
		// Port 1 on the loopback: nothing listens there.
		_, err := pgconn.Connect(ctx, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=5")
		require.Error(t, err)
		var ce *pgconn.ConnectError
		require.ErrorAs(t, err, &ce)
		assert.ErrorIs(t, eventstore.Classify(err), eventstore.ErrUnavailable)
	})

	t.Run("unique violation and undefined table from the server", func(t *testing.T) {
		pool := pgtest.NewPool(t)
		id := uuid.NewString()
		insert := `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
VALUES ($1, $2, 'call', 1, 'CallFailed', 1, '{}', '{}')`
		_, err := pool.Exec(ctx, insert, uuid.NewString(), id)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, insert, uuid.NewString(), id)
		assert.ErrorIs(t, eventstore.Classify(err), eventstore.ErrConflict)
		_, err = pool.Exec(ctx, `SELECT * FROM no_such_table`)
		require.Error(t, err)
		assert.Equal(t, err, eventstore.Classify(err), "a bad statement is not about the connection")
	})

	t.Run("a terminated session", func(t *testing.T) {
		pool := pgtest.NewPool(t)
		conn, err := pool.Acquire(ctx)
		require.NoError(t, err)
		defer conn.Release()
		pid := conn.Conn().PgConn().PID()
		_, err = pool.Exec(ctx, `SELECT pg_terminate_backend($1)`, pid)
		require.NoError(t, err)
		// The server sends 57P01 (admin shutdown) and closes the socket; the
		// driver reports one or the other depending on timing.
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, err = conn.Exec(ctx, `SELECT 1`)
			if err != nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		require.Error(t, err)
		assert.ErrorIs(t, eventstore.Classify(err), eventstore.ErrUnavailable, "%v", err)
	})
}

// TestStoreUnavailable: with the pool closed, the store's methods return
// ErrUnavailable, keeping the driver's cause.
func TestStoreUnavailable(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewURL(t))
	require.NoError(t, err)
	s, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
	require.NoError(t, err)
	require.NoError(t, s.Ping(ctx))
	pool.Close()

	assert.ErrorIs(t, s.Ping(ctx), eventstore.ErrUnavailable)
	_, err = s.Append(ctx, uuid.NewString(), 0, eventstore.NewEvent{ID: uuid.NewString(),
		Data: &domain.CallFailed{Reason: "x"}, Meta: eventstore.Metadata{Actor: "system"}})
	assert.ErrorIs(t, err, eventstore.ErrUnavailable)
	assert.ErrorIs(t, err, puddle.ErrClosedPool)
	_, err = s.Load(ctx, uuid.NewString())
	assert.ErrorIs(t, err, eventstore.ErrUnavailable)
	_, err = s.Head(ctx)
	assert.ErrorIs(t, err, eventstore.ErrUnavailable)
	_, err = s.Behind(ctx, eventstore.Position{}, 0, 10)
	assert.ErrorIs(t, err, eventstore.ErrUnavailable)
	_, err = s.ConsumerPositions(ctx, "projection.users")
	assert.ErrorIs(t, err, eventstore.ErrUnavailable)
	_, err = s.Redact(ctx, []string{uuid.NewString()}, func(_ string, _ int, p []byte) ([]byte, error) { return p, nil })
	assert.ErrorIs(t, err, eventstore.ErrUnavailable)
}
