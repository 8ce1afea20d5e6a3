package clerk_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
)

// Svix's published test vector.
const (
	vecSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTimestamp = 1614265330
	vecPayload   = `{"test": 2432232314}`
	vecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func vecHeaders() http.Header {
	h := http.Header{}
	h.Set("svix-id", vecID)
	h.Set("svix-timestamp", "1614265330")
	h.Set("svix-signature", vecSignature)
	return h
}

func TestPublishedTestVector(t *testing.T) {
	at := time.Unix(vecTimestamp, 0)
	assert.NoError(t, clerk.VerifyWebhookAt(vecSecret, vecHeaders(), []byte(vecPayload), at))
	assert.NoError(t, clerk.VerifyWebhookAt(vecSecret, vecHeaders(), []byte(vecPayload), at.Add(4*time.Minute)))

	h, err := clerk.SignWebhook(vecSecret, vecID, at, []byte(vecPayload))
	require.NoError(t, err)
	assert.Equal(t, vecSignature, h.Get("svix-signature"))
	assert.Equal(t, "1614265330", h.Get("svix-timestamp"))

	// Against the real clock the 2021 timestamp is long stale.
	assert.ErrorIs(t, clerk.VerifyWebhook(vecSecret, vecHeaders(), []byte(vecPayload)), clerk.ErrWebhookStale)
}

func TestVerifyWebhookRejects(t *testing.T) {
	at := time.Unix(vecTimestamp, 0)
	with := func(k, v string) http.Header {
		h := vecHeaders()
		if v == "" {
			h.Del(k)
		} else {
			h.Set(k, v)
		}
		return h
	}
	tests := []struct {
		name    string
		secret  string
		headers http.Header
		body    string
		now     time.Time
		want    error // nil: accepted
	}{
		{name: "several signatures, one valid", headers: with("svix-signature", "v1,bm9wZQ== v2,x "+vecSignature), body: vecPayload, now: at},
		{name: "missing svix-id", headers: with("svix-id", ""), body: vecPayload, now: at, want: clerk.ErrWebhookMissingHeaders},
		{name: "missing svix-timestamp", headers: with("svix-timestamp", ""), body: vecPayload, now: at, want: clerk.ErrWebhookMissingHeaders},
		{name: "missing svix-signature", headers: with("svix-signature", ""), body: vecPayload, now: at, want: clerk.ErrWebhookMissingHeaders},
		{name: "no headers at all", headers: http.Header{}, body: vecPayload, now: at, want: clerk.ErrWebhookMissingHeaders},
		{name: "timestamp not a number", headers: with("svix-timestamp", "yesterday"), body: vecPayload, now: at, want: clerk.ErrWebhookMalformed},
		{name: "stale by 6 minutes", headers: vecHeaders(), body: vecPayload, now: at.Add(6 * time.Minute), want: clerk.ErrWebhookStale},
		{name: "6 minutes in the future", headers: vecHeaders(), body: vecPayload, now: at.Add(-6 * time.Minute), want: clerk.ErrWebhookStale},
		{name: "tampered body", headers: vecHeaders(), body: `{"test": 2432232315}`, now: at, want: clerk.ErrWebhookBadSignature},
		{name: "whitespace changed", headers: vecHeaders(), body: `{"test":2432232314}`, now: at, want: clerk.ErrWebhookBadSignature},
		{name: "other message id", headers: with("svix-id", "msg_other"), body: vecPayload, now: at, want: clerk.ErrWebhookBadSignature},
		{name: "other timestamp in tolerance", headers: with("svix-timestamp", "1614265331"), body: vecPayload, now: at, want: clerk.ErrWebhookBadSignature},
		{name: "wrong secret", secret: "whsec_" + "c2VjcmV0c2VjcmV0c2VjcmV0", headers: vecHeaders(), body: vecPayload, now: at, want: clerk.ErrWebhookBadSignature},
		{name: "only v2 signatures", headers: with("svix-signature", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), body: vecPayload, now: at, want: clerk.ErrWebhookBadSignature},
		{name: "secret not base64", secret: "whsec_%%%", headers: vecHeaders(), body: vecPayload, now: at, want: clerk.ErrWebhookSecret},
		{name: "empty secret", secret: "whsec_", headers: vecHeaders(), body: vecPayload, now: at, want: clerk.ErrWebhookSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := vecSecret
			if tt.secret != "" {
				secret = tt.secret
			}
			err := clerk.VerifyWebhookAt(secret, tt.headers, []byte(tt.body), tt.now)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestParseWebhookUsers(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	u := clerkfake.User{ID: "user_29w83sxmDNGwOuEthce5gg56FcC", Email: "sam@example.com", FirstName: "Sam", LastName: "Rivera",
		ImageURL: "https://img.clerk.com/abc", OtherEmails: []string{"old@example.com"}}

	ev, err := clerk.ParseWebhook(clerkfake.UserEvent(clerk.EventUserCreated, u, at))
	require.NoError(t, err)
	assert.Equal(t, clerk.EventUserCreated, ev.Type)
	assert.Equal(t, "user_29w83sxmDNGwOuEthce5gg56FcC", ev.UserID)
	assert.Equal(t, "sam@example.com", ev.Email, "the primary address, not the first one")
	assert.Equal(t, "Sam Rivera", ev.FullName())
	assert.Equal(t, "https://img.clerk.com/abc", ev.ImageURL)
	assert.Equal(t, at, ev.Timestamp)
	assert.Equal(t, at, ev.CreatedAt)
	assert.Equal(t, "ins_fake", ev.InstanceID)
	assert.False(t, ev.Deleted)

	u.LastName = "" // sent as null
	ev, err = clerk.ParseWebhook(clerkfake.UserEvent(clerk.EventUserUpdated, u, at))
	require.NoError(t, err)
	assert.Equal(t, clerk.EventUserUpdated, ev.Type)
	assert.Equal(t, "Sam", ev.FullName())

	ev, err = clerk.ParseWebhook(clerkfake.UserEvent(clerk.EventUserDeleted, u, at))
	require.NoError(t, err)
	assert.True(t, ev.Deleted)
	assert.Equal(t, u.ID, ev.UserID)
	assert.Empty(t, ev.Email)
}

func TestParseWebhookEdgeCases(t *testing.T) {
	t.Run("primary id missing falls back to the first address", func(t *testing.T) {
		ev, err := clerk.ParseWebhook([]byte(`{"type":"user.created","data":{"id":"user_1","primary_email_address_id":null,"email_addresses":[{"id":"idn_1","email_address":"a@x.com"}]}}`))
		require.NoError(t, err)
		assert.Equal(t, "a@x.com", ev.Email)
	})
	t.Run("unknown type", func(t *testing.T) {
		ev, err := clerk.ParseWebhook([]byte(`{"type":"session.created","object":"event","data":{"id":"sess_1"}}`))
		require.NoError(t, err)
		assert.Equal(t, "session.created", ev.Type)
		assert.Empty(t, ev.UserID)
		assert.JSONEq(t, `{"id":"sess_1"}`, string(ev.Data))
	})
	for name, body := range map[string]string{
		"not json":           `nope`,
		"no type":            `{"data":{"id":"user_1"}}`,
		"user without id":    `{"type":"user.created","data":{"first_name":"x"}}`,
		"id not a user":      `{"type":"user.deleted","data":{"deleted":true,"id":"org_1"}}`,
		"data not an object": `{"type":"user.updated","data":[1]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := clerk.ParseWebhook([]byte(body))
			assert.ErrorIs(t, err, clerk.ErrMalformedEvent)
		})
	}
}

// TestWebhookRoundTrip is the API's use: a handler verifying what the fake sends.
func TestWebhookRoundTrip(t *testing.T) {
	const secret = "whsec_c2VjcmV0LWZvci1zcGFycm93LXRlc3Rz"
	var verifyErr error
	var got clerk.Event
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if verifyErr = clerk.VerifyWebhook(secret, r.Header, body); verifyErr != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		got, _ = clerk.ParseWebhook(body)
	}))
	t.Cleanup(srv.Close)

	body := clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: "user_1", Email: "a@b.c", FirstName: "A"}, time.Now())
	send := func(signedAt time.Time) int {
		req, err := clerkfake.WebhookRequest(context.Background(), srv.URL, secret, "msg_1", signedAt, body)
		require.NoError(t, err)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, send(time.Now()))
	require.NoError(t, verifyErr)
	assert.Equal(t, "a@b.c", got.Email)

	assert.Equal(t, http.StatusBadRequest, send(time.Now().Add(-10*time.Minute)))
	assert.ErrorIs(t, verifyErr, clerk.ErrWebhookStale)
}
