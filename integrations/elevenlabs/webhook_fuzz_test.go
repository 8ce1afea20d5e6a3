package elevenlabs_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
)

// FuzzParseWebhook: the post-call payload parser never panics; it answers an
// ErrMalformedEvent or an event of the documented shape (exactly one of
// Transcription, Audio and InitiationFailure for a known type, none for an
// unknown one; a conversation id for transcriptions and audio), whose data
// survives re-encoding (parse(encode(parse(x))) is parse(x)). Line offsets
// convert to milliseconds without wrapping round, and the app port, given
// the body signed, refuses it as malformed exactly when the parser does.
func FuzzParseWebhook(f *testing.F) {
	at := time.Unix(1_767_225_600, 0)
	conv := elevenlabs.Conversation{ConversationID: "conv_1", AgentID: "agent_1", Status: elevenlabs.StatusDone,
		Transcript: []elevenlabs.TranscriptItem{
			{Role: elevenlabs.RoleAgent, Message: elevenlabsfake.Msg("Who is this?"), TimeInCallSecs: 0},
			{Role: elevenlabs.RoleUser, Message: elevenlabsfake.Msg("Sam, from Sparrow."), TimeInCallSecs: 2},
			{Role: elevenlabs.RoleUser, Message: nil, TimeInCallSecs: 3, ToolCalls: json.RawMessage(`[{"name":"x"}]`)},
		},
		Metadata:   elevenlabs.Metadata{StartTimeUnixSecs: at.Unix() - 60, CallDurationSecs: 60, TerminationReason: "Client disconnected"},
		ClientData: &elevenlabs.ClientData{DynamicVariables: map[string]any{app.DynamicVariableCallID: "01a23705-7f7b-778e-be41-584a3d5ee21a", "n": 1.5}},
	}
	f.Add(elevenlabsfake.TranscriptionEvent(conv, at))
	f.Add(elevenlabsfake.AudioEvent("agent_1", "conv_1", []byte("ID3\x00mp3"), at))
	f.Add(elevenlabsfake.InitiationFailureEvent("agent_1", "conv_1", "busy", at))
	f.Add([]byte(`{"type":"post_call_transcription","event_timestamp":9223372036854775807,"data":{"conversation_id":"c","transcript":[{"role":"user","message":"hi","time_in_call_secs":9223372036854775807}],"metadata":{"start_time_unix_secs":-9223372036854775808}}}`))
	f.Add([]byte(`{"type":"post_call_transcription","data":{"conversation_id":"c","transcript":[{"role":"agent","message":"x","time_in_call_secs":-9223372036854776}]}}`))
	f.Add([]byte(`{"type":"post_call_audio","data":{"conversation_id":"c","full_audio":"!!"}}`))
	f.Add([]byte(`{"type":"post_call_video","data":[1,2]}`))
	f.Add([]byte(`{"type":"call_initiation_failure","data":null}`))
	verifier, err := elevenlabs.NewWebhookVerifier(secret, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := elevenlabs.ParseWebhook(body)
		_, verr := verifier.VerifyVoiceWebhook(app.WebhookDelivery{Header: signed(body), Body: body})
		if err != nil {
			if !errors.Is(err, elevenlabs.ErrMalformedEvent) {
				t.Fatalf("error %v is not ErrMalformedEvent", err)
			}
			if !errors.Is(verr, app.ErrMalformedWebhook) {
				t.Fatalf("the app port answers %v for a body the parser refuses", verr)
			}
			return
		}
		if verr != nil {
			t.Fatalf("a signed body the parser accepts is refused by the app port: %v", verr)
		}
		if ev.Type == "" {
			t.Fatal("an event without a type")
		}
		set := 0
		for _, ok := range []bool{ev.Transcription != nil, ev.Audio != nil, ev.InitiationFailure != nil} {
			if ok {
				set++
			}
		}
		known := ev.Type == elevenlabs.EventPostCallTranscription || ev.Type == elevenlabs.EventPostCallAudio ||
			ev.Type == elevenlabs.EventCallInitiationFailure
		if (known && set != 1) || (!known && set != 0) {
			t.Fatalf("%s with %d payloads", ev.Type, set)
		}
		switch {
		case ev.Transcription != nil:
			c := *ev.Transcription
			if c.ConversationID == "" {
				t.Fatal("a transcription without a conversation id")
			}
			checkEntries(t, c)
			enc := mustJSON(t, c)
			again, err := elevenlabs.ParseWebhook(elevenlabsfake.TranscriptionEvent(c, ev.EventTimestamp))
			if err != nil {
				t.Fatalf("re-encoded transcription refused: %v\n%s", err, enc)
			}
			if enc2 := mustJSON(t, *again.Transcription); !bytes.Equal(enc, enc2) {
				t.Fatalf("round trip changed the conversation:\n%s\n%s", enc, enc2)
			}
		case ev.Audio != nil:
			if ev.Audio.ConversationID == "" {
				t.Fatal("audio without a conversation id")
			}
			again, err := elevenlabs.ParseWebhook(elevenlabsfake.AudioEvent(ev.Audio.AgentID, ev.Audio.ConversationID, ev.Audio.MP3, ev.EventTimestamp))
			if err != nil || !bytes.Equal(again.Audio.MP3, ev.Audio.MP3) || again.Audio.ConversationID != ev.Audio.ConversationID {
				t.Fatalf("round trip changed the audio (%v)", err)
			}
		case ev.InitiationFailure != nil:
			fl := ev.InitiationFailure
			again, err := elevenlabs.ParseWebhook(elevenlabsfake.InitiationFailureEvent(fl.AgentID, fl.ConversationID, fl.FailureReason, ev.EventTimestamp))
			if err != nil || again.InitiationFailure.ConversationID != fl.ConversationID || again.InitiationFailure.FailureReason != fl.FailureReason {
				t.Fatalf("round trip changed the failure (%v)", err)
			}
		}
	})
}

// checkEntries: each kept line's offset is its seconds times 1000, or the
// nearest int64 when that overflows; never wrapped round to another value.
func checkEntries(t *testing.T, c elevenlabs.Conversation) {
	t.Helper()
	entries := c.Entries()
	i := 0
	for _, it := range c.Transcript {
		if i == len(entries) {
			break
		}
		e := entries[i]
		if it.Message == nil || *it.Message != e.Content {
			continue // a skipped line
		}
		i++
		secs := int64(it.TimeInCallSecs)
		want := secs * 1000
		switch {
		case secs > math.MaxInt64/1000:
			want = math.MaxInt64
		case secs < -(math.MaxInt64 / 1000):
			want = math.MinInt64
		}
		if e.TimestampMs != want {
			t.Fatalf("time_in_call_secs %d became timestampMs %d", secs, e.TimestampMs)
		}
	}
}

func signed(body []byte) http.Header {
	h := http.Header{}
	h.Set(elevenlabs.SignatureHeader, elevenlabs.SignWebhook(secret, body, time.Now()))
	return h
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}
