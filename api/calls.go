package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// Call is a practice call (spec §7.3, plus its end reason and versions).
type Call struct {
	ID     string `json:"id"`
	UserID string `json:"userId"`
	// PersonaID is null for an imported call held with someone outside Sparrow.
	PersonaID *string `json:"personaId"`
	Mode      string  `json:"mode"`
	// Imported marks a call held elsewhere and imported from its transcript.
	Imported bool `json:"imported"`
	// Hints: live coaching hints are on (POST /api/calls with hints: true).
	Hints                    bool       `json:"hints"`
	Status                   string     `json:"status"`
	StartedAt                *time.Time `json:"startedAt"`
	EndedAt                  *time.Time `json:"endedAt"`
	DurationSeconds          *int       `json:"durationSeconds"`
	ElevenlabsConversationID *string    `json:"elevenlabsConversationId"`
	EndReason                *string    `json:"endReason"`
	// TranscriptVersion is how many transcript lines the call has.
	TranscriptVersion int `json:"transcriptVersion"`
	// Version is the call stream's version (the id of its latest SSE event).
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// CallList is a page of the user's calls, newest first.
type CallList struct {
	Calls []Call `json:"calls"`
	// NextCursor continues the list (query parameter cursor); null on the last page.
	NextCursor *string `json:"nextCursor"`
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func callOf(v app.CallView) Call {
	var persona *string
	if v.PersonaID != "" {
		persona = &v.PersonaID
	}
	return Call{ID: v.ID, UserID: v.UserID, PersonaID: persona, Mode: string(v.Mode), Imported: v.Imported, Hints: v.Hints, Status: string(v.Status),
		StartedAt: utcPtr(v.StartedAt), EndedAt: utcPtr(v.EndedAt), DurationSeconds: v.DurationSeconds,
		ElevenlabsConversationID: v.ElevenlabsConversationID, EndReason: v.EndReason,
		TranscriptVersion: v.TranscriptVersion, Version: v.Version, CreatedAt: v.CreatedAt.UTC(), UpdatedAt: v.UpdatedAt.UTC()}
}

func (s *Server) handleCallList(c echo.Context) error {
	f := app.CallFilter{Cursor: c.QueryParam("cursor")}
	if m := c.QueryParam("mode"); m != "" {
		mode, err := domain.ParseMode(m)
		if err != nil {
			return &domain.FieldError{Field: "mode", Err: err}
		}
		f.Mode = mode
	}
	if st := c.QueryParam("status"); st != "" {
		status, err := domain.ParseCallStatus(st)
		if err != nil {
			return &domain.FieldError{Field: "status", Err: err}
		}
		f.Status = status
	}
	limit, err := queryInt(c, "limit", 20, 100)
	if err != nil {
		return err
	}
	if limit == 0 {
		return invalidField("limit", "must be an integer between 1 and 100")
	}
	f.Limit = limit
	if len(f.Cursor) > 200 {
		return invalidField("cursor", "cursor is not valid")
	}
	calls, next, err := s.app.ListCalls(c.Request().Context(), userID(c), f)
	if err != nil {
		return err
	}
	out := CallList{Calls: make([]Call, 0, len(calls))}
	for _, v := range calls {
		out.Calls = append(out.Calls, callOf(v))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(http.StatusOK, out)
}

// CallCreate is the body of POST /api/calls.
type CallCreate struct {
	Mode      *string `json:"mode"`
	PersonaID *string `json:"personaId"`
	// Hints turns on live coaching hints for the call (off by default).
	Hints *bool `json:"hints"`
}

func (s *Server) handleCallCreate(c echo.Context) error {
	var body CallCreate
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	if body.Mode == nil {
		return invalidField("mode", "is required (cold_call, discovery or objection_gauntlet)")
	}
	if body.PersonaID == nil {
		return invalidField("personaId", "is required")
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	id, err := s.app.CreateCallWith(ctx, m, userID(c), *body.PersonaID, domain.Mode(*body.Mode),
		domain.CallSettings{Hints: body.Hints != nil && *body.Hints})
	if err != nil {
		return err
	}
	v, err := s.app.GetCall(ctx, userID(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/calls/"+id)
	return c.JSON(http.StatusCreated, callOf(v))
}

func (s *Server) handleCallGet(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.app.GetCall(c.Request().Context(), userID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, callOf(v))
}

// CallUpdate is the body of PATCH /api/calls/:id:
//   - {status: "in_progress", startedAt?, elevenlabsConversationId?} starts a pending call
//     (startedAt defaults to now);
//   - {status: "failed", reason} marks a pending or in-progress call as failed;
//   - {elevenlabsConversationId} alone links the voice conversation.
//
// Calls are completed with POST /api/calls/:id/end, which also scores them.
type CallUpdate struct {
	Status                   *string `json:"status"`
	StartedAt                *string `json:"startedAt"`
	ElevenlabsConversationID *string `json:"elevenlabsConversationId"`
	Reason                   *string `json:"reason"`
}

func (s *Server) handleCallUpdate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body CallUpdate
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	ctx, uid := c.Request().Context(), userID(c)
	conv := ""
	if body.ElevenlabsConversationID != nil {
		if conv = *body.ElevenlabsConversationID; strings.TrimSpace(conv) == "" {
			return invalidField("elevenlabsConversationId", "must not be empty")
		}
	}
	switch {
	case body.Status == nil:
		if body.StartedAt != nil || body.Reason != nil {
			return invalidField("status", "is required with startedAt or reason")
		}
		if conv == "" {
			return invalidField("body", "nothing to update: give status or elevenlabsConversationId")
		}
		err = s.app.LinkConversation(ctx, m, uid, id, conv)
	case *body.Status == string(domain.CallInProgress):
		if body.Reason != nil {
			return invalidField("reason", "is only allowed with status failed")
		}
		startedAt := time.Now().UTC()
		if body.StartedAt != nil {
			if startedAt, err = time.Parse(time.RFC3339Nano, *body.StartedAt); err != nil {
				return invalidField("startedAt", "must be an RFC 3339 date-time, like 2025-01-31T09:30:00Z")
			}
			if err := checkOffset("startedAt", startedAt); err != nil {
				return err
			}
		}
		err = s.app.StartCall(ctx, m, uid, id, startedAt, conv)
	case *body.Status == string(domain.CallFailedStatus):
		if body.StartedAt != nil || conv != "" {
			return invalidField("status", "failed takes only a reason")
		}
		reason := "client_reported"
		if body.Reason != nil {
			reason = *body.Reason
		}
		err = s.app.FailCall(ctx, m, uid, id, reason)
	case *body.Status == string(domain.CallCompleted):
		return invalidField("status", "end a call with POST /api/calls/{id}/end, which also scores it")
	default:
		return invalidField("status", `must be "in_progress" or "failed"`)
	}
	if err != nil {
		return err
	}
	return s.handleCallGet(c)
}

// CallEnd is the body of POST /api/calls/:id/end (optional).
type CallEnd struct {
	ElevenlabsConversationID *string `json:"elevenlabsConversationId"`
	Reason                   *string `json:"reason"`
}

// CallEnded is the answer of POST /api/calls/:id/end.
type CallEnded struct {
	Success    bool       `json:"success"`
	CallID     string     `json:"callId"`
	QuickScore QuickScore `json:"quickScore"`
}

// QuickScore is the fast score given when a call ends.
type QuickScore struct {
	Overall int    `json:"overall"`
	Summary string `json:"summary"`
}

func (s *Server) handleCallEnd(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body CallEnd
	if err := s.decodeBody(c, &body, true); err != nil {
		return err
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	var conv, reason string
	if body.ElevenlabsConversationID != nil {
		if conv = *body.ElevenlabsConversationID; strings.TrimSpace(conv) == "" {
			return invalidField("elevenlabsConversationId", "must not be empty")
		}
	}
	if body.Reason != nil {
		reason = *body.Reason
	}
	if err := domain.ValidateConversationID(conv); err != nil {
		// Checked before the voice provider is asked for it.
		return err
	}
	if err := domain.ValidateReason(reason); err != nil {
		// Checked whatever the call's state: repeating an end of a completed
		// call answers its first result, and bad input must not pass as that.
		return err
	}
	if conv != "" {
		if _, err := s.app.RecordVoiceTranscript(c.Request().Context(), m, userID(c), id, conv); err != nil {
			return err
		}
	}
	res, err := s.app.EndCall(c.Request().Context(), m, userID(c), id, reason, conv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CallEnded{Success: true, CallID: res.CallID,
		QuickScore: QuickScore{Overall: res.QuickScore.Overall, Summary: res.QuickScore.Summary}})
}
