package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
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

// CallEventList is the answer of GET /api/calls/:id/events: one page of the
// history.
type CallEventList struct {
	CallID string      `json:"callId"`
	Events []CallEvent `json:"events"`
	// NextAfter is the after of the next page (the last version of this
	// one), nil when the history had no more events when read.
	NextAfter *int `json:"nextAfter"`
	// Next is the path of the next page, nil with NextAfter.
	Next *string `json:"next"`
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
	limit, err := queryInt(c, "limit", app.DefaultEventsPage, app.MaxEventsPage)
	if err != nil || limit == 0 {
		return invalidField("limit", fmt.Sprintf("must be an integer between 1 and %d", app.MaxEventsPage))
	}
	evs, more, err := s.app.CallEvents(c.Request().Context(), userID(c), id, after, limit)
	if err != nil {
		return err
	}
	out := CallEventList{CallID: id, Events: make([]CallEvent, 0, len(evs))}
	for _, e := range evs {
		out.Events = append(out.Events, CallEvent{ID: e.ID, Type: e.Type, Version: e.Version,
			Time: e.OccurredAt.UTC(), Actor: e.Actor, Payload: e.Payload})
	}
	if more {
		last := evs[len(evs)-1].Version
		next := fmt.Sprintf("/api/calls/%s/events?after=%d&limit=%d", id, last, limit)
		out.NextAfter, out.Next = &last, &next
	}
	return c.JSON(http.StatusOK, out)
}
