package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
)

// Health is the answer of GET /api/health.
type Health struct {
	// Status is "ok", or "degraded" when a projector is failing, has quarantined streams or its lag is unknown.
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
	// QuarantinedStreams counts the streams the projector skips because one
	// of their events could not be applied.
	QuarantinedStreams int `json:"quarantinedStreams"`
}

// handleHealth answers 200 while the database is reachable (with each
// projector's lag) and 503 SERVICE_UNAVAILABLE when it is not.
func (s *Server) handleHealth(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), healthTimeout)
	defer cancel()
	rep, err := s.app.Health(ctx)
	if errors.Is(err, app.ErrUnavailable) {
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Message: "The database is unreachable",
			Details: map[string]string{"database": "unreachable"}, RetryAfter: 5 * time.Second, Err: err}
	}
	if err != nil {
		return err
	}
	h := Health{
		Status:     "ok",
		Database:   DatabaseHealth{Status: "ok", LatencyMs: float64(rep.DatabaseLatency.Microseconds()) / 1000},
		Projectors: []ProjectorHealth{},
		Time:       time.Now().UTC(),
	}
	if rep.LagErr != nil {
		s.requestLogger(c).Warn("health: projector lag unavailable", "err", rep.LagErr)
		h.Status = "degraded"
	}
	for _, l := range rep.Projectors {
		p := ProjectorHealth{Name: l.Name, LagEvents: l.Events, LagSeconds: l.Seconds, QuarantinedStreams: l.Quarantined}
		if l.LastError != "" || l.Quarantined > 0 {
			p.LastError = &l.LastError
			h.Status = "degraded"
		}
		h.Projectors = append(h.Projectors, p)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, h)
}
