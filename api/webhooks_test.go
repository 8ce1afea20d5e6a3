package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
)

const (
	elevenSecret = "wsec_sparrow_test_secret"
	// Svix's published test secret.
	clerkSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
)

// withWebhooks turns both webhooks on, with the test secrets.
func withWebhooks(t testing.TB) func(*envOptions) {
	t.Helper()
	voice, err := elevenlabs.NewWebhookVerifier(elevenSecret, 0)
	require.NoError(t, err)
	identity, err := clerk.NewWebhookVerifier(clerkSecret)
	require.NoError(t, err)
	return func(o *envOptions) { o.voiceWebhooks, o.identityWebhooks = voice, identity }
}

// elevenHook posts body to the ElevenLabs webhook signed at signedAt with secret.
func (e *env) elevenHook(t testing.TB, body []byte, secret string, signedAt time.Time) response {
	t.Helper()
	return e.send(t, request{method: http.MethodPost, path: "/api/webhooks/elevenlabs", body: body,
		header: map[string]string{elevenlabs.SignatureHeader: elevenlabs.SignWebhook(secret, body, signedAt)}})
}

func conversation(id, callID string, items ...elevenlabs.TranscriptItem) elevenlabs.Conversation {
	c := elevenlabs.Conversation{ConversationID: id, AgentID: testAgentID, Status: elevenlabs.StatusDone, Transcript: items,
		Metadata: elevenlabs.Metadata{StartTimeUnixSecs: time.Now().Add(-2 * time.Minute).Unix(), CallDurationSecs: 60, TerminationReason: "Client disconnected"}}
	if callID != "" {
		c.ClientData = &elevenlabs.ClientData{DynamicVariables: map[string]any{api.DynamicVariableCallID: callID}}
	}
	return c
}

func item(role, text string, secs int) elevenlabs.TranscriptItem {
	return elevenlabs.TranscriptItem{Role: role, Message: elevenlabsfake.Msg(text), TimeInCallSecs: secs}
}

func TestWebhooksAreOffWithoutSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := elevenlabsfake.TranscriptionEvent(conversation("conv_x", ""), time.Now())
	assertError(t, e.elevenHook(t, body, elevenSecret, time.Now()), http.StatusNotFound, api.CodeNotFound, "")
	req, err := clerkfake.WebhookRequest(context.Background(), e.http.URL+"/api/webhooks/clerk", clerkSecret, "msg_1", time.Now(),
		clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: "user_x", Email: "x@example.com"}, time.Now()))
	require.NoError(t, err)
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestElevenLabsWebhookSignatures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t))
	body := elevenlabsfake.TranscriptionEvent(conversation("conv_sig", "", item("user", "Hello", 0)), time.Now())
	now := time.Now()
	before := e.countEvents(t)
	tests := []struct {
		name   string
		header string
	}{
		{name: "missing", header: ""},
		{name: "malformed", header: "v0=abc"},
		{name: "stale", header: elevenlabs.SignWebhook(elevenSecret, body, now.Add(-31*time.Minute))},
		{name: "from the future", header: elevenlabs.SignWebhook(elevenSecret, body, now.Add(31*time.Minute))},
		{name: "another secret", header: elevenlabs.SignWebhook("wsec_other", body, now)},
		{name: "another body", header: elevenlabs.SignWebhook(elevenSecret, append([]byte(" "), body...), now)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.header != "" {
				h[elevenlabs.SignatureHeader] = tt.header
			}
			r := e.send(t, request{method: http.MethodPost, path: "/api/webhooks/elevenlabs", body: body, header: h})
			assertError(t, r, http.StatusUnauthorized, api.CodeAuthentication, "")
		})
	}
	t.Run("a signed body that is no event", func(t *testing.T) {
		assertError(t, e.elevenHook(t, []byte(`{"data":{}}`), elevenSecret, now), http.StatusBadRequest, api.CodeValidation, "body")
		assertError(t, e.elevenHook(t, []byte(`not json`), elevenSecret, now), http.StatusBadRequest, api.CodeValidation, "body")
	})
	t.Run("29 minutes old is fine", func(t *testing.T) {
		r := e.elevenHook(t, body, elevenSecret, now.Add(-29*time.Minute))
		assert.Equal(t, api.WebhookUnknownCall, decode[api.WebhookAck](t, r, http.StatusOK).Result)
	})
	assert.Equal(t, before, e.countEvents(t), "refused deliveries record nothing")
}

func TestElevenLabsWebhookBodyLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t), func(o *envOptions) { o.cfg.Webhooks.MaxBodyBytes = 64 << 10 })
	big := elevenlabsfake.AudioEvent(testAgentID, "conv_big", make([]byte, 100<<10), time.Now())
	assertError(t, e.elevenHook(t, big, elevenSecret, time.Now()), http.StatusBadRequest, api.CodeValidation, "body")
	small := elevenlabsfake.AudioEvent(testAgentID, "conv_small", make([]byte, 10<<10), time.Now())
	assert.Equal(t, api.WebhookIgnored, decode[api.WebhookAck](t, e.elevenHook(t, small, elevenSecret, time.Now()), http.StatusOK).Result)
}

func TestElevenLabsPostCallTranscription(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t))
	tok, other := e.newUser(t), e.newUser(t)
	now := time.Now()

	t.Run("found by the call id, filled, ended and scored; redelivery adds nothing", func(t *testing.T) {
		c := e.startedCall(t, tok)
		body := elevenlabsfake.TranscriptionEvent(conversation("conv_a", c.ID,
			item("agent", "Who is this?", 0),
			item("user", "Sam from Sparrow. How do you plan routes today?", 2),
			elevenlabs.TranscriptItem{Role: "agent", Message: nil, TimeInCallSecs: 4},
			item("agent", "On spreadsheets, mostly.", 5),
		), now)
		ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		require.NotNil(t, ack.CallID)
		assert.Equal(t, c.ID, *ack.CallID)

		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		assert.Equal(t, "completed", got.Status)
		require.NotNil(t, got.ElevenlabsConversationID)
		assert.Equal(t, "conv_a", *got.ElevenlabsConversationID)
		assert.Equal(t, 3, got.TranscriptVersion)
		tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK)
		require.Len(t, tr.Entries, 3)
		assert.Equal(t, "assistant", tr.Entries[0].Role)
		assert.Equal(t, "user", tr.Entries[1].Role)
		assert.Equal(t, int64(5000), tr.Entries[2].TimestampMs)
		score := decode[api.Score](t, e.get(t, "/api/calls/"+c.ID+"/score", tok), http.StatusOK)
		require.NotNil(t, score.Quick)
		assert.Equal(t, "Fixed test score over 3 lines.", score.Quick.Summary)

		events := e.countEvents(t)
		again := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now.Add(time.Minute)), http.StatusOK)
		assert.Equal(t, api.WebhookIgnored, again.Result)
		assert.Equal(t, events, e.countEvents(t), "a redelivery records nothing")
	})

	t.Run("found by the conversation id; lines posted live are not duplicated", func(t *testing.T) {
		c := e.startedCall(t, tok)
		decode[api.Call](t, e.patch(t, "/api/calls/"+c.ID, tok, map[string]any{"elevenlabsConversationId": "conv_b"}), http.StatusOK)
		decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok, map[string]any{"entries": []map[string]any{
			{"role": "assistant", "content": "Who is this?", "timestampMs": 140},
			{"role": "user", "content": "Sam from Sparrow.", "timestampMs": 2650},
		}}), http.StatusCreated)
		body := elevenlabsfake.TranscriptionEvent(conversation("conv_b", "",
			item("agent", "Who is this?", 0), item("user", "Sam from Sparrow.", 3), item("agent", "What do you want?", 5)), now)
		ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK)
		require.Len(t, tr.Entries, 3)
		assert.Equal(t, "What do you want?", tr.Entries[2].Content)
	})

	t.Run("a completed call gets the late transcript and keeps its quick score", func(t *testing.T) {
		c := e.endedCall(t, tok)
		before := decode[api.Score](t, e.get(t, "/api/calls/"+c.ID+"/score", tok), http.StatusOK)
		body := elevenlabsfake.TranscriptionEvent(conversation("conv_c", c.ID,
			item("user", "Hi Dana, this is Sam from Sparrow.", 0), item("agent", "Who is this?", 2), item("user", "Do you have a minute?", 4)), now)
		decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		assert.Equal(t, 3, got.TranscriptVersion, "the two lines posted live are matched, one is new")
		after := decode[api.Score](t, e.get(t, "/api/calls/"+c.ID+"/score", tok), http.StatusOK)
		assert.Equal(t, before.Quick, after.Quick)
		assert.Equal(t, "pending", after.Status, "deep analysis is due again for the longer transcript")
	})

	t.Run("a call id in the variables does not open a call linked to another conversation", func(t *testing.T) {
		c := e.startedCall(t, other)
		decode[api.Call](t, e.patch(t, "/api/calls/"+c.ID, other, map[string]any{"elevenlabsConversationId": "conv_victim"}), http.StatusOK)
		body := elevenlabsfake.TranscriptionEvent(conversation("conv_intruder", c.ID, item("user", "Injected", 0)), now)
		ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
		assert.Equal(t, api.WebhookUnknownCall, ack.Result)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, other), http.StatusOK)
		assert.Zero(t, got.TranscriptVersion)
	})

	t.Run("unknown calls and other types are acknowledged", func(t *testing.T) {
		events := e.countEvents(t)
		unknown := elevenlabsfake.TranscriptionEvent(conversation("conv_nobody", "9e1c7c1e-2f0a-4f7e-9a55-5b0f3f8f6d10", item("user", "Hi", 0)), now)
		assert.Equal(t, api.WebhookUnknownCall, decode[api.WebhookAck](t, e.elevenHook(t, unknown, elevenSecret, now), http.StatusOK).Result)
		audio := elevenlabsfake.AudioEvent(testAgentID, "conv_a", []byte("ID3..."), now)
		assert.Equal(t, api.WebhookIgnored, decode[api.WebhookAck](t, e.elevenHook(t, audio, elevenSecret, now), http.StatusOK).Result)
		future := []byte(`{"type":"post_call_summary","event_timestamp":1,"data":{"x":1}}`)
		ack := decode[api.WebhookAck](t, e.elevenHook(t, future, elevenSecret, now), http.StatusOK)
		assert.Equal(t, "post_call_summary", ack.Type)
		assert.Equal(t, api.WebhookIgnored, ack.Result)
		assert.Equal(t, events, e.countEvents(t))
	})

	t.Run("call initiation failure marks the call failed", func(t *testing.T) {
		c := e.createCall(t, tok)
		decode[api.Call](t, e.patch(t, "/api/calls/"+c.ID, tok, map[string]any{"elevenlabsConversationId": "conv_fail"}), http.StatusOK)
		body := elevenlabsfake.InitiationFailureEvent(testAgentID, "conv_fail", "busy", now)
		assert.Equal(t, api.WebhookApplied, decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK).Result)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		assert.Equal(t, "failed", got.Status)
		assert.Equal(t, api.WebhookIgnored, decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK).Result,
			"a failed call stays failed")
		late := elevenlabsfake.TranscriptionEvent(conversation("conv_fail", c.ID, item("user", "Hello?", 0)), now)
		assert.Equal(t, api.WebhookIgnored, decode[api.WebhookAck](t, e.elevenHook(t, late, elevenSecret, now), http.StatusOK).Result,
			"a failed call takes no transcript, and the delivery is not retried")
	})
}

// clerkHook posts a Clerk event signed as Svix does.
func (e *env) clerkHook(t testing.TB, msgID string, signedAt time.Time, body []byte) response {
	t.Helper()
	h, err := clerk.SignWebhook(clerkSecret, msgID, signedAt, body)
	require.NoError(t, err)
	hdr := map[string]string{}
	for k := range h {
		hdr[k] = h.Get(k)
	}
	return e.send(t, request{method: http.MethodPost, path: "/api/webhooks/clerk", body: body, header: hdr})
}

func TestClerkWebhookSignatures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t))
	now := time.Now()
	body := clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: "user_sig", Email: "sig@example.com"}, now)
	signed, err := clerk.SignWebhook(clerkSecret, "msg_sig", now, body)
	require.NoError(t, err)
	headers := func(kv ...string) map[string]string {
		h := map[string]string{}
		for k := range signed {
			h[k] = signed.Get(k)
		}
		for i := 0; i < len(kv); i += 2 {
			h[http.CanonicalHeaderKey(kv[i])] = kv[i+1]
		}
		return h
	}
	before := e.countEvents(t)
	tests := []struct {
		name   string
		header map[string]string
		body   []byte
		status int
		code   string
	}{
		{name: "no svix headers", header: map[string]string{}, body: body, status: 400, code: api.CodeValidation},
		{name: "no signature", header: headers(clerk.HeaderSvixSignature, ""), body: body, status: 400, code: api.CodeValidation},
		{name: "timestamp not a number", header: headers(clerk.HeaderSvixTimestamp, "yesterday"), body: body, status: 400, code: api.CodeValidation},
		{name: "wrong signature", header: headers(clerk.HeaderSvixSignature, "v1,bm90IGl0"), body: body, status: 401, code: api.CodeAuthentication},
		{name: "another id", header: headers(clerk.HeaderSvixID, "msg_other"), body: body, status: 401, code: api.CodeAuthentication},
		{name: "tampered body", header: headers(), body: append(body, ' '), status: 401, code: api.CodeAuthentication},
		{name: "stale", header: headers(clerk.HeaderSvixTimestamp, "1614265330"), body: body, status: 401, code: api.CodeAuthentication},
		{name: "the published test vector is stale by now", header: map[string]string{clerk.HeaderSvixID: "msg_p5jXN8AQM9LWM0D4loKWxJek",
			clerk.HeaderSvixTimestamp: "1614265330", clerk.HeaderSvixSignature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
			body: []byte(`{"test": 2432232314}`), status: 401, code: api.CodeAuthentication},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.send(t, request{method: http.MethodPost, path: "/api/webhooks/clerk", body: tt.body, header: tt.header})
			assertError(t, r, tt.status, tt.code, "")
		})
	}
	t.Run("signed but not an event", func(t *testing.T) {
		assertError(t, e.clerkHook(t, "msg_junk", now, []byte(`{"type":"user.created","data":{"id":"nope"}}`)), http.StatusBadRequest, api.CodeValidation, "body")
	})
	assert.Equal(t, before, e.countEvents(t), "refused deliveries record nothing")
}

func TestClerkWebhookUserLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks(t))
	ctx := context.Background()
	now := time.Now()
	email := "grace.hopper@example.com"
	// The local sign-in subject of this address, so the same person can call the API.
	u := clerkfake.User{ID: auth.LocalSubject(email), Email: email, FirstName: "Grace", LastName: "Hopper", ImageURL: "https://img.example.com/grace.png"}
	tok, err := e.issuer.Mint(email, "")
	require.NoError(t, err)

	created := clerkfake.UserEvent(clerk.EventUserCreated, u, now)
	assert.Equal(t, api.WebhookApplied, decode[api.WebhookAck](t, e.clerkHook(t, "msg_created", now, created), http.StatusOK).Result)
	p := decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	require.NotNil(t, p.FullName)
	assert.Equal(t, "Grace Hopper", *p.FullName)
	assert.Equal(t, email, p.Email)
	assert.Equal(t, u.ID, p.ClerkID)

	renamed := u
	renamed.FirstName, renamed.Email = "Amazing Grace", "grace@navy.example.com"
	updated := clerkfake.UserEvent(clerk.EventUserUpdated, renamed, now.Add(time.Second))
	assert.Equal(t, api.WebhookApplied, decode[api.WebhookAck](t, e.clerkHook(t, "msg_updated", now, updated), http.StatusOK).Result)

	events := e.countEvents(t)
	again := decode[api.WebhookAck](t, e.clerkHook(t, "msg_created", now.Add(time.Minute), created), http.StatusOK)
	assert.Equal(t, api.WebhookDuplicate, again.Result, "a redelivered svix-id has no second effect")
	assert.Equal(t, events, e.countEvents(t))
	p = decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	assert.Equal(t, "Amazing Grace Hopper", *p.FullName, "the redelivered create did not undo the update")
	assert.Equal(t, "grace@navy.example.com", p.Email)

	noEmail := clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: "user_phone_only", FirstName: "Phone"}, now)
	assert.Equal(t, api.WebhookApplied, decode[api.WebhookAck](t, e.clerkHook(t, "msg_phone", now, noEmail), http.StatusOK).Result)
	phone, err := e.app.Profile(ctx, app.UserIDFor("user_phone_only"))
	require.NoError(t, err)
	assert.Equal(t, "user_phone_only@users.clerk.invalid", phone.Email, "a user without an address gets the placeholder")

	// Practice data to forget.
	c := e.startedCall(t, tok)
	decode[api.Turn](t, e.post(t, "/api/calls/"+c.ID+"/turns", tok, map[string]any{"content": "My secret is compass-5531."}), http.StatusOK)

	deleted := clerkfake.UserEvent(clerk.EventUserDeleted, u, now)
	assert.Equal(t, api.WebhookApplied, decode[api.WebhookAck](t, e.clerkHook(t, "msg_deleted", now, deleted), http.StatusOK).Result)
	assertError(t, e.get(t, "/api/user/profile", tok), http.StatusUnauthorized, api.CodeAuthentication, "")
	assertError(t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusUnauthorized, api.CodeAuthentication, "")
	for _, secret := range []string{email, "grace@navy.example.com", "Grace", "grace.png", "compass-5531"} {
		var n int
		require.NoError(t, e.pool.QueryRow(ctx, `SELECT count(*) FROM events e WHERE strpos(e::text, $1) > 0`, secret).Scan(&n))
		assert.Zero(t, n, "%q is erased from the log", secret)
		require.NoError(t, e.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users x WHERE strpos(x::text, $1) > 0) +
  (SELECT count(*) FROM transcripts x WHERE strpos(x::text, $1) > 0)`, secret).Scan(&n))
		assert.Zero(t, n, "%q is gone from the read tables", secret)
	}

	events = e.countEvents(t)
	assert.Equal(t, api.WebhookApplied, decode[api.WebhookAck](t, e.clerkHook(t, "msg_deleted", now.Add(time.Minute), deleted), http.StatusOK).Result,
		"a redelivered deletion runs again, harmlessly")
	assert.Equal(t, events, e.countEvents(t))
	late := clerkfake.UserEvent(clerk.EventUserUpdated, u, now.Add(2*time.Second))
	assert.Equal(t, api.WebhookIgnored, decode[api.WebhookAck](t, e.clerkHook(t, "msg_late", now, late), http.StatusOK).Result,
		"an update after the deletion does not bring the account back")
	other := []byte(`{"data":{"id":"sess_1","object":"session"},"object":"event","type":"session.created","timestamp":1,"instance_id":"ins_fake"}`)
	assert.Equal(t, api.WebhookIgnored, decode[api.WebhookAck](t, e.clerkHook(t, "msg_session", now, other), http.StatusOK).Result)
}
