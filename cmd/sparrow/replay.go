package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

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
	evs, err := d.store.LoadRange(ctx, *callID, 0, *asOf)
	if err != nil {
		return err
	}
	if len(evs) == 0 || evs[0].StreamType != domain.StreamCall {
		return &exitError{code: 1, msg: fmt.Sprintf("no call %s in the log", *callID)}
	}
	call := domain.NewCall(*callID)
	for _, ev := range evs {
		call.Apply(ev.Data)
	}
	state := replayState(call)
	if *asJSON {
		type item struct {
			Version    int             `json:"version"`
			Type       string          `json:"type"`
			OccurredAt time.Time       `json:"occurredAt"`
			RecordedAt time.Time       `json:"recordedAt"`
			Actor      string          `json:"actor"`
			Position   string          `json:"position"`
			Payload    json.RawMessage `json:"payload"`
		}
		out := struct {
			Timeline []item `json:"timeline"`
			State    any    `json:"state"`
		}{State: state}
		for _, ev := range evs {
			out.Timeline = append(out.Timeline, item{ev.Version, ev.Type, ev.Metadata.OccurredAt, ev.RecordedAt, ev.Metadata.Actor, ev.Position.String(), ev.Payload})
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(e.stdout, "call %s: %d events", *callID, len(evs))
	if *asOf > 0 {
		fmt.Fprintf(e.stdout, " up to version %d", *asOf)
	}
	fmt.Fprintln(e.stdout)
	for _, ev := range evs {
		fmt.Fprintf(e.stdout, "v%-4d %s  %-24s actor=%s\n      %s\n", ev.Version, ev.Metadata.OccurredAt.Format(time.RFC3339Nano), ev.Type, ev.Metadata.Actor, ev.Payload)
	}
	b, _ := json.MarshalIndent(state, "", "  ")
	fmt.Fprintf(e.stdout, "\nstate as of version %d:\n%s\n", call.Version(), b)
	return nil
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
