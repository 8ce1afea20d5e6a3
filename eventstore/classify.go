package eventstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

// Classify turns an error returned by the PostgreSQL driver (pgx, pgxpool,
// database/sql on pgx) into one that also matches an eventstore sentinel,
// keeping the cause in the chain (errors.As still finds the *pgconn.PgError):
//
//   - ErrUnavailable: connection exceptions (SQLSTATE class 08), the server
//     shutting down or not yet accepting connections (57P01, 57P02, 57P03),
//     too many connections (53300), failures to connect (*pgconn.ConnectError),
//     network errors (refused, reset, broken pipe, an unexpected EOF from a
//     dropped connection), a closed pool, and timeouts inside the driver
//     (pgconn.Timeout) or while waiting for a pool connection
//     (context.DeadlineExceeded);
//   - ErrConflict: serialization failure (40001), deadlock (40P01) and
//     unique violation (23505).
//
// Anything else, context.Canceled included, is returned unchanged, as are
// nil and errors already classified. It is the one place the store maps
// driver errors; packages that run their own queries on the read tables
// (app) pass their errors through it, so no other package inspects pgconn.
func Classify(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrConflict) || errors.Is(err, context.Canceled) {
		return err
	}
	if kind := classOf(err); kind != nil {
		return fmt.Errorf("%w: %w", kind, err)
	}
	return err
}

// classOf returns the sentinel err belongs to, or nil.
func classOf(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch code := pgErr.Code; {
		case strings.HasPrefix(code, "08"), code == "57P01", code == "57P02", code == "57P03", code == "53300":
			return ErrUnavailable
		case code == "40001", code == "40P01", code == "23505":
			return ErrConflict
		}
		return nil // any other server error is about the statement, not the connection
	}
	var (
		ce *pgconn.ConnectError
		ne net.Error
		oe *net.OpError
	)
	switch {
	case errors.As(err, &ce), errors.As(err, &oe), errors.As(err, &ne):
		return ErrUnavailable
	case errors.Is(err, puddle.ErrClosedPool), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, sql.ErrConnDone):
		return ErrUnavailable
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return ErrUnavailable
	case pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded):
		return ErrUnavailable
	}
	return nil
}

// isSQLState reports whether err carries a PostgreSQL error with code.
func isSQLState(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}
