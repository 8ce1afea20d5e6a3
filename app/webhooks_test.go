package app_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

func TestVoiceCallFor(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_lookup")
	m := app.Meta{Actor: user}
	linked := p.call(t, user, 0, domain.ModeColdCall)
	require.NoError(t, p.app.StartCall(ctx, m, user, linked, p.clock.Now(), "conv_linked"))
	unlinked := p.call(t, user, 0, domain.ModeColdCall)

	tests := []struct {
		name       string
		hint, conv string
		want       string
	}{
		{name: "by the call id", hint: unlinked, conv: "conv_new", want: unlinked},
		{name: "by the call id, same conversation", hint: linked, conv: "conv_linked", want: linked},
		{name: "by the conversation id", hint: "", conv: "conv_linked", want: linked},
		{name: "a hint that is no call", hint: "0b9e4f2a-8c1d-4e57-b3a6-71d2c9e0f4a8", conv: "conv_linked", want: linked},
		{name: "a hint that is not an id", hint: "call-42", conv: "conv_linked", want: linked},
		{name: "a hint linked to another conversation", hint: linked, conv: "conv_other"},
		{name: "nothing matches", hint: "", conv: "conv_unknown"},
		{name: "nothing at all", hint: "", conv: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.app.VoiceCallFor(ctx, tt.hint, tt.conv)
			if tt.want == "" {
				assert.ErrorIs(t, err, domain.ErrNotFound)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFailVoiceCall(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	user := p.user(t, "user_failvoice")
	m := app.Meta{Actor: "webhook:elevenlabs"}
	pending := p.call(t, user, 0, domain.ModeColdCall)
	changed, err := p.app.FailVoiceCall(ctx, m, pending, "")
	require.NoError(t, err)
	assert.True(t, changed)
	v, err := p.app.GetCall(ctx, user, pending)
	require.NoError(t, err)
	assert.Equal(t, domain.CallFailedStatus, v.Status)

	changed, err = p.app.FailVoiceCall(ctx, m, pending, "again")
	require.NoError(t, err)
	assert.False(t, changed, "a failed call is left as it is")

	done := p.call(t, user, 0, domain.ModeColdCall)
	require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, done, p.clock.Now(), ""))
	_, err = p.app.EndCall(ctx, app.Meta{Actor: user}, user, done, "", "")
	require.NoError(t, err)
	changed, err = p.app.FailVoiceCall(ctx, m, done, "late failure")
	require.NoError(t, err)
	assert.False(t, changed, "a completed call is left as it is")
}

// A keyed command is remembered, so a redelivered webhook can be told apart
// even after the state moved on.
func TestDeliveryRecorded(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	id := app.Identity{Subject: "user_delivery", Email: "first@example.com", FullName: "First"}
	created := app.Meta{Actor: "webhook:clerk", IdempotencyKey: "clerk/msg_created"}

	seen, err := p.app.DeliveryRecorded(ctx, created.IdempotencyKey)
	require.NoError(t, err)
	assert.False(t, seen)
	_, _, err = p.app.SyncUser(ctx, created, id)
	require.NoError(t, err)
	seen, err = p.app.DeliveryRecorded(ctx, created.IdempotencyKey)
	require.NoError(t, err)
	assert.True(t, seen)

	updated := id
	updated.Email = "second@example.com"
	_, _, err = p.app.SyncUser(ctx, app.Meta{Actor: "webhook:clerk", IdempotencyKey: "clerk/msg_updated"}, updated)
	require.NoError(t, err)
	seen, err = p.app.DeliveryRecorded(ctx, "clerk/msg_updated")
	require.NoError(t, err)
	assert.True(t, seen)

	seen, err = p.app.DeliveryRecorded(ctx, "clerk/msg_never")
	require.NoError(t, err)
	assert.False(t, seen)
	seen, err = p.app.DeliveryRecorded(ctx, "")
	require.NoError(t, err)
	assert.False(t, seen)
}
