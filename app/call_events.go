package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/hints"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// CallEvent is one recorded event of a call's stream, as readers outside
// the application (the event history, the live stream) see it.
type CallEvent struct {
	// ID is the event's id.
	ID string
	// CallID is the call (the stream) it belongs to.
	CallID string
	// Version is the event's place in the call stream (1, 2, ...).
	Version int
	// Type is the stored event type ("CallStarted", ...).
	Type string
	// OccurredAt is when it happened; Actor who caused it (a user id,
	// "system", "webhook:<provider>").
	OccurredAt time.Time
	Actor      string
	// Data is the event, upcast to its current schema; Payload its JSON.
	Data    domain.Event
	Payload json.RawMessage
	// Hints are the live coaching tips a transcript line gives rise to, on a
	// call with hints on (CallStream only).
	Hints []hints.Hint
}

func callEventsOf(evs []eventstore.Event) []CallEvent {
	out := make([]CallEvent, len(evs))
	for i, e := range evs {
		out[i] = CallEvent{ID: e.Metadata.EventID, CallID: e.StreamID, Version: e.Version, Type: e.Type,
			OccurredAt: e.Metadata.OccurredAt, Actor: e.Metadata.Actor, Data: e.Data, Payload: e.Payload}
	}
	return out
}

// CallEvents returns the user's call history from the log: the events after
// afterVersion.
func (a *App) CallEvents(ctx context.Context, userID, callID string, afterVersion int) (_ []CallEvent, err error) {
	defer door(&err)
	if _, err := a.CallForUser(ctx, userID, callID); err != nil { // scopes the history to its owner
		return nil, err
	}
	evs, err := a.store.LoadRange(ctx, callID, afterVersion, 0)
	if err != nil {
		return nil, err
	}
	return callEventsOf(evs), nil
}

// StreamWaker signals appends to one stream (eventstore.Waker).
type StreamWaker interface {
	SubscribeStream(streamID string) (<-chan struct{}, func())
}

// CallStream follows one call's stream as it grows: Next returns the events
// not returned yet, Woken signals that there may be new ones. Not safe for
// concurrent use; Close it when done.
type CallStream struct {
	app    *App
	callID string
	after  int
	wake   <-chan struct{}
	close  func()

	// For calls with hints on: the mode and the transcript up to after.
	hints bool
	mode  domain.Mode
	lines []domain.TranscriptEntry
}

// FollowCall opens a CallStream on the user's call that starts after
// afterVersion (0: from the first event). It subscribes to wakes before it
// checks the call, so no append can fall between the subscription and the
// first Next. Another user's call is domain.ErrNotFound.
//
// Without a Config.Waker, Woken never fires: the caller polls Next.
func (a *App) FollowCall(ctx context.Context, userID, callID string, afterVersion int) (_ *CallStream, err error) {
	defer door(&err)
	s := &CallStream{app: a, callID: callID, after: afterVersion, close: func() {}}
	if a.cfg.Waker != nil {
		s.wake, s.close = a.cfg.Waker.SubscribeStream(callID)
	}
	call, err := a.CallForUser(ctx, userID, callID)
	if err != nil {
		s.Close()
		return nil, err
	}
	if call.Hints() {
		s.hints, s.mode = true, call.Mode()
		if afterVersion > 0 {
			then, _, err := a.LoadCallAsOf(ctx, callID, afterVersion)
			if err != nil {
				s.Close()
				return nil, err
			}
			s.lines = then.Transcript()
		}
	}
	return s, nil
}

// Woken is signalled after an append to the call's stream in this process
// (or one bridged to it); nil (never) without a Config.Waker.
func (s *CallStream) Woken() <-chan struct{} { return s.wake }

// Next returns the events appended since the last Next (or since the
// starting version), oldest first.
func (s *CallStream) Next(ctx context.Context) (_ []CallEvent, err error) {
	defer door(&err)
	evs, err := s.app.store.LoadRange(ctx, s.callID, s.after, 0)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 {
		s.after = evs[len(evs)-1].Version
	}
	out := callEventsOf(evs)
	if s.hints {
		for i, e := range out {
			if line, ok := e.Data.(*domain.TranscriptChunkAdded); ok {
				s.lines = append(s.lines, line.TranscriptEntry)
				out[i].Hints = hints.For(s.mode, s.lines, len(s.lines)-1)
			}
		}
	}
	return out, nil
}

// Close ends the subscription.
func (s *CallStream) Close() { s.close() }
