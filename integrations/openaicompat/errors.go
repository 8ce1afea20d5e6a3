package openaicompat

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

var (
	// ErrMalformedResponse: a 2xx answer whose body is not a chat completion.
	ErrMalformedResponse = errors.New("openaicompat: malformed response")
	// ErrEmptyChoices: a chat completion with no choices.
	ErrEmptyChoices = errors.New("openaicompat: response has no choices")
	// ErrEmptyContent: the first choice carries no text.
	ErrEmptyContent = errors.New("openaicompat: response has no content")
	// ErrJSONValidateFailed: Groq rejected the model's own output as invalid JSON
	// (400 json_validate_failed). An *APIError with that code matches it.
	ErrJSONValidateFailed = errors.New("openaicompat: model produced invalid JSON")
)

// CodeJSONValidateFailed is Groq's error code for a JSON-mode answer that is not JSON.
const CodeJSONValidateFailed = "json_validate_failed"

// APIError is a non-2xx answer from the server.
type APIError struct {
	Status     int           // HTTP status code
	Code       string        // error.code from the body, if any
	Type       string        // error.type from the body, if any
	Message    string        // error.message, or the start of a non-JSON body
	RetryAfter time.Duration // from the retry-after header; 0 if absent
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("openaicompat: %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Retryable reports whether asking again may succeed: 408, 429, 5xx, and a
// model answer that failed JSON validation.
func (e *APIError) Retryable() bool {
	return resilience.StatusRetryable(e.Status) || e.Code == CodeJSONValidateFailed
}

// RetryDelay is the server's Retry-After (used by resilience.Runner).
func (e *APIError) RetryDelay() time.Duration { return e.RetryAfter }

// Is makes errors.Is(err, ErrJSONValidateFailed) true for Groq's json_validate_failed.
func (e *APIError) Is(target error) bool {
	return target == ErrJSONValidateFailed && e.Code == CodeJSONValidateFailed
}
