package domain_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// A start time the log could not hold or a projection could not use is
// refused when the event is decided: "1900-01-01" (its end used to append a
// duration overflowing an INTEGER column and halt projections) and
// "9999-12-31T23:59:59-14:00" (year 10000 in UTC: JSON cannot encode it).
func TestCallStartTimeRules(t *testing.T) {
	t.Parallel()
	created := t0
	now := t0.Add(time.Hour)
	tests := []struct {
		name      string
		startedAt time.Time
		ok        bool
	}{
		{name: "now", startedAt: now, ok: true},
		{name: "at creation", startedAt: created, ok: true},
		{name: "within the skew before creation", startedAt: created.Add(-domain.ClockSkew + time.Second), ok: true},
		{name: "within the skew after now", startedAt: now.Add(domain.ClockSkew - time.Second), ok: true},
		{name: "before creation beyond the skew", startedAt: created.Add(-domain.ClockSkew - time.Second)},
		{name: "in the future beyond the skew", startedAt: now.Add(domain.ClockSkew + time.Second)},
		{name: "1900", startedAt: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "1960", startedAt: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "year 10000 in UTC", startedAt: time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -14*3600))},
		{name: "far future", startedAt: time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := recordedCall(t, domain.CallPending)
			require.Equal(t, created, c.CreatedAt())
			evs, err := c.Start(tt.startedAt, now, "")
			if !tt.ok {
				require.ErrorIs(t, err, domain.ErrInvalid)
				var fe *domain.FieldError
				require.True(t, errors.As(err, &fe))
				assert.Equal(t, "startedAt", fe.Field)
				return
			}
			require.NoError(t, err)
			_, err = json.Marshal(evs[0])
			assert.NoError(t, err)
		})
	}
}

// Without recording times (a call rebuilt by Apply alone) the creation time
// is unknown: only the absolute window and the future bound apply.
func TestCallStartWithoutCreationTime(t *testing.T) {
	t.Parallel()
	c := domain.NewCall("c1")
	evs, err := c.Create("u1", "p1", domain.ModeColdCall)
	require.NoError(t, err)
	c.Apply(evs[0])
	assert.True(t, c.CreatedAt().IsZero())
	_, err = c.Start(t0.Add(-48*time.Hour), t0, "")
	assert.NoError(t, err)
	_, err = c.Start(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), t0, "")
	assert.ErrorIs(t, err, domain.ErrInvalid)
}

// Every duration a call records fits duration_seconds (INTEGER) and is at
// most MaxCallDuration; a call left open longer is recorded as ended at the
// maximum, so it can still be ended.
func TestCallEndDurationIsBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		endedAt  time.Duration // after the start
		wantSecs int
	}{
		{name: "ten minutes", endedAt: 10 * time.Minute, wantSecs: 600},
		{name: "before the start (skewed clock)", endedAt: -time.Minute, wantSecs: 0},
		{name: "exactly the maximum", endedAt: domain.MaxCallDuration, wantSecs: int(domain.MaxCallDuration / time.Second)},
		{name: "a forgotten call", endedAt: 30 * 24 * time.Hour, wantSecs: int(domain.MaxCallDuration / time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := recordedCall(t, domain.CallInProgress)
			evs, err := c.End(c.StartedAt().Add(tt.endedAt), "")
			require.NoError(t, err)
			ended := evs[0].(*domain.CallEnded)
			assert.Equal(t, tt.wantSecs, ended.DurationSeconds)
			assert.Equal(t, c.StartedAt().Add(time.Duration(tt.wantSecs)*time.Second), ended.EndedAt)
			assert.LessOrEqual(t, ended.DurationSeconds, math.MaxInt32)
		})
	}
}

func TestTranscriptTimestampRange(t *testing.T) {
	t.Parallel()
	max := domain.MaxCallDuration.Milliseconds()
	for _, tt := range []struct {
		ms int64
		ok bool
	}{{0, true}, {max, true}, {-1, false}, {max + 1, false}, {math.MaxInt64, false}} {
		err := domain.TranscriptEntry{Role: domain.RoleUser, Content: "hi", TimestampMs: tt.ms}.Validate()
		if tt.ok {
			assert.NoError(t, err, tt.ms)
		} else {
			assert.ErrorIs(t, err, domain.ErrInvalid, tt.ms)
		}
	}
}

// The stream of another aggregate (a persona or user id given as a call id)
// is not a call.
func TestCallOnAnotherStreamDoesNotExist(t *testing.T) {
	t.Parallel()
	c := domain.NewCall("p1")
	c.Apply(&domain.PersonaCreated{PersonaProfile: validProfile(), OwnerUserID: "u1"})
	assert.False(t, c.Exists())
	_, err := c.LinkConversation("conv_1")
	assert.ErrorIs(t, err, domain.ErrNotFound)
	_, err = c.Create("u1", "p1", domain.ModeDiscovery)
	assert.ErrorIs(t, err, domain.ErrAlreadyExists)
}
