package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// Status is how far a projector is behind the log.
type Status struct {
	Name     string
	Position eventstore.Position
	// LagEvents counts committed events the projector has not applied.
	LagEvents int
	// Lag is the age of the oldest event not applied yet (0 when caught up).
	Lag time.Duration
}

// Statuses reads each projector's committed position and lag from the database.
func Statuses(ctx context.Context, pool *pgxpool.Pool, ps []Projector) ([]Status, error) {
	out := make([]Status, 0, len(ps))
	for _, p := range ps {
		pos, err := CommittedPosition(ctx, eventstore.PgxQuerier{Q: pool}, ConsumerGroup(p))
		if err != nil {
			return nil, fmt.Errorf("projections: status of %s: %w", p.Name(), err)
		}
		s := Status{Name: p.Name(), Position: pos}
		var oldest *time.Time
		err = pool.QueryRow(ctx, `SELECT count(*), min(recorded_at) FROM events
WHERE (transaction_id, "offset") > ($1::text::xid8, $2) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
			fmt.Sprint(pos.TxID), pos.Offset).Scan(&s.LagEvents, &oldest)
		if err != nil {
			return nil, fmt.Errorf("projections: lag of %s: %w", p.Name(), err)
		}
		if oldest != nil {
			s.Lag = time.Since(*oldest)
		}
		out = append(out, s)
	}
	return out, nil
}
