package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/transcriptfile"
)

// importMaxBodyBytes bounds POST /api/calls/import: a transcript file of up to transcriptfile.MaxBytes, escaped
// into a JSON string.
const (
	importPath         = "/api/calls/import"
	importMaxBodyBytes = 2*transcriptfile.MaxBytes + 64<<10
)

// CallImport is the body of POST /api/calls/import.
type CallImport struct {
	// Content is the transcript file's text.
	Content *string `json:"content"`
	// Format is text, vtt, srt or json; omitted: told from the content.
	Format     *string    `json:"format"`
	RepSpeaker *string    `json:"repSpeaker"`
	Mode       *string    `json:"mode"`
	PersonaID  *string    `json:"personaId"`
	StartedAt  *time.Time `json:"startedAt"`
}

// CallImported is the answer of POST /api/calls/import.
type CallImported struct {
	Call       Call       `json:"call"`
	Format     string     `json:"format"`
	Lines      int        `json:"lines"`
	Speakers   []string   `json:"speakers"`
	QuickScore QuickScore `json:"quickScore"`
}

func (s *Server) handleCallImport(c echo.Context) error {
	var body CallImport
	if err := s.decodeBody(c, &body, false); err != nil {
		return err
	}
	switch {
	case body.Content == nil:
		return invalidField("content", "is required: the transcript file's text")
	case body.Mode == nil:
		return invalidField("mode", "is required (cold_call, discovery or objection_gauntlet)")
	}
	req := app.ImportRequest{Data: []byte(*body.Content), Mode: domain.Mode(*body.Mode)}
	if body.Format != nil {
		req.Format = transcriptfile.Format(*body.Format)
	}
	if body.RepSpeaker != nil {
		req.RepSpeaker = *body.RepSpeaker
	}
	if body.PersonaID != nil {
		req.PersonaID = *body.PersonaID
	}
	if body.StartedAt != nil {
		if body.StartedAt.IsZero() {
			// The zero time means "not given" to the app (the call ended now);
			// sent explicitly it is year 1, as impossible as any other.
			return invalidField("startedAt", "0001-01-01T00:00:00Z is not a possible start time (omit startedAt for a call that just ended)")
		}
		if err := checkOffset("startedAt", *body.StartedAt); err != nil {
			return err
		}
		req.StartedAt = *body.StartedAt
	}
	m, err := meta(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := s.app.ImportCall(ctx, m, userID(c), req)
	if err != nil {
		return err
	}
	v, err := s.app.GetCall(ctx, userID(c), res.CallID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/calls/"+res.CallID)
	return c.JSON(http.StatusCreated, CallImported{Call: callOf(v), Format: string(res.Format), Lines: res.Lines,
		Speakers: res.Speakers, QuickScore: QuickScore{Overall: res.QuickScore.Overall, Summary: res.QuickScore.Summary}})
}
