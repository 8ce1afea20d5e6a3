package app

import (
	"context"
	"encoding/json"
	"fmt"
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

// Page sizes of CallEvents.
const (
	// DefaultEventsPage is the page size when none is asked for.
	DefaultEventsPage = 500
	// MaxEventsPage is the largest page CallEvents returns.
	MaxEventsPage = 1000
)

// CallEvents returns a page of the user's call history from the log: at most
// limit events (0: DefaultEventsPage; 1..MaxEventsPage) after afterVersion,
// in version order, and whether the stream had more after them when read
// (the next page starts after the last event returned).
func (a *App) CallEvents(ctx context.Context, userID, callID string, afterVersion, limit int) (_ []CallEvent, more bool, err error) {
	defer door(&err)
	if limit == 0 {
		limit = DefaultEventsPage
	}
	if limit < 1 || limit > MaxEventsPage {
		return nil, false, domain.Invalid("limit", fmt.Sprintf("limit must be 1..%d", MaxEventsPage))
	}
	if afterVersion < 0 || afterVersion > maxVersion {
		return nil, false, domain.Invalid("after", fmt.Sprintf("after must be 0..%d", maxVersion))
	}
	if _, err := a.CallForUser(ctx, userID, callID); err != nil { // scopes the history to its owner
		return nil, false, err
	}
	// One event beyond the page says whether there is a next page.
	evs, err := a.store.LoadRange(ctx, callID, afterVersion, min(afterVersion+limit+1, maxVersion))
	if err != nil {
		return nil, false, err
	}
	if len(evs) > limit {
		evs, more = evs[:limit], true
	}
	return callEventsOf(evs), more, nil
}

// StreamWaker signals appends to one stream (eventstore.Waker).
type StreamWaker interface {
	SubscribeStream(streamID string) (<-chan struct{}, func())
}

// CallStream follows one call's stream as it grows: Next returns the events
// not returned yet, a page at a time (More says a page was full), Woken
// signals that there may be new ones. It never holds more than one page of
// the history, however long the call. Not safe for concurrent use; Close it
// when done.
type CallStream struct {
	app    *App
	callID string
	after  int
	more   bool
	wake   <-chan struct{}
	close  func()

	// For calls with hints on: the mode and the transcript up to after
	// (bounded by domain.MaxCallBytes).
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
			then, err := a.CallAsOf(ctx, callID, afterVersion)
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

// StreamPage is the most events one Next returns.
const StreamPage = eventPage

// Next returns the events appended since the last Next (or since the
// starting version), oldest first, at most StreamPage of them.
func (s *CallStream) Next(ctx context.Context) (_ []CallEvent, err error) {
	defer door(&err)
	evs, err := s.app.store.LoadRange(ctx, s.callID, s.after, min(s.after+StreamPage, maxVersion))
	if err != nil {
		return nil, err
	}
	s.more = len(evs) == StreamPage
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

// More reports whether the last Next returned a full page: more events may
// be waiting already, so call Next again before waiting for a wake.
func (s *CallStream) More() bool { return s.more }

// Close ends the subscription.
func (s *CallStream) Close() { s.close() }
