package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

// avatarUrl is loaded by browsers: only absolute http(s) URLs (or none).
func TestValidateAvatarURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://img.clerk.com/abc.png", true},
		{"http://example.com/a.png?size=64", true},
		{"HTTPS://EXAMPLE.COM/A.PNG", true},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"data:image/png;base64,AAAA", false},
		{"ftp://example.com/a.png", false},
		{"//example.com/a.png", false},
		{"/relative/a.png", false},
		{"https://", false},
		{"https:example.com", false},
		{"https://exa mple.com/a.png", false},
		{"https://example.com/\x00.png", false},
		{"https://example.com/" + strings.Repeat("a", 2000), false},
	}
	for _, tt := range tests {
		err := domain.ValidateAvatarURL(tt.url)
		if tt.ok {
			assert.NoError(t, err, tt.url)
		} else {
			assert.ErrorIs(t, err, domain.ErrInvalid, tt.url)
		}
	}
	_, err := domain.NewUser("u1").Register("user_1", "a@example.com", "Ada", "javascript:alert(1)")
	assert.ErrorIs(t, err, domain.ErrInvalid)
	u := registeredUser(t)
	bad := "file:///etc/passwd"
	_, err = u.UpdateProfile(nil, nil, &bad)
	assert.ErrorIs(t, err, domain.ErrInvalid)
}

// The identity provider's updated_at decides, not the order of arrival.
func TestUserSyncProfileByUpdatedAt(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	prof := func(name string, at time.Time) domain.ProviderProfile {
		return domain.ProviderProfile{ClerkID: "user_x", Email: "x@example.com", FullName: name, UpdatedAt: at}
	}
	apply := func(u *domain.User, p domain.ProviderProfile) int {
		evs, err := u.SyncProfile(p)
		require.NoError(t, err)
		for _, e := range evs {
			u.Apply(e)
		}
		return len(evs)
	}
	u := domain.NewUser("u1")
	assert.Equal(t, 1, apply(u, prof("Newer", t0.Add(time.Minute))), "an unknown user is registered by any version")
	assert.Equal(t, t0.Add(time.Minute), u.ProfileAsOf())
	assert.Equal(t, 0, apply(u, prof("Older", t0)), "older data records nothing")
	assert.Equal(t, 0, apply(u, prof("Other", t0.Add(time.Minute))), "equally old data records nothing")
	assert.Equal(t, 0, apply(u, prof("No time", time.Time{})), "data of unknown age does not replace dated data")
	assert.Equal(t, "Newer", u.FullName())
	assert.Equal(t, 1, apply(u, prof("Newer", t0.Add(2*time.Minute))), "newer data that changes nothing still records its time")
	assert.Equal(t, t0.Add(2*time.Minute), u.ProfileAsOf())
	assert.Equal(t, 0, apply(u, prof("Between", t0.Add(90*time.Second))))
	assert.Equal(t, "Newer", u.FullName())

	// A user the provider deleted before its creation arrived stays deleted.
	gone := domain.NewUser("u2")
	evs, err := gone.Delete("clerk user.deleted")
	require.NoError(t, err)
	gone.Apply(evs[0])
	assert.True(t, gone.Deleted())
	_, err = gone.SyncProfile(prof("Back", t0))
	assert.ErrorIs(t, err, domain.ErrNotFound)
}
