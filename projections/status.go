package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// Status is how far a projector is behind the log.
type Status struct {
	Name string
	// Position is the projector's committed position.
	Position eventstore.Position
	// Head is the position of the newest readable event of the log.
	Head eventstore.Position
	// LagEvents counts committed events the projector has not applied
	// (at most the limit Lag was given, when it was given one).
	LagEvents int
	// Lag is the age of the oldest event not applied yet (0 when caught up).
	Lag time.Duration
	// LastError is the projector's last failure as its runner saw it ("" when
	// healthy, or when the status was read from the database alone).
	LastError string
	// Quarantined counts the streams quarantined for the projector (see
	// quarantine.go): their later events wait for an operator.
	Quarantined int
}

// LagCountCap bounds the lag count of health checks, so a projector far
// behind (a fresh start on a large log) does not make them slow.
const LagCountCap = 100_000

// Lag is THE lag computation: for each projector position (from a runner's
// Health, or from the database in Statuses) it measures, against the log's
// head, how many readable events lie past it (counted up to limit; 0 counts
// them all) and how long the oldest of them has waited, and it reads how
// many streams are quarantined for the projector (from the database, so
// every replica agrees). `sparrow projections
// status`, doctor and /api/health all report what it returns, so they agree.
func Lag(ctx context.Context, store *eventstore.Store, at []Health, limit int) ([]Status, error) {
	head, err := store.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("projections: lag: %w", err)
	}
	quarantined, err := QuarantinedCounts(ctx, store)
	if err != nil {
		return nil, fmt.Errorf("projections: lag: %w", err)
	}
	now := time.Now()
	out := make([]Status, 0, len(at))
	for _, h := range at {
		s := Status{Name: h.Name, Position: h.Committed, Head: head, LastError: h.LastError, Quarantined: quarantined[h.Name]}
		if h.Committed.Less(head) {
			b, err := store.Behind(ctx, h.Committed, 0, limit)
			if err != nil {
				return nil, fmt.Errorf("projections: lag of %s: %w", h.Name, err)
			}
			s.LagEvents, s.Lag = b.Events, b.Age(now)
		}
		out = append(out, s)
	}
	return out, nil
}

// Statuses reads each projector's committed position from the database and
// measures its lag (Lag, exact count): what `sparrow projections status` and
// doctor print, whether or not a server is running.
func Statuses(ctx context.Context, store *eventstore.Store, ps []Projector) ([]Status, error) {
	groups := make([]string, len(ps))
	for i, p := range ps {
		groups[i] = ConsumerGroup(p)
	}
	pos, err := store.ConsumerPositions(ctx, groups...)
	if err != nil {
		return nil, fmt.Errorf("projections: status: %w", err)
	}
	at := make([]Health, len(ps))
	for i, p := range ps {
		at[i] = Health{Name: p.Name(), Committed: pos[groups[i]]}
	}
	return Lag(ctx, store, at, 0)
}

// Lag measures the lag of the runner's projectors from the positions it
// has committed (Lag, count capped at LagCountCap), with their last errors:
// what /api/health reports.
func (r *Runner) Lag(ctx context.Context) ([]Status, error) {
	return Lag(ctx, r.store, r.Health(), LagCountCap)
}
