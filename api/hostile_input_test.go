package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
)

// Regression (issue 10): a NUL character (JSON "\u0000") in any text field
// reached PostgreSQL's jsonb and answered 500. The domain refuses it with a
// validation error naming the field, and nothing is stored.
func TestNULInTextFieldsIsAValidationError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	pending := e.createCall(t, tok)
	started := e.startedCall(t, tok)
	const nul = "\x00" // json.Marshal sends it as \u0000

	tests := []struct {
		name   string
		method string
		path   string
		body   any
		field  string
	}{
		{"transcript line", http.MethodPost, "/api/calls/" + started.ID + "/transcript",
			map[string]any{"role": "user", "content": "hi" + nul, "timestampMs": 1}, "content"},
		{"transcript batch", http.MethodPost, "/api/calls/" + started.ID + "/transcript",
			map[string]any{"entries": []map[string]any{{"role": "user", "content": "ok", "timestampMs": 1}, {"role": "assistant", "content": nul, "timestampMs": 2}}},
			"entries[1].content"},
		{"turn", http.MethodPost, "/api/calls/" + started.ID + "/turns", map[string]any{"content": "Hello" + nul + "there"}, "content"},
		{"turn starting a pending call", http.MethodPost, "/api/calls/" + pending.ID + "/turns", map[string]any{"content": nul}, "content"},
		{"fail reason", http.MethodPatch, "/api/calls/" + pending.ID, map[string]any{"status": "failed", "reason": "mic" + nul}, "reason"},
		{"end reason", http.MethodPost, "/api/calls/" + started.ID + "/end", map[string]any{"reason": "done" + nul}, "reason"},
		{"conversation id at start", http.MethodPatch, "/api/calls/" + pending.ID,
			map[string]any{"status": "in_progress", "elevenlabsConversationId": "conv" + nul}, "elevenlabsConversationId"},
		{"conversation id linked", http.MethodPatch, "/api/calls/" + started.ID, map[string]any{"elevenlabsConversationId": "conv" + nul}, "elevenlabsConversationId"},
		{"conversation id at the end", http.MethodPost, "/api/calls/" + started.ID + "/end", map[string]any{"elevenlabsConversationId": "conv" + nul}, "elevenlabsConversationId"},
		{"full name", http.MethodPatch, "/api/user/profile", map[string]any{"fullName": "Ada" + nul}, "fullName"},
		{"avatar URL", http.MethodPatch, "/api/user/profile", map[string]any{"avatarUrl": "https://example.com/a" + nul + ".png"}, "avatarUrl"},
		{"onboarding value", http.MethodPost, "/api/user/onboarding", map[string]any{"timezone": "UTC", "data": map[string]string{"goal": "x" + nul}}, "data.goal"},
		{"onboarding key", http.MethodPost, "/api/user/onboarding", map[string]any{"timezone": "UTC", "data": map[string]string{"go" + nul: "x"}}, "data"},
		{"time zone", http.MethodPost, "/api/user/onboarding", map[string]any{"timezone": "UTC" + nul}, "timezone"},
	}
	before := e.countEvents(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.send(t, request{method: tt.method, path: tt.path, token: tok, body: tt.body})
			assertError(t, r, http.StatusBadRequest, api.CodeValidation, tt.field)
		})
	}
	assert.Equal(t, before, e.countEvents(t), "refused input stores nothing")
	got := decode[api.Call](t, e.get(t, "/api/calls/"+pending.ID, tok), http.StatusOK)
	assert.Equal(t, "pending", got.Status)
}

// Regression (issue 10): POST /api/calls with the id of a call or a user as
// personaId panicked (nil pointer in Persona.VisibleTo).
func TestCallCreateWithTheIDOfAnotherStreamAsPersona(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	call := e.createCall(t, tok)
	me := decode[api.Profile](t, e.get(t, "/api/user/profile", tok), http.StatusOK)
	before := e.countEvents(t)
	for name, id := range map[string]string{"a call id": call.ID, "a user id": me.ID} {
		t.Run(name, func(t *testing.T) {
			r := e.post(t, "/api/calls", tok, map[string]any{"mode": "cold_call", "personaId": id})
			assertError(t, r, http.StatusBadRequest, api.CodeValidation, "personaId")
			assert.Contains(t, r.apiError(t).Error.Details["issue"], "not found")
		})
	}
	t.Run("a persona lookup through the persona route", func(t *testing.T) {
		assertError(t, e.get(t, "/api/personas/"+call.ID, tok), http.StatusNotFound, api.CodeNotFound, "")
	})
	assert.Equal(t, before, e.countEvents(t))
}

// Regression (issues 10 and 12): startedAt "9999-12-31T23:59:59-14:00" (year
// 10000 in UTC) gave a 500, and "1900-01-01T00:00:00Z" was accepted; ending
// that call appended a duration that overflowed an INTEGER column and halted
// the projections for everyone. Start times are checked against the call's
// creation and the server's clock before anything is appended.
func TestCallStartTimesOutOfRange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	now := time.Now().UTC()
	tests := []struct {
		name      string
		startedAt string
		status    int
	}{
		{"year 10000 in UTC", "9999-12-31T23:59:59-14:00", http.StatusBadRequest},
		{"1900", "1900-01-01T00:00:00Z", http.StatusBadRequest},
		{"1960", "1960-06-01T12:00:00Z", http.StatusBadRequest},
		{"an hour before the call was created", now.Add(-time.Hour).Format(time.RFC3339), http.StatusBadRequest},
		{"an hour in the future", now.Add(time.Hour).Format(time.RFC3339), http.StatusBadRequest},
		{"a client clock a minute behind", now.Add(-time.Minute).Format(time.RFC3339Nano), http.StatusOK},
		{"a client clock a minute ahead", now.Add(time.Minute).Format(time.RFC3339Nano), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.createCall(t, tok)
			before := e.countEvents(t)
			r := e.patch(t, "/api/calls/"+c.ID, tok, map[string]any{"status": "in_progress", "startedAt": tt.startedAt})
			if tt.status != http.StatusOK {
				assertError(t, r, tt.status, api.CodeValidation, "startedAt")
				assert.Equal(t, before, e.countEvents(t))
				return
			}
			got := decode[api.Call](t, r, http.StatusOK)
			require.NotNil(t, got.StartedAt)
			ended := decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", tok, nil), http.StatusOK)
			assert.True(t, ended.Success)
			got = decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
			require.NotNil(t, got.DurationSeconds)
			assert.LessOrEqual(t, *got.DurationSeconds, 120)
		})
	}
	// The projections were never stopped: a new call still reads back.
	progress := decode[api.Progress](t, e.get(t, "/api/user/progress", tok), http.StatusOK)
	assert.Equal(t, 2, progress.TotalCalls)
}

// Regression (issue 10): avatarUrl accepted javascript: and file: URLs.
func TestAvatarURLMustBeHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	for _, u := range []string{"javascript:alert(document.cookie)", "file:///etc/passwd", "data:text/html,<script>alert(1)</script>", "//evil.example/a.png", "ftp://example.com/a.png"} {
		t.Run(u, func(t *testing.T) {
			assertError(t, e.patch(t, "/api/user/profile", tok, map[string]any{"avatarUrl": u}), http.StatusBadRequest, api.CodeValidation, "avatarUrl")
		})
	}
	p := decode[api.Profile](t, e.patch(t, "/api/user/profile", tok, map[string]any{"avatarUrl": "https://img.example.com/me.png"}), http.StatusOK)
	require.NotNil(t, p.AvatarURL)
	assert.Equal(t, "https://img.example.com/me.png", *p.AvatarURL)
	p = decode[api.Profile](t, e.patch(t, "/api/user/profile", tok, map[string]any{"avatarUrl": ""}), http.StatusOK)
	assert.True(t, p.AvatarURL == nil || *p.AvatarURL == "", "an empty avatarUrl removes the avatar")
}

// Regression (issue 10): a NUL in a signed webhook's payload answered 500,
// which makes the sender retry for ever. Webhook text is cleaned (NUL
// removed, invalid UTF-8 replaced) and kept, so the delivery applies once
// and is acknowledged; an id that cannot exist names no call.
func TestWebhookPayloadsWithNUL(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withWebhooks)
	tok := e.newUser(t)
	now := time.Now()

	t.Run("elevenlabs transcript and reason", func(t *testing.T) {
		c := e.startedCall(t, tok)
		conv := conversation("conv_nul_ok", c.ID, item("agent", "Who\x00 is this?", 0), item("user", "\x00", 2), item("user", "Sam here.", 3))
		conv.Metadata.TerminationReason = "hung\x00 up"
		body := elevenlabsfake.TranscriptionEvent(conv, now)
		require.Contains(t, string(body), `\u0000`)
		ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		tr := decode[api.Transcript](t, e.get(t, "/api/calls/"+c.ID+"/transcript", tok), http.StatusOK)
		require.Len(t, tr.Entries, 2, "a line that is only a NUL is empty and skipped")
		assert.Equal(t, "Who is this?", tr.Entries[0].Content)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		assert.Equal(t, "completed", got.Status)
		require.NotNil(t, got.EndReason)
		assert.NotContains(t, *got.EndReason, "\x00")
	})
	t.Run("elevenlabs conversation id", func(t *testing.T) {
		c := e.startedCall(t, tok)
		for name, callHint := range map[string]string{"found by id": "", "with a call hint": c.ID} {
			body := elevenlabsfake.TranscriptionEvent(conversation("conv\x00"+name, callHint, item("agent", "Hi", 0)), now)
			ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
			assert.Equal(t, api.WebhookUnknownCall, ack.Result, name)
		}
	})
	t.Run("elevenlabs start time out of range", func(t *testing.T) {
		c := e.createCall(t, tok)
		conv := conversation("conv_1970", c.ID, item("agent", "Hello?", 0))
		conv.Metadata.StartTimeUnixSecs = 1 // 1970: the call cannot have started then
		ack := decode[api.WebhookAck](t, e.elevenHook(t, elevenlabsfake.TranscriptionEvent(conv, now), elevenSecret, now), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		got := decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, tok), http.StatusOK)
		require.NotNil(t, got.StartedAt)
		assert.WithinDuration(t, time.Now(), *got.StartedAt, time.Minute, "an impossible start time is replaced by now")
	})
	t.Run("elevenlabs initiation failure", func(t *testing.T) {
		body := elevenlabsfake.InitiationFailureEvent(testAgentID, "conv\x00x", "busy\x00", now)
		ack := decode[api.WebhookAck](t, e.elevenHook(t, body, elevenSecret, now), http.StatusOK)
		assert.Equal(t, api.WebhookUnknownCall, ack.Result)
	})
	t.Run("clerk user events", func(t *testing.T) {
		u := clerkfake.User{ID: "user_nul_" + strings.Repeat("x", 4), Email: "nul@example.com", FirstName: "Gr\x00ace", LastName: "Hopper",
			ImageURL: "javascript:alert(1)"}
		created := clerkfake.UserEvent(clerk.EventUserCreated, u, now)
		require.Contains(t, string(created), `\u0000`)
		ack := decode[api.WebhookAck](t, e.clerkHook(t, "msg_nul_created", now, created), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		p, err := e.app.Profile(context.Background(), app.UserIDFor(u.ID))
		require.NoError(t, err)
		require.NotNil(t, p.FullName)
		assert.Equal(t, "Grace Hopper", *p.FullName)
		assert.True(t, p.AvatarURL == nil || *p.AvatarURL == "", "an avatar URL that is not http(s) is dropped")

		u.ImageURL, u.LastName = "https://img.example.com/grace.png", "Hop\x00per"
		updated := clerkfake.UserEvent(clerk.EventUserUpdated, u, now.Add(time.Second))
		ack = decode[api.WebhookAck](t, e.clerkHook(t, "msg_nul_updated", now, updated), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		u.ImageURL = "file:///etc/passwd"
		u.LastName = "Hopper-Smith"
		again := clerkfake.UserEvent(clerk.EventUserUpdated, u, now.Add(2*time.Second))
		ack = decode[api.WebhookAck](t, e.clerkHook(t, "msg_nul_updated2", now, again), http.StatusOK)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		p, err = e.app.Profile(context.Background(), app.UserIDFor(u.ID))
		require.NoError(t, err)
		assert.Equal(t, "Grace Hopper-Smith", *p.FullName)
		require.NotNil(t, p.AvatarURL)
		assert.Equal(t, "https://img.example.com/grace.png", *p.AvatarURL, "a refused avatar URL leaves the current one")
	})
}

// Regression (issue 10): a local token valid for 100 years was accepted. A
// token may live at most the issuer's TTL (exp - iat), and must carry iat and exp.
func TestLongLivedTokensAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := time.Now()
	sign := func(claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		s, err := tok.SignedString(sharedKey(t))
		require.NoError(t, err)
		return s
	}
	claims := func(lifetime time.Duration) jwt.MapClaims {
		return jwt.MapClaims{"iss": auth.LocalIssuerName, "sub": auth.LocalSubject("long@example.com"), "sid": "s",
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(lifetime).Unix(), "email": "long@example.com"}
	}
	hundredYears := sign(claims(100 * 365 * 24 * time.Hour))
	assertError(t, e.get(t, "/api/user/profile", hundredYears), http.StatusUnauthorized, api.CodeAuthentication, "")
	noIat := claims(time.Hour)
	delete(noIat, "iat")
	assertError(t, e.get(t, "/api/user/profile", sign(noIat)), http.StatusUnauthorized, api.CodeAuthentication, "")
	noExp := claims(time.Hour)
	delete(noExp, "exp")
	assertError(t, e.get(t, "/api/user/profile", sign(noExp)), http.StatusUnauthorized, api.CodeAuthentication, "")
	decode[api.Profile](t, e.get(t, "/api/user/profile", sign(claims(time.Hour))), http.StatusOK)
}
