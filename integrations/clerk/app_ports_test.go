package clerk_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
)

func TestWebhookVerifierSpeaksTheAppsErrors(t *testing.T) {
	t.Parallel()
	v, err := clerk.NewWebhookVerifier(vecSecret)
	require.NoError(t, err)
	now := time.Now()
	sign := func(msgID string, at time.Time, body []byte) http.Header {
		h, err := clerk.SignWebhook(vecSecret, msgID, at, body)
		require.NoError(t, err)
		return h
	}
	created := clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: "user_1", Email: "dana@example.com", FirstName: "Dana", LastName: "Lee"}, now)
	ev, err := v.VerifyIdentityWebhook(app.WebhookDelivery{Header: sign("msg_1", now, created), Body: created})
	require.NoError(t, err)
	assert.Equal(t, app.IdentityEvent{Type: clerk.EventUserCreated, Kind: app.IdentityUpserted, MessageID: "msg_1",
		Identity: app.Identity{Subject: "user_1", Email: "dana@example.com", FullName: "Dana Lee", UpdatedAt: time.UnixMilli(now.UnixMilli()).UTC()}}, ev,
		"data.updated_at travels to the app, which orders deliveries by it")

	deleted := clerkfake.UserEvent(clerk.EventUserDeleted, clerkfake.User{ID: "user_1"}, now)
	ev, err = v.VerifyIdentityWebhook(app.WebhookDelivery{Header: sign("msg_2", now, deleted), Body: deleted})
	require.NoError(t, err)
	assert.Equal(t, app.IdentityDeleted, ev.Kind)
	assert.Equal(t, "user_1", ev.Identity.Subject)

	_, err = v.VerifyIdentityWebhook(app.WebhookDelivery{Header: http.Header{}, Body: created})
	assert.ErrorIs(t, err, app.ErrWebhookHeaders)
	_, err = v.VerifyIdentityWebhook(app.WebhookDelivery{Header: sign("msg_3", now.Add(-time.Hour), created), Body: created})
	assert.ErrorIs(t, err, app.ErrWebhookSignature)
	assert.ErrorIs(t, err, clerk.ErrWebhookStale)
	_, err = v.VerifyIdentityWebhook(app.WebhookDelivery{Header: sign("msg_4", now, created), Body: deleted})
	assert.ErrorIs(t, err, app.ErrWebhookSignature)
	_, err = v.VerifyIdentityWebhook(app.WebhookDelivery{Header: sign("msg_5", now, []byte("{")), Body: []byte("{")})
	assert.ErrorIs(t, err, app.ErrMalformedWebhook)

	_, err = clerk.NewWebhookVerifier("not-a-secret")
	assert.ErrorIs(t, err, clerk.ErrWebhookSecret)
}
