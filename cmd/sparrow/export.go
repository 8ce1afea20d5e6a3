package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/eventstore"
)

func cmdEvents(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return &exitError{code: 2, msg: "usage: sparrow events export [--since-position P] [--stream ID] [--type T]"}
	}
	fs := newFlags(e, "events export", "[--since-position TXID:OFFSET] [--stream ID] [--type EventType]")
	since := fs.String("since-position", "", "export events after this position (as printed in the output's position field)")
	stream := fs.String("stream", "", "only this stream id")
	typ := fs.String("type", "", "only this event type (e.g. CallEnded)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	from, err := eventstore.ParsePosition(*since)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if *stream != "" && !app.ValidID(*stream) {
		return &exitError{code: 2, msg: "--stream must be a stream id (a UUID)"}
	}
	_, d, err := openFromEnv(ctx, e, 2)
	if err != nil {
		return err
	}
	defer d.Close()
	if *typ != "" {
		if _, ok := d.store.Registry().StreamTypeOf(*typ); !ok {
			return &exitError{code: 2, msg: fmt.Sprintf("--type %q is not an event type", *typ)}
		}
	}
	// One page in memory at a time, whatever the size of the log. The upper
	// bound is fixed at the start, so the export is a consistent snapshot.
	horizon, err := d.store.Horizon(ctx, nil)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	defer w.Flush()
	enc := json.NewEncoder(w)
	type line struct {
		Position      string              `json:"position"`
		StreamID      string              `json:"streamId"`
		StreamType    string              `json:"streamType"`
		Version       int                 `json:"version"`
		Type          string              `json:"type"`
		SchemaVersion int                 `json:"schemaVersion"`
		RecordedAt    time.Time           `json:"recordedAt"`
		Metadata      eventstore.Metadata `json:"metadata"`
		Payload       json.RawMessage     `json:"payload"`
	}
	n := 0
	for {
		evs, err := d.store.ReadBatch(ctx, nil, from, horizon, 5000, eventstore.Filter{StreamID: *stream, EventType: *typ})
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := enc.Encode(line{ev.Position.String(), ev.StreamID, ev.StreamType, ev.Version, ev.Type, ev.SchemaVersion, ev.RecordedAt, ev.Metadata, ev.Payload}); err != nil {
				return err
			}
		}
		n += len(evs)
		if len(evs) < 5000 {
			break
		}
		from = evs[len(evs)-1].Position
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "events export: %d events\n", n)
	return nil
}
