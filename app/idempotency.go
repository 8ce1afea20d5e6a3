package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Idempotency keys (the Idempotency-Key header) are honest: a key is scoped
// to its user and route, the first 2xx response is kept and answered again
// to a retry with the same body, and a retry with another body is refused.
// The table idempotency_requests is owned here.
//
// Invariants:
//   - Two users, two routes or two calls never share a key: the scope is
//     (user, method, route template, resource id, key).
//   - A key names one request: its fingerprint (a hash of the body) is fixed
//     by the first use; another body is ErrIdempotencyKeyReused while the
//     record lives (IdempotencyTTL).
//   - Only a 2xx response is kept. A request that failed records nothing
//     (AbandonIdempotent), so its retry runs again.
//   - A claim whose request never finished (a crash) is taken over after
//     IdempotencyLease by a retry with the same body; the commands derive
//     their event ids from the scoped key (Meta.IdempotencyKey), so the
//     rerun appends nothing twice.

// Lifetimes of an idempotency record.
const (
	// IdempotencyTTL is how long a kept response is answered again; after it
	// the key may be used afresh.
	IdempotencyTTL = 24 * time.Hour
	// IdempotencyLease is how long a running request holds its key; a claim
	// older than that is taken to be abandoned.
	IdempotencyLease = 2 * time.Minute
)

var (
	// ErrIdempotencyKeyReused: the key was used for a request with another
	// body on the same route.
	ErrIdempotencyKeyReused = errors.New("app: idempotency key reused with a different request")
	// ErrIdempotencyKeyInFlight: a request with this key is still running.
	ErrIdempotencyKeyInFlight = errors.New("app: a request with this idempotency key is in progress")
)

// IdempotencyScope names one idempotent request.
type IdempotencyScope struct {
	UserID string
	Method string
	// Route is the route template ("/api/calls/:id/turns").
	Route string
	// ResourceID is the route's path id (a call id), or "".
	ResourceID string
	Key        string
}

// String is the scope as one string: commands derive their event ids from
// it (Meta.IdempotencyKey), so the ids are scoped like the key.
func (s IdempotencyScope) String() string {
	return fmt.Sprintf("%s %s %s %s %s", s.UserID, s.Method, s.Route, s.ResourceID, s.Key)
}

// RecordedResponse is the response a request with a key answered.
type RecordedResponse struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// BeginIdempotent claims the scope's key for a request whose body hashes to
// fingerprint. It returns (nil, nil) when the caller should run the request
// (and then call FinishIdempotent or AbandonIdempotent), the recorded
// response when the same request already succeeded, ErrIdempotencyKeyReused
// when the key was used with another body and ErrIdempotencyKeyInFlight
// while the first request still runs.
func (a *App) BeginIdempotent(ctx context.Context, s IdempotencyScope, fingerprint []byte) (_ *RecordedResponse, err error) {
	defer door(&err)
	now := a.cfg.Now().UTC()
	var claimed bool
	err = a.pool.QueryRow(ctx, `
INSERT INTO idempotency_requests AS r (user_id, method, route, resource_id, key, fingerprint, claimed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (user_id, method, route, resource_id, key) DO UPDATE
SET fingerprint = EXCLUDED.fingerprint, claimed_at = EXCLUDED.claimed_at, status = NULL, content_type = NULL, location = NULL, body = NULL
WHERE r.claimed_at < $8 -- expired: the key is free again
   OR (r.status IS NULL AND r.claimed_at < $9 AND r.fingerprint = EXCLUDED.fingerprint) -- abandoned: the same request takes over
RETURNING true`,
		s.UserID, s.Method, s.Route, s.ResourceID, s.Key, fingerprint, now, now.Add(-IdempotencyTTL), now.Add(-IdempotencyLease)).Scan(&claimed)
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	var (
		fp     []byte
		status *int
		rec    RecordedResponse
		ct, lc *string
	)
	err = a.pool.QueryRow(ctx, `
SELECT fingerprint, status, content_type, location, body FROM idempotency_requests
WHERE user_id = $1 AND method = $2 AND route = $3 AND resource_id = $4 AND key = $5`,
		s.UserID, s.Method, s.Route, s.ResourceID, s.Key).Scan(&fp, &status, &ct, &lc, &rec.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		// Released between the two statements: the caller's retry claims it.
		return nil, ErrIdempotencyKeyInFlight
	}
	if err != nil {
		return nil, fmt.Errorf("read idempotency key: %w", err)
	}
	switch {
	case !bytes.Equal(fp, fingerprint):
		return nil, ErrIdempotencyKeyReused
	case status == nil:
		return nil, ErrIdempotencyKeyInFlight
	}
	rec.Status = *status
	if ct != nil {
		rec.ContentType = *ct
	}
	if lc != nil {
		rec.Location = *lc
	}
	return &rec, nil
}

// FinishIdempotent keeps the 2xx response of a request that claimed its key.
func (a *App) FinishIdempotent(ctx context.Context, s IdempotencyScope, r RecordedResponse) (err error) {
	defer door(&err)
	if r.Status < 200 || r.Status > 299 {
		return a.AbandonIdempotent(ctx, s)
	}
	_, err = a.pool.Exec(ctx, `
UPDATE idempotency_requests SET status = $6, content_type = $7, location = $8, body = $9
WHERE user_id = $1 AND method = $2 AND route = $3 AND resource_id = $4 AND key = $5 AND status IS NULL`,
		s.UserID, s.Method, s.Route, s.ResourceID, s.Key, r.Status, r.ContentType, r.Location, r.Body)
	if err != nil {
		return fmt.Errorf("keep idempotent response: %w", err)
	}
	a.purgeIdempotency(ctx)
	return nil
}

// AbandonIdempotent releases the key of a request that failed, so that a
// retry runs again.
func (a *App) AbandonIdempotent(ctx context.Context, s IdempotencyScope) (err error) {
	defer door(&err)
	_, err = a.pool.Exec(ctx, `
DELETE FROM idempotency_requests
WHERE user_id = $1 AND method = $2 AND route = $3 AND resource_id = $4 AND key = $5 AND status IS NULL`,
		s.UserID, s.Method, s.Route, s.ResourceID, s.Key)
	if err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}

// purgeIdempotency deletes a batch of expired records, now and then (about
// one finished request in 64), so the table stays the size of a day's keys.
func (a *App) purgeIdempotency(ctx context.Context) {
	if a.purgeTick.Add(1)%64 != 0 {
		return
	}
	_, err := a.pool.Exec(ctx, `
DELETE FROM idempotency_requests WHERE ctid = ANY (ARRAY(
  SELECT ctid FROM idempotency_requests WHERE claimed_at < $1 LIMIT 1000))`, a.cfg.Now().UTC().Add(-IdempotencyTTL))
	if err != nil {
		a.cfg.Logger.Warn("purging expired idempotency keys failed; the next purge retries", "err", err)
	}
}

// forgetIdempotency deletes a user's kept responses (they may quote the
// user's words): part of erasure.
func (a *App) forgetIdempotency(ctx context.Context, userID string) error {
	if _, err := a.pool.Exec(ctx, `DELETE FROM idempotency_requests WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("forget idempotency keys: %w", err)
	}
	return nil
}
