package endpoint_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/integrations/internal/endpoint"
)

func TestIsHTTPURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want bool
	}{
		{"https", "https://api.groq.com/openai/v1", true},
		{"http with port", "http://127.0.0.1:4010", true},
		{"empty", "", false},
		{"no scheme", "localhost:1234", false},
		{"relative", "api/v1", false},
		{"ftp", "ftp://x/v1", false},
		{"no host", "https:///v1", false},
		{"unparseable", "http://[::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, endpoint.IsHTTPURL(tt.url))
		})
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("x", 250)
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"trimmed", "  <html>Bad Gateway</html>\n", "<html>Bad Gateway</html>"},
		{"exactly 200 kept", long[:200], long[:200]},
		{"longer cut", " " + long, long[:200] + "..."},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, endpoint.Excerpt([]byte(tt.raw)))
		})
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"default", "", "https://api.example.com/v1"},
		{"given", "http://localhost:11434/v1", "http://localhost:11434/v1"},
		{"trailing slashes trimmed", "http://localhost:11434/v1//", "http://localhost:11434/v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, endpoint.BaseURL(tt.raw, "https://api.example.com/v1/"))
		})
	}
}
