package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

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

// lagCountCap bounds the count so a far-behind projector (a rebuild) does
// not make health checks slow.
const lagCountCap = 100_000

// ProgressReporter is what ProjectorLagFrom needs of the projection runner.
type ProgressReporter interface {
	Health() []projections.Health
}

// ProjectorLagFrom measures the lag of every projector of the runners (the
// read-table projections, the scoring jobs, ...): each one's committed
// position compared with the log.
func ProjectorLagFrom(pool *pgxpool.Pool, runners ...ProgressReporter) func(context.Context) ([]ProjectorLag, error) {
	return func(ctx context.Context) ([]ProjectorLag, error) {
		var hs []projections.Health
		for _, r := range runners {
			hs = append(hs, r.Health()...)
		}
		out := make([]ProjectorLag, 0, len(hs))
		for _, h := range hs {
			l := ProjectorLag{Name: h.Name, LastError: h.LastError}
			var oldest *time.Time
			err := pool.QueryRow(ctx, `SELECT count(*), min(recorded_at) FROM (
  SELECT recorded_at FROM events WHERE (transaction_id, "offset") > ($1::text::xid8, $2)
  ORDER BY transaction_id, "offset" LIMIT $3) behind`, fmt.Sprint(h.Committed.TxID), h.Committed.Offset, lagCountCap).
				Scan(&l.Events, &oldest)
			if err != nil {
				return nil, fmt.Errorf("api: projector lag of %s: %w", h.Name, err)
			}
			if oldest != nil {
				l.Seconds = max(0, time.Since(*oldest).Seconds())
			}
			out = append(out, l)
		}
		return out, nil
	}
}

// Health is the answer of GET /api/health.
type Health struct {
	// Status is "ok", or "degraded" when a projector is failing or its lag is unknown.
	Status     string            `json:"status"`
	Database   DatabaseHealth    `json:"database"`
	Projectors []ProjectorHealth `json:"projectors"`
	Time       time.Time         `json:"time"`
}

// DatabaseHealth says whether PostgreSQL answered.
type DatabaseHealth struct {
	Status    string  `json:"status"`
	LatencyMs float64 `json:"latencyMs"`
}

// ProjectorHealth is one projector's lag.
type ProjectorHealth struct {
	Name       string  `json:"name"`
	LagEvents  int64   `json:"lagEvents"`
	LagSeconds float64 `json:"lagSeconds"`
	LastError  *string `json:"lastError"`
}

// handleHealth answers 200 while the database is reachable (with each
// projector's lag) and 503 SERVICE_UNAVAILABLE when it is not.
func (s *Server) handleHealth(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), healthTimeout)
	defer cancel()
	start := time.Now()
	if err := s.ping(ctx); err != nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The database is unreachable",
			Details: map[string]string{"database": "unreachable"}, RetryAfter: 5 * time.Second, Err: err}
	}
	h := Health{
		Status:     "ok",
		Database:   DatabaseHealth{Status: "ok", LatencyMs: float64(time.Since(start).Microseconds()) / 1000},
		Projectors: []ProjectorHealth{},
		Time:       time.Now().UTC(),
	}
	if s.lag != nil {
		lags, err := s.lag(ctx)
		if err != nil {
			s.requestLogger(c).Warn("health: projector lag unavailable", "err", err)
			h.Status = "degraded"
		}
		for _, l := range lags {
			p := ProjectorHealth{Name: l.Name, LagEvents: l.Events, LagSeconds: l.Seconds}
			if l.LastError != "" {
				p.LastError = &l.LastError
				h.Status = "degraded"
			}
			h.Projectors = append(h.Projectors, p)
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, h)
}
