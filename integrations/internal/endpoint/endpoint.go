// Package endpoint holds the rules the integration clients (elevenlabs,
// gemini, openaicompat) share about the HTTP service they call: how a
// configured base URL is defaulted and what it must look like, and how much
// of an error body that is not the service's own JSON is kept in an error
// message.
//
// Invariants: pure functions of their arguments; stdlib only.
package endpoint

import (
	"net/url"
	"strings"
)

// maxExcerpt is how many bytes of an unparsed error body an error keeps.
const maxExcerpt = 200

// BaseURL is raw, or def when raw is empty, without trailing slashes: the
// clients append request paths ("/chat/completions") to it.
func BaseURL(raw, def string) string {
	if raw == "" {
		raw = def
	}
	return strings.TrimRight(raw, "/")
}

// IsHTTPURL reports whether s is an absolute http or https URL with a host.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Excerpt is raw without surrounding white space, cut to its first 200 bytes
// (then ending in "...") so that an HTML error page does not flood a log line.
func Excerpt(raw []byte) string {
	msg := strings.TrimSpace(string(raw))
	if len(msg) > maxExcerpt {
		msg = msg[:maxExcerpt] + "..."
	}
	return msg
}
