package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// replayPage is how many events replay reads at a time: it never holds a
// call's whole history (a call at its maximum size is over 5,000 events).
const replayPage = 500

func cmdReplay(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "replay", "--call ID [--as-of-version N] [--json]")
	callID := fs.String("call", "", "call id (required)")
	asOf := fs.Int("as-of-version", 0, "replay up to this stream version (default: all)")
	asJSON := fs.Bool("json", false, "print the timeline and state as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !app.ValidID(*callID) {
		fs.Usage()
		return &exitError{code: 2, msg: "--call must be a call id (a UUID)"}
	}
	if *asOf < 0 {
		return &exitError{code: 2, msg: "--as-of-version must be >= 0"}
	}
	_, d, err := openFromEnv(ctx, e, 2)
	if err != nil {
		return err
	}
	defer d.Close()
	// Two passes a page at a time: the first rebuilds the state and counts
	// the events (the text output's header comes first), the second prints
	// the timeline up to the version the first one reached.
	call := domain.NewCall(*callID)
	n := 0
	err = eachEventPage(ctx, d.store, *callID, *asOf, func(evs []eventstore.Event) error {
		if n == 0 && evs[0].StreamType != domain.StreamCall {
			return errNotACall
		}
		for _, ev := range evs {
			call.Apply(ev.Data)
		}
		n += len(evs)
		return nil
	})
	if errors.Is(err, errNotACall) || (err == nil && n == 0) {
		return &exitError{code: 1, msg: fmt.Sprintf("no call %s in the log", *callID)}
	}
	if err != nil {
		return err
	}
	until := call.Version()
	state := replayState(call)
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	defer w.Flush()
	if *asJSON {
		tl := &timelineWriter{w: w}
		err := eachEventPage(ctx, d.store, *callID, until, func(evs []eventstore.Event) error {
			for _, ev := range evs {
				tl.add(replayItem{ev.Version, ev.Type, ev.Metadata.OccurredAt, ev.RecordedAt, ev.Metadata.Actor, ev.Position.String(), ev.Payload})
			}
			return tl.err
		})
		if err != nil {
			return err
		}
		tl.finish(state)
		if tl.err != nil {
			return tl.err
		}
		return w.Flush()
	}
	fmt.Fprintf(w, "call %s: %d events", *callID, n)
	if *asOf > 0 {
		fmt.Fprintf(w, " up to version %d", *asOf)
	}
	fmt.Fprintln(w)
	err = eachEventPage(ctx, d.store, *callID, until, func(evs []eventstore.Event) error {
		for _, ev := range evs {
			fmt.Fprintf(w, "v%-4d %s  %-24s actor=%s\n      %s\n", ev.Version, ev.Metadata.OccurredAt.Format(time.RFC3339Nano), ev.Type, ev.Metadata.Actor, ev.Payload)
		}
		return nil
	})
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(state, "", "  ")
	fmt.Fprintf(w, "\nstate as of version %d:\n%s\n", call.Version(), b)
	return w.Flush()
}

var errNotACall = errors.New("not a call stream")

// eachEventPage reads the stream's events up to version until (0: all) in
// pages of replayPage, handing each non-empty page to fn in order. A
// stream's versions are contiguous, so a short page is its end.
func eachEventPage(ctx context.Context, store *eventstore.Store, id string, until int, fn func([]eventstore.Event) error) error {
	const maxVersion = 1<<31 - 1
	if until <= 0 {
		until = maxVersion
	}
	for after := 0; after < until; after += replayPage {
		to := min(after+replayPage, until)
		evs, err := store.LoadRange(ctx, id, after, to)
		if err != nil {
			return err
		}
		if len(evs) > 0 {
			if err := fn(evs); err != nil {
				return err
			}
		}
		if len(evs) < to-after {
			return nil
		}
	}
	return nil
}

// replayItem is one event of replay --json's timeline.
type replayItem struct {
	Version    int             `json:"version"`
	Type       string          `json:"type"`
	OccurredAt time.Time       `json:"occurredAt"`
	RecordedAt time.Time       `json:"recordedAt"`
	Actor      string          `json:"actor"`
	Position   string          `json:"position"`
	Payload    json.RawMessage `json:"payload"`
}

// timelineWriter writes replay --json's document, {"timeline": [...],
// "state": {...}} indented by two spaces, one timeline item at a time: the
// same bytes a json.Encoder with SetIndent("", "  ") writes for the whole
// document, without holding it.
type timelineWriter struct {
	w   io.Writer
	n   int
	err error
}

func (t *timelineWriter) write(b []byte) {
	if t.err == nil {
		_, t.err = t.w.Write(b)
	}
}

func (t *timelineWriter) add(it replayItem) {
	b, err := json.MarshalIndent(it, "    ", "  ")
	if err != nil && t.err == nil {
		t.err = err
	}
	if t.n == 0 {
		t.write([]byte("{\n  \"timeline\": [\n    "))
	} else {
		t.write([]byte(",\n    "))
	}
	t.write(b)
	t.n++
}

func (t *timelineWriter) finish(state any) {
	b, err := json.MarshalIndent(state, "  ", "  ")
	if err != nil && t.err == nil {
		t.err = err
	}
	if t.n == 0 {
		t.write([]byte("{\n  \"timeline\": null,\n  \"state\": "))
	} else {
		t.write([]byte("\n  ],\n  \"state\": "))
	}
	t.write(b)
	t.write([]byte("\n}\n"))
}

func replayState(c *domain.Call) map[string]any {
	s := map[string]any{
		"version": c.Version(), "userId": c.UserID(), "personaId": c.PersonaID(), "mode": c.Mode(), "status": c.Status(),
		"transcriptVersion": c.TranscriptVersion(),
	}
	if !c.StartedAt().IsZero() {
		s["startedAt"] = c.StartedAt()
	}
	if !c.EndedAt().IsZero() {
		s["endedAt"] = c.EndedAt()
	}
	if c.ConversationID() != "" {
		s["elevenlabsConversationId"] = c.ConversationID()
	}
	if q := c.QuickScore(); q != nil {
		s["quickScore"] = q
	}
	if d := c.DeepScore(); d != nil {
		s["deepScore"] = map[string]any{"overall": d.Overall, "provider": d.Provider, "model": d.Model, "transcriptVersion": d.TranscriptVersion}
	}
	return s
}
