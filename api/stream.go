package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// SSE event names of GET /api/calls/:id/stream (spec §9.1, plus call:failed
// and score:failed so a client never waits for something that will not come).
const (
	SSETranscript    = "transcript"
	SSECallStarted   = "call:started"
	SSECallEnded     = "call:ended"
	SSECallFailed    = "call:failed"
	SSEScoreReady    = "score:ready"
	SSEFeedbackReady = "feedback:ready"
	SSEScoreFailed   = "score:failed"
	// SSEHint is a live coaching tip about the transcript line just sent (calls with hints on).
	SSEHint = "hint"
)

// Payloads of the stream's events.
type (
	// StreamCallStarted is the data of call:started.
	StreamCallStarted struct {
		CallID                   string    `json:"callId"`
		Status                   string    `json:"status"`
		StartedAt                time.Time `json:"startedAt"`
		ElevenlabsConversationID *string   `json:"elevenlabsConversationId"`
	}
	// StreamCallEnded is the data of call:ended.
	StreamCallEnded struct {
		CallID          string    `json:"callId"`
		Status          string    `json:"status"`
		EndedAt         time.Time `json:"endedAt"`
		DurationSeconds int       `json:"durationSeconds"`
		Reason          string    `json:"reason"`
	}
	// StreamCallFailed is the data of call:failed.
	StreamCallFailed struct {
		CallID string `json:"callId"`
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	// StreamScoreReady is the data of score:ready; Kind says which score it is.
	// A quick score fills Overall and Summary, a deep one Deep.
	StreamScoreReady struct {
		CallID            string     `json:"callId"`
		Kind              string     `json:"kind"`
		Overall           int        `json:"overall"`
		Summary           string     `json:"summary"`
		TranscriptVersion int        `json:"transcriptVersion"`
		Deep              *DeepScore `json:"deep"`
	}
	// StreamFeedbackReady is the data of feedback:ready (after a deep score:ready).
	StreamFeedbackReady struct {
		CallID            string      `json:"callId"`
		Strengths         []Insight   `json:"strengths"`
		Improvements      []Insight   `json:"improvements"`
		KeyMoments        []KeyMoment `json:"keyMoments"`
		Summary           string      `json:"summary"`
		TranscriptVersion int         `json:"transcriptVersion"`
	}
	// StreamScoreFailed is the data of score:failed (deep analysis failed).
	StreamScoreFailed struct {
		CallID            string `json:"callId"`
		Kind              string `json:"kind"`
		Reason            string `json:"reason"`
		TranscriptVersion int    `json:"transcriptVersion"`
	}
)

// Score kinds in score:ready.
const (
	ScoreKindQuick = "quick"
	ScoreKindDeep  = "deep"
)

type sseFrame struct {
	event string
	data  any
}

// framesOf maps one stored event to the frames clients see (none for events
// they need not react to, such as CallCreated).
func framesOf(e app.CallEvent) []sseFrame {
	id := e.CallID
	switch d := e.Data.(type) {
	case *domain.TranscriptChunkAdded:
		frames := []sseFrame{{SSETranscript, TranscriptEntry{ID: e.ID, CallID: id, Role: string(d.Role),
			Content: d.Content, TimestampMs: d.TimestampMs, CreatedAt: e.OccurredAt.UTC()}}}
		for _, h := range hintsOf(e.Hints) {
			frames = append(frames, sseFrame{SSEHint, h})
		}
		return frames
	case *domain.CallStarted:
		var conv *string
		if d.ElevenlabsConversationID != "" {
			conv = &d.ElevenlabsConversationID
		}
		return []sseFrame{{SSECallStarted, StreamCallStarted{CallID: id, Status: string(domain.CallInProgress),
			StartedAt: d.StartedAt.UTC(), ElevenlabsConversationID: conv}}}
	case *domain.CallEnded:
		return []sseFrame{{SSECallEnded, StreamCallEnded{CallID: id, Status: string(domain.CallCompleted),
			EndedAt: d.EndedAt.UTC(), DurationSeconds: d.DurationSeconds, Reason: d.Reason}}}
	case *domain.CallFailed:
		return []sseFrame{{SSECallFailed, StreamCallFailed{CallID: id, Status: string(domain.CallFailedStatus), Reason: d.Reason}}}
	case *domain.CallQuickScored:
		return []sseFrame{{SSEScoreReady, StreamScoreReady{CallID: id, Kind: ScoreKindQuick, Overall: d.Overall,
			Summary: d.Summary, TranscriptVersion: d.TranscriptVersion}}}
	case *domain.CallDeepScored:
		deep := deepScoreOf(d)
		return []sseFrame{
			{SSEScoreReady, StreamScoreReady{CallID: id, Kind: ScoreKindDeep, Overall: d.Overall, Summary: d.Summary,
				TranscriptVersion: d.TranscriptVersion, Deep: deep}},
			{SSEFeedbackReady, StreamFeedbackReady{CallID: id, Strengths: deep.Strengths, Improvements: deep.Improvements,
				KeyMoments: deep.KeyMoments, Summary: d.Summary, TranscriptVersion: d.TranscriptVersion}},
		}
	case *domain.CallDeepScoringFailed:
		if d.Partial {
			return nil // a later provider scored the call: score:failed would tell clients to stop waiting
		}
		return []sseFrame{{SSEScoreFailed, StreamScoreFailed{CallID: id, Kind: ScoreKindDeep, Reason: d.Reason,
			TranscriptVersion: d.TranscriptVersion}}}
	}
	return nil
}

// writeFrames appends the frames of one stored event. Only the last frame of
// an event carries its id: a client cut off between two frames of one event
// resumes before it, so it misses nothing.
func writeFrames(buf *bytes.Buffer, e app.CallEvent) error {
	frames := framesOf(e)
	for i, f := range frames {
		data, err := json.Marshal(f.data)
		if err != nil {
			return err
		}
		if i == len(frames)-1 {
			fmt.Fprintf(buf, "id: %d\n", e.Version)
		}
		fmt.Fprintf(buf, "event: %s\ndata: %s\n\n", f.event, data)
	}
	return nil
}

// lastEventID is where the client resumes: the Last-Event-ID header, or the
// lastEventId query parameter (for clients that cannot set headers).
func lastEventID(c echo.Context) (int, error) {
	v := c.Request().Header.Get("Last-Event-ID")
	field := "Last-Event-ID"
	if v == "" {
		v, field = c.QueryParam("lastEventId"), "lastEventId"
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxStreamVersion {
		return 0, invalidField(field, fmt.Sprintf("must be an integer between 0 and %d (an event id of this stream)", maxStreamVersion))
	}
	return n, nil
}

// streamChunk is about how many bytes of frames a stream writes at a time
// while it sends the history.
const streamChunk = 64 << 10

// maxStreamVersion is the largest stream version the log can hold (an INTEGER column): a larger Last-Event-ID can
// name no event, and is refused like /events?after= rather than accepted and closed at once (an EventSource would
// reconnect with it for ever).
const maxStreamVersion = 1<<31 - 1

// handleCallStream streams the call's events as Server-Sent Events: first
// every event after Last-Event-ID, then each new one as soon as it is
// committed (woken through app.CallStream; FallbackPoll only covers appends
// by other processes whose wakes are not bridged), with heartbeat comments
// between.
func (s *Server) handleCallStream(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	after, err := lastEventID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	follow, err := s.app.FollowCall(ctx, userID(c), id, after)
	if err != nil {
		return err
	}
	defer follow.Close()

	res := c.Response()
	h := res.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no") // no proxy buffering
	// The stream outlives the server's write timeout on purpose; a writer
	// that cannot lift it keeps the timeout, and the client reconnects.
	if err := http.NewResponseController(res).SetWriteDeadline(time.Time{}); err != nil {
		s.requestLogger(c).Debug("event stream: cannot lift the write deadline", "err", err)
	}
	res.WriteHeader(http.StatusOK)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "retry: %d\n\n", s.cfg.Stream.Retry.Milliseconds())
	heartbeat := time.NewTicker(s.cfg.Stream.Heartbeat)
	defer heartbeat.Stop()
	poll := time.NewTicker(s.cfg.Stream.FallbackPoll)
	defer poll.Stop()
	load := true
	for {
		if load {
			// One page of the history at a time (app.StreamPage events),
			// written out in chunks of about streamChunk bytes: a stream
			// holds at most a page in memory, whatever the call's size.
			evs, err := follow.Next(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				// Headers are sent: end the stream; the client reconnects with Last-Event-ID.
				s.requestLogger(c).Warn("event stream: cannot read the call's events", "err", err)
				return nil
			}
			for _, e := range evs {
				if err := writeFrames(&buf, e); err != nil {
					return errorf("stream frame: %w", err)
				}
				if buf.Len() >= streamChunk {
					if _, err := res.Write(buf.Bytes()); err != nil {
						return nil // the client went away
					}
					buf.Reset()
				}
			}
		}
		if buf.Len() > 0 {
			if _, err := res.Write(buf.Bytes()); err != nil {
				return nil // the client went away
			}
			res.Flush()
			buf.Reset()
			heartbeat.Reset(s.cfg.Stream.Heartbeat)
		}
		if load && follow.More() {
			// The page was full: read the next one at once, unless the stream is over.
			select {
			case <-ctx.Done():
				return nil
			case <-s.closing:
				return nil
			default:
				continue
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.closing:
			return nil
		case <-follow.Woken():
			load = true
		case <-poll.C:
			load = true
		case <-heartbeat.C:
			load = false
			buf.WriteString(": heartbeat\n\n")
		}
	}
}
