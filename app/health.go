package app

import (
	"context"
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/projections"
)

// ProjectorProgress is what ProjectorLag needs of a running projections
// runner (*projections.Runner implements it).
type ProjectorProgress interface {
	Health() []projections.Health
}

// ProjectorLag is how far one projector is behind the log.
type ProjectorLag struct {
	Name string
	// Events is how many committed events it has not applied (at most
	// projections.LagCountCap).
	Events int64
	// Seconds is the age of the oldest of them (0 when caught up).
	Seconds float64
	// LastError is the projector's last failure ("" when healthy).
	LastError string
	// Quarantined counts the streams the projector skips because one of
	// their events could not be applied (projections quarantine).
	Quarantined int
}

// ProjectorLag measures the lag of every projector of the running runners
// (Config.Projections: the read models and the scoring jobs), with the one
// lag computation `sparrow projections status` also uses (projections.Lag).
// /api/health and the metrics report it.
func (a *App) ProjectorLag(ctx context.Context) (_ []ProjectorLag, err error) {
	defer door(&err)
	var at []projections.Health
	for _, r := range a.cfg.Projections {
		at = append(at, r.Health()...)
	}
	sts, err := projections.Lag(ctx, a.store, at, projections.LagCountCap)
	if err != nil {
		return nil, fmt.Errorf("app: projector lag: %w", err)
	}
	out := make([]ProjectorLag, len(sts))
	for i, s := range sts {
		out[i] = ProjectorLag{Name: s.Name, Events: int64(s.LagEvents), Seconds: s.Lag.Seconds(), LastError: s.LastError,
			Quarantined: s.Quarantined}
	}
	return out, nil
}

// ReportsLag reports whether ProjectorLag measures anything (Config.Projections is set).
func (a *App) ReportsLag() bool { return len(a.cfg.Projections) > 0 }

// Ping checks that the database answers (ErrUnavailable when it does not).
func (a *App) Ping(ctx context.Context) (err error) {
	defer door(&err)
	return a.store.Ping(ctx)
}

// Health is the state of the service: the database answered (in
// DatabaseLatency) and each projector's lag.
type Health struct {
	DatabaseLatency time.Duration
	// Projectors is each projector's lag; empty without Config.Projections.
	Projectors []ProjectorLag
	// LagErr is why the lag could not be measured (nil when it was).
	LagErr error
}

// Health pings the database and measures the projectors' lag. A database
// that does not answer is ErrUnavailable; a lag that cannot be measured is
// reported in Health.LagErr, not as an error.
func (a *App) Health(ctx context.Context) (Health, error) {
	start := time.Now()
	if err := a.Ping(ctx); err != nil {
		return Health{}, fmt.Errorf("ping: %w", err)
	}
	h := Health{DatabaseLatency: time.Since(start)}
	h.Projectors, h.LagErr = a.ProjectorLag(ctx)
	return h, nil
}
