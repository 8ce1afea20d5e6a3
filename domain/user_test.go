package domain_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

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
