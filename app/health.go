package app

import (
	"context"
	"fmt"

	"github.com/sparrow-coach/sparrow/projections"
)

// ProjectorProgress is what ProjectorLag needs of a running projections
// runner (*projections.Runner implements it).
type ProjectorProgress interface {
	Health() []projections.Health
}

// ProjectorStatus is one projector's committed position, the log's head,
// its lag (events, capped at projections.LagCountCap, and the age of the
// oldest event not applied) and its last error.
type ProjectorStatus = projections.Status

// ProjectorLag measures the lag of every projector of the running runners
// (Config.Projections: the read models and the scoring jobs), with the one
// lag computation `sparrow projections status` also uses (projections.Lag).
// /api/health reports it.
func (a *App) ProjectorLag(ctx context.Context) ([]ProjectorStatus, error) {
	var at []projections.Health
	for _, r := range a.cfg.Projections {
		at = append(at, r.Health()...)
	}
	sts, err := projections.Lag(ctx, a.store, at, projections.LagCountCap)
	if err != nil {
		return nil, fmt.Errorf("app: projector lag: %w", err)
	}
	return sts, nil
}

// Ping checks that the database answers (eventstore.ErrUnavailable when it
// does not). /api/health reports it.
func (a *App) Ping(ctx context.Context) error {
	return a.store.Ping(ctx)
}
