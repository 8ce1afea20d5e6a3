package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// replay --json writes its document a timeline item at a time, byte for
// byte as encoding/json writes the whole document.
func TestTimelineWriterMatchesTheEncoder(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 0, 0, 123, time.UTC)
	state := map[string]any{"version": 3, "status": "completed", "quickScore": map[string]any{"overall": 72, "summary": "<ok> & \"fine\""}}
	for _, n := range []int{0, 1, 3} {
		var items []replayItem
		for i := range n {
			items = append(items, replayItem{Version: i + 1, Type: "TranscriptChunkAdded", OccurredAt: at, RecordedAt: at, Actor: "u1",
				Position: "12:3", Payload: json.RawMessage(`{"role":"user","content":"a <b> & \u00e9","nested":{"x":[1,2]}}`)})
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(struct {
			Timeline []replayItem `json:"timeline"`
			State    any          `json:"state"`
		}{items, state}))
		var got bytes.Buffer
		tl := &timelineWriter{w: &got}
		for _, it := range items {
			tl.add(it)
		}
		tl.finish(state)
		require.NoError(t, tl.err)
		assert.Equal(t, want.String(), got.String(), "%d items", n)
	}
}
