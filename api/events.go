package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// CallEvent is one recorded event of a call's history.
type CallEvent struct {
	ID string `json:"id"`
	// Type is the stored event type ("CallStarted", "TranscriptChunkAdded", ...).
	Type string `json:"type"`
	// Version is the event's place in the call stream (1, 2, ...).
	Version int `json:"version"`
	// Time is when the event happened.
	Time time.Time `json:"time"`
	// Actor caused it: a user id, "system", or "webhook:<provider>".
	Actor string `json:"actor"`
	// Payload is the event as stored, upcast to its current schema.
	Payload json.RawMessage `json:"payload"`
}

// CallEventList is the answer of GET /api/calls/:id/events.
type CallEventList struct {
	CallID string      `json:"callId"`
	Events []CallEvent `json:"events"`
}

func (s *Server) handleCallEvents(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	after, err := queryInt(c, "after", 0, maxStreamVersion)
	if err != nil {
		return err
	}
	evs, err := s.app.CallEvents(c.Request().Context(), userID(c), id, after)
	if err != nil {
		return err
	}
	out := CallEventList{CallID: id, Events: make([]CallEvent, 0, len(evs))}
	for _, e := range evs {
		out.Events = append(out.Events, CallEvent{ID: e.ID, Type: e.Type, Version: e.Version,
			Time: e.OccurredAt.UTC(), Actor: e.Actor, Payload: e.Payload})
	}
	return c.JSON(http.StatusOK, out)
}
