package domain

import (
	"fmt"
	"strings"
	"time"
)

// Limits of an imported call.
const (
	// MaxImportedLines bounds the transcript of one imported call (a call's
	// bound, refused as invalid input when a file has more).
	MaxImportedLines = MaxCallLines
	// ImportedEndReason is the end reason of every imported call.
	ImportedEndReason = "imported"
)

// ImportedCall is a call held elsewhere, as read from its transcript file.
type ImportedCall struct {
	UserID string
	// PersonaID is the persona closest to the prospect, or "" when none applies.
	PersonaID string
	Mode      Mode
	// StartedAt is when the call began; its end is StartedAt plus the last line's offset (or Duration when longer).
	StartedAt time.Time
	Duration  time.Duration
	Entries   []TranscriptEntry
}

// Import decides, on an empty stream, the whole history of a call held elsewhere: created (marked imported),
// started, every transcript line, and ended with reason "imported". now is the caller's clock: the call must have
// started in the past (up to ClockSkew ahead of now) and after 2000, and last at most MaxCallDuration.
func (c *Call) Import(in ImportedCall, now time.Time) ([]Event, error) {
	if c.version > 0 {
		return nil, fmt.Errorf("import call %s: %w", c.id, ErrAlreadyExists)
	}
	if strings.TrimSpace(in.UserID) == "" {
		return nil, &FieldError{Field: "userId", Err: fmt.Errorf("%w: userId is required", ErrInvalid)}
	}
	if _, err := ParseMode(string(in.Mode)); err != nil {
		return nil, &FieldError{Field: "mode", Err: err}
	}
	if in.StartedAt.IsZero() {
		return nil, &FieldError{Field: "startedAt", Err: fmt.Errorf("%w: startedAt is required", ErrInvalid)}
	}
	if err := validateTime("startedAt", in.StartedAt); err != nil {
		return nil, err
	}
	if in.StartedAt.After(now.Add(ClockSkew)) {
		return nil, &FieldError{Field: "startedAt", Err: fmt.Errorf("%w: startedAt %s is in the future", ErrInvalid, in.StartedAt.UTC().Format(time.RFC3339))}
	}
	if len(in.Entries) == 0 {
		return nil, &FieldError{Field: "entries", Err: fmt.Errorf("%w: the transcript has no lines", ErrInvalid)}
	}
	if len(in.Entries) > MaxImportedLines {
		return nil, &FieldError{Field: "entries", Err: fmt.Errorf("%w: the transcript has %d lines, the limit is %d", ErrInvalid, len(in.Entries), MaxImportedLines)}
	}
	reps, prospects := 0, 0
	var last int64
	for i, e := range in.Entries {
		if err := e.Validate(); err != nil {
			var fe *FieldError
			if asFieldError(err, &fe) {
				return nil, &FieldError{Field: fmt.Sprintf("entries[%d].%s", i, fe.Field), Err: fe.Err}
			}
			return nil, err
		}
		if e.TimestampMs < last {
			return nil, &FieldError{Field: fmt.Sprintf("entries[%d].timestampMs", i), Err: fmt.Errorf("%w: timestamps must not go backwards", ErrInvalid)}
		}
		last = e.TimestampMs
		if e.Role == RoleUser {
			reps++
		} else {
			prospects++
		}
	}
	if err := checkCallSize(0, 0, in.Entries); err != nil {
		return nil, err
	}
	if reps == 0 || prospects == 0 {
		return nil, &FieldError{Field: "entries", Err: fmt.Errorf("%w: a call needs lines from both the rep and the prospect", ErrInvalid)}
	}
	duration := max(in.Duration, time.Duration(last)*time.Millisecond)
	if duration > MaxCallDuration {
		return nil, &FieldError{Field: "entries", Err: fmt.Errorf("%w: the call lasts %s, the limit is %s", ErrInvalid, duration.Round(time.Second), MaxCallDuration)}
	}
	started := in.StartedAt.UTC()
	events := make([]Event, 0, len(in.Entries)+3)
	events = append(events, &CallCreated{UserID: in.UserID, PersonaID: in.PersonaID, Mode: in.Mode, Imported: true},
		&CallStarted{StartedAt: started})
	for _, e := range in.Entries {
		events = append(events, &TranscriptChunkAdded{TranscriptEntry: e})
	}
	d := int(duration.Round(time.Second) / time.Second)
	return append(events, &CallEnded{EndedAt: started.Add(time.Duration(d) * time.Second), DurationSeconds: d, Reason: ImportedEndReason}), nil
}
