package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// recordedCall is a call created at t0 (as its CallCreated says it occurred), in the given status.
func recordedCall(t *testing.T, status domain.CallStatus) *domain.Call {
	t.Helper()
	c := domain.NewCall("c1")
	evs, err := c.Create("u1", "p1", domain.ModeDiscovery)
	require.NoError(t, err)
	c.ApplyAt(evs[0], t0)
	if status == domain.CallPending {
		return c
	}
	evs, err = c.Start(t0.Add(time.Minute), t0.Add(time.Minute), "")
	require.NoError(t, err)
	c.Apply(evs[0])
	if status == domain.CallCompleted {
		evs, err = c.End(t0.Add(10*time.Minute), "")
		require.NoError(t, err)
		c.Apply(evs[0])
	}
	return c
}

func registeredUser(t *testing.T) *domain.User {
	t.Helper()
	u := domain.NewUser("u1")
	evs, err := u.Register("user_1", "a@example.com", "Ada", "")
	require.NoError(t, err)
	u.Apply(evs[0])
	return u
}

func validProfile() domain.PersonaProfile {
	return domain.PersonaProfile{Name: "Pat", Role: "CFO", Company: "Acme", Industry: "SaaS", Personality: domain.PersonalityBusy,
		Difficulty: domain.DifficultyEasy, Backstory: "Busy.", VoiceID: "v1", SystemPrompt: "You are Pat.", FirstMessage: "Hello?"}
}

// PostgreSQL cannot store NUL (U+0000) nor invalid UTF-8 in jsonb or text:
// every text field of every command is refused with a *FieldError naming it,
// so such an event is never appended (it used to give a 500).
func TestEveryTextFieldRefusesNULAndInvalidUTF8(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	cases := []struct {
		name  string
		field string
		run   func(t *testing.T, bad string) error
	}{
		{"transcript content", "content", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallInProgress).AddTranscript(domain.TranscriptEntry{Role: domain.RoleUser, Content: "hi " + bad, TimestampMs: 1})
			return err
		}},
		{"second transcript entry", "entries[1].content", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallInProgress).AddTranscript(
				domain.TranscriptEntry{Role: domain.RoleUser, Content: "ok", TimestampMs: 1},
				domain.TranscriptEntry{Role: domain.RoleAssistant, Content: bad + "x", TimestampMs: 2})
			return err
		}},
		{"end reason", "reason", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallInProgress).End(t0.Add(time.Hour), "done"+bad)
			return err
		}},
		{"fail reason", "reason", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallPending).Fail("mic" + bad)
			return err
		}},
		{"conversation id at start", "elevenlabsConversationId", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallPending).Start(t0, t0, "conv"+bad)
			return err
		}},
		{"conversation id linked", "elevenlabsConversationId", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallInProgress).LinkConversation("conv" + bad)
			return err
		}},
		{"quick score summary", "summary", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallCompleted).RecordQuickScore(domain.CallQuickScored{Overall: 50, Summary: "ok" + bad, Provider: "builtin"})
			return err
		}},
		{"quick score model", "model", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallCompleted).RecordQuickScore(domain.CallQuickScored{Overall: 50, Summary: "ok", Provider: "builtin", Model: bad})
			return err
		}},
		{"deep score key moment quote", "keyMoments[0].quote", func(t *testing.T, bad string) error {
			_, err := recordedCall(t, domain.CallCompleted).RecordDeepScore(domain.CallDeepScored{Overall: 50, Opening: 50, Discovery: 50,
				ObjectionHandling: 50, Communication: 50, Closing: 50, Summary: "ok", Provider: "builtin",
				KeyMoments: []domain.KeyMoment{{Type: domain.KeyMomentStrength, Description: "d", Quote: "q" + bad}}})
			return err
		}},
		{"register full name", "fullName", func(t *testing.T, bad string) error {
			_, err := domain.NewUser("u1").Register("user_1", "a@example.com", "Ada"+bad, "")
			return err
		}},
		{"register email", "email", func(t *testing.T, bad string) error {
			_, err := domain.NewUser("u1").Register("user_1", "a"+bad+"@example.com", "Ada", "")
			return err
		}},
		{"register clerk id", "clerkId", func(t *testing.T, bad string) error {
			_, err := domain.NewUser("u1").Register("user_1"+bad, "a@example.com", "Ada", "")
			return err
		}},
		{"profile full name", "fullName", func(t *testing.T, bad string) error {
			_, err := registeredUser(t).UpdateProfile(nil, str("Ada"+bad), nil)
			return err
		}},
		{"profile avatar", "avatarUrl", func(t *testing.T, bad string) error {
			_, err := registeredUser(t).UpdateProfile(nil, nil, str("https://example.com/a"+bad+".png"))
			return err
		}},
		{"onboarding value", "data.goal", func(t *testing.T, bad string) error {
			_, err := registeredUser(t).CompleteOnboarding("UTC", map[string]string{"goal": "more" + bad})
			return err
		}},
		{"onboarding key", "data", func(t *testing.T, bad string) error {
			_, err := registeredUser(t).CompleteOnboarding("UTC", map[string]string{"go" + bad + "al": "more"})
			return err
		}},
		{"delete reason", "reason", func(t *testing.T, bad string) error {
			_, err := registeredUser(t).Delete("gone" + bad)
			return err
		}},
		{"persona name", "name", func(t *testing.T, bad string) error {
			p := validProfile()
			p.Name += bad
			_, err := domain.NewPersona("p1").Create(p, "u1")
			return err
		}},
		{"persona objection", "objections[0]", func(t *testing.T, bad string) error {
			p := validProfile()
			p.Objections = []string{"too expensive" + bad}
			_, err := domain.NewPersona("p1").Create(p, "u1")
			return err
		}},
		{"persona first message of a mode", "firstMessages.discovery", func(t *testing.T, bad string) error {
			p := validProfile()
			p.FirstMessages = map[domain.Mode]string{domain.ModeDiscovery: "Hi" + bad}
			_, err := domain.NewPersona("p1").Create(p, "u1")
			return err
		}},
	}
	for _, bad := range []struct{ name, s string }{{"NUL", "\x00"}, {"invalid UTF-8", "\xff\xfe"}} {
		for _, tc := range cases {
			t.Run(bad.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				err := tc.run(t, bad.s)
				require.Error(t, err)
				assert.ErrorIs(t, err, domain.ErrInvalid)
				var fe *domain.FieldError
				require.True(t, errors.As(err, &fe), "a *FieldError, got %v", err)
				assert.Equal(t, tc.field, fe.Field)
			})
		}
	}
	// The same inputs without the bad characters pass: each case fails for the character alone.
	for _, tc := range cases {
		t.Run("clean/"+tc.name, func(t *testing.T) {
			t.Parallel()
			assert.NoError(t, tc.run(t, ""))
		})
	}
}

func TestSanitizeText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"clean text is kept", "Hello, wörld", "Hello, wörld"},
		{"NUL is removed", "a\x00b\x00", "ab"},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb", "a\uFFFDb"},
		{"both", "\x00\xc3\x28", "\uFFFD("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.SanitizeText(tt.in)
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, got, "\x00")
		})
	}
}

func TestDeepScoringFailureReasonIsCleanedNotRefused(t *testing.T) {
	t.Parallel()
	evs, err := recordedCall(t, domain.CallCompleted).RecordDeepScoringFailure("provider said \x00\xff", 0, false)
	require.NoError(t, err)
	assert.Equal(t, "provider said \uFFFD", evs[0].(*domain.CallDeepScoringFailed).Reason)
}

func TestDeepScoreMetricsRefuseNUL(t *testing.T) {
	t.Parallel()
	s := domain.CallDeepScored{Overall: 50, Opening: 50, Discovery: 50, ObjectionHandling: 50, Communication: 50, Closing: 50,
		Summary: "ok", Provider: "builtin", Metrics: []byte(`{"filler":{"word\u0000":1}}`)}
	_, err := recordedCall(t, domain.CallCompleted).RecordDeepScore(s)
	assert.ErrorIs(t, err, domain.ErrInvalid)
	s.Metrics = []byte(`{"filler":{"\\u0000 is fine escaped":1}}`)
	_, err = recordedCall(t, domain.CallCompleted).RecordDeepScore(s)
	assert.NoError(t, err)
}

func TestTextLengthLimitsStillApply(t *testing.T) {
	t.Parallel()
	_, err := recordedCall(t, domain.CallPending).Fail(strings.Repeat("x", domain.MaxReasonLength+1))
	assert.ErrorIs(t, err, domain.ErrInvalid)
	_, err = recordedCall(t, domain.CallPending).Fail(strings.Repeat("é", domain.MaxReasonLength))
	assert.NoError(t, err)
}
