package app_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
)

// permutations returns every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// withRepeats is order with redeliveries: after each delivery, now and
// then, one already delivered comes again (Svix retries), and the last one
// comes again at the end.
func withRepeats(order []int, rng *rand.Rand) []int {
	var out []int
	for i, d := range order {
		out = append(out, d)
		if rng.IntN(2) == 0 {
			out = append(out, order[rng.IntN(i+1)])
		}
	}
	return append(out, order[rng.IntN(len(order))])
}

type profileState struct {
	email, name, avatar string
	deleted             bool
}

func (p *practice) profileState(t *testing.T, subject string) profileState {
	t.Helper()
	u, err := p.app.Profile(context.Background(), app.UserIDFor(subject))
	if errors.Is(err, domain.ErrNotFound) {
		return profileState{deleted: true}
	}
	require.NoError(t, err)
	s := profileState{email: u.Email}
	if u.FullName != nil {
		s.name = *u.FullName
	}
	if u.AvatarURL != nil {
		s.avatar = *u.AvatarURL
	}
	return s
}

// Clerk's deliveries (Svix) come in any order and more than once: every
// permutation of a user's created and updated events, each with
// redeliveries, ends with the newest profile (by data.updated_at), exactly
// as in-order delivery does; a deletion ends deleted whatever came before or
// after it.
func TestIdentityWebhooksInAnyOrder(t *testing.T) {
	t.Parallel()
	hooks := identityHooks{}
	p := newPractice(t, func(c *app.Config) { c.IdentityWebhooks = hooks })
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	profile := func(subject, typ string, at time.Duration, email, name, avatar string) app.IdentityEvent {
		return app.IdentityEvent{Type: typ, Kind: app.IdentityUpserted, Identity: app.Identity{Subject: subject, Email: email,
			FullName: name, AvatarURL: avatar, UpdatedAt: t0.Add(at)}}
	}
	// Four versions of one profile; the newest sets the name back to the
	// first one's (so "nothing changed" must still be remembered as newer).
	upserts := func(subject string) []app.IdentityEvent {
		return []app.IdentityEvent{
			profile(subject, "user.created", 0, "ada@example.com", "Ada", ""),
			profile(subject, "user.updated", time.Minute, "ada@example.com", "Ada B", "https://img.example.com/b.png"),
			profile(subject, "user.updated", 2*time.Minute, "ada.c@example.com", "Ada C", "https://img.example.com/c.png"),
			profile(subject, "user.updated", 3*time.Minute, "ada.c@example.com", "Ada", "https://img.example.com/c.png"),
		}
	}
	deliver := func(t *testing.T, msg string) {
		t.Helper()
		_, err := p.app.HandleIdentityWebhook(ctx, delivery(msg))
		require.NoError(t, err, msg)
	}
	run := func(t *testing.T, subject string, evs []app.IdentityEvent, order []int) profileState {
		t.Helper()
		for i, ev := range evs {
			hooks[fmt.Sprintf("%s/msg_%d", subject, i)] = ev
		}
		for _, i := range order {
			deliver(t, fmt.Sprintf("%s/msg_%d", subject, i))
		}
		return p.profileState(t, subject)
	}

	want := run(t, "user_inorder", upserts("user_inorder"), []int{0, 1, 2, 3})
	require.Equal(t, profileState{email: "ada.c@example.com", name: "Ada", avatar: "https://img.example.com/c.png"}, want)

	rng := rand.New(rand.NewPCG(10, 6))
	for k, order := range permutations(4) {
		subject := fmt.Sprintf("user_perm%d", k)
		seq := withRepeats(order, rng)
		assert.Equal(t, want, run(t, subject, upserts(subject), seq), "deliveries %v", seq)
	}

	// With a deletion among them, every order ends deleted, and the account
	// cannot come back.
	for k, order := range permutations(3) {
		subject := fmt.Sprintf("user_del%d", k)
		evs := upserts(subject)[:2]
		evs = append(evs, app.IdentityEvent{Type: "user.deleted", Kind: app.IdentityDeleted, Identity: app.Identity{Subject: subject}})
		seq := withRepeats(order, rng)
		assert.Equal(t, profileState{deleted: true}, run(t, subject, evs, seq), "deliveries %v", seq)
		_, err := p.app.EnsureUser(ctx, app.Meta{Actor: "test"}, app.Identity{Subject: subject, Email: "x@example.com"})
		assert.ErrorIs(t, err, app.ErrUserDeleted, "deliveries %v", seq)
	}
}

// A delivery that changed nothing is remembered all the same: its
// redelivery after a newer update is a duplicate and does not bring the
// old data back.
func TestIdentityDeliveryThatChangedNothingIsRemembered(t *testing.T) {
	t.Parallel()
	hooks := identityHooks{}
	p := newPractice(t, func(c *app.Config) { c.IdentityWebhooks = hooks })
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	id := app.Identity{Subject: "user_same", Email: "same@example.com", FullName: "Same", UpdatedAt: t0}
	_, err := p.app.EnsureUser(ctx, app.Meta{Actor: "test"}, id) // signed in first: the profile has no provider time
	require.NoError(t, err)
	hooks["msg_same"] = app.IdentityEvent{Type: "user.created", Kind: app.IdentityUpserted, Identity: id}
	newer := id
	newer.FullName, newer.UpdatedAt = "Newer", t0.Add(time.Minute)
	hooks["msg_newer"] = app.IdentityEvent{Type: "user.updated", Kind: app.IdentityUpserted, Identity: newer}

	for _, s := range []struct{ msg, result, name string }{
		{"msg_same", app.WebhookApplied, "Same"}, // records the provider's time, no field changes
		{"msg_newer", app.WebhookApplied, "Newer"},
		{"msg_same", app.WebhookDuplicate, "Newer"},
		{"msg_newer", app.WebhookDuplicate, "Newer"},
	} {
		out, err := p.app.HandleIdentityWebhook(ctx, delivery(s.msg))
		require.NoError(t, err)
		assert.Equal(t, s.result, out.Result, s.msg)
		assert.Equal(t, s.name, p.profileState(t, "user_same").name, s.msg)
	}

	// An older profile under a new delivery id is acknowledged, changes
	// nothing, and its own redelivery is a duplicate.
	older := id
	older.FullName, older.UpdatedAt = "Older", t0.Add(-time.Minute)
	hooks["msg_older"] = app.IdentityEvent{Type: "user.updated", Kind: app.IdentityUpserted, Identity: older}
	out, err := p.app.HandleIdentityWebhook(ctx, delivery("msg_older"))
	require.NoError(t, err)
	assert.Equal(t, app.WebhookIgnored, out.Result)
	out, err = p.app.HandleIdentityWebhook(ctx, delivery("msg_older"))
	require.NoError(t, err)
	assert.Equal(t, app.WebhookDuplicate, out.Result)
	assert.Equal(t, "Newer", p.profileState(t, "user_same").name)
}

// ElevenLabs' post-call webhook ends a call at the conversation's own start
// plus call_duration_secs, never at the delivery's arrival: whatever order
// the transcript and audio deliveries come in, however late and however
// often, the call lasts what the conversation lasted, and so do the totals.
func TestVoiceWebhooksLateAndInAnyOrder(t *testing.T) {
	t.Parallel()
	hooks := voiceHooks{}
	p := newPractice(t, func(c *app.Config) { c.VoiceWebhooks = hooks })
	ctx := context.Background()
	const lasted = 95 * time.Second
	rng := rand.New(rand.NewPCG(7, 42))

	run := func(t *testing.T, name string, clientStarts bool, seq []string) {
		t.Helper()
		user := p.user(t, "user_"+name)
		call := p.call(t, user, 0, domain.ModeColdCall)
		start := p.clock.Now().Add(5 * time.Second)
		if clientStarts {
			p.clock.Advance(5 * time.Second)
			require.NoError(t, p.app.StartCall(ctx, app.Meta{Actor: user}, user, call, start, ""))
		}
		conv := &app.VoiceConversation{ID: "conv_" + name, CallHint: call, StartedAt: start, Duration: lasted, EndReason: "client disconnected",
			Entries: []domain.TranscriptEntry{
				{Role: domain.RoleUser, Content: "Hi, this is Sam.", TimestampMs: 0},
				{Role: domain.RoleAssistant, Content: "Who?", TimestampMs: 4000},
				{Role: domain.RoleUser, Content: "Sam, from Sparrow.", TimestampMs: 9000},
			}}
		hooks[name+"/transcript"] = app.VoiceWebhookEvent{Type: "post_call_transcription", Conversation: conv}
		hooks[name+"/audio"] = app.VoiceWebhookEvent{Type: "post_call_audio"}
		for _, d := range seq {
			p.clock.Advance(time.Duration(1+rng.IntN(120)) * time.Minute) // late, and later still
			_, err := p.app.HandleVoiceWebhook(ctx, delivery(name+"/"+d))
			require.NoError(t, err, "%s: %v", name, seq)
		}
		c, err := p.app.GetCall(ctx, user, call)
		require.NoError(t, err)
		require.Equal(t, domain.CallCompleted, c.Status, "%s: %v", name, seq)
		require.NotNil(t, c.DurationSeconds)
		require.NotNil(t, c.EndedAt)
		assert.Equal(t, int(lasted/time.Second), *c.DurationSeconds, "%s: %v", name, seq)
		assert.True(t, start.Add(lasted).Equal(*c.EndedAt), "%s: ended at %s, want %s", name, c.EndedAt, start.Add(lasted))
		assert.Equal(t, 3, c.TranscriptVersion, "%s: %v", name, seq)
		prog, err := p.app.Progress(ctx, user)
		require.NoError(t, err)
		assert.Equal(t, int(lasted/time.Second), prog.TotalDurationSeconds, "%s: %v", name, seq)
	}

	deliveries := []string{"transcript", "audio", "transcript"}
	for k, order := range permutations(len(deliveries)) {
		seq := make([]string, 0, 8)
		for _, i := range withRepeats(order, rng) {
			seq = append(seq, deliveries[i])
		}
		run(t, fmt.Sprintf("live%d", k), true, seq)
		run(t, fmt.Sprintf("pending%d", k), false, seq)
	}
}
