package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/domain"
)

// TranscriptEntry is one transcript line (spec §7.3).
type TranscriptEntry struct {
	ID          string    `json:"id"`
	CallID      string    `json:"callId"`
	Role        string    `json:"role"`
	Content     string    `json:"content"`
	TimestampMs int64     `json:"timestampMs"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Transcript is the answer of GET /api/calls/:id/transcript, ordered by timestamp.
type Transcript struct {
	CallID  string            `json:"callId"`
	Entries []TranscriptEntry `json:"entries"`
}

// TranscriptLine is one line in a transcript POST.
type TranscriptLine struct {
	Role        *string `json:"role"`
	Content     *string `json:"content"`
	TimestampMs *int64  `json:"timestampMs"`
}

// TranscriptAdd is the body of POST /api/calls/:id/transcript: either one
// line ({role, content, timestampMs}) or a batch ({entries: [...]}).
type TranscriptAdd struct {
	Role        *string          `json:"role"`
	Content     *string          `json:"content"`
	TimestampMs *int64           `json:"timestampMs"`
	Entries     []TranscriptLine `json:"entries"`
}

// TranscriptAdded is the answer of POST /api/calls/:id/transcript.
type TranscriptAdded struct {
	CallID string `json:"callId"`
	// Added is how many lines were recorded.
	Added int `json:"added"`
	// Version is the call stream's version after the append (the SSE id of the last line).
	Version int `json:"version"`
}

func (l TranscriptLine) entry(prefix string) (domain.TranscriptEntry, error) {
	switch {
	case l.Role == nil:
		return domain.TranscriptEntry{}, invalidField(prefix+"role", "is required (user or assistant)")
	case l.Content == nil:
		return domain.TranscriptEntry{}, invalidField(prefix+"content", "is required")
	case l.TimestampMs == nil:
		return domain.TranscriptEntry{}, invalidField(prefix+"timestampMs", "is required (milliseconds since the call started)")
	}
	e := domain.TranscriptEntry{Role: domain.Role(*l.Role), Content: *l.Content, TimestampMs: *l.TimestampMs}
	if err := e.Validate(); err != nil {
		if fe, ok := asFieldError(err); ok && prefix != "" {
			return domain.TranscriptEntry{}, &domain.FieldError{Field: prefix + fe.Field, Issue: fe.Issue, Err: fe.Err}
		}
		return domain.TranscriptEntry{}, err
	}
	return e, nil
}

func (s *Server) handleTranscriptAdd(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body TranscriptAdd
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	single := body.Role != nil || body.Content != nil || body.TimestampMs != nil
	var entries []domain.TranscriptEntry
	switch {
	case single && body.Entries != nil:
		return invalidField("entries", "give one line (role, content, timestampMs) or entries, not both")
	case single:
		e, err := TranscriptLine{Role: body.Role, Content: body.Content, TimestampMs: body.TimestampMs}.entry("")
		if err != nil {
			return err
		}
		entries = []domain.TranscriptEntry{e}
	case len(body.Entries) == 0:
		return invalidField("entries", "at least one transcript line is required")
	case len(body.Entries) > s.cfg.MaxTranscriptBatch:
		return invalidField("entries", fmt.Sprintf("at most %d lines per request", s.cfg.MaxTranscriptBatch))
	default:
		entries = make([]domain.TranscriptEntry, len(body.Entries))
		for i, l := range body.Entries {
			if entries[i], err = l.entry(fmt.Sprintf("entries[%d].", i)); err != nil {
				return err
			}
		}
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	version, err := s.app.AddTranscript(c.Request().Context(), m, userID(c), id, entries)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, TranscriptAdded{CallID: id, Added: len(entries), Version: version})
}

func (s *Server) handleTranscriptGet(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	lines, err := s.app.Transcript(c.Request().Context(), userID(c), id)
	if err != nil {
		return err
	}
	out := Transcript{CallID: id, Entries: make([]TranscriptEntry, 0, len(lines))}
	for _, l := range lines {
		out.Entries = append(out.Entries, TranscriptEntry{ID: l.ID, CallID: l.CallID, Role: string(l.Role), Content: l.Content,
			TimestampMs: l.TimestampMs, CreatedAt: l.CreatedAt.UTC()})
	}
	return c.JSON(http.StatusOK, out)
}
