package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

func TestToErrorMapsEveryKindInOnePlace(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("app: command: %w", fmt.Errorf("layer: %w", err)) }
	field := &domain.FieldError{Field: "mode", Err: fmt.Errorf("%w: mode %q must be one of cold_call, discovery, objection_gauntlet", domain.ErrInvalid, "x")}
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		field  string
	}{
		{name: "field error", err: wrap(field), status: 400, code: CodeValidation, field: "mode"},
		{name: "field naming a missing thing", err: wrap(&domain.FieldError{Field: "personaId", Err: fmt.Errorf("persona x: %w", domain.ErrNotFound)}),
			status: 400, code: CodeValidation, field: "personaId"},
		{name: "invalid without a field", err: wrap(fmt.Errorf("%w: bad", domain.ErrInvalid)), status: 400, code: CodeValidation, field: "body"},
		{name: "a call past its maximum size", err: wrap(&domain.FieldError{Field: "entries", Issue: "a call holds at most 5000 transcript lines", Err: domain.ErrLimitExceeded}),
			status: 422, code: CodeLimitExceeded, field: "entries"},
		{name: "invalid token", err: wrap(auth.ErrInvalidToken), status: 401, code: CodeAuthentication},
		{name: "deleted account", err: wrap(app.ErrUserDeleted), status: 401, code: CodeAuthentication},
		{name: "not found", err: wrap(fmt.Errorf("call x: %w", domain.ErrNotFound)), status: 404, code: CodeNotFound},
		{name: "illegal transition", err: wrap(fmt.Errorf("end call: %w", domain.ErrIllegalTransition)), status: 409, code: CodeConflict},
		{name: "already exists", err: wrap(domain.ErrAlreadyExists), status: 409, code: CodeConflict},
		{name: "concurrency conflict after retries", err: wrap(fmt.Errorf("%w: lost", app.ErrConflict)), status: 409, code: CodeConflict},
		{name: "database unavailable", err: wrap(fmt.Errorf("%w: dial tcp: connection refused", app.ErrUnavailable)), status: 503, code: CodeUnavailable},
		{name: "deadline", err: wrap(context.DeadlineExceeded), status: 503, code: CodeUnavailable},
		{name: "external service", err: wrap(fmt.Errorf("%w: groq: 500", app.ErrExternalService)), status: 502, code: CodeExternalService},
		{name: "voice provider timed out after its retries", err: fmt.Errorf("%w: elevenlabs: %w", app.ErrExternalService, context.DeadlineExceeded),
			status: 502, code: CodeExternalService},
		{name: "webhook signature", err: wrap(fmt.Errorf("%w: stale", app.ErrWebhookSignature)), status: 401, code: CodeAuthentication},
		{name: "missing svix headers", err: wrap(fmt.Errorf("%w: no svix-id", app.ErrWebhookHeaders)), status: 400, code: CodeValidation, field: "svix-signature"},
		{name: "malformed webhook event", err: wrap(fmt.Errorf("%w: no type", app.ErrMalformedWebhook)), status: 400, code: CodeValidation, field: "body"},
		{name: "webhook off", err: app.ErrWebhookOff, status: 404, code: CodeNotFound},
		{name: "anything else", err: errors.New("boom relation"), status: 500, code: CodeInternal},
		{name: "an unclassified driver error is internal", err: wrap(errors.New(`relation "calls" does not exist`)), status: 500, code: CodeInternal},
		{name: "route not found", err: echoNotFound(), status: 404, code: CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := toError(tt.err)
			assert.Equal(t, tt.status, e.Status)
			assert.Equal(t, tt.code, e.Code)
			if tt.field != "" {
				assert.Equal(t, tt.field, e.Details.(FieldIssue).Field)
				assert.NotContains(t, e.Details.(FieldIssue).Issue, "invalid:")
			}
			if e.Status >= 500 {
				assert.NotContains(t, e.Message, "relation")
				assert.NotContains(t, e.Message, "boom")
			}
		})
	}
}

func echoNotFound() error {
	return fmt.Errorf("routing: %w", errEchoNotFound)
}

var errEchoNotFound = echoHTTPError(http.StatusNotFound)

func echoHTTPError(code int) error { return echo.NewHTTPError(code) }

func TestTTLCacheNeverOutlivesItsLimits(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	c := newTTLCache[string](time.Minute, 3)
	c.now = func() time.Time { return now }

	c.put("a", "user-a", time.Time{})
	c.put("b", "user-b", now.Add(10*time.Second)) // a token expiring sooner than the TTL
	got, ok := c.get("a")
	assert.True(t, ok)
	assert.Equal(t, "user-a", got)

	now = now.Add(10 * time.Second)
	_, ok = c.get("b")
	assert.False(t, ok, "an entry never outlives the token's exp")
	_, ok = c.get("a")
	assert.True(t, ok)

	now = now.Add(time.Minute)
	_, ok = c.get("a")
	assert.False(t, ok, "nor the TTL")

	for i := range 10 {
		c.put(fmt.Sprint(i), "u", time.Time{})
	}
	assert.LessOrEqual(t, len(c.entries), 3, "bounded")

	off := newTTLCache[string](0, 3)
	off.put("a", "user-a", time.Time{})
	_, ok = off.get("a")
	assert.False(t, ok, "a zero TTL disables the cache")
}

func TestTTLCacheForgetsADeletedUser(t *testing.T) {
	t.Parallel()
	c := newTTLCache[string](time.Minute, 10)
	c.put("token-1", "user-a", time.Time{})
	c.put("token-2", "user-a", time.Time{})
	c.put("token-3", "user-b", time.Time{})
	c.forgetUser("user-a")
	_, ok := c.get("token-1")
	assert.False(t, ok)
	_, ok = c.get("token-2")
	assert.False(t, ok)
	got, ok := c.get("token-3")
	assert.True(t, ok, "other users stay")
	assert.Equal(t, "user-b", got)
}

// A validation error shows the issue its constructor wrote, never its
// internal wrapping.
func TestValidationIssues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		err          error
		field, issue string
	}{
		{name: "issue set at construction", err: fmt.Errorf("app: list calls: %w", domain.Invalid("limit", "limit must be 1..100")),
			field: "limit", issue: "limit must be 1..100"},
		{name: "domain constructor", err: fmt.Errorf("app: x: %w", &domain.FieldError{Field: "mode", Err: fmt.Errorf("%w: mode %q is unknown", domain.ErrInvalid, "x")}),
			field: "mode", issue: `mode "x" is unknown`},
		{name: "no field", err: fmt.Errorf("app: x: %w", fmt.Errorf("%w: a persona is either a preset or owned by a user", domain.ErrInvalid)),
			field: "body", issue: "a persona is either a preset or owned by a user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := toError(tt.err)
			assert.Equal(t, http.StatusBadRequest, e.Status)
			assert.Equal(t, FieldIssue{Field: tt.field, Issue: tt.issue}, e.Details)
		})
	}
	conflict := toError(fmt.Errorf("end call: call is completed, must be in_progress: %w", domain.ErrIllegalTransition))
	assert.Equal(t, "Not allowed now: end call: call is completed, must be in_progress", conflict.Message)
}
