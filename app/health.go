package app

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/projections"
)

// ProjectorLag is how far one projector is behind the log.
type ProjectorLag struct {
	Name string
	// Events is how many committed events it has not applied (capped at lagCountCap).
	Events int64
	// Seconds is the age of the oldest of them (0 when caught up).
	Seconds float64
	// LastError is the projector's last failure ("" when healthy).
	LastError string
}

// ProjectorLagSource measures how far each projector is behind the log
// (health and metrics).
type ProjectorLagSource interface {
	ProjectorLag(ctx context.Context) ([]ProjectorLag, error)
}

// Health is the state of the service: the database answered (in
// DatabaseLatency) and each projector's lag.
type Health struct {
	DatabaseLatency time.Duration
	// Projectors is each projector's lag; empty without a Config.Lag.
	Projectors []ProjectorLag
	// LagErr is why the lag could not be measured (nil when it was).
	LagErr error
}

// Health pings the database and measures the projectors' lag. A database
// that does not answer is ErrUnavailable; a lag that cannot be measured is
// reported in Health.LagErr, not as an error.
func (a *App) Health(ctx context.Context) (Health, error) {
	start := time.Now()
	if err := a.pool.Ping(ctx); err != nil {
		return Health{}, fmt.Errorf("%w: ping: %w", ErrUnavailable, err)
	}
	h := Health{DatabaseLatency: time.Since(start)}
	if a.cfg.Lag != nil {
		h.Projectors, h.LagErr = a.cfg.Lag.ProjectorLag(ctx)
	}
	return h, nil
}

// ReportsLag reports whether ProjectorLag measures anything (Config.Lag is set).
func (a *App) ReportsLag() bool { return a.cfg.Lag != nil }

// ProjectorLag measures each projector's lag (none without a Config.Lag).
func (a *App) ProjectorLag(ctx context.Context) ([]ProjectorLag, error) {
	if a.cfg.Lag == nil {
		return nil, nil
	}
	return a.cfg.Lag.ProjectorLag(ctx)
}

// ProgressReporter is what RunnerLag needs of a projection runner.
type ProgressReporter interface {
	Health() []projections.Health
}

// lagCountCap bounds the count so a far-behind projector (a rebuild) does
// not make health checks slow.
const lagCountCap = 100_000

// RunnerLag measures the lag of every projector of the runners (the
// read-table projections, the scoring jobs, ...): each one's committed
// position, as its runner reports it, compared with the log.
//
// TODO(merge): replace with the one lag computation of package projections
// (being written); wiring it is the only change (Config.Lag).
func RunnerLag(pool *pgxpool.Pool, runners ...ProgressReporter) ProjectorLagSource {
	return runnerLag{pool: pool, runners: runners}
}

type runnerLag struct {
	pool    *pgxpool.Pool
	runners []ProgressReporter
}

func (r runnerLag) ProjectorLag(ctx context.Context) ([]ProjectorLag, error) {
	var hs []projections.Health
	for _, rr := range r.runners {
		hs = append(hs, rr.Health()...)
	}
	out := make([]ProjectorLag, 0, len(hs))
	for _, h := range hs {
		l := ProjectorLag{Name: h.Name, LastError: h.LastError}
		var oldest *time.Time
		err := r.pool.QueryRow(ctx, `SELECT count(*), min(recorded_at) FROM (
  SELECT recorded_at FROM events WHERE (transaction_id, "offset") > ($1::text::xid8, $2)
  ORDER BY transaction_id, "offset" LIMIT $3) behind`, fmt.Sprint(h.Committed.TxID), h.Committed.Offset, lagCountCap).
			Scan(&l.Events, &oldest)
		if err != nil {
			return nil, fmt.Errorf("app: projector lag of %s: %w", h.Name, err)
		}
		if oldest != nil {
			l.Seconds = max(0, time.Since(*oldest).Seconds())
		}
		out = append(out, l)
	}
	return out, nil
}
