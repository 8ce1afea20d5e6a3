package eventstore

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// RowsQuerier runs a query and hands each row to scan. It lets the same read
// code run on database/sql (the server's *sql.DB) and on native pgx.
type RowsQuerier interface {
	QueryRows(ctx context.Context, scan func(Scanner) error, query string, args ...any) error
}

// SQLQuerier adapts database/sql (a *sql.DB or *sql.Tx).
type SQLQuerier struct {
	Q interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
}

// QueryRows implements RowsQuerier.
func (q SQLQuerier) QueryRows(ctx context.Context, scan func(Scanner) error, query string, args ...any) error {
	rows, err := q.Q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PgxQuerier adapts native pgx (a pool, connection or transaction).
type PgxQuerier struct {
	Q interface {
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	}
}

// QueryRows implements RowsQuerier.
func (q PgxQuerier) QueryRows(ctx context.Context, scan func(Scanner) error, query string, args ...any) error {
	rows, err := q.Q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	return EachRow(rows, scan)
}

// EachRow hands each of rows to scan and closes them (a pipeline's
// result, say, read as QueryRows would).
func EachRow(rows pgx.Rows, scan func(Scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
