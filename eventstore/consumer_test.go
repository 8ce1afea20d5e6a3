package eventstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
)

// Transient decides what a consumer retries and what it quarantines.
func TestTransient(t *testing.T) {
	t.Parallel()
	pg := func(code string) error { return fmt.Errorf("apply: %w", &pgconn.PgError{Code: code}) }
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection lost", pg("08006"), true},
		{"shutting down", pg("57P01"), true},
		{"serialization failure", pg("40001"), true},
		{"deadlock", pg("40P01"), true},
		{"statement timeout", pg("57014"), true},
		{"lock timeout", pg("55P03"), true},
		{"context cancelled", context.Canceled, true},
		{"classified unavailable", fmt.Errorf("x: %w", ErrUnavailable), true},
		{"integer out of range", pg("22003"), false},
		{"unique violation", pg("23505"), false},
		{"division by zero", pg("22012"), false},
		{"undecodable event", fmt.Errorf("%w: payload", ErrDecode), false},
		{"a projector's own error", errors.New("projection calls: no rule for X"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.want, Transient(c.err))
		})
	}
}
