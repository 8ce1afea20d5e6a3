package devdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// readyTimeout bounds how long a server that is running but not yet accepting
// connections (still starting or recovering) is waited for.
const readyTimeout = 60 * time.Second

// ensureDatabase creates database if the server on port lacks it, reporting
// whether it did.
func ensureDatabase(ctx context.Context, port int, database, logFile string) (created bool, err error) {
	conn, err := connectWhenReady(ctx, clusterURL(port, "postgres"), logFile)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", database).Scan(&exists); err != nil {
		return false, fmt.Errorf("look up database %q: %w", database, err)
	}
	if exists {
		return false, nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{database}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created by someone else meanwhile
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create database %q: %w", database, err)
	}
	return true, nil
}

// connectWhenReady connects, retrying while the server is still starting up.
func connectWhenReady(ctx context.Context, connURL, logFile string) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	for {
		attemptCtx, cancelAttempt := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgx.Connect(attemptCtx, connURL)
		cancelAttempt()
		if err == nil {
			return conn, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("server did not accept connections (see %s): %w", logFile, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
