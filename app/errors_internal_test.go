package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

func TestDoorTranslatesErrors(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("app: command: %w", fmt.Errorf("layer: %w", err)) }
	tests := []struct {
		name string
		err  error
		want error // nil: left as it is
	}{
		{name: "connect error", err: wrap(&pgconn.ConnectError{}), want: ErrUnavailable},
		{name: "closed pool", err: wrap(puddle.ErrClosedPool), want: ErrUnavailable},
		{name: "network error", err: wrap(&net.OpError{Op: "read", Err: errors.New("connection reset")}), want: ErrUnavailable},
		{name: "server shutting down", err: wrap(&pgconn.PgError{Code: "57P01"}), want: ErrUnavailable},
		{name: "connection exception", err: wrap(&pgconn.PgError{Code: "08006"}), want: ErrUnavailable},
		{name: "too many connections", err: wrap(&pgconn.PgError{Code: "53300"}), want: ErrUnavailable},
		{name: "deadline (the API answers it itself)", err: wrap(context.DeadlineExceeded)},
		{name: "concurrency conflict after retries", err: wrap(eventstore.ErrConcurrencyConflict), want: ErrConflict},
		{name: "event id reused", err: wrap(eventstore.ErrEventIDReused), want: domain.ErrAlreadyExists},
		{name: "external service", err: wrap(externalErr{retry: true}), want: ErrExternalService},
		{name: "permanent external error", err: wrap(externalErr{}), want: ErrExternalService},
		{name: "SQL error", err: wrap(&pgconn.PgError{Code: "42P01", Message: `relation "calls" does not exist`})},
		{name: "canceled", err: wrap(context.Canceled)},
		{name: "domain error", err: wrap(domain.ErrNotFound)},
		{name: "anything else", err: errors.New("boom")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err
			door(&err)
			assert.ErrorIs(t, err, tt.err, "the cause stays wrapped")
			for _, s := range []error{ErrUnavailable, ErrConflict, ErrExternalService, domain.ErrAlreadyExists} {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "%v", s)
			}
			again := err
			door(&again)
			assert.Equal(t, err, again, "translating twice changes nothing")
		})
	}
	var none error
	door(&none)
	assert.NoError(t, none)
}

// externalErr is marked as clients of external services mark their errors
// (integrations/resilience: Retryable or Permanent).
type externalErr struct{ retry bool }

func (e externalErr) Error() string   { return "groq: 500" }
func (e externalErr) Retryable() bool { return e.retry }
