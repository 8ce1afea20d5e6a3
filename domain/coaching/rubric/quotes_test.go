package rubric

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestExcerptIsAVerbatimPrefix(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "short", in: "How have you been?"},
		{name: "long with spaces", in: strings.Repeat("we help finance teams close faster ", 20)},
		{name: "long without spaces", in: strings.Repeat("日本語のテキスト", 40)},
		{name: "long, one early space", in: "a " + strings.Repeat("é", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := strings.TrimSpace(tt.in)
			got := excerpt(s)
			assert.True(t, strings.HasPrefix(s, got))
			assert.LessOrEqual(t, len(got), 200, "quotes stay short enough to show")
			assert.True(t, utf8.ValidString(got))
			assert.NotEmpty(t, got)
			if len(s) <= maxQuoteBytes {
				assert.Equal(t, s, got)
			} else {
				assert.Greater(t, len(got), maxQuoteBytes/2, "cuts near the limit, not at the first space")
			}
		})
	}
}
