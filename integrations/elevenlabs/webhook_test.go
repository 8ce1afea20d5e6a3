package elevenlabs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
)

const secret = "wsec_test_secret"

func TestSignWebhookKnownValue(t *testing.T) {
	// Computed independently: printf '%s' '1700000000.{"type":"x"}' | openssl dgst -sha256 -hmac wsec_test_secret
	got := elevenlabs.SignWebhook(secret, []byte(`{"type":"x"}`), time.Unix(1700000000, 0))
	assert.Equal(t, "t=1700000000,v0="+knownHMAC, got)
}

func TestVerifyWebhook(t *testing.T) {
	now := time.Unix(1_767_225_600, 0)
	body := elevenlabsfake.TranscriptionEvent(sampleConversation(), now)
	good := elevenlabs.SignWebhook(secret, body, now.Add(-time.Minute))
	ts := strconv.FormatInt(now.Unix(), 10)
	tampered := []byte(strings.Replace(string(body), `"status":"done"`, `"status":"failed"`, 1))
	require.NotEqual(t, body, tampered)

	tests := []struct {
		name      string
		header    string
		body      []byte
		secret    string
		tolerance time.Duration
		want      error // nil: accepted
	}{
		{name: "valid", header: good, body: body},
		{name: "valid with spaces and extra fields", header: strings.ReplaceAll(good, ",", ", ") + ",v1=ignored", body: body},
		{name: "one of two v0 matches", header: "t=" + ts + ",v0=" + strings.Repeat("00", 32) + "," + strings.Split(elevenlabs.SignWebhook(secret, body, now), ",")[1], body: body},
		{name: "missing header", header: "", body: body, want: elevenlabs.ErrMissingSignature},
		{name: "garbage header", header: "sha256=abc", body: body, want: elevenlabs.ErrMalformedSignature},
		{name: "no timestamp", header: "v0=" + strings.Repeat("ab", 32), body: body, want: elevenlabs.ErrMalformedSignature},
		{name: "no v0", header: "t=" + ts, body: body, want: elevenlabs.ErrMalformedSignature},
		{name: "timestamp not a number", header: "t=yesterday,v0=" + strings.Repeat("ab", 32), body: body, want: elevenlabs.ErrMalformedSignature},
		{name: "v0 not hex", header: "t=" + ts + ",v0=zz", body: body, want: elevenlabs.ErrMalformedSignature},
		{name: "stale: 31 minutes old", header: elevenlabs.SignWebhook(secret, body, now.Add(-31*time.Minute)), body: body, want: elevenlabs.ErrStaleSignature},
		{name: "29 minutes old is fine", header: elevenlabs.SignWebhook(secret, body, now.Add(-29*time.Minute)), body: body},
		{name: "from the future", header: elevenlabs.SignWebhook(secret, body, now.Add(31*time.Minute)), body: body, want: elevenlabs.ErrStaleSignature},
		{name: "custom tolerance", header: elevenlabs.SignWebhook(secret, body, now.Add(-2*time.Minute)), body: body, tolerance: time.Minute, want: elevenlabs.ErrStaleSignature},
		{name: "body tampered", header: good, body: tampered, want: elevenlabs.ErrBadSignature},
		{name: "wrong secret", header: good, body: body, secret: "other", want: elevenlabs.ErrBadSignature},
		{name: "timestamp swapped", header: "t=" + strconv.FormatInt(now.Unix()-1, 10) + ",v0=" + strings.TrimPrefix(strings.Split(good, ",")[1], "v0="), body: body, want: elevenlabs.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := secret
			if tt.secret != "" {
				s = tt.secret
			}
			err := elevenlabs.VerifyWebhook(s, tt.header, tt.body, now, tt.tolerance)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
	assert.Error(t, elevenlabs.VerifyWebhook("", good, body, now, 0), "an empty secret never verifies")
}

func TestParseWebhook(t *testing.T) {
	at := time.Unix(1_767_225_600, 0).UTC()
	t.Run("post_call_transcription", func(t *testing.T) {
		ev, err := elevenlabs.ParseWebhook(elevenlabsfake.TranscriptionEvent(sampleConversation(), at))
		require.NoError(t, err)
		assert.Equal(t, elevenlabs.EventPostCallTranscription, ev.Type)
		assert.Equal(t, at, ev.EventTimestamp)
		require.NotNil(t, ev.Transcription)
		assert.Nil(t, ev.Audio)
		assert.Equal(t, "conv_1", ev.Transcription.ConversationID)
		assert.Len(t, ev.Transcription.Entries(), 3)
		assert.Equal(t, "call_123", ev.Transcription.DynamicVariable("call_id"))
	})
	t.Run("post_call_audio", func(t *testing.T) {
		ev, err := elevenlabs.ParseWebhook(elevenlabsfake.AudioEvent("agent_1", "conv_1", []byte("ID3\x04mp3"), at))
		require.NoError(t, err)
		require.NotNil(t, ev.Audio)
		assert.Equal(t, []byte("ID3\x04mp3"), ev.Audio.MP3)
		assert.Equal(t, "conv_1", ev.Audio.ConversationID)
	})
	t.Run("call_initiation_failure", func(t *testing.T) {
		ev, err := elevenlabs.ParseWebhook(elevenlabsfake.InitiationFailureEvent("agent_1", "conv_2", "busy", at))
		require.NoError(t, err)
		require.NotNil(t, ev.InitiationFailure)
		assert.Equal(t, "busy", ev.InitiationFailure.FailureReason)
		assert.Equal(t, "conv_2", ev.InitiationFailure.ConversationID)
	})
	t.Run("unknown type is kept, not rejected", func(t *testing.T) {
		ev, err := elevenlabs.ParseWebhook([]byte(`{"type":"agent_updated","event_timestamp":1,"data":{"x":1}}`))
		require.NoError(t, err)
		assert.Equal(t, "agent_updated", ev.Type)
		assert.JSONEq(t, `{"x":1}`, string(ev.Data))
		assert.Nil(t, ev.Transcription)
		assert.Nil(t, ev.Audio)
		assert.Nil(t, ev.InitiationFailure)
	})
	for name, body := range map[string]string{
		"not json":                   `<xml/>`,
		"no type":                    `{"data":{}}`,
		"transcription without id":   `{"type":"post_call_transcription","data":{"status":"done"}}`,
		"transcription bad shape":    `{"type":"post_call_transcription","data":{"conversation_id":"c","transcript":{}}}`,
		"transcription null data":    `{"type":"post_call_transcription","data":null}`,
		"audio not base64":           `{"type":"post_call_audio","data":{"conversation_id":"c","full_audio":"***"}}`,
		"initiation failure no data": `{"type":"call_initiation_failure"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := elevenlabs.ParseWebhook([]byte(body))
			assert.ErrorIs(t, err, elevenlabs.ErrMalformedEvent)
		})
	}
}

// TestWebhookRoundTrip is how the API will use it: a handler reading the
// header and body of a request built by the fake.
func TestWebhookRoundTrip(t *testing.T) {
	var got elevenlabs.WebhookEvent
	var verifyErr error
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(body)
		if verifyErr = elevenlabs.VerifyWebhook(secret, r.Header.Get(elevenlabs.SignatureHeader), body, time.Now(), 0); verifyErr != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got, _ = elevenlabs.ParseWebhook(body)
	}))
	t.Cleanup(srv.Close)

	body := elevenlabsfake.TranscriptionEvent(sampleConversation(), time.Now())
	req, err := elevenlabsfake.WebhookRequest(context.Background(), srv.URL, secret, body, time.Now())
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.NoError(t, verifyErr)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "conv_1", got.Transcription.ConversationID)

	req, err = elevenlabsfake.WebhookRequest(context.Background(), srv.URL, "not-the-secret", body, time.Now())
	require.NoError(t, err)
	resp, err = srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.ErrorIs(t, verifyErr, elevenlabs.ErrBadSignature)
}

const knownHMAC = "76af6ae03187d3fcc57d6c9ec78bc1dc1069fd83d3916dd8d96b69d0c48cb3ed"
