package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeConvAI stands in for ElevenLabs in the voice browser test: the REST
// routes the server calls (a signed URL, a conversation's details) and the
// conversation WebSocket the browser SDK talks to, speaking the documented
// messages: conversation_initiation_metadata after the client's
// conversation_initiation_client_data, agent_response, ping (answered by
// pong) and user_transcript.
type fakeConvAI struct {
	srv *httptest.Server

	mu        sync.Mutex
	initiated map[string]any // the client's conversation_initiation_client_data
	pongs     int
}

const (
	fakeConversationID = "conv_browser_fake"
	fakeUserLine       = "Hi Maya, this is Sam from Routewise. How do you plan store schedules today?"
	fakeAgentLine      = "Each region builds its weekly schedules by hand in spreadsheets, honestly."
)

func newFakeConvAI(t *testing.T) *fakeConvAI {
	t.Helper()
	f := &fakeConvAI{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/convai/conversation/get-signed-url", func(w http.ResponseWriter, r *http.Request) {
		wsURL := "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/v1/convai/conversation?agent_id=" + r.URL.Query().Get("agent_id") + "&conversation_signature=fake"
		_ = json.NewEncoder(w).Encode(map[string]string{"signed_url": wsURL})
	})
	mux.HandleFunc("GET /v1/convai/conversations/{id}", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"agent_id": e2eAgentID, "conversation_id": r.PathValue("id"), "status": "done",
			"metadata":   map[string]any{"start_time_unix_secs": time.Now().Add(-time.Minute).Unix(), "call_duration_secs": 40},
			"transcript": f.transcript(), "has_audio": false,
		})
	})
	up := websocket.Upgrader{Subprotocols: []string{"convai"}, CheckOrigin: func(*http.Request) bool { return true }}
	mux.HandleFunc("GET /v1/convai/conversation", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		f.converse(t, c)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeConvAI) transcript() []map[string]any {
	first := "Hello?"
	f.mu.Lock()
	if o, ok := f.initiated["conversation_config_override"].(map[string]any); ok {
		if a, ok := o["agent"].(map[string]any); ok {
			if s, ok := a["first_message"].(string); ok && s != "" {
				first = s
			}
		}
	}
	f.mu.Unlock()
	return []map[string]any{
		{"role": "agent", "message": first, "time_in_call_secs": 0},
		{"role": "user", "message": fakeUserLine, "time_in_call_secs": 4},
		{"role": "agent", "message": fakeAgentLine, "time_in_call_secs": 9},
	}
}

// converse plays one conversation: it waits for the client's initiation
// data, answers with the metadata, then says its lines with a ping between.
func (f *fakeConvAI) converse(t *testing.T, c *websocket.Conn) {
	var init map[string]any
	if err := c.ReadJSON(&init); err != nil || init["type"] != "conversation_initiation_client_data" {
		t.Errorf("fake ElevenLabs: first message %v (%v), want conversation_initiation_client_data", init, err)
		return
	}
	f.mu.Lock()
	f.initiated = init
	f.mu.Unlock()
	lines := f.transcript()
	send := func(v any) bool { return c.WriteJSON(v) == nil }
	ok := send(map[string]any{"type": "conversation_initiation_metadata", "conversation_initiation_metadata_event": map[string]any{
		"conversation_id": fakeConversationID, "agent_output_audio_format": "pcm_16000", "user_input_audio_format": "pcm_16000"}}) &&
		send(map[string]any{"type": "agent_response", "agent_response_event": map[string]any{"agent_response": lines[0]["message"], "event_id": 1}}) &&
		send(map[string]any{"type": "ping", "ping_event": map[string]any{"event_id": 2, "ping_ms": 20}}) &&
		send(map[string]any{"type": "user_transcript", "user_transcription_event": map[string]any{"user_transcript": fakeUserLine, "event_id": 3}}) &&
		send(map[string]any{"type": "agent_response", "agent_response_event": map[string]any{"agent_response": fakeAgentLine, "event_id": 4}})
	if !ok {
		return
	}
	// Read what the client sends (audio chunks, pong) until it hangs up.
	for {
		var msg map[string]any
		if err := c.ReadJSON(&msg); err != nil {
			return
		}
		if msg["type"] == "pong" {
			f.mu.Lock()
			f.pongs++
			f.mu.Unlock()
		}
	}
}

// TestBrowserVoiceCall holds a voice call in Chromium with the ElevenLabs
// browser SDK against the fake conversation service: the transcript shows
// live, and ending the call scores it from the conversation's transcript.
func TestBrowserVoiceCall(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	t.Parallel()
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (Debian/Ubuntu: apt-get install chromium); .ci/run installs it")
	}
	fake := newFakeConvAI(t)
	srv := startServer(t, map[string]string{
		"ELEVENLABS_API_KEY":              e2eElevenKey,
		"NEXT_PUBLIC_ELEVENLABS_AGENT_ID": e2eAgentID,
		"ELEVENLABS_BASE_URL":             fake.srv.URL,
	})
	b := newBrowser(t, srv.url)
	persona := easyPreset(t)
	b.signInAndOnboard("grace@example.com", "Grace Hopper", false)

	b.run(navigateTo(b.base + "/practice/" + persona.ID + "?mode=cold_call"))
	b.waitReady("/practice/" + persona.ID)
	b.press("button", "Start voice call")
	b.waitFor("the voice call page", `location.search === "?voice=1"`, 15*time.Second)
	b.press("button", "Connect voice")
	b.waitFor("the live transcript", `[...document.querySelectorAll(".transcript .line p")].map(p => p.textContent).join("|").includes(`+jsString(fakeAgentLine)+`)`, 30*time.Second)
	var lines []string
	b.eval(`[...document.querySelectorAll(".transcript .line p")].map(p => p.textContent)`, &lines)
	assert.Equal(t, []string{persona.Profile.FirstMessageFor("cold_call"), fakeUserLine, fakeAgentLine}, lines)
	assert.Equal(t, "Connected: talk to "+persona.Profile.Name+".", strings.TrimSpace(b.text(".voice-status")))
	b.checkpoint("voice")

	fake.mu.Lock()
	init := fake.initiated
	pongs := fake.pongs
	fake.mu.Unlock()
	assert.Equal(t, 1, pongs, "the SDK answers the ping")
	dyn, _ := init["dynamic_variables"].(map[string]any)
	assert.NotEmpty(t, dyn["sparrow_call_id"], "the overrides and variables of POST /api/calls/start reach the conversation")

	b.press("button", "End call")
	b.waitFor("the debrief", `/\/debrief$/.test(document.documentElement.dataset.ready ?? "")`, 20*time.Second)
	require.NotEmpty(t, b.text(`[data-testid="overall"]`), "the call is scored from the conversation's transcript")
	b.find("heading", "Transcript", false)
}
