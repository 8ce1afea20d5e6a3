package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/hints"
)

// TurnRequest is the body of POST /api/calls/:id/turns: what the rep says.
type TurnRequest struct {
	Content *string `json:"content"`
}

// TurnLine is a transcript line a turn recorded.
type TurnLine struct {
	Role        string `json:"role"`
	Content     string `json:"content"`
	TimestampMs int64  `json:"timestampMs"`
}

// Turn is the answer of POST /api/calls/:id/turns.
type Turn struct {
	CallID string `json:"callId"`
	// OpeningLine is the prospect's first line when this turn recorded it.
	OpeningLine   *TurnLine `json:"openingLine"`
	UserLine      TurnLine  `json:"userLine"`
	ProspectLine  TurnLine  `json:"prospectLine"`
	Ended         bool      `json:"ended"`
	MeetingBooked bool      `json:"meetingBooked"`
	// EndReason is set when the prospect ended the call.
	EndReason *string `json:"endReason"`
	// QuickScore is set when the prospect ended the call (it is scored as by /end).
	QuickScore *QuickScore `json:"quickScore"`
	// Version is the call stream's version after the reply.
	Version int `json:"version"`
	// Hints are live coaching tips on this turn's lines (empty unless the call has hints on).
	Hints []Hint `json:"hints"`
	// ProspectState is the built-in prospect's state after the reply.
	ProspectState *ProspectState `json:"prospectState"`
}

// ProspectState is the built-in prospect's patience and interest (0..100).
type ProspectState struct {
	Patience       int `json:"patience"`
	Interest       int `json:"interest"`
	InterestNeeded int `json:"interestNeeded"`
}

// Hint is one live coaching tip about a transcript line.
type Hint struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	// Line is the index of the transcript line it is about (0-based, in recording order).
	Line int `json:"line"`
}

func hintsOf(hs []hints.Hint) []Hint {
	out := make([]Hint, len(hs))
	for i, h := range hs {
		out[i] = Hint{Kind: string(h.Kind), Text: h.Text, Line: h.At}
	}
	return out
}

func turnLine(e domain.TranscriptEntry) TurnLine {
	return TurnLine{Role: string(e.Role), Content: e.Content, TimestampMs: e.TimestampMs}
}

func (s *Server) handleTurn(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body TurnRequest
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	if body.Content == nil {
		return invalidField("content", "is required (what the rep says)")
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	res, err := s.app.TakeTurn(c.Request().Context(), m, userID(c), id, *body.Content, app.TurnOptions{LLM: s.prospectLLM})
	if err != nil {
		return err
	}
	out := Turn{CallID: res.CallID, UserLine: turnLine(res.Rep), ProspectLine: turnLine(res.Prospect),
		Ended: res.Ended, MeetingBooked: res.MeetingBooked, Version: res.Version, Hints: hintsOf(res.Hints)}
	if res.Opening != nil {
		o := turnLine(*res.Opening)
		out.OpeningLine = &o
	}
	if res.Ended {
		reason := res.EndReason
		out.EndReason = &reason
	}
	if st := res.State; st != nil {
		out.ProspectState = &ProspectState{Patience: st.Patience, Interest: st.Interest, InterestNeeded: st.InterestNeeded}
	}
	if res.QuickScore != nil {
		out.QuickScore = &QuickScore{Overall: res.QuickScore.Overall, Summary: res.QuickScore.Summary}
	}
	return c.JSON(http.StatusOK, out)
}
