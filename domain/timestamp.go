package domain

import (
	"fmt"
	"time"
)

// Rules for the times and durations events record. Every one of them is
// decided when the event is appended, so the log never holds a value that a
// read table cannot store or JSON cannot encode (a year beyond 9999, a
// duration beyond an INTEGER column): one such event would stop a projection
// for everyone.
const (
	// ClockSkew is how far a time reported by a client may lie after the
	// server's clock, or before the call's creation.
	ClockSkew = 5 * time.Minute
	// MaxCallDuration bounds a call: its recorded duration, and the offset of
	// each transcript line from the start.
	MaxCallDuration = 24 * time.Hour
)

// The window every recorded instant must lie in (UTC).
var (
	earliestTime = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
	latestTime   = time.Date(9999, time.December, 31, 23, 59, 59, 999_999_999, time.UTC)
)

// validateTime checks that an instant lies in the window events may record.
func validateTime(field string, t time.Time) error {
	if u := t.UTC(); u.Before(earliestTime) || u.After(latestTime) {
		return &FieldError{Field: field, Err: fmt.Errorf("%w: %s %s is outside %d..%d", ErrInvalid, field,
			t.Format(time.RFC3339), earliestTime.Year(), latestTime.Year())}
	}
	return nil
}
